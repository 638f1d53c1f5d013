"""An organisation import checks everything it is given before storing any of it: a hostile file is a 400
naming the JSON path and the fix, on SQLite and PostgreSQL alike, and what an import stores never breaks a page."""

from __future__ import annotations

import copy

from tests.integration.test_api_exports import build_history

SUBMITTED, DRAFT = 0, 1  # build_history's first period is submitted, its second a draft


def _set(path: list, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _twenty_thousand_answers(data):
    answers = data["assessments"][DRAFT]["answers"]
    data["assessments"][DRAFT]["answers"] = [dict(answers[0], question_id=f"q{n}") for n in range(20_000)]


def _a_thousand_started_questions(data):
    started = data["assessments"][DRAFT]["started_questions"]
    first = next(iter(started.values()))
    started.update({f"q{n}": first for n in range(1000 - len(started))})


def _twenty_thousand_changes(data):
    history = data["assessments"][DRAFT]["history"]
    data["assessments"][DRAFT]["history"] = [history[0]] * 20_000


def _repeat_answer(data):
    answers = data["assessments"][DRAFT]["answers"]
    answers.append(dict(answers[0]))


def _repeat_roadmap_step(data):
    rows = data["assessments"][SUBMITTED]["roadmap"]
    rows.append(dict(rows[0], id=9999))


def _repeat_frozen_step(data):
    items = data["assessments"][SUBMITTED]["snapshot"]["roadmap"]["items"]
    items.append(dict(items[0]))


def _answer_elsewhere(data):
    data["assessments"][DRAFT]["answers"][0]["question_id"] = "fd.not.a.question"


def _level_beyond_the_ladder(data):
    data["assessments"][SUBMITTED]["snapshot"]["result"]["models"][0]["level"] = 99


A = f"assessments[{SUBMITTED}]"
D = f"assessments[{DRAFT}]"
HOSTILE = {
    # name: (change, JSON path the detail must name, words the detail must hold)
    "models of numbers": (
        _set(["assessments", SUBMITTED, "snapshot", "result"], {"models": [1, 2]}),
        f"{A}.snapshot.result.models[0]",
        "object",
    ),
    "an empty result": (
        _set(["assessments", SUBMITTED, "snapshot", "result"], {}),
        f"{A}.snapshot.result.questionnaire_id",
        "add it",
    ),
    "a level of 'high'": (
        _set(["assessments", SUBMITTED, "snapshot", "result", "models", 0, "level"], "high"),
        f"{A}.snapshot.result.models[0].level",
        "integer",
    ),
    "a level beyond the ladder": (_level_beyond_the_ladder, f"{A}.snapshot.result.models[0].level", "from 0 to 5"),
    "a frozen roadmap of {}": (
        _set(["assessments", SUBMITTED, "snapshot", "roadmap"], {}),
        f"{A}.snapshot.roadmap.items",
        "add it",
    ),
    "a roadmap of {}": (_set(["assessments", SUBMITTED, "roadmap"], {}), f"{A}.roadmap", "list"),
    "20,000 answers on one draft": (_twenty_thousand_answers, f"{D}.answers", "at most one answer per question"),
    "a draft begun with 1,000 questions": (_a_thousand_started_questions, f"{D}.started_questions", "name at most"),
    "20,000 changes on one draft": (_twenty_thousand_changes, f"{D}.history", "keep at most"),
    "a question answered twice": (_repeat_answer, f"{D}.answers[", "appears twice"),
    "an answer to a question not asked": (_answer_elsewhere, f"{D}.answers[0].question_id", "not a question"),
    "a roadmap step twice": (_repeat_roadmap_step, f"{A}.roadmap[", "appears twice"),
    "a frozen roadmap step twice": (_repeat_frozen_step, f"{A}.snapshot.roadmap.items[", "appears twice"),
    "a time without its timezone": (
        _set(["assessments", SUBMITTED, "answers", 0, "answered_at"], "2026-01-01T09:00:00"),
        f"{A}.answers[0].answered_at",
        "timezone",
    ),
    "a 300-character name": (_set(["organisation", "name"], "N" * 300), "organisation.name", "at most 200 characters"),
    "too long a size": (_set(["organisation", "size"], "S" * 51), "organisation.size", "at most 50 characters"),
    "too long an owner": (
        _set(["assessments", SUBMITTED, "roadmap", 0, "owner"], "O" * 201),
        f"{A}.roadmap[0].owner",
        "at most 200 characters",
    ),
    "too long an answer value": (
        _set(["assessments", DRAFT, "answers", 0, "value"], "v" * 101),
        f"{D}.answers[0].value",
        "at most 100 characters",
    ),
    "the same period twice": (_set(["assessments", DRAFT, "period"], "2026-Q1"), f"{D}.period", "appears twice"),
    "a baseline not in the file": (
        _set(["assessments", DRAFT, "baseline_assessment_id"], 777),
        f"{D}.baseline_assessment_id",
        "not an assessment in the file",
    ),
    "a due period that is no period": (
        _set(["assessments", SUBMITTED, "roadmap", 0, "due_period"], "soon"),
        f"{A}.roadmap[0].due_period",
        "such as 2026-Q4",
    ),
    "too long a content hash": (
        _set(["assessments", SUBMITTED, "content_hash"], "f" * 65),
        f"{A}.content_hash",
        "at most 64 characters",
    ),
}


def _not_refused(client, exported: dict, cases: dict) -> list[str]:
    """The hostile cases an import did not refuse with a 400 naming the path, the problem and the fix."""
    wrong = []
    for name, (change, path, words) in cases.items():
        data = copy.deepcopy(exported)
        change(data)
        response = client.post("/api/v1/organisations/import", json=data)
        body = response.json()
        if response.status_code != 400:
            wrong.append(f"{name}: {response.status_code} {response.text[:200]}")
        elif not (path in body["detail"] and words in body["detail"] and "import again" in body["detail"]):
            wrong.append(
                f"{name}: the detail should name {path}, say {words!r} and how to fix it: {body['detail'][:300]}"
            )
        elif not any(
            p.startswith(path.rstrip("["))
            for p in [body["extra"]["field"], *(e["path"] for e in body["extra"].get("errors", []))]
        ):
            wrong.append(f"{name}: extra names {body['extra']}, not {path}")
    return wrong


def test_each_hostile_import_is_refused_with_its_json_path_and_nothing_is_stored(client, ctx):
    org, _ = build_history(client, ctx)
    exported = client.get(f"/api/v1/organisations/{org}/export.json").json()
    wrong = _not_refused(client, exported, HOSTILE)
    assert not wrong, "\n".join(wrong)
    assert [o["id"] for o in client.get("/api/v1/organisations").json()] == [org]


def _crowd(data):
    people = data["assessments"][0]["workshop"]["participants"]
    people += [dict(people[0], name=f"P{n}") for n in range(2001)]


def test_a_hostile_workshop_in_an_import_is_refused_with_its_json_path(client, ctx, anonymous):
    from tests.integration.test_api_workshops import HEAR, KNOWN, answer_all, join, open_workshop

    assessment, code = open_workshop(client, "Room <Co>")
    org = client.get(f"/api/v1/assessments/{assessment}").json()["organisation_id"]
    tokens = [join(anonymous, code, f"P{n}", "service", "dept") for n in range(2)]
    answer_all(anonymous, code, tokens, KNOWN, ["nearly_all", "a_minority"])
    answer_all(anonymous, code, tokens, HEAR, ["mostly", "always"])
    assert (
        client.put(
            f"/api/v1/assessments/{assessment}/workshop/consensus/{KNOWN}",
            json={"value": "a_minority", "rationale": "The room split: only card holders are known"},
        ).status_code
        == 200
    )
    exported = client.get(f"/api/v1/organisations/{org}/export.json").json()
    at = ["assessments", 0, "workshop"]
    w = "assessments[0].workshop"
    mine = exported["assessments"][0]["workshop"]["participants"][0]["answers"]
    cases = {
        "a participant answering twice": (
            _set(at + ["participants", 0, "answers"], mine + mine[:1]),
            f"{w}.participants[0].answers[",
            "appears twice",
        ),
        "an agreement twice": (
            _set(at + ["consensus"], exported["assessments"][0]["workshop"]["consensus"] * 2),
            f"{w}.consensus[1].question_id",
            "appears twice",
        ),
        "an agreed value not offered": (
            _set(at + ["consensus", 0, "value"], "everything"),
            f"{w}.consensus[0].value",
            "not an answer",
        ),
        "an answer to a question not asked": (
            _set(at + ["participants", 0, "answers", 0, "question_id"], "fd.nope"),
            f"{w}.participants[0].answers[0].question_id",
            "not a question",
        ),
        "a time without its timezone": (
            _set(at + ["consensus", 0, "decided_at"], "2026-01-01 09:00"),
            f"{w}.consensus[0].decided_at",
            "timezone",
        ),
        "more people than a workshop lets in": (_crowd, f"{w}.participants", "at most 2000"),
    }
    wrong = _not_refused(client, exported, cases)
    assert not wrong, "\n".join(wrong)
    assert [o["id"] for o in client.get("/api/v1/organisations").json()] == [org]


def _pages(client, org: int) -> dict[str, int]:
    """Every page and download that reads what an import stored, with its status."""
    ids = [a["id"] for a in client.get(f"/api/v1/organisations/{org}/assessments").json()]
    paths = [
        "/",
        f"/organisations/{org}",
        f"/organisations/{org}/compare",
        f"/api/v1/organisations/{org}/progress",
        f"/api/v1/organisations/{org}/answers.csv",
        f"/api/v1/organisations/{org}/scores.csv",
        f"/api/v1/organisations/{org}/export.json",
    ]
    for a in ids:
        paths += [
            f"/assessments/{a}/results",
            f"/assessments/{a}/roadmap",
            f"/api/v1/assessments/{a}/result",
            f"/api/v1/assessments/{a}/roadmap",
            f"/api/v1/assessments/{a}/report.pdf",
            f"/api/v1/assessments/{a}/report.pdf?variant=summary",
        ]
    paths += [
        f"/organisations/{org}/compare?before={ids[0]}&after={ids[-1]}",
        f"/api/v1/assessments/{ids[0]}/compare/{ids[-1]}",
    ]
    return {path: client.get(path).status_code for path in paths}


def _frozen_under_other_content(data):
    # What another instance, whose content differs, may send: a bare snapshot under a hash this one does not know.
    old = data["assessments"][SUBMITTED]
    old["content_hash"] = old["snapshot"]["content_hash"] = "0" * 64
    old["snapshot"]["result"] |= {"content_hash": "0" * 64, "models": [], "criteria": [], "findings": []}
    old["snapshot"]["roadmap"] = {"items": [], "deferred": []}
    old["answers"][0]["value"] = "an_option_since_removed"


def _draft_under_older_content(data):
    # A draft started before the content changed keeps an answer to an option since removed; scoring skips it.
    draft = data["assessments"][DRAFT]
    draft["content_hash"] = "1" * 64
    draft["answers"][0]["value"] = "an_option_since_removed"


def _only_one_model(data):
    result = data["assessments"][SUBMITTED]["snapshot"]["result"]
    result["models"] = [m for m in result["models"] if m["model"] == "solis"]


def test_every_page_of_an_imported_organisation_answers(client, ctx):
    org, _ = build_history(client, ctx)
    exported = client.get(f"/api/v1/organisations/{org}/export.json").json()
    valid = {
        "as exported": lambda data: None,
        "frozen under other content": _frozen_under_other_content,
        "a draft under older content": _draft_under_older_content,
        "one model": _only_one_model,
    }
    # Whatever an import accepts, every page shows: the valid files, and any hostile one that got in.
    for name, change in {**valid, **{n: c for n, (c, _, _) in HOSTILE.items()}}.items():
        data = copy.deepcopy(exported)
        change(data)
        created = client.post("/api/v1/organisations/import", json=data)
        assert created.status_code in ((201,) if name in valid else (201, 400)), f"{name}: {created.text[:300]}"
        if created.status_code == 201:
            broken = {path: status for path, status in _pages(client, created.json()["id"]).items() if status != 200}
            assert not broken, f"{name}: {broken}"


def test_an_import_is_in_the_new_organisations_audit_log_with_who_and_how_much(client, ctx):
    org, _ = build_history(client, ctx)
    exported = client.get(f"/api/v1/organisations/{org}/export.json").json()
    created = client.post("/api/v1/organisations/import", json=exported).json()
    events = [
        e
        for e in client.get(f"/api/v1/organisations/{created['id']}/audit").json()
        if e["action"] == "organisation.import"
    ]
    assert len(events) == 1
    assert events[0]["actor"] == "admin@tribewise.test" and events[0]["entity_id"] == str(created["id"])
    answers = sum(len(a["answers"]) for a in exported["assessments"])
    assert events[0]["after"] | {"exported_at": None} == {
        "name": "Acme <Outdoor> & Co",
        "assessments": 2,
        "answers": answers,
        "exported_at": None,
    }
