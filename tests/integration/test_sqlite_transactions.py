"""How SQLite transactions begin: writers take the write lock up front, a reading session sees one
snapshot, a failed write leaves nothing behind. Checked from a second connection, as another process
(a CLI command beside the server) would see it."""

import sqlite3

import pytest
from sqlalchemy import text

from backend.storage.db import Database

pytestmark = pytest.mark.sqlite_only(reason="SQLite's own transactions and locks, on a SQLite file by definition")


@pytest.fixture
def paths(tmp_path):
    path = tmp_path / "t.db"
    db = Database(f"sqlite:///{path}")
    with db.write() as session:
        session.execute(text("CREATE TABLE note (body TEXT)"))
        session.execute(text("INSERT INTO note VALUES ('first')"))
    yield db, path
    db.dispose()


def other_writer_blocked(path) -> bool:
    """Whether another connection, not waiting, is refused the write lock."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return True
    finally:
        other.close()


def test_a_write_session_holds_the_write_lock_before_it_writes_anything(paths):
    db, path = paths
    with db.write() as session:
        assert other_writer_blocked(path)
        session.execute(text("INSERT INTO note VALUES ('second')"))
    assert not other_writer_blocked(path)


def test_a_bare_write_transaction_holds_the_write_lock_from_its_start(paths):
    db, path = paths
    with db.transaction():
        assert other_writer_blocked(path)
    assert not other_writer_blocked(path)


def test_a_reading_session_sees_one_snapshot_while_others_commit(paths):
    db, path = paths
    with db.read() as session:
        assert session.execute(text("SELECT count(*) FROM note")).scalar() == 1
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("INSERT INTO note VALUES ('meanwhile')")
        other.close()
        assert session.execute(text("SELECT count(*) FROM note")).scalar() == 1
    with db.read() as session:
        assert session.execute(text("SELECT count(*) FROM note")).scalar() == 2


def test_a_failed_write_leaves_nothing_and_the_next_write_is_a_transaction_again(paths):
    db, path = paths
    for _ in range(2):
        with pytest.raises(RuntimeError), db.write() as session:
            session.execute(text("INSERT INTO note VALUES ('lost')"))
            raise RuntimeError("refused")
        with pytest.raises(RuntimeError), db.transaction() as conn:
            conn.execute(text("INSERT INTO note VALUES ('lost')"))
            raise RuntimeError("refused")
    with db.read() as session:
        assert session.execute(text("SELECT body FROM note")).scalars().all() == ["first"]
    assert not other_writer_blocked(path)
