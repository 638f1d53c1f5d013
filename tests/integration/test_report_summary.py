"""The executive summary, read back from the PDF: each finding and step says its summary whole, as written."""

import json

import pytest

from backend.labels import HORIZON_TITLES
from backend.scoring.engine import score_assessment
from backend.scoring.models import Answer
from backend.scoring.roadmap import UNASSESSED, unassessed_recommendation
from tests.integration.api import answer_persona, make_assessment, make_org
from tests.integration.conftest import DATA
from tests.integration.pdf import squash
from tests.integration.test_reports import fetch

# Each raises findings the engine writes itself among its first three, beside rubric findings.
PERSONAS = [
    # stages out of order (Solis's accounts-everywhere case) after two rubric findings
    ("answers", "accounts-everywhere", ""),
    # criteria not assessed and two levels ahead of their foundation
    ("personas", "retail-bank", "5000+ employees"),
    # a critical rubric finding, stages out of order, criteria not assessed; small: the small variants of steps
    ("personas", "one-shop-florist", "1-10 employees"),
]


def summary_section(pdf) -> str:
    """What the executive summary says from its findings to its steps, wrapping and page breaks squashed out."""
    flat = squash(pdf.text)
    start = flat.index(squash("What stands out"))
    return flat[start : flat.index(squash("Since the previous period"), start)]


def printed(findings: list[dict], steps: list[dict]) -> str:
    """The section as it must read: each title followed by its summary, whole."""
    lines = [f"{f['title']} — {f['summary']}" for f in findings]
    lines += [
        f"{n}. {i['title']} ({HORIZON_TITLES[i['horizon']]}; owner: {i['owner'] or i['owner_role']}) — {i['summary']}"
        for n, i in enumerate(steps, 1)
    ]
    return squash("What stands out" + "".join(lines[:3]) + "First three steps" + "".join(lines[3:]))


@pytest.mark.parametrize("folder, persona, size", PERSONAS)
def test_the_summary_prints_each_findings_and_steps_summary_whole_as_written(
    client, ctx, tmp_path, folder, persona, size
):
    aid = make_assessment(client, make_org(client, size=size))
    values = answer_persona(client, ctx, aid, persona, folder)
    findings = client.get(f"/api/v1/assessments/{aid}/result").json()["result"]["findings"][:3]
    steps = [i for i in client.get(f"/api/v1/assessments/{aid}/roadmap").json()["items"] if i["triggered"]][:3]
    assert len(findings) == len(steps) == 3

    # Each summary is the rubric's own, or the sentence the engine's template wrote for its own finding.
    rules = {f"{m}.{r.id}": r.summary for m, rubric in ctx.content.rubrics.items() for r in rubric.findings}
    scored = score_assessment(ctx.content, "full-diagnostic", [Answer(q, v) for q, v in values.items()])
    engine = {f.id: f.summary for f in scored.findings}
    assert {f["code"] for f in findings} - set(rules), "the persona shows a finding the engine writes itself"
    for f in findings:
        assert f["summary"] == rules.get(f["code"], engine[f["id"]]) and f["summary"].endswith("."), f
    recs = {rid: rec.summary for rid, (_, rec) in ctx.content.recommendations.items()}
    recs[UNASSESSED] = unassessed_recommendation("").summary
    for i in steps:
        assert i["summary"] == recs[i["recommendation_id"]] and i["summary"].endswith("."), i

    expected = printed(findings, steps)
    for variant in (None, "summary"):
        folder = tmp_path / (variant or "full")
        folder.mkdir()
        assert summary_section(fetch(client, aid, folder, variant)) == expected, variant
    # Submitted, the report reads the frozen snapshot: the same summaries, stored with it.
    assert client.post(f"/api/v1/assessments/{aid}/submit").status_code == 200
    (tmp_path / "frozen").mkdir()
    assert summary_section(fetch(client, aid, tmp_path / "frozen", "summary")) == expected


def test_a_report_frozen_before_summaries_prints_each_title_alone_never_a_cut_explanation(client, tmp_path):
    # Written before findings and steps carried a summary: the snapshot has none.
    exported = json.loads((DATA / "exports" / "before-schema-families.json").read_text(encoding="utf-8"))
    response = client.post("/api/v1/organisations/import", json=exported)
    assert response.status_code == 201, response.text
    periods = client.get(f"/api/v1/organisations/{response.json()['id']}/progress").json()["periods"]
    aid = next(p["assessment_id"] for p in periods if p["period"] == "2025-Q4")
    findings = client.get(f"/api/v1/assessments/{aid}/result").json()["result"]["findings"]
    steps = [i for i in client.get(f"/api/v1/assessments/{aid}/roadmap").json()["items"] if i["triggered"]][:3]
    # The API still gives every finding and step a summary: its title as a sentence.
    assert [f["summary"] for f in findings] == [f"{f['title']}." for f in findings]
    assert [i["summary"] for i in steps] == [f"{i['title']}." for i in steps]
    shown = findings[:3]
    lines = [f["title"] for f in shown]
    lines += [
        f"{n}. {i['title']} ({HORIZON_TITLES[i['horizon']]}; owner: {i['owner'] or i['owner_role']})"
        for n, i in enumerate(steps, 1)
    ]
    for variant in (None, "summary"):
        folder = tmp_path / (variant or "full")
        folder.mkdir()
        pdf = fetch(client, aid, folder, variant)
        section = summary_section(pdf)
        assert section == squash(
            "What stands out" + "".join(lines[: len(shown)]) + "First three steps" + "".join(lines[len(shown) :])
        )
        assert "—" not in section
