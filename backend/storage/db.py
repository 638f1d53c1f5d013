"""Engines, sessions and migrations for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import errno
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

# What services may name of the database layer (type hints, the unique-key clash they turn into a 409) without
# importing SQLAlchemy themselves: only storage builds SQL.
__all__ = ["Connection", "Database", "IntegrityError", "Session", "StorageFull"]

MIGRATIONS = Path(__file__).parent / "migrations"
DISK_FULL = "the server cannot store data: disk full"
log = logging.getLogger("tribewise.storage")


class StorageFull(Exception):
    """A write failed for lack of disk space: the server's problem, not the request's; retry later."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def is_disk_full(err: BaseException) -> bool:
    """SQLite's SQLITE_FULL ("database or disk is full") or PostgreSQL's disk_full (SQLSTATE 53100), as SQLAlchemy wraps them."""
    orig = err.orig if isinstance(err, DBAPIError) else err
    code = getattr(orig, "sqlite_errorcode", None)
    return (code is not None and code & 0xFF == sqlite3.SQLITE_FULL) or getattr(orig, "sqlstate", None) == "53100"


def _sqlite_pragmas(dbapi_connection, background_checkpoints: bool) -> None:
    # The driver starts no transaction of its own: Database begins each one as it needs (_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # busy_timeout first, so switching to WAL waits for other connections instead of failing.
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    if background_checkpoints:
        # The server copies the log into the database from a thread of its own (Database.checkpoints):
        # left to the committing request, that copy and its disk flush stall every writer queued behind it.
        cursor.execute("PRAGMA wal_autocheckpoint = 0")
    cursor.close()


