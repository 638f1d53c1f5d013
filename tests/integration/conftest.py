"""A real database per test (SQLite file, or PostgreSQL when TRIBEWISE_TEST_DATABASE_URL is set) and the real app."""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
from contextlib import closing, contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from backend.services.accounts import tokens, users
from backend.settings import Settings, read_settings
from backend.storage.db import Database
from backend.web.app import context_for, create_app

SERVER_URL = os.environ.get("TRIBEWISE_TEST_DATABASE_URL", "")
_numbers = itertools.count()


def _admin_engine():
    return create_engine(make_url(SERVER_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def template_database(tmp_path_factory):
    """A database migrated to head once; each test gets a copy of it (PostgreSQL: this worker's copy, emptied)."""
    if SERVER_URL:
        name = f"tw_template_{os.getpid()}"
        with _admin_engine().connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
        db = Database(url)
        db.upgrade()
        db.dispose()
        yield name
        kept = [make_url(_emptied.pop(name)[0]).database] if name in _emptied else []
        with _admin_engine().connect() as conn:
            for database in (*kept, name):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    else:
        path = tmp_path_factory.mktemp("template") / "template.db"
        db = Database(f"sqlite:///{path}")
        db.upgrade()
        db.dispose()
        yield path


@contextmanager
def fresh_database(template, folder: Path, tablespace: str = ""):
    """A new database copied from the migrated template (PostgreSQL: in `tablespace` if given); removed afterwards (PostgreSQL)."""
    if SERVER_URL:
        name = f"tw_test_{os.getpid()}_{next(_numbers)}"
        with _admin_engine().connect() as conn:
            conn.execute(
                text(
                    f'CREATE DATABASE "{name}" TEMPLATE "{template}"'
                    + (f' TABLESPACE "{tablespace}"' if tablespace else "")
                )
            )
        try:
            yield make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
        finally:
            with _admin_engine().connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    else:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "tribewise.db"
        shutil.copy(template, path)
        yield f"sqlite:///{path}"


def source_of(url: str):
    """What fresh_database copies from, for a database it made: its file (SQLite) or its name (PostgreSQL)."""
    database = make_url(url).database
    return database if SERVER_URL else Path(database)


def restore_database(source, url: str, db: Database) -> None:
    """Put the database at `url` back to a copy of `source` (as for fresh_database), under the same
    name, so an app that stays up (with `db` its engine) sees the copy."""
    db.dispose()
    if SERVER_URL:
        name = make_url(url).database
        with _admin_engine().connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
    else:
        # SQLite's online backup: safe even if a connection were open, and it leaves no stale log behind.
        with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(make_url(url).database)) as target:
            original.backup(target)


_emptied: dict[str, tuple[str, str]] = {}  # template -> this worker's database and the template's schema


def emptied_database(template: str) -> str:
    """PostgreSQL: this worker's own database, back in the template's state (migrated, no rows, ids from 1). Emptying
    it costs ~15 ms where copying the template costs ~125 ms; it is copied again if a test changed its schema (a migration
    test, a table dropped to cause a fault)."""
    if template not in _emptied:
        name = f"tw_worker_{os.getpid()}"
        with _admin_engine().connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        url = make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
        _emptied[template] = (url, _schema(url))
        return url
    url, schema = _emptied[template]
    name = make_url(url).database
    with _admin_engine().connect() as conn:  # the last test's connections, from apps or servers it left open
        conn.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"), {"name": name}
        )
    if _schema(url) != schema:
        with _admin_engine().connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        return url
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        tables = (
            conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")
            )
            .scalars()
            .all()
        )
        sequences = (
            conn.execute(text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")).scalars().all()
        )
        conn.execute(text("SET LOCAL session_replication_role = replica"))  # no foreign-key order to respect
        conn.execute(
            text(
                ";".join(
                    [*(f'DELETE FROM "{t}"' for t in tables), *(f'ALTER SEQUENCE "{q}" RESTART' for q in sequences)]
                )
            )
        )
    engine.dispose()
    return url


_SCHEMA = text(
    """SELECT md5(string_agg(part, ',' ORDER BY part)) FROM (
        SELECT concat_ws(':', table_name, column_name, data_type, is_nullable, column_default) AS part
          FROM information_schema.columns WHERE table_schema = 'public'
        UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
        UNION ALL SELECT conname || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace
        UNION ALL SELECT version_num FROM alembic_version) AS parts"""
)


def _schema(url: str) -> str:
    """A fingerprint of the database's tables, columns, indexes, constraints and migration ("" if unreadable)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(_SCHEMA).scalar() or ""
    except SQLAlchemyError:
        return ""
    finally:
        engine.dispose()


@pytest.fixture
def database_url(template_database, tmp_path):
    """A migrated database with no rows for one test: a fresh copy of the template (SQLite), or this worker's
    PostgreSQL database emptied."""
    if SERVER_URL:
        yield emptied_database(template_database)
        return
    with fresh_database(template_database, tmp_path) as url:
        yield url


@pytest.fixture
def settings(database_url, tmp_path):
    """Settings for a test app: its own data folder and database."""
    return replace(read_settings(), data_dir=tmp_path, database_url=database_url, migrate_on_start=False)


_built: dict[Settings, Litestar] = {}


@pytest.fixture
def app(settings):
    """The real app on this test's own database. Its routes, templates and schema depend on neither the database
    nor the data folder and take ~90 ms to build, so a worker builds one per set of other settings and gives each
    test a fresh context (the app reaches it through app.state.ctx only)."""
    shape = replace(settings, data_dir=Path(), database_url="")
    built = _built.get(shape)
    if built is None:
        built = _built[shape] = create_app(settings)
    else:
        built.state.ctx = context_for(settings)
    return built


BASE = "https://testserver.local"  # https, so the secure session cookie comes back as in a browser


def bearer_for(ctx, email: str, role: str = "member", password: str = "") -> dict[str, str]:
    """Create a user with a token; the Authorization header that acts as them."""
    user = users.create_user(ctx, users.UserCreate(email=email, role=role, password=password))
    return {"Authorization": f"Bearer {tokens.issue_token(ctx, user.id, 'tests').token}"}


@pytest.fixture
def anonymous(app):
    """A client speaking HTTP to the real app and database, signed in as nobody."""
    with TestClient(app=app, base_url=BASE) as test_client:
        yield test_client


@contextmanager
def admin_client(app, email: str = "admin@tribewise.test"):
    """A client acting as a new admin through a bearer token, as API scripts do."""
    with TestClient(app=app, base_url=BASE) as test_client:
        test_client.headers.update(bearer_for(app.state.ctx, email, "admin"))
        yield test_client


@pytest.fixture
def client(app):
    """A client acting as an admin through a bearer token."""
    with admin_client(app) as test_client:
        yield test_client


@pytest.fixture
def ctx(app):
    """The services context of the app under test."""
    return app.state.ctx


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, skip the tests marked sqlite_only: their subject does not depend on the engine, so
    the SQLite phase has run them already."""
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is None:
            continue
        reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
        if not reason:
            raise pytest.UsageError(f"{item.nodeid}: sqlite_only needs a reason (why the engine does not matter)")
        if SERVER_URL:
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


def pytest_report_header(config):
    return f"database: {'PostgreSQL ' + make_url(SERVER_URL).render_as_string() if SERVER_URL else 'SQLite (a file per test)'}"


DATA = Path(__file__).resolve().parents[1] / "data"
