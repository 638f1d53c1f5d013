"""Fixtures for tests of what Tribewise mails: a real SMTP server for the test, and the app's settings sending to
it with links that start with BASE. A test module imports both names to use them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from backend.settings import read_settings
from tests.mailserver import smtp_server

BASE = "https://tribewise.example"


@pytest.fixture
def inbox():
    """A real SMTP server for this test; what it received."""
    with smtp_server() as received:
        yield received


@pytest.fixture
def settings(database_url, tmp_path, inbox):
    """The test app's settings, mail going to the test's SMTP server, links starting with BASE."""
    return replace(
        read_settings(),
        data_dir=tmp_path,
        database_url=database_url,
        migrate_on_start=False,
        smtp_url=inbox.url,
        base_url=BASE,
    )
