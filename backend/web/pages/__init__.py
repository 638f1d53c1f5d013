"""Server-rendered pages (Jinja2), sharing services with the JSON API."""

from backend.web.pages import access, accounts
from backend.web.pages.render import STATIC, error_page, template_config

PAGES = [*accounts.PAGES, *access.PAGES]

__all__ = ["PAGES", "STATIC", "error_page", "template_config"]
