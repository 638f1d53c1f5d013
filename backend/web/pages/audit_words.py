"""The audit log in words: each event as one plain sentence, with a link where there is a thing to open.

One function per action; an action this module does not know reads as a plain sentence about what it touched.
The JSON API keeps the raw events (ids, field names, values): only the page reads these sentences.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from backend.content.bundle import ContentBundle
from backend.content.schema import Question
from backend.labels import (
    CHANNEL_USES,
    FIELD_WORDS,
    ITEM_STATUSES,
    NOT_ASSESSED,
    PROVISIONAL,
    SHARE_VARIANTS,
    WORKSHEET_STEP_STATUSES,
    answer_label,
    counted,
    word,
)
from backend.schemas.views import AssessmentPublic
from backend.services.assessments.results import step_from_content
from backend.services.assessments.worksheets import sheet_of
from backend.services.kernel.audit import AuditEventPublic
from backend.web.pages.result_views import questionnaire_title


@dataclass(frozen=True)
class Piece:
    """A run of a sentence's text, a link when it has an address."""

    text: str
    href: str = ""


@dataclass(frozen=True)
class Where:
    """What the sentences look things up in: the organisation's assessments by id, the period of each roadmap
    step named, and the content (question texts, option labels, step titles)."""

    organisation_id: int
    assessments: Mapping[int, AssessmentPublic]
    item_periods: Mapping[int, str]
    content: ContentBundle


Sentence = list[Piece]
Words = Callable[[AuditEventPublic, Where], Sentence]

# What an event touched, for the sentence of an action without words of its own.
ENTITIES = {
    "answer": "an answer",
    "assessment": "an assessment",
    "roadmap_item": "a roadmap step",
    "membership": "a membership",
    "organisation": "the organisation",
    "share_link": "a share link",
    "workshop": "a workshop",
    "worksheet_channel": "a channel of the audit worksheet",
    "worksheet_step": "a step of the audit worksheet",
}
# The answer's parts besides its value, as a sentence names them.
ANSWER_PARTS = {
    "note": "note",
    "evidence": "evidence",
    "reason": "reason for not applicable",
    "answered_by": "answerer",
}


def quoted(text: str, href: str = "") -> Sentence:
    """A name in quotation marks, the name itself a link when it has an address."""
    return [Piece("“"), Piece(text, href), Piece("”")]


def sentence(event: AuditEventPublic, where: Where) -> Sentence:
    """The event as a sentence: who did what to which thing, with links to what can still be opened."""
    words = ACTIONS.get(event.action, _something)
    who = "Tribewise" if event.actor in ("", "system") else event.actor  # 'system': a change nobody signed in made
    return [Piece(who), Piece(" "), *words(event, where), Piece(".")]


def _before(event: AuditEventPublic) -> dict:
    return event.before or {}


def _after(event: AuditEventPublic) -> dict:
    return event.after or {}


def _something(event: AuditEventPublic, where: Where) -> Sentence:
    return [Piece(f"changed {ENTITIES.get(event.entity, 'something in the organisation')}")]


# -- assessments ---------------------------------------------------------------------------------------


def _assessment_id(event: AuditEventPublic) -> int | None:
    head = event.entity_id.split("/")[0]
    return int(head) if head.isdigit() else None


def _assessment(event: AuditEventPublic, where: Where) -> Sentence:
    """'the 2026-Q3 assessment', linked to its results while it exists."""
    found = where.assessments.get(_assessment_id(event))
    if found is None:
        period = _after(event).get("period") or _before(event).get("period")
        return [Piece(f"the {period} assessment" if period else "an assessment since deleted")]
    return [Piece("the "), Piece(f"{found.period} assessment", f"/assessments/{found.id}/results")]


def _created(event: AuditEventPublic, where: Where) -> Sentence:
    after = _after(event)
    out = [
        Piece("started "),
        *_assessment(event, where),
        Piece(f" ({questionnaire_title(where.content, after.get('questionnaire_id', ''))})"),
    ]
    baseline = where.assessments.get(after.get("baseline_assessment_id"))
    if baseline is not None and after.get("answers_copied"):
        out.append(Piece(f", copying {counted(after['answers_copied'], 'answer')} from {baseline.period}"))
    return out


