"""The workshop appendix of the report: participation, disagreement hotspots, agreed answers, perception gaps."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from backend.content.schema import Question
from backend.labels import answer_label, day_text
from backend.reports.markup import esc
from backend.reports.styles import RULE, SHADE, styles
from backend.schemas.report import ReportData, WorkshopFacts
from backend.schemas.workshops import GroupLevels, GroupStats, QuestionBoard

HEADING = "Appendix: workshop"
HOTSPOTS = 5
SPREAD_NOTE = (
    "Spread is the standard deviation of the participants' option scores divided by its largest possible value (0.5): "
    "0 means everyone chose the same answer, 1 that the group split between the two ends of the scale."
)
UNIT = {"ladder": "level", "stages": "stage"}


def _p(markup: str, style: str = "body") -> Paragraph:
    return Paragraph(markup, styles()[style])


def _t(text: object, style: str = "body", accent: str = "") -> Paragraph:
    return Paragraph(esc(text), styles(accent)[style])


def _grid(rows: list[list], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ]
        )
    )
    return table


def _label(question: Question | None, value: str | None) -> str:
    return "none" if value is None else answer_label(question, value)


def workshop_appendix(data: ReportData) -> list:
    """The workshop appendix, or nothing when the assessment had no workshop."""
    facts = data.workshop
    if facts is None:
        return []
    questions = {a.question.id: a.question for a in data.questions}
    w = facts.board.workshop
    status = "still open" if w.status == "open" else "closed"
    return [
        PageBreak(),
        _t(HEADING, "h1", data.accent),
        _t(
            f"The group answered together in a workshop opened on {day_text(w.created_at)}; it is {status}. "
            "The agreed answers are this assessment's answers; the participants' own answers stay beside them.",
            "small",
        ),
        *participation(facts),
        *hotspots(facts, questions),
        *agreed(facts, questions, [a.question.id for a in data.questions]),
        *perception_gaps(facts),
    ]


def participation(facts: WorkshopFacts) -> list:
    """How many joined and answered, by role and by department; names only when the facilitator turned them on."""
    b = facts.board
    out = [
        _t("Participation", "h2"),
        _t(
            f"{b.participants} joined; {b.answering} answered at least one question; "
            f"answers agreed on {b.agreed} of {b.questions_total} questions."
        ),
    ]
    for title, found in (("Role", facts.gaps.by_role), ("Department", facts.gaps.by_department)):
        rows = [[_t(title, "cell_bold"), _t("Joined", "cell_bold"), _t("Questions answered", "cell_bold")]]
        rows += [[_t(g.group, "cell"), _t(g.participants, "cell"), _t(g.answered, "cell")] for g in found]
        if len(rows) > 1:
            out += [_grid(rows, [90 * mm, 30 * mm, 40 * mm]), Spacer(1, 6)]
    if b.people:
        out.append(_t("Names are shown because the facilitator turned them on.", "small"))
        rows = [[_t(h, "cell_bold") for h in ("Name", "Role", "Department", "Answers")]]
        rows += [
            [_t(p.name, "cell"), _t(p.role or "—", "cell"), _t(p.department or "—", "cell"), _t(p.answered, "cell")]
            for p in b.people
        ]
        out += [_grid(rows, [60 * mm, 45 * mm, 45 * mm, 20 * mm]), Spacer(1, 6)]
    else:
        out.append(_t("Participants are counted, not named: the facilitator kept names off.", "small"))
    return out


def _distribution(row: QuestionBoard) -> str:
    parts = []
    for c in row.counts:
        who = f" ({', '.join(c.names)})" if c.names else ""
        parts.append(f"{esc(c.label)}: <b>{c.count}</b>{esc(who)}")
    return " · ".join(parts)


def _split(title: str, found: list[GroupStats], question: Question | None) -> str:
    parts = [
        f"{esc(g.group)}: {esc(_label(question, g.median_value))}"
        + (f" (itself split, spread {g.spread:.2f})" if g.spread else "")
        for g in found
        if g.spread is not None
    ]
    return f"<b>{title}:</b> " + " · ".join(parts) if parts else ""


def hotspots(facts: WorkshopFacts, questions: dict[str, Question]) -> list:
    """The questions the group split on most, widest spread first, with their distribution and split."""
    out = [_t("Disagreement hotspots", "h2"), _t(SPREAD_NOTE, "small")]
    hot = [r for r in facts.board.questions if r.spread][:HOTSPOTS]
    if not hot:
        return out + [_t("No question split the group: everyone who chose an option chose the same one.")]
    for row in hot:
        question = questions.get(row.question_id)
        facts_line = (
            f"<b>Spread {row.spread:.2f}</b> · median answer: {esc(_label(question, row.median_value))} · "
            f"{row.answered} of {row.participants} answered"
        )
        if row.consensus:
            facts_line += f" · agreed: {esc(_label(question, row.consensus.value))}"
        lines = [
            facts_line,
            _distribution(row),
            _split("By role", row.by_role, question),
            _split("By department", row.by_department, question),
        ]
        out.append(KeepTogether([_t(row.text, "h3"), _p("<br/>".join(x for x in lines if x), "answer")]))
    return out


def agreed(facts: WorkshopFacts, questions: dict[str, Question], order: list[str]) -> list:
    """Every agreed answer with the group's rationale, in questionnaire order."""
    out = [_t("Agreed answers", "h2")]
    rank = {qid: i for i, qid in enumerate(order)}
    rows = sorted((r for r in facts.board.questions if r.consensus), key=lambda r: rank.get(r.question_id, len(rank)))
    if not rows:
        return out + [_t("No answer has been agreed yet.")]
    for row in rows:
        c = row.consensus
        spread = "" if c.spread is None else f" from a spread of {c.spread:.2f}"
        lines = [
            f"Agreed answer: <b>{esc(_label(questions.get(row.question_id), c.value))}</b>",
            f"Rationale: {esc(c.rationale)}" if c.rationale.strip() else "No rationale recorded.",
            f"<font size='7.5'>Agreed on {day_text(c.decided_at)}{spread}, with {c.answered} participants' answers in.</font>",
        ]
        out.append(KeepTogether([_t(row.text, "h3"), _p("<br/>".join(lines), "answer")]))
    return out


