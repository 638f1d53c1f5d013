"""Reminders by e-mail through a real SMTP server: an organisation's next assessment due by its cadence, roadmap
steps due this quarter and a draft left for two weeks, each sent once to whom it concerns; a user may stop them
from the link in any reminder or from their account."""

from __future__ import annotations

import os
import subprocess
import time
from datetime import date, timedelta

from backend.labels import quarter_of
from backend.services.organisations.members import MemberCreate, add_member
from backend.services.reminders import send_reminders
from tests.integration import mailed
from tests.integration.api import answer, make_assessment, make_org
from tests.integration.web import browser, csrf_of, make_user
from tests.mailserver import link_in, text_of
from tests.server import EXE

# Eighteen days on: a draft started as the test runs has waited more than two weeks by then.
TODAY = date.today() + timedelta(days=18)
NEXT_QUARTER = TODAY + timedelta(days=92)
LEAD, ANA, SHY = "lead@firm.test", "ana@client.test", "shy@client.test"

# The fixtures this module's tests use: a real SMTP server and settings that send to it.
inbox, settings = mailed.inbox, mailed.settings


def submitted(client, org: int, period: str) -> int:
    aid = make_assessment(client, org, period, "executive-quick-check")
    assert answer(client, aid, "qc.social.listening", "ad_hoc").status_code == 201
    assert client.post(f"/api/v1/assessments/{aid}/submit").status_code == 200
    return aid


def members(ctx, org: int) -> None:
    for email, role in ((LEAD, "consultant"), (ANA, "member"), (SHY, "member")):
        add_member(ctx, org, MemberCreate(email=email, role=role))


def subjects(inbox, address: str) -> list[str]:
    return sorted(m["Subject"] for m in inbox.to(address))


def test_each_reminder_goes_once_to_whom_it_concerns(app, client, ctx, inbox, database_url, tmp_path):
    for email in (LEAD, ANA, SHY):
        make_user(ctx, email)
    due = make_org(client, "Due & Co")  # assessed in 2026-Q2, every quarter: 2026-Q3 is overdue
    members(ctx, due)
    submitted(client, due, "2026-Q2")
    yearly = make_org(client, "Yearly Ltd", cadence_quarters=4)  # assessed this quarter, next due in a year
    members(ctx, yearly)
    submitted(client, yearly, quarter_of(TODAY))
    busy = make_org(client, "Busy <Ltd>")  # a draft left since today, with a step due this quarter
    members(ctx, busy)
    period = quarter_of(date.today())
    draft = make_assessment(client, busy, period, "executive-quick-check")
    step = client.get(f"/api/v1/assessments/{draft}/roadmap").json()["items"][0]
    steps = f"/api/v1/assessments/{draft}/roadmap/{step['id']}"
    assert client.patch(steps, json={"due_period": quarter_of(TODAY), "owner": "Ana"}).status_code == 200
    invited = make_org(client, "Invited only")
    add_member(ctx, invited, MemberCreate(email="new@client.test", role="consultant"))  # never signed up
    submitted(client, invited, "2026-Q1")
    inbox.to("new@client.test", 1)  # the invitation
    inbox.messages.clear()

    sent = send_reminders(ctx, TODAY)
    assert (sent.due, sent.steps, sent.idle) == (1, 3, 3)
    inbox.wait_for(7)
    assert subjects(inbox, LEAD) == [
        "Busy <Ltd>: 1 roadmap step due this quarter",
        f"Busy <Ltd>: the {period} draft has waited 18 days",
        "Due & Co: the 2026-Q3 assessment is due",
    ]
    assert "Due & Co: the 2026-Q3 assessment is due" not in subjects(inbox, ANA)  # members are not told of periods
    (mail,) = [m for m in inbox.to(ANA) if "roadmap step" in m["Subject"]]
    assert "(owner: Ana)" in text_of(mail) and f"due this quarter, {quarter_of(TODAY)}" in text_of(mail)
    assert inbox.to("new@client.test") == []  # an invitation not yet taken up gets no reminders
    assert send_reminders(ctx, TODAY) == type(sent)()  # nothing twice
    time.sleep(0.2)
    assert len(inbox.messages) == 7

    # Stopping them from the link in a reminder: a button, not the link alone.
    off = link_in(inbox.to(SHY)[0], "/reminders/off/")
    with browser(app) as web:
        page = web.get(off)
        assert page.status_code == 200 and "Stop all reminders" in page.text
        assert "Reminders are off" not in page.text
        done = web.post(off, data={"_csrf_token": csrf_of(page.text)})
        assert f"Reminders are off for {SHY}" in done.text
    # A step due next quarter reaches the others then, not the one who stopped them; what was sent is not again.
    inbox.messages.clear()
    assert client.patch(steps, json={"due_period": quarter_of(NEXT_QUARTER)}).status_code == 200
    later = send_reminders(ctx, NEXT_QUARTER)
    assert (later.due, later.steps, later.idle) == (0, 2, 0)
    assert inbox.to(SHY) == [] and len(inbox.to(ANA, 1)) == 1

    # And from the command line a cron job runs, as on that day: nothing new.
    done = subprocess.run(
        [str(EXE), "reminders", "send", "--today", NEXT_QUARTER.isoformat()],
        env={
            **os.environ,
            "TRIBEWISE_DATABASE_URL": database_url,
            "TRIBEWISE_DATA_DIR": str(tmp_path),
            "TRIBEWISE_SMTP_URL": inbox.url,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "reminders sent: 0 assessments due, 0 roadmap steps due, 0 idle drafts"


def test_a_user_turns_reminders_off_and_on_from_their_account(app, ctx):
    make_user(ctx, ANA)
    with browser(app, ANA) as web:
        account = web.get("/account")
        assert "Reminders are <strong>on</strong> for you." in account.text
        off = web.post("/account/reminders", data={"on": "0", "_csrf_token": csrf_of(account.text)})
        assert "Reminders are off: Tribewise sends you none" in off.text and "Turn reminders on" in off.text
        on = web.post("/account/reminders", data={"on": "1", "_csrf_token": csrf_of(off.text)})
        assert "Reminders are on." in on.text
