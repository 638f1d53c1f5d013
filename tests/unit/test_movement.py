"""How a figure moved between two periods: better, worse, the same, or newly, no longer or never assessed."""

from backend.scoring.movement import BETTER, LOST, NEW, SAME, UNKNOWN, WORSE, change, scored


def test_a_rise_or_fall_of_half_a_point_or_more_is_better_or_worse():
    assert change(0.2, 0.6) == BETTER and change(0.6, 0.2) == WORSE
    assert change(0.5, 0.505) == BETTER and change(0.505, 0.5) == WORSE


def test_less_than_half_a_point_is_rounding_not_change():
    assert change(0.5, 0.504) == SAME and change(0.504, 0.5) == SAME and change(2, 2) == SAME


def test_no_figure_is_never_a_zero_a_figure_appearing_is_newly_assessed_and_one_vanishing_no_longer():
    assert change(None, 0.0) == NEW and change(0.0, None) == LOST and change(None, None) == UNKNOWN
    assert change(0.0, 0.6) == BETTER  # a real zero is a figure


def test_levels_move_by_the_same_rule():
    assert change(2, 3) == BETTER and change(3, 1) == WORSE and change(None, 0) == NEW


def test_a_score_on_too_little_evidence_is_no_figure():
    assert scored(False, 0.4) is None and scored(True, 0.4) == 0.4 and scored(True, None) is None
