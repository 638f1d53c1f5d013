"""`tribewise serve` as a newcomer meets it: it refuses at once, in one line naming the fix, to start
without what it needs, and every start says where it runs and how to sign in. Real processes, temp folders."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.server import admin_headers, free_port, running_server

ROOT = Path(__file__).resolve().parents[2]
EXE = Path(sys.executable).parent / "tribewise"


def serve(data_dir: Path, *args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess:
    """Run `tribewise serve` expecting it to refuse (a server that started would hit the timeout and fail the test)."""
    environment = {**os.environ, "TRIBEWISE_DATA_DIR": str(data_dir), **env}
    environment.pop("TRIBEWISE_DATABASE_URL", None)
    return subprocess.run(
        [str(EXE), "serve", *args], capture_output=True, text=True, env=environment, cwd=cwd, timeout=60
    )


def one_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.mark.sqlite_only(reason="the port is checked before any database is opened")
def test_a_port_in_use_is_one_line_at_once_naming_another_port(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        line = one_line(serve(tmp_path, "--port", str(port)))
        elapsed = time.monotonic() - started
    assert line == (
        f"error: port {port} on 127.0.0.1 is already in use (is Tribewise running already?); stop that server, "
        f"or choose another port: --port {port + 1} (make run PORT={port + 1})"
    )
    assert elapsed < 20  # before the content, the database or uvicorn: only the import of the command itself
    assert not (tmp_path / "tribewise.db").exists()


@pytest.mark.sqlite_only(reason="the fonts are checked before any database is opened")
def test_without_the_fonts_the_server_refuses_and_names_the_package(tmp_path):
    line = one_line(serve(tmp_path, "--port", str(free_port()), TRIBEWISE_FONT_DIRS=str(tmp_path / "no-fonts")))
    assert line.startswith("error: the PDF report needs the DejaVu fonts (DejaVuSans.ttf,")
    assert line.endswith("install them with: sudo apt-get install fonts-dejavu-core")


@pytest.mark.sqlite_only(reason="the assets are checked before any database is opened")
def test_without_the_front_end_assets_the_server_refuses_and_names_the_install_command(tmp_path):
    # A checkout where npm has not run: the code and content, no frontend/node_modules.
    checkout = tmp_path / "checkout"
    for part in ("backend", "questionnaires", "rubrics"):
        shutil.copytree(ROOT / part, checkout / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "frontend", checkout / "frontend", ignore=shutil.ignore_patterns("node_modules"))
    line = one_line(serve(tmp_path / "data", "--port", str(free_port()), cwd=checkout, PYTHONPATH=str(checkout)))
    frontend = checkout / "frontend"
    assert line == (
        f"error: the front-end assets (htmx) are not installed in {frontend / 'node_modules'}; "
        f"install them with: npm ci --omit=dev --prefix {frontend}   (make run does it)"
    )


def start_lines(database_url: str, data_dir: Path, *args: str) -> list[str]:
    """What `serve` prints before uvicorn takes over (up to how to sign in); the process group is stopped then."""
    environment = {**os.environ, "TRIBEWISE_DATA_DIR": str(data_dir), "TRIBEWISE_DATABASE_URL": database_url}
    command = [str(EXE), "serve", "--port", str(free_port()), *args]
    process = subprocess.Popen(
        command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    lines: list[str] = []
    try:
        while not (lines and lines[-1].startswith(("sign in at", "no admin yet"))):
            line = process.stdout.readline()
            assert line, "".join(lines)
            lines.append(line.rstrip("\n"))
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # with the workers uvicorn may have started meanwhile
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        process.stdout.close()
    return lines


def typed(exe: Path) -> str:
    """The command as a user types it again: relative to the folder the server was started from when inside it."""
    return str(exe.relative_to(Path.cwd())) if exe.is_relative_to(Path.cwd()) else str(exe)


def test_every_start_prints_the_address_the_admin_and_how_to_set_a_forgotten_password(database_url, tmp_path):
    admin_headers(database_url, "boss@firm.test")
    lines = start_lines(database_url, tmp_path, "--host", "127.0.0.1")
    engine = "SQLite" if database_url.startswith("sqlite") else "PostgreSQL"
    port = lines[0].split(":")[2].split(" ")[0]
    assert lines == [
        f"Tribewise on http://127.0.0.1:{port} ({engine}, 1 worker(s))",
        f"sign in at http://127.0.0.1:{port}/sign-in as boss@firm.test; forgot the password? {typed(EXE)} users password --email boss@firm.test",
    ]


def test_a_start_without_any_admin_says_how_to_create_one(database_url, tmp_path):
    assert (
        start_lines(database_url, tmp_path)[-1]
        == f"no admin yet: create one with {typed(EXE)} users create --email you@example.com"
    )


@pytest.mark.sqlite_only(reason="a warning about SQLite, on a SQLite file")
def test_two_workers_on_sqlite_start_with_a_warning_to_use_one(tmp_path):
    warning, address, _ = start_lines(f"sqlite:///{tmp_path / 'two.db'}", tmp_path, "--workers", "2")
    assert warning.startswith("warning: SQLite takes one writer at a time, so 2 workers only queue for it")
    assert warning.endswith("use one worker, or PostgreSQL (TRIBEWISE_DATABASE_URL) for several")
    assert address.endswith("(SQLite, 2 worker(s))")


COUNTING = """
import sys
from pathlib import Path
import backend.content.loader as loader

real = loader.load_content
def counted(*args, **kwargs):
    with open(sys.argv[1], "a") as log:
        log.write("loaded\\n")
    return real(*args, **kwargs)
loader.load_content = counted  # before the command and the app import it by name

from backend.cli import main
main(sys.argv[2:], prog_name="tribewise")
"""


@pytest.mark.sqlite_only(reason="counts content loads, on a SQLite file")
def test_the_content_is_loaded_once_at_start_up_even_with_the_demo(tmp_path):
    loads = tmp_path / "loads.txt"
    script = tmp_path / "counting.py"
    script.write_text(COUNTING)
    port = free_port()
    command = (sys.executable, str(script), str(loads), "serve", "--demo")
    with running_server(f"sqlite:///{tmp_path / 'once.db'}", tmp_path, port=port, command=command) as base:
        assert httpx.get(base + "/healthz").json()["status"] == "ok"
        assert httpx.get(base + "/sign-in").status_code == 200
    assert loads.read_text().splitlines() == ["loaded"]
    assert (
        "first run: loaded the demo organisation 'Northwind Outfitters'"
        in (tmp_path / f"server-{port}.log").read_text()
    )
