"""The results page: every level, stage and score opens onto the answers behind it, and every chart link lands."""

from __future__ import annotations

import re

from backend.web.pages.result_views import criterion_anchor
from tests.integration.api import answer, make_assessment, make_org
from tests.integration.test_pages_results import MEMBER, join, member, two_periods, words

__all__ = ["member", "two_periods"]  # the fixtures, used by name

CHART = re.compile(r'<svg role="group" aria-label="([^"]+)".*?</svg>', re.S)
SVG_LINK = re.compile(
    r'<a href="#([^"]+)" class="chart-link" tabindex="-1" aria-label="([^"]+)"><title>([^<]+)</title>'
)


def block(html: str, anchor: str) -> str:
    """The disclosure with this id, up to its own end (a level's or stage's holds its criteria's)."""
    start = html.index(f'id="{anchor}"')
    opening = html.rindex("<details", 0, start)
    depth, at = 0, opening
    for tag in re.finditer(r"<(/?)details\b", html[opening:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            at = opening + tag.end()
            break
    return html[opening:at]


def links_of(html: str, chart: str) -> dict[str, str]:
    """The links an inline chart draws (target -> accessible name), the chart found by its accessible name."""
    found = next(m.group(0) for m in CHART.finditer(html) if m.group(1).startswith(chart))
    links = {}
    for target, name, title in SVG_LINK.findall(found):
        assert name == title  # the hover title says what the name says
        links[target] = name
    assert found.count("<a ") == len(links), "every link in the chart is a plain, named in-page link"
    # A group of links, not an image: its drawn words are hidden, the label and the text beside it say them in order.
    assert found.count("<text ") == found.count('<text aria-hidden="true" ') > 0
    return links


def test_every_criterion_score_opens_onto_each_answer_behind_it(client, two_periods, member):
    _, _, second = two_periods
    html = member.get(f"/assessments/{second}/results").text
    criteria = client.get(f"/api/v1/assessments/{second}/result").json()["result"]["criteria"]
    shown = [c for c in criteria if c["status"] != "not asked"]
    assert len(shown) > 50
    for c in shown:
        text = words(block(html, criterion_anchor(c["id"])))
        assert text.lstrip().startswith(c["name"]), c["name"]
        for a in c["answers"]:
            # The question as asked and the answer's label, never its stored value, and what it added; an answer a
            # screening question made absent says which answer did.
            said = {"answered": "Scores", "absent": "Counts as absent:"}.get(a["status"])
            if said:
                assert f"{a['text']} {a['label']} {said} {round(a['score'] * 100)} %" in text, (c["name"], a["text"])
        assert len(c["answers"]) == sum(1 for a in c["answers"] if a["status"] in ("answered", "absent", "hidden"))
    # Why a level is reached or not: each of its criteria against its bar.
    level = words(block(html, "socialfication-level-3"))
    assert level.lstrip().startswith("Level 3, Proactive: ") and "under the bar of 70 %" in level


def test_dont_know_and_unanswered_behind_a_score_are_marked_as_such(client, ctx, member):
    org = make_org(client, "Partly Known Outfitters")
    join(client, org, MEMBER, "member")
    draft = make_assessment(client, org, "2026-Q3")
    assert answer(client, draft, "fd.listening.mention_discovery", "dont_know").status_code == 201
    reply = ctx.content.plan("full-diagnostic").questions["fd.listening.reply_practice"]
    top = max(reply.options, key=lambda o: o.score)
    assert answer(client, draft, reply.id, top.value).status_code == 201
    assert (
        answer(client, draft, "fd.knowing.customer_profile", "not_applicable", reason="no profiles here").status_code
        == 201
    )
    html = member.get(f"/assessments/{draft}/results").text
    level = block(html, criterion_anchor("socialfication.level2"))
    assert re.search(
        r'<span class="a a-dont_know">Don&#39;t know</span><span class="contributed">No score: it lowers', level
    )
    assert f'<span class="a a-answered">{top.label}</span><span class="contributed">Scores 100\u00a0%' in level
    assert "In place: it scores 100 %, at or above the bar of 70 %" in words(level)  # half the evidence is enough
    identity = words(block(html, criterion_anchor("stack.identity")))
    assert "Not assessed: fewer than half of the questions that apply have an answer" in identity
    assert "Not applicable Left out: it does not apply" in identity
    assert "Not answered No score: it lowers the evidence" in identity
    # A stage that no answer speaks to still opens, onto its questions, each not answered.
    stage = words(block(html, "solis-stage-10"))
    assert "Stage 10, Business Performance Metrics: Not assessed" in stage and "Not answered" in stage


def test_chart_and_table_links_land_on_the_answers_behind_them(two_periods, member):
    _, _, second = two_periods
    html = member.get(f"/assessments/{second}/results").text
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "each anchor is on one element"
    targets = re.findall(r'href="#([^"]+)"', html)
    assert targets and set(targets) <= set(ids), sorted(set(targets) - set(ids))
    # The ladder's rungs, each named in words, and the table beside it offers the same links as text.
    ladder = links_of(html, "Socialfication ladder")
    assert ladder == {f"socialfication-level-{n}": ladder[f"socialfication-level-{n}"] for n in range(1, 6)}
    assert ladder["socialfication-level-2"] == "Level 2, Reactive: the answers behind it"
    table = html.split('caption class="sr-only">The ladder as a table')[1].split("</table>")[0]
    assert set(re.findall(r'href="#([^"]+)"', table)) == set(ladder)
    # The heat map: each stage's name to the stage, each element's cell to its score; the stages' list beside it.
    heatmap = links_of(html, "Solis stages by element")
    stages = {t for t in heatmap if t.startswith("solis-stage-")}
    assert len(stages) == 10 and heatmap["criterion-solis-stage3-rapid-response"].startswith("Rapid")
    for stage in stages:
        inside = block(html, stage)
        elements = [t for t in heatmap if t.startswith(f"criterion-{stage.replace('-stage-', '-stage')}-")]
        assert elements and all(f'id="{t}"' in inside for t in elements), stage
    # The radar's spokes, and the table backing it, to each element's answers.
    radar = links_of(html, "The social stack as a radar")
    assert len(radar) == 11 and radar["criterion-stack-identity"] == "Identity: the answers behind its score"
    stack = html.split("The social stack: score per element")[1].split("</table>")[0]
    assert set(re.findall(r'href="#([^"]+)"', stack)) == set(radar)
    # Anchors and names are words and stable slugs: no question or criterion id in what a user reads.
    assert not re.search(r">[^<]*\b(solis|stack|socialfication)\.[a-z]", html)
