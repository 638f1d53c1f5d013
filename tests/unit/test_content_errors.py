"""Bad content files fail with the file, the path inside it, the line and the fix."""

import shutil
from pathlib import Path

import pytest

from backend.content.checks import SUMMARY_LIMIT, summary_problems
from backend.content.errors import ContentError
from backend.content.loader import load_content
from tests.conftest import DATA

QN = "questionnaires/t.yaml"


def broken(tmp_path: Path, file: str, old: str, new: str) -> list:
    root = tmp_path / "content"
    shutil.copytree(DATA / "content", root)
    path = root / file
    text = path.read_text()
    assert old in text, f"fixture text {old!r} not found"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ContentError) as err:
        load_content(root)
    return list(err.value.issues)


def only(issues):
    assert len(issues) == 1, [str(i) for i in issues]
    return issues[0]


def test_unknown_criterion_names_question_path_and_line(tmp_path):
    issue = only(broken(tmp_path, QN, "criterion: ladder.l2}", "criterion: ladder.l9}"))
    assert issue.file.endswith("t.yaml")
    assert issue.path == "sections[0].questions[2].criterion"
    assert issue.line == 22
    assert "unknown criterion 'ladder.l9'" in issue.message
    assert "rubrics/" in issue.fix


def test_duplicate_question_id_is_reported_at_both_places(tmp_path):
    issues = broken(tmp_path, QN, "id: t.l2a,", "id: t.l1b,")
    assert [i.path for i in issues] == ["sections[0].questions[1].id", "sections[0].questions[2].id"]
    assert all("duplicate question id 't.l1b'" in i.message for i in issues)


X = "id: t.x, criterion: prof.x}"
X_PATH = "sections[1].questions[5].options"


def own_options(options: str) -> str:
    return X[:-1] + f", options: [{options}]}}"


def test_score_out_of_range(tmp_path):
    issue = only(
        broken(tmp_path, QN, X, own_options("{value: a, label: A, score: 0}, {value: b, label: B, score: 1.5}"))
    )
    assert issue.path == X_PATH + "[1].score"
    assert "less than or equal to 1" in issue.message
    assert issue.line == 32


def test_option_without_score(tmp_path):
    issue = only(broken(tmp_path, QN, X, own_options("{value: a, label: A}, {value: b, label: B, score: 1}")))
    assert issue.path == X_PATH + "[0].score"
    assert issue.fix == "add the key 'score'"


def test_question_with_a_single_option(tmp_path):
    issue = only(broken(tmp_path, QN, X, own_options("{value: a, label: A, score: 1}")))
    assert issue.path == X_PATH
    assert "at least 2" in issue.message


def test_duplicate_option_value(tmp_path):
    issue = only(broken(tmp_path, QN, X, own_options("{value: a, label: A, score: 0}, {value: a, label: B, score: 1}")))
    assert issue.path == "sections[1].questions[5]"
    assert "duplicate option value 'a'" in issue.message


def test_option_value_yes_becomes_a_boolean_and_is_refused(tmp_path):
    issue = only(
        broken(tmp_path, QN, X, own_options("{value: yes, label: A, score: 0}, {value: b, label: B, score: 1}"))
    )
    assert issue.path == X_PATH + "[0].value"
    assert "string" in issue.message


def test_reserved_option_value(tmp_path):
    issue = only(
        broken(tmp_path, QN, X, own_options("{value: dont_know, label: A, score: 0}, {value: b, label: B, score: 1}"))
    )
    assert "'dont_know' is reserved" in issue.message


def test_unknown_condition_kind(tmp_path):
    issue = only(
        broken(tmp_path, "rubrics/profile.yaml", "score_below: {criterion: prof.y", "score_under: {criterion: prof.y")
    )
    assert issue.path == "recommendations[0].trigger"
    assert "exactly one of the keys" in issue.message
    assert issue.line == 25


def test_condition_on_unknown_criterion(tmp_path):
    issue = only(
        broken(tmp_path, "rubrics/profile.yaml", "criterion: prof.y, value: 0.5", "criterion: prof.z, value: 0.5")
    )
    assert issue.path == "recommendations[0].trigger"
    assert "unknown criterion 'prof.z'" in issue.message


def test_show_if_must_refer_to_an_earlier_question(tmp_path):
    issue = only(broken(tmp_path, QN, "question: t.y, in:", "question: t.q, in:"))
    assert issue.path == "sections[1].questions[7].show_if"
    assert "earlier question" in issue.fix


def test_show_if_value_must_be_an_option(tmp_path):
    issue = only(broken(tmp_path, QN, "in: [sometimes, always]", "in: [sometimes, often]"))
    assert "'often' is not an answer of 't.y'" in issue.message


def test_question_may_not_allow_what_the_rubric_forbids(tmp_path):
    issue = only(broken(tmp_path, QN, "criterion: check.g.p, allow_not_applicable: false", "criterion: check.g.p"))
    assert issue.path == "sections[1].questions[8].allow_not_applicable"
    assert issue.fix == "set allow_not_applicable: false"


def test_unknown_prerequisite_and_cycle(tmp_path):
    issue = only(broken(tmp_path, "rubrics/ladder.yaml", "prerequisites: [step1]", "prerequisites: [step0]"))
    assert "unknown recommendation 'step0'" in issue.message
    issues = broken(tmp_path / "2", "rubrics/ladder.yaml", "id: step1\n", "id: step1\n    prerequisites: [step3]\n")
    assert any("a cycle" in i.message for i in issues)


