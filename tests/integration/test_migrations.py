"""Migrations upgrade an empty database to head and downgrade it back."""

from sqlalchemy import inspect

from backend.storage.db import Database

TABLES = {"organisation", "assessment", "participant", "answer", "answer_change", "result_snapshot", "roadmap_item"}


def test_upgrade_from_empty_to_head_and_back(database_url):
    db = Database(database_url)
    try:
        db.downgrade("base")  # the fixture database starts migrated: take it back to empty first
        assert not TABLES & set(inspect(db.engine).get_table_names())
        db.upgrade("head")
        assert TABLES <= set(inspect(db.engine).get_table_names())
        db.downgrade("base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    finally:
        db.dispose()


def test_the_migrated_schema_matches_the_models(database_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from backend.storage.tables import metadata

    db = Database(database_url)
    try:
        with db.engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), metadata)
        assert differences == []
    finally:
        db.dispose()


def _at_0003(database_url) -> Database:
    db = Database(database_url)
    db.downgrade("0003")
    return db


def _insert(conn, table: str, **values) -> int:
    from sqlalchemy import text

    columns = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    return conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id"), values).scalar_one()


def _assessment(conn, org: int, status: str = "draft") -> int:
    return _insert(
        conn,
        "assessment",
        organisation_id=org,
        period="2026-Q1",
        questionnaire_id="full-diagnostic",
        questionnaire_version="1",
        content_hash="x",
        status=status,
        kind="self_assessment",
        created_at=NOW,
    )


NOW = "2026-01-01 00:00:00"


def test_one_assessment_per_period_drops_only_duplicates_that_hold_nothing_and_keeps_history_known(database_url):
    from sqlalchemy import text

    db = _at_0003(database_url)
    try:
        with db.engine.begin() as conn:
            org = _insert(conn, "organisation", name="Dup", sector="", size="", created_at=NOW)
            submitted = _assessment(conn, org, "submitted")
            empty = _assessment(conn, org)
            answered = _insert(
                conn,
                "answer",
                assessment_id=submitted,
                question_id="q1",
                value="v",
                reason="",
                note="",
                evidence="http://e",
                answered_by="ann@example.com",
                answered_at=NOW,
                version=2,
            )
            assert answered
            for version in (1, 2):
                _insert(
                    conn,
                    "answer_change",
                    assessment_id=submitted,
                    question_id="q1",
                    new_value="v",
                    new_note="",
                    changed_by="ann@example.com",
                    changed_at=NOW,
                    version=version,
                )
        db.upgrade("head")
        with db.engine.connect() as conn:
            ids = conn.execute(text("SELECT id FROM assessment WHERE organisation_id = :o"), {"o": org}).scalars().all()
            history = conn.execute(
                text("SELECT version, new_evidence, new_answered_by FROM answer_change ORDER BY version")
            ).all()
        assert ids == [submitted] and empty not in ids
        # The newest change is what the answer holds now; the older one was never recorded.
        assert [tuple(row) for row in history] == [(1, "", ""), (2, "http://e", "ann@example.com")]
    finally:
        db.dispose()


def test_duplicates_that_hold_plans_or_answers_stop_the_upgrade_with_the_ids_to_resolve(database_url):
    import pytest
    from sqlalchemy import text

    db = _at_0003(database_url)
    try:
        with db.engine.begin() as conn:
            org = _insert(conn, "organisation", name="Dup", sector="", size="", created_at=NOW)
            planned = _assessment(conn, org)
            _insert(
                conn,
                "roadmap_item",
                assessment_id=planned,
                recommendation_id="r1",
                horizon="now",
                position=0,
                triggered=True,
                status="planned",
                owner="",
                due_period="",
                updated_at=NOW,
                version=1,
            )
            answered = _assessment(conn, org)
            _insert(
                conn,
                "answer",
                assessment_id=answered,
                question_id="q1",
                value="v",
                reason="",
                note="",
                evidence="",
                answered_by="",
                answered_at=NOW,
                version=1,
            )
        with pytest.raises(RuntimeError, match=rf"ids {planned}, {answered}"):
            db.upgrade("head")
        with db.engine.connect() as conn:
            kept = conn.execute(
                text("SELECT COUNT(*) FROM roadmap_item WHERE assessment_id = :a"), {"a": planned}
            ).scalar_one()
        assert kept == 1
    finally:
        db.dispose()


