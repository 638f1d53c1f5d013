"""Workshop mode through the JSON API and a real database: join, answer, board, reveal, lock, consensus, gaps."""

import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import httpx
import pytest
import segno
from litestar.testing import TestClient
from sqlmodel import func, select

from backend.schemas.limits import REASON_MAX_LENGTH
from backend.services.workshops.participants import JOIN_WINDOW, MAX_JOINS_PER_ADDRESS
from backend.services.workshops.workshops import ALPHABET
from backend.settings import read_settings
from backend.storage.db import Database
from backend.storage.tables import Consensus, JoinAttempt, Participant, ParticipantAnswer
from backend.web.app import create_app
from tests.integration.api import make_assessment, make_org
from tests.integration.conftest import BASE, admin_client, bearer_for
from tests.server import admin_headers, running_server

QN = "executive-quick-check"
KNOWN = "qc.customers.identified_share"  # almost_none 0, a_minority 0.3, most 0.75, nearly_all 1
HEAR = "qc.customers.hear_and_respond"  # rarely 0, sometimes 0.3, mostly 0.75, always 1
ACT = "qc.customers.prevent_complaints"  # never 0, occasionally 0.3, key_cases 0.75, rule_driven 1
LISTEN = "qc.social.listening"  # not_at_all 0, ad_hoc 0.3, main_networks 0.75, everywhere 1
PEOPLE = [
    ("Ana Example", "Marketing lead", "marketing"),
    ("Ben Example", "Agent", "service"),
    ("Cy Example", "Agent", "service"),
]


@pytest.fixture
def settings(settings):
    """Groups of one and two show in this module's splits, to check their numbers; the fold of small
    groups into "other" is tested with an app of its own."""
    return replace(settings, min_group_size=1)


def open_workshop(client, name="Acme Outdoor"):
    assessment = make_assessment(client, make_org(client, name), "2026-Q3", QN)
    response = client.post(f"/api/v1/assessments/{assessment}/workshop")
    assert response.status_code == 201, response.text
    return assessment, response.json()["code"]


def join(anonymous, code, name, role="", department=""):
    response = anonymous.post(
        f"/api/v1/workshops/{code}/participants", json={"name": name, "role": role, "department": department}
    )
    assert response.status_code == 201, response.text
    return {"X-Participant-Token": response.json()["token"]}


def say(anonymous, code, token, question_id, value, **extra):
    return anonymous.put(
        f"/api/v1/workshops/{code}/answers/{question_id}", json={"value": value, **extra}, headers=token
    )


def answer_all(anonymous, code, tokens, question_id, values):
    for token, value in zip(tokens, values, strict=False):
        assert say(anonymous, code, token, question_id, value).status_code == 201


def three(anonymous, code):
    return [join(anonymous, code, *person) for person in PEOPLE]


def by_id(board):
    return {q["question_id"]: q for q in board["questions"]}


def counts(stats):
    return {c["value"]: c["count"] for c in stats["counts"]}


def test_a_workshop_runs_from_join_code_to_agreed_answers(client, anonymous):
    assessment, code = open_workshop(client)
    assert len(code) == 8 and set(code) <= set(ALPHABET)
    again = client.post(f"/api/v1/assessments/{assessment}/workshop")
    assert again.status_code == 200 and again.json()["code"] == code and again.json()["join_path"] == f"/join/{code}"
    assert client.get(f"/api/v1/assessments/{assessment}").json()["kind"] == "workshop"
    info = anonymous.get(f"/api/v1/workshops/{code.lower()}")
    assert info.json()["organisation"] == "Acme Outdoor" and info.json()["status"] == "open"

    tokens = three(anonymous, code)
    answer_all(anonymous, code, tokens, KNOWN, ["nearly_all", "almost_none", "a_minority"])  # 1, 0, 0.3
    answer_all(anonymous, code, tokens, HEAR, ["mostly", "mostly", "mostly"])
    answer_all(anonymous, code, tokens, LISTEN, ["main_networks", "main_networks", "everywhere"])  # 0.75, 0.75, 1

    board = client.get(f"/api/v1/assessments/{assessment}/workshop/board").json()
    assert (board["participants"], board["answering"], board["questions_total"]) == (3, 3, 20)
    assert board["roles"] == {"Agent": 2, "Marketing lead": 1} and board["departments"] == {
        "marketing": 1,
        "service": 2,
    }
    hottest = board["questions"][0]
    assert [q["question_id"] for q in board["questions"][:2]] == [KNOWN, LISTEN]
    # Scores 1, 0, 0.3: median 0.3 ("a_minority"); sd 0.41900 over its maximum 0.5 is 0.838.
    assert counts(hottest) == {"almost_none": 1, "a_minority": 1, "most": 0, "nearly_all": 1}
    assert (hottest["answered"], hottest["participants"], hottest["median"], hottest["median_value"]) == (
        3,
        3,
        0.3,
        "a_minority",
    )
    assert hottest["spread"] == pytest.approx(0.838, abs=1e-3)
    # 0.75, 0.75, 1: mean 0.8333, sd 0.11785, spread 0.2357.
    assert by_id(board)[LISTEN]["spread"] == pytest.approx(0.2357, abs=1e-4)
    assert by_id(board)[HEAR]["spread"] == 0.0 and by_id(board)[ACT]["answered"] == 0
    agents = next(g for g in hottest["by_role"] if g["group"] == "Agent")
    # 0 and 0.3: median 0.15 is as near each; the lower wins. sd 0.15 -> spread 0.3.
    assert (agents["median_value"], agents["spread"]) == ("almost_none", 0.3)
    marketing = next(g for g in hottest["by_department"] if g["group"] == "marketing")
    assert (marketing["median_value"], marketing["spread"]) == ("nearly_all", 0.0)

    agreed = client.put(
        f"/api/v1/assessments/{assessment}/workshop/consensus/{KNOWN}",
        json={"value": "a_minority", "rationale": "Only loyalty-card holders are known"},
    )
    assert agreed.status_code == 200, agreed.text
    assert (agreed.json()["answered"], agreed.json()["answer_version"]) == (3, 1)
    saved = {a["question_id"]: a for a in client.get(f"/api/v1/assessments/{assessment}/answers").json()}
    assert (saved[KNOWN]["value"], saved[KNOWN]["note"], saved[KNOWN]["answered_by"]) == (
        "a_minority",
        "Only loyalty-card holders are known",
        "workshop",
    )
    assert client.get(f"/api/v1/assessments/{assessment}/history").json()[-1]["changed_by"] == "admin@tribewise.test"
    after = client.get(f"/api/v1/assessments/{assessment}/workshop/board").json()
    assert by_id(after)[KNOWN]["answered"] == 3  # the individual answers stay
    assert (
        by_id(after)[KNOWN]["consensus"]["rationale"] == "Only loyalty-card holders are known" and after["agreed"] == 1
    )

    confidence = client.get(f"/api/v1/assessments/{assessment}/result").json()["result"]["confidence"]
    assert confidence["agreement"] == pytest.approx(1 - hottest["spread"], abs=1e-4)


