"""The scoring benchmark script runs end to end (its figures live in bench/README.md)."""

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "scoring.py"

pytestmark = pytest.mark.sqlite_only(reason="the scoring benchmark is pure: no database")


def test_scoring_benchmark_runs_on_a_small_count():
    spec = importlib.util.spec_from_file_location("bench_scoring", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    figures = module.run(5, "full-diagnostic", seed=1)
    assert figures["assessments"] == 5
    assert figures["questions"] >= 60
    assert 0 < figures["median_ms"] <= figures["max_ms"]
