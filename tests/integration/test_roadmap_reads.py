"""Reading a roadmap never writes and an answer save never touches it: a draft's steps are placed as it is read,
each with a stored item that keeps what people track."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import replace

from sqlalchemy import create_engine, delete, text

from backend.services.assessments.results import live_plan, score_rows
from backend.services.organisations.sizes import assessed_organisation_is_small
from backend.storage.queries.answers import answers_of
from backend.storage.queries.roadmaps import roadmap_rows
from backend.storage.tables import Assessment, RoadmapItem
from backend.web.app import create_app
from tests.integration.api import answer, answer_persona, make_assessment, make_org
from tests.integration.conftest import SERVER_URL, admin_client
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


def item_count(ctx, assessment_id: int) -> int:
    with ctx.db.read() as session:
        return len(roadmap_rows(session, assessment_id))


def test_an_answer_save_leaves_the_roadmap_items_alone_and_the_next_read_places_the_new_plan(client, ctx):
    org = make_org(client, "Saves Stay Small")
    draft = make_assessment(client, org, "2026-Q1")
    items = item_count(ctx, draft)
    assert items == len(ctx.content.recommendations) + 1  # every step a plan may place, unanswered sections too
    before = shown_ids(client, draft)
    answer_persona(client, ctx, draft, "anonymous")
    assert item_count(ctx, draft) == items
    assert shown_ids(client, draft) == planned_ids(ctx, draft) != before


def test_a_step_the_answers_newly_plan_can_be_tracked_at_once(client, ctx):
    org = make_org(client, "Tracked At Once")
    draft = make_assessment(client, org, "2026-Q1")
    answer_persona(client, ctx, draft, "anonymous")
    step = next(i for i in client.get(f"/api/v1/assessments/{draft}/roadmap").json()["items"] if i["triggered"])
    changed = client.patch(
        f"/api/v1/assessments/{draft}/roadmap/{step['id']}", json={"status": "in_progress", "owner": "Dana"}
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["status"], changed.json()["owner"]) == ("in_progress", "Dana")


def test_start_up_gives_a_draft_an_item_for_each_step_it_lacks(client, ctx, settings):
    # A database written before a rubric gained a recommendation: its drafts have no item for it.
    org = make_org(client, "Older Database")
    draft = make_assessment(client, org, "2026-Q1")
    answer_persona(client, ctx, draft, "anonymous")
    planned = planned_ids(ctx, draft)
    with ctx.db.write() as session:
        session.exec(delete(RoadmapItem).where(RoadmapItem.assessment_id == draft))
    assert shown_ids(client, draft) == set()  # no item, no id to track it by: nothing shown until start-up
    with admin_client(create_app(replace(settings, migrate_on_start=True)), "admin2@tribewise.test") as restarted:
        assert shown_ids(restarted, draft) == planned
    assert item_count(ctx, draft) == len(ctx.content.recommendations) + 1


def test_submission_keeps_only_the_steps_planned_or_tracked(client, ctx):
    org = make_org(client, "Frozen Steps")
    draft = make_assessment(client, org, "2026-Q1")
    answer_persona(client, ctx, draft, "anonymous")
    planned = planned_ids(ctx, draft)
    with ctx.db.read() as session:
        other = next(r for r in roadmap_rows(session, draft) if r.recommendation_id not in planned)
    tracked = client.patch(f"/api/v1/assessments/{draft}/roadmap/{other.id}", json={"owner": "Sam"})
    assert tracked.status_code == 200, tracked.text
    assert client.post(f"/api/v1/assessments/{draft}/submit").status_code == 200
    with ctx.db.read() as session:
        kept = {r.recommendation_id: r for r in roadmap_rows(session, draft)}
    assert set(kept) == planned | {other.recommendation_id}
    assert all(r.triggered and r.horizon for key, r in kept.items() if key in planned)
    assert (kept[other.recommendation_id].triggered, kept[other.recommendation_id].owner) == (False, "Sam")


def test_a_result_read_again_shows_a_changed_note(client, ctx):
    # Scorings are kept between reads: one must never be served for answers that have since changed.
    org = make_org(client, "Fresh Reads")
    draft = make_assessment(client, org, "2026-Q1")
    answer(client, draft, "fd.listening.coverage", "everywhere", note="first note")

    def said() -> tuple[str, float]:  # the note and the criterion's share of evidenced answers
        result = client.get(f"/api/v1/assessments/{draft}/result").json()["result"]
        criterion = next(
            c for c in result["criteria"] if any(a["question_id"] == "fd.listening.coverage" for a in c["answers"])
        )
        note = next(a["note"] for a in criterion["answers"] if a["question_id"] == "fd.listening.coverage")
        return note, criterion["evidence"]

    assert said()[0] == "first note"
    answer(client, draft, "fd.listening.coverage", "everywhere", note="second note")
    assert said()[0] == "second note"