def test_the_board_follows_each_changed_answer_in_its_counts_median_spread_and_splits(client, anonymous):
    assessment, code = open_workshop(client)
    tokens = three(anonymous, code)
    answer_all(anonymous, code, tokens, HEAR, ["mostly", "mostly", "mostly"])

    def hear() -> dict:
        return by_id(client.get(f"/api/v1/assessments/{assessment}/workshop/board").json())[HEAR]

    before = hear()
    assert (counts(before)["mostly"], before["spread"], before["median_value"]) == (3, 0.0, "mostly")
    assert say(anonymous, code, tokens[0], HEAR, "rarely").status_code == 200
    assert say(anonymous, code, tokens[1], HEAR, "rarely").status_code == 200
    after = hear()
    assert counts(after) == {"rarely": 2, "sometimes": 0, "mostly": 1, "always": 0}
    assert after["median_value"] == "rarely" and after["spread"] > 0
    groups = {g["group"]: counts(g) for g in after["by_role"] + after["by_department"]}
    assert sum(c["rarely"] for c in groups.values()) == 4  # two answers, each in a role and a department
    assert hear() == after  # read again unchanged: the same board


def test_agreement_lowers_the_confidence_of_the_result(client, anonymous):
    assessment, code = open_workshop(client)
    tokens = three(anonymous, code)
    answer_all(anonymous, code, tokens, KNOWN, ["nearly_all", "almost_none", "a_minority"])
    client.put(f"/api/v1/assessments/{assessment}/answers/{HEAR}", json={"value": "mostly"})
    before = client.get(f"/api/v1/assessments/{assessment}/result").json()["result"]
    assert before["confidence"]["agreement"] is None
    client.put(
        f"/api/v1/assessments/{assessment}/workshop/consensus/{KNOWN}", json={"value": "a_minority", "rationale": "r"}
    )
    after = client.get(f"/api/v1/assessments/{assessment}/result").json()["result"]
    ladder = next(m for m in after["models"] if m["model"] == "socialfication")["confidence"]
    stages = next(m for m in after["models"] if m["model"] == "solis")["confidence"]
    # Two answered ladder questions, one agreed from a spread of 0.838: 1 - 0.838 / 2.
    assert ladder["agreement"] == pytest.approx(0.581, abs=1e-3) and stages["agreement"] is None
    plain = ladder["coverage"] * (0.5 + 0.5 * ladder["depth"])  # confidence without a workshop
    assert ladder["value"] == pytest.approx(plain * ladder["agreement"], abs=1e-3)
    client.post(f"/api/v1/assessments/{assessment}/submit")
    frozen = client.get(f"/api/v1/assessments/{assessment}/result").json()["result"]
    assert frozen["confidence"] == after["confidence"]  # the snapshot keeps it


def test_perception_gaps_score_each_role_and_department_on_its_own_answers(client, anonymous):
    assessment, code = open_workshop(client)
    ana, ben, cy = three(anonymous, code)
    for question_id, high, low in (
        (KNOWN, "nearly_all", "a_minority"),
        (HEAR, "always", "rarely"),
        (ACT, "rule_driven", "never"),
    ):
        assert say(anonymous, code, ana, question_id, high).status_code == 201
        assert say(anonymous, code, ben, question_id, low).status_code == 201
        assert say(anonymous, code, cy, question_id, low).status_code == 201
    gaps = client.get(f"/api/v1/assessments/{assessment}/workshop/gaps").json()
    level = {
        g["group"]: next(m["level"] for m in g["models"] if m["model"] == "socialfication")
        for g in gaps["by_department"]
    }
    assert level == {"marketing": 3, "service": 0}
    assert {g["group"]: g["participants"] for g in gaps["by_role"]} == {"Agent": 2, "Marketing lead": 1}
    widest = next(g for g in gaps["gaps"] if g["model"] == "socialfication" and g["split"] == "department")
    # Marketing is at 3.0; service at 0.43 (level 0, "a_minority" = 0.3 of level 1's threshold 0.7).
    assert (widest["lowest"], widest["highest"], widest["difference"]) == (
        "service",
        "marketing",
        pytest.approx(3 - 0.3 / 0.7, abs=1e-4),
    )
    assert (
        next(m["level"] for m in gaps["everyone"]["models"] if m["model"] == "socialfication") == 0
    )  # the median is service's


