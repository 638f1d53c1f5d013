"""The report as a ReportLab story: a pure function from report data to flowables."""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import CondPageBreak, Image, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from backend.content.roles import HEADLINE, PROFILE, STAGE, first_of_kind
from backend.labels import (
    CHANNEL_USES,
    DRAFT_HEADER,
    EFFORTS,
    HORIZON_TITLES,
    HORIZON_WORDS,
    IMPACTS,
    KINDS,
    NOT_ASSESSED,
    OVERDUE,
    PROVISIONAL,
    SEVERITIES,
    STAGE_MARKS,
    WORKSHEET_STEP_STATUSES,
    answered_text,
    counted,
    day_text,
    level_figure,
    level_line,
    not_covered_text,
    overdue_text,
    provisional_text,
    quarter_of,
    rung_noun,
    step_status_text,
    word,
)
from backend.reports import charts, why
from backend.reports.contents import ContentsLine
from backend.reports.markup import esc
from backend.reports.styles import ACCENT, BAD, GOOD, INK, RULE, SEVERITY, SHADE, accent_colour, styles
from backend.reports.workshop_story import workshop_appendix
from backend.schemas.report import ReportData
from backend.schemas.views import FindingView, RoadmapItemPublic, title_sentence
from backend.scoring.roadmap import HORIZONS

# The box a logo is scaled into on the cover, keeping its proportions.
LOGO_BOX = (50 * mm, 25 * mm)
SUMMARY_LOGO_BOX = (36 * mm, 14 * mm)  # the one-page summary's head: small enough to keep it on one page
ORDER_NOTE = (
    "Steps are ordered by distance from where you stand in each model: the next rung of each ladder or stage "
    "first, never before their prerequisites; steps several models recommend are one step credited to each. "
    "Steps carried from earlier periods keep their status: a step done stays done."
)


def P(text: str, style: str = "body") -> Paragraph:  # noqa: N802 (reads like a flowable)
    """A paragraph of already-escaped markup."""
    return Paragraph(text, styles()[style])


def T(text: object, style: str = "body", accent: str = "") -> Paragraph:  # noqa: N802
    """A paragraph of user or content text, escaped; a title or heading in the organisation's `accent` colour."""
    return Paragraph(esc(text), styles(accent)[style])


def _pct(value: float | None) -> str:
    return "not assessed" if value is None else f"{value:.0%}"


def _table(rows: list[list], widths: list[float], header: bool = True, heights: list[float] | None = None) -> Table:
    """Rows in ruled lines, the first shaded as a header; `heights` are the least each row may take."""
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, minRowHeights=heights)
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    table.setStyle(TableStyle(commands))
    return table


def _headline(data: ReportData, model) -> str:
    """'Socialfication level <b>2</b> of 5': the model's short title, its rung, the figure and the top rung."""
    name = esc(data.short_titles.get(model.model, model.title))
    return f"{name} {rung_noun(model)} <b>{level_figure(model)}</b> of {len(model.steps)}"


