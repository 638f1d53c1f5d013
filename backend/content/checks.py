"""Cross-file checks: ids unique, references resolve, conditions make sense."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import yaml

from backend.content.conditions import (
    KINDS,
    AllOf,
    AnswerIs,
    AnswerTest,
    AnyOf,
    FindingPresent,
    ModelValue,
    NotOf,
    walk,
)
from backend.content.errors import ContentIssue, Loc, format_path, line_of
from backend.content.schema import RESERVED_VALUES, Criterion, Questionnaire, Rubric

Parsed = dict[str, tuple]  # key -> (model, file name, yaml node)


class Reporter:
    """Collects issues for one file, turning a location into path and line."""

    def __init__(self, file: str, node: yaml.Node, out: list[ContentIssue]):
        self.file, self.node, self.out = file, node, out

    def __call__(self, loc: Loc, message: str, fix: str) -> None:
        self.out.append(ContentIssue(self.file, format_path(loc), message, fix, line_of(self.node, loc)))


# The one finding the engine raises for the whole assessment (scoring.engine.NOT_ASSESSED_FINDING).
ASSESSMENT_FINDINGS = {"assessment.not_assessed"}


def engine_finding_codes(rubric: Rubric) -> set[str]:
    """Finding codes the scoring engine itself raises for a rubric of this kind."""
    return {"ladder": {f"{rubric.model}.ahead_of_foundation"}, "stages": {f"{rubric.model}.out_of_order"}}.get(
        rubric.kind, set()
    )


# The executive summary prints a finding's or a step's summary after its title: the limit keeps three findings
# and three steps on the one-page summary.
SUMMARY_LIMIT = 160
SUMMARY_FIX = (
    f"add 'summary:', one line of one or two whole sentences ending with a full stop, at most {SUMMARY_LIMIT} "
    "characters: what is wrong or what to do, and why it matters"
)
# A sentence ends where a full stop, question or exclamation mark is followed by a space and a capital letter.
_SENTENCE_END = re.compile(r"[.!?][\"'’”)]*\s+[\"'‘“(]*[A-Z0-9]")


def summary_problems(text: str) -> list[tuple[str, str]]:
    """What keeps a summary from being one line of one or two whole sentences: (message, fix) pairs."""
    found = []
    if "\n" in text or "\r" in text:
        found.append(("the summary runs over more than one line", "write it on one line: a plain line or '>-'"))
    if len(text) > SUMMARY_LIMIT:
        found.append(
            (
                f"the summary is {len(text)} characters long, more than {SUMMARY_LIMIT}",
                f"shorten it to at most {SUMMARY_LIMIT} characters; the explanation or 'what' and 'why' keep the detail",
            )
        )
    if not text.endswith("."):
        found.append(("the summary does not end with a full stop", "end it with a whole sentence and a full stop"))
    if not (text[:1].isupper() or text[:1].isdigit()):
        found.append(("the summary does not start with a capital letter", "start it as a whole sentence"))
    if len(_SENTENCE_END.findall(text)) > 1:
        found.append(("the summary has more than two sentences", "say it in one or two sentences"))
    return found


def _check_summary(report: Reporter, loc: Loc, text: str) -> None:
    for message, fix in summary_problems(text):
        report(loc, message, fix)


def max_level(rubric: Rubric) -> int:
    """The top level (ladder) or stage (stages) of a rubric."""
    return len(rubric.criteria) if rubric.kind == "ladder" else len(rubric.groups)


def _duplicates(report: Reporter, items: Iterable[tuple[Loc, str]], what: str) -> None:
    items = list(items)
    counts = Counter(key for _, key in items)
    for loc, key in items:
        if counts[key] > 1:
            report(loc, f"duplicate {what} '{key}'", f"give each {what} a different id")


class Context:
    """What every reference may point at, gathered from all parsed files."""

    def __init__(self, rubrics: Parsed, questionnaires: Parsed):
        self.rubrics = {k: v[0] for k, v in rubrics.items()}
        self.criteria: dict[str, Criterion] = {}
        self.finding_codes: set[str] = set(ASSESSMENT_FINDINGS)
        self.recommendations: dict[str, list[str]] = {}
        for rubric in self.rubrics.values():
            self.criteria.update({cid: c for cid, c, _ in rubric.criterion_ids()})
            self.finding_codes |= engine_finding_codes(rubric)
            self.finding_codes |= {f"{rubric.model}.{f.id}" for f in rubric.findings}
            self.recommendations.update({r.id: list(r.prerequisites) for r in rubric.recommendations})
        self.questions = {q.id: q for qn, _, _ in questionnaires.values() for q in qn.questions}

    def check_condition(
        self, cond, loc: Loc, report: Reporter, allowed: set[type], earlier: dict | None = None
    ) -> None:
        """Report every reference in `cond` that does not resolve."""
        for atom in walk(cond):
            if type(atom) not in allowed:
                report(
                    loc,
                    f"'{atom.kind()}' cannot be used here",
                    "use only: " + ", ".join(sorted(t.kind() for t in allowed)),
                )
                continue
            if atom.level_ref is not None:
                self._check_level(atom.level_ref, loc, report)
            if atom.criterion_ref is not None and atom.criterion_ref not in self.criteria:
                report(
                    loc,
                    f"unknown criterion '{atom.criterion_ref}'",
                    "use a criterion id defined in rubrics/ (model.group.criterion)",
                )
            if atom.finding_ref is not None and not any(
                atom.finding_ref == c or atom.finding_ref.startswith(c + ".") for c in self.finding_codes
            ):
                report(
                    loc, f"unknown finding '{atom.finding_ref}'", "use one of: " + ", ".join(sorted(self.finding_codes))
                )
            if atom.answer_ref is not None:
                self._check_answer(atom.answer_ref, loc, report, earlier)

    def _check_level(self, mv: ModelValue, loc: Loc, report: Reporter) -> None:
        rubric = self.rubrics.get(mv.model)
        if rubric is None or rubric.kind not in ("ladder", "stages"):
            names = sorted(m for m, r in self.rubrics.items() if r.kind in ("ladder", "stages"))
            report(loc, f"'{mv.model}' has no levels or stages", f"use a model with levels: {', '.join(names)}")
        elif mv.value > max_level(rubric):
            report(
                loc,
                f"{mv.model} goes up to {max_level(rubric)}, not {mv.value}",
                f"use a value from 0 to {max_level(rubric)}",
            )

    def _check_answer(self, test: AnswerTest, loc: Loc, report: Reporter, earlier: dict | None) -> None:
        pool = self.questions if earlier is None else earlier
        question = pool.get(test.question)
        if question is None:
            where = (
                "an earlier question of this questionnaire"
                if earlier is not None
                else "a question defined in questionnaires/"
            )
            report(loc, f"unknown question '{test.question}'", f"refer to {where}")
            return
        allowed = {o.value for o in question.options} | set(RESERVED_VALUES)
        for value in test.values:
            if value not in allowed:
                report(
                    loc, f"'{value}' is not an answer of '{question.id}'", "use one of: " + ", ".join(sorted(allowed))
                )


ALL_ATOMS = set(KINDS.values())
FINDING_ATOMS = ALL_ATOMS - {FindingPresent}
SHOW_IF_ATOMS = {AllOf, AnyOf, NotOf, AnswerIs}


def check_rubric(rubric: Rubric, report: Reporter, ctx: Context) -> None:
    """Check one rubric's ids, conditions and recommendation references."""
    _duplicates(report, ((("criteria", i, "id"), c.id) for i, c in enumerate(rubric.criteria)), "criterion id")
    _duplicates(report, ((("groups", i, "id"), g.id) for i, g in enumerate(rubric.groups)), "group id")
    for gi, group in enumerate(rubric.groups):
        _duplicates(
            report, ((("groups", gi, "criteria", i, "id"), c.id) for i, c in enumerate(group.criteria)), "criterion id"
        )
    _duplicates(report, ((("findings", i, "id"), f.id) for i, f in enumerate(rubric.findings)), "finding id")
    for i, finding in enumerate(rubric.findings):
        _check_summary(report, ("findings", i, "summary"), finding.summary)
        ctx.check_condition(finding.when, ("findings", i, "when"), report, FINDING_ATOMS)
        if finding.critical_if is not None:
            ctx.check_condition(finding.critical_if.when, ("findings", i, "critical_if", "when"), report, FINDING_ATOMS)
    if rubric.worksheet is not None:
        _check_worksheet(rubric, report, ctx)
    for i, rec in enumerate(rubric.recommendations):
        _check_summary(report, ("recommendations", i, "summary"), rec.summary)
        ctx.check_condition(rec.trigger, ("recommendations", i, "trigger"), report, ALL_ATOMS)
        for j, pre in enumerate(rec.prerequisites):
            if pre not in ctx.recommendations:
                report(
                    ("recommendations", i, "prerequisites", j),
                    f"unknown recommendation '{pre}'",
                    "name the id of a recommendation defined in rubrics/",
                )
            elif _reaches(ctx.recommendations, pre, rec.id):
                report(
                    ("recommendations", i, "prerequisites", j),
                    f"'{pre}' leads back to '{rec.id}' (a cycle)",
                    "remove one prerequisite of the cycle",
                )
        if rubric.kind in ("ladder", "stages") and rec.gate > max_level(rubric):
            report(
                ("recommendations", i, "gate"),
                f"gate {rec.gate} is above the top rung {max_level(rubric)}",
                "give the level or stage the work builds, on this model's scale",
            )
        for j, other in enumerate(rec.equivalent):
            if other not in ctx.recommendations or other == rec.id:
                report(
                    ("recommendations", i, "equivalent", j),
                    f"unknown recommendation '{other}'",
                    "name the id of another recommendation defined in rubrics/",
                )