def test_a_locked_section_refuses_changes_with_a_clear_message(client, anonymous):
    assessment, code = open_workshop(client)
    token = join(anonymous, code, "Ana")
    assert say(anonymous, code, token, KNOWN, "a_minority").status_code == 201
    locked = client.patch(f"/api/v1/assessments/{assessment}/workshop/sections/customers", json={"locked": True})
    assert locked.json()["locked_sections"] == ["customers"]
    refused = say(anonymous, code, token, KNOWN, "most")
    assert refused.status_code == 409 and "locked" in refused.json()["detail"]
    assert refused.json()["extra"] == {"field": "section_id", "section_id": "customers"}
    assert anonymous.get(f"/api/v1/workshops/{code}/me", headers=token).json()["answers"][0]["value"] == "a_minority"
    assert say(anonymous, code, token, LISTEN, "ad_hoc").status_code == 201  # other sections stay open
    client.patch(f"/api/v1/assessments/{assessment}/workshop/sections/customers", json={"locked": False})
    assert say(anonymous, code, token, KNOWN, "most").status_code == 200
    unknown = client.patch(f"/api/v1/assessments/{assessment}/workshop/sections/nowhere", json={"locked": True})
    assert unknown.status_code == 404 and "customers" in unknown.json()["extra"]["allowed"]


def test_participants_see_only_the_results_the_facilitator_revealed(client, anonymous):
    assessment, code = open_workshop(client)
    tokens = three(anonymous, code)
    answer_all(anonymous, code, tokens, KNOWN, ["a_minority", "a_minority", "most"])
    answer_all(anonymous, code, tokens, LISTEN, ["ad_hoc", "everywhere", "everywhere"])
    results = f"/api/v1/workshops/{code}/results"
    assert anonymous.get(results, headers=tokens[0]).json() == []
    client.patch(f"/api/v1/assessments/{assessment}/workshop/questions/{KNOWN}", json={"revealed": True})
    shown = anonymous.get(results, headers=tokens[0]).json()
    assert [r["question_id"] for r in shown] == [KNOWN] and counts(shown[0])["a_minority"] == 2
    client.patch(f"/api/v1/assessments/{assessment}/workshop/sections/social", json={"revealed": True})
    client.patch(f"/api/v1/assessments/{assessment}/workshop/questions/{KNOWN}", json={"revealed": False})
    shown = [r["question_id"] for r in anonymous.get(results, headers=tokens[1]).json()]
    assert LISTEN in shown and KNOWN not in shown and all(q.startswith("qc.social.") for q in shown)


def test_names_stay_hidden_on_shared_screens_until_the_facilitator_turns_them_on(client, anonymous):
    assessment, code = open_workshop(client)
    tokens = three(anonymous, code)
    answer_all(anonymous, code, tokens, KNOWN, ["a_minority", "a_minority", "most"])
    client.patch(f"/api/v1/assessments/{assessment}/workshop/questions/{KNOWN}", json={"revealed": True})
    board = client.get(f"/api/v1/assessments/{assessment}/workshop/board")
    results = anonymous.get(f"/api/v1/workshops/{code}/results", headers=tokens[0])
    for shared in (board, results):
        assert "Example" not in shared.text
    assert board.json()["people"] == []

    assert (
        client.patch(f"/api/v1/assessments/{assessment}/workshop", json={"show_names": True}).json()["show_names"]
        is True
    )
    named = client.get(f"/api/v1/assessments/{assessment}/workshop/board").json()
    some = next(c for c in by_id(named)[KNOWN]["counts"] if c["value"] == "a_minority")
    assert some["names"] == ["Ana Example", "Ben Example"]
    assert [p["name"] for p in named["people"]] == ["Ana Example", "Ben Example", "Cy Example"] and named["people"][0][
        "answered"
    ] == 1
    assert "Cy Example" in anonymous.get(f"/api/v1/workshops/{code}/results", headers=tokens[0]).text

    client.patch(f"/api/v1/assessments/{assessment}/workshop", json={"show_names": False})
    assert "Example" not in client.get(f"/api/v1/assessments/{assessment}/workshop/board").text


def test_a_closed_workshop_refuses_answers_and_participants_until_reopened(client, anonymous):
    assessment, code = open_workshop(client)
    token = join(anonymous, code, "Ana")
    client.patch(f"/api/v1/assessments/{assessment}/workshop", json={"status": "closed"})
    refused = say(anonymous, code, token, KNOWN, "a_minority")
    assert (
        refused.status_code == 409
        and "closed" in refused.json()["detail"]
        and refused.json()["extra"]["field"] == "status"
    )
    late = anonymous.post(f"/api/v1/workshops/{code}/participants", json={"name": "Late"})
    assert late.status_code == 409 and "closed" in late.json()["detail"]
    assert anonymous.get(f"/api/v1/workshops/{code}/me", headers=token).json()["answers"] == []
    client.patch(f"/api/v1/assessments/{assessment}/workshop", json={"status": "open"})
    assert say(anonymous, code, token, KNOWN, "a_minority").status_code == 201


def test_a_duplicate_submit_stores_one_answer_and_a_reload_finds_it(client, anonymous, ctx):
    _, code = open_workshop(client)
    token = join(anonymous, code, "Ana", "Lead", "sales")
    first, second = (
        say(anonymous, code, token, KNOWN, "most", note="n"),
        say(anonymous, code, token, KNOWN, "most", note="n"),
    )
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json() and second.json()["version"] == 1
    assert say(anonymous, code, token, KNOWN, "nearly_all").json()["version"] == 2
    with ctx.db.read() as session:
        assert session.exec(select(func.count()).select_from(ParticipantAnswer)).one() == 1
    reloaded = anonymous.get(f"/api/v1/workshops/{code}/me", headers=token).json()
    assert (reloaded["name"], reloaded["department"]) == ("Ana", "sales")
    assert [(a["question_id"], a["value"]) for a in reloaded["answers"]] == [(KNOWN, "nearly_all")]