def _submitted(event: AuditEventPublic, where: Where) -> Sentence:
    after = _after(event)
    levels = [
        _level(where, key.removeprefix("level_"), level, after)
        for key, level in after.items()
        if key.startswith("level_")
    ]
    return [
        Piece("submitted "),
        *_assessment(event, where),
        Piece(f" with {counted(after.get('answers', 0), 'answer')}" + (f" ({'; '.join(levels)})" if levels else "")),
    ]


def _level(where: Where, model: str, level: int | None, after: dict) -> str:
    """'Socialfication maturity: level 2', 'provisional' added, or 'not assessed', as the submission recorded it."""
    rubric = where.content.rubrics.get(model)
    if rubric is None:
        return f"a model no longer in the content: {NOT_ASSESSED.lower() if level is None else level}"
    noun = "stage" if rubric.kind == "stages" else "level"
    said = NOT_ASSESSED.lower() if level is None else f"{noun} {level}"
    return f"{rubric.title}: {said}" + (f", {PROVISIONAL.lower()}" if after.get(f"provisional_{model}") else "")


def _deleted(event: AuditEventPublic, where: Where) -> Sentence:
    before = _before(event)
    return [
        Piece(f"deleted the {before.get('period', '')} assessment"),
        Piece(f" ({questionnaire_title(where.content, before.get('questionnaire_id', ''))}, "),
        Piece(f"{counted(before.get('answered', 0), 'answer')})"),
    ]


def _acknowledged(event: AuditEventPublic, where: Where) -> Sentence:
    version = _after(event).get("questionnaire_version", "")
    return [Piece("moved "), *_assessment(event, where), Piece(f" to version {version} of its questionnaire")]


# -- answers -------------------------------------------------------------------------------------------


def _question(event: AuditEventPublic, where: Where) -> tuple[Question | None, Sentence]:
    """The question an answer event names, in quotation marks and linked to its place in the questionnaire."""
    assessment_id = _assessment_id(event)
    question_id = event.entity_id.partition("/")[2]
    found = where.assessments.get(assessment_id)
    plans = (
        [where.content.plans[found.questionnaire_id]] if found and found.questionnaire_id in where.content.plans else []
    )
    for plan in plans or where.content.plans.values():
        for number, section in enumerate(plan.questionnaire.sections, start=1):
            question = next((q for q in section.questions if q.id == question_id), None)
            if question is not None:
                href = f"/assessments/{found.id}/answer/{number}#q-{question_id.replace('.', '-')}" if found else ""
                return question, quoted(question.text, href)
    return None, [Piece("a question no longer asked")]


def _in_period(event: AuditEventPublic, where: Where) -> Piece:
    found = where.assessments.get(_assessment_id(event))
    return Piece(f" in {found.period}" if found else " in an assessment since deleted")


def _answer_saved(event: AuditEventPublic, where: Where) -> Sentence:
    before, after = _before(event), _after(event)
    question, named = _question(event, where)
    place = [*named, _in_period(event, where)]
    # A first answer names only the parts given; a change names each part that changed, cleared or not. Whose
    # answer it is goes without saying when it is the answer of whoever saved it.
    parts = [
        name
        for name in ANSWER_PARTS
        if name in after
        and (event.before or after[name])
        and not (name == "answered_by" and after[name] == event.actor)
    ]
    if "value" not in after:
        return joined([_set(name, after[name], place if n == 0 else None) for n, name in enumerate(parts)])
    if question is None:  # its options are gone with it: a raw value is no word to show
        return [Piece("changed the answer to "), *place]
    new = quoted(answer_label(question, after["value"]))
    if not event.before:
        said = [Piece("answered "), *place, Piece(" with "), *new]
    else:
        said = [
            Piece("changed the answer to "),
            *place,
            Piece(" from "),
            *quoted(answer_label(question, before.get("value"))),
        ]
        said += [Piece(" to "), *new]
    return joined([said, *(_set(name, after[name]) for name in parts)])


