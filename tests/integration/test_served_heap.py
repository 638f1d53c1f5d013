"""The served app settles its heap after start-up: what start-up loaded is kept out of later collections."""

from __future__ import annotations

import gc
from dataclasses import replace

import pytest
from litestar.testing import TestClient

from backend.web.app import served_app


def frozen_by_start_up(settings) -> int:
    """How many objects the served app's start-up froze (thawed again after, so no other test is affected)."""
    before = gc.get_freeze_count()
    try:
        with TestClient(served_app(settings)) as client:
            assert client.get("/healthz").status_code == 200
            return gc.get_freeze_count() - before
    finally:
        gc.unfreeze()


@pytest.mark.sqlite_only("start-up of the embedded default; the freeze does not depend on the database")
def test_the_served_app_keeps_what_start_up_loaded_out_of_later_collections(settings):
    assert frozen_by_start_up(replace(settings, gc_freeze=True)) > 10_000  # content, templates, routes, libraries


@pytest.mark.sqlite_only("start-up of the embedded default; the freeze does not depend on the database")
def test_the_freeze_can_be_switched_off_to_compare(settings):
    assert frozen_by_start_up(replace(settings, gc_freeze=False)) == 0


@pytest.mark.sqlite_only("reads a setting; no database involved")
def test_the_freeze_is_on_unless_the_setting_says_0(monkeypatch, tmp_path):
    from backend.settings import read_settings

    monkeypatch.setenv("TRIBEWISE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TRIBEWISE_GC_FREEZE", raising=False)
    assert read_settings().gc_freeze is True
    monkeypatch.setenv("TRIBEWISE_GC_FREEZE", "0")
    assert read_settings().gc_freeze is False
