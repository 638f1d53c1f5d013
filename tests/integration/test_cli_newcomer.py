"""The console script for someone who has never used it: help, a version, ids to act on, plain refusals,
and a demo that loads once. Real processes on a temporary database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXE = Path(sys.executable).parent / "tribewise"


def run(database_url: str, data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "TRIBEWISE_DATABASE_URL": database_url, "TRIBEWISE_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [str(EXE), *args], input=stdin, capture_output=True, text=True, env=env, cwd=data_dir, timeout=300
    )


@pytest.mark.sqlite_only(reason="--version and -h answer before any database is opened")
def test_version_and_short_help_answer_on_every_level(tmp_path):
    version = run("", tmp_path, "--version")
    assert version.returncode == 0 and version.stdout.strip() == "tribewise 0.1.0"
    top = run("", tmp_path, "-h")
    assert top.returncode == 0 and "Usage: tribewise [OPTIONS] COMMAND" in top.stdout and "list" in top.stdout
    create = run("", tmp_path, "users", "create", "-h")
    assert create.returncode == 0 and "--invite" in create.stdout


def test_list_shows_organisations_and_their_assessments_with_the_ids_report_takes(database_url, tmp_path):
    assert run(database_url, tmp_path, "list").stdout.startswith(f"no organisations yet: load the demo with {EXE} demo")
    assert run(database_url, tmp_path, "demo").returncode == 0
    listed = run(database_url, tmp_path, "list")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0] == "organisation 1: Northwind Outfitters"
    assert lines[1] == "  assessment 1: 2026-Q1, Full social-customer diagnostic, submitted"
    assert lines[4] == "  assessment 4: 2026-Q4, Full social-customer diagnostic, draft"
    report = run(database_url, tmp_path, "report", "4", "--out", str(tmp_path / "r.pdf"))
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


def test_the_demo_loads_once_and_each_run_prints_the_sign_in(database_url, tmp_path):
    first = run(database_url, tmp_path, "demo")
    assert first.returncode == 0, first.stderr
    loaded, sign_in = first.stdout.splitlines()
    assert loaded == "demo organisation 'Northwind Outfitters' loaded with id 1"
    assert sign_in.startswith("sign in at http://127.0.0.1:8000/sign-in as admin@tribewise.local with the password ")
    second = run(database_url, tmp_path, "demo")
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines() == [
        "the demo organisation 'Northwind Outfitters' is already loaded (id 1); nothing loaded again",
        f"sign in at http://127.0.0.1:8000/sign-in as admin@tribewise.local; forgot the password? {EXE} users password --email admin@tribewise.local",
    ]
    assert run(database_url, tmp_path, "list").stdout.count("organisation ") == 1


def test_an_invalid_email_is_one_plain_line_without_pydantic_details(database_url, tmp_path):
    done = run(database_url, tmp_path, "users", "create", "--email", "notanemail", stdin="a long admin password\n")
    assert done.returncode == 1
    assert done.stderr == "error: 'notanemail' is not an email address: use the form name@example.com\n"


@pytest.mark.sqlite_only(reason="content check reads files only")
def test_content_check_of_the_questionnaires_folder_checks_the_content_it_belongs_to(tmp_path):
    done = run("", tmp_path, "content", "check", str(ROOT / "questionnaires"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == f"checking the content questionnaires belongs to: {ROOT}"
    assert done.stdout.splitlines()[1].startswith("ok: 4 rubrics")


@pytest.mark.sqlite_only(reason="content check reads files only")
def test_content_check_of_a_folder_without_content_says_what_to_pass(tmp_path):
    done = run("", tmp_path, "content", "check", str(tmp_path))
    assert done.returncode == 1
    assert done.stderr == (
        f"error: {tmp_path} holds no questionnaires/ or rubrics/ folder; "
        "pass the folder that holds them, or one of their files\n"
    )
