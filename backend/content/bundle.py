"""The validated content as one object, with lookup indexes and content hashes."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from backend.content.conditions import walk
from backend.content.schema import Criterion, Group, Question, Questionnaire, Recommendation, Rubric


@dataclass(frozen=True, slots=True)
class CriterionInfo:
    """A criterion with its full id, its model and where it sits in the model."""

    id: str
    model: str
    criterion: Criterion
    group: Group | None
    threshold: float

    @property
    def name(self) -> str:
        return self.criterion.name


@dataclass(frozen=True, slots=True)
class QuestionnairePlan:
    """A questionnaire indexed for scoring: its questions grouped by criterion."""

    questionnaire: Questionnaire
    content_hash: str
    questions: dict[str, Question]
    by_criterion: dict[str, tuple[Question, ...]]
    controlling: frozenset[str]


@dataclass(frozen=True)
class ContentBundle:
    """Every rubric and questionnaire, validated and cross-checked."""

    rubrics: dict[str, Rubric]
    questionnaires: dict[str, Questionnaire]
    criteria: dict[str, CriterionInfo]
    recommendations: dict[str, tuple[str, Recommendation]]
    plans: dict[str, QuestionnairePlan]
    rubric_hashes: dict[str, str]
    content_hash: str = field(default="")

    def plan(self, questionnaire_id: str) -> QuestionnairePlan:
        """The scoring plan of a questionnaire; KeyError names the known ids."""
        try:
            return self.plans[questionnaire_id]
        except KeyError:
            raise KeyError(
                f"unknown questionnaire '{questionnaire_id}'; known: {', '.join(sorted(self.plans))}"
            ) from None


def digest(model) -> str:
    """A stable sha256 of a validated model's canonical JSON form."""
    canonical = json.dumps(model.model_dump(mode="json", by_alias=True), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _plan(qn: Questionnaire, rubric_hash: str) -> QuestionnairePlan:
    by_criterion: dict[str, list[Question]] = {}
    controlling: set[str] = set()
    for q in qn.questions:
        by_criterion.setdefault(q.criterion, []).append(q)
        if q.show_if is not None:
            controlling |= {a.answer_ref.question for a in walk(q.show_if) if a.answer_ref is not None}
    content_hash = hashlib.sha256((digest(qn) + rubric_hash).encode()).hexdigest()
    return QuestionnairePlan(
        questionnaire=qn,
        content_hash=content_hash,
        questions={q.id: q for q in qn.questions},
        by_criterion={k: tuple(v) for k, v in by_criterion.items()},
        controlling=frozenset(controlling),
    )


KIND_ORDER = {"ladder": 0, "stages": 1, "profile": 2, "checklist": 3}


def build_bundle(rubrics: dict[str, Rubric], questionnaires: dict[str, Questionnaire]) -> ContentBundle:
    """Index validated rubrics and questionnaires into a bundle, models in reading order."""
    rubrics = dict(sorted(rubrics.items(), key=lambda kv: (KIND_ORDER[kv[1].kind], kv[0])))
    criteria = {
        cid: CriterionInfo(cid, r.model, c, g, c.threshold or r.threshold)
        for r in rubrics.values()
        for cid, c, g in r.criterion_ids()
    }
    recs = {rec.id: (r.model, rec) for r in rubrics.values() for rec in r.recommendations}
    rubric_hashes = {m: digest(r) for m, r in sorted(rubrics.items())}
    all_rubrics = hashlib.sha256("".join(rubric_hashes.values()).encode()).hexdigest()
    plans = {qid: _plan(qn, all_rubrics) for qid, qn in sorted(questionnaires.items())}
    overall = hashlib.sha256((all_rubrics + "".join(p.content_hash for p in plans.values())).encode()).hexdigest()
    return ContentBundle(rubrics, questionnaires, criteria, recs, plans, rubric_hashes, overall)
