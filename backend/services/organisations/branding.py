"""An organisation's report branding: a logo for the PDF's cover and an accent colour for its title and headings,
each checked before it is kept (a PNG within the size limits; a colour dark enough to read on white)."""

from __future__ import annotations

import io
import re
import warnings

from PIL import Image, UnidentifiedImageError

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
PNG_ONLY = "upload a PNG; SVG is not supported yet"


def branding(ctx: Context, organisation_id: int) -> BrandingPublic:
    """The organisation's accent colour and whether it has a logo."""
    with ctx.db.read() as session:
        row = get_organisation(session, organisation_id)
        return BrandingPublic(accent=row.accent, has_logo=has_logo(session, organisation_id))


def read_logo(ctx: Context, organisation_id: int) -> bytes:
    """The organisation's logo as PNG bytes; a 404 when it has none."""
    logo = logo_or_none(ctx, organisation_id)
    if logo is None:
        raise NotFound("this organisation has no logo; upload one with PUT .../logo", field="logo")
    return logo


def logo_or_none(ctx: Context, organisation_id: int) -> bytes | None:
    """The organisation's logo as PNG bytes, or None when it has none."""
    with ctx.db.read() as session:
        get_organisation(session, organisation_id)
        return logo_of(session, organisation_id)


def set_logo(ctx: Context, organisation_id: int, data: bytes) -> BrandingPublic:
    """Keep a new logo for the report's cover, once it is a PNG within the limits."""
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
    """A PNG within the limits, read back and saved again (so the report can always draw it and no metadata the
    file carried is kept), with its width and height; a 400 that says what to change otherwise."""
    if not data:
        raise Invalid(f"no file arrived: choose the logo file, then {PNG_ONLY}", field="logo")
    if len(data) > MAX_LOGO_BYTES:
        raise Invalid(
            f"the logo is {kilobytes_text(len(data))} and may be at most {kilobytes_text(MAX_LOGO_BYTES)}: "
            "save it with fewer pixels or fewer colours and upload it again",
            field="logo",
        )
    head = data[:256].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")) or b"<svg" in head:
        raise Invalid(f"the logo is an SVG drawing: {PNG_ONLY}", field="logo")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            kind = image.format
            width, height = image.size
            if kind != "PNG":
                raise Invalid(f"the logo is a {kind} image: {PNG_ONLY}", field="logo")
            if width > MAX_LOGO_SIDE or height > MAX_LOGO_SIDE:
                raise Invalid(
                    f"the logo is {width} × {height} pixels and may be at most {MAX_LOGO_SIDE} × {MAX_LOGO_SIDE}: "
                    "scale it down and upload it again",
                    field="logo",
                )
            image.verify()
            # verify() leaves the image unusable; a fresh read decodes every pixel, which a damaged file fails.
            image = Image.open(io.BytesIO(data))
            image.load()
    except Invalid:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning):
        raise Invalid(f"the file is not an image that can be read: {PNG_ONLY}", field="logo") from None
    return _as_png(image), width, height


def _as_png(image: Image.Image) -> bytes:
    clear = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    out = io.BytesIO()
    image.convert("RGBA" if clear else "RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


def _logo_facts(logo: bytes | None) -> dict[str, int] | None:
    if logo is None:
        return None
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