def _set(part: str, value: str, place: Sentence | None = None) -> Sentence:
    """'set the note on “Question” in 2026-Q3 to “…”' (with the place) or 'cleared its note' (without)."""
    target = [Piece(f"the {ANSWER_PARTS[part]} on "), *place] if place else [Piece(f"its {ANSWER_PARTS[part]}")]
    return [Piece("set "), *target, Piece(" to "), *quoted(value)] if value else [Piece("cleared "), *target]


def joined(clauses: list[Sentence]) -> Sentence:
    """Clauses as one run: 'a', 'a and b', 'a, b and c'."""
    out: Sentence = []
    for number, clause in enumerate(clauses):
        if number:
            out.append(Piece(" and " if number == len(clauses) - 1 else ", "))
        out += clause
    return out


def _answer_confirmed(event: AuditEventPublic, where: Where) -> Sentence:
    _, named = _question(event, where)
    copied = _after(event).get("copied_from") or "the previous period"
    return [Piece("kept the answer to "), *named, _in_period(event, where), Piece(f" copied from {copied}: still true")]


# -- roadmap steps -------------------------------------------------------------------------------------


def _step(event: AuditEventPublic, where: Where) -> Sentence:
    """'the step “Title” in 2026-Q3', the title linked to the step on its roadmap."""
    item, _, recommendation = event.entity_id.partition(" ")
    step = step_from_content(where.content, recommendation)
    if step is None:
        return [Piece("a step no longer recommended")]
    period = where.item_periods.get(int(item)) if item.isdigit() else None
    on = next((a for a in where.assessments.values() if a.period == period), None)
    href = f"/assessments/{on.id}/roadmap#item-{item}" if on else ""
    return [Piece("the step "), *quoted(step["title"], href), Piece(f" in {period}" if period else "")]


def _step_changed(event: AuditEventPublic, where: Where) -> Sentence:
    before, after = _before(event), _after(event)
    step = _step(event, where)
    changed = [name for name in STEP_FIELDS if before.get(name) != after.get(name)]
    if not changed:
        return [Piece("saved "), *step, Piece(" unchanged")]
    clauses: list[Sentence] = []
    if "status" in changed:
        clauses.append([Piece("marked "), *step, Piece(f" {word(ITEM_STATUSES, after['status']).lower()}")])
    for name in changed:
        if name != "status":
            # The step is named in the first clause only; the later ones say 'its'.
            target = (
                [Piece(f"its {FIELD_WORDS[name].lower()}")]
                if clauses
                else [Piece(f"the {FIELD_WORDS[name].lower()} of "), *step]
            )
            value = after.get(name)
            # An owner is what someone typed: quoted. A due quarter is a period, as every period reads.
            said = quoted(value) if name == "owner" else [Piece(value or "")]
            clauses.append([Piece("set "), *target, Piece(" to "), *said] if value else [Piece("cleared "), *target])
    return joined(clauses)


# -- the audit worksheet ------------------------------------------------------------------------------


def _on_worksheet(event: AuditEventPublic, where: Where, text: str, anchor: str) -> Sentence:
    """'the channel “Reviews” on the 2026-Q3 audit worksheet', the name linked to its place on the worksheet."""
    found = where.assessments.get(_assessment_id(event))
    href = f"/assessments/{found.id}/worksheet#{anchor}" if found else ""
    return [
        *quoted(text, href),
        Piece(f" on the {found.period} audit worksheet" if found else " on an audit worksheet"),
    ]


def _ticks(overrides: Mapping[str, bool], proposed: set[str]) -> set[str]:
    return {m for m in proposed if overrides.get(m, True)} | {m for m, ticked in overrides.items() if ticked}


