"""An organisation's report branding: a logo for the PDF's cover and an accent colour for its title and headings,
each checked before it is kept (a PNG or SVG within the size limits; a colour dark enough to read on white).

An SVG logo is only ever read as a drawing (shapes, text and embedded pictures; no script, link, external file,
network address or XML entity is followed): the report draws it so, and a browser is sent that drawing written out
again, never the file as it came."""

from __future__ import annotations

import io
import logging
import re
import warnings
from functools import lru_cache

from PIL import Image, UnidentifiedImageError
from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing
from svglib.svglib import svg2rlg

from backend.labels import kilobytes_text, ratio_text
from backend.schemas.views import BrandingPublic
from backend.services.kernel.audit import record
from backend.services.kernel.context import Context, get_organisation
from backend.services.kernel.errors import Invalid, NotFound
from backend.storage.queries.organisations import has_logo, logo_of

MAX_LOGO_BYTES = 512 * 1024
MAX_LOGO_SIDE = 2000
# WCAG 2's AA level for normal text: headings in the accent colour are read on the page's white.
MIN_CONTRAST = 4.5
ACCENT = re.compile(r"#[0-9a-fA-F]{6}")
KINDS = "upload a PNG or an SVG file"
SVG_MEDIA_TYPE = "image/svg+xml"
PNG_MEDIA_TYPE = "image/png"


def is_svg(data: bytes) -> bool:
    """Whether the file is an SVG drawing (XML naming an svg element near its start) rather than a picture."""
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<svg", b"<?xml")) or b"<svg" in head


def media_type(logo: bytes) -> str:
    """The media type a kept logo is served with."""
    return SVG_MEDIA_TYPE if is_svg(logo) else PNG_MEDIA_TYPE


def branding(ctx: Context, organisation_id: int) -> BrandingPublic:
    """The organisation's accent colour and whether it has a logo."""
    with ctx.db.read() as session:
        row = get_organisation(session, organisation_id)
        return BrandingPublic(accent=row.accent, has_logo=has_logo(session, organisation_id))


def read_logo(ctx: Context, organisation_id: int) -> bytes:
    """The organisation's logo for a browser: the PNG, or the SVG drawing written out again; a 404 when it has none."""
    logo = logo_or_none(ctx, organisation_id)
    if logo is None:
        raise NotFound("this organisation has no logo; upload one with PUT .../logo", field="logo")
    return _redrawn(logo) if is_svg(logo) else logo


# An organisation page shows the logo on every visit of its managers: the same SVG is redrawn once per process.
@lru_cache(maxsize=32)
def _redrawn(svg: bytes) -> bytes:
    """The SVG drawing written out again by ReportLab: shapes, text and pictures only."""
    return renderSVG.drawToString(drawing_of(svg)).encode()


def logo_or_none(ctx: Context, organisation_id: int) -> bytes | None:
    """The organisation's logo as kept (PNG, or SVG as uploaded and checked), or None when it has none."""
    with ctx.db.read() as session:
        get_organisation(session, organisation_id)
        return logo_of(session, organisation_id)


def set_logo(ctx: Context, organisation_id: int, data: bytes) -> BrandingPublic:
    """Keep a new logo for the report's cover, once it is a PNG or SVG within the limits."""
    logo, width, height = checked_logo(data)
    with ctx.db.write() as session:
        row = get_organisation(session, organisation_id)
        before = _logo_facts(logo_of(session, organisation_id))
        row.logo = logo
        session.add(row)
        session.flush()
        after = {"bytes": len(logo), "width": width, "height": height}
        record(session, organisation_id, ctx.who, "organisation.logo", "organisation", organisation_id, before, after)
        return BrandingPublic(accent=row.accent, has_logo=True)


def clear_logo(ctx: Context, organisation_id: int) -> BrandingPublic:
    """Remove the logo; the cover goes back to the organisation's name alone. Removing none changes nothing."""
    with ctx.db.write() as session:
        row = get_organisation(session, organisation_id)
        before = _logo_facts(logo_of(session, organisation_id))
        if before is not None:
            row.logo = None
            session.add(row)
            session.flush()
            record(
                session, organisation_id, ctx.who, "organisation.logo", "organisation", organisation_id, before, None
            )
        return BrandingPublic(accent=row.accent, has_logo=False)


def set_accent(ctx: Context, organisation_id: int, accent: str) -> BrandingPublic:
    """Keep the report's accent colour ('#rrggbb'), or go back to the report's own with an empty one."""
    accent = checked_accent(accent)
    with ctx.db.write() as session:
        row = get_organisation(session, organisation_id)
        before = row.accent
        if accent != before:
            row.accent = accent
            session.add(row)
            session.flush()
            record(
                session,
                organisation_id,
                ctx.who,
                "organisation.accent",
                "organisation",
                organisation_id,
                {"accent": before},
                {"accent": accent},
            )
        return BrandingPublic(accent=accent, has_logo=has_logo(session, organisation_id))


