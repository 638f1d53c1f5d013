"""Small helpers shared by tests."""

from backend.scoring.engine import score_assessment
from backend.scoring.models import Answer


def answers(**values: str) -> list[Answer]:
    """Answers keyed by question id with dots written as '__' (t__l1a='always')."""
    return [Answer(key.replace("__", "."), value) for key, value in values.items()]


def score_tiny(bundle, **values: str):
    """Score the tiny questionnaire 't'."""
    return score_assessment(bundle, "t", answers(**values))
