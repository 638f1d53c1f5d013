"""The questionnaire: a section at a time, each answer saved as it is chosen, then submission.

One route saves one answer (the same service the JSON API's PUT uses). An htmx request gets the
question back as a fragment, with the progress and any question whose `show_if` it opened or closed
swapped out of band; a plain form post is redirected back to the section (post, redirect, get).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery

from backend.content.bundle import QuestionnairePlan
from backend.content.schema import Question, Section
from backend.labels import ANSWER_WORDS, answer_choices
from backend.schemas.views import AnswerPublic, AnswerPut, AssessmentPublic, ContentAcknowledge, OrganisationPublic
from backend.services.assessments import answers, assessments
from backend.services.kernel.errors import Invalid, NotFound, ServiceError
from backend.services.organisations import organisations
from backend.web.pages.forms import Form, parse
from backend.web.pages.render import attempt, fragment, go, page, wants_fragment
from backend.web.params import Ctx, PathInt, PathStr

FORM = {"sync_to_thread": True, "form": True}
FIELDS = ("value", "reason", "note", "evidence")


@dataclass(frozen=True)
class Part:
    """One section as this assessment shows it: the questions that apply and how many are answered."""

    number: int
    section: Section
    shown: tuple[Question, ...]
    hidden: frozenset[str]
    answered: int

    @property
    def total(self) -> int:
        return len(self.shown)

    @property
    def remaining(self) -> int:
        return self.total - self.answered


@dataclass(frozen=True)
class Sheet:
    """Everything the questionnaire pages show about one assessment, read through the services."""

    assessment: AssessmentPublic
    organisation: OrganisationPublic
    plan: QuestionnairePlan
    answers: Mapping[str, AnswerPublic]
    visible: frozenset[str]
    parts: tuple[Part, ...]
    numbers: Mapping[str, int]
    editable: bool
    can_submit: bool

    @property
    def answered(self) -> int:
        return sum(p.answered for p in self.parts)

    @property
    def total(self) -> int:
        return sum(p.total for p in self.parts)

    @property
    def remaining(self) -> int:
        return self.total - self.answered

    def part(self, number: int) -> Part:
        """A section by its 1-based number, or a 404 that names the ones there are."""
        if not 1 <= number <= len(self.parts):
            raise NotFound(
                f"section {number} does not exist; this questionnaire has sections 1 to {len(self.parts)}",
                field="section",
            )
        return self.parts[number - 1]

    def part_of(self, question_id: str) -> Part:
        """The section a question is in."""
        return next(p for p in self.parts if any(q.id == question_id for q in p.section.questions))

    @property
    def changed_since_start(self) -> dict[str, str]:
        """Question id -> 'new' or 'changed' since the draft was started, for a draft under changed content."""
        change = self.assessment.content_change
        if change is None:
            return {}
        return {r.question_id: "new" for r in change.new} | {r.question_id: "changed" for r in change.changed}

    def link(self, question_id: str) -> str:
        """The address of a question on its section's page."""
        slug = "q-" + question_id.replace(".", "-")
        return f"{_section_url(self.assessment.id, self.part_of(question_id).number)}#{slug}"

    def resume(self) -> int:
        """Where to carry on: the first section with a question unanswered or copied and not reviewed, else the last."""
        return next(
            (p.number for p in self.parts if any(self.unanswered_q(q) or self.copied(q) for q in p.shown)),
            len(self.parts),
        )

    def unanswered_q(self, question: Question) -> bool:
        return not _answered(question, self.answers)

    def copied(self, question: Question) -> str:
        """The period a shown answer was copied from while nobody has reviewed it; '' otherwise."""
        given = self.answers.get(question.id)
        return given.copied_from if given and question.id in self.visible else ""

    def unanswered(self) -> list[tuple[Part, list[Question]]]:
        """The questions that apply and have no answer yet, by section, in questionnaire order."""
        found = [(p, [q for q in p.shown if self.unanswered_q(q)]) for p in self.parts]
        return [(p, left) for p, left in found if left]

    @property
    def several_answer(self) -> bool:
        """Whether more than one person gave this assessment's answers: then each question says whose it is."""
        return len({a.answered_by for a in self.answers.values() if a.answered_by}) > 1

    @property
    def to_review(self) -> list[Question]:
        """The shown answers copied from the baseline that nobody has confirmed or changed yet."""
        return [q for p in self.parts for q in p.shown if self.copied(q)]

    def next_unanswered(self, part: Part) -> Question | None:
        """The first unanswered question from this section on, going round to the first sections; None when all are."""
        return self._next(part, self.unanswered_q)

    def next_to_review(self, part: Part) -> Question | None:
        """The first copied answer not reviewed yet from this section on, going round; None when all are."""
        return self._next(part, self.copied)

    def _next(self, part: Part, wanted) -> Question | None:
        order = [*self.parts[part.number - 1 :], *self.parts[: part.number - 1]]
        return next((q for p in order for q in p.shown if wanted(q)), None)


