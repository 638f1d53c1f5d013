"""The `tribewise` console script."""

from __future__ import annotations

import copy
import errno
import json
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

import click
from pydantic import ValidationError

from backend.content.answers import load_answer_file
from backend.content.errors import ContentError
from backend.content.loader import load_content, project_root
from backend.reports.text import render_text
from backend.scoring.engine import score_assessment
from backend.scoring.export import jsonable
from backend.scoring.models import Answer
from backend.scoring.roadmap import plan_roadmap

APP = "backend.web.app:served_app"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tribewise", message="tribewise %(version)s")
def main() -> None:
    """Tribewise: social-customer maturity, assessed over time."""


def me() -> str:
    """This command as the user can type it again: relative to the current folder when it lies inside it."""
    path = Path(sys.argv[0])
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        return str(path.relative_to(Path.cwd()))
    return sys.argv[0] if path.parent != Path() else path.name


def _refuse(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _message(err: Exception) -> str:
    """A refusal in one line: a service's message, or each invalid field without pydantic's type names and links."""
    if isinstance(err, ValidationError):
        return "; ".join(_field_error(e) for e in err.errors())
    return getattr(err, "message", None) or str(err)


def _field_error(error) -> str:
    if error["type"] == "value_error":  # our validators' messages name the value and the fix already
        return str(error["ctx"]["error"])
    return f"{'.'.join(map(str, error['loc']))}: {error['msg']}"


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

    PATH is a folder holding questionnaires/ and rubrics/, one of those two folders, or one file inside
    them: questionnaires are checked against the rubrics, so the whole content around PATH is checked.
    """
    root = content_root(path.resolve()) if path else project_root()
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


CONTENT_FOLDERS = ("questionnaires", "rubrics")


def content_root(path: Path) -> Path:
    """The folder holding questionnaires/ and rubrics/: PATH itself, or the one around a content file or folder."""
    folder = path.parent if path.is_file() else path
    if folder.name in CONTENT_FOLDERS and not _holds_content(folder):
        folder = folder.parent
    if not _holds_content(folder):
        _refuse(
            f"{path} holds no questionnaires/ or rubrics/ folder; pass the folder that holds them, or one of their files"
        )
    if folder != path:
        click.echo(f"checking the content {path.name} belongs to: {folder}")
    return folder


def _holds_content(folder: Path) -> bool:
    return any((folder / name).is_dir() for name in CONTENT_FOLDERS)


@main.command("score")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the full result and roadmap as JSON.")
@click.option(
    "--size",
    default=None,
    help="The organisation's size as free text ('1-10', 'a single shop', '250-1000 employees'); "
    "under about 50 people, steps come in their small-organisation version.",
)
def score(path: Path, as_json: bool, size: str | None) -> None:
    """Score an answer file (YAML: questionnaire, answers) and print the result and roadmap."""
    from backend.services.organisations.sizes import is_small

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
    """Load the demo organisation (four quarters of history) into the database, once."""
    from backend.services.demo import DEMO_ADMIN, demo_admin, demo_organisation, load_demo

    ctx = _context()
    org = demo_organisation(ctx)
    if org is not None:
        click.echo(f"the demo organisation '{org.name}' is already loaded (id {org.id}); nothing loaded again")
    else:
        org = load_demo(ctx)
        click.echo(f"demo organisation '{org.name}' loaded with id {org.id}")
    password = demo_admin(ctx, reset=False)
    _sign_in_line("http://127.0.0.1:8000", DEMO_ADMIN, password)


def _sign_in_line(address: str, email: str | None, password: str | None = None) -> None:
    """How to sign in: the admin and, once, their new password; else how to set a forgotten one."""
    if email is None:
        click.echo(f"no admin yet: create one with {me()} users create --email you@example.com")
    elif password:
        click.echo(f"sign in at {address}/sign-in as {email} with the password {password}")
    else:
        click.echo(
            f"sign in at {address}/sign-in as {email}; forgot the password? {me()} users password --email {email}"
        )


@main.command("list")
def list_all() -> None:
    """List the organisations and their assessments, with the ids other commands take (`report ID`)."""
    from backend.services.assessments.assessments import list_assessments
    from backend.services.organisations.organisations import list_organisations

    ctx = _context()
    organisations = list_organisations(ctx)
    if not organisations:
        click.echo(f"no organisations yet: load the demo with {me()} demo, or add one in the app")
    for org in organisations:
        click.echo(f"organisation {org.id}: {org.name}" + (" (archived)" if org.archived_at else ""))
        for a in list_assessments(ctx, org.id):
            questionnaire = ctx.content.questionnaires.get(a.questionnaire_id)
            title = questionnaire.title if questionnaire else a.questionnaire_id
            click.echo(f"  assessment {a.id}: {a.period}, {title}, {a.status}")


def _settings():
    """The settings from TRIBEWISE_* variables; a bad one is one line naming it, and exit 1."""
    from backend.settings import get_settings

    try:
        return get_settings()
    except ValueError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)


def _context(content=None):
    """The services' context on the configured database (migrated) and content (loaded unless given)."""
    from backend.services.kernel.context import Context
    from backend.storage.db import Database

    settings = _settings()
    database = Database(settings.database_url)
    database.upgrade()
    return Context(
        database,
        content or load_content(settings.content_dir),
        secret=settings.secret,
        min_group_size=settings.min_group_size,
        mail=settings.mailer,
    )


@main.command("report")
@click.argument("assessment_id", type=int)
@click.option(
    "--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Where to write the PDF."
)
@click.option("--variant", type=click.Choice(["full", "summary"]), default="full", show_default=True)
def report(assessment_id: int, out: Path, variant: str) -> None:
    """Write the PDF report of an assessment to a file."""
    from backend.labels import answered_text, level_figure, level_line
    from backend.reports.render import render_report
    from backend.services.assessments.assessments import assessment_result, read_assessment
    from backend.services.kernel.errors import ServiceError
    from backend.services.reporting import report_data

    ctx = _context()
    try:
        pdf = render_report(report_data(ctx, assessment_id), variant)
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
        if model.steps and model.level is None:
            click.echo(f"{model.title}: {level_line(model)}")
        elif model.steps:
            click.echo(f"{model.title}: {level_figure(model)} of {len(model.steps)}, {level_line(model)}")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option("--demo", is_flag=True, help="On first run (no organisations yet), load the demo organisation.")
@click.pass_obj
def serve(obj: dict | None, host: str, port: int, workers: int, demo: bool) -> None:
    """Start the web app (settings from TRIBEWISE_* variables)."""
    import uvicorn
    from uvicorn.importer import import_from_string

    from backend.services.assessments.roadmaps import ensure_drafts
    from backend.services.kernel.context import Context
    from backend.storage.db import Database

    _check_port(host, port)  # first: a port in use is the commonest start-up failure, and costs nothing to see
    _check_installed()
    with _storage_checked():  # the data folder, where the secret key is kept
        settings = _settings()
    try:
        content = load_content(settings.content_dir)  # once: the checks, the demo and (one worker) the app share it
    except ContentError as err:
        _fail(err, "the content does not validate; fix it before starting the app")
    if workers > 1 and settings.is_sqlite:
        click.echo(
            f"warning: SQLite takes one writer at a time, so {workers} workers only queue for it (and were slower when "
            "measured); use one worker, or PostgreSQL (TRIBEWISE_DATABASE_URL) for several",
            err=True,
        )
    with _storage_checked(settings.database_url):
        database = Database(settings.database_url)
        database.upgrade()  # once, here, so workers do not race to migrate
        database.check_writable()  # a read-only database would otherwise start, then fail every save
        ctx = Context(
            database, content, secret=settings.secret, min_group_size=settings.min_group_size, mail=settings.mailer
        )
        ensure_drafts(ctx)  # once, before the workers: every draft has an item for each step today's content may plan
    address = f"http://{host}:{port}"
    password = None
    if demo:
        from backend.services.demo import load_demo_if_empty

        loaded = load_demo_if_empty(ctx)
        if loaded:
            org, _, password = loaded
            click.echo(f"first run: loaded the demo organisation '{org.name}' (four quarters)")
    click.echo(f"Tribewise on {address} ({'SQLite' if settings.is_sqlite else 'PostgreSQL'}, {workers} worker(s))")
    _sign_in_line(address, _first_admin(ctx), password)
    database.dispose()
    # proxy_headers off: uvicorn would believe X-Forwarded-For from 127.0.0.1; the app decides (TRIBEWISE_TRUSTED_PROXIES).
    options = dict(host=host, port=port, log_level="warning", proxy_headers=False, log_config=_log_config())
    factory = (obj or {}).get("app", APP)  # bench/floor.py serves the app with its floor route
    if workers == 1:
        app = import_from_string(factory)(replace(settings, migrate_on_start=False), content)
        uvicorn.run(app, **options)
    else:  # each worker process builds its own app (and loads the content for itself)
        os.environ["TRIBEWISE_MIGRATE_ON_START"] = "0"
        # uvicorn kills a worker that does not answer its health check in time (5 s by default) and starts
        # another: on a busy machine importing the app takes longer, and the workers restarted for ever.
        uvicorn.run(factory, factory=True, workers=workers, timeout_worker_healthcheck=60, **options)


def _first_admin(ctx) -> str | None:
    """The first admin's email (by email), whom a start-up line tells how to sign in."""
    from backend.services.accounts.users import list_users

    return next((u.email for u in list_users(ctx) if u.role == "admin"), None)


def _check_port(host: str, port: int) -> None:
    """Refuse at once, in one line, when the address cannot be listened on (most often: another server has the port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(
            socket.SOL_SOCKET, socket.SO_REUSEADDR, 1
        )  # as uvicorn binds: a socket in TIME_WAIT is no conflict
        try:
            probe.bind((host, port))
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                _refuse(
                    f"port {port} on {host} is already in use (is Tribewise running already?); stop that server, "
                    f"or choose another port: --port {port + 1} (make run PORT={port + 1})"
                )
            _refuse(f"cannot listen on {host}:{port}: {err.strerror or err}; choose another --host or --port")


def _check_installed() -> None:
    """Refuse, in one line naming the install command, to start without the pieces pages and PDFs need."""
    from backend.reports.fonts import FONTS_PACKAGE, missing_fonts
    from backend.web.pages.render import FRONTEND, VENDOR

    if missing_fonts():
        _refuse(
            f"the PDF report needs the DejaVu fonts ({', '.join(missing_fonts())} not found); "
            f"install them with: sudo apt-get install {FONTS_PACKAGE}"
        )
    if not all(folder.is_dir() for folder in VENDOR):
        _refuse(
            f"the front-end assets (htmx) are not installed in {FRONTEND / 'node_modules'}; "
            f"install them with: npm ci --omit=dev --prefix {FRONTEND}   (make run does it)"
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
            what, fix = (
                where(database_url),
                "make it and its folder writable, or set TRIBEWISE_DATABASE_URL (or TRIBEWISE_DATA_DIR) to a place that is",
            )
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
@click.option(
    "--role", type=click.Choice(["admin", "consultant", "member", "viewer"]), default="admin", show_default=True
)
@click.option("--invite", is_flag=True, help="Set no password: print an invitation link instead.")
def users_create(email: str, role: str, invite: bool) -> None:
    """Create a user (the first admin, say). The password is read from standard input when it is not a terminal."""
    from backend.services.accounts.users import UserCreate, create_user
    from backend.services.kernel.errors import ServiceError

    ctx = _context()
    try:
        data = UserCreate(email=email, role=role, password="" if invite else _password("Password"))
        user = create_user(ctx, data)
    except (ServiceError, ValueError) as err:
        _refuse(_message(err))
    click.echo(
        f"created {user.role} {user.email}" + (f"; invitation: {user.invitation_url}" if user.invitation_url else "")
    )


@users.command("password")
@click.option("--email", required=True)
def users_password(email: str) -> None:
    """Set a user's password (read from standard input when it is not a terminal); signs them out everywhere."""
    from backend.services.accounts.users import set_password
    from backend.services.kernel.errors import ServiceError

    try:
        set_password(_context(), email, _password("New password"))
    except ServiceError as err:
        click.echo(f"error: {err.message}", err=True)
        sys.exit(1)
    click.echo(f"password set for {email}")


@main.group()
def mail() -> None:
    """Outgoing e-mail."""


@mail.command("send")
@click.option("--now", "waiting_too", is_flag=True, help="Also retry now what is waiting after a failed attempt.")
def mail_send(waiting_too: bool) -> None:
    """Deliver the queued e-mail that is due (what a failed attempt left, say); a cron or timer may run it often."""
    from backend.services.mail.outbox import deliver_due

    done = deliver_due(_context(), waiting_too)
    click.echo(f"sent {done.sent}, not sent {done.failed}" + (f": {done.error}" if done.error else ""))
    if done.failed:
        sys.exit(1)


@main.group()
def reminders() -> None:
    """Reminder e-mails."""


@reminders.command("send")
@click.option(
    "--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="Send as on this day (YYYY-MM-DD) instead of today."
)
def reminders_send(today) -> None:
    """Send the reminders due today that were not sent before (safe to run as often as you like)."""
    from backend.services.reminders import send_reminders

    done = send_reminders(_context(), today.date() if today else None)
    click.echo(f"reminders sent: {done.due} assessments due, {done.steps} roadmap steps due, {done.idle} idle drafts")


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
