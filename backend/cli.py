"""The `tribewise` console script."""

from __future__ import annotations

import copy
import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import click

from backend.content.answers import load_answer_file
from backend.content.errors import ContentError
from backend.content.loader import load_content, project_root
from backend.reports.text import render_text
from backend.scoring.engine import score_assessment
from backend.scoring.export import jsonable
from backend.scoring.models import Answer
from backend.scoring.roadmap import plan_roadmap



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
@click.option("--size", default=None, help="The organisation's size as free text ('1-10', 'a single shop', '250-1000 employees'); "
              "under about 50 people, steps come in their small-organisation version.")
def score(path: Path, as_json: bool, size: str | None) -> None:
    """Score an answer file (YAML: questionnaire, answers) and print the result and roadmap."""
    from backend.services.sizes import is_small

    try:
        bundle = load_content()
        data, values = load_answer_file(path, bundle)
    except ContentError as err:
        _fail(err)
    answers = [Answer(q, v, note=data.notes.get(q, "")) for q, v in values.items()]
    result = score_assessment(bundle, data.questionnaire, answers)
    small = is_small(size if size is not None else getattr(data, "size", ""))
    roadmap = plan_roadmap(bundle, result, small)
    if as_json:
        click.echo(json.dumps({"result": jsonable(result), "roadmap": jsonable(roadmap)}, indent=2, ensure_ascii=False))
    else:
        titles = {rid: rec.title for rid, (_, rec) in bundle.recommendations.items()}
        click.echo(render_text(data.name, result, roadmap, dict(bundle.plan(data.questionnaire).questions), titles))


@main.command("demo")
def demo() -> None:
    """Load the demo organisation (four quarters of history) into the database."""
    from backend.services.demo import load_demo

    org = load_demo(_context())
    click.echo(f"demo organisation '{org.name}' loaded with id {org.id}")


def _settings():
    """The settings from TRIBEWISE_* variables; a bad one is one line naming it, and exit 1."""
    from backend.settings import get_settings

    try:
        return get_settings()
    except ValueError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)


def _context():
    from backend.services.context import Context
    from backend.storage.db import Database

    settings = _settings()
    database = Database(settings.database_url)
    database.upgrade()
    return Context(database, load_content(settings.content_dir), secret=settings.secret, min_group_size=settings.min_group_size)


@main.command("report")
@click.argument("assessment_id", type=int)
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Where to write the PDF.")
@click.option("--variant", type=click.Choice(["full", "summary"]), default="full", show_default=True)
def report(assessment_id: int, out: Path, variant: str) -> None:
    """Write the PDF report of an assessment to a file."""
    from backend.labels import answered_text, level_figure, level_line
    from backend.services.assessments import assessment_result, read_assessment
    from backend.services.errors import ServiceError
    from backend.services.reports import assessment_report

    ctx = _context()
    try:
        pdf = assessment_report(ctx, assessment_id, variant)
        assessment, result = read_assessment(ctx, assessment_id), assessment_result(ctx, assessment_id).result
    except ServiceError as err:
        click.echo(f"error: {err.message}", err=True)
        sys.exit(1)
    try:
        out.write_bytes(pdf)
    except OSError as err:
        fix = f"create the folder {out.parent} first" if not out.parent.is_dir() else "choose a file you may write to"
        click.echo(f"error: cannot write {out}: {err.strerror}; {fix}, or pass another --out", err=True)
        sys.exit(1)
    click.echo(f"wrote {out} ({len(pdf) // 1024} KiB)")
    # What the report says first, in the words and figures the pages and the PDF use.
    click.echo(f"{assessment.period}: {answered_text(assessment.answered, assessment.questions)}")
    for model in result.models:
        if model.steps:
            click.echo(f"{model.title}: {level_figure(model)} of {len(model.steps)}, {level_line(model)}")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option("--demo", is_flag=True, help="On first run (no organisations yet), load the demo organisation.")
