"""A plain-text summary of a result and its roadmap, for the console."""

from __future__ import annotations

from backend.scoring.models import AssessmentResult, progress_text
from backend.scoring.roadmap import HORIZONS, Roadmap
from backend.scoring.words import NOT_ASSESSED, not_covered_text, provisional_text

HORIZON_TITLES = {"now": "Now (this quarter)", "next": "Next quarter", "later": "Later"}


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.0f}%"


def render_text(title: str, result: AssessmentResult, roadmap: Roadmap) -> str:
    """Levels, confidence, findings and the roadmap by horizon, as readable text."""
    lines = [title, "=" * len(title), ""]
    for model in result.models.values():
        head = f"{model.title} ({model.author})"
        if not model.covered:
            continue
        if model.level is not None:
            head += f": {model.level} {model.level_name}, progress {progress_text(model.progress)}"
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
    lines += ["", f"Overall confidence: {result.confidence.label} (coverage {_pct(result.confidence.coverage)})", "", "Findings"]
    lines += [f"  [{f.severity}] {f.title}: {f.explanation}" for f in result.findings] or ["  none"]
    for horizon in HORIZONS:
        lines += ["", HORIZON_TITLES[horizon]]
        items = roadmap.horizon(horizon)
        lines += [f"  {i.position}. {i.recommendation.title} (effort {i.recommendation.effort}, impact {i.recommendation.impact}, "
                  f"owner {i.recommendation.owner}; {i.credit})\n     why: " + "; ".join(r.text for r in i.reasons) for i in items] or ["  nothing planned"]
    if roadmap.deferred:
        lines += ["", f"{len(roadmap.deferred)} more recommendation(s) wait for the next assessment: {', '.join(roadmap.deferred)}"]
    return "\n".join(lines) + "\n"
