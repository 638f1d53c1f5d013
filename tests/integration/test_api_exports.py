"""Exports: JSON that imports into an empty database with identical results; CSV made safe."""

import csv
import io
import json
from dataclasses import replace

from litestar.testing import TestClient

from backend.web.app import create_app
from tests.conftest import DATA
from tests.integration.api import answer, make_assessment, make_org, submitted_persona
from tests.integration.conftest import BASE, bearer_for, fresh_database

HOSTILE = "=cmd|' /C calc'!A0 <b>&amp;</b> \"quoted\" 😀"


def build_history(client, ctx):
    org = make_org(client, "Acme <Outdoor> & Co", sector="Retail")
    first = submitted_persona(client, ctx, org, "2026-Q1", "brand-monitor")
    item = client.get(f"/api/v1/assessments/{first}/roadmap").json()["items"][0]
    client.patch(f"/api/v1/assessments/{first}/roadmap/{item['id']}", json={"status": "in_progress", "owner": "@ops"})
    second = make_assessment(client, org, "2026-Q2", baseline_assessment_id=first)
    # The worksheet a workshop corrected, in the draft: a channel, its ticks, a step's owner, status and note.
    sheet = f"/api/v1/assessments/{second}/worksheet"
    assert client.patch(f"{sheet}/channels/reviews", json={"use": "in_use", "moments": ["buy"]}).status_code == 200
    assert (
        client.patch(f"{sheet}/steps/2", json={"owner": "=Dana", "status": "done", "note": HOSTILE}).status_code == 200
    )
    qid = client.get(f"/api/v1/assessments/{second}/answers").json()[0]["question_id"]
    options = next(
        q
        for s in client.get("/api/v1/questionnaires/full-diagnostic").json()["sections"]
        for q in s["questions"]
        if q["id"] == qid
    )["options"]
    answer(client, second, qid, options[-1]["value"], note=HOSTILE, evidence="+44 20 7946 0000")
    client.get(f"/api/v1/assessments/{second}/roadmap")
    return org, [first, second]


def snapshot(client, org, assessment_ids):
    return {
        "progress": [
            {k: v for k, v in p.items() if k != "assessment_id"}
            for p in client.get(f"/api/v1/organisations/{org}/progress").json()["periods"]
        ],
        "results": [client.get(f"/api/v1/assessments/{a}/result").json()["result"] for a in assessment_ids],
        "roadmaps": [
            [
                {k: v for k, v in i.items() if k != "id"}
                for i in client.get(f"/api/v1/assessments/{a}/roadmap").json()["items"]
            ]
            for a in assessment_ids
        ],
        "answers": [client.get(f"/api/v1/assessments/{a}/answers").json() for a in assessment_ids],
        "history": [client.get(f"/api/v1/assessments/{a}/history").json() for a in assessment_ids],
        "worksheets": [
            {k: v for k, v in client.get(f"/api/v1/assessments/{a}/worksheet").json().items() if k != "assessment_id"}
            for a in assessment_ids
        ],
    }


def test_json_export_imports_into_an_empty_database_with_identical_results(
    client, ctx, settings, template_database, tmp_path
):
    org, ids = build_history(client, ctx)
    exported = client.get(f"/api/v1/organisations/{org}/export.json").json()
    original = snapshot(client, org, ids)
    # A second, empty database: a fresh copy of the migrated template.
    with (
        fresh_database(template_database, tmp_path / "empty") as url,
        TestClient(app=create_app(replace(settings, database_url=url)), base_url=BASE) as other,
    ):
        other.headers.update(bearer_for(other.app.state.ctx, "admin@elsewhere.test", "admin"))
        assert other.get("/api/v1/organisations").json() == []
        created = other.post("/api/v1/organisations/import", json=exported)
        assert created.status_code == 201, created.text
        new_org = created.json()["id"]
        new_ids = [a["id"] for a in other.get(f"/api/v1/organisations/{new_org}/assessments").json()]
        assert snapshot(other, new_org, new_ids) == original
        assert (
            other.get(f"/api/v1/organisations/{new_org}/export.json").json()["assessments"][1]["baseline_assessment_id"]
            == new_ids[0]
        )


