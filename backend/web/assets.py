"""Static assets: content-hashed URLs for templates, a year's caching for hashed URLs, revalidation otherwise."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs

from litestar.datastructures import MutableScopeHeaders

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
STATIC = FRONTEND / "static"
# htmx and its head-support extension, installed from the npm registry at set-up (package-lock.json pins them).
VENDOR = [FRONTEND / "node_modules" / "htmx.org" / "dist", FRONTEND / "node_modules" / "htmx-ext-head-support" / "dist"]
# URL prefix -> the folders its files are served from (the same ones the static routers mount).
ASSET_DIRS: dict[str, tuple[Path, ...]] = {"/static/": (STATIC,), "/vendor/": tuple(VENDOR)}
IMMUTABLE = b"public, max-age=31536000, immutable"
# An unhashed (or stale-hashed) URL from an old page still works, but is checked with the server each time.
REVALIDATE = b"no-cache"


def _asset_file(url_path: str) -> Path | None:
    for prefix, folders in ASSET_DIRS.items():
        if url_path.startswith(prefix):
            name = url_path[len(prefix) :]
            for folder in folders:
                candidate = (folder / name).resolve()
                if candidate.is_relative_to(folder.resolve()) and candidate.is_file():
                    return candidate
    return None


@lru_cache(maxsize=256)
def _digest(path: Path, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def content_hash(url_path: str) -> str | None:
    """The short content hash of the asset served at `url_path`, or None when no such file is served."""
    found = _asset_file(url_path)
    return _digest(found, found.stat().st_mtime_ns) if found else None


def asset(url_path: str) -> str:
    """The URL templates use for a static asset: its path with `?v=<content hash>`, so a changed file gets a new URL."""
    digest = content_hash(url_path)
    return f"{url_path}?v={digest}" if digest else url_path


async def asset_caching(message, scope) -> None:
    """Hashed asset URLs are cached for a year as immutable; any other asset URL is revalidated each time."""
    if message["type"] != "http.response.start" or not scope.get("path", "").startswith(tuple(ASSET_DIRS)):
        return
    asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("v", [None])[0]
    current = content_hash(scope["path"]) if asked else None
    headers = MutableScopeHeaders(message)
    ok = message.get("status") == 200
    headers["Cache-Control"] = (IMMUTABLE if ok and asked is not None and asked == current else REVALIDATE).decode()
