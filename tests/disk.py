"""A small real disk that fills up: a tmpfs of a few MB, mounted for one test (root only, as in CI)."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


class SmallDisk:
    """A mounted tmpfs; fill() takes every free byte with a file, free() gives them back."""

    def __init__(self, path: Path):
        self.path = path
        self.filler = path / "filler"

    def fill(self) -> None:
        """Write to a filler file until the disk says it is full (ENOSPC)."""
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError as err:
            assert err.errno == errno.ENOSPC, err
        finally:
            os.close(fd)

    def read_only(self) -> None:
        """Mount the disk read-only: no one may write to it, root included."""
        subprocess.run(["mount", "-o", "remount,ro", str(self.path)], check=True)

    def free(self) -> None:
        """Remove the filler file: the disk has room again."""
        self.filler.unlink()


@contextmanager
def small_disk(path: Path, megabytes: int) -> Iterator[SmallDisk]:
    """A tmpfs of `megabytes` at `path`, unmounted afterwards; skipped where mounting is not allowed."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small disk needs root (CI runs as root)")
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m,mode=0777", "tmpfs", str(path)], check=True)
    try:
        yield SmallDisk(path)
    finally:
        # Lazily: a server or pool may still hold a file open; the mount goes once they close it.
        subprocess.run(["umount", "--lazy", str(path)], check=True)
