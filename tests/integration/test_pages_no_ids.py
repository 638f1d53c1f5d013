"""No internal id reaches what a person reads: the results, roadmap, compare, organisation, access and audit log
pages and the PDF name questions, criteria, steps, models, options and fields by their words, for a realistic
organisation (two submitted periods, a draft half answered, steps planned, a member added)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.integration.api import answer, answer_persona, make_assessment, make_org, submitted_persona
from tests.integration.pdf import Pdf
from tests.integration.web import browser, csrf_of, make_user

LEAD = "lead@firm.test"


def visible(html: str) -> str:
    """The text a reader sees: no scripts, styles or attributes (addresses and element ids may hold ids)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"</?(a|span|b|i|em|strong)\b[^>]*>", "", html)  # inline: the words run on
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def id_pattern(content) -> re.Pattern:
    """Every id the content defines that cannot pass for a word: question, criterion, recommendation and
    questionnaire ids, and option values with an underscore (per_step, dont_know)."""
    ids = {*content.criteria, *content.recommendations, *content.plans}
    for plan in content.plans.values():
        ids |= set(plan.questions)
        ids |= {v for q in plan.questions.values() for v in q.allowed_values()}
    ids = {i for i in ids if re.search(r"[._-]", i)}
    return re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, sorted(ids, key=len, reverse=True))) + r")(?![\w-])")


def leaks(pattern: re.Pattern, text: str) -> list[str]:
    return [text[max(0, m.start() - 60) : m.end() + 20] for m in pattern.finditer(text)]


@pytest.fixture
def organisation(app, ctx, client):
    """Northwind: 2026-Q1 and 2026-Q2 submitted, steps done and owned, a member added, and a 2026-Q3 draft with a
    few answers (unanswered questions behind its findings and steps)."""
    org = make_org(client, "Northwind Outfitters")
    first = submitted_persona(client, ctx, org, "2026-Q1", "anonymous")
    second = make_assessment(client, org, "2026-Q2", baseline_assessment_id=first)
    answer_persona(client, ctx, second, "brand-monitor")
    answer(client, second, "fd.feedback_loop.baseline", "per_journey", note="Per journey, not per step yet")
    answer(client, second, "fd.feedback_loop.baseline", "per_step")
    answer(client, second, "fd.listening.coverage", "not_applicable", reason="We sell only to other firms")
    steps = client.get(f"/api/v1/assessments/{second}/roadmap").json()["items"]
    client.patch(f"/api/v1/assessments/{second}/roadmap/{steps[0]['id']}", json={"status": "done"})
    client.patch(
        f"/api/v1/assessments/{second}/roadmap/{steps[1]['id']}", json={"owner": "Ana Diaz", "due_period": "2026-Q4"}
    )
    assert client.post(f"/api/v1/assessments/{second}/submit").status_code == 200
    draft = make_assessment(client, org, "2026-Q3")
    for question_id, value in (("fd.knowing.identified_share", "dont_know"), ("fd.listening.coverage", "everywhere")):
        answer(client, draft, question_id, value)
    make_user(ctx, LEAD, "consultant", organisation_id=org, member_role="consultant")
    return org, first, second, draft


def test_no_page_and_no_report_shows_an_internal_id(client, ctx, organisation, tmp_path):
    org, first, second, draft = organisation
    pattern = id_pattern(ctx.content)
    pages = [
        *(f"/assessments/{a}/{screen}" for a in (second, draft) for screen in ("results", "roadmap")),
        f"/organisations/{org}/compare",
        f"/organisations/{org}/compare?before={second}&after={draft}",
        f"/organisations/{org}",
        f"/organisations/{org}/access",
        f"/organisations/{org}/audit",
    ]
    found = {}
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        found[path] = leaks(pattern, visible(response.text))
    for variant in ("full", "summary"):
        pdf = Pdf(client.get(f"/api/v1/assessments/{second}/report.pdf?variant={variant}").content, tmp_path)
        found[variant] = leaks(pattern, re.sub(r"\s+", " ", pdf.text))
    assert {where: said for where, said in found.items() if said} == {}
    # Nor a model's id: the PDF says what changed since the previous period by the models' titles.
    assert pdf.has("Compared with 2026-Q1: Socialfication maturity 0 → ")
    assert not re.search(r"\b(socialfication|solis) \d", pdf.text)


