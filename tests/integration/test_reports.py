"""The PDF report, opened and read back: text, metadata, outline, qpdf, rendering, hostile text."""

import re
import shutil
import subprocess
from dataclasses import replace

import pytest
import yaml

from backend.services.demo import load_demo
from backend.web.app import create_app
from tests.integration.api import answer, answer_persona, make_assessment, make_org
from tests.integration.conftest import admin_client
from tests.integration.pdf import Pdf, squash

HOSTILE_NAME = "Ça & Cie <Ops> \"Ünïcødé\" 'quoted' 😀 שלום عربى"


def demo_assessment(client, ctx, period="2026-Q3"):
    org = load_demo(ctx)
    return next(
        p["assessment_id"]
        for p in client.get(f"/api/v1/organisations/{org.id}/progress").json()["periods"]
        if p["period"] == period
    )


def fetch(client, assessment_id, tmp_path, variant=None):
    response = client.get(
        f"/api/v1/assessments/{assessment_id}/report.pdf", params={"variant": variant} if variant else None
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    return Pdf(response.content, tmp_path)


def test_full_report_reads_back_with_every_part(client, ctx, tmp_path):
    aid = demo_assessment(client, ctx)
    pdf = fetch(client, aid, tmp_path)
    result = {m["model"]: m for m in client.get(f"/api/v1/assessments/{aid}/result").json()["result"]["models"]}
    roadmap = client.get(f"/api/v1/assessments/{aid}/roadmap").json()["items"]
    assert pdf.has("Northwind Outfitters") and pdf.has("2026-Q3")
    assert pdf.has(f"Socialfication level {result['socialfication']['level']} of 5")
    assert pdf.has(f"Solis stage {result['solis']['level']} of 10") and pdf.has(result["solis"]["level_name"])
    for item in roadmap:
        assert pdf.has(item["title"]), item["title"]
    assert pdf.has("Feedback-channel audit worksheet (Kira Wampler)") and pdf.has("Channels and moments of truth")
    assert pdf.has("Since the previous period") and pdf.has("Compared with 2026-Q2")
    assert pdf.has("Appendix: every answer") and pdf.has("Methodology and credits")
    assert pdf.has(f"page 1 of {pdf.pages}") and pdf.has(f"page {pdf.pages} of {pdf.pages}")
    for author in (
        "Christopher Surdak",
        "Brian Solis",
        "Thomas Vander Wal",
        "Dave Evans",
        "Kira Wampler",
        "Chris Carfi",
    ):
        assert pdf.has(author), author


def test_report_metadata_outline_and_contents(client, ctx, tmp_path):
    pdf = fetch(client, demo_assessment(client, ctx), tmp_path)
    meta = pdf.reader.metadata
    assert meta.title == "Northwind Outfitters: social customer maturity roadmap, 2026-Q3"
    assert meta.author == "Tribewise" and "Northwind Outfitters" in meta.subject
    outline = pdf.outline_titles()
    assert {"Executive summary", "Findings", "Roadmap", "Methodology and credits"} <= set(outline)
    assert pdf.has("Contents")


def test_report_is_a_valid_pdf_that_renders(client, ctx, tmp_path):
    pdf = fetch(client, demo_assessment(client, ctx), tmp_path)
    check = pdf.qpdf_check()
    assert check.returncode == 0, check.stdout + check.stderr
    assert len(pdf.render(resolution=60, keep_as="full")) == pdf.pages


def test_no_page_is_less_than_a_third_full_but_where_a_section_ends(client, ctx, tmp_path):
    pdf = fetch(client, demo_assessment(client, ctx), tmp_path)
    pages, starts = pdf.render(resolution=30), pdf.section_starts()
    # The cover stands alone by design; a page before a new section may end short, as may the last.
    short = {
        number: f"{pdf.filled(png):.0%}"
        for number, png in enumerate(pages, start=1)
        if number > 1 and number + 1 not in starts and number < len(pages) and pdf.filled(png) < 1 / 3
    }
    assert short == {}


def test_summary_variant_is_one_page(client, ctx, tmp_path):
    aid = demo_assessment(client, ctx)
    pdf = fetch(client, aid, tmp_path, "summary")
    assert pdf.pages == 1
    assert pdf.has("Northwind Outfitters") and pdf.has("Socialfication level 3 of 5") and pdf.has("First three steps")
    assert pdf.qpdf_check().returncode == 0 and len(pdf.render(resolution=60, keep_as="summary")) == 1


def test_report_of_a_missing_assessment_is_404_and_a_bad_variant_400(client):
    assert client.get("/api/v1/assessments/999/report.pdf").status_code == 404
    org = make_org(client)
    aid = make_assessment(client, org)
    assert client.get(f"/api/v1/assessments/{aid}/report.pdf", params={"variant": "poster"}).status_code == 400


def test_a_fresh_draft_with_no_answers_still_reports(client, tmp_path):
    aid = make_assessment(client, make_org(client), "2026-Q4", "executive-quick-check")
    pdf = fetch(client, aid, tmp_path)
    assert pdf.has("This is the first assessment on record") and pdf.has("Not answered")
    assert pdf.qpdf_check().returncode == 0


def big_content(settings, folder, questions=300):
    """The project content plus a questionnaire of `questions` questions spread over every criterion."""
    for name in ("rubrics", "questionnaires"):
        shutil.copytree(settings.content_dir / name, folder / name)
    criteria = [
        c
        for r in ("socialfication", "solis-stages", "social-stack", "social-customer")
        for c in _criteria(folder / "rubrics" / f"{r}.yaml")
    ]
    options = [
        {"value": "none", "label": "None", "score": 0},
        {"value": "some", "label": "Some", "score": 0.5},
        {"value": "all", "label": "All", "score": 1},
    ]
    section = {
        "id": "all",
        "title": "Everything",
        "questions": [
            {
                "id": f"big.q{i}",
                "text": f"Question {i} about practice {i}?",
                "help": "h",
                "criterion": criteria[i % len(criteria)],
                "options": options,
            }
            for i in range(questions)
        ],
    }
    doc = {
        "schema_version": 1,
        "id": "big",
        "version": "1",
        "title": "Big",
        "description": "d",
        "audience": "a",
        "minutes": 200,
        "sections": [section],
    }
    (folder / "questionnaires" / "big.yaml").write_text(yaml.safe_dump(doc))
    return folder


def _criteria(path):
    rubric = yaml.safe_load(path.read_text())
    ids = [f"{rubric['model']}.{c['id']}" for c in rubric.get("criteria", [])]
    return ids + [f"{rubric['model']}.{g['id']}.{c['id']}" for g in rubric.get("groups", []) for c in g["criteria"]]


def test_chinese_japanese_and_korean_text_prints_in_a_font_that_has_the_glyphs(client, tmp_path):
    name = "株式会社テスト 한국 고객"
    org = make_org(client, name)
    aid = make_assessment(client, org, "2026-Q3")
    answer(client, aid, "fd.listening.coverage", "everywhere", note="顧客の声を毎週まとめる")
    item = client.get(f"/api/v1/assessments/{aid}/roadmap").json()["items"][0]
    client.patch(f"/api/v1/assessments/{aid}/roadmap/{item['id']}", json={"owner": "王小明"})
    pdf = fetch(client, aid, tmp_path)
    assert pdf.qpdf_check().returncode == 0
    for text in (name, "顧客の声を毎週まとめる", "王小明"):
        assert pdf.has(text), text
    # The footer too, drawn straight on the canvas in the one font that has both scripts.
    assert f"{name} · 2026-Q3 · Tribewise" in pdf.text
    fonts = fonts_of(pdf)
    assert "WenQuanYi" in fonts and "emb" in fonts.splitlines()[0]
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:] if "WenQuanYi" in line)  # embedded


