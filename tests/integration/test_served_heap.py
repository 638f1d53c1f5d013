"""The served app settles its heap after start-up: what start-up loaded is kept out of later collections."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import gc
from litestar.testing import TestClient
from backend.web.app import served_app
before = gc.get_freeze_count()
with TestClient(served_app()) as client:
    assert client.get("/healthz").status_code == 200
    print(before, gc.get_freeze_count())
"""


def frozen_after_start_up(tmp_path: Path, setting: str | None) -> tuple[int, int]:
    env = {**os.environ, "TRIBEWISE_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("TRIBEWISE_DATABASE_URL", None)
    if setting is not None:
        env["TRIBEWISE_GC_FREEZE"] = setting
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    before, after = done.stdout.split()[-2:]
    return int(before), int(after)


@pytest.mark.sqlite_only("start-up of the embedded default; the freeze does not depend on the database")
def test_the_served_app_keeps_what_start_up_loaded_out_of_later_collections(tmp_path):
    before, after = frozen_after_start_up(tmp_path / "on", None)
    assert before == 0 and after > 10_000  # content, templates, routes and libraries


@pytest.mark.sqlite_only("start-up of the embedded default; the freeze does not depend on the database")
def test_the_freeze_can_be_switched_off_to_compare(tmp_path):
    assert frozen_after_start_up(tmp_path / "off", "0") == (0, 0)
