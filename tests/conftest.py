"""Shared fixtures: the tiny test content and the project's real content; Hypothesis profiles; a
temporary data folder, so no test writes into the repository."""

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.database import DirectoryBasedExampleDatabase

from backend.content.loader import load_content

DATA = Path(__file__).parent / "data"
SCRATCH = Path(tempfile.gettempdir()) / "tribewise-tests"

# Hypothesis keeps its example database and caches in .hypothesis/ of the working folder by
# default; here they live outside the repository and still outlive a run, so a failure replays.
set_hypothesis_home_dir(SCRATCH / "hypothesis")
# `read_settings()` without TRIBEWISE_DATA_DIR writes its secret key into ./data.
os.environ.setdefault("TRIBEWISE_DATA_DIR", str(SCRATCH / "data"))

# Examples per property: many in CI (.ci/test.sh sets HYPOTHESIS_PROFILE=ci), few while working.
# Deadlines are off: on shared, loaded cores a slow example is noise, not a finding.
EXAMPLES = {"ci": 200, "dev": 10}
for _name, _count in EXAMPLES.items():
    settings.register_profile(
        _name,
        max_examples=_count,
        deadline=None,
        database=DirectoryBasedExampleDatabase(SCRATCH / "hypothesis" / "examples"),
    )
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def examples(in_ci: int) -> int:
    """A property's own example count: `in_ci` under the ci profile, scaled like the profile's count under the others."""
    return max(1, in_ci * settings.default.max_examples // EXAMPLES["ci"])


@pytest.fixture(scope="session")
def tiny():
    """Four small rubrics and one 14-question questionnaire with hand-checkable numbers."""
    return load_content(DATA / "content")


@pytest.fixture(scope="session")
def content():
    """The real rubrics and questionnaires of the project."""
    return load_content()