def _check_worksheet(rubric: Rubric, report: Reporter, ctx: Context) -> None:
    sheet = rubric.worksheet
    moments = {m.id for m in sheet.moments}
    _duplicates(report, ((("worksheet", "moments", i, "id"), m.id) for i, m in enumerate(sheet.moments)), "moment id")
    _duplicates(
        report, ((("worksheet", "channels", i, "id"), c.id) for i, c in enumerate(sheet.channels)), "channel id"
    )
    for i, channel in enumerate(sheet.channels):
        for j, cid in enumerate(channel.evidence):
            if cid not in ctx.criteria:
                report(
                    ("worksheet", "channels", i, "evidence", j),
                    f"unknown criterion '{cid}'",
                    "use a criterion id defined in rubrics/",
                )
        for j, mid in enumerate(channel.moments):
            if mid not in moments:
                report(
                    ("worksheet", "channels", i, "moments", j),
                    f"unknown moment '{mid}'",
                    "use one of: " + ", ".join(sorted(moments)),
                )
    for j, cid in enumerate(sheet.steps):
        if cid not in ctx.criteria:
            report(("worksheet", "steps", j), f"unknown criterion '{cid}'", "use a criterion id defined in rubrics/")
    if sheet.recommendation not in ctx.recommendations:
        report(
            ("worksheet", "recommendation"),
            f"unknown recommendation '{sheet.recommendation}'",
            "name the audit recommendation's id",
        )


