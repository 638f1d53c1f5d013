"""One Settings object, read once from TRIBEWISE_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from backend.content.loader import project_root


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    """Where data and content live, and how the app behaves."""

    data_dir: Path
    database_url: str
    content_dir: Path
    migrate_on_start: bool
    bench_floor: bool
    threads: int

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def read_settings() -> Settings:
    """Build settings from the environment (no caching: tests call this directly)."""
    data_dir = Path(os.environ.get("TRIBEWISE_DATA_DIR", "data")).resolve()
    url = os.environ.get("TRIBEWISE_DATABASE_URL") or f"sqlite:///{data_dir / 'tribewise.db'}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return Settings(
        data_dir=data_dir,
        database_url=url,
        content_dir=Path(os.environ.get("TRIBEWISE_CONTENT_DIR") or project_root()).resolve(),
        migrate_on_start=_flag("TRIBEWISE_MIGRATE_ON_START", True),
        bench_floor=_flag("TRIBEWISE_BENCH_FLOOR", False),
        threads=max(1, int(os.environ.get("TRIBEWISE_THREADS", "4"))),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return read_settings()
