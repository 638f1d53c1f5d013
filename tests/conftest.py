"""Shared fixtures: the tiny test content and the project's real content."""

from pathlib import Path

import pytest

from backend.content.loader import load_content

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def tiny():
    """Four small rubrics and one 14-question questionnaire with hand-checkable numbers."""
    return load_content(DATA / "content")


@pytest.fixture(scope="session")
def content():
    """The real rubrics and questionnaires of the project."""
    return load_content()

