"""The scale benchmark generates its data through the services and measures every route end to end (figures in bench/README.md)."""

import argparse
import importlib.util
import json
from pathlib import Path

from backend.content.loader import load_content
from backend.services.assessments.assessments import list_assessments
from backend.services.exports.exports import parse_export
from backend.services.kernel.context import Context
from backend.services.organisations.members import list_members
from backend.services.organisations.organisations import list_organisations
from backend.storage.db import Database

BENCH = Path(__file__).resolve().parents[2] / "bench" / "scale.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_scale", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def options(tmp_path: Path, *more: str) -> argparse.Namespace:
    """The benchmark's own command line at a tiny scale."""
    argv = ["--organisations", "3", "--quarters", "2", "--samples", "2", "--seed", "1", "--cache", str(tmp_path)]
    return load_bench().options([*argv, *more])


def test_a_generated_organisation_is_an_export_file_the_import_accepts_with_notes_statuses_and_a_draft():
    bench = load_bench()
    content = load_content()
    answers = bench.trajectory(content, bench.personas(content)[0], 4, bench.random.Random(3))
    frozen = [(a, *bench.scored(content, a, False)) for a in answers]
    document = bench.export_document(content, 7, frozen, bench.periods(4), bench.random.Random(4))
    data = parse_export(content, document)
    assert [a.status for a in data.assessments] == ["submitted", "submitted", "submitted", "draft"]
    assert [a.period for a in data.assessments] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    notes = [x.note for a in data.assessments for x in a.answers]
    assert 0.15 < sum(1 for n in notes if n) / len(notes) < 0.45
    statuses = {i.status for a in data.assessments for i in a.roadmap}
    assert "done" in statuses and len(statuses) >= 2
    carried = [i for i in data.assessments[2].roadmap if i.carried_from_id is not None]
    assert carried, "a step planned again next quarter points to the one before"


def test_the_scale_benchmark_generates_once_then_measures_every_route_over_http(tmp_path):
    bench = load_bench()
    figures = bench.run(options(tmp_path))
    assert figures["organisations"] == 3
    routes = {r["route"]: r for r in figures["routes"]}
    for needed in (
        "portfolio page (consultant)",
        "organisation page",
        "results page (submitted)",
        "compare page",
        "progress API",
        "export JSON",
        "full PDF",
        "summary PDF",
    ):
        assert needed in routes
        assert 0 < routes[needed]["p50_ms"] <= routes[needed]["p99_ms"]
        assert routes[needed]["bytes"] > 0
    cached = sorted(p.name for p in tmp_path.glob("scale-*.db"))
    assert len(cached) == 1
    again = bench.run(options(tmp_path))
    assert sorted(p.name for p in tmp_path.glob("scale-*.db")) == cached, "a second run reuses the generated database"
    assert again["preparation_s"] < figures["preparation_s"]
    json.dumps(again)  # the figures are written as JSON
    some = bench.run(options(tmp_path, "--routes", "portfolio"))
    assert [r["route"] for r in some["routes"]] == [r for r in routes if "portfolio" in r] and len(some["routes"]) == 3
    database = Database(f"sqlite:///{tmp_path / cached[0]}")
    try:
        ctx = Context(database, load_content())
        organisations = list_organisations(ctx)
        assert len(organisations) == 3
        for org in organisations:
            assert sorted(m.role for m in list_members(ctx, org.id)) == ["consultant", "member", "viewer"]
            assert [a.status for a in list_assessments(ctx, org.id)] == ["submitted", "draft"]
    finally:
        database.dispose()


def test_the_consultant_measured_holds_a_fifth_of_the_clients_and_three_members_each():
    bench = load_bench()
    clients = [i for i in range(1000) if bench.consultant_of(i) == 0]
    assert len(clients) == 200
    assert {bench.consultant_of(i) for i in range(1000)} == set(range(bench.CONSULTANTS))
