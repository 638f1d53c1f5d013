"""An organisation's logo and accent colour through the JSON API: a PNG within the limits is kept and served back
to those who may see the organisation, anything else refused with what to change; the accent must read on white."""

from __future__ import annotations

import io
import os

from PIL import Image

from backend.services.organisations.branding import contrast_on_white
from backend.services.organisations.members import MemberCreate, add_member
from tests.integration.api import make_org
from tests.integration.conftest import bearer_for


def picture(width: int = 120, height: int = 60, kind: str = "PNG", colour=(11, 83, 148)) -> bytes:
    """An image file of one colour in the given format."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format=kind)
    return out.getvalue()


def noise(side: int) -> bytes:
    """A PNG of random pixels, which compress to nothing: about 3 bytes a pixel."""
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, format="PNG")
    return out.getvalue()


def upload(content: bytes, name: str = "logo.png") -> dict:
    """The multipart file field the logo is sent in."""
    return {"logo": (name, content, "image/png")}


def logo_url(org: int) -> str:
    return f"/api/v1/organisations/{org}/logo"


def test_a_png_logo_is_kept_served_back_privately_and_removed(client):
    org = make_org(client)
    assert client.get(logo_url(org)).status_code == 404
    saved = client.put(logo_url(org), files=upload(picture()))
    assert saved.status_code == 200, saved.text
    assert saved.json() == {"accent": "", "has_logo": True}
    served = client.get(logo_url(org))
    assert served.status_code == 200 and served.headers["content-type"] == "image/png"
    assert "private" in served.headers["cache-control"]
    with Image.open(io.BytesIO(served.content)) as image:
        assert (image.format, image.size) == ("PNG", (120, 60))
    assert client.get(logo_url(org), headers={"If-None-Match": served.headers["etag"]}).status_code == 304
    assert client.delete(logo_url(org)).status_code == 204
    assert client.get(logo_url(org)).status_code == 404
    assert client.get(f"/api/v1/organisations/{org}/branding").json() == {"accent": "", "has_logo": False}
    events = [e for e in client.get(f"/api/v1/organisations/{org}/audit").json() if e["action"] == "organisation.logo"]
    assert [e["after"] for e in events] == [None, {"bytes": events[1]["after"]["bytes"], "width": 120, "height": 60}]


def test_a_jpeg_is_refused_with_the_way_to_fix_it(client):
    org = make_org(client)
    refused = client.put(logo_url(org), files=upload(picture(kind="JPEG")))
    assert refused.status_code == 400
    assert refused.json()["detail"] == "the logo is a JPEG image: upload a PNG or an SVG file"
    assert client.get(logo_url(org)).status_code == 404


HOSTILE_SVG = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="240" height="80">
  <script>alert(document.cookie)</script>
  <rect width="240" height="80" fill="#7a1f5c" onclick="alert(1)"/>
  <a href="https://evil.example/"><circle cx="40" cy="40" r="30" fill="#ffffff"/></a>
  <image xlink:href="/etc/hostname" width="10" height="10"/>
  <foreignObject width="10" height="10"><iframe src="https://evil.example/"/></foreignObject>
  <text x="80" y="50" fill="#ffffff">Plum &amp; Partners &secret;</text>
</svg>"""


def svg_upload(content: bytes) -> dict:
    return {"logo": ("logo.svg", content, "image/svg+xml")}


def test_an_svg_logo_is_redrawn_so_nothing_but_its_shapes_and_text_is_kept(client):
    org = make_org(client)
    saved = client.put(logo_url(org), files=svg_upload(HOSTILE_SVG))
    assert saved.status_code == 200, saved.text
    served = client.get(logo_url(org))
    assert served.status_code == 200 and served.headers["content-type"].startswith("image/svg+xml")
    assert "sandbox" in served.headers["content-security-policy"]
    assert served.headers["content-disposition"].endswith('logo.svg"')
    kept = served.text
    assert "<svg" in kept and "Plum &amp; Partners" in kept
    for dropped in ("<script", "onclick", "evil.example", "/etc/", "foreignObject", "iframe", "root:", "ENTITY"):
        assert dropped not in kept, dropped
    events = [e for e in client.get(f"/api/v1/organisations/{org}/audit").json() if e["action"] == "organisation.logo"]
    assert events[0]["after"]["width"] == 180 and events[0]["after"]["height"] == 60  # 240 × 80 px in points


