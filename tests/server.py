"""Run the real server as a subprocess on a free port, as users and browsers meet it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

EXE = Path(sys.executable).parent / "tribewise"
START_SECONDS = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(
    database_url: str,
    data_dir: Path,
    workers: int = 1,
    port: int | None = None,
    command: tuple[str, ...] = (str(EXE), "serve"),
    **env: str,
) -> Iterator[str]:
    """Start `tribewise serve` (or another command taking its options), wait until /healthz answers, yield its base URL, stop it."""
    port = port or free_port()
    environment = {**os.environ, "TRIBEWISE_DATABASE_URL": database_url, "TRIBEWISE_DATA_DIR": str(data_dir), **env}
    log_path = data_dir / f"server-{port}.log"
    log = open(log_path, "wb")
    process = subprocess.Popen(
        [*command, "--port", str(port), "--workers", str(workers)],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(process, base, log_path)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_until_ready(process: subprocess.Popen, base: str, log_path: Path) -> None:
    """Return once /healthz answers; fail at once, with the server's output, if the process exits first."""
    # The bound is generous on purpose: readiness is the server's own answer, and a loaded machine
    # (CI, shared cores, the whole suite in parallel) can take a minute to import and start.
    deadline = time.monotonic() + START_SECONDS
    while True:
        if process.poll() is not None:
            raise RuntimeError(
                f"server exited with {process.returncode} before answering:\n{log_path.read_text(errors='replace')}"
            )
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"server did not answer /healthz within {START_SECONDS} s:\n{log_path.read_text(errors='replace')}"
            )
        time.sleep(0.1)


def admin_headers(database_url: str, email: str = "admin@tribewise.test") -> dict[str, str]:
    """Create an admin with an API token in a (migrated) database; the header that acts as them."""
    from backend.content.loader import load_content
    from backend.services.accounts import tokens, users
    from backend.services.kernel.context import Context
    from backend.storage.db import Database

    database = Database(database_url)
    try:
        database.upgrade()
        ctx = Context(database, load_content())
        user = users.create_user(ctx, users.UserCreate(email=email, role="admin"))
        return {"Authorization": f"Bearer {tokens.issue_token(ctx, user.id, 'tests').token}"}
    finally:
        database.dispose()
