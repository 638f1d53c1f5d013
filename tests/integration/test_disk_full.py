"""A full disk: saves are refused with a 503 that says so, nothing saved before is lost, /healthz tells,
and everything works again once there is room. The disk is a real one of a few MB (tests/disk.py)."""

from __future__ import annotations

import os
import pwd
import re
import secrets
import tempfile
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from backend.labels import sentence
from backend.settings import read_settings
from backend.web.app import create_app
from tests.disk import small_disk
from tests.integration.api import answer, make_assessment, make_org
from tests.integration.conftest import SERVER_URL, _admin_engine, admin_client, fresh_database
from tests.integration.web import browser, csrf_of, make_user, sign_in

FULL = "the server cannot store data: disk full"


@contextmanager
def database_on(disk, template):
    """A copy of the migrated template stored on the small disk (PostgreSQL: in a tablespace there)."""
    if not SERVER_URL:
        with fresh_database(template, disk.path) as url:
            yield url
        return
    owner = pwd.getpwnam(
        make_url(SERVER_URL).username
    )  # the server runs as its superuser's namesake (.ci/with-postgres.sh)
    location = disk.path / "pg"
    location.mkdir()
    os.chown(location, owner.pw_uid, owner.pw_gid)
    tablespace = f"tw_full_{os.getpid()}_{secrets.token_hex(4)}"
    with _admin_engine().connect() as conn:
        conn.execute(text(f"CREATE TABLESPACE \"{tablespace}\" LOCATION '{location}'"))
    try:
        with fresh_database(template, disk.path, tablespace) as url:
            yield url
    finally:
        with _admin_engine().connect() as conn:
            conn.execute(text(f'DROP TABLESPACE IF EXISTS "{tablespace}"'))


@pytest.fixture
def full_disk(template_database):
    """(app, disk): the real app whose database is on a small disk, not yet full."""
    # Not under pytest's own folders, which only root may enter: the PostgreSQL server must reach it.
    path = Path(tempfile.mkdtemp(prefix="tribewise-disk-"))
    path.chmod(0o755)
    try:
        with small_disk(path, megabytes=32 if SERVER_URL else 8) as disk, database_on(disk, template_database) as url:
            settings = replace(read_settings(), data_dir=path, database_url=url, migrate_on_start=False)
            yield create_app(settings), disk
    finally:
        path.rmdir()


def questions(client) -> list[tuple[str, str]]:
    """Every question of the full diagnostic with its first option."""
    sections = client.get("/api/v1/questionnaires/full-diagnostic").json()["sections"]
    return [(q["id"], q["options"][0]["value"]) for s in sections for q in s["questions"]]


def test_a_save_on_a_full_disk_is_a_503_that_says_so_and_loses_nothing_saved(full_disk):
    app, disk = full_disk
    with admin_client(app) as client:
        assessment = make_assessment(client, make_org(client))
        asked = questions(client)
        saved = {}
        for question_id, value in asked[:3]:
            assert answer(client, assessment, question_id, value, note="before").status_code in (200, 201)
            saved[question_id] = value
        assert client.get("/healthz").status_code == 200
        disk.fill()
        refused = None
        for question_id, value in asked[3:]:  # pages with room left take a few saves; then the disk tells
            # Random text, which the database cannot compress into the room it has.
            response = answer(client, assessment, question_id, value, note=secrets.token_hex(2500))
            if response.status_code == 503:
                refused = question_id, value, response
                break
            assert response.status_code in (200, 201), response.text
            saved[question_id] = value
        assert refused, "the disk never filled"
        question_id, value, response = refused
        assert response.json()["detail"].startswith(FULL), response.text
        assert response.json()["extra"] == {"retry_after": 30} and response.headers["retry-after"] == "30"
        health = client.get("/healthz")
        assert health.status_code == 503 and health.json()["detail"].startswith(FULL), health.text
        stored = {a["question_id"]: a["value"] for a in client.get(f"/api/v1/assessments/{assessment}/answers").json()}
        assert stored == saved  # every save that was answered 200 is there; the refused one is not
        disk.free()
        again = answer(client, assessment, question_id, value)
        assert again.status_code in (200, 201), again.text
        assert client.get("/healthz").status_code == 200


def test_the_questionnaire_says_a_full_disk_kept_the_answer_unsaved_and_offers_retry(full_disk):
    app, disk = full_disk
    with admin_client(app) as client:
        assessment = make_assessment(client, make_org(client))
        asked = questions(client)
    with browser(app) as web:
        make_user(app.state.ctx, "ceo@acme.test", role="admin")
        assert sign_in(web, "ceo@acme.test").status_code == 303
        token = csrf_of(web.get(f"/assessments/{assessment}/answer/1").text)
        disk.fill()
        for question_id, value in asked:
            note = secrets.token_hex(2500)
            form = {"value": value, "note": note, "expected_version": "0", "_csrf_token": token}
            response = web.post(
                f"/assessments/{assessment}/answers/{question_id}", data=form, headers={"HX-Request": "true"}
            )
            if response.status_code != 200:
                break
        assert response.status_code == 503, response.text[:500]
        html = response.text
        assert f'<p class="q-message" id="q-{question_id.replace(".", "-")}-message">{sentence(FULL)}' in html
        assert 'data-state="unavailable"' in html and note in html and f'value="{value}" checked' in html
        assert re.search(r'<button type="button" class="retry" [^>]*data-retry>Retry', html), "Retry is hidden"
        disk.free()
        retried = web.post(
            f"/assessments/{assessment}/answers/{question_id}", data=form, headers={"HX-Request": "true"}
        )
        assert retried.status_code == 200 and ">Saved<" in retried.text