def cover(data: ReportData) -> list:
    """Organisation, period, questionnaire, who answered, the consultants, the date and whether it is final."""
    a = data.assessment
    if data.workshop is not None:
        assessed = f"A workshop of {counted(data.workshop.board.participants, 'participant')}"
    else:
        assessed = ", ".join(data.assessed_by) or "not recorded"
    models = [m for m in data.result.models if m.provisional]
    rows = [
        [T("Period", "cell_bold"), T(a.period, "cell")],
        [T("Kind", "cell_bold"), T(word(KINDS, a.kind), "cell")],
        [T("Questionnaire", "cell_bold"), T(f"{data.questionnaire_title} (version {a.questionnaire_version})", "cell")],
        [T("Answers", "cell_bold"), T(answered_text(a.answered, a.questions), "cell")],
        [
            T("Status", "cell_bold"),
            T(f"Submitted on {day_text(a.submitted_at)}" if a.submitted_at else DRAFT_HEADER, "cell"),
        ],
        *(
            [
                [
                    T("Content", "cell_bold"),
                    T(
                        f"{a.content_change.message}. Scored with today's version {a.content_change.current_version}; "
                        "confirm the change on the questionnaire before submitting.",
                        "cell",
                    ),
                ]
            ]
            if a.content_change
            else []
        ),
        [T("Answered by", "cell_bold"), T(assessed, "cell")],
        *([[T("Consultant", "cell_bold"), T(", ".join(data.consultants), "cell")]] if data.consultants else []),
        *(
            [
                [
                    T(PROVISIONAL, "cell_bold"),
                    P("<br/>".join(esc(f"{m.title} — {provisional_text(m)}") for m in models), "cell"),
                ]
            ]
            if models
            else []
        ),
        *([] if a.submitted_at else [[T("Report date", "cell_bold"), T(day_text(data.generated_at), "cell")]]),
    ]
    return [
        *(_logo(data.logo) if data.logo else [Spacer(1, 30 * mm)]),
        P("Social customer maturity", "subtitle"),
        T(data.organisation.name, "title", data.accent),
        T(f"Assessment and roadmap, {a.period}", "subtitle"),
        Spacer(1, 10 * mm),
        _table(rows, [40 * mm, 120 * mm], header=False),
        Spacer(1, 12 * mm),
        P(
            "Measured against the models of Christopher Surdak, Brian Solis, Thomas Vander Wal and Paul Greenberg, "
            "Dave Evans, Chris Carfi and Kira Wampler (see Methodology and credits).",
            "small",
        ),
    ]


def _logo(logo: bytes, box: tuple[float, float] = LOGO_BOX, above: float = 12 * mm, below: float = 8 * mm) -> list:
    """The organisation's logo (a PNG, or an SVG drawn as shapes) at the head of the cover or the summary, as large
    as fits `box` with its proportions kept, with space above and below it."""
    if logo.lstrip().startswith(b"<"):
        from svglib.svglib import svg2rlg  # only a report with an SVG logo pays for loading it (lxml and all)

        drawing = svg2rlg(io.BytesIO(logo))
        scale = min(box[0] / drawing.width, box[1] / drawing.height)
        drawing.scale(scale, scale)
        drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
        drawing.hAlign = "LEFT"
        shown = drawing
    else:
        width, height = ImageReader(io.BytesIO(logo)).getSize()
        scale = min(box[0] / width, box[1] / height)
        shown = Image(io.BytesIO(logo), width=width * scale, height=height * scale, hAlign="LEFT")
    return [Spacer(1, above), shown, Spacer(1, below)]


def summary(data: ReportData, one_page: bool = False) -> list:
    """Level, stage, three findings, first three steps, change since the previous period."""
    sf, solis = first_of_kind(data.result.models, HEADLINE), first_of_kind(data.result.models, STAGE)
    out = [T("Executive summary", "h1", data.accent)]
    headline = []
    if sf:
        headline.append([P(_headline(data, sf), "h3"), P(_headline(data, solis) if solis else "", "h3")])
        headline.append([T(level_line(sf), "big"), T(level_line(solis) if solis else "", "big")])
        if (sf and sf.provisional) or (solis and solis.provisional):
            headline.append([T(provisional_text(sf), "small"), T(provisional_text(solis) if solis else "", "small")])
    headline.append(
        [
            T(
                f"Confidence: {data.result.confidence.label} (coverage {_pct(data.result.confidence.coverage)})",
                "small",
            ),
            T("", "small"),
        ]
    )
    out.append(Table(headline, colWidths=[87 * mm, 87 * mm]))
    out.append(Spacer(1, 4))
    out.append(T("What stands out", "h3"))
    findings = data.result.findings[:3]
    out += [P(f"<b>{esc(f.title)}</b>{_then(f)}", "body") for f in findings] or [
        T("No findings: the answers show no gap that needs flagging.")
    ]
    out.append(T("First three steps", "h3"))
    first = [i for i in data.roadmap.items if i.triggered][:3]
    out += [
        P(
            f"{n}. <b>{esc(i.title)}</b> ({esc(HORIZON_TITLES.get(i.horizon, i.horizon))}; "
            f"owner: {esc(i.owner or i.owner_role)}){_then(i)}"
        )
        for n, i in enumerate(first, 1)
    ] or [T("No steps triggered.")]
    out.append(T("Since the previous period", "h3"))
    out.append(_change(data))
    if sf and not one_page:
        out.append(CondPageBreak(60 * mm))
    return out