def test_a_participant_token_reaches_only_its_own_workshop(client, anonymous, ctx):
    _, code_a = open_workshop(client, "A")
    _, code_b = open_workshop(client, "B")
    token_a = join(anonymous, code_a, "Ana")
    for response in (
        say(anonymous, code_b, token_a, KNOWN, "a_minority"),
        anonymous.get(f"/api/v1/workshops/{code_b}/me", headers=token_a),
        anonymous.get(f"/api/v1/workshops/{code_b}/results", headers=token_a),
    ):
        assert response.status_code == 401 and f"not one of workshop {code_b}'s" in response.json()["detail"]
    bare = say(anonymous, code_a, {}, KNOWN, "a_minority")
    assert bare.status_code == 401 and "X-Participant-Token" in bare.json()["detail"]
    assert say(anonymous, "ZZZZZZZZ", token_a, KNOWN, "a_minority").status_code == 404
    assert anonymous.get("/api/v1/workshops/not-a-code").status_code == 404
    with ctx.db.read() as session:
        assert session.exec(select(func.count()).select_from(ParticipantAnswer)).one() == 0


def test_participant_answers_are_checked_like_the_assessments_own(client, anonymous, ctx):
    _, code = open_workshop(client)
    token = join(anonymous, code, "Ana")
    unknown = say(anonymous, code, token, "qc.nothing", "a_minority")
    assert unknown.status_code == 404 and KNOWN in unknown.json()["extra"]["allowed"]
    wrong = say(anonymous, code, token, KNOWN, "plenty")
    assert wrong.status_code == 400 and wrong.json()["extra"]["allowed"] == [
        "almost_none",
        "a_minority",
        "most",
        "nearly_all",
        "dont_know",
    ]
    why = say(anonymous, code, token, "qc.customers.one_profile", "not_applicable")
    assert why.status_code == 400 and why.json()["extra"]["field"] == "note"
    with ctx.db.read() as session:
        assert session.exec(select(func.count()).select_from(ParticipantAnswer)).one() == 0
    assert (
        say(
            anonymous, code, token, "qc.customers.one_profile", "not_applicable", note="we sell to businesses"
        ).status_code
        == 201
    )


def test_consensus_is_checked_and_a_failed_one_stores_nothing(client, anonymous, ctx):
    org = make_org(client)
    plain = make_assessment(client, org, "2026-Q1", QN)
    missing = client.put(f"/api/v1/assessments/{plain}/workshop/consensus/{KNOWN}", json={"value": "a_minority"})
    assert missing.status_code == 404 and f"POST /api/v1/assessments/{plain}/workshop" in missing.json()["detail"]
    assessment, code = open_workshop(client)
    wrong = client.put(
        f"/api/v1/assessments/{assessment}/workshop/consensus/{KNOWN}", json={"value": "plenty", "rationale": "r"}
    )
    assert wrong.status_code == 400 and wrong.json()["extra"]["field"] == "value"
    assert client.get(f"/api/v1/assessments/{assessment}/answers").json() == []
    with ctx.db.read() as session:
        assert session.exec(select(func.count()).select_from(Consensus)).one() == 0


def test_a_submitted_assessment_takes_no_more_workshop_answers(client, anonymous):
    assessment, code = open_workshop(client)
    token = join(anonymous, code, "Ana")
    client.put(
        f"/api/v1/assessments/{assessment}/workshop/consensus/{KNOWN}", json={"value": "a_minority", "rationale": "r"}
    )
    assert client.post(f"/api/v1/assessments/{assessment}/submit").status_code == 200
    refused = say(anonymous, code, token, KNOWN, "most")
    assert refused.status_code == 409 and "submitted" in refused.json()["detail"]
    assert (
        client.put(f"/api/v1/assessments/{assessment}/workshop/consensus/{KNOWN}", json={"value": "most"}).status_code
        == 409
    )


def test_only_consultants_run_workshops_and_only_in_their_organisations(client, anonymous, ctx):
    mine, theirs = make_org(client, "Mine"), make_org(client, "Theirs")
    assessment, other = make_assessment(client, mine, "2026-Q1", QN), make_assessment(client, theirs, "2026-Q1", QN)
    member, lead = bearer_for(ctx, "m@mine.test", "member"), bearer_for(ctx, "lead@mine.test", "consultant")
    client.post(f"/api/v1/organisations/{mine}/members", json={"email": "m@mine.test", "role": "member"})
    client.post(f"/api/v1/organisations/{mine}/members", json={"email": "lead@mine.test", "role": "consultant"})
    refused = anonymous.post(f"/api/v1/assessments/{assessment}/workshop", headers=member)
    assert refused.status_code == 403 and "workshop" in refused.json()["detail"]
    assert anonymous.post(f"/api/v1/assessments/{other}/workshop", headers=lead).status_code == 404
    assert anonymous.post(f"/api/v1/assessments/{assessment}/workshop", headers=lead).status_code == 201
    assert anonymous.get(f"/api/v1/assessments/{assessment}/workshop/board", headers=member).status_code == 403
    assert anonymous.get(f"/api/v1/assessments/{other}/workshop/board", headers=lead).status_code == 404
    audit = [e["action"] for e in client.get(f"/api/v1/organisations/{mine}/audit").json()]
    assert "workshop.open" in audit


def test_the_qr_code_is_the_join_link_drawn_here(client):
    assessment, code = open_workshop(client)
    response = client.get(f"/api/v1/assessments/{assessment}/workshop/qr.svg")
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")
    # The same link drawn with the same settings gives the same picture: the code holds this site's join link.
    expected = io.BytesIO()
    segno.make(f"{BASE}/join/{code}", error="m").save(
        expected, kind="svg", scale=8, border=2, title=f"Join workshop {code}"
    )
    assert response.content == expected.getvalue()