def _level(kind: str, level: int | None) -> str:
    return "not assessed" if level is None else f"{UNIT.get(kind, 'level')} {level}"


def _levels_line(title: str, model: str, kind: str, found: list[GroupLevels]) -> Paragraph:
    parts = []
    for g in found:
        mine = next((m for m in g.models if m.model == model), None)
        parts.append(f"{g.group}: " + ("no answers" if not g.answered else _level(kind, mine.level if mine else None)))
    return _p(f"<b>{esc(title)}</b> — " + esc(" · ".join(parts)), "answer")


def perception_gaps(facts: WorkshopFacts) -> list:
    """Levels and stages per role and per department, and the groups furthest apart."""
    g = facts.gaps
    out = [
        _t("Perception gaps", "h2"),
        _t(
            "Each group is scored as if it had answered as one: per question, the option nearest the group's median score.",
            "small",
        ),
    ]
    models = {}
    for group in [g.everyone, *g.by_role, *g.by_department]:
        for m in group.models:
            models.setdefault(m.model, m)
    if not models:
        return out + [_t("Too few answers to place any group on a level or stage yet.")]
    for title, found in (("By role", g.by_role), ("By department", g.by_department)):
        out.append(_t(title, "h3"))
        out += [_levels_line(m.title, m.model, m.kind, found) for m in models.values()]
    whole = " · ".join(f"{m.title}: {_level(m.kind, m.level)}" for m in g.everyone.models)
    out.append(_t(f"The whole group as one: {whole}." if whole else "The whole group as one: not placed yet.", "small"))
    for gap in g.gaps:
        m = models.get(gap.model)
        unit = UNIT.get(m.kind, "level") if m else "level"
        out.append(
            _t(
                f"Widest apart on {m.title if m else gap.model}, by {gap.split}: {gap.lowest} lowest, {gap.highest} highest, "
                f"{gap.difference:.1f} {unit}s apart.",
                "small",
            )
        )
    return out
