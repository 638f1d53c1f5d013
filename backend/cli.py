"""The `tribewise` console script."""

from __future__ import annotations

import sys
from pathlib import Path

import json

import click

from backend.content.answers import load_answer_file
from backend.content.errors import ContentError
from backend.content.loader import load_content, project_root
from backend.reports.text import render_text
from backend.scoring.engine import score_assessment
from backend.scoring.export import jsonable
from backend.scoring.models import Answer
from backend.scoring.roadmap import plan_roadmap

DEMO = Path(__file__).parent / "demo" / "northwind.yaml"


@click.group()
def main() -> None:
    """Tribewise: social-customer maturity, assessed over time."""


def _fail(err: ContentError, summary: str = "") -> None:
    for issue in err.issues:
        click.echo(str(issue), err=True)
    if summary:
        click.echo(summary, err=True)
    sys.exit(1)


@main.group()
def content() -> None:
    """Questionnaires and rubrics."""


@content.command("check")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def content_check(path: Path | None) -> None:
    """Validate every questionnaire and rubric under PATH (default: this project).

    PATH is a folder holding questionnaires/ and rubrics/, or one file inside them.
    """
    root = path or project_root()
    if root.is_file():
        root = root.resolve().parent.parent
    try:
        bundle = load_content(root)
    except ContentError as err:
        _fail(err, f"{len(err.issues)} problem(s) found in {root}")
    questions = sum(len(q.questions) for q in bundle.questionnaires.values())
    recs = len(bundle.recommendations)
    click.echo(
        f"ok: {len(bundle.rubrics)} rubrics, {len(bundle.criteria)} criteria, {recs} recommendations, "
        f"{len(bundle.questionnaires)} questionnaires, {questions} questions; content hash {bundle.content_hash[:12]}"
    )


@main.command("score")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the full result and roadmap as JSON.")
def score(path: Path, as_json: bool) -> None:
    """Score an answer file (YAML: questionnaire, answers) and print the result and roadmap."""
    try:
        bundle = load_content()
        data, values = load_answer_file(path, bundle)
    except ContentError as err:
        _fail(err)
    answers = [Answer(q, v, note=data.notes.get(q, "")) for q, v in values.items()]
    result = score_assessment(bundle, data.questionnaire, answers)
    roadmap = plan_roadmap(bundle, result)
    if as_json:
        click.echo(json.dumps({"result": jsonable(result), "roadmap": jsonable(roadmap)}, indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(data.name, result, roadmap))


@main.command("demo")
@click.pass_context
def demo(ctx: click.Context) -> None:
    """Score the demo organisation's latest assessment and print it."""
    ctx.invoke(score, path=DEMO, as_json=False)
