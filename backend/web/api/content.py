"""Questionnaires and rubrics as JSON."""

from __future__ import annotations

from litestar import Controller, get
from pydantic import BaseModel

from backend.content.schema import Questionnaire, Rubric
from backend.services.kernel.errors import NotFound
from backend.web.params import Ctx, PathStr


class QuestionnaireSummary(BaseModel):
    id: str
    version: str
    title: str
    description: str
    audience: str
    minutes: int
    questions: int
    content_hash: str


class QuestionnaireDefinition(Questionnaire):
    content_hash: str


class RubricDefinition(Rubric):
    content_hash: str


class ContentController(Controller):
    path = "/api/v1"
    tags = ["content"]

    @get("/questionnaires", sync_to_thread=False, access="public")
    def list_questionnaires(self, ctx: Ctx) -> list[QuestionnaireSummary]:
        """Every questionnaire with its version and content hash."""
        return [
            QuestionnaireSummary(
                id=p.questionnaire.id,
                version=p.questionnaire.version,
                title=p.questionnaire.title,
                description=p.questionnaire.description,
                audience=p.questionnaire.audience,
                minutes=p.questionnaire.minutes,
                questions=len(p.questions),
                content_hash=p.content_hash,
            )
            for p in ctx.content.plans.values()
        ]

    @get("/questionnaires/{questionnaire_id:str}", sync_to_thread=False, access="public")
    def read_questionnaire(self, ctx: Ctx, questionnaire_id: PathStr) -> QuestionnaireDefinition:
        """A questionnaire's full definition: sections, questions, options with scores, allowances."""
        plan = ctx.content.plans.get(questionnaire_id)
        if plan is None:
            raise NotFound(
                f"questionnaire '{questionnaire_id}' not found",
                field="questionnaire_id",
                allowed=sorted(ctx.content.plans),
            )
        return QuestionnaireDefinition.model_construct(**dict(plan.questionnaire), content_hash=plan.content_hash)

    @get("/rubrics", sync_to_thread=False, access="public")
    def list_rubrics(self, ctx: Ctx) -> list[dict[str, str]]:
        """Every model with its title, author and content hash."""
        return [
            {
                "model": r.model,
                "title": r.title,
                "author": r.author,
                "version": r.version,
                "content_hash": ctx.content.rubric_hashes[m],
            }
            for m, r in ctx.content.rubrics.items()
        ]

    @get("/rubrics/{model:str}", sync_to_thread=False, access="public")
    def read_rubric(self, ctx: Ctx, model: PathStr) -> RubricDefinition:
        """A rubric: criteria, thresholds, findings and recommendations with their triggers."""
        rubric = ctx.content.rubrics.get(model)
        if rubric is None:
            raise NotFound(f"rubric '{model}' not found", field="model", allowed=list(ctx.content.rubrics))
        return RubricDefinition.model_construct(**dict(rubric), content_hash=ctx.content.rubric_hashes[model])