def _channel_changed(event: AuditEventPublic, where: Where) -> Sentence:
    sheet = sheet_of(where.content)
    key = event.entity_id.partition("/")[2]
    channel = next((c for c in sheet.channels if c.id == key), None) if sheet else None
    if channel is None:
        return [Piece("changed a channel no longer on the audit worksheet")]
    named = [Piece("the channel "), *_on_worksheet(event, where, channel.name, f"channel-{key}")]
    before, after = _before(event), _after(event)
    clauses: list[Sentence] = []
    if before.get("use", "") != after.get("use", ""):
        use = after.get("use", "")
        said = f" {word(CHANNEL_USES, use).lower()}" if use else " back to what the answers say"
        clauses.append([Piece("marked " if use else "set "), *named, Piece(said)])
    proposed = set(channel.moments)
    was, now = _ticks(before.get("moments", {}), proposed), _ticks(after.get("moments", {}), proposed)
    names = {m.id: m.name for m in sheet.moments}
    for verb, moments in (("ticked", now - was), ("unticked", was - now)):
        shown = [names[m] for m in names if m in moments]
        if shown:
            clause = [Piece(f"{verb} "), *joined([quoted(n) for n in shown])]
            clauses.append(clause if clauses else [*clause, Piece(" for "), *named])
    return joined(clauses) if clauses else [Piece("saved "), *named, Piece(" unchanged")]


def _worksheet_step_changed(event: AuditEventPublic, where: Where) -> Sentence:
    sheet = sheet_of(where.content)
    key = event.entity_id.partition("/")[2]
    if sheet is None or key not in sheet.steps:
        return [Piece("changed a step no longer on the audit worksheet")]
    number = sheet.steps.index(key) + 1
    title = where.content.recommendations[sheet.recommendation][1].tasks[number - 1].title
    step = [Piece(f"audit step {number} "), *_on_worksheet(event, where, title, f"step-{number}")]
    before, after = _before(event), _after(event)
    clauses: list[Sentence] = []
    for name in ("status", "owner", "note"):
        if before.get(name, "") == after.get(name, ""):
            continue
        value = after.get(name, "")
        if name == "status":
            clauses.append([Piece("marked "), *step, Piece(f" {word(WORKSHEET_STEP_STATUSES, value).lower()}")])
            continue
        target = [Piece(f"its {name}")] if clauses else [Piece(f"the {name} of "), *step]
        clauses.append(
            [Piece("set "), *target, Piece(" to "), *quoted(value)] if value else [Piece("cleared "), *target]
        )
    return joined(clauses) if clauses else [Piece("saved "), *step, Piece(" unchanged")]


# -- members, share links, the organisation, workshops ------------------------------------------------


def _access_link(where: Where, text: str) -> Piece:
    return Piece(text, f"/organisations/{where.organisation_id}/access")


def _member_added(event: AuditEventPublic, where: Where) -> Sentence:
    return [Piece(f"added {event.entity_id} as {_after(event).get('role', 'member')}")]


def _member_role(event: AuditEventPublic, where: Where) -> Sentence:
    return [
        Piece(f"changed the role of {event.entity_id} from {_before(event).get('role')} to {_after(event).get('role')}")
    ]


def _member_removed(event: AuditEventPublic, where: Where) -> Sentence:
    return [Piece(f"removed {event.entity_id} ({_before(event).get('role')}) from the organisation")]


def _member_left(event: AuditEventPublic, where: Where) -> Sentence:
    return [Piece("left the organisation")]


def _link_made(event: AuditEventPublic, where: Where) -> Sentence:
    after = _after(event)
    variant = word(SHARE_VARIANTS, after.get("variant")).lower()
    until = str(after.get("expires_at", ""))[:10]
    return [
        Piece("made a "),
        _access_link(where, "share link"),
        Piece(
            f" to the {after.get('assessment', '')} report ({variant})"
            + (f", valid until {until}" if until else "")
            + (f", and e-mailed it to {', '.join(after['sent_to'])}" if after.get("sent_to") else "")
        ),
    ]


def _link_revoked(event: AuditEventPublic, where: Where) -> Sentence:
    return [Piece("revoked a "), _access_link(where, "share link")]


