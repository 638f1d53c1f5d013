"""A plain-text summary of a result and its roadmap, for the console."""

from __future__ import annotations

from backend.content.schema import Question
from backend.labels import (
    HORIZON_TITLES,
    NOT_ASSESSED,
    SEVERITIES,
    not_covered_text,
    progress_text,
    provisional_text,
    word,
)
from backend.reports import why
from backend.scoring.models import AssessmentResult
from backend.scoring.roadmap import HORIZONS, Roadmap


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.0f}%"


def _answers(lines: list[why.AnswerLine], indent: str) -> list[str]:
    return [f"{indent}- {why.answer_sentence(line)}" for line in lines]


def render_text(
    title: str,
    result: AssessmentResult,
    roadmap: Roadmap,
    questions: dict[str, Question] | None = None,
    titles: dict[str, str] | None = None,
) -> str:
    """Levels, confidence, findings and the roadmap by horizon, each with the answers behind it, as readable text."""
    questions, titles = questions or {}, titles or {}
    lines = [title, "=" * len(title), ""]
    for model in result.models.values():
        head = f"{model.title} ({model.author})"
        if not model.covered:
            continue
        if model.level is not None:
            head += f": {model.level} {model.level_name}, progress {progress_text(model.progress, len(model.steps))}"
        elif model.kind in ("ladder", "stages"):
            head += f": {NOT_ASSESSED}"
        lines.append(f"{head}; confidence {model.confidence.label} ({_pct(model.confidence.value)})")
        if model.provisional:
            lines.append(f"  {provisional_text(model)}")
        if model.level is None:
            weak = [result.criteria[c] for c in model.criteria if result.criteria[c].status == "not in place"]
            if weak:
                lines.append("  below threshold: " + ", ".join(f"{c.name} {_pct(c.score)}" for c in weak))
    not_covered = not_covered_text(result.models.values(), result.criteria, result.questionnaire_id.replace("-", " "))
    if not_covered:
        lines.append(not_covered)
    lines += [
        "",
        f"Overall confidence: {result.confidence.label} (coverage {_pct(result.confidence.coverage)})",
        "",
        "Findings",
    ]
    for f in result.findings:
        lines.append(f"  [{word(SEVERITIES, f.severity)}] {f.title}: {f.explanation}")
        lines += _answers(why.answer_lines(f.contributions, questions), "      ")
    if not result.findings:
        lines.append("  none")
    answers = why.reason_answers(
        {c: cr.contributions for c, cr in result.criteria.items()},
        {f.id: f.contributions for f in result.findings},
        questions,
    )
    for horizon in HORIZONS:
        lines += ["", HORIZON_TITLES[horizon]]
        items = roadmap.horizon(horizon)
        for i in items:
            lines.append(
                f"  {i.position}. {i.recommendation.title} (effort {i.effort}, impact {i.recommendation.impact}, "
                f"owner {i.owner}; {why.credit_text(i.credits or (i.credit,))})"
            )
            if i.small:
                lines.append(f"     {why.SMALL_VARIANT}")
            if len(i.credits) > 1:
                lines.append(f"     {why.merged_text(len(i.credits))}")
            if i.recommendation.opens_channel:
                lines.append(f"     {why.CHANNEL_CAUTION} {why.caution_text(i.recommendation.opens_channel)}")
            lines.append("     why:")
            for text, behind in why.why_lines(i.reasons, answers, questions):
                lines.append(f"     * {text}")
                lines += _answers(behind, "         ")
        if not items:
            lines.append("  nothing planned")
    if roadmap.deferred:
        lines += [
            "",
            f"{len(roadmap.deferred)} more recommendation(s) wait for the next assessment: {'; '.join(titles.get(r, r) for r in roadmap.deferred)}",
        ]
    return "\n".join(lines) + "\n"
