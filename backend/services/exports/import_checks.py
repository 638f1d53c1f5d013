"""What an organisation export must hold beyond its types before any of it is stored: ids that are
unique, answers that fit their questionnaire, and frozen snapshots whose parts agree with each other.

Each problem is an Invalid naming the JSON path (`assessments[0].answers[3].question_id`) and the fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from backend.content.bundle import ContentBundle, QuestionnairePlan
from backend.schemas.exports import ExportedAssessment, ExportFile
from backend.services.kernel.errors import Invalid

STAGED = ("ladder", "stages")
FIX = "Correct the file (an export from Tribewise has this right) and import again."
HINTS = {
    "missing": "add it",
    "extra_forbidden": "remove it: an export has no such field",
    "timezone_aware": "give the time with its timezone, such as 2026-01-01T09:00:00Z",
}
# Pydantic's own words name our internal classes ("instance of FrozenModelView"): say it in JSON's terms.
MESSAGES = {
    "model_type": "Input should be an object ({...})",
    "dict_type": "Input should be an object ({...})",
    "list_type": "Input should be a list ([...])",
}


# An assessment names at most twice its questionnaire's questions (today's, plus those a draft began with or a
# snapshot scored and removed since), so its pages, PDF, compare and CSV cost what the questionnaire's size allows.
QUESTION_SLACK = 2
# Changes kept per question: an answer revised this often in one period is far beyond any real assessment.
CHANGES_PER_QUESTION = 50


def json_path(loc: Iterable[Any]) -> str:
    """A pydantic location as a JSON path: ('assessments', 0, 'period') -> assessments[0].period."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path or "(the whole file)"


def refuse_invalid(err: ValidationError) -> Invalid:
    """A 400 listing each wrong field by its JSON path, what is wrong with it and how to fix it."""
    problems = []
    for e in err.errors()[:10]:
        hint = HINTS.get(e["type"], "")
        message = MESSAGES.get(e["type"], e["msg"].removeprefix("Value error, "))
        problems.append({"path": json_path(e["loc"]), "problem": message + (f"; {hint}" if hint else "")})
    listed = "; ".join(f"{p['path']}: {p['problem']}" for p in problems)
    return Invalid(f"not a Tribewise organisation export: {listed}. {FIX}", field=problems[0]["path"], errors=problems)


def _refuse(path: str, problem: str) -> Invalid:
    return Invalid(f"{path}: {problem}. {FIX}", field=path)


def _unique(pairs: Iterable[tuple[str, Any]], what: str) -> None:
    """Refuse the second of two equal values, given as (JSON path, value)."""
    seen: dict[Any, str] = {}
    for path, value in pairs:
        if value in seen:
            raise _refuse(path, f"{what} {value!r} appears twice (also at {seen[value]}); keep one")
        seen[value] = path


def check_file(content: ContentBundle, data: ExportFile) -> None:
    """Refuse what the types alone let through: repeated ids, answers beyond the questionnaire, snapshots that disagree."""
    assessments = data.assessments
    _unique(((f"assessments[{i}].id", a.id) for i, a in enumerate(assessments)), "assessment id")
    _unique(
        ((f"assessments[{i}].period", f"{a.questionnaire_id} {a.period}") for i, a in enumerate(assessments)),
        "questionnaire and period",
    )
    items = [
        (f"assessments[{i}].roadmap[{j}].id", item.id)
        for i, a in enumerate(assessments)
        for j, item in enumerate(a.roadmap)
    ]
    _unique(items, "roadmap item id")
    ids = {a.id for a in assessments}
    item_ids = {item for _, item in items}
    for i, a in enumerate(assessments):
        at = f"assessments[{i}]"
        if a.baseline_assessment_id is not None and a.baseline_assessment_id not in ids:
            raise _refuse(
                f"{at}.baseline_assessment_id",
                f"baseline {a.baseline_assessment_id} is not an assessment in the file; use one of their ids or null",
            )
        for j, item in enumerate(a.roadmap):
            if item.carried_from_id is not None and (
                item.carried_from_id not in item_ids or item.carried_from_id == item.id
            ):
                raise _refuse(
                    f"{at}.roadmap[{j}].carried_from_id",
                    f"{item.carried_from_id} is not another roadmap item in the file; use one of their ids or null",
                )
        _unique(
            ((f"{at}.roadmap[{j}].recommendation_id", item.recommendation_id) for j, item in enumerate(a.roadmap)),
            "roadmap step",
        )
        _unique(
            ((f"{at}.worksheet_channels[{j}].channel_id", c.channel_id) for j, c in enumerate(a.worksheet_channels)),
            "worksheet channel",
        )
        _unique(
            ((f"{at}.worksheet_steps[{j}].criterion_id", s.criterion_id) for j, s in enumerate(a.worksheet_steps)),
            "worksheet step",
        )
        check_assessment(content, a, at)


