"""Small steps through the JSON API that many tests share."""

from __future__ import annotations

from backend.content.answers import load_answer_file
from tests.integration.conftest import DATA


def make_org(client, name="Acme Outdoor", **extra) -> int:
    response = client.post("/api/v1/organisations", json={"name": name, **extra})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def make_assessment(client, org_id, period="2026-Q1", questionnaire_id="full-diagnostic", **extra) -> int:
    response = client.post(
        f"/api/v1/organisations/{org_id}/assessments",
        json={"questionnaire_id": questionnaire_id, "period": period, **extra},
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def answer(client, assessment_id, question_id, value, **extra):
    return client.put(f"/api/v1/assessments/{assessment_id}/answers/{question_id}", json={"value": value, **extra})


def answer_persona(client, ctx, assessment_id, persona: str, folder: str = "answers") -> dict[str, str]:
    """Answer every question as a persona fixture does (tests/data/answers, or `folder` such as 'personas');
    returns the answers given."""
    _, values = load_answer_file(DATA / folder / f"{persona}.yaml", ctx.content)
    for question_id, value in values.items():
        extra = {"reason": "not part of our business"} if value == "not_applicable" else {}
        response = answer(client, assessment_id, question_id, value, **extra)
        assert response.status_code in (200, 201), response.text
    return values


def submitted_persona(client, ctx, org_id, period, persona) -> int:
    assessment_id = make_assessment(client, org_id, period)
    answer_persona(client, ctx, assessment_id, persona)
    assert client.post(f"/api/v1/assessments/{assessment_id}/submit").status_code == 200
    return assessment_id
