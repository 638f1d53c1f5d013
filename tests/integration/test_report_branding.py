"""The organisation's branding in the real PDF: its logo drawn on the cover above its name, its accent colour in the
title and the section headings; without them the report keeps its own look."""

from __future__ import annotations

import re

import pytest
from pypdf.generic import NameObject

from tests.integration.api import answer_persona, make_assessment, make_org, submitted_persona
from tests.integration.conftest import DATA
from tests.integration.pdf import Pdf
from tests.integration.test_api_branding import HOSTILE_SVG, logo_url, picture, svg_upload, upload
from tests.integration.test_reports import fetch

PLUM = "#7a1f5c"
OWN_BLUE = "#0b5394"
FILL = re.compile(rb"([\d.]+) ([\d.]+) ([\d.]+) rg")


def fills(pdf: Pdf, page: int) -> set[str]:
    """The fill colours a page's content stream sets, as '#rrggbb'."""
    stream = pdf.reader.pages[page].get_contents().get_data()
    return {"#" + "".join(f"{round(float(c) * 255):02x}" for c in m.groups()) for m in FILL.finditer(stream)}


def images(pdf: Pdf, page: int) -> list[tuple[int, int]]:
    """The width and height of each image a page draws."""
    objects = pdf.reader.pages[page]["/Resources"].get("/XObject", {})
    found = []
    for ref in objects.values():
        image = ref.get_object()
        if image.get(NameObject("/Subtype")) == "/Image":
            found.append((int(image["/Width"]), int(image["/Height"])))
    return found


def page_of(pdf: Pdf, heading: str) -> int:
    """The first page, from 0, whose text has the heading."""
    return next(n for n, page in enumerate(pdf.reader.pages) if heading in (page.extract_text() or ""))


def test_the_cover_shows_the_logo_and_the_title_and_headings_take_the_accent_colour(client, ctx, tmp_path):
    org = make_org(client, "Plum & Partners")
    aid = submitted_persona(client, ctx, org, "2026-Q2", "anonymous")
    plain = fetch(client, aid, tmp_path)
    assert images(plain, 0) == [] and OWN_BLUE in fills(plain, 0) and PLUM not in fills(plain, 0)

    assert client.put(logo_url(org), files=upload(picture(300, 100))).status_code == 200
    assert client.put(f"/api/v1/organisations/{org}/accent", json={"accent": PLUM}).status_code == 200
    branded = fetch(client, aid, tmp_path)
    assert images(branded, 0) == [(300, 100)]
    cover = fills(branded, 0)
    assert PLUM in cover and OWN_BLUE not in cover
    assert branded.has("Plum & Partners") and branded.render()  # the logo draws without an error
    summary = page_of(branded, "Executive summary")
    assert PLUM in fills(branded, summary)
    # The charts that draw the organisation's own line or shape (the stack radar, the trend) take its colour too.
    for chart_heading in ("The social stack (", "Progress over time"):
        assert PLUM in fills(branded, page_of(branded, chart_heading)), chart_heading
        assert PLUM not in fills(plain, page_of(plain, chart_heading)), chart_heading
    # A submitted report is still the same file each time it is asked for, logo and all.
    assert fetch(client, aid, tmp_path).data == branded.data

    one_page = fetch(client, aid, tmp_path, "summary")
    assert PLUM in fills(one_page, 0)
    assert len(one_page.reader.pages) == 1 and images(one_page, 0) == [(300, 100)]  # its head shows the logo too

    assert client.delete(logo_url(org)).status_code == 204
    assert images(fetch(client, aid, tmp_path), 0) == []


def test_an_svg_logo_is_drawn_on_the_cover_as_shapes_and_text(client, ctx, tmp_path):
    org = make_org(client, "Plum & Partners")
    aid = submitted_persona(client, ctx, org, "2026-Q2", "anonymous")
    assert client.put(logo_url(org), files=svg_upload(HOSTILE_SVG)).status_code == 200
    branded = fetch(client, aid, tmp_path)
    assert images(branded, 0) == []  # vector, not a picture
    assert PLUM in fills(branded, 0)  # the drawing's own fill
    assert "Plum & Partners" in (branded.reader.pages[0].extract_text() or "")
    assert branded.render()


@pytest.mark.sqlite_only(reason="a page layout of the PDF: the database engine changes nothing in it")
def test_the_summary_stays_on_one_page_with_a_logo_and_a_long_name_for_every_persona(client, ctx, tmp_path):
    personas = [(f.parent.name, f.stem) for folder in ("answers", "personas") for f in (DATA / folder).glob("*.yaml")]
    name = "Worldwide Holdings & Customer Experience Group " * 2
    for number, (folder, persona) in enumerate(sorted(personas)):
        org = make_org(client, f"{persona} {name}")
        assert client.put(logo_url(org), files=upload(picture(300, 300))).status_code == 200
        aid = make_assessment(client, org, f"{2030 + number}-Q1")
        answer_persona(client, ctx, aid, persona, folder)
        assert client.post(f"/api/v1/assessments/{aid}/submit").status_code == 200
        assert len(fetch(client, aid, tmp_path, "summary").reader.pages) == 1, persona