@dataclass(frozen=True)
class Entry:
    """One question as the page shows it: what its fields hold, the version they were read at, what to say."""

    question: Question
    number: int
    value: str = ""
    reason: str = ""
    note: str = ""
    evidence: str = ""
    version: int = 0
    answered_by: str = ""
    copied_from: str = ""  # the baseline's period while the copied answer is not reviewed
    state: str = "empty"  # empty | saved | failed | conflict
    message: str = ""
    field: str | None = None

    @property
    def slug(self) -> str:
        """The question id as an HTML id (no dots, so it works as a CSS selector)."""
        return "q-" + self.question.id.replace(".", "-")

    @property
    def choices(self) -> list[tuple[str, str]]:
        """The question's own options, as (value, label)."""
        return [(v, label) for v, label in answer_choices(self.question) if v not in ANSWER_WORDS]

    @property
    def others(self) -> list[tuple[str, str]]:
        """Don't know / not applicable, only where this question allows them."""
        return [(v, label) for v, label in answer_choices(self.question) if v in ANSWER_WORDS]

    @property
    def label(self) -> str:
        """The chosen answer in words ('' when none)."""
        found = dict(answer_choices(self.question)).get(self.value)
        return found or (f"{self.value} (no longer one of the answers)" if self.value else "")

    @property
    def evidence_link(self) -> str:
        """The evidence as a link target, only when it is a web address (never javascript: and the like)."""
        return self.evidence if self.evidence.lower().startswith(("https://", "http://")) else ""


def _answered(question: Question, given: Mapping[str, Any]) -> bool:
    """Whether the stored answer to a question counts as answered (the rule the API counts by)."""
    stored = given.get(question.id)
    return answers.is_answered(question, stored.value if stored else None)


def _sheet(ctx, assessment_id: int) -> Sheet:
    assessment = assessments.read_assessment(ctx, assessment_id)
    organisation = organisations.read_organisation(ctx, assessment.organisation_id)
    plan = ctx.plan_of(assessment.questionnaire_id)
    given = {a.question_id: a for a in answers.list_answers(ctx, assessment_id)}
    visible = answers.to_answer(plan, {qid: a.value for qid, a in given.items()})  # the API counts by the same rule
    parts, numbers = [], {}
    for index, section in enumerate(plan.questionnaire.sections, start=1):
        shown = tuple(q for q in section.questions if q.id in visible)
        done = sum(1 for q in shown if _answered(q, given))
        parts.append(
            Part(index, section, shown, frozenset(q.id for q in section.questions) - {q.id for q in shown}, done)
        )
    for number, question in enumerate(plan.questionnaire.questions, start=1):
        numbers[question.id] = number
    draft = assessment.status == "draft"
    actor = ctx.actor
    return Sheet(
        assessment,
        organisation,
        plan,
        given,
        visible,
        tuple(parts),
        numbers,
        editable=draft and actor.can(organisation.id, "answer"),
        can_submit=draft and actor.can(organisation.id, "assess"),
    )


def _entry(sheet: Sheet, question_id: str, **override: Any) -> Entry:
    """A question with its stored answer, or with what the override says (the user's input, an error)."""
    question = sheet.plan.questions[question_id]
    stored = sheet.answers.get(question_id)
    base = Entry(question, sheet.numbers[question_id])
    if stored is not None:
        base = replace(
            base,
            value=stored.value,
            reason=stored.reason,
            note=stored.note,
            evidence=stored.evidence,
            version=stored.version,
            answered_by=stored.answered_by,
            copied_from=stored.copied_from,
            state="saved",
        )
    return replace(base, **override)


