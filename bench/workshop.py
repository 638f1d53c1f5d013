"""Benchmark: a big workshop room: 300 participants answering 60 questions, a facilitator's board polling.

Starts the real server (`tribewise serve`) on loopback, opens a workshop on a full-diagnostic
assessment and joins 300 participants through the API. Each participant then answers the first
60 questions at times spread at random over 10 minutes of simulated time (an open loop: latency
counts from the scheduled moment), while the facilitator's screen fetches the board (the HTML
fragment htmx swaps in) every 2 simulated seconds. `--speed` compresses simulated time (10 = the 10 minutes run in 60 s, ten times the
room's rate). Afterwards it counts the participants' answers in the database: none may be lost.

Targets (issue 7): every answer stored; answer-save p99 under 150 ms on SQLite; the same run on
PostgreSQL with 2 workers:

    .venv/bin/python bench/workshop.py                                   # SQLite, 1 worker
    bash .ci/with-postgres.sh .venv/bin/python bench/workshop.py --postgres --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backend.storage.tables import ParticipantAnswer  # noqa: E402
from bench.common import database, percentile  # noqa: E402
from tests.server import admin_headers, running_server  # noqa: E402


async def room(base: str, code: str, tokens: list[str], questions: list[dict], args, headers: dict) -> dict:
    """Play the room: every participant's answers on schedule, and the facilitator's board polls."""
    loop = asyncio.get_running_loop()
    start = loop.time() + 1.0
    span = 600 / args.speed
    rng = random.Random(args.seed)
    saves: list[float] = []
    boards: list[float] = []
    failures = 0
    done = asyncio.Event()
    limits = httpx.Limits(max_connections=args.connections, max_keepalive_connections=args.connections)

    async def answer(http: httpx.AsyncClient, token: str, question: dict, at: float) -> None:
        nonlocal failures
        await asyncio.sleep(max(0.0, at - loop.time()))
        value = rng.choice([o["value"] for o in question["options"]])
        response = await http.put(
            f"/api/v1/workshops/{code}/answers/{question['id']}",
            json={"value": value},
            headers={"X-Participant-Token": token},
        )
        saves.append((loop.time() - at) * 1000)
        failures += response.status_code >= 300

    async def facilitator(http: httpx.AsyncClient) -> None:
        nonlocal failures
        interval = 2 / args.speed
        tick = start
        while not done.is_set():
            await asyncio.sleep(max(0.0, tick - loop.time()))
            began = loop.time()
            # What the facilitator's screen fetches: the board fragment htmx swaps in.
            response = await http.get(
                f"/assessments/{args.assessment_id}/workshop/board", headers={**headers, "HX-Request": "true"}
            )
            boards.append((loop.time() - began) * 1000)
            failures += response.status_code >= 300
            tick += interval

    async with (
        httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http,
        httpx.AsyncClient(base_url=base, timeout=30) as board_http,
    ):
        poller = asyncio.create_task(facilitator(board_http))
        jobs = [answer(http, t, q, start + rng.random() * span) for t in tokens for q in questions]
        await asyncio.gather(*jobs)
        done.set()
        await poller
    return {
        "answers_sent": len(saves),
        "failures": failures,
        "save_p50_ms": percentile(saves, 0.5),
        "save_p90_ms": percentile(saves, 0.9),
        "save_p99_ms": percentile(saves, 0.99),
        "board_polls": len(boards),
        "board_p50_ms": percentile(boards, 0.5),
        "board_p99_ms": percentile(boards, 0.99),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--questions", type=int, default=60)
    parser.add_argument("--speed", type=float, default=10.0, help="how many times faster than the room's 10 minutes")
    parser.add_argument(
        "--connections", type=int, default=100, help="participants' connections (phones share a venue's network)"
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tribewise-workshop-bench-"))
    url = database(args, folder)
    headers = admin_headers(url)
    with (
        running_server(url, folder, workers=args.workers) as base,
        httpx.Client(base_url=base, headers=headers, timeout=30) as http,
    ):
        org = http.post("/api/v1/organisations", json={"name": "Workshop bench"}).json()["id"]
        created = http.post(
            f"/api/v1/organisations/{org}/assessments",
            json={"questionnaire_id": "full-diagnostic", "period": "2026-Q4"},
        )
        args.assessment_id = created.json()["id"]
        code = http.post(f"/api/v1/assessments/{args.assessment_id}/workshop").json()["code"]
        sections = http.get("/api/v1/questionnaires/full-diagnostic").json()["sections"]
        questions = [q for s in sections for q in s["questions"]][: args.questions]
        roles = ["marketing", "service", "sales", "IT", "leadership"]
        tokens = []
        with httpx.Client(base_url=base, timeout=30) as anonymous:
            for n in range(args.participants):
                joined = anonymous.post(
                    f"/api/v1/workshops/{code}/participants",
                    json={"name": f"P{n}", "role": roles[n % 5], "department": roles[(n // 5) % 5]},
                )
                tokens.append(joined.json()["token"])
        figures = asyncio.run(room(base, code, tokens, questions, args, headers))
    engine = create_engine(url)
    with engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(ParticipantAnswer)).scalar_one()
    engine.dispose()
    expected = args.participants * args.questions
    report = {
        "database": "postgresql" if args.postgres else "sqlite",
        "workers": args.workers,
        "participants": args.participants,
        "questions": args.questions,
        "simulated_minutes": 10,
        "speed": args.speed,
        **figures,
        "answers_stored": stored,
        "answers_expected": expected,
        "targets": {
            "no_answer_lost": stored == expected and figures["failures"] == 0,
            "save_p99_under_150ms": figures["save_p99_ms"] < 150,
        },
    }
    print(json.dumps(report, indent=2))
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