def test_the_audit_log_reads_as_sentences_linked_to_what_they_name(client, organisation):
    org, first, second, draft = organisation
    page = client.get(f"/organisations/{org}/audit").text
    text = visible(page)
    question = (
        "Have you set a measured baseline of customer experience, such as satisfaction, effort or complaints per "
        "journey step?"
    )
    assert (
        f"admin@tribewise.test changed the answer to “{question}” in 2026-Q2 from “Figures per journey” to "
        "“Figures per journey step” and cleared its note."
    ) in text
    assert f'<a href="/assessments/{second}/answer/10#q-fd-feedback_loop-baseline">' in page
    assert "admin@tribewise.test started the 2026-Q3 assessment (Full social-customer diagnostic)." in text
    assert f'<a href="/assessments/{draft}/results">2026-Q3 assessment</a>' in page
    assert "admin@tribewise.test submitted the 2026-Q2 assessment with " in text
    assert re.search(r"marked the step “[^”]+” in 2026-Q2 done\.", text)
    assert "set its due quarter to 2026-Q4." in text or "and set its due quarter to 2026-Q4." in text
    assert f"/assessments/{second}/roadmap#item-" in page
    assert re.search(r"\S+ added lead@firm.test as consultant\.", text), text
    for raw in ("answer.save", "roadmap.update", "per_step", "due_period"):
        assert raw not in text, raw


def test_a_refused_roadmap_edit_names_the_field_as_the_form_labels_it(app, client, organisation):
    org, first, second, draft = organisation
    step = client.get(f"/api/v1/assessments/{second}/roadmap").json()["items"][2]
    with browser(app, LEAD) as web:
        token = csrf_of(web.get(f"/assessments/{second}/roadmap").text)
        refused = web.post(
            f"/assessments/{second}/roadmap/{step['id']}",
            data={
                "status": "planned",
                "due_period": "2026-Q9",
                "expected_version": step["version"],
                "_csrf_token": token,
            },
        )
    assert refused.status_code == 400
    assert "Due quarter: &#39;2026-Q9&#39; is not a period: use a year" in refused.text
    assert "due_period" not in visible(refused.text) and "due quarter: &#39;" not in refused.text


def test_a_refused_comparison_reads_as_a_sentence(client, organisation):
    org, first, second, draft = organisation
    refused = client.get(f"/organisations/{org}/compare?before={second}&after={second}")
    assert refused.status_code == 400 and "Pick two different periods" in refused.text


def test_a_step_no_longer_on_the_roadmap_is_refused_without_its_id(app, client, organisation):
    org, first, second, draft = organisation
    shown = {i["id"] for i in client.get(f"/api/v1/assessments/{draft}/roadmap").json()["items"]}
    hidden = next(i for i in range(min(shown), max(shown)) if i not in shown)  # a step its plan does not place
    with browser(app, LEAD) as web:
        token = csrf_of(web.get(f"/assessments/{draft}/roadmap").text)
        refused = web.post(
            f"/assessments/{draft}/roadmap/{hidden}",
            data={"status": "planned", "_csrf_token": token},
            headers={"HX-Request": "true", "HX-Target": f"item-{hidden}"},
        )
    assert refused.status_code == 404
    assert "This step is no longer on this roadmap; reload the page" in refused.text
    assert f"item {hidden}" not in visible(refused.text)


def test_a_page_for_something_missing_says_what_is_missing_without_its_number(client, organisation):
    org, first, second, draft = organisation
    missing = 987_654
    for path, words in (
        (f"/assessments/{missing}/results", "We could not find that assessment"),
        (f"/assessments/{missing}/roadmap", "We could not find that assessment"),
        (f"/organisations/{missing}", "We could not find that organisation"),
        (f"/organisations/{org}/compare?before={second}&after={missing}", "not an assessment of this organisation"),
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        text = visible(response.text)
        assert words in text and str(missing) not in text, (path, text)
    # The API keeps the number: a client program needs to know which id it sent was wrong.
    assert str(missing) in client.get(f"/api/v1/assessments/{missing}").json()["detail"]
