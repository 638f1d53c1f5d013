"""Benchmark: answer-save throughput and latency over HTTP, beside a bare insert+commit floor.

Starts the real server (`tribewise serve`) on loopback with the floor endpoint mounted,
creates one assessment per client, then drives 50 concurrent connections with wrk:
first against POST /bench/floor/{id} (one insert, one commit), then against
PUT /api/v1/assessments/{id}/answers/{question} (validation, version check, update or
insert, history row, commit). Afterwards it counts the stored history rows to show no
save was lost.

Targets (issue 3): answer-save p99 under 50 ms on SQLite, and throughput at least 60 %
of the floor's. The same run against PostgreSQL with 2 workers:

    .venv/bin/python bench/answers.py                      # SQLite, 1 worker
    bash .ci/with-postgres.sh .venv/bin/python bench/answers.py --postgres --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backend.storage.tables import AnswerChange  # noqa: E402
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
        capture_output=True, text=True, check=True,
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
        "p50_ms": ms("50%"), "p90_ms": ms("90%"), "p99_ms": ms("99%"),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(1) if errors else "",
    }


async def paced(base: str, paths: list[str], values: list[list[str]], clients: int, rate: float, seconds: int, headers: dict) -> dict:
    """Open loop: each client saves on a fixed schedule (rate per second across all clients).

    Latency counts from the scheduled send time, so a slow server cannot hide its queue.
    """
    interval = clients / rate
    latencies: list[float] = []
    failures = 0

    async def user(index: int, http: httpx.AsyncClient) -> None:
        nonlocal failures
        loop = asyncio.get_running_loop()
        start = loop.time() + interval * index / clients
        for visit in range(int(seconds / interval)):
            scheduled = start + visit * interval
            await asyncio.sleep(max(0.0, scheduled - loop.time()))
            k = (index + visit * clients) % len(paths)
            choices = values[k]
            response = await http.put(paths[k], json={"value": choices[(visit + 1) % len(choices)]})
            latencies.append((loop.time() - scheduled) * 1000)
            failures += response.status_code >= 300

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10, headers=headers) as http:
        await asyncio.gather(*(user(i, http) for i in range(clients)))
    latencies.sort()
    pick = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 2)  # noqa: E731
    return {"offered_per_s": rate, "requests": len(latencies), "p50_ms": pick(0.5), "p90_ms": pick(0.9), "p99_ms": pick(0.99), "failures": failures}


def database(args, folder: Path) -> str:
    if not args.postgres:
        return f"sqlite:///{folder / 'bench.db'}"
    server = os.environ.get("TRIBEWISE_TEST_DATABASE_URL") or sys.exit("--postgres needs TRIBEWISE_TEST_DATABASE_URL (run under .ci/with-postgres.sh)")
    admin = create_engine(make_url(server).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS tw_bench WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE tw_bench"))
    admin.dispose()
    return make_url(server).set(database="tw_bench").render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--rate", type=float, default=250.0, help="saves per second offered in the paced phase")
    args = parser.parse_args()
    wrk = ensure_wrk()
    folder = Path(tempfile.mkdtemp(prefix="tribewise-bench-"))
    url = database(args, folder)
    # Saves are made as a signed-in admin with an API token, as scripts would: the check counts.
    headers = admin_headers(url)
    with running_server(url, folder, workers=args.workers, TRIBEWISE_BENCH_FLOOR="1") as base, httpx.Client(base_url=base, headers=headers) as http:
        org = http.post("/api/v1/organisations", json={"name": "Bench"}).json()["id"]
        ids = [http.post(f"/api/v1/organisations/{org}/assessments", json={"questionnaire_id": "full-diagnostic", "period": "2026-Q4"}).json()["id"] for _ in range(args.clients)]
        questions = [q for s in http.get("/api/v1/questionnaires/full-diagnostic").json()["sections"] for q in s["questions"]]
        paths = [f"/api/v1/assessments/{a}/answers/{q['id']}" for a in ids for q in questions[: 40]]
        values = [[o["value"] for o in q["options"]] for _ in ids for q in questions[: 40]]
        floor_script, save_script = folder / "floor.lua", folder / "save.lua"
        floor_script.write_text(lua_script("POST", [f"/bench/floor/{a}" for a in ids], [["x"]] * len(ids)))
        save_script.write_text(lua_script("PUT", paths, values, headers["Authorization"]))
        floor = run_wrk(wrk, base, floor_script, args.seconds, args.clients)
        save = run_wrk(wrk, base, save_script, args.seconds, args.clients)
        # Other assessments than wrk's, so every paced save is a change too.
        paced_ids = [http.post(f"/api/v1/organisations/{org}/assessments", json={"questionnaire_id": "full-diagnostic", "period": "2026-Q4"}).json()["id"] for _ in range(args.clients)]
        paced_paths = [f"/api/v1/assessments/{a}/answers/{q['id']}" for a in paced_ids for q in questions]
        paced_values = [[o["value"] for o in q["options"]] for _ in paced_ids for q in questions]
        steady = asyncio.run(paced(base, paced_paths, paced_values, args.clients, args.rate, args.seconds, headers))
    engine = create_engine(url)
    with engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(AnswerChange).where(AnswerChange.question_id != "bench.floor", AnswerChange.assessment_id.in_(ids))).scalar_one()
    engine.dispose()
    saved_ok = save["requests"] - save["non_2xx"]
    report = {
        "database": "postgresql" if args.postgres else "sqlite", "workers": args.workers, "clients": args.clients, "seconds": args.seconds,
        "floor": floor, "answer_save": save, "answer_save_paced": steady,
        "throughput_vs_floor": round(save["requests_per_s"] / floor["requests_per_s"], 3),
        # wrk stops counting at the deadline while up to one request per connection is still in flight.
        "history_rows": stored, "saves_answered_2xx": saved_ok, "no_save_lost": 0 <= stored - saved_ok <= args.clients,
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