def _reaches(graph: dict[str, list[str]], start: str, target: str) -> bool:
    seen, stack = set(), [start]
    while stack:
        node = stack.pop()
        if node == target:
            return True
        if node not in seen:
            seen.add(node)
            stack += graph.get(node, [])
    return False


def check_questionnaire(qn: Questionnaire, report: Reporter, ctx: Context) -> None:
    """Check one questionnaire's ids, criteria, allowances and show_if conditions."""
    _duplicates(report, ((("sections", i, "id"), s.id) for i, s in enumerate(qn.sections)), "section id")
    locs = [
        (("sections", si, "questions", qi), q) for si, s in enumerate(qn.sections) for qi, q in enumerate(s.questions)
    ]
    _duplicates(report, ((loc + ("id",), q.id) for loc, q in locs), "question id")
    earlier: dict = {}
    for loc, q in locs:
        criterion = ctx.criteria.get(q.criterion)
        if criterion is None:
            report(
                loc + ("criterion",),
                f"unknown criterion '{q.criterion}'",
                "use a criterion id defined in rubrics/, such as socialfication.level3 or stack.reputation",
            )
        else:
            for flag in ("allow_dont_know", "allow_not_applicable"):
                if getattr(q, flag) and not getattr(criterion, flag):
                    report(loc + (flag,), f"the rubric forbids this for '{q.criterion}'", f"set {flag}: false")
        if q.show_if is not None:
            ctx.check_condition(q.show_if, loc + ("show_if",), report, SHOW_IF_ATOMS, earlier)
        earlier[q.id] = q


def check_bundle(rubrics: Parsed, questionnaires: Parsed) -> list[ContentIssue]:
    """Every cross-reference issue across all rubric and questionnaire files."""
    issues: list[ContentIssue] = []
    ctx = Context(rubrics, questionnaires)
    seen_recs: dict[str, str] = {}
    for rubric, file, node in rubrics.values():
        report = Reporter(file, node, issues)
        check_rubric(rubric, report, ctx)
        for i, rec in enumerate(rubric.recommendations):
            if rec.id in seen_recs and seen_recs[rec.id] != file:
                report(
                    ("recommendations", i, "id"),
                    f"recommendation '{rec.id}' is also defined in {seen_recs[rec.id]}",
                    "give it a different id",
                )
            seen_recs.setdefault(rec.id, file)
    for qn, file, node in questionnaires.values():
        check_questionnaire(qn, Reporter(file, node, issues), ctx)
    return issues