def serve(host: str, port: int, workers: int, demo: bool) -> None:
    """Start the web app (settings from TRIBEWISE_* variables)."""
    import os

    import uvicorn

    from backend.storage.db import Database

    with _storage_checked():  # the data folder, where the secret key is kept
        settings = _settings()
    try:
        load_content(settings.content_dir)
    except ContentError as err:
        _fail(err, "the content does not validate; fix it before starting the app")
    with _storage_checked(settings.database_url):
        database = Database(settings.database_url)
        database.upgrade()  # once, here, so workers do not race to migrate
        database.check_writable()  # a read-only database would otherwise start, then fail every save
    if demo:
        from backend.services.context import Context
        from backend.services.demo import load_demo_if_empty

        loaded = load_demo_if_empty(Context(database, load_content(settings.content_dir), secret=settings.secret))
        if loaded:
            org, email, password = loaded
            click.echo(f"first run: loaded the demo organisation '{org.name}' (four quarters)")
            click.echo(f"sign in at http://{host}:{port}/sign-in as {email} with the password {password}")
    database.dispose()
    os.environ["TRIBEWISE_MIGRATE_ON_START"] = "0"
    click.echo(f"Tribewise on http://{host}:{port} ({'SQLite' if settings.is_sqlite else 'PostgreSQL'}, {workers} worker(s))")
    # proxy_headers off: uvicorn would believe X-Forwarded-For from 127.0.0.1; the app decides (TRIBEWISE_TRUSTED_PROXIES).
    uvicorn.run(
        "backend.web.app:create_app", factory=True, host=host, port=port, workers=workers, log_level="warning",
        proxy_headers=False, log_config=_log_config(),
    )


def _log_config() -> dict:
    """uvicorn's logging, plus the app's own logger at INFO: what an admin needs to read (an organisation
    deleted, and by whom; an error's traceback) reaches standard error."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["tribewise"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


@contextmanager
def _storage_checked(database_url: str = "") -> Iterator[None]:
    """Where the database (or, without a URL, the data folder) cannot be used: one line saying what and how to fix it, exit 1."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    from backend.storage.db import unwritable, where

    try:
        yield
    except (OSError, DBAPIError) as err:
        if isinstance(err, DBAPIError) and not (unwritable(err) or isinstance(err, OperationalError)):
            raise  # not the database's place or reach (a migration's own failure): its traceback helps more
        if isinstance(err, (NotADirectoryError, FileExistsError)):  # making a folder where a file is
            cause = f"a part of {err.filename} is a file, not a folder"
        elif isinstance(err, OSError):
            cause = f"{err.strerror}: {err.filename}"
        else:
            cause = str(err.orig).strip().splitlines()[0]
        if not database_url:
            what, fix = "the data folder", "set TRIBEWISE_DATA_DIR to a folder this user may write to"
        elif unwritable(err):
            what, fix = where(database_url), "make it and its folder writable, or set TRIBEWISE_DATABASE_URL (or TRIBEWISE_DATA_DIR) to a place that is"
        else:
            what, fix = where(database_url), "check TRIBEWISE_DATABASE_URL and that the database server is running"
        click.echo(f"error: cannot use {what}: {cause}; {fix}", err=True)
        sys.exit(1)


@main.group()
def users() -> None:
    """Accounts."""


def _password(prompt: str) -> str:
    """A password from standard input when it is not a terminal (scripts), else asked twice."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return click.prompt(prompt, hide_input=True, confirmation_prompt=True)


@users.command("create")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(["admin", "consultant", "member", "viewer"]), default="admin", show_default=True)
@click.option("--invite", is_flag=True, help="Set no password: print an invitation link instead.")
def users_create(email: str, role: str, invite: bool) -> None:
    """Create a user (the first admin, say). The password is read from standard input when it is not a terminal."""
    from backend.services.accounts import UserCreate, create_user
    from backend.services.errors import ServiceError

    ctx = _context()
    try:
        data = UserCreate(email=email, role=role, password="" if invite else _password("Password"))
        user = create_user(ctx, data)
    except (ServiceError, ValueError) as err:
        click.echo(f"error: {getattr(err, 'message', err)}", err=True)
        sys.exit(1)
    click.echo(f"created {user.role} {user.email}" + (f"; invitation: {user.invitation_url}" if user.invitation_url else ""))


@users.command("password")
@click.option("--email", required=True)
def users_password(email: str) -> None:
    """Set a user's password (read from standard input when it is not a terminal); signs them out everywhere."""
    from backend.services.accounts import set_password
    from backend.services.errors import ServiceError

    try:
        set_password(_context(), email, _password("New password"))
    except ServiceError as err:
        click.echo(f"error: {err.message}", err=True)
        sys.exit(1)
    click.echo(f"password set for {email}")


@main.group()
def db() -> None:
    """Database migrations."""


@db.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    from backend.storage.db import Database

    Database(_settings().database_url).upgrade(revision)
    click.echo(f"database at {revision}")


@db.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Undo migrations down to REVISION ('base' for an empty database)."""
    from backend.storage.db import Database

    Database(_settings().database_url).downgrade(revision)
    click.echo(f"database at {revision}")
