"""What goes over the wire besides assets: compression, and ETag/304 for polled reads."""

from __future__ import annotations

import hashlib

from litestar import Request, Response
from litestar.config.compression import CompressionConfig


def compression() -> CompressionConfig:
    """Gzip (standard library, every browser) for HTML, JSON, CSV and SVG over 500 bytes; PDFs are already compressed."""
    # Level 6: nearly level 9's size at a fraction of its CPU on 100-200 KB pages.
    return CompressionConfig(backend="gzip", gzip_compress_level=6, exclude=[r"\.pdf$", r"^/share/"])


def etag_of(body: bytes) -> str:
    """A weak validator from the body itself: it changes whenever anything the response shows changes."""
    # Weak because the bytes on the wire differ once compressed; the content they decode to is what it names.
    return f'W/"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


def unchanged(request: Request, etag: str) -> bool:
    """Whether the client's If-None-Match already names this ETag (weak comparison, as RFC 9110 asks)."""
    asked = request.headers.get("if-none-match", "")
    tags = {t.strip().removeprefix("W/") for t in asked.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags


def conditional(request: Request, body: bytes, media_type: str, headers: dict[str, str] | None = None) -> Response:
    """The body with its ETag, or 304 with no body when the client already holds exactly this."""
    etag = etag_of(body)
    headers = {**(headers or {}), "ETag": etag}
    if unchanged(request, etag):
        return Response(b"", status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)