def test_a_broken_export_is_refused_with_the_wrong_fields_and_nothing_stored(client, ctx):
    org, _ = build_history(client, ctx)
    exported = client.get(f"/api/v1/organisations/{org}/export.json").json()
    exported["assessments"][0]["period"] = "2026-Q9"
    del exported["organisation"]["name"]
    response = client.post("/api/v1/organisations/import", json=exported)
    assert response.status_code == 400
    assert "organisation.name" in response.json()["detail"] and "assessments[0].period" in response.json()["detail"]
    assert len(client.get("/api/v1/organisations").json()) == 1


def test_csv_exports_neutralise_formulas_and_keep_the_text(client, ctx):
    org, _ = build_history(client, ctx)
    response = client.get(f"/api/v1/organisations/{org}/answers.csv")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    noted = next(r for r in rows if r["note"].endswith("😀"))
    assert noted["note"] == "'" + HOSTILE
    assert noted["evidence"] == "'+44 20 7946 0000"
    assert {r["period"] for r in rows} == {"2026-Q1", "2026-Q2"}
    scores = list(csv.DictReader(io.StringIO(client.get(f"/api/v1/organisations/{org}/scores.csv").text)))
    level = next(r for r in scores if r["kind"] == "model" and r["id"] == "socialfication" and r["period"] == "2026-Q1")
    assert level["level_or_score"] == "2"
    assert all(not r["name"].startswith(("=", "+", "-", "@")) for r in scores)


def test_a_workshop_travels_with_its_organisation_and_keeps_its_agreement(
    client, ctx, anonymous, settings, template_database, tmp_path
):
    # A split room agreed on an answer: the spread lowers the result's confidence, so the export must carry it.
    from tests.integration.test_api_workshops import HEAR, KNOWN, answer_all, join, open_workshop

    assessment, code = open_workshop(client, "Room <Co>")
    org = client.get(f"/api/v1/assessments/{assessment}").json()["organisation_id"]
    tokens = [
        join(anonymous, code, f"P{n}", role, "dept") for n, role in enumerate(["marketing", "service", "service"])
    ]
    answer_all(anonymous, code, tokens, KNOWN, ["nearly_all", "almost_none", "a_minority"])
    answer_all(anonymous, code, tokens, HEAR, ["mostly", "mostly", "always"])
    agreed = client.put(
        f"/api/v1/assessments/{assessment}/workshop/consensus/{KNOWN}",
        json={"value": "a_minority", "rationale": HOSTILE},
    )
    assert agreed.status_code == 200, agreed.text
    client.patch(f"/api/v1/assessments/{assessment}/workshop", json={"status": "closed"})
    exported = client.get(f"/api/v1/organisations/{org}/export.json").json()
    assert "token" not in str(exported["assessments"][0]["workshop"])  # credentials stay out of the file

    def room(http, assessment_id):
        board = http.get(f"/api/v1/assessments/{assessment_id}/workshop/board").json()
        return {
            "result": http.get(f"/api/v1/assessments/{assessment_id}/result").json()["result"],
            "gaps": http.get(f"/api/v1/assessments/{assessment_id}/workshop/gaps").json(),
            "board": {k: v for k, v in board.items() if k != "workshop"} | {"status": board["workshop"]["status"]},
        }

    original = room(client, assessment)
    assert original["result"]["confidence"]["agreement"] < 1
    with (
        fresh_database(template_database, tmp_path / "empty") as url,
        TestClient(app=create_app(replace(settings, database_url=url)), base_url=BASE) as other,
    ):
        other.headers.update(bearer_for(other.app.state.ctx, "admin@elsewhere.test", "admin"))
        created = other.post("/api/v1/organisations/import", json=exported)
        assert created.status_code == 201, created.text
        [copy] = other.get(f"/api/v1/organisations/{created.json()['id']}/assessments").json()
        assert room(other, copy["id"]) == original
        assert other.get(f"/api/v1/assessments/{copy['id']}/workshop").json()["code"] != code
        assert (
            other.get(f"/api/v1/organisations/{created.json()['id']}/export.json").json()["assessments"][0]["workshop"]
            == exported["assessments"][0]["workshop"]
        )


