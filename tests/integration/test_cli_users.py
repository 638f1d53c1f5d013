"""`tribewise users`: the first admin from the command line, passwords from standard input."""

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from backend.web.app import create_app
from tests.integration.web import browser, page_token

EXE = Path(sys.executable).parent / "tribewise"


def run(database_url, data_dir, *args, stdin=""):
    env = {**os.environ, "TRIBEWISE_DATABASE_URL": database_url, "TRIBEWISE_DATA_DIR": str(data_dir)}
    return subprocess.run([str(EXE), "users", *args], input=stdin, capture_output=True, text=True, env=env)


def test_the_first_admin_is_created_with_a_password_from_standard_input(database_url, tmp_path, app):
    done = run(
        database_url,
        tmp_path,
        "create",
        "--email",
        "Boss@Firm.test",
        "--role",
        "admin",
        stdin="a long admin password\n",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "created admin boss@firm.test"
    with browser(app, "boss@firm.test", "a long admin password") as web:
        assert web.get("/api/v1/auth/me").json()["role"] == "admin"


def test_bad_input_says_what_to_fix_and_creates_nothing(database_url, tmp_path, client):
    short = run(database_url, tmp_path, "create", "--email", "boss@firm.test", stdin="short\n")
    assert short.returncode == 1 and "at least 10" in short.stderr
    wrong = run(database_url, tmp_path, "create", "--email", "not-an-email", stdin="a long admin password\n")
    assert wrong.returncode == 1 and "is not an email address" in wrong.stderr
    assert [u["email"] for u in client.get("/api/v1/users").json()] == ["admin@tribewise.test"]


def test_an_invited_user_gets_a_link_and_a_forgotten_password_can_be_set(database_url, tmp_path, app):
    invited = run(database_url, tmp_path, "create", "--email", "lead@firm.test", "--role", "consultant", "--invite")
    assert invited.returncode == 0 and "invitation: /invitation/" in invited.stdout
    assert (
        run(database_url, tmp_path, "password", "--email", "lead@firm.test", stdin="now a real password\n").returncode
        == 0
    )
    with browser(app, "lead@firm.test", "now a real password") as web:
        assert web.get("/api/v1/auth/me").json()["role"] == "consultant"
    missing = run(database_url, tmp_path, "password", "--email", "ghost@firm.test", stdin="now a real password\n")
    assert missing.returncode == 1 and "tribewise users create" in missing.stderr


def test_the_invitation_printed_by_users_create_lets_its_user_choose_a_password_once(database_url, tmp_path, settings):
    invited = run(database_url, tmp_path, "create", "--email", "boss@firm.test", "--role", "admin", "--invite")
    url = invited.stdout.split("invitation: ")[1].strip()
    # The app signs with the key the command kept in its data folder, as a server started there would.
    app = create_app(replace(settings, secret=(tmp_path / "secret.key").read_bytes()))
    with browser(app) as web:
        form = {
            "password": "now a real password",
            "confirm": "now a real password",
            "_csrf_token": page_token(web, url),
        }
        assert web.post(url, data=form, follow_redirects=False).status_code == 303
        assert web.get("/api/v1/auth/me").json()["role"] == "admin"
        again = web.post(url, data={**form, "_csrf_token": page_token(web)})
        assert again.status_code == 400 and "already been used" in again.text
