"""Benchmark: time and peak memory to build the PDF report.

Builds an organisation with 8 submitted quarters of the full diagnostic (about 100 answers
each, with notes), then, for the last quarter, repeatedly gathers the report data and
renders the full report and the one-page summary.

Targets (issue 4): full report median under 300 ms and 80 MB peak; summary under 100 ms.
Memory is measured as the peak resident size of a process that only renders (the data
handed over pickled), next to the Python heap peak of one render (tracemalloc).
Run: `.venv/bin/python bench/report.py [--runs 20]`
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.content.loader import load_content  # noqa: E402
from backend.reports.render import render_report  # noqa: E402
from backend.schemas.views import AnswerPut, AssessmentCreate, OrganisationCreate  # noqa: E402
from backend.services.assessments.answers import save_answer  # noqa: E402
from backend.services.assessments.assessments import create_assessment, submit_assessment  # noqa: E402
from backend.services.kernel.context import Context  # noqa: E402
from backend.services.organisations.organisations import create_organisation  # noqa: E402
from backend.services.reporting import report_data  # noqa: E402
from backend.storage.db import Database  # noqa: E402


def build_history(ctx: Context, periods: int, seed: int) -> int:
    """An organisation with `periods` submitted quarters; returns the last assessment's id."""
    rng = random.Random(seed)
    org = create_organisation(ctx, OrganisationCreate(name="Benchmark & Co <Ltd>", sector="Retail"))
    questions = ctx.content.plan("full-diagnostic").questionnaire.questions
    previous = None
    for n in range(periods):
        period = f"{2025 + n // 4}-Q{n % 4 + 1}"
        a = create_assessment(
            ctx,
            org.id,
            AssessmentCreate(questionnaire_id="full-diagnostic", period=period, baseline_assessment_id=previous),
        )
        for q in questions:
            option = q.options[min(len(q.options) - 1, int(rng.random() * len(q.options) * (0.5 + n / (2 * periods))))]
            note = (
                f"Quarter {period}: observed practice for {q.id}; evidence in the shared drive."
                if rng.random() < 0.3
                else ""
            )
            save_answer(ctx, a.id, q.id, AnswerPut(value=option.value, note=note, answered_by="bench"))
        submit_assessment(ctx, a.id)
        previous = a.id
    return previous


def measure(fn, runs: int) -> tuple[float, float]:
    """Median milliseconds over `runs`, and the peak traced Python memory of one run in MB."""
    fn()  # warm: fonts registered, caches filled
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20


def isolated_rss(data, runs: int, folder: Path) -> float:
    """Peak RSS (MB) of a process that renders the full report `runs` times and does nothing else."""
    path = folder / "data.pickle"
    path.write_bytes(pickle.dumps(data))
    child = Path(__file__).with_name("render_only.py")
    done = subprocess.run(
        [sys.executable, str(child), str(path), str(runs)], capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--periods", type=int, default=8)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tribewise-report-bench-"))
    db = Database(f"sqlite:///{folder / 'bench.db'}")
    db.upgrade()
    ctx = Context(db, load_content())
    last = build_history(ctx, args.periods, seed=11)
    data = report_data(ctx, last)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    full_ms, full_mb = measure(lambda: render_report(data, "full"), args.runs)
    summary_ms, summary_mb = measure(lambda: render_report(data, "summary"), args.runs)
    end_to_end_ms, end_to_end_mb = measure(lambda: render_report(report_data(ctx, last), "full"), args.runs)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rendering_process_mb = isolated_rss(data, args.runs, folder)
    pdf = render_report(data, "full")
    print(
        json.dumps(
            {
                "answers": len(data.questions),
                "periods": len(data.history),
                "pages_bytes": len(pdf),
                "runs": args.runs,
                "full_median_ms": round(full_ms, 1),
                "full_peak_traced_mb": round(full_mb, 1),
                "summary_median_ms": round(summary_ms, 1),
                "summary_peak_traced_mb": round(summary_mb, 1),
                "gather_and_render_median_ms": round(end_to_end_ms, 1),
                "gather_and_render_peak_traced_mb": round(end_to_end_mb, 1),
                "rendering_process_peak_rss_mb": round(rendering_process_mb, 1),
                "app_process_max_rss_mb": round(rss_after, 1),
                "app_process_max_rss_before_rendering_mb": round(rss_before, 1),
                "targets": {
                    "full_under_300ms": full_ms < 300,
                    "full_under_80mb": rendering_process_mb < 80,
                    "summary_under_100ms": summary_ms < 100,
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
