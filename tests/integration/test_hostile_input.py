"""Hostile text in every free-text field stays inert: exact in JSON, escaped in HTML, neutralised in CSV, intact in PDF."""

from __future__ import annotations

import csv
import io
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from tests.integration.api import answer, make_assessment, make_org
from tests.integration.pdf import Pdf, squash

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
QUOTES = "'\""
AMP = "&amp;"
MARKUP = f"{SCRIPT} {IMG} {QUOTES} {AMP}"
FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\t=1+1", "\r=1+1"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LONG = (f"{MARKUP} a long note that goes on and on; " * 60)[:5000]
LONG_NAME = LONG[:200]
HOSTILE = [SCRIPT, IMG, QUOTES, AMP, MARKUP, *FORMULAS, LONG]
EMAILS = ["<script>alert(1)</script>@evil.test", "'\"><img/src=x/onerror=alert(1)>@evil.test"]
OWNERS = [MARKUP, '=HYPERLINK("http://x")', LONG_NAME]


@dataclass
class Scenario:
    """What the hostile user made, and what they typed."""

    org: int
    assessment: int
    answers: dict[str, dict[str, str]]
    owners: dict[int, str]


def typed_answers(questions: list[dict]) -> dict[str, dict[str, str]]:
    """What a hostile user types for each question: every hostile value lands in every field somewhere."""
    typed = {}
    for i, question in enumerate(questions):

        def pick(shift: int, limit: int = 5000, i: int = i) -> str:
            return HOSTILE[(i + shift) % len(HOSTILE)][:limit]

        fields = {"note": pick(0), "evidence": pick(1), "answered_by": pick(2, 200)}
        if question["allow_not_applicable"]:
            fields |= {"value": "not_applicable", "reason": pick(3)}
        else:
            fields |= {"value": question["options"][0]["value"], "reason": ""}
        typed[question["id"]] = fields
    return typed


@pytest.fixture
def hostile(client) -> Scenario:
    """An organisation, its answers, roadmap owners, members and a token, all named by a hostile user."""
    org = make_org(client, LONG_NAME, sector=MARKUP, size=f"{QUOTES} {AMP} {SCRIPT}")
    assessment = make_assessment(client, org, "2026-Q1", "executive-quick-check")
    questionnaire = client.get("/api/v1/questionnaires/executive-quick-check").json()
    answers = typed_answers([q for s in questionnaire["sections"] for q in s["questions"]])
    for question_id, fields in answers.items():
        response = answer(client, assessment, question_id, **fields)
        assert response.status_code == 201, response.text
    items = client.get(f"/api/v1/assessments/{assessment}/roadmap").json()["items"]
    owners = {item["id"]: owner for item, owner in zip(items, OWNERS, strict=False)}
    for item_id, owner in owners.items():
        response = client.patch(f"/api/v1/assessments/{assessment}/roadmap/{item_id}", json={"owner": owner})
        assert response.status_code == 200, response.text
    for email in EMAILS:
        response = client.post(f"/api/v1/organisations/{org}/members", json={"email": email, "role": "viewer"})
        assert response.status_code == 201, response.text
    assert client.post("/api/v1/auth/tokens", json={"name": MARKUP}).status_code == 201
    return Scenario(org, assessment, answers, owners)


def as_json(response) -> object:
    """The body of a JSON answer, after checking it is sent as JSON that browsers will not sniff."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-content-type-options"] == "nosniff"
    return response.json()


def test_the_api_gives_back_every_hostile_text_exactly_as_typed(client, hostile):
    org = as_json(client.get(f"/api/v1/organisations/{hostile.org}"))
    assert (org["name"], org["sector"], org["size"]) == (LONG_NAME, MARKUP, f"{QUOTES} {AMP} {SCRIPT}")
    stored = {a["question_id"]: a for a in as_json(client.get(f"/api/v1/assessments/{hostile.assessment}/answers"))}
    for question_id, fields in hostile.answers.items():
        assert {name: stored[question_id][name] for name in fields} == fields, question_id
    items = {
        i["id"]: i["owner"] for i in as_json(client.get(f"/api/v1/assessments/{hostile.assessment}/roadmap"))["items"]
    }
    assert {i: items[i] for i in hostile.owners} == hostile.owners
    members = {m["email"] for m in as_json(client.get(f"/api/v1/organisations/{hostile.org}/members"))}
    assert set(EMAILS) <= members
    assert MARKUP in {t["name"] for t in as_json(client.get("/api/v1/auth/tokens"))}


class Page(HTMLParser):
    """A page as a browser's parser sees it: the elements, their attributes and the text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.chunks: list[str] = []
        self.feed(html)
        self.close()
        self.text = "".join(self.chunks)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data):
        self.chunks.append(data)

    def shows(self, text: str) -> bool:
        """Whether the text reads as text, in the page or in an attribute (a label, a value)."""
        return text in self.text or any(text in value for _, attrs in self.elements for value in attrs.values())

    def live_markup(self) -> list[tuple[str, dict[str, str]]]:
        """Elements that would run or fetch something a user typed: inline scripts, images, event handlers."""
        return [
            (tag, attrs)
            for tag, attrs in self.elements
            if (tag == "script" and not attrs.get("src", "").startswith(("/static/", "/vendor/")))
            or tag == "img"
            or any(name.startswith("on") for name in attrs)
        ]


