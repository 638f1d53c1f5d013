"""What goes over the wire: compressed responses, content-hashed assets cached for a year, ETag/304 on polled reads."""

from __future__ import annotations

import re

from tests.integration import test_pages_workshop as workshop_pages
from tests.integration.api import answer, answer_persona, make_assessment, make_org
from tests.integration.test_pages_workshop import HTMX, KNOWN, QN, _open, _say
from tests.integration.web import browser, make_user

GZIP = {"Accept-Encoding": "gzip"}
PLAIN = {"Accept-Encoding": "identity"}
Q = "fd.knowing.identified_share"
joiner = workshop_pages.joiner  # the same fixture: a participant in a browser of their own


def _both(http, path: str, **extra):
    return http.get(path, headers={**GZIP, **extra}), http.get(path, headers={**PLAIN, **extra})


def test_html_json_csv_and_svg_are_gzipped_and_decode_to_the_same_body(app, ctx, client):
    org = make_org(client)
    assessment = make_assessment(client, org)
    answer_persona(client, ctx, assessment, "loyalty-card")
    make_user(ctx, "lead@acme.test", organisation_id=org, member_role="consultant")
    workshop = make_assessment(client, org, "2026-Q4", QN)
    with browser(app, "lead@acme.test") as web:
        _open(web, workshop)
        for http, path in (
            (web, f"/assessments/{assessment}/results"),
            (client, "/api/v1/questionnaires"),
            (client, f"/api/v1/assessments/{assessment}/result"),
            (client, f"/api/v1/organisations/{org}/answers.csv"),
            (web, "/static/app.css"),
            (web, f"/api/v1/assessments/{workshop}/workshop/qr.svg"),
        ):
            packed, plain = _both(http, path)
            assert packed.status_code == plain.status_code == 200, path
            assert packed.headers.get("content-encoding") == "gzip", path
            assert "content-encoding" not in plain.headers, path
            assert "accept-encoding" in packed.headers["vary"].lower(), path
            assert packed.content == plain.content, path  # httpx decodes the gzip: the same bytes come out
            assert int(packed.headers["content-length"]) < len(plain.content), path


def test_a_pdf_is_sent_as_it_is(client):
    assessment = make_assessment(client, make_org(client))
    pdf = client.get(f"/api/v1/assessments/{assessment}/report.pdf", headers=GZIP)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and "content-encoding" not in pdf.headers


def test_pages_reference_hashed_assets_that_are_cached_for_a_year(app):
    with browser(app) as web:
        html = web.get("/sign-in").text
        urls = re.findall(r'(?:href|src)="(/(?:static|vendor)/[^"]+)"', html)
        assert {u.split("?")[0] for u in urls} >= {"/static/app.css", "/vendor/htmx.min.js", "/static/app.js"}
        for url in urls:
            assert re.search(r"\?v=[0-9a-f]{16}$", url), url
            hashed = web.get(url)
            assert (
                hashed.status_code == 200 and hashed.headers["cache-control"] == "public, max-age=31536000, immutable"
            )
            plain = web.get(url.split("?")[0])  # an old page's unhashed URL keeps working, revalidated
            assert plain.status_code == 200 and plain.content == hashed.content
            assert plain.headers["cache-control"] == "no-cache", url
        stale = web.get("/static/app.css?v=0000000000000000")
        assert stale.status_code == 200 and stale.headers["cache-control"] == "no-cache"
        assert "immutable" not in web.get("/static/no-such.css?v=0000000000000000").headers.get("cache-control", "")


def test_an_unchanged_board_poll_answers_304_and_a_change_a_new_etag(app, client, ctx, joiner):
    org = make_org(client)
    make_user(ctx, "lead@acme.test", organisation_id=org, member_role="consultant")
    draft = make_assessment(client, org, "2026-Q4", QN)
    with browser(app, "lead@acme.test") as web:
        code = _open(web, draft)
        board = f"/assessments/{draft}/workshop/board"
        first = web.get(board, headers=HTMX)
        etag = first.headers["etag"]
        assert first.status_code == 200 and etag.startswith('W/"') and "<html" not in first.text
        assert first.headers["cache-control"] == "private, no-cache"  # the browser keeps it only to revalidate
        again = web.get(board, headers={**HTMX, "If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
        ana = joiner(code, "Ana Example")
        assert web.get(board, headers={**HTMX, "If-None-Match": etag}).status_code == 200  # someone joined
        joined = web.get(board, headers=HTMX).headers["etag"]
        assert _say(ana, code, KNOWN, "most").status_code == 303
        answered = web.get(board, headers={**HTMX, "If-None-Match": joined})
        assert answered.status_code == 200 and answered.headers["etag"] not in (etag, joined)
        assert "1 of 1 answered" in answered.text
        # The ETag is worked out from a few counts before the board is built: every other change shows too.
        seen = {etag, joined, answered.headers["etag"]}
        api = f"/api/v1/assessments/{draft}/workshop"
        section = next(iter(ctx.content.plans[QN].questionnaire.sections)).id
        for change in (
            lambda: _say(ana, code, KNOWN, "nearly_all"),  # an answer changed
            lambda: client.put(f"{api}/consensus/{KNOWN}", json={"value": "most"}),
            lambda: client.patch(f"{api}/sections/{section}", json={"locked": True}),
            lambda: client.patch(f"{api}/questions/{KNOWN}", json={"revealed": True}),
            lambda: client.patch(api, json={"show_names": True}),
        ):
            held = web.get(board, headers=HTMX).headers["etag"]
            assert change().status_code in (200, 303)
            after = web.get(board, headers={**HTMX, "If-None-Match": held})
            assert after.status_code == 200 and after.headers["etag"] not in seen
            seen.add(after.headers["etag"])
            assert web.get(board, headers={**HTMX, "If-None-Match": after.headers["etag"]}).status_code == 304


def test_an_unchanged_result_answers_304_and_a_new_answer_a_new_etag(app, client, ctx):
    org = make_org(client)
    assessment = make_assessment(client, org)
    make_user(ctx, "lead@acme.test", organisation_id=org, member_role="consultant")
    with browser(app, "lead@acme.test") as web:
        for http, path in (
            (client, f"/api/v1/assessments/{assessment}/result"),
            (web, f"/assessments/{assessment}/results"),
        ):
            first = http.get(path)
            etag = first.headers["etag"]
            assert first.status_code == 200 and first.headers["cache-control"] == "private, no-cache"
            unchanged = http.get(path, headers={"If-None-Match": etag})
            assert unchanged.status_code == 304 and unchanged.content == b"", path
            if path.startswith("/api"):
                assert answer(client, assessment, Q, "most").status_code == 201
            else:
                answer_persona(client, ctx, assessment, "loyalty-card")  # what the page shows changes
            changed = http.get(path, headers={"If-None-Match": etag})
            assert changed.status_code == 200 and changed.headers["etag"] != etag and changed.content
