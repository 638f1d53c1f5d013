"""The console script meets a folder it cannot write to or a read-only database: one line saying what is
wrong and how to fix it, and a non-zero exit, never a traceback. Run for real, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.disk import small_disk
from tests.integration.api import make_assessment, make_org
from tests.integration.conftest import SERVER_URL, _admin_engine, fresh_database

EXE = Path(sys.executable).parent / "tribewise"


def run(database_url: str, data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TRIBEWISE_DATABASE_URL": database_url, "TRIBEWISE_DATA_DIR": str(data_dir)}
    # A server that started anyway would run until stopped: the timeout makes that a failure, not a hang.
    return subprocess.run([str(EXE), *args], capture_output=True, text=True, env=env, timeout=60)


def one_line(done: subprocess.CompletedProcess) -> str:
    """The command failed with a single line on standard error; that line."""
    assert done.returncode != 0, done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_a_report_into_a_missing_folder_says_to_create_it(client, settings, tmp_path):
    assessment = make_assessment(client, make_org(client))
    out = tmp_path / "missing" / "folder" / "file.pdf"
    line = one_line(run(settings.database_url, tmp_path, "report", str(assessment), "--out", str(out)))
    assert (
        line
        == f"error: cannot write {out}: No such file or directory; create the folder {out.parent} first, or pass another --out"
    )
    assert not out.parent.exists()


def test_serve_on_a_read_only_database_says_so_and_does_not_start(template_database, tmp_path):
    if SERVER_URL:  # a database that refuses writes, as a read-only replica does
        with fresh_database(template_database, tmp_path) as url:
            with _admin_engine().connect() as conn:
                conn.execute(text(f'ALTER DATABASE "{make_url(url).database}" SET default_transaction_read_only = on'))
            line = one_line(run(url, tmp_path, "serve", "--port", "1"))
        assert line.startswith(
            f"error: cannot use the PostgreSQL database {make_url(url).database} on 127.0.0.1: cannot execute UPDATE in a read-only transaction;"
        )
    else:  # a file on a disk mounted read-only, which stops root too
        with small_disk(tmp_path / "disk", megabytes=8) as disk, fresh_database(template_database, disk.path) as url:
            disk.read_only()
            line = one_line(run(url, tmp_path, "serve", "--port", "1"))
        assert line.startswith(
            f"error: cannot use the SQLite file {disk.path / 'tribewise.db'}: attempt to write a readonly database;"
        )
    assert line.endswith(
        "; make it and its folder writable, or set TRIBEWISE_DATABASE_URL (or TRIBEWISE_DATA_DIR) to a place that is"
    )


@pytest.mark.sqlite_only(reason="about SQLite file and data folder paths")
def test_serve_with_a_database_or_data_folder_inside_a_file_says_which(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    database = tmp_path / "a-file" / "tribewise.db"
    line = one_line(run(f"sqlite:///{database}", tmp_path, "serve", "--port", "1"))
    assert line.startswith(
        f"error: cannot use the SQLite file {database}: a part of {database.parent} is a file, not a folder;"
    )
    line = one_line(run("", tmp_path / "a-file" / "data", "serve", "--port", "1"))
    assert (
        line
        == f"error: cannot use the data folder: a part of {tmp_path / 'a-file' / 'data'} is a file, not a folder; set TRIBEWISE_DATA_DIR to a folder this user may write to"
    )


@pytest.mark.sqlite_only(reason="settings are checked before any database is opened")
def test_a_bad_setting_is_one_line_naming_it(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'tribewise.db'}"
    for name, value, said in (
        (
            "TRIBEWISE_TRUSTED_PROXIES",
            "proxy.local",
            "TRIBEWISE_TRUSTED_PROXIES: 'proxy.local' is not an IP address or network",
        ),
        ("TRIBEWISE_MIN_GROUP_SIZE", "two", "TRIBEWISE_MIN_GROUP_SIZE must be a whole number"),
        ("TRIBEWISE_SECRET", "short", "TRIBEWISE_SECRET must be at least 32 characters long"),
        ("TRIBEWISE_SMTP_URL", "mail.example.com", "TRIBEWISE_SMTP_URL: '://…' is not an SMTP address; write it as"),
    ):
        with monkeypatch.context() as env:
            env.setenv(name, value)
            for args in (("serve", "--port", "1"), ("demo",)):
                assert one_line(run(url, tmp_path, *args)).startswith(f"error: {said}")