def _known_questions(
    content: ContentBundle, a: ExportedAssessment, at: str
) -> tuple[QuestionnairePlan | None, set[str]]:
    """The questionnaire whose options answers must be (None when answered under other content, whose options
    may since have changed: scoring counts those as unanswered) and the question ids that may be answered."""
    plan = content.plans.get(a.questionnaire_id)
    if a.snapshot is None:
        if plan is None:
            known = ", ".join(sorted(content.plans))
            raise _refuse(
                f"{at}.questionnaire_id",
                f"a draft needs a questionnaire of this instance's content, and '{a.questionnaire_id}' is not one; use one of: {known}",
            )
        # A draft keeps its answers to questions removed since it started (no longer scored, never lost).
        return plan if plan.content_hash == a.content_hash else None, set(plan.questions) | set(
            a.started_questions or ()
        )
    if plan is not None and plan.content_hash == a.snapshot.content_hash:
        return plan, set(plan.questions)
    # Frozen under other content: its questions are today's and those its own snapshot names.
    named = {c.question_id for x in [*a.snapshot.result.criteria, *a.snapshot.result.findings] for c in x.answers}
    return None, named | (set(plan.questions) if plan else set())


def _check_values(plan: QuestionnairePlan | None, known: set[str], given: list[Any], at: str, what: str) -> None:
    _unique(((f"{at}[{j}].question_id", x.question_id) for j, x in enumerate(given)), f"{what} to question")
    if len(given) > len(known):
        raise _refuse(
            at,
            f"{len(given)} {what}s, but the questionnaire has {len(known)} questions; give at most one {what} per question",
        )
    for j, x in enumerate(given):
        if x.question_id not in known:
            raise _refuse(
                f"{at}[{j}].question_id",
                f"'{x.question_id}' is not a question of this questionnaire; remove the {what} or name one of its questions",
            )
        if plan is not None:
            allowed = plan.questions[x.question_id].allowed_values()
            if x.value not in allowed:
                raise _refuse(
                    f"{at}[{j}].value",
                    f"'{x.value}' is not an answer to {x.question_id}; use one of: {', '.join(allowed)}",
                )


def _bounded(content: ContentBundle, a: ExportedAssessment, known: set[str], at: str) -> None:
    """Refuse an assessment bigger than its questionnaire allows: too many questions named, too many changes."""
    plan = content.plans.get(a.questionnaire_id)
    asked = len(plan.questions) if plan else max((len(p.questions) for p in content.plans.values()), default=0)
    where = f"{at}.started_questions" if a.snapshot is None else f"{at}.snapshot.result.criteria"
    if len(known) > QUESTION_SLACK * asked:
        raise _refuse(
            where,
            f"{len(known)} questions named, but the questionnaire has {asked}; "
            f"name at most {QUESTION_SLACK * asked} (the questions it asked)",
        )
    if len(a.history) > CHANGES_PER_QUESTION * len(known):
        raise _refuse(
            f"{at}.history",
            f"{len(a.history)} answer changes for {len(known)} questions; "
            f"keep at most {CHANGES_PER_QUESTION * len(known)} (the latest {CHANGES_PER_QUESTION} per question)",
        )


