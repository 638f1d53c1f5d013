"""A report is a record of its period: a submitted one never changes once later periods are answered, a draft says
it is one on every page, and its file is named after the organisation and period, safely."""

from __future__ import annotations

import re

from pypdf import PdfReader

from tests.integration.api import answer, answer_persona, make_assessment, make_org, submitted_persona
from tests.integration.pdf import Pdf
from tests.integration.test_reports import HOSTILE_NAME, fetch
from tests.integration.web import browser, csrf_of, make_user


def report_bytes(client, assessment_id: int, variant: str) -> bytes:
    response = client.get(f"/api/v1/assessments/{assessment_id}/report.pdf", params={"variant": variant})
    assert response.status_code == 200, response.text
    return response.content


def test_a_submitted_report_is_the_same_file_after_later_periods_are_answered(client, ctx, tmp_path):
    org = make_org(client, "Northwind Outfitters")
    first = submitted_persona(client, ctx, org, "2026-Q2", "anonymous")
    second = submitted_persona(client, ctx, org, "2026-Q3", "brand-monitor")
    before = {variant: report_bytes(client, second, variant) for variant in ("full", "summary")}
    # Later quarters are started and answered, one of them submitted: none of it is known at 2026-Q3.
    later = make_assessment(client, org, "2026-Q4", baseline_assessment_id=second)
    answer_persona(client, ctx, later, "anonymous")
    assert client.post(f"/api/v1/assessments/{later}/submit").status_code == 200
    draft = make_assessment(client, org, "2027-Q1", baseline_assessment_id=later)
    answer(client, draft, "fd.listening.coverage", "everywhere")
    for variant, was in before.items():
        assert report_bytes(client, second, variant) == was, variant
    pdf = Pdf(before["full"], tmp_path)
    assert not pdf.has("2026-Q4") and not pdf.has("2027-Q1")
    assert pdf.has("2026-Q2") and pdf.has("Compared with 2026-Q2")
    # Dated by its submission, on the cover and in the file's own metadata.
    submitted_at = client.get(f"/api/v1/assessments/{second}").json()["submitted_at"]
    day = submitted_at[:10]
    assert PdfReader(pdf.path).metadata.creation_date.strftime("%Y-%m-%d") == day
    assert first != second


def test_a_submitted_report_leaves_out_an_earlier_period_still_in_draft(client, ctx, tmp_path):
    org = make_org(client, "Southwind")
    earlier_draft = make_assessment(client, org, "2026-Q1")
    answer(client, earlier_draft, "fd.listening.coverage", "everywhere")
    submitted = submitted_persona(client, ctx, org, "2026-Q2", "anonymous")
    was = report_bytes(client, submitted, "full")
    answer(client, earlier_draft, "fd.listening.coverage", "nowhere")
    assert report_bytes(client, submitted, "full") == was
    assert not Pdf(was, tmp_path).has("2026-Q1")


def test_a_draft_report_says_draft_on_every_page_and_a_submitted_one_nowhere(client, ctx, tmp_path):
    org = make_org(client, "Eastwind")
    draft = make_assessment(client, org, "2026-Q3")
    answer_persona(client, ctx, draft, "brand-monitor")
    for variant in ("full", "summary"):
        pdf = Pdf(report_bytes(client, draft, variant), tmp_path)
        marks = set()
        for number, page in enumerate(pdf.reader.pages, start=1):
            assert "Draft — answers may still change" in page.extract_text(), (variant, number)
            # The watermark is a picture on every page, the same one, so copied text never threads its letters.
            images = page["/Resources"]["/XObject"]
            assert len(images) == 1, (variant, number)
            marks |= {v.idnum for v in images.values()}
        assert len(marks) == 1 and "DRAFT" not in pdf.text
    assert client.post(f"/api/v1/assessments/{draft}/submit").status_code == 200
    submitted = Pdf(report_bytes(client, draft, "full"), tmp_path)
    assert "may still change" not in submitted.text
    assert not any("/XObject" in page["/Resources"] for page in submitted.reader.pages)
    assert submitted.has("Submitted on")


