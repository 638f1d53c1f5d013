"""Benchmark: the CPU time of reading one assessment's result in process, warm and cold.

Answers every question of a full-diagnostic draft through the services (70 today: a persona's answers, the
middle option where it was not asked), then times what
`GET /api/v1/assessments/{id}/result` runs (the service and the JSON it sends) for the draft, and for the
same answers once submitted: warm (the scoring or snapshot kept from an earlier read, as when a page, its
charts and the roadmap read the same answers) and cold (those kept scorings cleared first, as after an
answer changes). Median of `--runs` reads each.

    .venv/bin/python bench/result_read.py

Target (issue 16): a result read at most 5 ms of CPU in process.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backend.content.answers import load_answer_file  # noqa: E402
from backend.content.loader import load_content  # noqa: E402
from backend.schemas.views import AnswerPut, AssessmentCreate, OrganisationCreate  # noqa: E402
from backend.services.assessments import results  # noqa: E402
from backend.services.assessments.answers import save_answer  # noqa: E402
from backend.services.assessments.assessments import assessment_result, create_assessment, submit_assessment  # noqa: E402
from backend.services.kernel.context import Context  # noqa: E402
from backend.services.organisations.organisations import create_organisation  # noqa: E402
from backend.storage.db import Database  # noqa: E402

PERSONA = ROOT / "tests" / "data" / "answers" / "accounts-everywhere.yaml"


def cpu_ms(read, runs: int, cold: bool) -> float:
    """Median CPU milliseconds of one read (and its JSON), the kept scorings cleared before each when cold."""
    times = []
    for _ in range(runs):
        if cold:
            results.frozen.cache_clear()
            results._scored.cache_clear()
        start = time.process_time()
        read().model_dump_json()
        times.append((time.process_time() - start) * 1000)
    return round(statistics.median(times), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{Path(folder) / 'bench.db'}")
        db.upgrade()
        ctx = Context(db, load_content())
        org = create_organisation(ctx, OrganisationCreate(name="Result Reads"))
        draft = create_assessment(ctx, org.id, AssessmentCreate(questionnaire_id="full-diagnostic", period="2026-Q1"))
        _, given = load_answer_file(PERSONA, ctx.content)
        # Every question answered (the issue measured a fully answered one): the persona's answer, else the middle option.
        questions = ctx.content.plans["full-diagnostic"].questionnaire.questions
        values = {q.id: given.get(q.id) or q.options[len(q.options) // 2].value for q in questions}
        for question, value in values.items():
            save_answer(
                ctx, draft.id, question, AnswerPut(value=value, reason="not ours" * (value == "not_applicable"))
            )
        read = lambda: assessment_result(ctx, draft.id)  # noqa: E731
        figures = {"draft warm": cpu_ms(read, args.runs, False), "draft cold": cpu_ms(read, args.runs, True)}
        submit_assessment(ctx, draft.id)
        figures |= {"submitted warm": cpu_ms(read, args.runs, False), "submitted cold": cpu_ms(read, args.runs, True)}
        print(f"{len(values)} answers, median CPU ms of a result read over {args.runs} reads:")
        for name, ms in figures.items():
            print(f"  {name}: {ms} ms")
        db.engine.dispose()


if __name__ == "__main__":
    main()