def test_a_participant_note_over_the_limit_gets_a_clear_400_and_one_at_the_limit_is_saved(client, anonymous, ctx):
    _, code = open_workshop(client)
    token = join(anonymous, code, "Ana")
    for value in ("a_minority", "not_applicable"):  # a note is also the reason 'not applicable' needs
        question = KNOWN if value == "a_minority" else "qc.customers.one_profile"
        long = say(anonymous, code, token, question, value, note="x" * (REASON_MAX_LENGTH + 1))
        assert long.status_code == 400 and "note" in long.text and str(REASON_MAX_LENGTH) in long.text
    with ctx.db.read() as session:
        assert session.exec(select(func.count()).select_from(ParticipantAnswer)).one() == 0
    for question, value in ((KNOWN, "a_minority"), ("qc.customers.one_profile", "not_applicable")):
        assert say(anonymous, code, token, question, value, note="x" * REASON_MAX_LENGTH).status_code == 201


def test_a_full_workshop_refuses_the_next_join_until_the_facilitator_raises_the_cap(client, anonymous, ctx):
    assessment = make_assessment(client, make_org(client), "2026-Q3", QN)
    opened = client.post(f"/api/v1/assessments/{assessment}/workshop", json={"participant_cap": 2})
    assert opened.status_code == 201 and opened.json()["participant_cap"] == 2
    code = opened.json()["code"]
    join(anonymous, code, "Ana"), join(anonymous, code, "Ben")
    full = anonymous.post(f"/api/v1/workshops/{code}/participants", json={"name": "Cy"})
    assert (
        full.status_code == 409
        and "full" in full.json()["detail"]
        and "ask the facilitator to raise the participant cap" in full.json()["detail"]
    )
    assert full.json()["extra"] == {"field": "participant_cap", "participant_cap": 2, "participants": 2}
    with ctx.db.read() as session:
        assert session.exec(select(func.count()).select_from(Participant)).one() == 2
    raised = client.patch(f"/api/v1/assessments/{assessment}/workshop", json={"participant_cap": 3})
    assert raised.status_code == 200 and (raised.json()["participant_cap"], raised.json()["participants"]) == (3, 2)
    join(anonymous, code, "Cy")
    assert anonymous.post(f"/api/v1/workshops/{code}/participants", json={"name": "Dee"}).status_code == 409
    assert client.get(f"/api/v1/assessments/{assessment}/workshop").json()["participant_cap"] == 3


def test_the_participant_cap_is_500_unless_set_and_stays_within_1_to_2000(client):
    assessment, _ = open_workshop(client)
    assert client.get(f"/api/v1/assessments/{assessment}/workshop").json()["participant_cap"] == 500
    for cap in (0, 2001, "many"):
        refused = client.patch(f"/api/v1/assessments/{assessment}/workshop", json={"participant_cap": cap})
        assert refused.status_code == 400 and "participant_cap" in refused.text
    other = make_assessment(client, make_org(client, "Other"), "2026-Q3", QN)
    assert client.post(f"/api/v1/assessments/{other}/workshop", json={"participant_cap": 2001}).status_code == 400
    assert client.get(f"/api/v1/assessments/{other}/workshop").status_code == 404  # nothing opened
    assert (
        client.post(f"/api/v1/assessments/{other}/workshop", json={"participant_cap": 2000}).json()["participant_cap"]
        == 2000
    )
    assert (
        client.patch(f"/api/v1/assessments/{assessment}/workshop", json={"participant_cap": 1}).json()[
            "participant_cap"
        ]
        == 1
    )


def test_joins_from_one_address_are_limited_across_two_app_instances_with_retry_after(client, anonymous, ctx, settings):
    _, code = open_workshop(client)
    _, other_code = open_workshop(client, "Other")
    join(anonymous, code, "First")
    with ctx.db.write() as session:
        address = session.exec(select(JoinAttempt.address)).one()  # as the app computes it for this client
        # Earlier joins from the same address, within the window: all but two of those allowed.
        session.add_all([JoinAttempt(address=address) for _ in range(MAX_JOINS_PER_ADDRESS - 3)])
    with TestClient(app=create_app(settings), base_url=BASE) as second:  # another worker on the same database
        assert second.post(f"/api/v1/workshops/{code}/participants", json={"name": "Second"}).status_code == 201
        assert anonymous.post(f"/api/v1/workshops/{other_code}/participants", json={"name": "Last"}).status_code == 201
        for instance, target in ((second, code), (anonymous, code), (second, other_code)):
            refused = instance.post(f"/api/v1/workshops/{target}/participants", json={"name": "One too many"})
            assert refused.status_code == 429 and "network address" in refused.json()["detail"]
            assert 0 < int(refused.headers["Retry-After"]) <= JOIN_WINDOW.total_seconds()
    with ctx.db.read() as session:
        assert session.exec(select(func.count()).select_from(Participant)).one() == 3


def test_joins_sent_at_once_to_a_two_worker_server_stop_exactly_at_the_address_limit(database_url, tmp_path):
    headers = admin_headers(database_url)
    with (
        running_server(database_url, tmp_path, workers=2) as base,
        httpx.Client(base_url=base, timeout=30, headers=headers) as http,
    ):
        org = http.post("/api/v1/organisations", json={"name": "Flood Ltd"}).json()["id"]
        assessment = http.post(
            f"/api/v1/organisations/{org}/assessments", json={"questionnaire_id": QN, "period": "2026-Q4"}
        ).json()["id"]
        code = http.post(f"/api/v1/assessments/{assessment}/workshop").json()["code"]
        url = f"{base}/api/v1/workshops/{code}/participants"
        assert httpx.post(url, json={"name": "First"}).status_code == 201
        database = Database(database_url)
        try:
            with database.write() as session:
                address = session.exec(select(JoinAttempt.address)).one()
                session.add_all(
                    [JoinAttempt(address=address) for _ in range(MAX_JOINS_PER_ADDRESS - 4)]
                )  # 3 places left

            def attempt(n):
                with httpx.Client(timeout=30) as own:  # a connection each, so both workers take some
                    return own.post(url, json={"name": f"P{n}"})

            with ThreadPoolExecutor(12) as pool:
                answers = list(pool.map(attempt, range(12)))
            with database.read() as session:
                joined = session.exec(select(func.count()).select_from(Participant)).one()
        finally:
            database.dispose()
    assert sorted(r.status_code for r in answers) == [201] * 3 + [429] * 9, [r.text for r in answers]
    assert all(int(r.headers["Retry-After"]) > 0 for r in answers if r.status_code == 429) and joined == 4


