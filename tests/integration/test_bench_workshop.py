"""The workshop benchmark plays several rooms at once end to end and counts every answer per room (figures in bench/README.md)."""

import importlib.util
import json
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "workshop.py"

pytestmark = pytest.mark.sqlite_only(
    reason="the rooms' bookkeeping does not depend on the engine; bench/README.md records the PostgreSQL run"
)


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_workshop", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_two_rooms_play_at_once_and_each_room_counts_its_own_answers_stored():
    bench = load_bench()
    args = bench.options(["--rooms", "2", "--participants", "3", "--questions", "2", "--speed", "120"])
    figures = bench.run(args)
    assert figures["rooms"] == 2
    assert [(r["room"], r["answers_sent"], r["answers_stored"]) for r in figures["per_room"]] == [(1, 6, 6), (2, 6, 6)]
    assert figures["answers_stored"] == figures["answers_expected"] == 12
    assert figures["failures"] == 0
    assert figures["targets"]["no_answer_lost"]
    assert figures["board_polls"] >= 2
    assert 0 < figures["save_p50_ms"] <= figures["save_p99_ms"]
    assert 0 < figures["board_p50_ms"] <= figures["board_p99_ms"]
    # An unchanged poll is a 304 with headers only: far smaller than the board itself.
    assert 0 < figures["board_bytes_unchanged"] < figures["board_bytes_full"] / 4
    assert figures["cpu"]["server_cpu_s"] > 0 and figures["cpu"]["server_cpu_ms_per_request"] > 0  # the server's own
    json.dumps(figures)  # the figures are printed as JSON


def test_one_room_stays_the_default_run():
    bench = load_bench()
    args = bench.options([])
    assert (args.rooms, args.participants, args.questions, args.workers) == (1, 300, 60, 1)


def test_phones_follow_the_facilitator_and_every_phone_sees_every_question_within_its_poll():
    bench = load_bench()
    args = bench.options(["--follow", "--participants", "3", "--questions", "3", "--interval", "2"])
    assert (args.speed, args.interval) == (1.0, 2.0)  # the room's own pace unless told
    figures = bench.run(args)
    assert figures["mode"] == "follow" and figures["failures"] == 0 and figures["errors"] == []
    assert figures["phones_saw_new_question"] == 9 and figures["phones_missed_a_question"] == 0
    assert figures["answers_sent"] == figures["answers_stored"] == 9  # each phone answered each question once
    assert figures["targets"]["no_answer_lost"] and figures["targets"]["every_phone_saw_every_question"]
    # A phone polls every second: it shows the next question at its next poll.
    assert 0 <= figures["follow_p50_ms"] <= figures["follow_p99_ms"] <= figures["follow_max_ms"] < 2000
    assert figures["polls_unchanged"] > 0  # 304s between the moves
    assert 0 < figures["poll_bytes_unchanged"] < figures["poll_bytes_changed"] < figures["board_bytes"]
    json.dumps(figures)