def _then(item: FindingView | RoadmapItemPublic) -> str:
    """' — ' and the summary as its author wrote it, whole; nothing where a finding or step frozen before
    summaries existed has only its title to say."""
    if item.summary == title_sentence({"title": item.title}):
        return ""
    return f" — {esc(item.summary)}"


def _change(data: ReportData) -> Paragraph:
    change = data.change
    if change is None:
        return T("This is the first assessment on record: the next one will show what changed.")
    parts = [f"Compared with {change.before.period}:"]
    titles = {m.model: m.title for m in data.result.models}
    for model, (before, after) in change.levels.items():
        parts.append(
            f"{titles.get(model, model)} {NOT_ASSESSED if before is None else before} → "
            f"{NOT_ASSESSED if after is None else after};"
        )
    parts.append(f"{len(change.improved)} criteria improved, {len(change.regressed)} regressed;")
    parts.append(f"{len(change.findings_resolved)} findings resolved, {len(change.findings_new)} new;")
    parts.append(f"{len(change.roadmap_done)} roadmap steps done.")
    return T(" ".join(parts))


def chart_pages(data: ReportData) -> list:
    """The ladder, the Solis heat map, the stack radar and the trend over periods."""
    criteria = {c.id: c for c in data.result.criteria}
    out = [PageBreak(), T("Where you stand", "h1", data.accent)]
    not_covered = not_covered_text(data.result.models, criteria, data.questionnaire_title)
    covered = [m for m in data.result.models if m.covered]
    ladder, stages, profile = (first_of_kind(covered, kind) for kind in (HEADLINE, STAGE, PROFILE))
    if ladder:
        out += [
            T(f"{ladder.title} ({ladder.author})", "h2"),
            charts.level_ladder(ladder, data.floor_name),
            T(
                "Each level counts only when every level below it is in place; pale rungs are in place but ahead of their foundation.",
                "small",
            ),
        ]
    if stages:
        out += [
            T(f"{stages.title} ({stages.author})", "h2"),
            charts.solis_heatmap(stages, criteria),
            T(
                "Green: in place. Amber: under way. Grey: absent. Hatched in a dashed frame: not assessed (too few answers). "
                + STAGE_MARKS,
                "small",
            ),
        ]
    if profile:
        stack = [criteria[c] for c in profile.criteria if criteria[c].status != "not asked"]
        out += [CondPageBreak(90 * mm), T(f"{profile.title} ({profile.author})", "h2")]
        if len(stack) >= charts.RADAR_MIN:
            out.append(charts.stack_radar(stack, accent=accent_colour(data.accent)))
        else:
            out += [T(f"{c.name}: {_pct(c.score) if c.assessed else c.status}") for c in stack]
    if not_covered:
        out.append(T(not_covered + ".", "small"))
    out += [
        CondPageBreak(70 * mm),
        T("Progress over time", "h2"),
        charts.trend(data.history, accent=accent_colour(data.accent)),
    ]
    return out


def findings(data: ReportData) -> list:
    """Every finding with why: the answers behind it, and the model it comes from."""
    out = [PageBreak(), T("Findings", "h1", data.accent)]
    if not data.result.findings:
        return out + [T("No findings for this assessment.")]
    questions = {q.question.id: q.question for q in data.questions}
    authors = {m.model: m.author for m in data.result.models}
    for f in data.result.findings:
        block = [
            P(f"{severity_badge(f.severity)} <b>{esc(f.title)}</b>", "h3"),
            T(f.explanation),
        ]
        for line in why.answer_lines(f.answers, questions)[:6]:
            block.append(T(f"• {why.answer_sentence(line)}", "small"))
        if f.model in authors:  # the not-assessed finding belongs to the assessment, not to a model
            block.append(T(f"Model: {authors[f.model]}", "small"))
        out.append(KeepTogether(block))
    return out