def test_a_draft_in_the_trend_is_labelled_draft(client, ctx, tmp_path):
    org = make_org(client, "Westwind")
    submitted_persona(client, ctx, org, "2026-Q2", "anonymous")
    draft = make_assessment(client, org, "2026-Q3")
    answer_persona(client, ctx, draft, "brand-monitor")
    assert re.search(r"2026-Q3\s+draft", fetch(client, draft, tmp_path).text)


def test_report_files_are_named_after_the_organisation_and_period_safely(client, ctx):
    for name, slug in (
        (HOSTILE_NAME, "ca-cie-ops-unicode-quoted-shlvm-rb"),
        ('../../etc/passwd"; x', "etc-passwd-x"),
        ("Ørsted Søn", "orsted-son"),
    ):
        org = make_org(client, name)
        aid = make_assessment(client, org, "2026-Q3")
        for variant in ("full", "summary"):
            response = client.get(f"/api/v1/assessments/{aid}/report.pdf", params={"variant": variant})
            disposition = response.headers["content-disposition"]
            assert disposition == f'inline; filename="{slug}-2026-q3-{variant}.pdf"', disposition


def test_sharing_a_draft_asks_for_confirmation_and_the_link_says_draft(app, ctx, client, anonymous, tmp_path):
    org = make_org(client, "Northwind")
    draft = make_assessment(client, org, "2026-Q3")
    answer(client, draft, "fd.listening.coverage", "everywhere")
    refused = client.post(f"/api/v1/assessments/{draft}/share-links", json={})
    assert refused.status_code == 409 and refused.json()["extra"]["field"] == "draft"
    assert "is a draft" in refused.json()["detail"] and "draft: true" in refused.json()["detail"]
    assert client.get(f"/api/v1/assessments/{draft}/share-links").json() == []
    link = client.post(f"/api/v1/assessments/{draft}/share-links", json={"draft": True}).json()
    assert link["draft"] is True
    opened = Pdf(anonymous.get(link["url"]).content, tmp_path)
    assert opened.has("Draft — answers may still change")
    make_user(ctx, "lead@firm.test", "consultant", organisation_id=org, member_role="consultant")
    with browser(app, "lead@firm.test") as web:
        page = web.get(f"/organisations/{org}/access").text
        assert "Share the draft anyway" in page and 'name="draft"' in page
        assert '<span class="tag">draft</span>' in page
        unticked = web.post(
            f"/assessments/{draft}/share-links",
            data={"variant": "full", "days": "3", "_csrf_token": csrf_of(page)},
        )
        assert unticked.status_code == 409 and "is a draft" in unticked.text
        ticked = web.post(
            f"/assessments/{draft}/share-links",
            data={"variant": "full", "days": "3", "draft": "true", "_csrf_token": csrf_of(page)},
        )
        assert ticked.status_code == 201 and "of a draft: whoever opens it" in ticked.text


def test_the_cover_names_who_answered_the_consultant_and_that_it_is_a_draft(client, ctx, tmp_path):
    org = make_org(client, "Northwind")
    make_user(ctx, "lead@firm.test", "consultant", organisation_id=org, member_role="consultant")
    draft = make_assessment(client, org, "2026-Q3", "executive-quick-check")
    questions = client.get("/api/v1/questionnaires/executive-quick-check").json()["sections"][0]["questions"]
    answered = answer(
        client, draft, questions[0]["id"], questions[0]["options"][0]["value"], answered_by="Ana Diaz, CEO"
    )
    assert answered.status_code in (200, 201), answered.text
    cover = Pdf(report_bytes(client, draft, "full"), tmp_path).text.split("\f")[0]
    flat = " ".join(cover.split())
    assert "Answered by Ana Diaz, CEO" in flat and "Consultant lead@firm.test" in flat
    assert "Status Draft — answers may still change" in flat and "Report date" in flat
