"""A draft started under an older questionnaire says what changed under it, until someone confirms the change."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import yaml
from litestar.testing import TestClient
from sqlalchemy import text

from backend.web.app import create_app
from tests.integration.api import answer, make_assessment, make_org
from tests.integration.conftest import BASE, admin_client, bearer_for, fresh_database
from tests.integration.pdf import Pdf
from tests.integration.test_pages_results import join, words
from tests.integration.web import browser, csrf_of, make_user

MEMBER = "member@firm.test"
OLD_VERSION = "0.9"


@dataclass(frozen=True)
class Older:
    """A copy of the content as it was 'before': one question not yet asked, one worded differently, one since removed."""

    folder: Path
    new: dict  # today's question that the older copy lacks
    changed: dict  # today's question, worded differently in the older copy
    removed: dict  # the older copy's question that today's lacks
    kept: dict  # a question the same in both


def _older_content(settings, tmp_path: Path, ctx) -> Older:
    folder = tmp_path / "older"
    for name in ("rubrics", "questionnaires"):
        shutil.copytree(settings.content_dir / name, folder / name)
    path = folder / "questionnaires" / "full-diagnostic.yaml"
    data = yaml.safe_load(path.read_text())
    plan = ctx.content.plan("full-diagnostic")
    # Questions no show_if refers to or depends on, so removing one leaves a valid questionnaire.
    # Nor one a rubric's trigger reads, so the older content still loads.
    rubrics = " ".join(p.read_text() for p in (folder / "rubrics").glob("*.yaml"))
    plain = [
        q
        for s in data["sections"]
        for q in s["questions"]
        if q["id"] not in plan.controlling and not q.get("show_if") and q["id"] not in rubrics
    ]
    new, changed, kept = plain[0], plain[1], plain[2]
    data["version"] = OLD_VERSION
    for section in data["sections"]:
        if new in section["questions"]:
            section["questions"].remove(new)
    removed = {**changed, "id": changed["id"] + "_before", "text": "Did you once keep a register of customer letters?"}
    today = dict(changed)
    changed["text"] = changed["text"] + " (older wording)"
    for section in data["sections"]:
        if changed in section["questions"]:
            section["questions"].append(removed)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return Older(folder, new, today, removed, kept)


@pytest.fixture
def older(client, ctx, settings, tmp_path):
    """A draft started and partly answered under the older content; today's app has the project's content."""
    content = _older_content(settings, tmp_path, ctx)
    with admin_client(create_app(replace(settings, content_dir=content.folder)), "before@tribewise.test") as before:
        org = make_org(before)
        draft = make_assessment(before, org)
        for q in (content.changed, content.removed, content.kept):
            assert answer(before, draft, q["id"], q["options"][-1]["value"]).status_code == 201
        assert before.get(f"/api/v1/assessments/{draft}").json()["content_change"] is None
    return content, org, draft


def test_the_api_says_which_questions_are_new_changed_and_removed_by_their_text(client, older):
    content, _, draft = older
    body = client.get(f"/api/v1/assessments/{draft}").json()
    change = body["content_change"]
    assert (
        change["message"]
        == "Content changed since you started: 1 question new, 1 changed, 1 removed (1 of them answered)"
    )
    assert [r["text"] for r in change["new"]] == [content.new["text"]]
    assert [r["text"] for r in change["changed"]] == [content.changed["text"]]  # today's wording
    assert [r["text"] for r in change["removed"]] == [content.removed["text"]]  # the wording it had
    assert (change["started_version"], body["questionnaire_version"]) == (OLD_VERSION, OLD_VERSION)
    assert change["current_version"] != OLD_VERSION and change["counted"] is True
    assert client.get(f"/api/v1/assessments/{draft}/result").json()["content_changed"] is True


def test_a_changed_draft_cannot_be_submitted_until_the_change_is_acknowledged_and_that_relabels_it(client, older):
    content, org, draft = older
    refused = client.post(f"/api/v1/assessments/{draft}/submit")
    assert refused.status_code == 409 and "Content changed since you started" in refused.json()["detail"]
    stale = client.post(f"/api/v1/assessments/{draft}/acknowledge-content", json={"content_hash": "0" * 64})
    assert stale.status_code == 409 and stale.json()["extra"]["field"] == "content_hash"
    current = client.get(f"/api/v1/assessments/{draft}").json()["content_change"]
    done = client.post(
        f"/api/v1/assessments/{draft}/acknowledge-content", json={"content_hash": current["current_content_hash"]}
    )
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["content_change"] is None and body["questionnaire_version"] == current["current_version"]
    assert body["content_acknowledged_by"] == "admin@tribewise.test" and body["content_acknowledged_at"]
    # The answer to the removed question is kept, never lost; it just no longer counts.
    kept = {a["question_id"] for a in client.get(f"/api/v1/assessments/{draft}/answers").json()}
    assert content.removed["id"] in kept
    acknowledged = [
        e
        for e in client.get(f"/api/v1/organisations/{org}/audit").json()
        if e["action"] == "assessment.content_acknowledge"
    ]
    assert len(acknowledged) == 1 and acknowledged[0]["before"]["questionnaire_version"] == OLD_VERSION
    assert client.post(f"/api/v1/assessments/{draft}/submit").status_code == 200


def test_the_questionnaire_and_results_pages_list_the_changes_and_the_button_relabels_the_draft(
    app, client, ctx, older
):
    content, org, draft = older
    make_user(ctx, MEMBER)
    join(client, org, MEMBER, "member")
    with browser(app, MEMBER) as web:
        page = web.get(f"/assessments/{draft}/answer/1")
        text = words(page.text)
        assert "Content changed since you started: 1 question new, 1 changed, 1 removed (1 of them answered)" in text
        assert f"New questions {content.new['text']}" in text
        assert content.changed["text"] in text and content.removed["text"] in text
        assert "kept with the draft but no longer count" in text and f"still labelled version {OLD_VERSION}" in text
        assert "new since you started" in text  # the new question is marked where it is asked
        assert "content changed since started" in words(web.get(f"/organisations/{org}").text)
        results = words(web.get(f"/assessments/{draft}/results").text)
        assert "Content changed since you started: 1 question new" in results and content.new["text"] in results
        token = csrf_of(page.text)
        confirm = web.post(
            f"/assessments/{draft}/acknowledge-content", data={"_csrf_token": token, "content_hash": "f" * 64}
        )
        assert confirm.status_code == 409 and "changed again" in words(confirm.text)
        hash_now = client.get(f"/api/v1/assessments/{draft}").json()["content_change"]["current_content_hash"]
        confirmed = web.post(
            f"/assessments/{draft}/acknowledge-content", data={"_csrf_token": token, "content_hash": hash_now}
        )
        assert confirmed.status_code == 200 and "This draft now follows version" in words(confirmed.text)
        assert "Content changed since you started" not in words(confirmed.text)
    assert client.get(f"/api/v1/assessments/{draft}").json()["content_change"] is None


def test_a_draft_started_before_questions_were_kept_says_only_the_versions(client, ctx, older):
    _, _, draft = older
    with ctx.db.write() as session:
        session.execute(text("UPDATE assessment SET started_questions = NULL WHERE id = :i"), {"i": draft})
    change = client.get(f"/api/v1/assessments/{draft}").json()["content_change"]
    assert (
        change["message"] == f"Content changed since you started (version {OLD_VERSION} → {change['current_version']})"
    )
    assert (change["counted"], change["new"], change["changed"], change["removed"]) == (False, [], [], [])


def test_a_submitted_assessment_keeps_its_content_and_shows_no_draft_notice(client, older):
    _, _, draft = older
    hash_now = client.get(f"/api/v1/assessments/{draft}").json()["content_change"]["current_content_hash"]
    client.post(f"/api/v1/assessments/{draft}/acknowledge-content", json={"content_hash": hash_now})
    assert client.post(f"/api/v1/assessments/{draft}/submit").status_code == 200
    body = client.get(f"/api/v1/assessments/{draft}").json()
    assert body["content_change"] is None and body["status"] == "submitted"
    late = client.post(f"/api/v1/assessments/{draft}/acknowledge-content", json={})
    assert late.status_code == 409


def test_an_exported_draft_keeps_its_started_questions_and_its_removed_answers_through_import(
    client, settings, template_database, tmp_path, older
):
    content, org, draft = older
    exported = client.get(f"/api/v1/organisations/{org}/export.json").json()
    before = client.get(f"/api/v1/assessments/{draft}").json()["content_change"]
    with (
        fresh_database(template_database, tmp_path / "empty") as url,
        TestClient(app=create_app(replace(settings, database_url=url)), base_url=BASE) as other,
    ):
        other.headers.update(bearer_for(other.app.state.ctx, "admin@elsewhere.test", "admin"))
        created = other.post("/api/v1/organisations/import", json=exported)
        assert created.status_code == 201, created.text
        [copy] = other.get(f"/api/v1/organisations/{created.json()['id']}/assessments").json()
        assert copy["content_change"] == before
        assert content.removed["id"] in {
            a["question_id"] for a in other.get(f"/api/v1/assessments/{copy['id']}/answers").json()
        }


def test_the_report_of_a_changed_draft_says_so_on_its_cover(client, tmp_path, older):
    _, _, draft = older
    change = client.get(f"/api/v1/assessments/{draft}").json()["content_change"]
    pdf = Pdf(client.get(f"/api/v1/assessments/{draft}/report.pdf").content, tmp_path)
    assert pdf.has(change["message"]) and pdf.has(f"Scored with today's version {change['current_version']}")
