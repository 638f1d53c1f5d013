"""Benchmark: answer-save throughput and latency over HTTP, beside a bare insert+commit floor.

Starts the real server on loopback with the floor endpoint mounted (bench/floor.py: what
`tribewise serve` starts, plus the floor; the production app never has it), then drives 50 concurrent connections with wrk, 30 s on each endpoint in alternating slices
(6 s floor, 6 s saves, five times): POST /bench/floor/{id} (one insert, one commit) and
PUT /api/v1/assessments/{id}/answers/{question} (validation, version check, update or
insert, history row, audit row, commit; each slice on 50 fresh assessments). Then 50
clients save at a steady 250 a second for 30 s. Afterwards it counts the stored history
rows to show no save was lost.

Targets (issue 3): answer-save p99 under 50 ms on SQLite, and throughput at least 60 %
of the floor's. The same run against PostgreSQL with 2 workers:

    .venv/bin/python bench/answers.py                      # SQLite, 1 worker
    bash .ci/with-postgres.sh .venv/bin/python bench/answers.py --postgres --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import aiohttp
import httpx
from sqlalchemy import create_engine, func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backend.storage.tables import AnswerChange  # noqa: E402
from bench.common import database, percentile  # noqa: E402
from tests.server import admin_headers, running_server  # noqa: E402


def ensure_wrk() -> str:
    """wrk from Debian's packages (installed when missing and we are root)."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True)
        if not shutil.which("wrk"):
            subprocess.run(["apt-get", "update", "-qq"], check=True, capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, capture_output=True)
        return shutil.which("wrk") or sys.exit("wrk could not be installed")
    sys.exit("this benchmark needs wrk: apt-get install wrk")


def lua_script(method: str, paths: list[str], values: list[list[str]], authorization: str = "") -> str:
    """A wrk script: each of its two threads cycles through its own half of the paths,
    changing the value at every visit, so every save is a real change."""
    return """
local paths = {%s}
local values = {%s}
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
local n = 0
request = function()
  local k = n * 2 + tid
  n = n + 1
  local i = (k %% #paths) + 1
  local choices = values[i]
  local pick = choices[(math.floor(k / #paths) %% #choices) + 1]
  return wrk.format("%s", paths[i], {["Content-Type"] = "application/json", ["Authorization"] = %s}, '{"value":"' .. pick .. '"}')
end
""" % (
        ", ".join(json.dumps(p) for p in paths),
        ", ".join("{" + ", ".join(json.dumps(v) for v in vs) + "}" for vs in values),
        method,
        json.dumps(authorization),
    )


def run_wrk(wrk: str, base: str, script: Path, seconds: int, clients: int) -> dict:
    """Drive the server; parse requests/s, latency percentiles and errors from wrk's report."""
    out = subprocess.run(
        [wrk, "-t2", f"-c{clients}", f"-d{seconds}s", "--latency", "--timeout", "5s", "-s", str(script), base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label: str) -> float:
        match = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "requests": total,
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": ms("50%"),
        "p90_ms": ms("90%"),
        "p99_ms": ms("99%"),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(1) if errors else "",
    }