def _organisation(verb: str) -> Words:
    def words(event: AuditEventPublic, where: Where) -> Sentence:
        name = _after(event).get("name")
        return [Piece(f"{verb} the organisation"), *([Piece(" "), *quoted(name)] if name else [])]

    return words


def _imported(event: AuditEventPublic, where: Where) -> Sentence:
    after = _after(event)
    return _organisation("imported")(event, where) + [
        Piece(
            f" with {counted(after.get('assessments', 0), 'assessment')} and {counted(after.get('answers', 0), 'answer')}"
        )
    ]


def _logo_changed(event: AuditEventPublic, where: Where) -> Sentence:
    after = event.after
    if after is None:
        return [Piece("removed the logo from the report's cover")]
    size = f" ({after['width']} × {after['height']} pixels)" if "width" in after and "height" in after else ""
    verb = "replaced" if event.before else "set"
    return [Piece(f"{verb} the logo on the report's cover{size}")]


def _accent_changed(event: AuditEventPublic, where: Where) -> Sentence:
    accent = _after(event).get("accent")
    if not accent:
        return [Piece("set the report's accent colour back to the report's own blue")]
    return [Piece(f"set the report's accent colour to {accent}")]


def _workshop_opened(event: AuditEventPublic, where: Where) -> Sentence:
    cap = _after(event).get("participant_cap")
    return [Piece("opened a workshop" + (f" for up to {counted(cap, 'person', 'people')}" if cap else ""))]


def _summary_mailed(event: AuditEventPublic, where: Where) -> Sentence:
    after = _after(event)
    sent = int(after.get("sent_to") or 0)
    return [Piece(f"e-mailed the {after.get('assessment', '')} workshop's summary to {counted(sent, 'participant')}")]


def _workshop_changed(event: AuditEventPublic, where: Where) -> Sentence:
    after = _after(event)
    if "status" in after:
        return [Piece("closed the workshop" if after["status"] == "closed" else "reopened the workshop")]
    if "show_names" in after:
        return [
            Piece(
                "showed participants' names in the workshop"
                if after["show_names"]
                else "hid participants' names in the workshop"
            )
        ]
    if "participant_cap" in after:
        cap = after["participant_cap"]
        return [
            Piece(
                f"let up to {counted(cap, 'person', 'people')} join the workshop"
                if cap
                else "let anyone with the code join the workshop"
            )
        ]
    if "current_question" in after:
        text = _question_text(where, after["current_question"])
        return (
            [Piece("took the workshop to a question no longer asked")]
            if text is None
            else [Piece("took the workshop to "), *quoted(text, "")]
        )
    if "locked_questions" in after or "locked_sections" in after:
        return [Piece("changed which questions the workshop's participants may still answer")]
    return [Piece("changed which sections and questions the workshop shows")]


def _question_text(where: Where, question_id: str) -> str | None:
    """A question's text in whichever questionnaire has it (a workshop event names its code, not its assessment)."""
    for plan in where.content.plans.values():
        if question_id in plan.questions:
            return plan.questions[question_id].text
    return None


STEP_FIELDS = ("status", "owner", "due_period")
ACTIONS: dict[str, Words] = {
    "answer.save": _answer_saved,
    "answer.confirm": _answer_confirmed,
    "assessment.create": _created,
    "assessment.submit": _submitted,
    "assessment.delete": _deleted,
    "assessment.content_acknowledge": _acknowledged,
    "roadmap.update": _step_changed,
    "worksheet.channel": _channel_changed,
    "worksheet.step": _worksheet_step_changed,
    "member.add": _member_added,
    "member.role": _member_role,
    "member.remove": _member_removed,
    "member.leave": _member_left,
    "share_link.create": _link_made,
    "share_link.revoke": _link_revoked,
    "organisation.create": _organisation("created"),
    "organisation.archive": _organisation("archived"),
    "organisation.restore": _organisation("restored"),
    "organisation.import": _imported,
    "organisation.logo": _logo_changed,
    "organisation.accent": _accent_changed,
    "workshop.open": _workshop_opened,
    "workshop.update": _workshop_changed,
    "workshop.summary_mail": _summary_mailed,
}