def page(client, path: str) -> tuple[str, Page]:
    """A page fetched as the signed-in admin, after checking it is HTML with a script-tight CSP."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.text[:500])
    assert response.headers["content-type"].startswith("text/html"), path
    csp = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp, (path, csp)
    return response.text, Page(response.text)


def test_pages_show_hostile_text_escaped_and_never_as_live_markup(client, hostile):
    notes = [fields["note"] for fields in hostile.answers.values()]
    expected = {
        "/": [LONG_NAME, MARKUP, f"{QUOTES} {AMP} {SCRIPT}"],
        f"/organisations/{hostile.org}/access": [LONG_NAME, *EMAILS],
        f"/organisations/{hostile.org}/audit": [LONG_NAME, *notes, *hostile.owners.values(), *EMAILS],
        "/account": [MARKUP, f"Revoke token {MARKUP}"],
    }
    for path, texts in expected.items():
        html, parsed = page(client, path)
        assert parsed.live_markup() == [], path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&amp;amp;" in html, path
        for text in texts:
            assert parsed.shows(text), (path, text[:80])


def csv_rows(client, path: str) -> list[dict[str, str]]:
    """A CSV export read as the csv module (and a spreadsheet) reads it."""
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["x-content-type-options"] == "nosniff"
    return list(csv.DictReader(io.StringIO(response.text, newline="")))


def neutralised(typed: str) -> str:
    """How a typed value must read in the spreadsheet: a formula gets a leading quote, anything else is unchanged."""
    return "'" + typed if typed in FORMULAS else typed


def test_csv_exports_neutralise_formulas_and_keep_every_text_intact(client, hostile):
    answers = csv_rows(client, f"/api/v1/organisations/{hostile.org}/answers.csv")
    scores = csv_rows(client, f"/api/v1/organisations/{hostile.org}/scores.csv")
    by_question = {row["question_id"]: row for row in answers}
    assert set(by_question) == set(hostile.answers)
    for question_id, fields in hostile.answers.items():
        for name in ("note", "evidence", "answered_by", "reason"):
            assert by_question[question_id][name] == neutralised(fields[name]), (question_id, name)
    assert any(row["note"] == LONG for row in answers)
    assert scores and {row["assessment_id"] for row in scores} == {str(hostile.assessment)}
    for row in answers + scores:
        for name, cell in row.items():
            assert not cell.startswith(FORMULA_START), (name, cell[:80])


def report(client, assessment_id: int, variant: str, folder) -> Pdf:
    """The PDF report as a reader opens it, after checking qpdf finds nothing wrong."""
    response = client.get(f"/api/v1/assessments/{assessment_id}/report.pdf", params={"variant": variant})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    folder.mkdir()
    pdf = Pdf(response.content, folder)
    check = pdf.qpdf_check()
    assert check.returncode == 0, check.stdout + check.stderr
    return pdf


def body_text(pdf: Pdf) -> str:
    """The text between the page headers and footers, so a text broken across pages reads on unbroken."""
    width, height = A4
    # Cut between a draft's running header (10 mm down) and the body's top margin (18 mm down), and between the
    # footer rule (12 mm up) and the body's bottom margin (16 mm up).
    crop = ["-x", "0", "-y", str(int(14 * mm)), "-W", str(int(width)), "-H", str(int(height - 28 * mm))]
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", *crop, str(pdf.path), "-"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return squash(done.stdout)


def test_the_pdf_report_is_valid_and_shows_every_hostile_text_intact(client, hostile, tmp_path):
    pdf = report(client, hostile.assessment, "full", tmp_path / "full")
    body = body_text(pdf)
    assert squash(LONG_NAME) in body
    for question_id, fields in hostile.answers.items():
        for name in ("note", "evidence", "answered_by", "reason"):
            if fields[name]:
                assert squash(fields[name]) in body, (question_id, name, fields[name][:80])
    for owner in hostile.owners.values():
        assert squash(owner) in body, owner[:80]
    summary = report(client, hostile.assessment, "summary", tmp_path / "summary")
    assert summary.pages == 1 and summary.has(LONG_NAME) and summary.has(MARKUP)


def test_a_long_hostile_name_leaves_every_footer_its_period_and_page_number(client, hostile, tmp_path):
    pdf = report(client, hostile.assessment, "full", tmp_path / "full")
    footers = [line for line in pdf.text.splitlines() if "· 2026-Q1 · Tribewise" in line]
    assert len(footers) == pdf.pages
    for number, line in enumerate(footers, 1):
        assert line.startswith(SCRIPT) and "… · 2026-Q1 · Tribewise" in line, line
        assert pdf.has(f"page {number} of {pdf.pages}")