def severity_badge(severity: str) -> str:
    """A severity as a labelled badge: its word in white on its colour, so grey print still reads the word."""
    colour = SEVERITY.get(severity, INK).hexval()[2:]
    return f'<font backColor="#{colour}" color="#ffffff">\u00a0{esc(word(SEVERITIES, severity))}\u00a0</font>'


def roadmap(data: ReportData) -> list:
    """The roadmap by horizon with why, effort, impact, owner, success measure and status: an overview table first,
    then each step in detail."""
    out = [PageBreak(), T("Roadmap", "h1", data.accent), T(ORDER_NOTE, "small")]
    out += roadmap_overview(data)
    questions = {q.question.id: q.question for q in data.questions}
    answers = why.reason_answers(
        {c.id: c.answers for c in data.result.criteria}, {f.id: f.answers for f in data.result.findings}, questions
    )
    today = quarter_of(data.generated_at)
    for horizon in HORIZONS:
        items = [i for i in data.roadmap.items if i.horizon == horizon and i.triggered]
        out.append(T(HORIZON_TITLES[horizon], "h2"))
        if not items:
            out.append(T("Nothing planned for this horizon."))
        for item in items:
            out += _roadmap_item(item, data.roadmap.period, today, answers, questions)
    carried = [i for i in data.roadmap.items if not i.triggered]
    if carried:
        out.append(T("Carried steps no longer triggered", "h2"))
        for item in carried:
            out += _roadmap_item(item, data.roadmap.period, today, answers, questions)
    if data.roadmap.deferred:
        out.append(T(f"{len(data.roadmap.deferred)} further recommendations wait for the next assessment.", "small"))
    return out


def roadmap_overview(data: ReportData) -> list:
    """Every step on one table: when, who, how big, how far along and when due, before the detail."""
    items = [i for h in HORIZONS for i in data.roadmap.items if i.horizon == h and i.triggered]
    items += [i for i in data.roadmap.items if not i.triggered]
    if not items:
        return []
    today = quarter_of(data.generated_at)
    head = ["Step", "When", "Owner", "Effort", "Impact", "Status", "Due"]
    rows = [[T(h, "cell_bold") for h in head]]
    for item in items:
        late = overdue_text(item.status, item.due_period, today)
        rows.append(
            [
                T(f"{item.position}. {item.title}" if item.position else item.title, "cell"),
                T(word(HORIZON_WORDS, item.horizon if item.triggered else ""), "cell"),
                T(item.owner or item.owner_role, "cell"),
                T(word(EFFORTS, item.effort), "cell"),
                T(word(IMPACTS, item.impact), "cell"),
                T(step_status_text(item.status, item.done_since, data.roadmap.period), "cell"),
                T(f"{item.due_period or '—'}{f' ({OVERDUE})' if late else ''}", "cell"),
            ]
        )
    widths = [52 * mm, 16 * mm, 32 * mm, 17 * mm, 17 * mm, 22 * mm, 18 * mm]
    return [CondPageBreak(40 * mm), T("Overview", "h2_over_table"), _table(rows, widths)]