def test_hostile_text_and_300_long_notes_make_a_valid_pdf_with_the_text_intact(settings, tmp_path):
    content = big_content(settings, tmp_path / "content")
    with admin_client(create_app(replace(settings, content_dir=content)), "admin2@tribewise.test") as client:
        org = make_org(client, HOSTILE_NAME)
        aid = make_assessment(client, org, "2026-Q4", "big")
        long_note = ("Über-long note with <tags> & ampersands, \"quotes\", 'apostrophes', emoji 🚀😀 and עברית. " * 60)[
            :5000
        ]
        for i in range(300):
            note = long_note if i % 50 == 0 else f"note {i}: <b>not bold</b> & {HOSTILE_NAME}"
            assert (
                answer(
                    client, aid, f"big.q{i}", "some", note=note, evidence=f"https://intranet.example/doc?id={i}&x=<y>"
                ).status_code
                == 201
            )
        item = client.get(f"/api/v1/assessments/{aid}/roadmap").json()["items"][0]
        client.patch(
            f"/api/v1/assessments/{aid}/roadmap/{item['id']}", json={"owner": "<script>alert(1)</script> & Rénée"}
        )
        pdf = fetch(client, aid, tmp_path)
    assert pdf.qpdf_check().returncode == 0
    assert pdf.has(HOSTILE_NAME)
    assert pdf.has("note 299: <b>not bold</b> &")
    assert pdf.has(long_note[:400]) and pdf.has(long_note[-200:])
    assert pdf.has("https://intranet.example/doc?id=7&x=<y>")
    assert pdf.has("<script>alert(1)</script> & Rénée")
    assert pdf.text.count("note ") >= 294
    # The emoji are set in the symbol font, loaded for them; the hostile name needs no CJK font.
    assert "Symbola" in fonts_of(pdf) and "WenQuanYi" not in fonts_of(pdf)


