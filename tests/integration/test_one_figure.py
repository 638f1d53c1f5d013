"""Pages, PDF, CLI and API print the same progress figure and the same "answered" count for one assessment.

A real server on a free port, the PDF it serves read back with pypdf, and the `tribewise report` command run as
a process on the same database: each must print what labels.py makes of the figures the API returns.
"""

from __future__ import annotations

import html
import io
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from pypdf import PdfReader

from backend.content.loader import load_content
from backend.labels import answered_text, progress_text
from backend.services.accounts import tokens, users
from backend.services.kernel.context import Context
from backend.storage.db import Database
from tests.integration.api import answer, answer_persona, make_assessment, make_org
from tests.server import running_server

EXE = Path(sys.executable).parent / "tribewise"
EMAIL, PASSWORD = "lead@acme.test", "correct horse battery"
SCREEN, FOLLOW_UP = "fd.presence.active_accounts", "fd.presence.activity_review"


def words(page: str) -> str:
    """A page's text as a reader sees it: tags gone, entities decoded, white space one space."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def pdf_words(data: bytes) -> str:
    """The PDF's text as pypdf extracts it, white space one space."""
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def cli_report(database_url: str, data_dir: Path, assessment_id: int) -> str:
    """What `tribewise report` prints for an assessment (its PDF written to a file)."""
    env = {**os.environ, "TRIBEWISE_DATABASE_URL": database_url, "TRIBEWISE_DATA_DIR": str(data_dir)}
    out = data_dir / f"report-{assessment_id}.pdf"
    done = subprocess.run(
        [str(EXE), "report", str(assessment_id), "--out", str(out)], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _admin(database_url: str) -> dict[str, str]:
    database = Database(database_url)
    try:
        ctx = Context(database, load_content())
        user = users.create_user(ctx, users.UserCreate(email=EMAIL, role="admin", password=PASSWORD))
        return {"Authorization": f"Bearer {tokens.issue_token(ctx, user.id, 'tests').token}"}
    finally:
        database.dispose()


def _sign_in(web: httpx.Client) -> None:
    token = re.search(r'name="_csrf_token" value="([^"]+)"', web.get("/sign-in").text).group(1)
    assert web.post("/sign-in", data={"email": EMAIL, "password": PASSWORD, "_csrf_token": token}).status_code == 200


@pytest.mark.sqlite_only(reason="how a figure is worded in pages, PDF, CLI and API does not depend on the engine")
def test_pages_pdf_cli_and_api_print_the_same_progress_figure_and_answered_count(database_url, tmp_path):
    headers = _admin(database_url)
    ctx = SimpleNamespace(content=load_content())
    with (
        running_server(database_url, tmp_path, TRIBEWISE_COOKIE_SECURE="0") as base,
        httpx.Client(base_url=base, timeout=60, headers=headers) as api,
        httpx.Client(base_url=base, timeout=60, follow_redirects=True) as web,
    ):
        _sign_in(web)
        org = make_org(api, "Acme Outdoor")
        submitted = make_assessment(api, org, "2026-Q1")
        answer_persona(api, ctx, submitted, "brand-monitor")
        assert api.post(f"/api/v1/assessments/{submitted}/submit").status_code == 200
        # A draft whose stored answers include one to a question its screening answer now hides: that one
        # neither counts as answered nor as asked, on any surface.
        draft = make_assessment(api, org, "2026-Q2")
        for question_id, value in ((SCREEN, "dormant"), (FOLLOW_UP, "never"), (SCREEN, "none")):
            assert answer(api, draft, question_id, value).status_code in (200, 201)

        # The progress figure: the API's number, in labels.py's one format.
        models = {m["model"]: m for m in api.get(f"/api/v1/assessments/{submitted}/result").json()["result"]["models"]}
        ladder = models["socialfication"]
        figure = progress_text(ladder["progress"], len(ladder["steps"]))
        rounded = f"{ladder['progress']:.1f} of {len(ladder['steps'])}"  # the portfolio's old copy rounded instead
        shown = {
            "portfolio": words(web.get("/").text),
            "organisation page": words(web.get(f"/organisations/{org}").text),
            "results page": words(web.get(f"/assessments/{submitted}/results").text),
            "PDF": pdf_words(api.get(f"/api/v1/assessments/{submitted}/report.pdf").content),
            "CLI": cli_report(database_url, tmp_path, submitted),
        }
        for surface, text in shown.items():
            assert figure in text, surface
            assert rounded == figure or rounded not in text, surface

        # The answered count: the API's, which the questionnaire, the organisation page, the PDF and the CLI repeat.
        public = api.get(f"/api/v1/assessments/{draft}").json()
        assert public["answered"] == 1  # the screening answer; the hidden follow-up does not count
        assert public["questions"] < len(ctx.content.plans[public["questionnaire_id"]].questions)
        assert [a for a in api.get(f"/api/v1/organisations/{org}/assessments").json() if a["id"] == draft][0][
            "answered"
        ] == 1
        counted = answered_text(public["answered"], public["questions"])
        short = answered_text(public["answered"], public["questions"], short=True)
        assert counted in words(web.get(f"/assessments/{draft}/answer/1").text)
        assert short in words(web.get(f"/organisations/{org}").text)
        assert short in words(web.get("/").text)
        assert counted in pdf_words(api.get(f"/api/v1/assessments/{draft}/report.pdf").content)
        assert counted in cli_report(database_url, tmp_path, draft)