def check_assessment(content: ContentBundle, a: ExportedAssessment, at: str) -> None:
    """One assessment: at most one answer per question of its questionnaire, and a snapshot that agrees with itself."""
    plan, known = _known_questions(content, a, at)
    _bounded(content, a, known, at)
    _check_values(plan, known, a.answers, f"{at}.answers", "answer")
    for j, change in enumerate(a.history):
        if change.question_id not in known:
            raise _refuse(
                f"{at}.history[{j}].question_id",
                f"'{change.question_id}' is not a question of this questionnaire; remove the change",
            )
    if a.workshop is not None:
        for p, person in enumerate(a.workshop.participants):
            _check_values(plan, known, person.answers, f"{at}.workshop.participants[{p}].answers", "participant answer")
        _check_values(plan, known, a.workshop.consensus, f"{at}.workshop.consensus", "agreed answer")
    if a.snapshot is not None:
        check_snapshot(a, f"{at}.snapshot")


def check_snapshot(a: ExportedAssessment, at: str) -> None:
    """A frozen result and roadmap whose parts agree: what the results, roadmap and PDF look up is there."""
    snap = a.snapshot
    result = snap.result
    if result.questionnaire_id != a.questionnaire_id:
        raise _refuse(
            f"{at}.result.questionnaire_id",
            f"'{result.questionnaire_id}' differs from the assessment's questionnaire '{a.questionnaire_id}'",
        )
    if result.content_hash != snap.content_hash:
        raise _refuse(
            f"{at}.result.content_hash",
            f"'{result.content_hash}' differs from the snapshot's content_hash '{snap.content_hash}'",
        )
    _unique(((f"{at}.result.models[{j}].model", m.model) for j, m in enumerate(result.models)), "model")
    _unique(((f"{at}.result.criteria[{j}].id", c.id) for j, c in enumerate(result.criteria)), "criterion")
    _unique(((f"{at}.result.findings[{j}].id", f.id) for j, f in enumerate(result.findings)), "finding")
    criteria = {c.id for c in result.criteria}
    for i, m in enumerate(result.models):
        _check_model(m, criteria, f"{at}.result.models[{i}]")
    for i, c in enumerate(result.criteria):
        _fraction(c.coverage, f"{at}.result.criteria[{i}].coverage")
    for where, conf in [("result", result.confidence)] + [
        (f"result.models[{i}]", m.confidence) for i, m in enumerate(result.models)
    ]:
        for name in ("coverage", "depth", "agreement", "value"):
            _fraction(getattr(conf, name), f"{at}.{where}.confidence.{name}")
    _unique(
        ((f"{at}.roadmap.items[{j}].recommendation_id", s.recommendation_id) for j, s in enumerate(snap.roadmap.items)),
        "roadmap step",
    )
    for i, step in enumerate(snap.roadmap.items):
        if step.horizon not in ("now", "next", "later"):
            raise _refuse(
                f"{at}.roadmap.items[{i}].horizon", f"'{step.horizon}' is not a horizon; use now, next or later"
            )


def _check_model(m: Any, criteria: set[str], at: str) -> None:
    if m.kind not in ("ladder", "stages", "profile", "checklist"):
        raise _refuse(f"{at}.kind", f"'{m.kind}' is not a kind of model; use ladder, stages, profile or checklist")
    for name in m.criteria:
        if name not in criteria:
            raise _refuse(
                f"{at}.criteria",
                f"criterion '{name}' is not among the result's criteria; add it there or remove it here",
            )
    if m.kind in STAGED and not m.steps:
        raise _refuse(f"{at}.steps", f"a {m.kind} model needs its steps")
    _unique(((f"{at}.steps[{j}].number", s.number) for j, s in enumerate(m.steps)), "step number")
    for i, step in enumerate(m.steps):
        if not step.criteria:
            raise _refuse(f"{at}.steps[{i}].criteria", "a step needs at least one criterion")
        for name in step.criteria:
            if name not in criteria:
                raise _refuse(
                    f"{at}.steps[{i}].criteria",
                    f"criterion '{name}' is not among the result's criteria; add it there or remove it here",
                )
    top = len(m.steps)
    if m.level is not None and not 0 <= m.level <= top:
        raise _refuse(
            f"{at}.level", f"{m.level} is not a level of this model; use a whole number from 0 to {top}, or null"
        )
    if m.progress is not None and not 0 <= m.progress <= top:
        raise _refuse(f"{at}.progress", f"{m.progress} is out of range; use a number from 0 to {top}, or null")


def _fraction(value: float | None, at: str) -> None:
    if value is not None and not 0 <= value <= 1:
        raise _refuse(at, f"{value} is out of range; use a number from 0 to 1")
