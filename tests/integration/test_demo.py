"""The demo organisation loads through the services, with four quarters of history."""

from backend.services.demo import load_demo, load_demo_if_empty


def test_demo_loads_four_quarters_with_rising_levels(client, ctx):
    org = load_demo(ctx)
    periods = client.get(f"/api/v1/organisations/{org.id}/progress").json()["periods"]
    assert [p["period"] for p in periods] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert [p["status"] for p in periods] == ["submitted", "submitted", "submitted", "draft"]
    levels = [p["level"] for p in periods]
    assert levels[:3] == [1, 2, 3] and levels[3] >= 3
    items = client.get(f"/api/v1/assessments/{periods[0]['assessment_id']}/roadmap").json()["items"]
    assert any(i["status"] == "done" for i in items)
    compare = client.get(
        f"/api/v1/assessments/{periods[3]['assessment_id']}/compare/{periods[2]['assessment_id']}"
    ).json()
    assert compare["answers_changed"] and compare["improved"]


def test_demo_is_loaded_only_into_an_empty_database(client, ctx):
    client.post("/api/v1/organisations", json={"name": "Real client"})
    assert load_demo_if_empty(ctx) is None
    assert [o["name"] for o in client.get("/api/v1/organisations").json()] == ["Real client"]