def _roadmap_item(item, period: str, today: str, answers: dict, questions: dict) -> list:
    late = overdue_text(item.status, item.due_period, today)
    status = step_status_text(item.status, item.done_since, period) + (
        f", carried from {item.carried_from_period}" if item.carried_from_period else ""
    )
    title = f"{item.position}. {item.title}" if item.position else item.title
    credits = item.credits or [item.credit]
    model = f"<b>{'Models' if len(credits) > 1 else 'Model'}:</b> {esc(why.credit_text(credits))}"
    if len(credits) > 1:
        model += f" <i>{esc(why.merged_text(len(credits)))}</i>"
    facts = (
        f"<b>Effort</b> {esc(word(EFFORTS, item.effort))} · <b>Impact</b> {'●' * item.impact}{'○' * (3 - item.impact)} · "
        f"<b>Owner role</b> {esc(item.owner_role)} · <b>Owner</b> {esc(item.owner or 'not yet assigned')} · "
        f"<b>Status</b> {esc(status)} · <b>Due</b> {esc(item.due_period or '—')}<br/>"
        f"<b>Success measure:</b> {esc(item.success_measure)}<br/>{model}"
    )
    out = [T(title, "h3")]
    if late:
        out.append(P(f"<b>{esc(late)}</b>", "small"))
    if item.variant == "small":
        out.append(P(f"<i>{esc(why.SMALL_VARIANT)}</i>", "small"))
    out += [T(item.what), P(f"<b>Why:</b> {esc(item.why)}", "body")]
    if item.opens_channel:
        out.append(P(f"<b>{esc(why.CHANNEL_CAUTION)}</b> {esc(why.caution_text(item.opens_channel))}", "body"))
    lines = why.why_lines(item.reasons, answers, questions)
    if lines:
        out.append(P("<i>Triggered by:</i>", "small"))
    for text, behind in lines:
        out.append(T(f"• {text}", "small"))
        out += [T(f"    – {why.answer_sentence(line)}", "small") for line in behind[:6]]
    if not item.triggered:
        out.append(T("Carried from an earlier period because it is still open.", "small"))
    return out + [P(facts, "facts")]


WRITING_ROW = 9 * mm  # a row left blank on paper: tall enough to write in by hand


