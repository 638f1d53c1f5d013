"""The organisation page's report logo and colour: plain (no JavaScript) multipart and form posts that save, show and
remove them, refusals that say what to change on the same page, and nothing of it for those who may not manage."""

from __future__ import annotations

import re

from markupsafe import escape

from tests.integration.api import make_org
from tests.integration.test_api_branding import picture
from tests.integration.web import browser, csrf_of, make_user

LEAD = "lead@firm.test"


def consultant_page(app, client, ctx):
    """An organisation whose consultant is signed in, in a browser-like client; its id and page."""
    org = make_org(client, "Plum & Partners")
    make_user(ctx, LEAD, "consultant", org, "consultant")
    return org


def test_a_logo_is_uploaded_by_a_plain_multipart_post_shown_and_removed(app, client, ctx):
    org = consultant_page(app, client, ctx)
    with browser(app, LEAD) as web:
        page = web.get(f"/organisations/{org}")
        assert 'href="#branding">Report logo and colour' in page.text
        assert 'enctype="multipart/form-data"' in page.text and 'accept="image/png,image/svg+xml,.svg"' in page.text
        assert '<label for="f-logo">Logo</label>' in page.text and "Remove logo" not in page.text
        token = csrf_of(page.text)
        saved = web.post(
            f"/organisations/{org}/logo",
            data={"_csrf_token": token},
            files={"logo": ("plum.png", picture(), "image/png")},
            follow_redirects=False,
        )
        assert saved.status_code == 303 and saved.headers["location"].endswith("?notice=logo-saved#branding")
        shown = web.get(saved.headers["location"])
        assert "Logo saved: the PDF report shows it on its cover." in shown.text
        assert f'<img src="/api/v1/organisations/{org}/logo" alt="The logo of {escape("Plum & Partners")}' in shown.text
        preview = web.get(f"/api/v1/organisations/{org}/logo")
        assert preview.status_code == 200 and preview.headers["content-type"] == "image/png"
        removed = web.post(f"/organisations/{org}/logo/remove", data={"_csrf_token": token}, follow_redirects=False)
        assert removed.status_code == 303
        after = web.get(removed.headers["location"]).text
        assert "Logo removed" in after and "<img src=" not in after
        assert web.get(f"/api/v1/organisations/{org}/logo").status_code == 404


def test_a_refused_file_shows_the_page_again_with_the_reason_on_the_field(app, client, ctx):
    org = consultant_page(app, client, ctx)
    with browser(app, LEAD) as web:
        token = csrf_of(web.get(f"/organisations/{org}").text)
        refused = web.post(
            f"/organisations/{org}/logo",
            data={"_csrf_token": token},
            files={"logo": ("photo.jpg", picture(kind="JPEG"), "image/jpeg")},
        )
        assert refused.status_code == 400
        assert (
            '<p class="error" role="alert" id="branding-error">The logo is a JPEG image: upload a PNG or an SVG file</p>'
            in refused.text
        )
        field = re.search(r'<input id="f-logo"[^>]*>', refused.text).group(0)
        assert 'aria-invalid="true"' in field and "branding-error" in field
        empty = web.post(
            f"/organisations/{org}/logo",
            data={"_csrf_token": token},
            files={"logo": ("", b"", "application/octet-stream")},
        )
        assert empty.status_code == 400 and "No file arrived: choose the logo file" in empty.text
        assert web.get(f"/api/v1/organisations/{org}/logo").status_code == 404


def test_the_accent_colour_is_picked_typed_refused_when_too_light_and_reset(app, client, ctx):
    org = consultant_page(app, client, ctx)
    with browser(app, LEAD) as web:
        page = web.get(f"/organisations/{org}").text
        assert '<input id="f-accent" name="accent" type="color" value="#0b5394"' in page
        token = csrf_of(page)
        url = f"/organisations/{org}/accent"
        picked = web.post(url, data={"_csrf_token": token, "accent": "#7a1f5c", "accent_text": ""})
        assert picked.status_code == 200 and "Accent colour saved" in picked.text
        assert 'type="color" value="#7a1f5c"' in picked.text and "Now #7a1f5c." in picked.text
        too_light = web.post(url, data={"_csrf_token": token, "accent": "#7a1f5c", "accent_text": "#FFCC00"})
        assert too_light.status_code == 400
        assert "has a contrast of 1.5:1 on white and needs at least 4.5:1" in too_light.text
        assert "choose a darker colour" in too_light.text
        typed = re.search(r'<input id="f-accent-text"[^>]*>', too_light.text).group(0)
        assert 'value="#FFCC00"' in typed and 'aria-invalid="true"' in typed
        assert client.get(f"/api/v1/organisations/{org}/branding").json()["accent"] == "#7a1f5c"
        reset = web.post(url, data={"_csrf_token": token, "accent": "#7a1f5c", "accent_text": "", "default": "1"})
        assert reset.status_code == 200 and "Now the report’s own blue." in reset.text
        assert client.get(f"/api/v1/organisations/{org}/branding").json()["accent"] == ""


def test_a_viewer_sees_no_branding_form_and_cannot_post_one(app, client, ctx):
    org = make_org(client, "Plum & Partners")
    make_user(ctx, "viewer@firm.test", "viewer", org, "viewer")
    with browser(app, "viewer@firm.test") as web:
        page = web.get(f"/organisations/{org}").text
        assert "Report logo and colour" not in page and 'id="f-logo"' not in page
        token = csrf_of(page)
        refused = web.post(
            f"/organisations/{org}/logo", data={"_csrf_token": token}, files={"logo": ("a.png", picture(), "image/png")}
        )
        assert refused.status_code == 403
        assert (
            web.post(f"/organisations/{org}/accent", data={"_csrf_token": token, "accent": "#000000"}).status_code
            == 403
        )
