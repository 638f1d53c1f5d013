"""The workshop appendix of the PDF report, read back from a workshop run through the API."""

from dataclasses import replace

import pytest

from tests.integration.api import make_assessment, make_org
from tests.integration.test_api_workshops import ACT, HEAR, KNOWN, QN, answer_all, open_workshop, three
from tests.integration.test_reports import fetch

RATIONALE = """Only <b>bold</b> & "loud" 'complaints' get an answer"""


@pytest.fixture
def settings(settings):
    """Groups of one and two show in these reports; the fold of small groups into "other" is tested on the board."""
    return replace(settings, min_group_size=1)


def run_workshop(client, anonymous):
    """Three participants in two roles and two departments; marketing sees more than service; one agreed answer."""
    assessment, code = open_workshop(client)
    tokens = three(anonymous, code)
    answer_all(anonymous, code, tokens, KNOWN, ["nearly_all", "a_minority", "a_minority"])  # 1, 0.3, 0.3: spread 0.66
    answer_all(anonymous, code, tokens, HEAR, ["always", "rarely", "rarely"])  # 1, 0, 0: spread 0.94
    answer_all(anonymous, code, tokens[:2], ACT, ["rule_driven", "never"])  # 1, 0: spread 1, two answered
    agreed = client.put(
        f"/api/v1/assessments/{assessment}/workshop/consensus/{HEAR}",
        json={"value": "sometimes", "rationale": RATIONALE},
    )
    assert agreed.status_code == 200, agreed.text
    return assessment


def test_a_workshop_gets_its_appendix_with_counts_hotspots_rationale_and_gaps(client, anonymous, tmp_path):
    assessment = run_workshop(client, anonymous)
    board = client.get(f"/api/v1/assessments/{assessment}/workshop/board").json()
    hottest = board["questions"][0]
    assert hottest["question_id"] == ACT  # widest spread first

    pdf = fetch(client, assessment, tmp_path)
    check = pdf.qpdf_check()
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Appendix: workshop" in pdf.outline_titles() and {
        "Participation",
        "Disagreement hotspots",
        "Agreed answers",
        "Perception gaps",
    } <= set(pdf.outline_titles())
    assert pdf.has("3 joined; 3 answered at least one question; answers agreed on 1 of 20 questions.")
    assert pdf.has("Role Joined Questions answered Agent 2 3 Marketing lead 1 3")
    assert pdf.has("Department Joined Questions answered marketing 1 3 service 2 3")
    assert pdf.has("counted, not named") and not pdf.has("Ana Example") and not pdf.has("Ben Example")
    assert pdf.has(hottest["text"]) and pdf.has("Spread 1.00") and pdf.has("2 of 3 answered")
    assert pdf.has(" · ".join(f"{c['label']}: {c['count']}" for c in hottest["counts"]))  # its distribution
    assert pdf.has("standard deviation of the participants' option scores")
    assert pdf.has("Answered by A workshop of 3 participants")  # the cover counts the room, it does not list it
    assert pdf.has(f"Rationale: {RATIONALE}")
    assert pdf.has("Socialfication maturity — Agent: level 0 · Marketing lead: level 3")
    assert pdf.has("Socialfication maturity — marketing: level 3 · service: level 0")
    links = [a.get_object() for a in pdf.reader.pages[1].get("/Annots", [])]
    assert len(links) == len(pdf.outline_titles())  # the appendix is in the contents too

    client.patch(f"/api/v1/assessments/{assessment}/workshop", json={"show_names": True})
    (tmp_path / "named").mkdir()
    named = fetch(client, assessment, tmp_path / "named")
    assert named.has("Ana Example") and named.has("Names are shown because the facilitator turned them on.")


def test_a_report_without_a_workshop_has_no_workshop_appendix(client, tmp_path):
    assessment = make_assessment(client, make_org(client), "2026-Q3", QN)
    pdf = fetch(client, assessment, tmp_path)
    assert not pdf.has("Appendix: workshop") and "Appendix: workshop" not in pdf.outline_titles()
    assert not pdf.has("Disagreement hotspots") and not pdf.has("Perception gaps")
    assert pdf.qpdf_check().returncode == 0
