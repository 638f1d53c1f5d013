"""Every page says where it sits: a breadcrumb trail that screen readers announce as such."""

from __future__ import annotations

import re

from tests.integration.api import answer, make_assessment, make_org
from tests.integration.web import browser, make_user

CONSULTANT = "crumbs@firm.test"
TRAIL = re.compile(r'<nav class="crumbs" aria-label="Breadcrumb"><ol>(.*?)</ol></nav>', re.S)


def trail(html: str) -> tuple[list[str], str]:
    """The trail's links (addresses) and the current page's name, from the one breadcrumb on the page."""
    found = TRAIL.findall(html)
    assert len(found) == 1, "one breadcrumb trail per page"
    current = re.findall(r'<li aria-current="page">(.*?)</li>', found[0])
    assert len(current) == 1, "the current page is marked once"
    return re.findall(r'<li><a href="([^"]+)">', found[0]), current[0]


def test_every_page_has_a_breadcrumb_trail_ending_at_the_current_page(app, client, ctx, anonymous):
    make_user(ctx, CONSULTANT)
    org = make_org(client, "Crumb & Co")
    assert (
        client.post(
            f"/api/v1/organisations/{org}/members", json={"email": CONSULTANT, "role": "consultant"}
        ).status_code
        == 201
    )
    first = make_assessment(client, org, "2026-Q1")
    answer(client, first, "fd.listening.coverage", "everywhere")
    assert client.post(f"/api/v1/assessments/{first}/submit").status_code == 200
    second = make_assessment(client, org, "2026-Q2", baseline_assessment_id=first)
    organisation = f"/organisations/{org}"
    expected = {
        "/": ([], "Organisations"),
        organisation: (["/"], "Crumb &amp; Co"),
        f"{organisation}/access": (["/", organisation], "Members and sharing"),
        f"{organisation}/audit": (["/", organisation], "Audit log"),
        f"{organisation}/compare": (["/", organisation], "Compare periods"),
        f"/assessments/{second}/answer/1": (["/", organisation], "2026-Q2"),
        f"/assessments/{first}/results": (["/", organisation, f"/assessments/{first}"], "Results"),
        f"/assessments/{first}/roadmap": (["/", organisation, f"/assessments/{first}"], "Roadmap"),
        f"/assessments/{second}/workshop": (["/", organisation, f"/assessments/{second}"], "Workshop"),
        "/account": (["/"], "Your account"),
        "/content": ([], "Models and questionnaires"),
        "/content/questionnaires/full-diagnostic": (["/content"], None),
        "/content/models/solis": (["/content"], None),
        "/methodology": (["/content"], "Methodology"),
        "/assessments/999999/results": (["/"], None),  # the error page
    }
    with browser(app, CONSULTANT) as web:
        for path, (links, here) in expected.items():
            response = web.get(path)
            assert response.status_code in (200, 404), path
            found_links, found_here = trail(response.text)
            assert found_links == links, path
            assert here is None or found_here == here, path
    assert trail(anonymous.get("/sign-in").text) == ([], "Sign in")