def side_by_side(wrk: str, base: str, floor_script: Path, save_scripts: list[Path], args) -> tuple[dict, dict]:
    """The floor and the saves in alternating slices (floor, save, floor, save...), so a machine
    that slows down or speeds up during the run (a shared VM's stolen time) weighs on both alike.
    Requests/s over all slices; p50 the median of the slices', p90 and p99 the worst slice's."""
    slices: dict[str, list[dict]] = {"floor": [], "save": []}
    length = max(1, args.seconds // args.slices)
    for save_script in save_scripts:
        slices["floor"].append(run_wrk(wrk, base, floor_script, length, args.clients))
        slices["save"].append(run_wrk(wrk, base, save_script, length, args.clients))

    def combined(runs: list[dict]) -> dict:
        seconds = sum(r["requests"] / r["requests_per_s"] for r in runs)
        return {
            "requests": sum(r["requests"] for r in runs),
            "requests_per_s": round(sum(r["requests"] for r in runs) / seconds, 2),
            "p50_ms": sorted(r["p50_ms"] for r in runs)[len(runs) // 2],
            "p90_ms": max(r["p90_ms"] for r in runs),
            "p99_ms": max(r["p99_ms"] for r in runs),
            "non_2xx": sum(r["non_2xx"] for r in runs),
            "socket_errors": "; ".join(r["socket_errors"] for r in runs if r["socket_errors"]),
            "slices_per_s": [r["requests_per_s"] for r in runs],
        }

    return combined(slices["floor"]), combined(slices["save"])


async def paced(
    base: str, paths: list[str], values: list[list[str]], clients: int, rate: float, seconds: int, headers: dict
) -> dict:
    """Open loop: each client saves on a fixed schedule (rate per second across all clients).

    Latency counts from the scheduled send time, so a slow server cannot hide its queue. The client
    is aiohttp: httpx took a whole core of this 2-core machine at 250 requests/s, so the paced run
    on PostgreSQL measured the client's queue rather than the server's.
    """
    interval = clients / rate
    latencies: list[float] = []
    failures = 0

    async def user(index: int, http: aiohttp.ClientSession) -> None:
        nonlocal failures
        loop = asyncio.get_running_loop()
        start = loop.time() + interval * index / clients
        for visit in range(int(seconds / interval)):
            scheduled = start + visit * interval
            await asyncio.sleep(max(0.0, scheduled - loop.time()))
            k = (index + visit * clients) % len(paths)
            choices = values[k]
            async with http.put(paths[k], json={"value": choices[(visit + 1) % len(choices)]}) as response:
                await response.read()
            latencies.append((loop.time() - scheduled) * 1000)
            failures += response.status >= 300

    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(
        base, connector=connector, headers=headers, timeout=aiohttp.ClientTimeout(total=10)
    ) as http:
        await asyncio.gather(*(user(i, http) for i in range(clients)))
    return {
        "offered_per_s": rate,
        "requests": len(latencies),
        "p50_ms": percentile(latencies, 0.5),
        "p90_ms": percentile(latencies, 0.9),
        "p99_ms": percentile(latencies, 0.99),
        "failures": failures,
    }


# An organisation has one assessment per questionnaire and period: each new one takes the next period.
_PERIODS = (f"{year}-Q{quarter}" for year in itertools.count(2000) for quarter in range(1, 5))


def new_assessment(http: httpx.Client, org: int) -> int:
    """A fresh full-diagnostic assessment of the organisation, in a period of its own; its id."""
    response = http.post(
        f"/api/v1/organisations/{org}/assessments",
        json={"questionnaire_id": "full-diagnostic", "period": next(_PERIODS)},
    )
    response.raise_for_status()
    return response.json()["id"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30, help="per endpoint, in all its slices")
    parser.add_argument("--slices", type=int, default=5, help="alternating floor and save runs of seconds/slices each")
    parser.add_argument("--rate", type=float, default=250.0, help="saves per second offered in the paced phase")
    args = parser.parse_args()
    wrk = ensure_wrk()
    folder = Path(tempfile.mkdtemp(prefix="tribewise-bench-"))
    url = database(args, folder)
    # Saves are made as a signed-in admin with an API token, as scripts would: the check counts.
    headers = admin_headers(url)
    with (
        running_server(
            url, folder, workers=args.workers, command=(sys.executable, str(ROOT / "bench" / "floor.py"))
        ) as base,
        httpx.Client(base_url=base, headers=headers) as http,
    ):
        org = http.post("/api/v1/organisations", json={"name": "Bench"}).json()["id"]
        questions = [
            q for s in http.get("/api/v1/questionnaires/full-diagnostic").json()["sections"] for q in s["questions"]
        ]
        floor_script = folder / "floor.lua"
        save_scripts, ids = [], []
        for n in range(args.slices):
            # Each save slice has assessments of its own, so every save in it is a change.
            mine = [new_assessment(http, org) for _ in range(args.clients)]
            ids += mine
            save_scripts.append(folder / f"save-{n}.lua")
            paths = [f"/api/v1/assessments/{a}/answers/{q['id']}" for a in mine for q in questions[:40]]
            values = [[o["value"] for o in q["options"]] for _ in mine for q in questions[:40]]
            save_scripts[-1].write_text(lua_script("PUT", paths, values, headers["Authorization"]))
        floor_script.write_text(
            lua_script("POST", [f"/bench/floor/{a}" for a in ids[: args.clients]], [["x"]] * args.clients)
        )
        floor, save = side_by_side(wrk, base, floor_script, save_scripts, args)
        # Other assessments than wrk's, so every paced save is a change too.
        paced_ids = [new_assessment(http, org) for _ in range(args.clients)]
        paced_paths = [f"/api/v1/assessments/{a}/answers/{q['id']}" for a in paced_ids for q in questions]
        paced_values = [[o["value"] for o in q["options"]] for _ in paced_ids for q in questions]
        steady = asyncio.run(paced(base, paced_paths, paced_values, args.clients, args.rate, args.seconds, headers))
    engine = create_engine(url)
    with engine.connect() as conn:
        stored = conn.execute(
            select(func.count())
            .select_from(AnswerChange)
            .where(AnswerChange.question_id != "bench.floor", AnswerChange.assessment_id.in_(ids))
        ).scalar_one()
    engine.dispose()
    saved_ok = save["requests"] - save["non_2xx"]
    report = {
        "database": "postgresql" if args.postgres else "sqlite",
        "workers": args.workers,
        "clients": args.clients,
        "seconds": args.seconds,
        "floor": floor,
        "answer_save": save,
        "answer_save_paced": steady,
        "throughput_vs_floor": round(save["requests_per_s"] / floor["requests_per_s"], 3),
        # wrk stops counting at each slice's deadline while up to one request per connection is still in flight.
        "history_rows": stored,
        "saves_answered_2xx": saved_ok,
        "no_save_lost": 0 <= stored - saved_ok <= args.clients * args.slices,
        "targets": {
            "p99_under_50ms_at_saturation": save["p99_ms"] < 50,
            "p99_under_50ms_paced": steady["p99_ms"] < 50,
            "throughput_at_least_60pct_of_floor": save["requests_per_s"] >= 0.6 * floor["requests_per_s"],
        },
    }
    print(json.dumps(report, indent=2))
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
