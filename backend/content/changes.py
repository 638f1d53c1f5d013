"""What a respondent would notice between two versions of a questionnaire: questions new, changed, removed.

A draft stores the questions as they were when it was started (their text, their options' labels and a
fingerprint of both); comparing that with today's questionnaire says which questions are new, which read
differently and which are gone. Scoring details (weights, option scores, criteria) are not part of the
fingerprint: they change what an answer counts for, not what was asked, and the version change says so.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from backend.content.bundle import QuestionnairePlan
from backend.content.schema import Question


def fingerprint(question: Question) -> str:
    """A short stable hash of what a respondent reads and may choose: text, help, options and their labels."""
    seen = {
        "text": question.text,
        "help": question.help,
        "options": [[o.value, o.label] for o in question.options],
        "dont_know": question.allow_dont_know,
        "not_applicable": question.allow_not_applicable,
    }
    return hashlib.sha256(json.dumps(seen, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def started_questions(plan: QuestionnairePlan) -> dict[str, dict]:
    """The questions as a draft starts with them: id -> fingerprint, text and option labels (stored as JSON)."""
    return {
        q.id: {"print": fingerprint(q), "text": q.text, "options": {o.value: o.label for o in q.options}}
        for q in plan.questionnaire.questions
    }


@dataclass(frozen=True)
class QuestionRef:
    """A question named as the respondent saw it."""

    id: str
    text: str


@dataclass(frozen=True)
class ContentChange:
    """How today's questionnaire differs from the one a draft was started with.

    `counted` is False for a draft started before questions were stored: only the versions are known.
    """

    started_version: str
    current_version: str
    counted: bool
    new: tuple[QuestionRef, ...] = ()
    changed: tuple[QuestionRef, ...] = ()
    removed: tuple[QuestionRef, ...] = ()  # the removed questions the draft answered
    removed_count: int = 0  # every removed question, answered or not

    @property
    def questions_differ(self) -> bool:
        """Whether any question was added, reworded or removed (else only the scoring rules changed)."""
        return bool(self.new or self.changed or self.removed_count)


def compare_questions(
    started: Mapping[str, Mapping] | None, plan: QuestionnairePlan, started_version: str, answered: Collection[str] = ()
) -> ContentChange:
    """Compare the questions a draft started with against today's plan, in today's reading order.

    Removed questions are listed only where the draft answered them: those answers are kept but no longer count.
    """
    version = plan.questionnaire.version
    if started is None:
        return ContentChange(started_version, version, counted=False)
    current = plan.questionnaire.questions
    new = tuple(QuestionRef(q.id, q.text) for q in current if q.id not in started)
    changed = tuple(
        QuestionRef(q.id, q.text) for q in current if q.id in started and started[q.id].get("print") != fingerprint(q)
    )
    gone = [qid for qid in started if qid not in plan.questions]
    removed = tuple(QuestionRef(qid, str(started[qid].get("text") or qid)) for qid in gone if qid in answered)
    return ContentChange(started_version, version, True, new, changed, removed, len(gone))