# Spreadsheets skip leading blanks and line breaks before reading a formula, so these run as formulas too.
HIDDEN_FORMULAS = [" =1+1", '\n=HYPERLINK("http://x")', "  \n@SUM(A1)", " +1", "\r\n-2", " \t=1", "\u00a0=1"]
HARMLESS = [" plain text", "\nsecond line", "a = b", "1 - 2"]


def test_csv_neutralises_formulas_behind_leading_blanks_and_line_breaks(client):
    org = make_org(client)
    assessment = make_assessment(client, org)
    questions = [
        q for s in client.get("/api/v1/questionnaires/full-diagnostic").json()["sections"] for q in s["questions"]
    ]
    notes = HIDDEN_FORMULAS + HARMLESS
    typed = {q["id"]: note for q, note in zip(questions, notes, strict=False)}
    assert len(typed) == len(notes)
    for question in questions[: len(notes)]:
        saved = answer(client, assessment, question["id"], question["options"][0]["value"], note=typed[question["id"]])
        assert saved.status_code in (200, 201), saved.text
    response = client.get(f"/api/v1/organisations/{org}/answers.csv")
    rows = {r["question_id"]: r["note"] for r in csv.DictReader(io.StringIO(response.text, newline=""))}
    for question_id, note in typed.items():
        assert rows[question_id] == ("'" + note if note in HIDDEN_FORMULAS else note), repr(note)


def test_csv_names_its_charset_once(client):
    org = make_org(client)
    for name in ("answers.csv", "scores.csv"):
        assert client.get(f"/api/v1/organisations/{org}/{name}").headers["content-type"] == "text/csv; charset=utf-8"


def test_an_archived_organisation_stays_archived_through_export_and_import(
    client, ctx, settings, template_database, tmp_path
):
    org = make_org(client, "Shelved Ltd")
    assert client.post(f"/api/v1/organisations/{org}/archive").status_code in (200, 204)
    exported = client.get(f"/api/v1/organisations/{org}/export.json").json()
    with (
        fresh_database(template_database, tmp_path / "empty") as url,
        TestClient(app=create_app(replace(settings, database_url=url)), base_url=BASE) as other,
    ):
        other.headers.update(bearer_for(other.app.state.ctx, "admin@elsewhere.test", "admin"))
        created = other.post("/api/v1/organisations/import", json=exported)
        assert created.status_code == 201, created.text
        assert created.json()["archived_at"] is not None
        assert other.get("/api/v1/organisations").json() == []


def test_a_workshop_whose_cap_was_lowered_below_those_joined_still_exports_and_imports(
    client, anonymous, settings, template_database, tmp_path
):
    from tests.integration.test_api_workshops import join, open_workshop

    assessment, code = open_workshop(client, "Crowded Co")
    for name in ("Ann", "Bo", "Cy"):
        join(anonymous, code, name)
    assert client.patch(f"/api/v1/assessments/{assessment}/workshop", json={"participant_cap": 1}).status_code == 200
    org = client.get(f"/api/v1/assessments/{assessment}").json()["organisation_id"]
    exported = client.get(f"/api/v1/organisations/{org}/export.json")
    assert exported.status_code == 200, exported.text
    with (
        fresh_database(template_database, tmp_path / "empty") as url,
        TestClient(app=create_app(replace(settings, database_url=url)), base_url=BASE) as other,
    ):
        other.headers.update(bearer_for(other.app.state.ctx, "admin@elsewhere.test", "admin"))
        created = other.post("/api/v1/organisations/import", json=exported.json())
        assert created.status_code == 201, created.text


def _without_ids(value):
    """The file with what an import renumbers left out: ids and the ids that point at them."""
    renumbered = {"id", "baseline_assessment_id", "carried_from_id", "exported_at"}
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k not in renumbered}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def _frozen_parts(snapshot: dict) -> list[dict]:
    """The findings and roadmap steps a snapshot froze."""
    return snapshot["result"]["findings"] + snapshot["roadmap"]["items"]


