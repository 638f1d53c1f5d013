"""Results, compare and organisation pages are honest (issue 17): not assessed never reads as zero or a blank,
provisional levels say so, and compare starts from the last two submitted periods, never a newer draft."""

from __future__ import annotations

import re

import pytest

from tests.integration.api import answer, answer_persona, make_assessment, make_org
from tests.integration.pdf import Pdf
from tests.integration.test_pages_results import MEMBER, join, member, words

__all__ = ["member"]  # the fixture, used by name

# Answered "don't know": level 1 of the ladder, three elements of the social stack, Listening and all of stage 3.
UNKNOWN = ("socialfication.level1", "stack.identity", "stack.presence", "stack.relationships")
UNKNOWN_PREFIXES = (*UNKNOWN, "solis.stage1.listening", "solis.stage3.")
MARK = re.compile(r'<span class="not-assessed">Not assessed</span>')


def dont_know(client, ctx, assessment_id: int, prefixes: tuple[str, ...]) -> None:
    for criterion, questions in ctx.content.plan("full-diagnostic").by_criterion.items():
        if criterion.startswith(prefixes):
            for q in questions:
                answer(client, assessment_id, q.id, "dont_know")


def submit(client, assessment_id: int) -> None:
    assert client.post(f"/api/v1/assessments/{assessment_id}/submit").status_code == 200


@pytest.fixture
def periods(client, ctx, member):
    """2026-Q1 submitted with a provisional level and some elements not assessed, 2026-Q2 submitted in full,
    2026-Q3 a newer draft answered "don't know" throughout (nothing assessed)."""
    org = make_org(client, "Honest Outfitters")
    join(client, org, MEMBER, "member")
    first = make_assessment(client, org, "2026-Q1")
    answer_persona(client, ctx, first, "brand-monitor")
    dont_know(client, ctx, first, UNKNOWN_PREFIXES)
    submit(client, first)
    second = make_assessment(client, org, "2026-Q2")
    answer_persona(client, ctx, second, "anonymous")
    submit(client, second)
    draft = make_assessment(client, org, "2026-Q3")
    dont_know(client, ctx, draft, ("",))
    return org, first, second, draft


def svg(html: str, name: str) -> str:
    """The inline chart whose accessible name starts with `name`."""
    found = re.search(rf'<svg role="(?:img|group)" aria-label="{re.escape(name)}[^"]*".*?</svg>', html, re.S)
    assert found, name
    return found.group(0)


