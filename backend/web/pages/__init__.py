"""Server-rendered pages (Jinja2), sharing services with the JSON API."""

from backend.web.pages.access import AccessPages
from backend.web.pages.accounts import AccountPages
from backend.web.pages.organisations import PORTFOLIO_PAGES
from backend.web.pages.questionnaire import QuestionnairePages
from backend.web.pages.render import STATIC, VENDOR, error_page, page_message, template_config
from backend.web.pages.results import ResultPages
from backend.web.pages.worksheet import WorksheetPages
from backend.web.pages.workshop import WORKSHOP_PAGES
from backend.web.pages.workshop_entry import ENTRY_PAGES
from backend.web.pages.workshop_presenter import PRESENTER_PAGES

PAGES = [
    AccountPages,
    AccessPages,
    *PORTFOLIO_PAGES,
    QuestionnairePages,
    ResultPages,
    WorksheetPages,
    *WORKSHOP_PAGES,
    *ENTRY_PAGES,
    *PRESENTER_PAGES,
]

__all__ = ["PAGES", "STATIC", "VENDOR", "error_page", "page_message", "template_config"]
