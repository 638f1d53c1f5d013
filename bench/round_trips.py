"""Benchmark: how many times one answer save talks to the database, and its CPU time in process.

Creates an organisation and a full-diagnostic draft through the services, then saves the same 60
answers twice over (a first answer, then a changed one) and counts what reaches the database per
save: each statement the driver runs, and each transaction begin and commit (on PostgreSQL each is
a network round trip; the BEGIN goes out with the first statement's trip only if the driver
pipelines, which psycopg does not). Also the median CPU time of a save.

    .venv/bin/python bench/round_trips.py                                    # SQLite
    bash .ci/with-postgres.sh .venv/bin/python bench/round_trips.py --postgres
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backend.content.loader import load_content  # noqa: E402
from backend.schemas.views import AnswerPut, AssessmentCreate, OrganisationCreate  # noqa: E402
from backend.services.assessments.answers import save_answer  # noqa: E402
from backend.services.assessments.assessments import create_assessment  # noqa: E402
from backend.services.kernel.context import Context  # noqa: E402
from backend.services.organisations.organisations import create_organisation  # noqa: E402
from backend.storage.db import Database  # noqa: E402
from bench.common import database  # noqa: E402

SAVES = 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="a fresh database on the test PostgreSQL server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Database(database(args, Path(folder)))
        db.upgrade()
        ctx = Context(db, load_content())
        org = create_organisation(ctx, OrganisationCreate(name="Round Trips"))
        draft = create_assessment(ctx, org.id, AssessmentCreate(questionnaire_id="full-diagnostic", period="2026-Q1"))
        questions = [q for q in ctx.content.plans["full-diagnostic"].questionnaire.questions if q.options][:SAVES]
        talks: Counter[str] = Counter()
        event.listen(db.engine, "before_cursor_execute", lambda *a: talks.update(["statements"]))
        event.listen(db.engine, "begin", lambda *a: talks.update(["begins"]))
        event.listen(db.engine, "commit", lambda *a: talks.update(["commits"]))
        cpu = []
        for round_ in range(2):
            for question in questions:
                value = question.options[round_ % len(question.options)].value
                start = time.process_time()
                save_answer(ctx, draft.id, question.id, AnswerPut(value=value))
                cpu.append((time.process_time() - start) * 1000)
        saves = 2 * len(questions)
        engine = "PostgreSQL" if args.postgres else "SQLite"
        print(f"{engine}: {saves} saves of a full-diagnostic draft (first answers, then changed ones)")
        for name in ("statements", "begins", "commits"):
            print(f"  {name} per save: {talks[name] / saves:.2f}")
        print(f"  round trips per save: {sum(talks.values()) / saves:.2f}")
        print(f"  CPU per save in process: median {statistics.median(cpu):.2f} ms, max {max(cpu):.2f} ms")
        db.engine.dispose()


if __name__ == "__main__":
    main()