def test_roles_and_departments_under_the_minimum_group_size_are_folded_into_other(settings):
    people = [("Ana", "Agent", "service")] * 4 + [
        ("Mo", "Manager", "marketing"),
        ("Mia", "Manager", "marketing"),
        ("Cleo", "CEO", "marketing"),
    ]
    app = create_app(replace(settings, min_group_size=3))
    with admin_client(app) as client, TestClient(app=app, base_url=BASE) as anonymous:
        assessment, code = open_workshop(client)
        tokens = [join(anonymous, code, *person) for person in people]
        answer_all(anonymous, code, tokens, KNOWN, ["a_minority"] * 4 + ["most", "most", "nearly_all"])
        board = client.get(f"/api/v1/assessments/{assessment}/workshop/board")
        gaps = client.get(f"/api/v1/assessments/{assessment}/workshop/gaps").json()
    assert "CEO" not in board.text and "Manager" not in board.text and "CEO" not in str(gaps)
    board = board.json()
    assert board["roles"] == {"Agent": 4, "other": 3} and board["departments"] == {"service": 4, "marketing": 3}
    known = by_id(board)[KNOWN]
    other = next(g for g in known["by_role"] if g["group"] == "other")
    assert [g["group"] for g in known["by_role"]] == ["Agent", "other"] and counts(other) == {
        "almost_none": 0,
        "a_minority": 0,
        "most": 2,
        "nearly_all": 1,
    }
    assert [g["group"] for g in known["by_department"]] == ["marketing", "service"]
    assert [g["group"] for g in gaps["by_role"]] == ["Agent", "other"] and [
        g["participants"] for g in gaps["by_role"]
    ] == [4, 3]


def test_a_role_fewer_of_whom_answered_a_question_than_the_minimum_shows_its_answers_to_it_only_in_other(settings):
    people = [("Ana", "Agent", "service")] * 3 + [("Mo", "Manager", "marketing")] * 3
    app = create_app(replace(settings, min_group_size=3))
    with admin_client(app) as client, TestClient(app=app, base_url=BASE) as anonymous:
        assessment, code = open_workshop(client)
        tokens = [join(anonymous, code, *person) for person in people]
        answer_all(anonymous, code, tokens, KNOWN, ["a_minority"] * 3 + ["most"] * 3)  # every manager answered
        answer_all(anonymous, code, tokens[:4], HEAR, ["rarely"] * 3 + ["always"])  # one manager of three
        board = by_id(client.get(f"/api/v1/assessments/{assessment}/workshop/board").json())
        gaps = client.get(f"/api/v1/assessments/{assessment}/workshop/gaps").json()
    assert [(g["group"], g["answered"]) for g in board[KNOWN]["by_role"]] == [("Agent", 3), ("Manager", 3)]
    # The lone manager's answer would show as the managers' own; with it "other" would hold one, so the agents join it.
    assert [(g["group"], counts(g)) for g in board[HEAR]["by_role"]] == [
        ("other", {"rarely": 3, "sometimes": 0, "mostly": 0, "always": 1})
    ]
    assert [(g["group"], g["answered"]) for g in board[HEAR]["by_department"]] == [("other", 4)]
    assert {g["group"]: g["answered"] for g in gaps["by_role"]} == {"Agent": 1, "Manager": 1}  # KNOWN only


def test_the_minimum_group_size_is_3_unless_set_and_must_be_a_whole_number_of_1_or_more(monkeypatch, tmp_path):
    monkeypatch.setenv("TRIBEWISE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TRIBEWISE_MIN_GROUP_SIZE", raising=False)
    assert read_settings().min_group_size == 3
    monkeypatch.setenv("TRIBEWISE_MIN_GROUP_SIZE", "5")
    assert read_settings().min_group_size == 5
    for wrong in ("0", "three", "-1"):
        monkeypatch.setenv("TRIBEWISE_MIN_GROUP_SIZE", wrong)
        with pytest.raises(ValueError, match="TRIBEWISE_MIN_GROUP_SIZE must be a whole number of 1 or more"):
            read_settings()


def test_the_facilitator_takes_the_room_from_question_to_question_in_questionnaire_order(client, anonymous):
    assessment, code = open_workshop(client)
    token = join(anonymous, code, "Ana")
    current = f"/api/v1/assessments/{assessment}/workshop/current"
    order = [q["id"] for s in client.get(f"/api/v1/questionnaires/{QN}").json()["sections"] for q in s["questions"]]
    assert client.get(f"/api/v1/assessments/{assessment}/workshop").json()["current_question"] is None
    assert client.put(current, json={"move": "previous"}).json()["current_question"] is None  # nowhere to go back to
    assert client.put(current, json={"move": "next"}).json()["current_question"] == order[0]
    assert client.put(current, json={"move": "next"}).json()["current_question"] == order[1]
    assert client.put(current, json={"move": "previous"}).json()["current_question"] == order[0]
    assert client.put(current, json={"question_id": order[-1]}).json()["current_question"] == order[-1]
    assert client.put(current, json={"move": "next"}).json()["current_question"] == order[-1]  # stays at the end
    # Participants read where the room is.
    assert (
        anonymous.get(f"/api/v1/workshops/{code}/me", headers=token).json()["workshop"]["current_question"]
        == (order[-1])
    )
    unknown = client.put(current, json={"question_id": "qc.nowhere"})
    assert unknown.status_code == 404 and order[0] in unknown.json()["extra"]["allowed"]
    for wrong in ({}, {"question_id": order[0], "move": "next"}, {"move": "sideways"}):
        refused = client.put(current, json=wrong)
        assert refused.status_code == 400, (wrong, refused.text)
    assert client.get(f"/api/v1/assessments/{assessment}/workshop").json()["current_question"] == order[-1]
    organisation = client.get(f"/api/v1/assessments/{assessment}").json()["organisation_id"]
    audit = [e["action"] for e in client.get(f"/api/v1/organisations/{organisation}/audit").json()]
    assert audit.count("workshop.update") == 4  # each move that went somewhere, none for those that stayed


