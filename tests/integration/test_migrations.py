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
