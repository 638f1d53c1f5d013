"""One Settings object, read once from TRIBEWISE_* environment variables."""

from __future__ import annotations

import hashlib
import ipaddress
import os
import secrets
import time
from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import parseaddr
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from backend.content.loader import project_root
from backend.scoring.workshop import MIN_GROUP_SIZE


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class MailSettings:
    """How mail leaves: through an SMTP server, or (with none set) as .eml files in the outbox folder."""

    outbox: Path
    smtp_url: str = ""  # smtp://user:password@host:587 (STARTTLS when the server offers it), smtps://host:465
    sender: str = "Tribewise <tribewise@localhost>"
    base_url: str = "http://localhost:8000"  # the address links in mail start with

    @property
    def smtp(self) -> SmtpServer | None:
        """The SMTP server's parts, or None when mail goes to the outbox folder."""
        return smtp_server(self.smtp_url) if self.smtp_url else None


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    ssl: bool  # smtps://: TLS from the first byte
    starttls: str  # "auto" (when offered), "required" or "off"
    user: str
    password: str


SMTP_HELP = (
    "write it as smtp://user:password@host:587 (STARTTLS when the server offers it; add ?starttls=required or "
    "?starttls=off) or smtps://user:password@host:465"
)


def smtp_server(url: str) -> SmtpServer:
    """TRIBEWISE_SMTP_URL read into its parts; a ValueError that says how to write it otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError(f"TRIBEWISE_SMTP_URL: '{parts.scheme}://…' is not an SMTP address; {SMTP_HELP}")
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 587)
    except ValueError:
        raise ValueError(f"TRIBEWISE_SMTP_URL: the port must be a number; {SMTP_HELP}") from None
    starttls = parse_qs(parts.query).get("starttls", ["auto"])[0]
    if starttls not in ("auto", "required", "off"):
        raise ValueError(f"TRIBEWISE_SMTP_URL: starttls may be auto, required or off, not '{starttls}'")
    return SmtpServer(
        parts.hostname,
        port,
        parts.scheme == "smtps",
        "off" if parts.scheme == "smtps" else starttls,
        unquote(parts.username or ""),
        unquote(parts.password or ""),
    )


def _mail_settings() -> dict[str, str]:
    url = os.environ.get("TRIBEWISE_SMTP_URL", "").strip()
    if url:
        smtp_server(url)  # refused at start, not at the first mail
    sender = os.environ.get("TRIBEWISE_MAIL_FROM", "").strip() or MailSettings.sender
    name, address = parseaddr(sender)
    try:
        Address(addr_spec=address)
    except (ValueError, IndexError):
        address = ""
    if "@" not in address:
        raise ValueError(
            f"TRIBEWISE_MAIL_FROM: '{sender}' is not an e-mail address; write it as Tribewise <tribewise@example.com>"
        )
    base = os.environ.get("TRIBEWISE_BASE_URL", "").strip().rstrip("/") or MailSettings.base_url
    if urlsplit(base).scheme not in ("http", "https") or not urlsplit(base).hostname:
        raise ValueError(
            f"TRIBEWISE_BASE_URL: '{base}' is not a web address; write the address users open, "
            "such as https://tribewise.example.com"
        )
    return {"smtp_url": url, "mail_from": sender, "base_url": base}


@dataclass(frozen=True)
class Settings:
    """Where data and content live, and how the app behaves."""

    data_dir: Path
    database_url: str
    content_dir: Path
    migrate_on_start: bool
    threads: int
    secret: bytes
    cookie_secure: bool
    min_group_size: int = MIN_GROUP_SIZE
    trusted_proxies: tuple[str, ...] = ()
    gc_freeze: bool = True
    smtp_url: str = ""  # none: mail is written to the outbox folder under data_dir
    mail_from: str = MailSettings.sender
    base_url: str = MailSettings.base_url

    @property
    def mailer(self) -> MailSettings:
        """How mail leaves: through the SMTP server, or to the outbox folder under data_dir."""
        return MailSettings(self.data_dir / "outbox", self.smtp_url, self.mail_from, self.base_url)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _secret(data_dir: Path) -> bytes:
    """TRIBEWISE_SECRET, or a secret generated once and kept in the data folder, so every worker
    and every restart signs sessions and CSRF tokens with the same key."""
    configured = os.environ.get("TRIBEWISE_SECRET")
    if configured:
        if len(configured) < 32:
            raise ValueError("TRIBEWISE_SECRET must be at least 32 characters long")
        return hashlib.sha256(configured.encode()).digest()
    path = data_dir / "secret.key"
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: when several workers start at once, exactly one writes the key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):
            key = path.read_bytes()
            if len(key) == 32:
                return key
            time.sleep(0.02)
        raise RuntimeError(
            f"{path} is not a 32-byte key: delete it to generate a new one (signs everyone out)"
        ) from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(secrets.token_bytes(32))
    return path.read_bytes()


def _min_group_size() -> int:
    """TRIBEWISE_MIN_GROUP_SIZE: the fewest participants a role or department needs to show as its own group."""
    raw = os.environ.get("TRIBEWISE_MIN_GROUP_SIZE", str(MIN_GROUP_SIZE)).strip()
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(
            f"TRIBEWISE_MIN_GROUP_SIZE must be a whole number of 1 or more (1 shows every group), not '{raw}'"
        )
    return int(raw)


def _networks(name: str) -> tuple[str, ...]:
    """A comma-separated list of addresses or CIDR networks, each checked, as network strings."""
    found = []
    for item in filter(None, (part.strip() for part in os.environ.get(name, "").split(","))):
        try:
            found.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ValueError(
                f"{name}: '{item}' is not an IP address or network; use addresses or CIDR networks "
                "separated by commas, such as 127.0.0.1, 10.0.0.0/8"
            ) from None
    return tuple(found)


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
        threads=max(1, int(os.environ.get("TRIBEWISE_THREADS", "4"))),
        secret=_secret(data_dir),
        cookie_secure=_flag("TRIBEWISE_COOKIE_SECURE", True),
        min_group_size=_min_group_size(),
        # Only these peers may say who the client is (X-Forwarded-For); by default nobody may.
        trusted_proxies=_networks("TRIBEWISE_TRUSTED_PROXIES"),
        gc_freeze=_flag("TRIBEWISE_GC_FREEZE", True),
        **_mail_settings(),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return read_settings()