def test_drafts_from_before_0005_keep_their_answers_and_have_no_started_questions_to_guess_from(database_url):
    from sqlalchemy import text

    db = Database(database_url)
    try:
        db.downgrade("0004")
        with db.engine.begin() as conn:
            org = _insert(conn, "organisation", name="Old draft", sector="", size="", created_at=NOW)
            draft = _assessment(conn, org)
            _insert(
                conn,
                "answer",
                assessment_id=draft,
                question_id="q1",
                value="v",
                reason="",
                note="",
                evidence="",
                answered_by="",
                answered_at=NOW,
                version=1,
            )
        db.upgrade("head")
        with db.engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT started_questions, content_acknowledged_at, content_acknowledged_by, questionnaire_version "
                    "FROM assessment WHERE id = :a"
                ),
                {"a": draft},
            ).one()
            answers = conn.execute(
                text("SELECT COUNT(*) FROM answer WHERE assessment_id = :a"), {"a": draft}
            ).scalar_one()
        assert tuple(row) == (None, None, "", "1") and answers == 1
        db.downgrade("0004")
        columns = {c["name"] for c in inspect(db.engine).get_columns("assessment")}
        assert "started_questions" not in columns and "content_acknowledged_by" not in columns
    finally:
        db.dispose()


def test_snapshots_from_before_0006_get_their_summaries_from_their_frozen_result(database_url):
    import json

    from sqlalchemy import text

    frozen = {
        "models": [
            {
                "model": "socialfication",
                "kind": "ladder",
                "level": 2,
                "level_name": "Listening",
                "progress": 2.4,
                "provisional": False,
                "steps": [{"number": 1}],
                "criteria": ["a", "b"],
            },
            {
                "model": "solis",
                "kind": "stages",
                "level": None,
                "level_name": None,
                "progress": None,
                "provisional": True,
                "steps": [],
            },
        ],
        "criteria": [{"id": "a", "score": 0.75, "answers": []}, {"id": "b", "score": None}],
        "confidence": {"label": "medium", "value": 0.6},
    }
    db = Database(database_url)
    try:
        db.downgrade("0005")
        with db.engine.begin() as conn:
            org = _insert(conn, "organisation", name="Old snapshot", sector="", size="", created_at=NOW)
            submitted = _assessment(conn, org, "submitted")
            _insert(
                conn,
                "result_snapshot",
                assessment_id=submitted,
                content_hash="x",
                result=json.dumps(frozen),
                roadmap=json.dumps({"items": [], "deferred": []}),
                created_at=NOW,
            )
        db.upgrade("head")
        with db.engine.connect() as conn:
            stored = conn.execute(
                text("SELECT models, scores FROM result_snapshot WHERE assessment_id = :a"), {"a": submitted}
            ).one()
        models, scores = (json.loads(part) if isinstance(part, str) else part for part in stored)
        assert models == [
            {
                "model": "socialfication",
                "kind": "ladder",
                "level": 2,
                "level_name": "Listening",
                "progress": 2.4,
                "provisional": False,
            },
            {
                "model": "solis",
                "kind": "stages",
                "level": None,
                "level_name": None,
                "progress": None,
                "provisional": True,
            },
        ]
        assert scores == {"confidence": "medium", "criteria": {"a": 0.75, "b": None}}
        db.downgrade("0005")
        assert "models" not in {c["name"] for c in inspect(db.engine).get_columns("result_snapshot")}
    finally:
        db.dispose()