def make_engine(url: str, background_checkpoints: bool = False) -> Engine:
    """An engine with the pragmas and pool settings right for the database kind."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(
            engine,
            "connect",
            lambda dbapi_connection, _record: _sqlite_pragmas(dbapi_connection, background_checkpoints),
        )
        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


class Database:
    """One engine and its session factory; `read()` and `write()` open transactions."""

    def __init__(self, url: str, background_checkpoints: bool = False):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.background_checkpoints = background_checkpoints and self.is_sqlite
        self.engine = make_engine(url, self.background_checkpoints)
        self._stop = threading.Event()
        self._checkpointer: threading.Thread | None = None
        self._sessions = sessionmaker(self.engine, class_=Session, expire_on_commit=False)
        if self.is_sqlite:
            event.listen(
                self._sessions,
                "after_begin",
                lambda session, _tx, conn: self._begin(conn, session.info.get("write", False)),
            )
        # SQLite has one writer at a time. Queueing this process's writers on a lock avoids
        # SQLite's busy handler, whose growing sleeps (up to 100 ms) make the latency tail;
        # busy_timeout still arbitrates between processes.
        self._write_lock = threading.Lock() if self.is_sqlite else None
        # Why this process's last write failed for want of space, until a write succeeds again (/healthz says it).
        self.problem: str | None = None
        # What a full disk raises: the services layer installs its own 503 refusal (storage imports nothing above).
        self.full_error: Callable[[str, int], Exception] = StorageFull

    @contextmanager
    def _storing(self) -> Iterator[None]:
        # A full disk is the server's problem, not the request's: a 503 saying so, whichever write met it.
        try:
            yield
        except DBAPIError as err:
            if not is_disk_full(err):
                raise
            self._disk_full(err)
            raise self.full_error(
                f"{DISK_FULL}. Nothing was saved by this request and nothing saved before is lost; "
                "try again once an administrator has freed disk space",
                30,
            ) from None
        self.problem = None

    def _disk_full(self, err: BaseException) -> None:
        if self.problem is None:
            log.error(
                "%s: %s (free space where the database is stored)",
                DISK_FULL,
                err.orig if isinstance(err, DBAPIError) else err,
            )
        self.problem = (
            f"{DISK_FULL} (the last write failed for lack of space); free disk space where the database is stored"
        )

    def _begin(self, conn: Connection, write: bool) -> None:
        # SQLite: a reader's BEGIN makes its reads one snapshot; writers take the lock up front with
        # IMMEDIATE, as a deferred transaction that later writes fails at once with "database is
        # locked" when another writer got there first. Issued here rather than from SQLAlchemy's
        # "begin" event: any listener on the engine makes every statement dispatch events, a
        # quarter of the time of a short read. Sessions call this as they begin (a listener on the
        # session factory, which costs nothing per statement). PostgreSQL's driver begins by itself.
        if self.is_sqlite:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        with self._sessions() as session:
            yield session

    @contextmanager
    def peek(self) -> Iterator[Connection]:
        """A bare connection for a few prebuilt reads, without an ORM session's bookkeeping: every
        request's who-is-asking check runs on one. Nothing it does is committed, and on SQLite its
        reads are not wrapped in a transaction: each sees the database as it is when it runs."""
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction on a bare connection, for prebuilt statements without an ORM session's
        bookkeeping (the answer save, the hottest write): committed when the block ends, rolled back on any error."""
        with self._storing(), self._write_lock or nullcontext(), self.engine.connect() as conn, conn.begin():
            self._begin(conn, write=True)
            yield conn

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back on any error."""
        with self._storing(), self._write_lock or nullcontext(), self._sessions(info={"write": True}) as session:
            session.connection()  # begin now, while this process's writers are held on the lock
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def check_writable(self) -> None:
        """Fail now, with the driver's error, if the database cannot be written (a read-only file,
        folder, disk or server), rather than on a user's first save: a write, rolled back."""
        with self.engine.connect() as conn, conn.begin() as tx:
            self._begin(conn, write=True)
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = version_num")
            tx.rollback()

    def upgrade(self, revision: str = "head") -> None:
        """Apply migrations up to `revision`."""
        command.upgrade(alembic_config(self.url), revision)

    def downgrade(self, revision: str = "base") -> None:
        """Undo migrations down to `revision`."""
        command.downgrade(alembic_config(self.url), revision)

    def checkpoints(self, every: float = 1.0, restart_frames: int = 1000, pause: float = 10.0) -> None:
        """With background checkpoints (SQLite): every `every` seconds until dispose(), copy the
        write-ahead log into the database from a thread of its own.

        A PASSIVE checkpoint copies what it can while requests go on. It cannot start the log over
        while requests keep reading, so under sustained load (SQLite's automatic checkpoint is
        PASSIVE too) the log grew to 290 MB in a minute and every read slowed down with it. When
        the log holds more than `restart_frames` pages (1000, SQLite's own checkpoint size), a
        RESTART, with this process's writers held on their lock, copies the rest and waits for
        readers to leave the log so that it is reused; under light load it is never needed.

        A checkpoint that fails (a full disk: the database file cannot grow) is logged and tried
        again after `pause` seconds: were the thread to end, the log would grow without bound."""
        if not self.background_checkpoints:
            return

        def run() -> None:
            while not self._stop.wait(every):
                try:
                    self._checkpoint(restart_frames)
                except Exception as err:
                    if is_disk_full(err):
                        self._disk_full(err)
                    log.warning(
                        "checkpoint failed, trying again in %s s: %s", pause, err, exc_info=not is_disk_full(err)
                    )
                    self._stop.wait(pause)

        self._checkpointer = threading.Thread(target=run, name="tribewise-checkpoints", daemon=True)
        self._checkpointer.start()

    def _checkpoint(self, restart_frames: int) -> None:
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection
            _busy, frames, _copied = raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            if frames > restart_frames:
                with self._write_lock:
                    raw.execute("PRAGMA wal_checkpoint(RESTART)").close()

    def dispose(self) -> None:
        """Stop the checkpoint thread (a last checkpoint runs), close every pooled connection."""
        if self._checkpointer is not None:
            self._stop.set()
            self._checkpointer.join()
            self._checkpointer = None
            try:
                with self.engine.connect() as conn:
                    conn.connection.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
            except Exception as err:  # a full disk: the log keeps what it holds, and the next start copies it
                log.warning("last checkpoint failed: %s", err)
        self.engine.dispose()


def where(url: str) -> str:
    """The database a URL names, for messages: the SQLite file, or PostgreSQL's host and database without the password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"the SQLite file {parsed.database}"
    return f"the PostgreSQL database {parsed.database} on {parsed.host or 'localhost'}"


def unwritable(err: BaseException) -> bool:
    """Whether an error says the database (or its folder or disk) cannot be written to: a read-only file,
    folder or file system, or a path through a file; PostgreSQL's read-only transactions too."""
    orig = err.orig if isinstance(err, DBAPIError) else err
    if isinstance(orig, OSError):
        return orig.errno in (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOTDIR, errno.EEXIST)
    code = getattr(orig, "sqlite_errorcode", None)
    return (
        code is not None and code & 0xFF in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM)
    ) or getattr(orig, "sqlstate", None) == "25006"


def connection_of(db: Session | Connection) -> Connection:
    """Where a prebuilt statement runs: a session's connection, or the bare connection given."""
    return db.connection() if isinstance(db, Session) else db


def alembic_config(url: str) -> Config:
    """Alembic configuration pointing at our migrations and the given database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config
