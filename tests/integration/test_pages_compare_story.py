"""The compare page tells what changed before its tables (issue 17): the summary in sentences pointing at the
answers behind each change, each level and stage before and after, the two radars on one chart and the stage heat
map's changes, each chart with its numbers in a table; not assessed never reads as zero."""

from __future__ import annotations

import re
from html import unescape

from backend.labels import answer_choices
from tests.integration.api import answer, answer_persona, make_assessment, make_org
from tests.integration.test_pages_not_assessed import MARK, chart_texts, periods, svg
from tests.integration.test_pages_results import MEMBER, join, member, two_periods, words

__all__ = ["member", "periods", "two_periods"]  # fixtures, used by name


def section(html: str, title_id: str) -> str:
    """The story section headed by the element with this id."""
    found = re.search(rf'<section[^>]*aria-labelledby="{title_id}".*?</section>', html, re.S)
    assert found, title_id
    return found.group(0)


def test_the_story_comes_first_and_says_what_changed_in_words(two_periods, member):
    org, *_ = two_periods
    html = member.get(f"/organisations/{org}/compare").text
    order = [
        'id="summary-title">What changed',
        'id="ladders-title">Levels and stages in 2026-Q1 and 2026-Q2',
        'id="radar-title">The social stack in 2026-Q1 and 2026-Q2',
        'id="heatmap-title">The ten stages of social media integration: what changed by element',
        'class="details-title">The figures in detail',
        '<table class="side-by-side">',
        'id="answers-title"',
    ]
    places = [html.find(mark) for mark in order]
    assert -1 not in places and places == sorted(places), dict(zip(order, places, strict=True))
    summary = words(section(html, "summary-title"))
    assert "Socialfication maturity: up two levels, from 0 to 2." in summary
    assert "The ten stages of social media integration: up two stages, from 0 to 2." in summary
    assert "Biggest gains: Listening, +100 points, from 0 % to 100 %" in summary
    assert "Biggest drops" not in summary and "Regressed (0)" in words(html)
    ladders = words(section(html, "ladders-title"))
    assert ladders.count("Up two levels, from 0 to 2.") == 1 and "Up two stages, from 0 to 2." in ladders
    assert "2. Reactive not yet in place reached" in ladders  # the ladder's table, rung by rung
    # Four charts tell the story (and the trend follows the tables), each named with what it shows.
    for name in (
        "Socialfication maturity, 2026-Q1 and 2026-Q2: up two levels, from 0 to 2",
        "The ten stages of social media integration, 2026-Q1 and 2026-Q2: up two stages, from 0 to 2",
        "The social stack in 2026-Q1 and 2026-Q2 as a radar, 0 to 100 % per element: 2026-Q1 dashed and hollow",
        "The ten stages of social media integration by element, what changed from 2026-Q1 to 2026-Q2: 7 better",
    ):
        assert svg(html, name)
    radar = words(section(html, "radar-title"))
    assert "Conversation 0 % 75 % ▲ Better, +75 points" in radar and "Objects 0 % 0 % = Same" in radar
    heatmap = section(html, "heatmap-title")
    assert "▲ Better: 0\u00a0% → 100\u00a0%" in chart_texts(heatmap)
    assert "Listening 0 % 100 % ▲ Better, +100 points" in words(heatmap)


def test_each_change_points_at_the_changed_answers_behind_it(two_periods, member, ctx):
    org, *_ = two_periods
    html = member.get(f"/organisations/{org}/compare").text
    gains = re.search(r"<strong>Biggest gains:</strong>(.*?)</li>", section(html, "summary-title"), re.S).group(1)
    listening = re.search(r"Listening,.*?\((.*?)\)", gains, re.S).group(1)
    rows = re.findall(r'href="#changed-answer-(\d+)"', listening)
    assert rows, listening
    asked = {q.text for q in ctx.content.plan("full-diagnostic").by_criterion["solis.stage1.listening"]}
    for row in rows:
        found = re.search(rf'<tr id="changed-answer-{row}">\s*<td class="num">{row}</td>\s*<td>([^<]*)</td>', html)
        assert found and unescape(found.group(1)) in asked, row
    assert "We now log every mention" in words(html)


