"""Reading a roadmap never writes: the write paths keep a draft's stored steps in line with its plan."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager

from sqlalchemy import create_engine, text

from backend.services.assessments.results import live_plan, score_rows
from backend.services.organisations.sizes import assessed_organisation_is_small
from backend.storage.queries.answers import answers_of
from backend.storage.tables import Assessment
from tests.integration.api import answer, answer_persona, make_assessment, make_org
from tests.integration.conftest import SERVER_URL
from tests.integration.web import browser, csrf_of, make_user

MEMBER = "planner@firm.test"


@contextmanager
def writes_blocked(database_url: str):
    """Hold a lock that stops every writer but lets readers through, until the block ends."""
    if SERVER_URL:
        engine = create_engine(database_url)
        with engine.connect() as conn, conn.begin():
            tables = (
                conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))
                .scalars()
                .all()
            )
            # SHARE conflicts with the ROW EXCLUSIVE lock every INSERT, UPDATE and DELETE takes; plain SELECTs pass.
            conn.execute(text("LOCK TABLE " + ", ".join(f'"{t}"' for t in tables) + " IN SHARE MODE"))
            yield
        engine.dispose()
    else:
        conn = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")  # SQLite's one write lock; WAL readers go on
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()


def answered_within(seconds: float, get, path: str) -> int:
    """The status of a GET that must not wait for the write lock."""
    done: list[int] = []
    worker = threading.Thread(target=lambda: done.append(get(path).status_code), daemon=True)
    worker.start()
    worker.join(seconds)
    assert done, f"GET {path} waited for the write lock: it tried to write"
    return done[0]


def planned_ids(ctx, assessment_id: int) -> set[str]:
    """The steps the draft's answers plan today, scored here from the stored answers."""
    with ctx.db.read() as session:
        assessment = session.get(Assessment, assessment_id)
        result = score_rows(ctx.content, assessment.questionnaire_id, answers_of(session, assessment_id))
        steps = live_plan(ctx.content, result, assessed_organisation_is_small(session, assessment))
    return {s["recommendation_id"] for s in steps["items"]}


def shown_ids(client, assessment_id: int) -> set[str]:
    items = client.get(f"/api/v1/assessments/{assessment_id}/roadmap").json()["items"]
    return {i["recommendation_id"] for i in items if i["triggered"]}


def test_the_roadmap_page_and_api_answer_while_another_process_holds_the_write_lock(app, client, ctx, settings):
    make_user(ctx, MEMBER)
    org = make_org(client, "Read-only Roadmaps")
    assert (
        client.post(f"/api/v1/organisations/{org}/members", json={"email": MEMBER, "role": "member"}).status_code == 201
    )
    draft = make_assessment(client, org, "2026-Q1")
    answer_persona(client, ctx, draft, "anonymous")
    with browser(app, MEMBER) as web:
        web.get(f"/assessments/{draft}/roadmap")  # signed in and its session stored before the lock
        with writes_blocked(settings.database_url):
            assert answered_within(5, web.get, f"/assessments/{draft}/roadmap") == 200
            assert answered_within(5, client.get, f"/api/v1/assessments/{draft}/roadmap") == 200
    assert shown_ids(client, draft) == planned_ids(ctx, draft)


def test_every_write_path_leaves_the_stored_roadmap_matching_the_plan(app, client, ctx):
    make_user(ctx, MEMBER)
    org = make_org(client, "Write Paths")
    assert (
        client.post(f"/api/v1/organisations/{org}/members", json={"email": MEMBER, "role": "consultant"}).status_code
        == 201
    )
    first = make_assessment(client, org, "2026-Q1")
    answer_persona(client, ctx, first, "anonymous")  # answer saves over the API
    assert shown_ids(client, first) == planned_ids(ctx, first) != set()
    with browser(app, MEMBER) as web:
        # An answer saved through the questionnaire page's form.
        token = csrf_of(web.get(f"/assessments/{first}/answer/1").text)
        current = client.get(f"/api/v1/assessments/{first}/answers").json()
        version = next(a["version"] for a in current if a["question_id"] == "fd.listening.coverage")
        form = {"_csrf_token": token, "value": "everywhere", "expected_version": str(version)}
        assert (
            web.post(
                f"/assessments/{first}/answers/fd.listening.coverage", data=form, follow_redirects=False
            ).status_code
            == 303
        )
    assert shown_ids(client, first) == planned_ids(ctx, first)
    assert client.post(f"/api/v1/assessments/{first}/submit").status_code == 200  # submission
    assert shown_ids(client, first) == planned_ids(ctx, first)
    second = make_assessment(client, org, "2026-Q2", baseline_assessment_id=first)  # a baseline's answers, copied
    assert shown_ids(client, second) == planned_ids(ctx, second) != set()
    answer(client, second, "fd.listening.coverage", "nothing")
    assert shown_ids(client, second) == planned_ids(ctx, second)
    exported = client.get(f"/api/v1/organisations/{org}/export.json").json()
    imported = client.post("/api/v1/organisations/import", json=exported)  # an import
    assert imported.status_code == 201, imported.text
    copy = next(
        a
        for a in client.get(f"/api/v1/organisations/{imported.json()['id']}/assessments").json()
        if a["status"] == "draft"
    )
    assert shown_ids(client, copy["id"]) == planned_ids(ctx, copy["id"]) != set()
