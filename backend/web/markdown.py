"""Markdown documents (the methodology) as HTML for the site: raw HTML escaped, tables on, headings anchored."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markupsafe import Markup, escape


@dataclass(frozen=True)
class Heading:
    """One `##` heading: its words and the anchor it carries."""

    text: str
    anchor: str


@dataclass(frozen=True)
class Document:
    """A rendered document: its title (the `#` heading), the body without it, and its `##` headings for a contents list."""

    title: str
    body: Markup
    contents: tuple[Heading, ...]


def _parser() -> MarkdownIt:
    # "html": False makes markdown-it escape any raw HTML in the source instead of passing it through.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def slug(text: str, taken: set[str]) -> str:
    """A readable anchor for a heading, unique within the document."""
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"
    anchor, n = base, 2
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    taken.add(anchor)
    return anchor


def _plain(inline) -> str:
    """A heading's words without Markdown marks (emphasis, code ticks)."""
    return (
        "".join(child.content for child in inline.children or [] if child.type in ("text", "code_inline", "softbreak"))
        or inline.content
    )


def render_markdown(source: str) -> Document:
    """Render Markdown to HTML; the first `#` heading becomes the title, every `##`/`###` heading gets an id."""
    md = _parser()
    tokens = md.parse(source)
    title, contents, taken, keep = "", [], set(), []
    tables: list[str] = []  # each table's name, from the heading it stands under
    under = ""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            words = _plain(tokens[i + 1])
            if token.tag == "h1" and not title:
                # The page template prints the title as its own h1; drop this heading from the body.
                title = words
                i += 3
                continue
            under = words
            anchor = slug(words, taken)
            token.attrSet("id", anchor)
            if token.tag == "h2":
                contents.append(Heading(words, anchor))
        if token.type == "table_open":
            same = sum(1 for name in tables if name.startswith(f"Table under “{under}”"))
            tables.append(
                f"Table under “{under}”" + (f", {same + 1}" if same else "") if under else f"Table {len(tables) + 1}"
            )
        keep.append(token)
        i += 1
    body = md.renderer.render(keep, md.options, {})
    # Wide tables scroll inside their own box so a narrow screen never scrolls sideways; each box is a region named
    # after the heading it stands under, so no two regions share a name.
    names = iter(tables)
    body = re.sub(
        "<table>",
        lambda _: f'<div class="table-scroll" tabindex="0" role="region" aria-label="{escape(next(names))}"><table>',
        body,
    ).replace("</table>", "</table></div>")
    return Document(title, Markup(body), tuple(contents))