def worksheet(data: ReportData) -> list:
    """Kira Wampler's feedback-channel audit as the team left it: steps with owners and status, channels x moments of
    truth with the team's corrections marked, gaps and overlaps counted from them."""
    sheet = data.worksheet
    if sheet is None:
        return []
    out = [
        PageBreak(),
        T("Feedback-channel audit worksheet (Kira Wampler)", "h1", data.accent),
        T(
            "Five steps to get ahead of the next public complaint. Channels come from your answers where known, with "
            "the team's corrections where it made any; blank rows are for the workshop to add channels the "
            "questionnaire did not cover.",
            "small",
        ),
    ]
    steps = [[T(h, "cell_bold") for h in ("Step", "What", "Owner", "Status", "Now")]]
    for s in sheet.steps:
        what = f"<b>{esc(s.title)}</b>: {esc(s.detail)}" + (f"<br/><i>Note:</i> {esc(s.note)}" if s.note else "")
        owner = (f"{esc(s.owner_name)}<br/>" if s.owner_name else "") + f"<i>{esc(s.owner)}</i>"
        steps.append(
            [
                T(s.number, "cell"),
                P(what, "cell"),
                P(owner, "cell"),
                T(WORKSHEET_STEP_STATUSES[s.status], "cell"),
                T(_pct(s.score), "cell"),
            ]
        )
    out += [T("The five steps", "h2"), _table(steps, [12 * mm, 92 * mm, 34 * mm, 20 * mm, 16 * mm])]
    out.append(
        T(
            "Owner: the person the team named, above the role the audit suggests. Now: how far the answers say the step is.",
            "small",
        )
    )
    if data.audit_owner:
        out.append(T(f"Accountable for the audit: {data.audit_owner}", "small"))
    # The heading moves with the grid, which stays on one page (the grid is kept together below).
    out += [CondPageBreak(125 * mm), T("Channels and moments of truth", "h2")]
    header = [T("Channel", "cell_bold"), T("In use?", "cell_bold")] + [T(m.name, "cell") for m in sheet.moments]
    rows = [header]
    for channel in sheet.channels:
        marks = [("●" if channel.use == "in use" else "○") if m.id in channel.moments else "" for m in sheet.moments]
        marks = [mark + ("†" if m.id in channel.changed else "") for mark, m in zip(marks, sheet.moments, strict=True)]
        use = _use_words(channel.use) + ("†" if channel.use_changed else "")
        rows.append([T(channel.name, "cell"), T(use, "cell")] + [T(x, "cell") for x in marks])
    rows += [[T("", "cell"), T("", "cell")] + [T("", "cell") for _ in sheet.moments] for _ in range(3)]
    rows.append(
        [T("Gaps and overlaps", "cell_bold"), T("", "cell")]
        + [
            P(
                f'<font color="#{BAD.hexval()[2:]}">gap</font>'
                if m.gap
                else (
                    f'<font color="#{ACCENT.hexval()[2:]}">overlap</font>'
                    if m.overlap
                    else f'<font color="#{GOOD.hexval()[2:]}">covered</font>'
                ),
                "cell",
            )
            for m in sheet.moments
        ]
    )
    width = (174 - 56) / len(sheet.moments)
    # The three blank rows are for the workshop to write in by hand.
    heights = [0] + [14] * len(sheet.channels) + [WRITING_ROW] * 3 + [14]
    grid = _table(rows, [36 * mm, 20 * mm] + [width * mm] * len(sheet.moments), heights=heights)
    # Narrow padding in the moments' columns, so their names wrap between words, never inside one ('re commend').
    grid.setStyle(
        TableStyle(
            [
                ("LINEBEFORE", (2, 0), (-1, -1), 0.4, RULE),
                ("LEFTPADDING", (2, 0), (-1, -1), 3),
                ("RIGHTPADDING", (2, 0), (-1, -1), 3),
            ]
        )
    )
    out += [
        KeepTogether([grid]),  # the grid on one page, so a workshop reads each channel against every moment
        T(
            "● the channel captures feedback at this moment and is in use; ○ it could, but is not in use or not known; "
            "† changed by the team. A gap is a moment no channel in use covers; an overlap is one several cover, to "
            "coordinate so nothing falls between them.",
            "small",
        ),
    ]
    changes = [_channel_changes(channel, {m.id: m.name for m in sheet.moments}) for channel in sheet.channels]
    changes = [line for line in changes if line]
    if changes:
        out.append(T("Changed by the team", "h3"))
        out += [T(f"• {line}", "small") for line in changes]
    return out


def _use_words(use: str) -> str:
    """'in use', 'not in use', 'not known': the scoring's word for a channel's use as pages say it."""
    return CHANNEL_USES[use.replace(" ", "_")].lower()


def _channel_changes(channel, names: dict[str, str]) -> str:
    """'Ratings and reviews: marked in use (the answers say not in use); ticked Buy; unticked Use day to day', or ''."""
    parts = []
    if channel.use_changed:
        parts.append(f"marked {_use_words(channel.use)} (the answers say {_use_words(channel.answered_use)})")
    for verb, ticked in (("ticked", True), ("unticked", False)):
        moments = [name for m, name in names.items() if m in channel.changed and (m in channel.moments) == ticked]
        if moments:
            parts.append(f"{verb} {', '.join(moments)}")
    return f"{channel.name}: {'; '.join(parts)}" if parts else ""


def appendix(data: ReportData) -> list:
    """Every question with its answer, note and evidence; then methodology and credits."""
    out = [PageBreak(), T("Appendix: every answer", "h1", data.accent)]
    section = None
    for item in data.questions:
        if item.section != section:
            section = item.section
            out.append(T(section, "h2"))
        answer = item.answer
        lines = [f"<b>{esc(item.question.text)}</b>", f"Answer: {esc(item.label)}"]
        if answer and answer.reason:
            lines.append(f"Why not applicable: {esc(answer.reason)}")
        if answer and answer.note:
            lines.append(f"Note: {esc(answer.note)}")
        if answer and answer.evidence:
            lines.append(f"Evidence: {esc(answer.evidence)}")
        out.append(P("<br/>".join(lines), "answer"))
    out += [PageBreak(), T("Methodology and credits", "h1", data.accent), P(method_text(data.base_url))]
    for credit in data.credits:
        out += [
            T(f"{credit.title} — {credit.author}", "h3"),
            T(credit.summary, "small"),
            T(f"Source: {credit.source}", "small"),
        ]
    return out


