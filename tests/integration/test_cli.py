"""The console script, run as a user would."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA

ROOT = Path(__file__).resolve().parents[2]
EXE = Path(sys.executable).parent / "tribewise"

pytestmark = pytest.mark.sqlite_only(reason="content check and score read files only, never a database")


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
    done = run("score", str(DATA / "answers" / "brand-monitor.yaml"))
    assert done.returncode == 0, done.stderr
    assert "Socialfication maturity (Christopher Surdak): 2 Reactive" in done.stdout
    assert "Now: this quarter" in done.stdout


def test_score_json_is_complete():
    done = run("score", "--json", str(DATA / "answers" / "anonymous.yaml"))
    data = json.loads(done.stdout)
    assert data["result"]["models"]["socialfication"]["level"] == 0
    # The next rung of a level-0 company comes first, after completing what was left at "don't know".
    steps = [i["id"] for i in data["roadmap"]["items"] if i["id"] != "complete_unassessed_sections"]
    assert steps[0] == "sf_identify_customers"


def test_score_rejects_an_answer_that_is_not_an_option(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nquestionnaire: executive-quick-check\nanswers:\n  qc.nope: always\n")
    done = run("score", str(bad))
    assert done.returncode == 1
    assert "answers.qc.nope: 'qc.nope' is not a question of executive-quick-check" in done.stderr


def test_score_prints_the_same_why_as_the_web_and_pdf_for_findings_and_steps():
    from backend.reports import why

    done = run("score", str(DATA / "answers" / "anonymous.yaml"))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    # A finding and a step each list the answers behind them: the question as asked, then the option label.
    assert "Do you have a complete list of the channels through which customers give feedback? — No list" in out
    assert (
        "How widely and how continuously do you track what is said about your brand, products and key terms outside your own sites? — We do not track outside mentions"
        in out
    )
    assert why.CHANNEL_CAUTION in out and "Cost of leaving:" in out  # opening an account carries Kolsky's warning
    assert why.merged_text(2) in out and "Christopher Surdak; Brian Solis" in out
    deferred = out.split("wait for the next assessment: ")[1]
    assert "Set up continuous listening" not in deferred and "_" not in deferred  # titles, never ids


def test_score_gives_a_small_organisation_the_small_variant():
    from backend.reports import why

    small = run("score", "--size", "a single shop", str(DATA / "answers" / "loyalty-card.yaml")).stdout
    large = run("score", "--size", "250-1000 employees", str(DATA / "answers" / "loyalty-card.yaml")).stdout
    assert why.SMALL_VARIANT in small and "owner Owner or manager" in small
    assert why.SMALL_VARIANT not in large