def test_an_svg_that_cannot_be_read_or_is_too_large_is_refused_saying_what_to_do(client):
    org = make_org(client)
    refused = client.put(logo_url(org), files=svg_upload(b"<svg"))
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("the SVG drawing could not be read: save it again as plain SVG")
    empty = b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>"
    refused = client.put(logo_url(org), files=svg_upload(empty))
    assert refused.status_code == 400 and refused.json()["detail"].startswith("the SVG drawing draws nothing")
    huge = b"<svg xmlns='http://www.w3.org/2000/svg' width='9000' height='10'><rect width='9000' height='10'/></svg>"
    refused = client.put(logo_url(org), files=svg_upload(huge))
    assert refused.status_code == 400 and "6750 × 8 points and may be at most 2000 × 2000" in refused.json()["detail"]
    assert client.get(logo_url(org)).status_code == 404


def test_garbage_bytes_and_a_cut_off_png_are_refused(client):
    org = make_org(client)
    for body in (b"\x00\x01 not a picture at all", picture()[:-40]):
        refused = client.put(logo_url(org), files=upload(body))
        assert refused.status_code == 400, body[:20]
        assert refused.json()["detail"] == "the file is not an image that can be read: upload a PNG or an SVG file"
    assert client.get(logo_url(org)).status_code == 404


def test_a_file_over_512_kb_is_refused_saying_the_limit(client):
    org = make_org(client)
    big = noise(500)
    assert len(big) > 512 * 1024
    refused = client.put(logo_url(org), files=upload(big))
    assert refused.status_code == 400
    detail = refused.json()["detail"]
    assert "may be at most 512\u00a0KB" in detail and "fewer pixels" in detail


def test_a_picture_over_2000_pixels_is_refused_saying_the_limit(client):
    org = make_org(client)
    refused = client.put(logo_url(org), files=upload(picture(2001, 20)))
    assert refused.status_code == 400
    assert refused.json()["detail"] == (
        "the logo is 2001 × 20 pixels and may be at most 2000 × 2000: scale it down and upload it again"
    )


def test_an_accent_colour_is_kept_lower_case_and_an_empty_one_restores_the_default(client):
    org = make_org(client)
    saved = client.put(f"/api/v1/organisations/{org}/accent", json={"accent": "#7A1F5C"})
    assert saved.status_code == 200 and saved.json() == {"accent": "#7a1f5c", "has_logo": False}
    assert client.put(f"/api/v1/organisations/{org}/accent", json={"accent": ""}).json()["accent"] == ""
    events = [
        e for e in client.get(f"/api/v1/organisations/{org}/audit").json() if e["action"] == "organisation.accent"
    ]
    assert [e["after"] for e in events] == [{"accent": ""}, {"accent": "#7a1f5c"}]


def test_a_colour_not_written_as_hex_is_refused(client):
    org = make_org(client)
    for bad in ("red", "#12345", "#12345g", "0b5394"):
        refused = client.put(f"/api/v1/organisations/{org}/accent", json={"accent": bad})
        assert refused.status_code == 400, bad
        assert "# and six hexadecimal digits, such as #0b5394" in refused.text, refused.text


def test_a_light_colour_is_refused_naming_its_contrast(client):
    org = make_org(client)
    refused = client.put(f"/api/v1/organisations/{org}/accent", json={"accent": "#ffcc00"})
    assert refused.status_code == 400
    assert refused.json()["detail"] == (
        "the accent colour #ffcc00 has a contrast of 1.5:1 on white and needs at least 4.5:1 to be read in "
        "headings: choose a darker colour"
    )
    assert client.get(f"/api/v1/organisations/{org}/branding").json()["accent"] == ""


def test_the_contrast_follows_wcag():
    assert round(contrast_on_white("#000000"), 2) == 21.0
    assert round(contrast_on_white("#ffffff"), 2) == 1.0
    assert round(contrast_on_white("#767676"), 2) == 4.54  # the lightest grey that passes AA on white


def test_viewers_see_the_logo_but_may_not_change_it(client, ctx, anonymous):
    org = make_org(client)
    assert client.put(logo_url(org), files=upload(picture())).status_code == 200
    as_viewer = bearer_for(ctx, "viewer@acme.test", "viewer")
    assert anonymous.get(logo_url(org), headers=as_viewer).status_code == 404  # not a member: nothing is there
    add_member(ctx, org, MemberCreate(email="viewer@acme.test", role="viewer"))
    assert anonymous.get(logo_url(org), headers=as_viewer).status_code == 200
    assert anonymous.put(logo_url(org), files=upload(picture()), headers=as_viewer).status_code == 403
    assert anonymous.delete(logo_url(org), headers=as_viewer).status_code == 403
    refused = anonymous.put(f"/api/v1/organisations/{org}/accent", json={"accent": "#000000"}, headers=as_viewer)
    assert refused.status_code == 403
    assert client.get(f"/api/v1/organisations/{org}/branding").json() == {"accent": "", "has_logo": True}
