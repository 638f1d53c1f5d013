"""Benchmark: score and plan N random full-diagnostic assessments; report per-assessment times.

Target (issue 2): median under 2 ms per assessment on the 2-core reference machine.
Run with `make bench` or `.venv/bin/python bench/scoring.py --count 10000`.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.content.loader import load_content  # noqa: E402
from backend.content.schema import DONT_KNOW, NOT_APPLICABLE  # noqa: E402
from backend.scoring.engine import score_assessment  # noqa: E402
from backend.scoring.models import Answer  # noqa: E402
from backend.scoring.roadmap import plan_roadmap  # noqa: E402

TARGET_MS = 2.0


def random_answers(plan, rng: random.Random) -> list[Answer]:
    """A plausible answer set: mostly options, some don't know / n/a / blanks."""
    out = []
    for q in plan.questionnaire.questions:
        roll = rng.random()
        if roll < 0.05:
            continue
        if roll < 0.09 and q.allow_dont_know:
            out.append(Answer(q.id, DONT_KNOW))
        elif roll < 0.12 and q.allow_not_applicable:
            out.append(Answer(q.id, NOT_APPLICABLE))
        else:
            out.append(Answer(q.id, rng.choice(q.options).value))
    return out


def run(count: int, questionnaire: str, seed: int) -> dict:
    """Time score + plan for `count` random answer sets; return the figures."""
    bundle = load_content()
    plan = bundle.plan(questionnaire)
    rng = random.Random(seed)
    inputs = [random_answers(plan, rng) for _ in range(count)]
    times = []
    for answers in inputs:
        start = time.perf_counter()
        result = score_assessment(bundle, questionnaire, answers)
        plan_roadmap(bundle, result)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "assessments": count,
        "questionnaire": questionnaire,
        "questions": len(plan.questionnaire.questions),
        "median_ms": round(statistics.median(times), 3),
        "p95_ms": round(times[int(0.95 * (count - 1))], 3),
        "max_ms": round(times[-1], 3),
        "total_s": round(sum(times) / 1000, 2),
        "target_median_ms": TARGET_MS,
        "meets_target": statistics.median(times) < TARGET_MS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--questionnaire", default="full-diagnostic")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.count < 1:
        parser.error("--count must be at least 1")
    print(json.dumps(run(args.count, args.questionnaire, args.seed), indent=2))


if __name__ == "__main__":
    main()
