"""Server-rendered pages (Jinja2), sharing services with the JSON API."""

from backend.web.pages.access import AccessPages
from backend.web.pages.accounts import AccountPages
from backend.web.pages.render import STATIC, VENDOR, error_page, template_config

PAGES = [AccountPages, AccessPages]

__all__ = ["PAGES", "STATIC", "VENDOR", "error_page", "template_config"]