def test_not_assessed_reads_as_such_in_the_story_never_as_zero(periods, member):
    org, first, second, _ = periods
    html = member.get(f"/organisations/{org}/compare?before={first}&after={second}").text
    summary = words(section(html, "summary-title"))
    assert "Socialfication maturity: down two levels, from 2 to 0." in summary
    assert re.search(r"Newly assessed: Tracking, 0 % in 2026-Q2 \(answers? [\d ,and]+\)", summary)
    ladders = words(section(html, "ladders-title"))
    assert "2026-Q1: Provisional: level 1 (Tracking) was not assessed; level 0 is confirmed." in ladders
    assert "1. Tracking Not assessed 0 % of its threshold" in ladders
    radar = section(html, "radar-title")
    assert "not assessed in 2026-Q1: Identity, Presence, Relationships" in svg(radar, "The social stack")[:400]
    assert "in 2026-Q1)" in chart_texts(radar)
    identity = re.search(r"<tr><th scope=\"row\">Identity</th>.*?</tr>", radar).group(0)
    # Not assessed before (the dashed tag, no figure), a real 0 % now: newly assessed, not "better" from zero.
    cells = re.findall(r"<td[^>]*>(.*?)</td>", identity)
    assert MARK.fullmatch(cells[0]) and cells[1:] == ["0\u00a0%", "+ Newly assessed"], cells
    heatmap = section(html, "heatmap-title")
    assert "+ Newly assessed: 0\u00a0%" in chart_texts(heatmap)  # Listening: not assessed before, absent now


def test_a_period_with_nothing_assessed_has_no_level_no_frame_and_no_move(periods, member):
    org, _, second, draft = periods
    html = member.get(f"/organisations/{org}/compare?before={second}&after={draft}").text
    summary = words(section(html, "summary-title"))
    assert "Socialfication maturity: level 0 in 2026-Q2; not assessed in 2026-Q3." in summary
    assert "No longer assessed: Tracking, 0 % in 2026-Q2" in summary and "Biggest" not in summary
    ladder = svg(html, "Socialfication maturity, 2026-Q2 and 2026-Q3: level 0 in 2026-Q2; not assessed in 2026-Q3")
    assert chart_texts(ladder)[:4] == ["2026-Q2", "Level 0", "2026-Q3", "Not assessed"]
    radar = section(html, "radar-title")
    assert "not assessed in 2026-Q3: Identity, Objects" in radar
    assert words(radar).count("○ No longer assessed") == 11


def test_periods_on_different_questionnaires_say_what_was_not_asked(client, ctx, member):
    org = make_org(client, "Two Questionnaires Ltd")
    join(client, org, MEMBER, "member")
    full = make_assessment(client, org, "2026-Q1")
    answer_persona(client, ctx, full, "brand-monitor")
    assert client.post(f"/api/v1/assessments/{full}/submit").status_code == 200
    quick = make_assessment(client, org, "2026-Q2", questionnaire_id="executive-quick-check")
    for question in ctx.content.plan("executive-quick-check").questions.values():
        assert answer(client, quick, question.id, answer_choices(question)[0][0]).status_code in (200, 201)
    assert client.post(f"/api/v1/assessments/{quick}/submit").status_code == 200
    html = member.get(f"/organisations/{org}/compare").text
    summary = words(section(html, "summary-title"))
    assert "Questionnaires: the two periods used different questionnaires" in summary
    heatmap = section(html, "heatmap-title")
    assert any(t.startswith("○ Not asked in 2026-Q2") for t in chart_texts(heatmap)), chart_texts(heatmap)
    assert "No longer assessed" not in summary  # what the quick check leaves out is not news
    assert "no answer behind it changed" not in summary  # different questions: nothing was compared


def test_the_htmx_swap_carries_the_story(two_periods, member):
    org, first, second = two_periods
    fragment = member.get(
        f"/organisations/{org}/compare?before={second}&after={first}", headers={"HX-Request": "true"}
    ).text
    assert "<html" not in fragment and 'id="summary-title">What changed' in fragment
    assert svg(fragment, "Socialfication maturity, 2026-Q1 and 2026-Q2")
