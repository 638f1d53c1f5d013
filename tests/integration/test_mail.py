"""E-mail through a real SMTP server started in the test (aiosmtpd): a forgotten password reset by a link that works
once for an hour, the same answer whether or not an address has an account, invitations mailed with a link that
works, a notice when a password changes, nothing sent twice, and a server that is down loses nothing."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from datetime import timedelta

import itsdangerous.timed
import pytest

from backend.schemas.base import utcnow
from backend.services.mail.outbox import deliver_due
from backend.services.organisations.members import MemberCreate, add_member
from backend.settings import read_settings
from backend.settings import smtp_server as smtp_server_of
from backend.storage.queries.mail import unsent
from tests.integration import mailed
from tests.integration.api import make_org
from tests.integration.web import browser, csrf_of, make_user
from tests.mailserver import html_of, link_in, smtp_server, text_of
from tests.server import free_port

PERSON = "ana@firm.test"
NEW_PASSWORD = "a brand new passphrase"

# The fixtures this module's tests use: a real SMTP server and settings that send to it.
inbox, settings, BASE = mailed.inbox, mailed.settings, mailed.BASE


def ask_for_reset(web, email: str):
    token = csrf_of(web.get("/sign-in/forgot").text)
    return web.post("/sign-in/forgot", data={"email": email, "_csrf_token": token}, follow_redirects=True)


def test_a_forgotten_password_is_reset_by_a_link_mailed_that_works_once(app, ctx, inbox):
    make_user(ctx, PERSON)
    with browser(app) as web:
        sent = ask_for_reset(web, PERSON)
        assert sent.status_code == 200 and "a link to choose a new password is on its way" in sent.text
        (message,) = inbox.wait_for(1)
        assert message["To"] == PERSON and message["Subject"] == "Reset your Tribewise password"
        assert "works once, for one hour" in text_of(message) and BASE + "/reset/" in html_of(message)
        link = link_in(message, "/reset/")
        form = web.get(link)
        assert form.status_code == 200 and PERSON in form.text and "Choose a new password" in form.text
        # The old password keeps working until a new one is chosen: asking cannot lock anyone out.
        with browser(app, PERSON):
            pass
        data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "_csrf_token": csrf_of(form.text)}
        done = web.post(link, data=data, follow_redirects=False)
        assert done.status_code == 303
        again = web.get(link)
        assert again.status_code == 400 and "already been used" in again.text
    with browser(app, PERSON, NEW_PASSWORD):
        pass
    changed = inbox.wait_for(2)[1]
    assert changed["To"] == PERSON and changed["Subject"] == "Your Tribewise password was changed"
    assert f"{BASE}/sign-in/forgot" in text_of(changed)
    assert deliver_due(ctx, waiting_too=True).sent == 0 and len(inbox.messages) == 2  # nothing twice


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(app, ctx, inbox):
    make_user(ctx, PERSON)
    with browser(app) as web:
        known, unknown = ask_for_reset(web, PERSON), ask_for_reset(web, "nobody@firm.test")
    assert known.status_code == unknown.status_code == 200
    strip = lambda html: html.split("<main", 1)[1].split("</main>", 1)[0]  # noqa: E731
    assert strip(known.text) == strip(unknown.text)
    assert [m["To"] for m in inbox.wait_for(1)] == [PERSON]
    time.sleep(0.2)
    assert len(inbox.messages) == 1


def test_a_reset_link_is_refused_when_altered_replaced_or_over_an_hour_old(app, ctx, inbox, monkeypatch):
    make_user(ctx, PERSON)
    with browser(app) as web:
        clock = time.time
        monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: clock() - 3601)
        ask_for_reset(web, PERSON)
        old = link_in(inbox.wait_for(1)[0], "/reset/")
        monkeypatch.undo()
        expired = web.get(old)
        assert expired.status_code == 410 and "this reset link has expired; ask for a new one" in expired.text.lower()
        ask_for_reset(web, PERSON)
        first = link_in(inbox.wait_for(2)[1], "/reset/")
        ask_for_reset(web, PERSON)
        newest = link_in(inbox.wait_for(3)[2], "/reset/")
        assert "replaced by a newer one" in web.get(first).text
        assert web.get(newest[:-3] + "xyz").status_code == 400
        assert web.get(newest).status_code == 200


def test_no_more_than_three_reset_mails_an_hour_go_to_one_address(app, ctx, inbox):
    make_user(ctx, PERSON)
    with browser(app) as web:
        for _ in range(5):
            assert ask_for_reset(web, PERSON).status_code == 200
    time.sleep(0.3)
    assert len(inbox.to(PERSON)) == 3


def test_a_reset_asked_for_an_invited_user_mails_a_fresh_invitation(app, client, ctx, inbox):
    org = make_org(client, "Plum & <Partners>")
    add_member(ctx, org, MemberCreate(email=PERSON, role="member"))
    invitation = inbox.to(PERSON, 1)[0]
    assert invitation["Subject"] == "You are invited to Tribewise"
    assert "the assessments of Plum & <Partners>" in text_of(invitation)
    assert "the assessments of Plum &amp; &lt;Partners&gt;" in html_of(invitation)
    with browser(app) as web:
        ask_for_reset(web, PERSON)
        again = inbox.to(PERSON, 2)[1]
        assert again["Subject"] == "You are invited to Tribewise"
        assert "replaced by a newer one" in web.get(link_in(invitation, "/invitation/")).text
        link = link_in(again, "/invitation/")
        form = web.get(link)
        data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "_csrf_token": csrf_of(form.text)}
        assert web.post(link, data=data, follow_redirects=False).status_code == 303
    time.sleep(0.2)
    assert len(inbox.to(PERSON)) == 2  # choosing a first password is no change to warn about


def test_mail_that_cannot_be_sent_is_kept_with_the_reason_and_sent_once_the_server_is_back(
    app, ctx, inbox, database_url, tmp_path
):
    port = free_port()  # nothing listens here yet
    down = replace(ctx, mail=replace(ctx.mail, smtp_url=f"smtp://127.0.0.1:{port}?starttls=off"))
    make_user(down, PERSON)
    from backend.services.accounts.resets import request_reset

    request_reset(down, PERSON)  # no error for the person asking: the mail waits
    with down.db.read() as session:
        (waiting,) = unsent(session)
    assert waiting.attempts == 1 and "refused the connection" in waiting.last_error
    assert waiting.next_attempt_at > utcnow() + timedelta(seconds=30)  # backing off
    assert deliver_due(down).sent == 0  # not due yet
    with smtp_server(port) as back:
        done = deliver_due(down, waiting_too=True)
        assert (done.sent, done.failed) == (1, 0)
        assert [m["Subject"] for m in back.wait_for(1)] == ["Reset your Tribewise password"]
        assert deliver_due(down, waiting_too=True).sent == 0
    with down.db.read() as session:
        assert unsent(session) == []


def test_without_a_mail_server_mail_is_written_to_the_outbox_folder(app, ctx, tmp_path):
    local = replace(ctx, mail=replace(ctx.mail, smtp_url=""))
    make_user(local, PERSON)
    from backend.services.accounts.resets import request_reset

    request_reset(local, PERSON)
    (written,) = (tmp_path / "outbox").glob("*.eml")
    raw = written.read_text()
    assert "To: ana@firm.test" in raw and "Subject: Reset your Tribewise password" in raw and f"{BASE}/reset/" in raw


@pytest.mark.parametrize(
    "name, value, said",
    [
        ("TRIBEWISE_SMTP_URL", "smtp://mail.example.com:port", "TRIBEWISE_SMTP_URL: the port must be a number"),
        ("TRIBEWISE_SMTP_URL", "smtp://mail.example.com?starttls=maybe", "TRIBEWISE_SMTP_URL: starttls may be auto"),
        ("TRIBEWISE_MAIL_FROM", "Tribewise", "TRIBEWISE_MAIL_FROM: 'Tribewise' is not an e-mail address"),
        ("TRIBEWISE_BASE_URL", "tribewise.example.com", "TRIBEWISE_BASE_URL: 'tribewise.example.com' is not a web"),
    ],
)
def test_a_mail_setting_written_wrong_is_refused_at_start_saying_how_to_write_it(monkeypatch, name, value, said):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=re.escape(said)):
        read_settings()


def test_the_smtp_address_is_read_into_its_parts():
    server = smtp_server_of("smtps://mailer%40firm:p%40ss@mail.firm.test")
    assert (server.host, server.port, server.ssl, server.starttls) == ("mail.firm.test", 465, True, "off")
    assert (server.user, server.password) == ("mailer@firm", "p@ss")
    plain = smtp_server_of("smtp://mail.firm.test?starttls=required")
    assert (plain.port, plain.ssl, plain.starttls, plain.user) == (587, False, "required", "")


def test_a_share_link_is_mailed_to_the_addresses_typed_and_opens_the_report(app, client, anonymous, ctx, inbox):
    from tests.integration.api import make_assessment

    org = make_org(client, "Plum & <Partners>")
    aid = make_assessment(client, org, "2026-Q3")
    refused = client.post(f"/api/v1/assessments/{aid}/share-links", json={"draft": True, "send_to": ["not-an-address"]})
    assert refused.status_code == 400 and "send_to" in refused.text
    made = client.post(
        f"/api/v1/assessments/{aid}/share-links",
        json={"variant": "summary", "draft": True, "send_to": ["board@plum.test", "chair@plum.test"]},
    )
    assert made.status_code == 201, made.text
    assert made.json()["sent_to"] == ["board@plum.test", "chair@plum.test"]
    (mail,) = inbox.to("board@plum.test", 1)
    assert mail["Subject"] == "Plum & <Partners>: the 2026-Q3 report"
    assert "the one-page summary of Plum & <Partners> for 2026-Q3" in text_of(mail)
    assert "still a draft" in text_of(mail) and "Plum &amp; &lt;Partners&gt;" in html_of(mail)
    opened = anonymous.get(link_in(mail, "/share/"))
    assert opened.status_code == 200 and opened.content.startswith(b"%PDF-")
    assert len(inbox.to("chair@plum.test", 1)) == 1
    (event,) = [
        e for e in client.get(f"/api/v1/organisations/{org}/audit").json() if e["action"] == "share_link.create"
    ]
    assert event["after"]["sent_to"] == ["board@plum.test", "chair@plum.test"]


def test_a_closed_workshop_mails_its_summary_once_to_each_participant_who_left_an_address(
    app, client, anonymous, ctx, inbox
):
    from tests.integration.api import make_assessment

    org = make_org(client, "Plum & <Partners>")
    aid = make_assessment(client, org, "2026-Q4", "executive-quick-check")
    workshop = f"/api/v1/assessments/{aid}/workshop"
    code = client.post(workshop).json()["code"]
    people = {"Ana": "ana@plum.test", "Ben": None, "Cy": "cy@plum.test"}
    for name, address in people.items():
        joined = anonymous.post(f"/api/v1/workshops/{code}/participants", json={"name": name, "email": address})
        assert joined.status_code == 201, joined.text
        assert "email" not in joined.json()  # never shown back, not even to its owner
    refused = anonymous.post(f"/api/v1/workshops/{code}/participants", json={"name": "Dee", "email": "dee"})
    assert refused.status_code == 400 and "email" in refused.text
    client.put(f"{workshop}/consensus/qc.social.listening", json={"value": "main_networks", "rationale": "agreed"})

    still_open = client.post(f"{workshop}/summary-mail")
    assert still_open.status_code == 409 and "close it first" in still_open.json()["detail"]
    client.patch(workshop, json={"status": "closed"})
    assert client.post(f"{workshop}/summary-mail").json() == {"sent": 2}
    (ana,) = inbox.to("ana@plum.test", 1)
    assert ana["Subject"] == "Plum & <Partners>: what the workshop agreed (2026-Q4)"
    body = text_of(ana)
    assert body.startswith("Hello Ana,") and "Stages of social media integration (Brian Solis): Stage" in body
    assert "The first next steps:\n1. " in body.replace("\r\n", "\n")
    assert "Plum &amp; &lt;Partners&gt;" in html_of(ana)
    assert len(inbox.to("cy@plum.test", 1)) == 1
    assert client.post(f"{workshop}/summary-mail").json() == {"sent": 0}  # nobody gets it twice
    time.sleep(0.2)
    assert len([m for m in inbox.messages if "what the workshop agreed" in m["Subject"]]) == 2
    events = [
        e for e in client.get(f"/api/v1/organisations/{org}/audit").json() if e["action"] == "workshop.summary_mail"
    ]
    assert [e["after"]["sent_to"] for e in events] == [0, 2]
    # The export carries the room, not the addresses people left for this one mail.
    assert "ana@plum.test" not in client.get(f"/api/v1/organisations/{org}/export.json").text


def test_the_console_offers_the_summary_mail_once_the_workshop_is_closed(app, client, anonymous, ctx, inbox):
    from tests.integration.api import make_assessment

    org = make_org(client, "Fjord")
    aid = make_assessment(client, org, "2026-Q4", "executive-quick-check")
    workshop = f"/api/v1/assessments/{aid}/workshop"
    code = client.post(workshop).json()["code"]
    with browser(app) as phone:
        form = phone.get(f"/join/{code}")
        assert 'name="email" type="email"' in form.text
        joined = phone.post(
            f"/join/{code}",
            data={"name": "Ana", "email": "ana@fjord.test", "_csrf_token": csrf_of(form.text)},
            follow_redirects=False,
        )
        assert joined.status_code == 303, joined.text
    make_user(ctx, "lead@fjord.test", "admin")
    with browser(app, "lead@fjord.test") as lead:
        assert "E-mail the summary" not in lead.get(f"/assessments/{aid}/workshop").text
        client.patch(workshop, json={"status": "closed"})
        console = lead.get(f"/assessments/{aid}/workshop")
        assert "E-mail the summary to the 1 participant who left an address" in console.text
        sent = lead.post(
            f"/assessments/{aid}/workshop/summary", data={"_csrf_token": csrf_of(console.text)}, follow_redirects=True
        )
        assert "Summary sent to 1 participant" in sent.text
    assert len(inbox.to("ana@fjord.test", 1)) == 1
