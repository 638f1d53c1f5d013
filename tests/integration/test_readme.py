"""Every command the README shows runs, as written: the README's shell blocks are parsed and each line is
run as a real process against a temporary database. Long-running ones (`serve`, `make run`) are started,
waited for until they answer, and stopped; they get a free port appended, since 8000 may be taken on a
shared machine. `make test` is the command that runs this very suite, so it is checked as a dry run."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

from tests.server import free_port

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
PASSWORD = "a long admin password\n"  # what a user types when a command reads a password from standard input


def shell_commands() -> list[list[str]]:
    """Each line of the README's ```sh blocks, split as the shell would, comments dropped."""
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.S)
    return [words for block in blocks for line in block.splitlines() if (words := shlex.split(line, comments=True))]


def answer_file_example() -> str:
    return re.search(r"```yaml\n(name: .*?)```", README, flags=re.S).group(1)


def checkout_view(tmp_path: Path) -> Path:
    """The checkout seen from a folder of its own: commands that write files (report.pdf) write there, not
    into the repository; .venv is the environment these tests run in."""
    view = tmp_path / "checkout"
    view.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in (".venv", ".git", "data"):
            (view / entry.name).symlink_to(entry)
    (view / ".venv").symlink_to(Path(sys.prefix))
    return view


def wait_until_answering(process: subprocess.Popen, base: str, log: Path, bound: float = 600) -> None:
    """Poll /healthz until the process answers; fail with its log if it exits or takes longer than the bound."""
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"exited with {process.returncode}: {log.read_text()}")
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    pytest.fail(f"did not answer within {bound} s: {log.read_text()}")


def run_long(words: list[str], port: int, cwd: Path, env: dict[str, str], log: Path, bound: float = 90) -> str:
    """Start a long-running command, wait until it answers, stop it; its output."""
    with open(log, "wb") as out:
        process = subprocess.Popen(
            words, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            wait_until_answering(process, f"http://127.0.0.1:{port}", log, bound)
        finally:
            os.killpg(process.pid, 15)  # make's child, the server, too
            process.wait(timeout=30)
    return log.read_text()


@pytest.mark.sqlite_only(reason="reads the README and the content only")
def test_the_readme_names_only_questions_that_exist(content):
    data = yaml.safe_load(answer_file_example())
    questionnaire = content.questionnaires[data["questionnaire"]]
    asked = {q.id for q in questionnaire.questions}
    assert set(data["answers"]) <= asked


@pytest.mark.sqlite_only(
    reason="as written they use the embedded SQLite; test_cli_users and test_cli_newcomer run the CLI on both"
)
def test_every_tribewise_command_in_the_readme_runs_as_written(database_url, tmp_path):
    view = checkout_view(tmp_path)
    (view / "ANSWERS.yaml").write_text(answer_file_example())
    env = {**os.environ, "TRIBEWISE_DATABASE_URL": database_url, "TRIBEWISE_DATA_DIR": str(tmp_path / "data")}
    commands = [words for words in shell_commands() if words[0] == ".venv/bin/tribewise"]
    assert len(commands) >= 10
    commands.append([".venv/bin/tribewise", "score", "ANSWERS.yaml"])  # the answer-file example, as a file
    for words in commands:
        if words[1] == "serve":
            port = free_port()
            output = run_long([*words, "--port", str(port)], port, view, env, tmp_path / "serve.log")
            assert f"Tribewise on http://127.0.0.1:{port}" in output
            continue
        done = subprocess.run(words, cwd=view, env=env, input=PASSWORD, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{shlex.join(words)}: {done.stderr}"
    assert (view / "report.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.sqlite_only(reason="make run serves the embedded SQLite database by definition")
def test_make_run_installs_only_what_running_needs_and_serves(tmp_path):
    assert ["make", "run"] in shell_commands() and ["make", "test"] in shell_commands()
    # A fresh clone: the tracked files only, no .venv, no node_modules.
    clone = tmp_path / "clone"
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, clone / name)
    python = f"python{sys.version_info.major}.{sys.version_info.minor}"
    env = {**os.environ, "TRIBEWISE_DATA_DIR": str(tmp_path / "data"), "PYTHON": shutil.which(python) or python}
    env.pop("TRIBEWISE_DATABASE_URL", None)
    env.pop("PYTHONPATH", None)
    port = free_port()
    output = run_long(["make", "run", f"PORT={port}"], port, clone, env, tmp_path / "make-run.log", bound=900)
    assert "first run: loaded the demo organisation" in output
    assert f"sign in at http://127.0.0.1:{port}/sign-in as admin@tribewise.local with the password " in output
    installed = {p.name.split("-")[0].lower() for p in (clone / ".venv").glob("lib/python*/site-packages/*.dist-info")}
    assert {"litestar", "reportlab", "sqlmodel"} <= installed
    assert not installed & {"pytest", "hypothesis", "playwright", "schemathesis"}
    assets = {p.name for p in (clone / "frontend" / "node_modules").iterdir()}
    assert {"htmx.org", "htmx-ext-head-support"} <= assets and "axe-core" not in assets
    # `make test` adds the rest: its dry run installs the test extra and the full assets, then the suites.
    dry = subprocess.run(["make", "-n", "test"], cwd=clone, env=env, capture_output=True, text=True, check=True).stdout
    assert "-e '.[test]'" in dry and "npm ci --prefix frontend --no-audit --no-fund --loglevel=error\n" in dry
    assert "bash .ci/test.sh" in dry


def other_pythons() -> list[str]:
    """Interpreters on this machine that are not 3.11 and do run (pyenv's shims fail for versions not selected)."""
    found = [shutil.which(f"python3.{minor}") for minor in (10, 12, 13)]
    found += [str(p) for p in sorted(Path.home().glob(".pyenv/versions/3.1[023]*/bin/python3"))]
    return [p for p in found if p and subprocess.run([p, "--version"], capture_output=True).returncode == 0][:1]


@pytest.mark.sqlite_only(reason="make checks the Python before anything is installed or opened")
@pytest.mark.parametrize("python", [*other_pythons(), "/nonexistent/python3"])
def test_make_refuses_another_python_in_one_line_before_installing(tmp_path, python):
    clone = tmp_path / "clone"
    clone.mkdir()
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, clone / name)
    done = subprocess.run(["make", "run", f"PYTHON={python}"], cwd=clone, capture_output=True, text=True, timeout=60)
    version = (
        subprocess.run([python, "--version"], capture_output=True, text=True).stdout.strip()
        if Path(python).exists()
        else "not found"
    )
    assert done.returncode != 0
    assert done.stderr.splitlines()[0] == (
        f"Tribewise needs Python 3.11; {python} is {version}: "
        "run: make run PYTHON=python3.11 (or the path of a Python 3.11)"
    )
    assert not (clone / ".venv").exists()
