"""The questionnaires and the models' rubrics as a reader sees them, each model credited to its author."""

from __future__ import annotations

from pathlib import Path

from litestar import Controller, Request, Response, get
from litestar.datastructures import State

from backend.content.bundle import ContentBundle
from backend.content.conditions import Kind
from backend.labels import EFFORTS, IMPACTS, answer_label
from backend.services.kernel.errors import NotFound
from backend.web.markdown import render_markdown
from backend.web.pages.render import page
from backend.web.params import Ctx, PathStr

KINDS = {
    "ladder": "A ladder: a level counts only when every level below it is in place.",
    "stages": "Stages in order: a stage is reached when each of its elements is in place and every earlier stage is too.",
    "profile": "A profile: each element is scored on its own, with no order between them.",
    "checklist": "A checklist of practices, grouped by theme; each is scored on its own.",
}
# Findings the scoring engine raises itself (not written in a rubric), by code.
BUILT_IN = {
    "ahead_of_foundation": "a level is in place ahead of its foundation",
    "out_of_order": "a stage started before earlier stages",
    "not_assessed": "some criteria were not assessed",
}


def _criterion(content: ContentBundle, cid: str) -> str:
    info = content.criteria.get(cid)
    return f"{info.name} ({content.rubrics[info.model].title})" if info else cid


def _finding(content: ContentBundle, wanted: str) -> str:
    model, _, code = wanted.partition(".")
    rubric = content.rubrics.get(model)
    rule = next((f for f in rubric.findings if f.id == code), None) if rubric else None
    if rule is not None:
        return f"the finding “{rule.title}”"
    built_in = BUILT_IN.get(code.split(".")[0])
    return f"the finding that {built_in}" if built_in else f"the finding {wanted}"


def _answer(content: ContentBundle, question_id: str, values: tuple[str, ...]) -> str:
    question = next((q for qn in content.questionnaires.values() for q in qn.questions if q.id == question_id), None)
    if question is None:
        return f"question {question_id} is answered {' or '.join(values)}"
    return f"“{question.text}” is answered " + " or ".join(f"“{answer_label(question, v)}”" for v in values)


class _Names:
    """How the content pages name what a rule refers to: names and titles, never ids."""

    def __init__(self, content: ContentBundle):
        self.content = content

    def criterion(self, cid: str) -> str:
        return _criterion(self.content, cid)

    def model(self, model: str) -> tuple[str, str]:
        rubric = self.content.rubrics.get(model)
        return (rubric.title if rubric else model), ("stage" if rubric and rubric.kind == "stages" else "level")

    def finding(self, code: str) -> str:
        return _finding(self.content, code)

    def answer(self, question: str, values: tuple[str, ...]) -> str:
        return _answer(self.content, question, values)


def condition_text(cond: Kind, content: ContentBundle) -> str:
    """A rubric condition (trigger, finding, show_if) as a plain sentence, with names instead of ids."""
    return cond.rule(_Names(content))


def _asked_by(content: ContentBundle) -> dict[str, list[tuple[str, str, int]]]:
    """For each criterion: the questionnaires asking about it (id, title, how many questions)."""
    found: dict[str, list[tuple[str, str, int]]] = {}
    for qid, plan in content.plans.items():
        for cid, questions in plan.by_criterion.items():
            found.setdefault(cid, []).append((qid, plan.questionnaire.title, len(questions)))
    return found


def methodology_path(content_dir: Path) -> Path:
    """Where the methodology text lives: docs/ under the content root (the project root unless
    TRIBEWISE_CONTENT_DIR says otherwise), beside questionnaires/ and rubrics/."""
    return content_dir / "docs" / "methodology.md"


class ContentPages(Controller):
    """Read the questionnaires and the models, without signing in."""

    include_in_schema = False

    @get("/content", access="public", sync_to_thread=False)
    def content_page(self, ctx: Ctx, request: Request) -> Response:
        """Every model with its author and source, and every questionnaire."""
        return page(
            request, "content", rubrics=list(ctx.content.rubrics.values()), plans=list(ctx.content.plans.values())
        )

    @get("/methodology", access="public", sync_to_thread=False)
    def methodology_page(self, request: Request, state: State) -> Response:
        """How Tribewise reaches its diagnosis (docs/methodology.md), with a contents list of its sections."""
        try:
            source = methodology_path(state.content_dir).read_text(encoding="utf-8")
        except FileNotFoundError:
            # An installation without the docs folder still answers, and says what is missing.
            return page(request, "methodology", status_code=503, document=None)
        return page(request, "methodology", document=render_markdown(source))

    @get("/content/questionnaires/{questionnaire_id:str}", access="public", sync_to_thread=False)
    def questionnaire_page(self, ctx: Ctx, request: Request, questionnaire_id: PathStr) -> Response:
        """A questionnaire in full: sections, questions, options with their scores, help, what each measures."""
        plan = ctx.content.plans.get(questionnaire_id)
        if plan is None:
            raise NotFound(
                f"questionnaire '{questionnaire_id}' not found; see the list of questionnaires on /content",
                field="questionnaire_id",
            )
        models = sorted(
            {ctx.content.criteria[c].model for c in plan.by_criterion if c in ctx.content.criteria},
            key=list(ctx.content.rubrics).index,
        )
        return page(
            request,
            "content_questionnaire",
            plan=plan,
            questionnaire=plan.questionnaire,
            content=ctx.content,
            models=[ctx.content.rubrics[m] for m in models],
            when=lambda c: condition_text(c, ctx.content),
        )

    @get("/content/models/{model:str}", access="public", sync_to_thread=False)
    def model_page(self, ctx: Ctx, request: Request, model: PathStr) -> Response:
        """A model's rubric: criteria, thresholds, findings and recommendations, credited to its author."""
        rubric = ctx.content.rubrics.get(model)
        if rubric is None:
            raise NotFound(f"model '{model}' not found; see the list of models on /content", field="model")
        return page(
            request,
            "content_model",
            rubric=rubric,
            rubrics=list(ctx.content.rubrics.values()),
            content=ctx.content,
            asked_by=_asked_by(ctx.content),
            kinds=KINDS,
            effort=EFFORTS,
            impact=IMPACTS,
            when=lambda c: condition_text(c, ctx.content),
        )