def fonts_of(pdf) -> str:
    """pdffonts' table of the fonts the PDF uses."""
    return subprocess.run(["pdffonts", str(pdf.path)], capture_output=True, text=True, check=True).stdout


@pytest.mark.sqlite_only(reason="the command writes the PDF the app renders; the engine changes nothing in it")
def test_cli_writes_a_report_file(settings, tmp_path, ctx, client):
    import os
    import subprocess
    import sys
    from pathlib import Path

    aid = demo_assessment(client, ctx, "2026-Q4")
    out = tmp_path / "out.pdf"
    env = {**os.environ, "TRIBEWISE_DATABASE_URL": settings.database_url, "TRIBEWISE_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [str(Path(sys.executable).parent / "tribewise"), "report", str(aid), "--out", str(out), "--variant", "summary"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert Pdf(out.read_bytes(), tmp_path / "x" if (tmp_path / "x").mkdir() is None else tmp_path).has(
        "Northwind Outfitters"
    )
    missing = subprocess.run(
        [str(Path(sys.executable).parent / "tribewise"), "report", "9999", "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert missing.returncode == 1 and "assessment 9999 not found" in missing.stderr


@pytest.mark.parametrize("period", ["2026-Q1", "2026-Q4"])
def test_first_and_draft_periods_report_too(client, ctx, tmp_path, period):
    pdf = fetch(client, demo_assessment(client, ctx, period), tmp_path)
    assert pdf.has(period) and pdf.qpdf_check().returncode == 0


def test_contents_page_links_to_each_section(client, ctx, tmp_path):
    pdf = fetch(client, demo_assessment(client, ctx), tmp_path)
    contents = pdf.reader.pages[1]
    links = [a.get_object() for a in contents.get("/Annots", [])]
    assert len(links) >= 10
    assert all(link["/Subtype"] == "/Link" for link in links)
    outline = pdf.outline_titles()
    assert len(links) == len(outline)  # one link per outline entry: the same anchors


def test_the_contents_page_numbers_are_the_pages_its_sections_start_on(client, ctx, tmp_path):
    pdf = fetch(client, demo_assessment(client, ctx), tmp_path)
    starts = pdf.outline()
    laid_out = subprocess.run(
        ["pdftotext", "-layout", "-f", "2", "-l", "2", str(pdf.path), "-"], capture_output=True, text=True, check=True
    ).stdout
    printed = [
        (m["title"].strip(), int(m["page"]))
        for m in re.finditer(r"^\s*(?P<title>\S.*?)\s{2,}(?P<page>\d+)\s*$", laid_out, flags=re.M)
    ]
    assert [page for _, page in printed] == [page for _, page in starts]
    assert all(title.startswith(shown[:20]) for (title, _), (shown, _) in zip(starts, printed, strict=True))
    assert [page for _, page in starts] == sorted(page for _, page in starts) and starts[0][1] >= 3


def test_findings_carry_severity_badges_and_the_roadmap_opens_with_an_overview_table(client, ctx, tmp_path):
    aid = demo_assessment(client, ctx)
    pdf = fetch(client, aid, tmp_path)
    findings = client.get(f"/api/v1/assessments/{aid}/result").json()["result"]["findings"]
    assert findings and not re.search(r"\[(warning|critical|info)\]", pdf.text, flags=re.I)
    words = {"critical": "Critical", "warning": "Warning", "info": "Note"}
    for finding in findings:
        assert pdf.has(f"{words[finding['severity']]} {finding['title']}"), finding["title"]
    overview = pdf.text[pdf.text.index("Overview", pdf.text.index("Steps are ordered")) :]  # not the contents line
    assert re.match(r"Overview\s+Step\s+When\s+Owner\s+Effort\s+Impact\s+Status\s+Due", overview)
    steps = [i for i in client.get(f"/api/v1/assessments/{aid}/roadmap").json()["items"] if i["triggered"]]
    table = squash(overview.split("Now: this quarter")[0])
    for item in steps:
        assert squash(f"{item['position']}. {item['title']}") in table, item["title"]


def test_the_roadmap_in_the_pdf_carries_kolskys_warning_merged_credits_and_the_small_variant(client, ctx, tmp_path):
    from backend.reports import why

    org = make_org(client, "Corner Florist", size="a single shop")
    aid = make_assessment(client, org, "2026-Q1")
    answer_persona(client, ctx, aid, "anonymous")
    items = client.get(f"/api/v1/assessments/{aid}/roadmap").json()["items"]
    merged = next(i for i in items if i["recommendation_id"] == "sf_mention_monitoring")
    assert merged["merged"] == ["solis_listening_programme"] and merged["credits"] == [
        "Christopher Surdak",
        "Brian Solis",
    ]
    opening = next(i for i in items if i["opens_channel"])
    assert merged["variant"] == "small" and merged["owner_role"] == "Owner or manager"
    pdf = fetch(client, aid, tmp_path)
    assert pdf.has(why.CHANNEL_CAUTION) and pdf.has("Cost of leaving:") and pdf.has(opening["title"])
    assert pdf.has("Models: Christopher Surdak; Brian Solis") and pdf.has(why.merged_text(2))
    assert pdf.has(why.SMALL_VARIANT)
    # The answers behind a step, as the page and the console show them.
    assert pdf.has("How widely and how continuously do you track what is said about your brand")


def persona_assessment(client, ctx, persona="brand-monitor"):
    aid = make_assessment(client, make_org(client, "Corner Florist"), "2026-Q1")
    answer_persona(client, ctx, aid, persona)
    return aid


def test_the_methodology_section_links_the_methodology_page_and_the_appendix_shows_no_question_ids(
    client, ctx, tmp_path
):
    aid = persona_assessment(client, ctx)
    pdf = fetch(client, aid, tmp_path)
    method = pdf.text.split("Methodology and credits")[-1]
    assert (
        "not assessed" in method
        and "provisional" in method
        and "distance from the next rung" in " ".join(method.split())
    )
    assert pdf.has("The full methodology, with the reasons for each rule, is on https://testserver.local/methodology.")
    links = [a.get_object().get("/A", {}).get("/URI") for page in pdf.reader.pages for a in page.get("/Annots", [])]
    assert "https://testserver.local/methodology" in links
    appendix = pdf.text.split("Appendix: every answer")[-1].split("Methodology and credits")[0]
    questions = [q for plan in ctx.content.plans.values() for q in plan.questions.values()]
    assert any(q.text[:40] in " ".join(appendix.split()) for q in questions)
    for question in questions:
        assert question.id not in appendix, question.id


def test_a_report_made_without_a_server_names_the_methodology_page_by_its_path(client, ctx, tmp_path):
    from backend.reports.render import render_report
    from backend.services.reporting import report_data

    pdf = Pdf(render_report(report_data(ctx, persona_assessment(client, ctx)), "full"), tmp_path)
    assert pdf.has(
        "The full methodology, with the reasons for each rule, is on Tribewise’s methodology page (/methodology)."
    )


def test_an_open_step_past_its_due_quarter_reads_overdue_in_the_pdf(client, ctx, tmp_path):
    aid = persona_assessment(client, ctx)
    late, ahead = client.get(f"/api/v1/assessments/{aid}/roadmap").json()["items"][:2]
    # Whatever the report's date, 2000 is behind it and 2999 ahead of it.
    for item, due in ((late, "2000-Q1"), (ahead, "2999-Q4")):
        patched = client.patch(f"/api/v1/assessments/{aid}/roadmap/{item['id']}", json={"due_period": due})
        assert patched.status_code == 200
    pdf = fetch(client, aid, tmp_path)
    assert pdf.has("Overdue since 2000-Q1") and not pdf.has("Overdue since 2999-Q4")