def _section_url(assessment_id: int, number: int) -> str:
    return f"/assessments/{assessment_id}/answer/{number}"


def _render(
    request: Request,
    sheet: Sheet,
    part: Part,
    status_code: int = 200,
    entries: Mapping[str, Entry] | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    """The section page; `entries` replaces questions' stored state (the input of a refused save)."""
    entries = entries or {}
    shown = [entries.get(q.id) or _entry(sheet, q.id) for q in part.section.questions]
    return page(request, "questionnaire", status_code, headers, sheet=sheet, part=part, entries=shown, **extra)


def _fragment(
    request: Request, sheet: Sheet, entry: Entry, status_code: int, announce: str, reopened: tuple[Entry, ...] = ()
) -> Response:
    """The question again, with the progress, the submit box and any question it showed or hid, out of band."""
    return fragment(
        request,
        "_answer_response",
        status_code,
        sheet=sheet,
        part=sheet.part_of(entry.question.id),
        entry=entry,
        reopened=reopened,
        announce=announce,
    )


def _entered(data: Mapping[str, Any]) -> dict[str, Any]:
    """What the user sent, kept to show again when the save is refused."""
    entered: dict[str, Any] = {name: str(data.get(name) or "") for name in FIELDS}
    try:
        entered["version"] = _whole(data.get("expected_version"))
    except Invalid:
        entered["version"] = 0
    return entered


def _whole(raw: object) -> int:
    """A version number sent by a form; a clear refusal when it is not one."""
    try:
        return max(int(str(raw or "")), 0)
    except ValueError:
        raise Invalid("the version must be a whole number: reload the page and pick again", field="version") from None


def _back_to(sheet: Sheet, assessment_id: int, question_id: str) -> Response:
    """After a plain-form save or restore: the question's section again, at the question, saying it was saved."""
    anchor = _entry(sheet, question_id).slug
    return go(f"{_section_url(assessment_id, sheet.part_of(question_id).number)}?saved={question_id}#{anchor}")


def _conflict_entry(sheet: Sheet, question_id: str, entered: Mapping[str, Any], err: ServiceError) -> Entry:
    """A stale save: the answer as it now stands, and what happened to the user's choice."""
    current = err.extra.get("current") or {}
    mine = _entry(sheet, question_id, value=entered["value"]).label
    shown = _entry(
        sheet,
        question_id,
        value=current.get("value", ""),
        reason=current.get("reason", ""),
        note=current.get("note", ""),
        evidence=current.get("evidence", ""),
        version=current.get("version", 0),
        answered_by=current.get("answered_by", ""),
        copied_from=current.get("copied_from", ""),
    )
    who = f" ({shown.answered_by})" if shown.answered_by else ""
    now = f"it now shows their answer, “{shown.label}”" if shown.value else "their change removed the answer"
    yours = f"Yours, “{mine}”, was" if mine else "Yours was"
    message = f"Someone else{who} changed this answer while you had the page open: {now}. {yours} not saved; choose again to replace theirs."
    return replace(shown, state="conflict", message=message, field="expected_version")


def _refused_entry(sheet: Sheet, question_id: str, entered: Mapping[str, Any], err: ServiceError) -> Entry:
    if err.status_code == 409 and err.field == "expected_version":
        return _conflict_entry(sheet, question_id, entered, err)
    if err.status_code == 409:  # submitted meanwhile: the stored answer, read-only, and why
        return _entry(sheet, question_id, state="failed", message=err.message, field=err.field)
    # A 503 (a full disk) is the server's passing trouble: the same answer can be retried as it is.
    return _entry(
        sheet,
        question_id,
        **{k: entered[k] for k in FIELDS},
        version=entered["version"],
        state="unavailable" if err.status_code == 503 else "failed",
        message=err.message,
        field=err.field,
    )


def _already_saved(err: ServiceError, entered: Mapping[str, Any]) -> bool:
    """A retry of a save whose answer was lost on the way back: the stored answer is exactly this one."""
    current = err.extra.get("current") if err.status_code == 409 and err.field == "expected_version" else None
    return bool(current) and all((current.get(name) or "") == entered[name] for name in FIELDS)


def _reopened(before: Sheet, after: Sheet, question_id: str) -> tuple[Entry, ...]:
    """Questions of the same section that this answer showed or hid (their show_if changed)."""
    part = after.part_of(question_id)
    return tuple(
        _entry(after, q.id) for q in part.section.questions if (q.id in before.visible) != (q.id in after.visible)
    )


class QuestionnairePages(Controller):
    """Answering an assessment section by section, and submitting it."""

    include_in_schema = False

    @get("/assessments/{assessment_id:int}", access="view", sync_to_thread=True)
    def open_assessment(self, ctx: Ctx, assessment_id: PathInt) -> Response:
        """A draft opens where its questionnaire was left off; a submitted one shows its results."""
        if assessments.read_assessment(ctx, assessment_id).status == "submitted":
            return go(f"/assessments/{assessment_id}/results")
        return go(_section_url(assessment_id, _sheet(ctx, assessment_id).resume()))

    @get("/assessments/{assessment_id:int}/answer", access="view", sync_to_thread=True)
    def resume(self, ctx: Ctx, assessment_id: PathInt) -> Response:
        """Carry on: the first section with an unanswered question, else the last."""
        return go(_section_url(assessment_id, _sheet(ctx, assessment_id).resume()))

    @get("/assessments/{assessment_id:int}/answer/{section:int}", access="view", sync_to_thread=True)
    def section_page(
        self,
        ctx: Ctx,
        request: Request,
        assessment_id: PathInt,
        section: PathInt,
        saved: FromQuery[str | None] = None,
        acknowledged: FromQuery[str | None] = None,
    ) -> Response:
        """One section's questions: answerable for members of a draft, read-only otherwise."""
        sheet = _sheet(ctx, assessment_id)
        part = sheet.part(section)
        notice = None
        if saved in sheet.numbers and saved in sheet.answers:
            notice = f"Your answer to question {sheet.numbers[saved]} is saved."
        elif acknowledged and sheet.assessment.content_change is None:
            notice = f"This draft now follows version {sheet.assessment.questionnaire_version} of the questionnaire."
        return _render(request, sheet, part, notice=notice)

    @post("/assessments/{assessment_id:int}/answers/{question_id:str}", access="answer", **FORM)
    def save_form(
        self, ctx: Ctx, request: Request, assessment_id: PathInt, question_id: PathStr, data: Form
    ) -> Response:
        """Save one answer at the version the page showed; the question comes back (htmx) or the section does."""
        entered = _entered(data)
        # Only an answer that a show_if looks at can show or hide other questions: read the page before it.
        controls = any(question_id in plan.controlling for plan in ctx.content.plans.values())
        before = _sheet(ctx, assessment_id) if controls else None

        def change():
            if not entered["value"]:
                raise Invalid(
                    "choose one of the answers first: the note, evidence and reason are saved with it", field="value"
                )
            answers.save_answer(
                ctx,
                assessment_id,
                question_id,
                parse(AnswerPut, data, "value", "reason", "note", "evidence", "expected_version"),
            )
            return self._saved(ctx, request, assessment_id, question_id, before)

        def refused(err: ServiceError) -> Response:
            if _already_saved(err, entered):
                return self._saved(ctx, request, assessment_id, question_id, before)
            return self._refused(ctx, request, assessment_id, question_id, entered, err)

        return attempt(change, refused)

    def _saved(self, ctx, request: Request, assessment_id: int, question_id: str, before: Sheet | None) -> Response:
        """The question saved (htmx, with what it showed or hid), or the section again at it."""
        sheet = _sheet(ctx, assessment_id)
        number = sheet.numbers[question_id]
        if not wants_fragment(request):
            return _back_to(sheet, assessment_id, question_id)
        reopened = _reopened(before, sheet, question_id) if before else ()
        return _fragment(request, sheet, _entry(sheet, question_id), 200, f"Question {number} saved.", reopened)

    def _refused(
        self, ctx, request: Request, assessment_id: int, question_id: str, entered: Mapping[str, Any], err: ServiceError
    ) -> Response:
        """The question again with the user's input and the reason; a stale save shows the current answer."""
        sheet = _sheet(ctx, assessment_id)
        if question_id not in sheet.plan.questions:
            raise err  # no such question: the error page says so
        entry = _refused_entry(sheet, question_id, entered, err)
        if wants_fragment(request):
            return _fragment(
                request, sheet, entry, err.status_code, f"Question {entry.number} not saved: {entry.message}"
            )
        part = sheet.part_of(question_id)
        return _render(
            request,
            sheet,
            part,
            err.status_code,
            {question_id: entry},
            error=f"Question {entry.number} was not saved: {entry.message}",
        )

    @get("/assessments/{assessment_id:int}/answers/{question_id:str}/history", access="view", sync_to_thread=True)
    def history_page(self, ctx: Ctx, request: Request, assessment_id: PathInt, question_id: PathStr) -> Response:
        """Every version of one answer, the newest first, each earlier one with a button that gives it again."""
        return self._history(ctx, request, assessment_id, question_id)

    def _history(self, ctx, request: Request, assessment_id: int, question_id: str, status_code: int = 200, **extra):
        sheet = _sheet(ctx, assessment_id)
        if question_id not in sheet.plan.questions:
            raise NotFound(f"this questionnaire has no question {question_id}", field="question_id")
        versions = [
            (change, _entry(sheet, question_id, value=change.new_value))
            for change in answers.answer_versions(ctx, assessment_id, question_id)
        ]
        return page(
            request,
            "answer_history",
            status_code,
            sheet=sheet,
            entry=_entry(sheet, question_id),
            versions=versions,
            **extra,
        )

    @post("/assessments/{assessment_id:int}/answers/{question_id:str}/restore", access="answer", **FORM)
    def restore_form(
        self, ctx: Ctx, request: Request, assessment_id: PathInt, question_id: PathStr, data: Form
    ) -> Response:
        """Give the answer again as it was at the version picked; back to the question, or the history and why not."""

        def change():
            version, expected = (_whole(data.get(name)) for name in ("version", "expected_version"))
            answers.restore_answer(ctx, assessment_id, question_id, version, expected)
            return _back_to(_sheet(ctx, assessment_id), assessment_id, question_id)

        return attempt(
            change,
            lambda err: self._history(ctx, request, assessment_id, question_id, err.status_code, error=err.message),
        )

    @post("/assessments/{assessment_id:int}/acknowledge-content", access="answer", **FORM)
    def acknowledge_form(self, ctx: Ctx, request: Request, assessment_id: PathInt, data: Form) -> Response:
        """Confirm the content change shown: the draft moves to today's questionnaire version."""

        def change():
            assessments.acknowledge_content(ctx, assessment_id, parse(ContentAcknowledge, data, "content_hash"))
            return go(f"{_section_url(assessment_id, _sheet(ctx, assessment_id).resume())}?acknowledged=1")

        def refused(err: ServiceError) -> Response:
            sheet = _sheet(ctx, assessment_id)
            return _render(request, sheet, sheet.part(sheet.resume()), err.status_code, error=err.message)

        return attempt(change, refused)

    @get("/assessments/{assessment_id:int}/submit", access="assess", sync_to_thread=True)
    def confirm_submit(self, ctx: Ctx, request: Request, assessment_id: PathInt) -> Response:
        """Before submitting: what submitting does and every question still unanswered, with a link to each."""
        sheet = _sheet(ctx, assessment_id)
        if sheet.assessment.status == "submitted":
            return go(f"/assessments/{assessment_id}/results")
        return page(request, "submit", sheet=sheet, unanswered=sheet.unanswered())

    @post("/assessments/{assessment_id:int}/submit", access="assess", **FORM)
    def submit_form(self, ctx: Ctx, request: Request, assessment_id: PathInt) -> Response:
        """Freeze the answers, the result and the roadmap; then see the results."""

        def change():
            assessments.submit_assessment(ctx, assessment_id)
            return go(f"/assessments/{assessment_id}/results")

        def refused(err: ServiceError) -> Response:
            sheet = _sheet(ctx, assessment_id)
            unanswered = sheet.unanswered()
            return page(request, "submit", err.status_code, sheet=sheet, unanswered=unanswered, error=err.message)

        return attempt(change, refused)
