"""Benchmark: workshop rooms at once: 300 participants each answering 60 questions, each room's board polling.

Starts the real server (`tribewise serve`) on loopback and opens `--rooms` workshops (one organisation
and full-diagnostic assessment each, through the API), 300 participants joined to each. Every
participant then answers the first 60 questions at times spread at random over 10 minutes of simulated
time, one after the other as a phone does (an open loop: latency counts from the scheduled moment),
while each room's facilitator screen fetches its board (the HTML fragment htmx swaps in) every 2
simulated seconds, sending back the ETag it holds as a browser does. `--speed` compresses simulated
time (10 = the 10 minutes run in 60 s, ten times the rooms' rate). Each room is a venue with its own
network address (127.0.1.N), as the per-address join limit expects. Afterwards it counts each room's
answers in the database: none may be lost (the script exits 1 if one is, or a request failed).

Targets (issues 7 and 16): every answer stored; answer-save p99 under 150 ms; with 10 rooms at once on
PostgreSQL with 2 workers, save and board-poll p99 under 150 ms and a board poll under 20 KB on the wire:

    .venv/bin/python bench/workshop.py                                   # SQLite, 1 worker, 1 room
    bash .ci/with-postgres.sh .venv/bin/python bench/workshop.py --postgres --workers 2 --rooms 10

`--follow` plays presenter mode instead (issue 19): the facilitator takes the room through `--questions`
questions (40 unless given), one "next" every `--interval` simulated seconds (10; `--speed` 1 unless given:
the room's real pace), while every participant's phone polls /join/{code}/now every real second as the page does,
with its own cookies and the ETag it holds, and answers the current question at a random moment while it is
current. For each "next" it measures the time from the facilitator's PUT returning to each phone's first
poll that brings the new question (p50/p95/p99/max; target p99 < 1.5 s), and records a changed and an
unchanged poll's bytes on the wire and the board fragment's:

    .venv/bin/python bench/workshop.py --follow                          # SQLite, 1 worker
    bash .ci/with-postgres.sh .venv/bin/python bench/workshop.py --follow --postgres --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import aiohttp
import httpx
from sqlalchemy import create_engine, func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backend.storage.tables import Participant, ParticipantAnswer  # noqa: E402
from bench.common import database, percentile  # noqa: E402
from tests.server import admin_headers, running_server  # noqa: E402

ROLES = ["marketing", "service", "sales", "IT", "leadership"]


def venue(number: int) -> str:
    """The loopback address a room's phones come from: one network per venue, so no room hits another's join limit."""
    return f"127.0.1.{number + 1}"


def wire_bytes(response: aiohttp.ClientResponse, body: bytes) -> int:
    """What a response cost on the wire: status line, headers and the body as sent (read undecoded)."""
    head = len(f"HTTP/1.1 {response.status} {response.reason}\r\n\r\n")
    return head + sum(len(k) + len(v) + 4 for k, v in response.raw_headers) + len(body)


def open_room(http: httpx.Client, base: str, number: int, participants: int) -> dict:
    """One workshop through the API: its organisation, assessment and code, and its participants' tokens."""
    org = http.post("/api/v1/organisations", json={"name": f"Workshop bench {number + 1}"}).json()["id"]
    created = http.post(
        f"/api/v1/organisations/{org}/assessments", json={"questionnaire_id": "full-diagnostic", "period": "2026-Q4"}
    )
    assessment_id = created.json()["id"]
    code = http.post(f"/api/v1/assessments/{assessment_id}/workshop").json()["code"]
    tokens = []
    transport = httpx.HTTPTransport(local_address=venue(number))
    with httpx.Client(base_url=base, timeout=30, transport=transport) as phones:
        for n in range(participants):
            joined = phones.post(
                f"/api/v1/workshops/{code}/participants",
                json={"name": f"P{n}", "role": ROLES[n % 5], "department": ROLES[(n // 5) % 5]},
            )
            joined.raise_for_status()
            tokens.append(joined.json()["token"])
    return {"number": number, "assessment_id": assessment_id, "code": code, "tokens": tokens}


async def play_room(room: dict, base: str, questions: list[dict], args, headers: dict, start: float) -> dict:
    """One room's session: every participant's answers on schedule, and its facilitator's board polls."""
    loop = asyncio.get_running_loop()
    span = 600 / args.speed
    interval = 2 / args.speed
    rng = random.Random(args.seed + room["number"])
    saves: list[float] = []
    boards: list[float] = []
    counts = {"failures": 0, "unchanged": 0, "errors": set()}
    wire = {"full": None, "unchanged": None}
    done = asyncio.Event()
    # The client is aiohttp: httpx cost ~3.5 ms of CPU a request here (93.8 s for 26,900 requests), so at 300 a
    # second the one client process needed a whole core and its own queue was what the latencies measured.
    # Idle connections are dropped before the server's 5 s keep-alive ends them: a request sent on a
    # connection the server is closing at that moment fails with nothing received (a browser would retry it).
    # By default no phone waits for another's connection.
    connections = args.connections or args.participants
    board_url = f"/assessments/{room['assessment_id']}/workshop/board"
    screen = {**headers, "HX-Request": "true", "Accept-Encoding": "gzip"}
    timeout = aiohttp.ClientTimeout(total=30)

    def failed(err: Exception) -> None:  # counted, not fatal: the count of stored answers tells the rest
        counts["failures"] += 1
        counts["errors"].add(repr(err))

    async def participant(http: aiohttp.ClientSession, token: str) -> None:
        plan = sorted((start + rng.random() * span, i) for i in range(len(questions)))
        for at, i in plan:
            question = questions[i]
            await asyncio.sleep(max(0.0, at - loop.time()))
            if args.stop_after and loop.time() - start > args.stop_after:
                return  # the run is cut short: answers not sent are not expected either
            value = rng.choice([o["value"] for o in question["options"]])
            try:
                async with http.put(
                    f"/api/v1/workshops/{room['code']}/answers/{question['id']}",
                    json={"value": value},
                    headers={"X-Participant-Token": token},
                ) as response:
                    await response.read()
            except (TimeoutError, aiohttp.ClientError) as err:
                failed(err)
                continue
            saves.append((loop.time() - at) * 1000)
            counts["failures"] += response.status >= 300

    async def poll(http: aiohttp.ClientSession, etag: str | None) -> tuple[aiohttp.ClientResponse, bytes] | None:
        try:
            async with http.get(board_url, headers={**screen, **({"If-None-Match": etag} if etag else {})}) as answer:
                body = await answer.read()
        except (TimeoutError, aiohttp.ClientError) as err:
            failed(err)
            return None
        counts["failures"] += answer.status not in (200, 304)
        return answer, body

    async def facilitator(http: aiohttp.ClientSession) -> None:
        # Screens are not in step: each room's first poll falls somewhere in the first interval.
        tick = start + rng.random() * interval
        etag = None
        while not done.is_set():
            await asyncio.sleep(max(0.0, tick - loop.time()))
            began = loop.time()
            polled = await poll(http, etag)
            tick += interval
            if polled is None:
                continue
            boards.append((loop.time() - began) * 1000)
            counts["unchanged"] += polled[0].status == 304
            etag = polled[0].headers.get("etag", etag)
        # The board once everyone has answered, then again unchanged: what a poll costs on the wire either way.
        full = await poll(http, None)
        again = full and await poll(http, full[0].headers.get("etag"))
        wire.update(
            full=wire_bytes(*full) if full else None,
            unchanged=wire_bytes(*again) if again and again[0].status == 304 else None,
        )

    phones = aiohttp.TCPConnector(limit=connections, keepalive_timeout=4)
    async with (
        aiohttp.ClientSession(base, connector=phones, timeout=timeout) as phone_http,
        # The screen reads the board as sent (gzip), to count its bytes on the wire.
        aiohttp.ClientSession(
            base, connector=aiohttp.TCPConnector(keepalive_timeout=4), timeout=timeout, auto_decompress=False
        ) as screen_http,
    ):
        poller = asyncio.create_task(facilitator(screen_http)) if args.boards else None
        await asyncio.gather(*(participant(phone_http, t) for t in room["tokens"]))
        done.set()
        if poller is not None:
            await poller
    return {"saves": saves, "boards": boards, **counts, "board_bytes": wire}


def descendants_cpu_seconds() -> float | None:
    """CPU seconds spent by this process's children and theirs (the server and its workers), from /proc."""
    try:
        stats = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue  # the process ended meanwhile
                stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))  # parent, utime+stime
    except OSError:
        return None
    mine, found = {os.getpid()}, True
    while found:
        found = False
        for pid, (parent, _) in stats.items():
            if parent in mine and pid not in mine:
                mine.add(pid)
                found = True
    return sum(stats[pid][1] for pid in mine - {os.getpid()}) / os.sysconf("SC_CLK_TCK")


def busy_cpu_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (Linux /proc/stat), to put the client's share beside."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return None
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


async def play(rooms: list[dict], base: str, questions: list[dict], args, headers: dict) -> list[dict]:
    """Every room at once, from one common start."""
    start = asyncio.get_running_loop().time() + 1.0
    return await asyncio.gather(*(play_room(r, base, questions, args, headers, start) for r in rooms))


def stored_per_room(url: str) -> dict[int, int]:
    """Participants' answers in the database, per assessment (one per room)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(Participant.assessment_id, func.count())
                .select_from(ParticipantAnswer)
                .join(Participant, Participant.id == ParticipantAnswer.participant_id)
                .group_by(Participant.assessment_id)
            ).all()
    finally:
        engine.dispose()
    return dict(rows)


def spread(values: list[float], prefix: str) -> dict:
    """p50, p95 and p99 of a list of latencies, named with the prefix."""
    return {f"{prefix}_p{round(q * 100)}_ms": percentile(values, q) for q in (0.5, 0.95, 0.99)}


def run(args) -> dict:
    """Open the rooms on a fresh server and database, play them at once, count what was stored: the figures."""
    folder = Path(tempfile.mkdtemp(prefix="tribewise-workshop-bench-"))
    try:
        url = database(args, folder)
        headers = admin_headers(url)
        with (
            running_server(url, folder, workers=args.workers) as base,
            httpx.Client(base_url=base, headers=headers, timeout=30) as http,
        ):
            sections = http.get("/api/v1/questionnaires/full-diagnostic").json()["sections"]
            questions = [q for s in sections for q in s["questions"]][: args.questions]
            # Rooms open side by side (joins to one workshop take turns on the server anyway).
            with ThreadPoolExecutor(args.rooms) as pool:
                rooms = list(pool.map(lambda n: open_room(http, base, n, args.participants), range(args.rooms)))
            cpu, machine, began = time.process_time(), busy_cpu_seconds(), time.monotonic()
            server = descendants_cpu_seconds()
            played = asyncio.run((play_follow if args.follow else play)(rooms, base, questions, args, headers))
            cpu, wall = time.process_time() - cpu, time.monotonic() - began
            machine = busy_cpu_seconds() - machine if machine is not None else None
            server = descendants_cpu_seconds() - server if server is not None else None
        stored = stored_per_room(url)
    except BaseException:
        print(f"the server's log is kept in {folder}", file=sys.stderr)
        raise
    cpu = {"client_cpu_s": cpu, "server_cpu_s": server, "machine_busy_cpu_s": machine, "wall_s": wall}
    figures = (report_follow if args.follow else report)(args, rooms, played, stored, cpu)
    if figures["failures"]:
        figures["server_log_kept_in"] = str(folder)
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return figures


def report(args, rooms: list[dict], played: list[dict], stored: dict[int, int], cpu: dict) -> dict:
    """The figures: all rooms' saves and polls together, each room's count, the board's wire size, the targets."""
    saves = [s for p in played for s in p["saves"]]
    boards = [b for p in played for b in p["boards"]]
    per_room = [
        {
            "room": r["number"] + 1,
            "answers_sent": len(p["saves"]),
            "answers_stored": stored.get(r["assessment_id"], 0),
            "save_p99_ms": percentile(p["saves"], 0.99),
            "board_p99_ms": percentile(p["boards"], 0.99),
        }
        for r, p in zip(rooms, played, strict=True)
    ]
    expected = args.participants * args.questions
    failures = sum(p["failures"] for p in played)
    full = max((p["board_bytes"]["full"] or 0) for p in played)
    unchanged = [p["board_bytes"]["unchanged"] for p in played]
    wall = cpu["wall_s"]
    return {
        "database": "postgresql" if args.postgres else "sqlite",
        "workers": args.workers,
        "rooms": args.rooms,
        "participants_per_room": args.participants,
        "questions": args.questions,
        "simulated_minutes": 10,
        "speed": args.speed,
        "stopped_after_s": args.stop_after,
        "answers_expected": expected * args.rooms,
        "answers_sent": len(saves),
        "answers_stored": sum(r["answers_stored"] for r in per_room),
        "failures": failures,
        "errors": sorted({e for p in played for e in p["errors"]}),
        **spread(saves, "save"),
        "board_polls": len(boards),
        "board_polls_unchanged": sum(p["unchanged"] for p in played),
        **spread(boards, "board"),
        "board_bytes_full": full,
        "board_bytes_unchanged": None if None in unchanged else max(unchanged),
        "per_room": per_room,
        "cpu": {
            "cores": os.cpu_count(),
            "wall_s": round(wall, 1),
            "client_cpu_s": round(cpu["client_cpu_s"], 1),
            "client_share_of_machine": round(cpu["client_cpu_s"] / (wall * os.cpu_count()), 3),
            # The server's processes (not the database's): its CPU for each request it answered.
            "server_cpu_s": None if cpu["server_cpu_s"] is None else round(cpu["server_cpu_s"], 1),
            "server_cpu_ms_per_request": None
            if cpu["server_cpu_s"] is None
            else round(1000 * cpu["server_cpu_s"] / max(1, len(saves) + len(boards)), 2),
            "machine_busy_share": round(cpu["machine_busy_cpu_s"] / (wall * os.cpu_count()), 3)
            if cpu["machine_busy_cpu_s"] is not None
            else None,
        },
        "targets": {
            # Cut short, a room expects the answers its phones sent; otherwise every answer of the room.
            "no_answer_lost": failures == 0
            and all(r["answers_stored"] == (r["answers_sent"] if args.stop_after else expected) for r in per_room),
            "save_p99_under_150ms": percentile(saves, 0.99) < 150,
            # Without boards (--no-boards) there is nothing to meet: None.
            "board_p99_under_150ms": percentile(boards, 0.99) < 150 if args.boards else None,
            "board_poll_under_20KB": full < 20_000 if args.boards else None,
        },
    }


# Presenter mode (--follow): every phone follows the facilitator's current question.

QUESTION_SHOWN = re.compile(rb'data-question="([^"]+)"')
POLL_SECONDS = 1.0  # as the page polls: every real second, whatever --speed


def shown_question(response: aiohttp.ClientResponse, body: bytes) -> str | None:
    """The question a changed poll brings (None while the room waits or once it is closed)."""
    if response.headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    found = QUESTION_SHOWN.search(body)
    return found.group(1).decode() if found else None


async def follow_room(room: dict, base: str, questions: list[dict], args, headers: dict, start: float) -> dict:
    """One room in presenter mode: the facilitator's moves, every phone's polls and answers, what each saw when."""
    loop = asyncio.get_running_loop()
    rng = random.Random(args.seed + room["number"])
    interval = args.interval / args.speed
    options = {q["id"]: [o["value"] for o in q["options"]] for q in questions}
    moved: dict[str, float] = {}  # question id -> when the facilitator's "next" returned
    seen: list[tuple[str, float]] = []  # (question id, when a phone's poll brought it): one per phone and question
    saves: list[float] = []
    counts = {"failures": 0, "polls": 0, "unchanged": 0, "answers_sent": 0, "errors": set()}
    wire = {"changed": 0, "unchanged": 0, "board": None}
    done = asyncio.Event()
    pending: set[asyncio.Task] = set()
    timeout = aiohttp.ClientTimeout(total=30)

    def failed(err: Exception) -> None:
        counts["failures"] += 1
        counts["errors"].add(repr(err))

    async def facilitator(http: aiohttp.ClientSession) -> None:
        url = f"/api/v1/assessments/{room['assessment_id']}/workshop/current"
        for k in range(len(questions)):
            await asyncio.sleep(max(0.0, start + k * interval - loop.time()))
            try:
                async with http.put(url, json={"move": "next"}, headers=headers) as response:
                    body = await response.json()
            except (TimeoutError, aiohttp.ClientError) as err:
                failed(err)
                continue
            moved[body["current_question"]] = loop.time()
        await asyncio.sleep(interval)  # the last question stays up as long as the others
        done.set()

    async def answer(http: aiohttp.ClientSession, token: str, question: str, at: float) -> None:
        await asyncio.sleep(max(0.0, at - loop.time()))
        try:
            async with http.put(
                f"/api/v1/workshops/{room['code']}/answers/{question}",
                json={"value": rng.choice(options[question])},
                headers={"X-Participant-Token": token},
            ) as response:
                await response.read()
        except (TimeoutError, aiohttp.ClientError) as err:
            failed(err)
            return
        counts["answers_sent"] += 1
        counts["failures"] += response.status >= 300
        saves.append((loop.time() - at) * 1000)

    async def phone(http: aiohttp.ClientSession, token: str) -> None:
        # Its own cookies, as a browser keeps them: the participant token and the session the first poll sets.
        cookies, etag, current = {"tw_participant": token}, None, None
        tick = start - 2 + rng.random() * POLL_SECONDS  # already waiting for the facilitator, not in step
        while not done.is_set():
            await asyncio.sleep(max(0.0, tick - loop.time()))
            tick += POLL_SECONDS
            sent = {"HX-Request": "true", "Accept-Encoding": "gzip"}
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
            if etag:
                sent["If-None-Match"] = etag
            try:
                async with http.get(f"/join/{room['code']}/now", headers=sent) as response:
                    body = await response.read()
            except (TimeoutError, aiohttp.ClientError) as err:
                failed(err)
                continue
            arrived = loop.time()
            counts["polls"] += 1
            cookies.update({name: morsel.value for name, morsel in response.cookies.items()})
            if response.status == 304:
                counts["unchanged"] += 1
                wire["unchanged"] = max(wire["unchanged"], wire_bytes(response, body))
                continue
            if response.status != 200:
                counts["failures"] += 1
                counts["errors"].add(f"poll answered {response.status}")
                continue
            etag = response.headers.get("etag")
            question = shown_question(response, body)
            if question and question != current:
                current = question
                seen.append((question, arrived))
                wire["changed"] = max(wire["changed"], wire_bytes(response, body))
                # Answered at a random moment while it is current.
                left = max(0.0, moved.get(question, arrived) + interval - arrived)
                task = asyncio.create_task(answer(http, token, question, arrived + rng.random() * left * 0.9))
                pending.add(task)
                task.add_done_callback(pending.discard)

    connector = aiohttp.TCPConnector(limit=args.connections or args.participants, keepalive_timeout=4)
    async with (
        # Each phone sends its own cookies; the shared jar would mix them. Bodies as sent (gzip), to count them.
        aiohttp.ClientSession(
            base, connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar(), auto_decompress=False
        ) as phones,
        aiohttp.ClientSession(base, timeout=timeout, auto_decompress=False) as screen,
    ):
        await asyncio.gather(facilitator(screen), *(phone(phones, t) for t in room["tokens"]))
        if pending:
            await asyncio.gather(*pending)
        board_url = f"/assessments/{room['assessment_id']}/workshop/board"
        async with screen.get(board_url, headers={**headers, "HX-Request": "true", "Accept-Encoding": "gzip"}) as r:
            wire["board"] = wire_bytes(r, await r.read())
    latencies = [(at - moved[q]) * 1000 for q, at in seen if q in moved]
    # A poll can bring the new question before the facilitator's own answer is back: it waited no time at all.
    latencies = [max(0.0, ms) for ms in latencies]
    expected = len(room["tokens"]) * len(moved)
    return {"latencies": latencies, "missed": expected - len(latencies), "saves": saves, **counts, "wire": wire}


async def play_follow(rooms: list[dict], base: str, questions: list[dict], args, headers: dict) -> list[dict]:
    """Every room in presenter mode at once, from one common start (phones polling two seconds before it)."""
    start = asyncio.get_running_loop().time() + 3.0
    return await asyncio.gather(*(follow_room(r, base, questions, args, headers, start) for r in rooms))


def report_follow(args, rooms: list[dict], played: list[dict], stored: dict[int, int], cpu: dict) -> dict:
    """The figures of presenter mode: how long each phone took to show each new question, polls, answers, bytes."""
    latencies = [ms for p in played for ms in p["latencies"]]
    saves = [s for p in played for s in p["saves"]]
    sent = sum(p["answers_sent"] for p in played)
    stored_total = sum(stored.get(r["assessment_id"], 0) for r in rooms)
    failures = sum(p["failures"] for p in played)
    polls = sum(p["polls"] for p in played)
    wall = cpu["wall_s"]
    follow_p99 = percentile(latencies, 0.99)
    return {
        "mode": "follow",
        "database": "postgresql" if args.postgres else "sqlite",
        "workers": args.workers,
        "rooms": args.rooms,
        "participants_per_room": args.participants,
        "questions": args.questions,
        "simulated_seconds_between_moves": args.interval,
        "speed": args.speed,
        "real_seconds_between_moves": round(args.interval / args.speed, 2),
        "phones_saw_new_question": len(latencies),
        "phones_missed_a_question": sum(p["missed"] for p in played),
        **{f"follow_p{round(q * 100)}_ms": percentile(latencies, q) for q in (0.5, 0.95, 0.99)},
        "follow_max_ms": round(max(latencies), 2) if latencies else 0.0,
        "polls": polls,
        "polls_unchanged": sum(p["unchanged"] for p in played),
        "polls_per_second": round(polls / wall, 1),
        "answers_sent": sent,
        "answers_stored": stored_total,
        "failures": failures,
        "errors": sorted({e for p in played for e in p["errors"]}),
        **spread(saves, "save"),
        "poll_bytes_changed": max(p["wire"]["changed"] for p in played),
        "poll_bytes_unchanged": max(p["wire"]["unchanged"] for p in played),
        "board_bytes": max(p["wire"]["board"] or 0 for p in played),
        "cpu": {
            "cores": os.cpu_count(),
            "wall_s": round(wall, 1),
            "client_cpu_s": round(cpu["client_cpu_s"], 1),
            "server_cpu_s": None if cpu["server_cpu_s"] is None else round(cpu["server_cpu_s"], 1),
            "server_cpu_ms_per_request": None
            if cpu["server_cpu_s"] is None
            else round(1000 * cpu["server_cpu_s"] / max(1, polls + sent), 2),
            "machine_busy_share": round(cpu["machine_busy_cpu_s"] / (wall * os.cpu_count()), 3)
            if cpu["machine_busy_cpu_s"] is not None
            else None,
        },
        "targets": {
            "no_answer_lost": failures == 0 and stored_total == sent,
            "follow_p99_under_1500ms": bool(latencies) and follow_p99 < 1500,
            "every_phone_saw_every_question": sum(p["missed"] for p in played) == 0,
        },
    }


def options(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rooms", type=int, default=1, help="workshops running at once, each with its own board")
    parser.add_argument("--participants", type=int, default=300, help="per room")
    parser.add_argument("--questions", type=int, default=None, help="60 answered, or with --follow 40 presented")
    parser.add_argument(
        "--speed",
        type=float,
        default=None,
        help="how many times faster than the room's 10 minutes (10), or with --follow than its moves (1)",
    )
    parser.add_argument(
        "--follow",
        action="store_true",
        help="presenter mode: phones poll where the room is every second while the facilitator moves next",
    )
    parser.add_argument(
        "--interval", type=float, default=10.0, help="with --follow: simulated seconds between two 'next' moves"
    )
    parser.add_argument(
        "--connections",
        type=int,
        default=None,
        help="participants' connections per room at most (default: one per participant, as each phone has its own)",
    )
    parser.add_argument(
        "--stop-after", type=float, help="seconds: stop sending answers then (a load the machine cannot follow)"
    )
    parser.add_argument(
        "--no-boards",
        dest="boards",
        action="store_false",
        help="no facilitator's screen polls: the answers' own cost, to tell it from the boards'",
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.questions is None:
        args.questions = 40 if args.follow else 60
    if args.speed is None:
        args.speed = 1.0 if args.follow else 10.0
    return args


def main() -> None:
    figures = run(options())
    print(json.dumps(figures, indent=2))
    if not figures["targets"]["no_answer_lost"]:
        sys.exit("answers lost or requests failed: see answers_stored and failures above")


if __name__ == "__main__":
    main()
