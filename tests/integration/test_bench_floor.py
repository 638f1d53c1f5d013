"""The answer-save benchmark's floor route lives in the benchmark's own server process, never in the production app."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest

from tests.integration.api import make_assessment, make_org
from tests.server import admin_headers, running_server

FLOOR = Path(__file__).resolve().parents[2] / "bench" / "floor.py"


def test_the_production_app_has_no_floor_route(client):
    assessment = make_assessment(client, make_org(client))
    assert client.post(f"/bench/floor/{assessment}").status_code == 404
    assert not any(path.startswith("/bench") for path in client.app.route_handler_method_map)


@pytest.mark.sqlite_only(reason="the benchmark server wraps the app the same way on either engine")
def test_the_benchmark_server_serves_the_app_with_the_floor_route(database_url, tmp_path):
    headers = admin_headers(database_url)
    with (
        running_server(database_url, tmp_path, command=(sys.executable, str(FLOOR))) as base,
        httpx.Client(base_url=base, headers=headers) as http,
    ):
        org = http.post("/api/v1/organisations", json={"name": "Bench"}).json()["id"]
        assessment = http.post(
            f"/api/v1/organisations/{org}/assessments",
            json={"questionnaire_id": "executive-quick-check", "period": "2026-Q4"},
        ).json()["id"]
        floor = httpx.post(f"{base}/bench/floor/{assessment}")
        assert floor.status_code == 201 and floor.json()["id"] >= 1
        assert http.get("/healthz").json()["status"] == "ok"
