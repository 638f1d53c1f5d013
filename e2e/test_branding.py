"""An SVG logo previewed on the organisation's page in the real browser: drawn in its own colours, although the
browser is sent only the drawing written out again (scripts and links dropped) under a strict security policy."""

from __future__ import annotations

import dataclasses
import io

from PIL import Image
from playwright.sync_api import Page, expect

from backend.schemas.views import OrganisationCreate
from backend.services.accounts import users
from backend.services.kernel.access import Actor
from backend.services.organisations import branding, organisations
from e2e.conftest import check_accessibility, sign_in

PLUM = (122, 31, 92)
LOGO = b"""<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100">
  <script>document.title = 'ran'</script>
  <rect width="300" height="100" fill="#7a1f5c"/>
  <text x="20" y="60" fill="#ffffff" font-size="28">Plum</text>
</svg>"""


def test_an_svg_logo_shows_in_its_own_colours_on_the_organisation_page(page: Page, server):
    ctx = server.context()
    try:
        with ctx.db.read() as session:
            admin = users.user_by_email(session, "admin@firm.test")
        ctx = dataclasses.replace(ctx, actor=Actor(user_id=admin.id, email=admin.email, role="admin"))
        org = organisations.create_organisation(ctx, OrganisationCreate(name="Plum vector logo", sector="Retail"))
        branding.set_logo(ctx, org.id, LOGO)
    finally:
        ctx.db.dispose()
    sign_in(page, "admin@firm.test")
    page.goto(f"/organisations/{org.id}#branding")
    preview = page.get_by_role("img", name="The logo of Plum vector logo")
    expect(preview).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=preview.element_handle())
    shot = Image.open(io.BytesIO(preview.screenshot())).convert("RGB")
    inside = shot.getpixel((shot.width - 20, shot.height // 2))  # right of the text, inside the frame's padding
    assert all(abs(a - b) <= 4 for a, b in zip(inside, PLUM, strict=True)), inside
    assert page.title() != "ran"
    check_accessibility(page, "organisation branding svg logo")