def test_a_locked_question_refuses_changes_while_the_rest_of_its_section_stays_open(client, anonymous):
    assessment, code = open_workshop(client)
    token = join(anonymous, code, "Ana")
    assert say(anonymous, code, token, KNOWN, "a_minority").status_code == 201
    question = f"/api/v1/assessments/{assessment}/workshop/questions/{KNOWN}"
    assert client.patch(question, json={"locked": True}).json()["locked_questions"] == [KNOWN]
    refused = say(anonymous, code, token, KNOWN, "most")
    assert refused.status_code == 409 and "locked" in refused.json()["detail"]
    assert refused.json()["extra"] == {"field": "question_id", "question_id": KNOWN}
    assert anonymous.get(f"/api/v1/workshops/{code}/me", headers=token).json()["workshop"]["locked_questions"] == [
        KNOWN
    ]
    assert say(anonymous, code, token, LISTEN, "ad_hoc").status_code == 201
    unlocked = client.patch(question, json={"locked": False, "revealed": True}).json()
    assert unlocked["locked_questions"] == [] and unlocked["revealed_questions"] == [KNOWN]
    assert say(anonymous, code, token, KNOWN, "most").status_code == 200


# The facilitator's console (issue 19): the rationale where the room disagreed, the group's medians accepted at once.

RATIONALE_NEEDED = "The room disagreed on this question: say in a sentence why the group settled on this answer"
MEDIAN_NOTE = "Accepted the group's median (low spread)"


def test_a_consensus_needs_a_rationale_only_where_the_room_disagreed(client, anonymous, ctx):
    assessment, code = open_workshop(client)
    tokens = three(anonymous, code)
    answer_all(anonymous, code, tokens, KNOWN, ["nearly_all", "almost_none", "a_minority"])  # spread 0.838
    answer_all(anonymous, code, tokens, LISTEN, ["main_networks", "main_networks", "everywhere"])  # spread 0.24
    agree = f"/api/v1/assessments/{assessment}/workshop/consensus"
    for blank in ("", "   "):
        refused = client.put(f"{agree}/{KNOWN}", json={"value": "a_minority", "rationale": blank})
        assert refused.status_code == 400 and refused.json()["detail"] == RATIONALE_NEEDED
        assert refused.json()["extra"]["field"] == "rationale"
    assert client.get(f"/api/v1/assessments/{assessment}/answers").json() == []  # nothing saved by a refusal
    with ctx.db.read() as session:
        assert session.exec(select(func.count()).select_from(Consensus)).one() == 0
    assert (
        client.put(f"{agree}/{KNOWN}", json={"value": "a_minority", "rationale": "Only card holders"}).status_code
        == 200
    )
    assert (
        client.put(f"{agree}/{LISTEN}", json={"value": "main_networks"}).status_code == 200
    )  # low spread: none needed
    assert client.put(f"{agree}/{HEAR}", json={"value": "mostly"}).status_code == 200  # nobody answered: none needed


def _order(client) -> list[str]:
    return [q["id"] for s in client.get(f"/api/v1/questionnaires/{QN}").json()["sections"] for q in s["questions"]]


def test_the_group_medians_are_reviewed_then_accepted_at_once_with_audit_rows(client, anonymous):
    assessment, code = open_workshop(client)
    tokens = three(anonymous, code)
    answer_all(anonymous, code, tokens, KNOWN, ["nearly_all", "almost_none", "a_minority"])  # split: no
    answer_all(anonymous, code, tokens, HEAR, ["mostly", "mostly", "mostly"])  # unanimous: yes
    answer_all(anonymous, code, tokens, LISTEN, ["main_networks", "main_networks", "everywhere"])  # 0.24: yes
    answer_all(anonymous, code, tokens[:1], ACT, ["key_cases"])  # one answer is no group: no
    medians = f"/api/v1/assessments/{assessment}/workshop/medians"
    review = client.get(medians).json()
    order = _order(client)
    assert [c["question_id"] for c in review] == sorted([HEAR, LISTEN], key=order.index)
    listen = next(c for c in review if c["question_id"] == LISTEN)
    assert (listen["value"], listen["label"], listen["scored"]) == (
        "main_networks",
        "Continuously, on the main networks",
        3,
    )
    accepted = client.post(medians, json={"question_ids": [HEAR, LISTEN]})
    assert accepted.status_code == 200, accepted.text
    assert [(c["question_id"], c["value"], c["rationale"]) for c in accepted.json()["accepted"]] == [
        (HEAR, "mostly", MEDIAN_NOTE),
        (LISTEN, "main_networks", MEDIAN_NOTE),
    ]
    saved = {a["question_id"]: a for a in client.get(f"/api/v1/assessments/{assessment}/answers").json()}
    assert {q: (a["value"], a["note"], a["answered_by"]) for q, a in saved.items()} == {
        HEAR: ("mostly", MEDIAN_NOTE, "workshop"),
        LISTEN: ("main_networks", MEDIAN_NOTE, "workshop"),
    }
    organisation = client.get(f"/api/v1/assessments/{assessment}").json()["organisation_id"]
    audit = client.get(f"/api/v1/organisations/{organisation}/audit").json()
    assert sorted(e["entity_id"] for e in audit if e["action"] == "answer.save") == sorted(
        f"{assessment}/{q}" for q in (HEAR, LISTEN)
    )
    board = client.get(f"/api/v1/assessments/{assessment}/workshop/board").json()
    assert board["agreed"] == 2 and by_id(board)[HEAR]["consensus"]["spread"] == 0.0
    assert client.get(medians).json() == []  # agreed now: off the list