METHOD = (
    "Each question feeds one criterion of one model, and a criterion is assessed only when at least half of its "
    "questions have a real answer; below that it is not assessed, neither in place nor missing, and \u2018don\u2019t know\u2019 "
    "counts as unanswered. An assessed criterion is in place when its score reaches the model\u2019s threshold, or when "
    "every answered question about its defining practice is answered \u2018mostly\u2019 or better and its score is at least half. "
    "Surdak\u2019s levels and Solis\u2019s stages are gated: the level is the highest rung in place with no assessed gap below "
    "it, while a rung that was not assessed neither passes nor blocks, and the level is then marked provisional and "
    "names those rungs. No finding or roadmap step rests on \u2018don\u2019t know\u2019 alone, and a finding stays critical only "
    "when the gap is certain, that is when the answered questions show it whatever the unknown ones would say. "
    "The roadmap orders its steps by their distance from the next rung of each model, prerequisites first, merges "
    "steps that several models recommend for the same work into one step credited to each, and gives a small "
    "organisation the smaller version of a step where there is one. "
    "Questions and recommendations are Tribewise\u2019s own words; the models are their authors\u2019."
)


def method_text(base_url: str = "") -> str:
    """The methodology summary as paragraph markup, ending with where the full methodology is: a link when the
    report knows the server it came from, else the page's path."""
    if base_url:
        url = esc(f"{base_url.rstrip('/')}/methodology")
        where = f'<a href="{url}" color="#0b5394">{url}</a>'
    else:
        where = "Tribewise\u2019s methodology page (/methodology)"
    return f"{esc(METHOD)} The full methodology, with the reasons for each rule, is on {where}."


def contents(body: list, accent: str = "") -> list:
    """A contents page linking to every section heading of the body (the same anchors the outline uses), each with
    its page number, written in when the document is finished so the report still lays out in one pass."""
    out = [PageBreak(), T("Contents", "contents", accent)]
    for n, heading in enumerate(headings(body)):
        style = "toc1" if heading.style.name == "H1" else "toc2"
        text = f'<a href="#{anchor(n)}" color="#0b5394">{esc(heading.getPlainText())}</a>'
        out.append(ContentsLine(text, styles()[style], anchor(n)))
    return out + [PageBreak()]


def headings(flowables: list) -> list[Paragraph]:
    """The section and subsection headings, in reading order."""
    return [f for f in flowables if isinstance(f, Paragraph) and f.style.name in ("H1", "H2")]


def anchor(n: int) -> str:
    """The bookmark name of the n-th heading."""
    return f"section-{n}"


def full_story(data: ReportData) -> list:
    """The full report."""
    body = (
        summary(data)
        + chart_pages(data)
        + findings(data)
        + roadmap(data)
        + worksheet(data)
        + workshop_appendix(data)
        + appendix(data)
    )
    return cover(data) + contents(body, data.accent) + body


def summary_story(data: ReportData) -> list:
    """The one-page executive variant."""
    a = data.assessment
    head = [
        *(_logo(data.logo, SUMMARY_LOGO_BOX, 0, 3 * mm) if data.logo else []),
        T(data.organisation.name, "h1", data.accent),
        T(f"{a.period} · {word(KINDS, a.kind)} · {day_text(data.generated_at)}", "small"),
    ]
    headline = first_of_kind(data.result.models, HEADLINE)
    ladder = [charts.level_ladder(headline, data.floor_name, width=200, height=130)] if headline else []
    return (
        head
        + summary(data, one_page=True)[1:]
        + ladder
        + [T("Full report, with the roadmap, audit worksheet and every answer: download the full PDF.", "small")]
    )
