"""Reading a headcount band from the free-text size an organisation was given."""

import pytest

from backend.services.organisations.sizes import headcount, is_small


@pytest.mark.parametrize(
    "text, band",
    [
        ("250-1000 employees", (250, 1000)),
        ("1-10", (1, 10)),
        ("1,000-5,000 staff", (1000, 5000)),
        ("10 to 49 people", (10, 49)),
        ("about 30", (30, 30)),
        ("under 50", (1, 49)),
        ("up to 20", (1, 20)),
        ("50+", (50, None)),
        ("more than 200", (200, None)),
        ("2k", (2000, 2000)),
        ("a single shop", (1, 9)),
        ("Sole trader", (1, 9)),
    ],
)
def test_a_headcount_band_is_read_from_free_text(text, band):
    assert headcount(text) == band


@pytest.mark.parametrize("text", ["", "   ", "large", "multinational", "regional bank"])
def test_a_size_without_a_number_or_known_words_is_unknown(text):
    assert headcount(text) is None
    assert not is_small(text)


@pytest.mark.parametrize(
    "text, small",
    [
        ("1-10", True),
        ("a single shop", True),
        ("10-49 employees", True),
        ("under 50", True),
        ("50-249", False),
        ("250-1000 employees", False),
        ("50+", False),
        ("20+", False),
        ("about 30", True),
    ],
)
def test_small_means_under_fifty_people_and_an_open_band_is_not_small(text, small):
    assert is_small(text) is small