def checked_logo(data: bytes) -> tuple[bytes, int, int]:
    """The logo as it will be kept, with its width and height: a PNG within the limits read back and saved again, or
    an SVG redrawn (so the report can always draw it and nothing else the file carried is kept); a 400 that says
    what to change otherwise."""
    if not data:
        raise Invalid(f"no file arrived: choose the logo file, then {KINDS}", field="logo")
    if len(data) > MAX_LOGO_BYTES:
        raise Invalid(
            f"the logo is {kilobytes_text(len(data))} and may be at most {kilobytes_text(MAX_LOGO_BYTES)}: "
            "save it with fewer pixels, fewer colours or fewer points and upload it again",
            field="logo",
        )
    if is_svg(data):
        return _checked_svg(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            kind = image.format
            width, height = image.size
            if kind != "PNG":
                raise Invalid(f"the logo is a {kind} image: {KINDS}", field="logo")
            _within_limits(width, height, "pixels")
            image.verify()
            # verify() leaves the image unusable; a fresh read decodes every pixel, which a damaged file fails.
            image = Image.open(io.BytesIO(data))
            image.load()
    except Invalid:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning):
        raise Invalid(f"the file is not an image that can be read: {KINDS}", field="logo") from None
    return _as_png(image), width, height


def _within_limits(width: float, height: float, unit: str) -> None:
    if width > MAX_LOGO_SIDE or height > MAX_LOGO_SIDE:
        raise Invalid(
            f"the logo is {width:.0f} × {height:.0f} {unit} and may be at most {MAX_LOGO_SIDE} × {MAX_LOGO_SIDE}: "
            "scale it down and upload it again",
            field="logo",
        )


def _checked_svg(data: bytes) -> tuple[bytes, int, int]:
    """An SVG logo that reads as a drawing within the limits, with its size in points."""
    unreadable = Invalid(
        "the SVG drawing could not be read: save it again as plain SVG (or export a PNG) and upload it", field="logo"
    )
    try:
        drawing = drawing_of(data)
    except Exception:  # svglib raises what its parser and converters raise on a malformed drawing
        raise unreadable from None
    if drawing is None or not drawing.width or not drawing.height:
        raise unreadable
    if drawing.getBounds() is None:
        raise Invalid(
            "the SVG drawing draws nothing: export the logo again with its shapes and upload it", field="logo"
        )
    _within_limits(drawing.width, drawing.height, "points")
    return data, round(drawing.width), round(drawing.height)


def drawing_of(svg: bytes) -> Drawing | None:
    """An SVG read as a drawing, following no external file, address or XML entity (svglib reads from memory and
    so refuses them); None when it is not SVG at all."""
    svglib_log = logging.getLogger("svglib.svglib")
    level = svglib_log.level
    svglib_log.setLevel(logging.CRITICAL)  # what it skips (an external reference) is refused on purpose, not an error
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return svg2rlg(io.BytesIO(svg))
    finally:
        svglib_log.setLevel(level)


def _as_png(image: Image.Image) -> bytes:
    clear = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    out = io.BytesIO()
    image.convert("RGBA" if clear else "RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


def _logo_facts(logo: bytes | None) -> dict[str, int] | None:
    if logo is None:
        return None
    if is_svg(logo):
        _, width, height = _checked_svg(logo)
        return {"bytes": len(logo), "width": width, "height": height}
    with Image.open(io.BytesIO(logo)) as image:
        width, height = image.size
    return {"bytes": len(logo), "width": width, "height": height}


def checked_accent(accent: str) -> str:
    """'#rrggbb' in lower case, dark enough on white (WCAG contrast of 4.5:1 or more); '' for the report's own."""
    accent = accent.strip()
    if not accent:
        return ""
    if not ACCENT.fullmatch(accent):
        raise Invalid(
            f"the accent colour must be written as # and six hexadecimal digits, such as #0b5394, not {accent[:20]!r}",
            field="accent",
        )
    ratio = contrast_on_white(accent)
    if ratio < MIN_CONTRAST:
        raise Invalid(
            f"the accent colour {accent.lower()} has a contrast of {ratio_text(ratio)} on white and needs at least "
            f"{ratio_text(MIN_CONTRAST)} to be read in headings: choose a darker colour",
            field="accent",
        )
    return accent.lower()


def contrast_on_white(colour: str) -> float:
    """The WCAG 2 contrast ratio of a '#rrggbb' colour against white, from 1 (white itself) to 21 (black)."""
    return 1.05 / (relative_luminance(colour) + 0.05)


def relative_luminance(colour: str) -> float:
    """The WCAG 2 relative luminance of a '#rrggbb' colour: 0 for black, 1 for white."""
    channels = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