def test_a_stale_median_selection_is_refused_whole_and_saves_nothing(client, anonymous):
    assessment, code = open_workshop(client)
    tokens = three(anonymous, code)
    answer_all(anonymous, code, tokens, HEAR, ["mostly", "mostly", "mostly"])
    answer_all(anonymous, code, tokens, LISTEN, ["main_networks", "main_networks", "main_networks"])
    medians = f"/api/v1/assessments/{assessment}/workshop/medians"
    assert {c["question_id"] for c in client.get(medians).json()} == {HEAR, LISTEN}
    # Between the review and the click two participants change their minds: the room is split on LISTEN now.
    assert say(anonymous, code, tokens[0], LISTEN, "not_at_all").status_code == 200
    assert say(anonymous, code, tokens[1], LISTEN, "everywhere").status_code == 200
    refused = client.post(medians, json={"question_ids": [HEAR, LISTEN]})
    assert refused.status_code == 409 and "no longer qualifies" in refused.json()["detail"]
    assert refused.json()["extra"]["question_ids"] == [LISTEN]
    assert LISTEN not in refused.json()["detail"] and "Do you track what is said" in refused.json()["detail"]
    assert client.get(f"/api/v1/assessments/{assessment}/answers").json() == []  # HEAR was not saved either
    assert [c["question_id"] for c in client.get(medians).json()] == [HEAR]
    assert client.post(medians, json={"question_ids": [HEAR]}).status_code == 200
    again = client.post(medians, json={"question_ids": [HEAR]})  # already agreed: refused, the agreement kept
    assert again.status_code == 409
    assert client.get(f"/api/v1/assessments/{assessment}/answers").json()[0]["version"] == 1
    for wrong, status in (({"question_ids": []}, 400), ({}, 400), ({"question_ids": ["qc.nowhere"]}, 404)):
        assert client.post(medians, json=wrong).status_code == status, wrong


def test_a_participant_follows_the_room_with_an_etag_that_changes_only_when_the_room_does(client, anonymous):
    assessment, code = open_workshop(client)
    token = join(anonymous, code, "Ana")
    now = f"/api/v1/workshops/{code}/now"
    current = f"/api/v1/assessments/{assessment}/workshop/current"
    waiting = anonymous.get(now, headers=token)
    assert waiting.status_code == 200 and waiting.json()["question_id"] is None and waiting.json()["status"] == "open"
    assert waiting.json()["total"] > 1 and waiting.json()["results"] is None
    etag = waiting.headers["etag"]
    assert anonymous.get(now, headers={**token, "If-None-Match": etag}).status_code == 304
    first = client.put(current, json={"move": "next"}).json()["current_question"]
    moved = anonymous.get(now, headers={**token, "If-None-Match": etag})
    body = moved.json()
    assert moved.status_code == 200 and moved.headers["etag"] != etag
    assert (body["question_id"], body["number"], body["section_number"]) == (first, 1, 1)
    assert body["section_title"] and body["text"] and not body["revealed"] and not body["locked"]
    etag = moved.headers["etag"]
    unchanged = anonymous.get(now, headers={**token, "If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged.headers["etag"] == etag
    # An answer does not change what the phone shows until the question is revealed.
    assert (
        say(
            anonymous,
            code,
            token,
            first,
            client.get(f"/api/v1/questionnaires/{QN}").json()["sections"][0]["questions"][0]["options"][1]["value"],
        ).status_code
        == 201
    )
    assert anonymous.get(now, headers={**token, "If-None-Match": etag}).status_code == 304
    question = f"/api/v1/assessments/{assessment}/workshop/questions/{first}"
    client.patch(question, json={"revealed": True})
    revealed = anonymous.get(now, headers={**token, "If-None-Match": etag})
    assert revealed.status_code == 200 and revealed.json()["revealed"]
    assert revealed.json()["results"]["answered"] == 1
    etag = revealed.headers["etag"]
    other = join(anonymous, code, "Ben")
    assert say(anonymous, code, other, first, revealed.json()["results"]["counts"][0]["value"]).status_code == 201
    counted = anonymous.get(now, headers={**token, "If-None-Match": etag})
    assert counted.status_code == 200 and counted.json()["results"]["answered"] == 2  # revealed: counts show
    client.patch(question, json={"locked": True})
    locked = anonymous.get(now, headers={**token, "If-None-Match": counted.headers["etag"]})
    assert locked.status_code == 200 and locked.json()["locked"]
    client.patch(f"/api/v1/assessments/{assessment}/workshop", json={"status": "closed"})
    closed = anonymous.get(now, headers={**token, "If-None-Match": locked.headers["etag"]})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_where_the_room_is_is_told_only_to_its_own_participants(client, anonymous):
    _, code = open_workshop(client)
    _, elsewhere = open_workshop(client, "Elsewhere Ltd")
    stranger = join(anonymous, elsewhere, "Eve")
    assert anonymous.get(f"/api/v1/workshops/{code}/now").status_code == 401
    refused = anonymous.get(f"/api/v1/workshops/{code}/now", headers=stranger)
    assert refused.status_code == 401 and "join it" in refused.json()["detail"]
    assert anonymous.get("/api/v1/workshops/NOSUCHCD/now", headers=stranger).status_code == 404
