"""Each e-mail's words: a plain-text part and an HTML part from frontend/templates/mail, everything a user typed
escaped in the HTML (autoescape) as on the pages."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from backend.content.loader import project_root
from backend.services.mail.outbox import Mail

FOLDER = project_root() / "frontend" / "templates" / "mail"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(FOLDER),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def compose(kind: str, key: str, recipient: str, subject: str, template: str = "", **values: object) -> Mail:
    """The message of a kind with these values, from the templates TEMPLATE.txt.j2 and TEMPLATE.html.j2 (the
    kind's own unless another is named)."""
    env = _environment()
    shared = {"subject": subject, **values}
    name = template or kind
    return Mail(
        kind=kind,
        key=key,
        recipient=recipient,
        subject=subject,
        text=env.get_template(f"{name}.txt.j2").render(shared),
        html=env.get_template(f"{name}.html.j2").render(shared),
    )