def test_unknown_equivalent_and_a_gate_above_the_top_rung(tmp_path):
    issue = only(
        broken(
            tmp_path,
            "rubrics/ladder.yaml",
            "prerequisites: [step1]",
            "prerequisites: [step1]\n    equivalent: [nowhere]",
        )
    )
    assert "unknown recommendation 'nowhere'" in issue.message and issue.path.endswith("equivalent[0]")
    issue = only(broken(tmp_path / "2", "rubrics/ladder.yaml", "gate: 3\n", "gate: 7\n"))
    assert "gate 7 is above the top rung 3" in issue.message


def test_yaml_syntax_error_gives_the_line(tmp_path):
    issue = only(broken(tmp_path, QN, "title: Two\n", "title: [Two\n"))
    assert "YAML syntax error" in issue.message
    assert issue.line is not None and 20 < issue.line < 40


def test_unknown_key_is_named(tmp_path):
    issue = only(broken(tmp_path, QN, "minutes: 5", "minutes: 5\nduration: 5"))
    assert issue.path == "duration"
    assert issue.fix == "remove 'duration' or correct its spelling"


def test_ladder_levels_must_be_consecutive(tmp_path):
    issue = only(broken(tmp_path, "rubrics/ladder.yaml", "level: 2,", "level: 4,"))
    assert "level' 1..3 in order" in issue.message


def test_str_of_an_issue_reads_as_one_line(tmp_path):
    issue = only(broken(tmp_path, QN, "criterion: ladder.l2}", "criterion: ladder.l9}"))
    assert str(issue).endswith(
        "t.yaml:22 at sections[0].questions[2].criterion: unknown criterion 'ladder.l9'. "
        "Fix: use a criterion id defined in rubrics/, such as socialfication.level3 or stack.reputation"
    )


def test_if_hidden_without_a_show_if_is_refused_where_it_is_written(tmp_path):
    issue = only(
        broken(
            tmp_path,
            QN,
            "{<<: *q, id: t.l2a, criterion: ladder.l2}",
            "{<<: *q, id: t.l2a, criterion: ladder.l2, if_hidden: absent}",
        )
    )
    assert issue.path == "sections[0].questions[2]"
    assert "if_hidden: absent only means something with a show_if" in issue.message


def test_the_retired_unanswered_condition_is_refused_with_the_kinds_that_exist(tmp_path):
    issue = only(
        broken(
            tmp_path,
            "rubrics/checklist.yaml",
            "when: {score_below: {criterion: check.g.p, value: 0.5}}",
            "when: {unanswered: check.g.p}",
        )
    )
    assert "assessed" in issue.message + issue.fix and "findings[0].when" in issue.path


PROFILE = "rubrics/profile.yaml"
Y_SUMMARY = "    summary: Do more Y, because Y is weak.\n"


def test_a_recommendation_without_a_summary_is_refused_with_what_to_write(tmp_path):
    issue = only(broken(tmp_path, PROFILE, Y_SUMMARY, ""))
    assert issue.file.endswith("profile.yaml") and issue.path == "recommendations[0].summary"
    assert issue.message == "Field required"
    assert issue.fix.startswith("add 'summary:', one line of one or two whole sentences ending with a full stop")
    assert f"at most {SUMMARY_LIMIT} characters" in issue.fix


def test_a_finding_without_a_summary_is_refused_where_the_finding_is(tmp_path):
    issue = only(broken(tmp_path, "rubrics/checklist.yaml", "    summary: Nobody does P, so Q cannot follow.\n", ""))
    assert issue.path == "findings[0].summary" and issue.line == 18
    assert issue.fix.startswith("add 'summary:'")


def test_the_models_own_summary_keeps_the_plain_fix_for_a_missing_key(tmp_path):
    issue = only(broken(tmp_path, PROFILE, "summary: Two axes.\n", ""))
    assert issue.path == "summary" and issue.fix == "add the key 'summary'"


def test_a_summary_too_long_is_refused_with_its_length_and_the_limit(tmp_path):
    long = "Do more Y, " + "and more of it " * 12 + "because Y is weak."
    issue = only(broken(tmp_path, PROFILE, Y_SUMMARY, f"    summary: {long}\n"))
    assert issue.path == "recommendations[0].summary" and issue.line == 17
    assert issue.message == f"the summary is {len(long)} characters long, more than {SUMMARY_LIMIT}"
    assert f"at most {SUMMARY_LIMIT} characters" in issue.fix


def test_a_summary_without_a_full_stop_is_refused(tmp_path):
    issue = only(broken(tmp_path, PROFILE, Y_SUMMARY, "    summary: Do more Y, because Y is weak\n"))
    assert issue.message == "the summary does not end with a full stop"
    assert "full stop" in issue.fix
    issue = only(broken(tmp_path / "2", PROFILE, Y_SUMMARY, "    summary: Is Y weak?\n"))
    assert issue.message == "the summary does not end with a full stop"


def test_a_summary_over_two_lines_is_refused(tmp_path):
    issue = only(broken(tmp_path, PROFILE, Y_SUMMARY, "    summary: |-\n      Do more Y.\n      Y is weak.\n"))
    assert issue.message == "the summary runs over more than one line"
    assert "one line" in issue.fix


def test_a_summary_of_three_sentences_or_a_fragment_is_refused(tmp_path):
    issue = only(broken(tmp_path, PROFILE, Y_SUMMARY, "    summary: Do more Y. Y is weak. It matters.\n"))
    assert issue.message == "the summary has more than two sentences"
    issue = only(broken(tmp_path / "2", PROFILE, Y_SUMMARY, "    summary: more Y, because Y is weak.\n"))
    assert issue.message == "the summary does not start with a capital letter"


def test_two_whole_sentences_with_figures_and_quotes_are_one_summary():
    assert summary_problems("Reply within 2.5 hours. Customers who wait say \u201cnobody cares\u201d.") == []
    assert summary_problems("Stop posting without a plan: listen first, then decide.") == []
