"""The server's SQLite log is checkpointed in the background and starts over, even while reads go on."""

import threading
import time

import pytest
from sqlalchemy import text

from backend.storage.db import Database
from tests.disk import small_disk

pytestmark = pytest.mark.sqlite_only(reason="SQLite's own log and checkpoints, on a SQLite file by definition")


def test_the_log_starts_over_while_readers_keep_reading(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'log.db'}", background_checkpoints=True)
    with db.write() as session:
        session.connection().execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
    stop = threading.Event()

    def reader():  # overlapping reads, as a busy server's requests make them: they keep a PASSIVE-only log from starting over
        while not stop.is_set():
            with db.read() as session:
                session.connection().execute(text("SELECT count(*) FROM t")).scalar()
                time.sleep(0.002)

    readers = [threading.Thread(target=reader) for _ in range(3)]
    for thread in readers:
        thread.start()
    try:
        db.checkpoints(every=0.05, restart_frames=100)
        for n in range(1500):
            with db.write() as session:
                session.connection().execute(text("INSERT INTO t (v) VALUES (:v)"), {"v": "x" * 500 + str(n)})
        # The log file only grows when the log cannot start over: without the background RESTART it
        # ends up holding pages of all 1,500 commits (about 8 MB; with it about 1 MB at most).
        assert (tmp_path / "log.db-wal").stat().st_size < 4_000_000
    finally:
        stop.set()
        for thread in readers:
            thread.join()
        db.dispose()
    wal = tmp_path / "log.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0  # a last checkpoint on dispose empties it
    with Database(f"sqlite:///{tmp_path / 'log.db'}").engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 1500


def test_without_background_checkpoints_nothing_changes(tmp_path):
    def running() -> int:
        return sum(t.name == "tribewise-checkpoints" for t in threading.enumerate())

    db = Database(f"sqlite:///{tmp_path / 'plain.db'}")
    before = running()
    db.checkpoints(every=0.05)  # a CLI command's database: SQLite's own automatic checkpoints stay on
    with db.engine.connect() as conn:
        assert conn.connection.driver_connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    assert running() == before
    db.dispose()


def test_the_checkpoint_thread_survives_a_full_disk_and_copies_the_log_once_there_is_room(tmp_path):
    with small_disk(tmp_path / "disk", megabytes=4) as disk:
        path = disk.path / "full.db"
        db = Database(f"sqlite:///{path}", background_checkpoints=True)
        try:
            with db.write() as session:
                session.connection().execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
            for n in range(100):  # about 1 MB of log that no checkpoint has copied yet
                with db.write() as session:
                    session.connection().execute(text("INSERT INTO t (v) VALUES (:v)"), {"v": "x" * 3000 + str(n)})
            disk.fill()  # now the database file cannot grow, so copying the log into it fails
            db.checkpoints(every=0.02, pause=0.05)
            assert wait_for(lambda: db.problem is not None), "the checkpoint did not meet the full disk"
            assert "disk full" in db.problem
            time.sleep(0.3)  # several failed tries
            assert db._checkpointer.is_alive()
            disk.free()
            assert wait_for(lambda: path.stat().st_size > 300_000), "the log was not copied once there was room"
            assert db._checkpointer.is_alive()
        finally:
            db.dispose()
        with Database(f"sqlite:///{path}").engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 100


def wait_for(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True
