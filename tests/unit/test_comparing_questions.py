"""Which questions are new, changed or removed since a draft was started, worked on the tiny content."""

import yaml

from backend.content.bundle import build_bundle
from backend.content.changes import compare_questions, fingerprint, started_questions
from backend.content.schema import Questionnaire
from tests.conftest import DATA


def _edited(tiny, edit) -> object:
    """The tiny questionnaire's plan after `edit` changed its raw YAML data."""
    data = yaml.safe_load((DATA / "content" / "questionnaires" / "t.yaml").read_text())
    edit(data)
    return build_bundle(tiny.rubrics, {"t": Questionnaire.model_validate(data)}).plan("t")


def _question(data, qid):
    return next(q for s in data["sections"] for q in s["questions"] if q["id"] == qid)


def test_the_same_questionnaire_shows_no_question_changed(tiny):
    plan = tiny.plan("t")
    change = compare_questions(started_questions(plan), plan, "1")
    assert change.counted and not change.questions_differ


def test_a_reworded_question_is_changed_and_keeps_its_id(tiny):
    def reword(data):
        data["version"] = "2"
        _question(data, "t.a")["text"] = "Do you listen every week?"

    now = _edited(tiny, reword)
    change = compare_questions(started_questions(tiny.plan("t")), now, "1")
    assert [(r.id, r.text) for r in change.changed] == [("t.a", "Do you listen every week?")]
    assert (change.new, change.removed, change.started_version, change.current_version) == ((), (), "1", "2")


def test_a_relabelled_option_changes_the_question_but_a_new_score_does_not(tiny):
    plan = tiny.plan("t")
    relabel = _edited(
        tiny,
        lambda d: _question(d, "t.b").__setitem__(
            "options",
            [
                {"value": "never", "label": "Not at all", "score": 0},
                {"value": "sometimes", "label": "Sometimes", "score": 0.5},
                {"value": "always", "label": "Always", "score": 1},
            ],
        ),
    )
    rescore = _edited(
        tiny,
        lambda d: _question(d, "t.b").__setitem__(
            "options",
            [
                {"value": "never", "label": "Never", "score": 0},
                {"value": "sometimes", "label": "Sometimes", "score": 0.3},
                {"value": "always", "label": "Always", "score": 1},
            ],
        ),
    )
    assert fingerprint(relabel.questions["t.b"]) != fingerprint(plan.questions["t.b"])
    assert fingerprint(rescore.questions["t.b"]) == fingerprint(plan.questions["t.b"])


def test_new_ids_are_new_and_gone_ids_are_removed_only_where_answered(tiny):
    def replace_two(data):
        questions = data["sections"][1]["questions"]
        d = _question(data, "t.d")
        d["id"] = "t.d_daily"  # a changed meaning gets a new id
        questions.remove(_question(data, "t.e"))

    now = _edited(tiny, replace_two)
    started = started_questions(tiny.plan("t"))
    change = compare_questions(started, now, "1", answered={"t.e", "t.a"})
    assert [r.id for r in change.new] == ["t.d_daily"]
    assert change.changed == ()
    assert [(r.id, r.text) for r in change.removed] == [("t.e", "q")]  # t.d was not answered: not listed
    assert change.removed_count == 2 and change.questions_differ


def test_a_draft_started_before_questions_were_stored_knows_only_the_versions(tiny):
    change = compare_questions(None, tiny.plan("t"), "0.9")
    assert not change.counted and (change.started_version, change.current_version) == ("0.9", "1")
    assert not change.questions_differ