def chart_texts(chart: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", chart)


# --- compare ------------------------------------------------------------------------------


def test_compare_defaults_to_the_last_two_submitted_periods_and_says_so_skipping_a_newer_draft(periods, member):
    org, first, second, draft = periods
    html = member.get(f"/organisations/{org}/compare").text
    text = words(html)
    assert "2026-Q1 compared with 2026-Q2" in text and "2026-Q3 compared" not in text
    assert "Compared by default: the last two submitted periods, 2026-Q1 and 2026-Q2." in text
    assert re.search(
        rf'id="f-before".*<option value="{first}" selected>.*id="f-after".*<option value="{second}" selected>',
        html,
        re.S,
    )
    # The organisation page's own compare form preselects the same pair.
    page = member.get(f"/organisations/{org}").text
    assert re.search(rf'<option value="{first}" selected>.*<option value="{second}" selected>', page, re.S)
    assert f'<option value="{draft}" selected>' not in page
    assert "Chosen: the last two submitted periods" in words(page)


def test_a_draft_picked_explicitly_is_compared_and_its_not_assessed_levels_say_so(periods, member):
    org, _, second, draft = periods
    html = member.get(f"/organisations/{org}/compare?before={second}&after={draft}").text
    text = words(html)
    assert "2026-Q2 compared with 2026-Q3" in text and "Compared: the two periods picked" in text
    assert "The 2026-Q3 draft is scored as it stands" in text
    table = re.search(r'<table class="side-by-side">.*?</table>', html, re.S).group(0)
    assert len(MARK.findall(table)) == 2  # level and stage of the draft, not 0
    assert words(table).count("Not comparable") == 2


def submitted_then_draft(client, ctx, name: str, persona: str) -> tuple[int, int, int]:
    """An organisation the member belongs to, 2026-Q1 submitted as the persona answered, and a 2026-Q2 draft."""
    org = make_org(client, name)
    join(client, org, MEMBER, "member")
    first = make_assessment(client, org, "2026-Q1")
    answer_persona(client, ctx, first, persona)
    submit(client, first)
    return org, first, make_assessment(client, org, "2026-Q2")


def test_compare_with_one_period_submitted_says_so_and_offers_the_drafts(client, ctx, member):
    org, first, draft = submitted_then_draft(client, ctx, "Half Done", "anonymous")
    html = member.get(f"/organisations/{org}/compare").text
    text = words(html)
    assert "compared with" not in text
    assert "Nothing is compared yet" in text and "Half Done has only one submitted (2026-Q1)" in text
    assert f'href="/organisations/{org}/compare?before={first}&amp;after={draft}"' in html
    assert "compare 2026-Q1 (submitted) with 2026-Q2 (draft)" in text


def test_the_trend_marks_periods_not_assessed_and_provisional_instead_of_zero(periods, member):
    org, *_ = periods
    for path in (f"/organisations/{org}/compare", f"/organisations/{org}"):
        html = member.get(path).text
        chart = svg(html, "Socialfication level and Solis stage over")
        name = re.search(r'aria-label="([^"]*)"', chart).group(1)
        assert "level not assessed in 2026-Q3" in name and "level provisional in 2026-Q1" in name, path
        assert {"Level not assessed", "Stage not assessed", "provisional"} <= set(chart_texts(chart)), path
        q3 = re.search(r"<tr><th scope=\"row\"[^>]*>(?:<a[^>]*>)?2026-Q3.*?</tr>", html, re.S).group(0)
        assert len(MARK.findall(q3)) == 2 and "0.0" not in q3, path
        q1 = re.search(r"<tr><th scope=\"row\"[^>]*>(?:<a[^>]*>)?2026-Q1.*?</tr>", html, re.S).group(0)
        assert words(q1).count("provisional") == 2, path


# --- results ------------------------------------------------------------------------------


def test_nothing_assessed_draws_not_assessed_marks_never_zero(periods, member):
    *_, draft = periods
    html = member.get(f"/assessments/{draft}/results").text
    ladder = svg(html, "Socialfication ladder")
    assert 'aria-label="Socialfication ladder: not assessed, too few answers to place any level"' in ladder
    # Every rung, the floor included, is the dashed not-assessed mark with its words; nothing is "reached".
    assert chart_texts(ladder).count("Not assessed") == 6 and "ahead of foundation" not in chart_texts(ladder)
    assert ladder.count('stroke-dasharray="2, 2"') == 6
    heatmap = svg(html, "Solis stages by element")
    assert "no element assessed" in heatmap[:300] and "0%" not in chart_texts(heatmap)
    # No radar of zeros: the page says why there is none, and each element reads "Not assessed".
    assert "The social stack as a radar" not in html
    assert "too few answers to draw the social stack" in words(html)
    stack = re.search(r"The social stack: score per element.*?</table>", html, re.S).group(0)
    assert "0\u00a0%" not in stack and len(MARK.findall(stack)) == 11
    # The headline figures say it in words, with no empty progress bar standing for zero.
    assert len(MARK.findall(html.split('id="headline-title"')[1].split("</section>")[0])) == 2
    assert "<progress" not in html
    assert 'class="swatch swatch-unknown"' in html and "absent or not assessed" not in html


def test_some_parts_not_assessed_are_marked_as_such_and_the_level_is_provisional(periods, member):
    _, first, *_ = periods
    html = member.get(f"/assessments/{first}/results").text
    ladder = svg(html, "Socialfication ladder")
    assert "level 2 of 5 reached (provisional); level 1 not assessed" in ladder[:300]
    assert "Provisional" in chart_texts(ladder) and chart_texts(ladder).count("Not assessed") == 1
    assert "reached, provisional" in words(html)
    heatmap = svg(html, "Solis stages by element")
    assert "(provisional)" in heatmap[:300] and "elements not assessed: Listening, Conversation" in heatmap[:400]
    assert chart_texts(heatmap).count("Not assessed") == 4
    radar = svg(html, "The social stack as a radar")
    assert "elements not assessed: Identity, Presence, Relationships" in radar[:300]
    assert {"(not assessed)"} <= set(chart_texts(radar)) and chart_texts(radar).count("(not assessed)") == 3
    assert "Dashed spokes are elements not assessed" in words(html)
    row = re.search(r'<tr><td><a href="#criterion-stack-identity">Identity</a></td>.*?</tr>', html).group(0)
    assert MARK.search(row) and "0&nbsp;%" not in row and "0\u00a0%" not in row and "band-unknown" in row
    assert "Provisional: level 1 (Tracking) was not assessed" in words(html)


def test_the_report_cover_says_which_level_is_provisional_and_why(periods, client, tmp_path):
    _, first, *_ = periods
    pdf = Pdf(client.get(f"/api/v1/assessments/{first}/report.pdf").content, tmp_path)
    cover = " ".join(pdf.text.split("\f")[0].split())
    assert "Provisional Socialfication maturity — Provisional: level 1 (Tracking) was not assessed" in cover


def test_the_trend_reads_each_model_on_its_own_scale_and_draws_a_draft_hollow(client, ctx, member):
    org, _, draft = submitted_then_draft(client, ctx, "Two Scales Outfitters", "brand-monitor")
    answer_persona(client, ctx, draft, "brand-monitor")
    html = member.get(f"/organisations/{org}").text
    chart = svg(html, "Socialfication level and Solis stage over")
    texts = chart_texts(chart)
    # Both scales as they are: 0 to 5 on the left, the stage's 0 to 10 on the right; nothing halved.
    assert {"0", "5", "10"} <= set(texts) and "- - Solis stage (right, 0-10)" in texts
    assert not any("halved" in t or "÷" in t for t in texts) and "halved" not in html
    # The draft's two points are open circles, and the legend says what an open circle is.
    assert "draft" in texts
    assert len(re.findall(r'<circle[^>]*fill="rgb\(100%,100%,100%\)"', chart)) == 3  # two points and the legend's
