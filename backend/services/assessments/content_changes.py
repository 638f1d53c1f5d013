"""A draft started under other content: what changed under it, in words, for the pages and the API."""

from __future__ import annotations

from backend.content.changes import ContentChange, compare_questions
from backend.schemas.views import ContentChangePublic, QuestionRefPublic
from backend.services.kernel.context import Context
from backend.storage.db import Session
from backend.storage.queries.answers import answers_of
from backend.storage.tables import Assessment


def _count(n: int, word: str) -> str:
    return f"{n} question{'' if n == 1 else 's'} {word}"


def change_message(change: ContentChange) -> str:
    """The notice: 'Content changed since you started: 3 questions new, 2 changed' (or what is known)."""
    versions = (
        f"version {change.started_version} → {change.current_version}"
        if change.started_version != change.current_version
        else f"version {change.current_version}, since revised"
    )
    if not change.counted:
        return f"Content changed since you started ({versions})"
    if not change.questions_differ:
        return f"The scoring rules changed since you started ({versions}); no question changed"
    parts = [_count(len(change.new), "new"), f"{len(change.changed)} changed"]
    if change.removed_count:
        parts.append(
            f"{change.removed_count} removed" + (f" ({len(change.removed)} of them answered)" if change.removed else "")
        )
    return "Content changed since you started: " + ", ".join(parts)


def content_change_of(ctx: Context, session: Session, row: Assessment) -> ContentChangePublic | None:
    """How today's content differs from the draft's; None for a submitted assessment or unchanged content.

    A submitted assessment keeps the snapshot it was scored with (its result page shows a rescore instead).
    """
    plan = ctx.content.plans.get(row.questionnaire_id)
    if row.status != "draft" or plan is None or plan.content_hash == row.content_hash:
        return None
    answered = {a.question_id for a in answers_of(session, row.id)}
    change = compare_questions(row.started_questions, plan, row.questionnaire_version, answered)

    def refs(items) -> list[QuestionRefPublic]:
        return [QuestionRefPublic(question_id=r.id, text=r.text) for r in items]

    return ContentChangePublic(
        message=change_message(change),
        started_version=change.started_version,
        current_version=change.current_version,
        current_content_hash=plan.content_hash,
        counted=change.counted,
        new=refs(change.new),
        changed=refs(change.changed),
        removed=refs(change.removed),
    )
