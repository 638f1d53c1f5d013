"""What the HTTP benchmarks share: a throwaway database to run against, and latency percentiles."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def database(args, folder: Path) -> str:
    """A fresh SQLite file in the folder, or with --postgres a fresh database on the test server."""
    if not args.postgres:
        return f"sqlite:///{folder / 'bench.db'}"
    server = os.environ.get("TRIBEWISE_TEST_DATABASE_URL") or sys.exit(
        "--postgres needs TRIBEWISE_TEST_DATABASE_URL (run under .ci/with-postgres.sh)"
    )
    admin = create_engine(make_url(server).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS tw_bench WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE tw_bench"))
    admin.dispose()
    return make_url(server).set(database="tw_bench").render_as_string(hide_password=False)


def percentile(values: list[float], q: float) -> float:
    """The q-quantile of the values (nearest rank), rounded to 0.01 ms."""
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2) if ordered else 0.0