def test_an_export_written_before_the_schema_families_imports_and_exports_again_the_same(client):
    # Written by the code before the tables, export parts and inputs shared one base per entity: a submitted
    # assessment with history and an edited roadmap step, a draft on it as baseline, a workshop with its
    # agreement, the organisation archived; text with markup and formula characters.
    before = json.loads((DATA / "exports" / "before-schema-families.json").read_text(encoding="utf-8"))
    response = client.post("/api/v1/organisations/import", json=before)
    assert response.status_code == 201, response.text
    after = client.get(f"/api/v1/organisations/{response.json()['id']}/export.json").json()
    # Written before steps kept since when they are done: none of its steps is done, so none is done since a period;
    assert {i.pop("done_since") for a in after["assessments"] for i in a["roadmap"]} == {""}
    # ... nor did it copy answers waiting for review, nor correct an audit worksheet; ...
    assert {x.pop("copied_from") for a in after["assessments"] for x in a["answers"]} == {""}
    # ... nor did its frozen findings and steps carry a summary: each reads its title as a sentence.
    frozen = [x for a in after["assessments"] if a["snapshot"] for x in _frozen_parts(a["snapshot"])]
    assert frozen and all(x.pop("summary") == f"{x['title']}." for x in frozen)
    assert [(a.pop("worksheet_channels"), a.pop("worksheet_steps")) for a in after["assessments"]] == [([], [])] * len(
        after["assessments"]
    )
    # ... nor did its organisations have a cadence: each is assessed every quarter, the default; ...
    assert after["organisation"].pop("cadence_quarters") == 1
    # ... nor did its workshop follow a current question or lock questions one by one.
    rooms = [a["workshop"] for a in after["assessments"] if a["workshop"]]
    assert rooms and [(w.pop("current_question"), w.pop("locked_questions")) for w in rooms] == [("", [])] * len(rooms)
    assert _without_ids(after) == _without_ids(before)
    periods = {a["period"]: a for a in after["assessments"]}
    assert periods["2026-Q2"]["baseline_assessment_id"] == periods["2025-Q4"]["id"]


def test_a_step_done_keeps_since_when_through_an_export_and_one_from_an_older_file_is_done_since_its_period(client):
    org = make_org(client)
    first = make_assessment(client, org, "2026-Q1")
    step = client.get(f"/api/v1/assessments/{first}/roadmap").json()["items"][0]
    client.patch(f"/api/v1/assessments/{first}/roadmap/{step['id']}", json={"status": "done"})
    make_assessment(client, org, "2026-Q2", baseline_assessment_id=first)
    exported = client.get(f"/api/v1/organisations/{org}/export.json").json()
    exported["organisation"]["name"] = "Imported"

    def done(file: dict) -> dict[str, str]:
        response = client.post("/api/v1/organisations/import", json=file)
        assert response.status_code == 201, response.text
        again = client.get(f"/api/v1/organisations/{response.json()['id']}/export.json").json()
        return {
            a["period"]: next(i["done_since"] for i in a["roadmap"] if i["status"] == "done")
            for a in again["assessments"]
        }

    assert done(exported) == {"2026-Q1": "2026-Q1", "2026-Q2": "2026-Q1"}
    for a in exported["assessments"]:
        for item in a["roadmap"]:
            del item["done_since"]
    exported["organisation"]["name"] = "Imported from an older file"
    assert done(exported) == {"2026-Q1": "2026-Q1", "2026-Q2": "2026-Q2"}


def test_a_file_that_corrects_a_worksheet_channel_twice_is_refused_naming_where(client, ctx):
    org, ids = build_history(client, ctx)
    exported = client.get(f"/api/v1/organisations/{org}/export.json").json()
    draft = next(i for i, a in enumerate(exported["assessments"]) if a["status"] == "draft")
    channels = exported["assessments"][draft]["worksheet_channels"]
    assert [c["channel_id"] for c in channels] == ["reviews"] and channels[0]["moments"] == {
        "discover": False,
        "use": False,
    }
    channels.append(dict(channels[0]))
    exported["organisation"]["name"] = "Twice"
    response = client.post("/api/v1/organisations/import", json=exported)
    assert response.status_code == 400
    assert f"assessments[{draft}].worksheet_channels[1].channel_id" in response.json()["detail"]
    assert "worksheet channel 'reviews' appears twice" in response.json()["detail"]
    assert "Twice" not in [o["name"] for o in client.get("/api/v1/organisations").json()]
