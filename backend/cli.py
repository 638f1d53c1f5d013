"""The `tribewise` console script."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from backend.content.errors import ContentError
from backend.content.loader import load_content, project_root


@click.group()
def main() -> None:
    """Tribewise: social-customer maturity, assessed over time."""


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
        for issue in err.issues:
            click.echo(str(issue), err=True)
        click.echo(f"{len(err.issues)} problem(s) found in {root}", err=True)
        sys.exit(1)
    questions = sum(len(q.questions) for q in bundle.questionnaires.values())
    recs = len(bundle.recommendations)
    click.echo(
        f"ok: {len(bundle.rubrics)} rubrics, {len(bundle.criteria)} criteria, {recs} recommendations, "
        f"{len(bundle.questionnaires)} questionnaires, {questions} questions; content hash {bundle.content_hash[:12]}"
    )
