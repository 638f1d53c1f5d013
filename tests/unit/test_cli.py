"""The console script, run as a user would."""

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import DATA

ROOT = Path(__file__).resolve().parents[2]
EXE = Path(sys.executable).parent / "tribewise"


def run(*args, cwd=ROOT):
    return subprocess.run([str(EXE), *args], capture_output=True, text=True, cwd=cwd)


def test_content_check_passes_on_the_project_content():
    done = run("content", "check")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: 4 rubrics")


def test_content_check_fails_with_the_file_path_and_fix(tmp_path):
    (tmp_path / "rubrics").mkdir()
    (tmp_path / "questionnaires").mkdir()
    (tmp_path / "rubrics" / "x.yaml").write_text("schema_version: 1\nmodel: x\nkind: ladder\n")
    (tmp_path / "questionnaires" / "q.yaml").write_text("schema_version: 1\nid: q\nversion: '1'\n  bad: indent\n")
    done = run("content", "check", str(tmp_path))
    assert done.returncode == 1
    assert "x.yaml:1 at title: Field required. Fix: add the key 'title'" in done.stderr
    assert "q.yaml:4: YAML syntax error" in done.stderr
    assert "problem(s) found" in done.stderr


def test_content_check_accepts_one_file():
    done = run("content", "check", str(ROOT / "rubrics" / "socialfication.yaml"))
    assert done.returncode == 0, done.stderr


def test_score_prints_levels_findings_and_roadmap():
    done = run("score", str(DATA / "personas" / "brand-monitor.yaml"))
    assert done.returncode == 0, done.stderr
    assert "Socialfication maturity (Christopher Surdak): 2 Reactive" in done.stdout
    assert "Now (this quarter)" in done.stdout


def test_score_json_is_complete():
    done = run("score", "--json", str(DATA / "personas" / "anonymous.yaml"))
    data = json.loads(done.stdout)
    assert data["result"]["models"]["socialfication"]["level"] == 0
    assert data["roadmap"]["items"][0]["id"] == "sf_identify_customers"  # the next rung of a level-0 company


def test_score_rejects_an_answer_that_is_not_an_option(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nquestionnaire: executive-quick-check\nanswers:\n  qc.nope: always\n")
    done = run("score", str(bad))
    assert done.returncode == 1
    assert "answers.qc.nope: 'qc.nope' is not a question of executive-quick-check" in done.stderr


