"""Comparing with another organisation's assessment answers exactly as comparing with one that does not
exist: nobody learns which ids exist elsewhere."""

from __future__ import annotations

from litestar.testing import TestClient

from backend.services.accounts import tokens
from tests.integration.api import make_assessment, make_org
from tests.integration.conftest import BASE
from tests.integration.web import browser, make_user

MISSING = 999_999


def unnamed(response, assessment_id: int) -> tuple[int, str, str]:
    """Status, content type and body with the asked-for id blanked, the one part that may differ."""
    return (
        response.status_code,
        response.headers["content-type"],
        # 'assessment 9 not found' in the API, 'Assessment 9 not found' as a page's sentence
        response.text.replace(f"ssessment {assessment_id} ", "ssessment N "),
    )


def test_the_compare_api_answers_for_another_organisations_assessment_as_for_none(app, ctx, client):
    ours = make_org(client, "Ours")
    before, after = (
        make_assessment(client, ours, "2026-Q1", "executive-quick-check"),
        make_assessment(client, ours, "2026-Q2", "executive-quick-check"),
    )
    theirs = make_assessment(client, make_org(client, "Theirs"), "2026-Q1", "executive-quick-check")
    member = make_user(ctx, "member@example.test", organisation_id=ours)
    with TestClient(app=app, base_url=BASE) as api:
        api.headers["Authorization"] = f"Bearer {tokens.issue_token(ctx, member, 'tests').token}"
        assert api.get(f"/api/v1/assessments/{before}/compare/{after}").status_code == 200
        foreign = api.get(f"/api/v1/assessments/{before}/compare/{theirs}")
        missing = api.get(f"/api/v1/assessments/{before}/compare/{MISSING}")
        assert foreign.status_code == 404
        assert unnamed(foreign, theirs) == unnamed(missing, MISSING)
        assert unnamed(api.get(f"/api/v1/assessments/{theirs}/compare/{before}"), theirs) == unnamed(
            api.get(f"/api/v1/assessments/{MISSING}/compare/{before}"), MISSING
        )


def test_the_compare_page_answers_for_another_organisations_assessment_as_for_none(app, ctx, client):
    ours = make_org(client, "Ours")
    mine = make_assessment(client, ours, "2026-Q1", "executive-quick-check")
    theirs = make_assessment(client, make_org(client, "Theirs"), "2026-Q1", "executive-quick-check")
    make_user(ctx, "member@example.test", organisation_id=ours)
    with browser(app, "member@example.test") as pages:
        for query in ("before={}&after=" + str(mine), "before=" + str(mine) + "&after={}"):
            foreign = pages.get(f"/organisations/{ours}/compare?" + query.format(theirs))
            missing = pages.get(f"/organisations/{ours}/compare?" + query.format(MISSING))
            assert foreign.status_code == 404
            assert unnamed(foreign, theirs) == unnamed(missing, MISSING)
