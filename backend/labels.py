"""Every user-facing word and number format: one source for the pages, the PDF, the CLI and the exports.

Answer labels, the don't know / not applicable words, statuses, horizons, kinds, efforts, severities,
the progress figure and the words for provisional, not assessed and not covered levels. Pure: it imports
content, scoring and python-slugify only, so the reports, services and web may all use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Protocol

from slugify import slugify

from backend.content.schema import RESERVED_LABELS, Question
from backend.scoring.findings import listed
from backend.scoring.inplace import EPSILON
from backend.scoring.movement import BETTER, LOST, NEW, SAME, UNKNOWN, WORSE
from backend.scoring.workshop import spread_band

NOT_ASSESSED = "Not assessed"
# Beside a level or stage that rests on rungs not assessed (provisional_text says which).
PROVISIONAL = "Provisional"
DRAFT_HEADER = "Draft — answers may still change"  # on every page of a draft's report, and on its cover
DRAFT_MARK = "DRAFT"
# What the marks beside the heat map's stage names say, on the page and in the PDF.
STAGE_MARKS = (
    "✓ marks a stage reached in order; • a stage whose practices are in place but which does not count yet, "
    "because a stage before it is not."
)
# Stage 0 of a stages model: where an organisation stands before it reaches the first stage.
NO_STAGE = "No stage reached"

# -- answers -----------------------------------------------------------------------------------

ANSWER_WORDS = RESERVED_LABELS  # 'dont_know' -> "Don't know", 'not_applicable' -> "Not applicable"
NOT_ANSWERED = "Not answered"
# How an answer's status reads where it has no option label (a contribution that is not a plain answer).
STATUS_WORDS = {**ANSWER_WORDS, "unanswered": NOT_ANSWERED, "hidden": "Not asked"}


def answer_choices(question: Question) -> list[tuple[str, str]]:
    """A question's options, then don't know / not applicable where it allows them, as (value, label)."""
    return [(value, answer_label(question, value)) for value in question.allowed_values()]


def answer_label(question: Question | None, value: str | None) -> str:
    """How an answer value reads: its option label, or what the special values mean ('Not answered' for none)."""
    if value is None:
        return NOT_ANSWERED
    if value in ANSWER_WORDS:
        return ANSWER_WORDS[value]
    return (question.option_label(value) if question is not None else None) or value


# -- assessments and roadmap steps -------------------------------------------------------------

KINDS = {"self_assessment": "Self-assessment", "workshop": "Workshop"}
ITEM_STATUSES = {"planned": "Planned", "in_progress": "In progress", "done": "Done", "dropped": "Dropped"}
HORIZON_TITLES = {"now": "Now: this quarter", "next": "Next quarter", "later": "Later"}
# The short form for a table column; '' is a step carried from an earlier period with no horizon now.
HORIZON_WORDS = {"now": "Now", "next": "Next", "later": "Later", "": "Carried over"}
EFFORTS = {"S": "small", "M": "medium", "L": "large"}
IMPACTS = {1: "modest", 2: "clear", 3: "major"}
SEVERITIES = {"critical": "Critical", "warning": "Warning", "info": "Note"}
SHARE_VARIANTS = {"full": "Full report", "summary": "One-page summary"}


def report_file_name(organisation: str, period: str, variant: str) -> str:
    """'<organisation>-<period>-<full|summary>.pdf': accents spelt in ASCII, nothing a path or a header could misread."""
    return f"{slugify(organisation, max_length=60) or 'organisation'}-{slugify(period)}-{slugify(variant)}.pdf"


def step_status_text(status: str, done_since: str = "", period: str = "") -> str:
    """A roadmap step's status as it reads: 'Done since 2026-Q1' for a step done in an earlier period than the
    roadmap's own, else the status's word."""
    if status == "done" and done_since and done_since != period:
        return f"Done since {done_since}"
    return word(ITEM_STATUSES, status)


# The feedback-channel audit worksheet: a channel in use or not, what a team may say of it, a step's status.
CHANNEL_USES = {"in_use": "In use", "not_in_use": "Not in use", "unknown": "Not known"}
USE_CHOICES = {"as_answers": "As the answers say", "in_use": "In use", "not_in_use": "Not in use"}
WORKSHEET_STEP_STATUSES = {"not_started": "Not started", "in_progress": "In progress", "done": "Done"}


# The due quarter's picker: the choice for a step with no due quarter.
NO_DUE_QUARTER = "No due quarter"
# Why a change to a roadmap step was refused when someone else saved it first (the service's own words name ids).
STEP_CHANGED_ELSEWHERE = "someone else changed this step after this page was loaded"


def quarter_of(day: date) -> str:
    """The quarter a date falls in, as periods read: 2026-12-02 -> '2026-Q4'."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def day_text(moment: date) -> str:
    """A day as a reader writes it: '2 December 2026'."""
    return f"{moment.day} {moment:%B %Y}"


def moment_text(moment: datetime) -> str:
    """A moment in UTC as a reader writes it: '2 December 2026 at 14:05 UTC'."""
    return f"{day_text(moment)} at {moment:%H:%M} UTC"


OVERDUE = "overdue"


def overdue_text(status: str, due_period: str, today: str) -> str:
    """'Overdue since 2026-Q3' for a step neither done nor dropped whose due quarter is before today's; '' otherwise."""
    if status in ("done", "dropped") or not due_period or due_period >= today:
        return ""
    return f"Overdue since {due_period}"


def overdue_count_text(count: int) -> str:
    """'2 steps overdue' at the top of a roadmap ('' when none is)."""
    return f"{counted(count, 'step')} overdue" if count else ""


def word(words: Mapping, key: object) -> str:
    """A key's word from one of the tables above, or the key itself when the table does not know it."""
    return words.get(key, str(key))


# -- form fields and messages ------------------------------------------------------------------

# How a page names a form field in a message: as the form labels it, never by its name in the request.
FIELD_WORDS = {
    "baseline_assessment_id": "Start from the answers of",
    "content_hash": "Content version",
    "days": "Valid for (days)",
    "department": "Your department",
    "draft": "Share the draft anyway",
    "due_period": "Due quarter",
    "email": "Email",
    "evidence": "Evidence",
    "expected_version": "Version",
    "kind": "Kind",
    "moments": "Moments it captures",
    "name": "Name",
    "note": "Note",
    "owner": "Owner",
    "participant_cap": "Participant cap",
    "password": "Password",
    "period": "Period",
    "questionnaire_id": "Questionnaire",
    "rationale": "Rationale",
    "reason": "Why it does not apply",
    "role": "Role",
    "sector": "Sector",
    "show_names": "Show names",
    "size": "Size",
    "status": "Status",
    "use": "In use?",
    "value": "Answer",
    "variant": "Report",
}


# What a page says when something a link or form names is not there: the API's message names the
# database number, which means nothing to a reader, so a page says what is missing and what to do.
_GONE_OR_NOT_YOURS = (
    "the link may be mistyped, it may have been deleted, or it belongs to an organisation you are not a member of"
)
NOT_FOUND_WORDS = {
    "organisation_id": f"We could not find that organisation: {_GONE_OR_NOT_YOURS}.",
    "assessment_id": f"We could not find that assessment: {_GONE_OR_NOT_YOURS}.",
    "other_id": "One of the two periods picked is not an assessment of this organisation; pick two of its periods.",
    "baseline_assessment_id": "The period picked to start from is not an assessment of this organisation; pick one of its periods.",
    "item_id": "This step is no longer on this roadmap; reload the page.",
    "link_id": "That share link does not exist any more; the list of share links shows those that do.",
    "user_id": "That person is not a member here any more; the members list shows who is.",
    "token_id": "That access token is not among yours any more; your account page lists those you have.",
    "workshop": "This assessment has no workshop open; its facilitator opens one from the assessment's workshop page.",
}


def field_word(name: str) -> str:
    """A form field as its label names it ('due_period' -> 'Due quarter'); an unknown one in plain words."""
    return FIELD_WORDS.get(name) or sentence(name.replace("_", " "))


def sentence(text: str) -> str:
    """A message as a page shows it: its first word capitalised ('pick two periods' -> 'Pick two periods')."""
    return text[:1].upper() + text[1:]


# -- numbers -----------------------------------------------------------------------------------


def progress_figure(progress: float) -> str:
    """One decimal, truncated: 2.97 reads 2.9, never 3.0 before level 3 is reached."""
    return f"{int(progress * 10) / 10:.1f}"


def progress_text(progress: float | None, top: int) -> str:
    """'2.9 of 5': the progress figure on its scale, or 'Not assessed' when there is none."""
    return NOT_ASSESSED if progress is None else f"{progress_figure(progress)} of {top}"


def percent_text(value: float) -> str:
    """A score as a whole percentage: 0.4 -> '40 %' (a no-break space, so the sign never wraps alone)."""
    return f"{round(value * 100)}\u00a0%"


def points_text(delta: float) -> str:
    """A change of score in percentage points: '+40 points', '\u221240 points'."""
    n = round(delta * 100)
    sign = "+" if n > 0 else "\u2212" if n < 0 else ""
    return f"{sign}{abs(n)}\u00a0points"


def ratio_text(ratio: float) -> str:
    """A contrast ratio, truncated to one decimal: 4.49 reads '4.4:1', never a 4.5 that was refused."""
    return f"{int(ratio * 10) / 10:.1f}:1"


def kilobytes_text(size: int) -> str:
    """A file's size in whole kilobytes, rounded up: 524289 bytes -> '513 KB' (never a limit's own figure when over it)."""
    return f"{-(-size // 1024)}\u00a0KB"


NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def number_word(n: int) -> str:
    """Zero to ten in words ('three'), larger numbers as figures."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


def counted(count: int, noun: str, nouns: str = "") -> str:
    """'1 answer', '12 answers' ('1 person', '3 people' with the plural given)."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def answered_text(answered: int, total: int, short: bool = False) -> str:
    """'12 of 40 questions answered', or '12 of 40 answered' where the table already says what is counted."""
    return f"{answered} of {total} {'' if short else 'questions ' if total != 1 else 'question '}answered"


# -- criteria and the answers behind them ------------------------------------------------------

# What an answer that adds no score does to its criterion (methodology: "Don't know", "not applicable"...).
NO_SCORE_WORDS = {
    "dont_know": "No score: it lowers the evidence",
    "unanswered": "No score: it lowers the evidence",
    "not_applicable": "Left out: it does not apply",
}


def contribution_text(status: str, score: float | None, weight: float) -> str:
    """What one answer adds to its criterion: its score (and its weight where it is not 1), or why it adds none."""
    if status not in ("answered", "absent") or score is None:
        return NO_SCORE_WORDS.get(status, "")
    text = f"Scores {percent_text(score)}" if status == "answered" else f"Counts as absent: {percent_text(score)}"
    return text if weight == 1 else f"{text}, weighing {weight:g} where most questions weigh 1"


def criterion_verdict(status: str, score: float | None, threshold: float, assessed: bool) -> str:
    """Why a criterion is in place, not in place, not assessed, not applicable or not asked, in one sentence."""
    bar = percent_text(threshold)
    if status == "in place" and not assessed:
        return "In place: the answers given settle it, whatever the questions not answered would say"
    if status == "in place":
        if score is not None and score + EPSILON >= threshold:
            return f"In place: it scores {percent_text(score)}, at or above the bar of {bar}"
        return f"In place: under the bar of {bar}, but every answer on its defining practice is “mostly” or better"
    if status == "not in place" and not assessed:
        return "Not in place: already ruled out by the answers given, whatever the questions not answered would say"
    if status == "not in place":
        return f"Not in place: it scores {percent_text(score or 0.0)}, under the bar of {bar}"
    if status == "not applicable":
        return "Not applicable: every question about it was answered “not applicable” or skipped"
    if status == "not asked":
        return "Not asked: this questionnaire has no question about it"
    return (
        f"{NOT_ASSESSED}: fewer than half of the questions that apply have an answer, so it neither passes nor blocks"
    )


# -- levels ------------------------------------------------------------------------------------


class _Step(Protocol):
    number: int
    name: str


class _Criterion(Protocol):
    name: str
    status: str


class _Model(Protocol):
    kind: str
    title: str
    level: int | None
    level_name: str | None
    progress: float | None
    steps: Sequence[_Step]
    not_assessed: Sequence  # rung numbers (scoring) or rung names (API views)
    provisional: bool
    assessed: bool
    covered: bool
    criteria: Sequence[str]
    confirmed: int | None


def rung_noun(model: _Model) -> str:
    """'stage' for a stages model, 'level' otherwise."""
    return "stage" if model.kind == "stages" else "level"


def level_figure(model: _Model) -> str:
    """The level or stage as a figure, or 'Not assessed' when no rung has evidence."""
    return NOT_ASSESSED if model.level is None else str(model.level)


def level_line(model: _Model) -> str:
    """'Reactive · 2.9 of 5' (the level's name and the progress figure), or why no level is placed."""
    if model.level is None:
        return f"{NOT_ASSESSED}: {not_placed_text(model)}"
    return f"{model.level_name} · {progress_text(model.progress, len(model.steps))}"


def not_placed_text(model: _Model) -> str:
    """Why a model places no level or stage: 'too few answers to place any level'."""
    return f"too few answers to place any {rung_noun(model)}"


def provisional_text(model: _Model) -> str:
    """'Provisional: level 3 (Proactive) was not assessed; level 2 is confirmed', or '' when the level is firm.

    The confirmed level is named whenever it is below the stated one, so a level that climbs over unknown
    rungs never reads as more than the evidence guarantees.
    """
    if not model.provisional or not model.not_assessed:
        return ""
    by_number = {s.number: s for s in model.steps}
    by_name = {s.name: s for s in model.steps}
    rungs = [by_number.get(r) if isinstance(r, int) else by_name.get(r) for r in model.not_assessed]
    named = [f"{s.number} ({s.name})" for s in rungs if s is not None]
    noun = rung_noun(model)
    if len(named) == 1:
        text = f"Provisional: {noun} {named[0]} was not assessed"
    else:
        text = f"Provisional: {noun}s {listed(named)} were not assessed"
    if model.confirmed is not None and model.level is not None and model.confirmed < model.level:
        text += f"; {noun} {model.confirmed} is confirmed"
    return text


def move_text(noun: str, before: int | None, after: int | None, before_period: str, after_period: str) -> str:
    """How a level or stage moved between two periods: 'up one level, from 2 to 3', 'no change, still stage 2',
    'not assessed in 2026-Q1; level 3 in 2026-Q2'. No level is never read as level 0."""
    missing = NOT_ASSESSED.lower()
    if before is None and after is None:
        return f"{missing} in {before_period} or {after_period}"
    if before is None:
        return f"{missing} in {before_period}; {noun} {after} in {after_period}"
    if after is None:
        return f"{noun} {before} in {before_period}; {missing} in {after_period}"
    if before == after:
        return f"no change, still {noun} {after}"
    steps = abs(after - before)
    return f"{'up' if after > before else 'down'} {number_word(steps)} {noun}{'s' if steps > 1 else ''}, from {before} to {after}"


# How a criterion's figure moved between two periods (backend.scoring.movement): a mark that reads without colour,
# and its words.
CHANGE_MARKS = {BETTER: "\u25b2", WORSE: "\u25bc", SAME: "=", NEW: "+", LOST: "\u25cb", UNKNOWN: ""}
CHANGE_WORDS = {
    BETTER: "Better",
    WORSE: "Worse",
    SAME: "Same",
    NEW: "Newly assessed",
    LOST: "No longer assessed",
    UNKNOWN: NOT_ASSESSED,
}


def change_text(kind: str, before: float | None, after: float | None, not_asked_in: str = "") -> str:
    """A change in a few words, its mark first: '\u25b2 Better, +40 points', '+ Newly assessed', 'Not assessed';
    '\u25cb Not asked in 2027-Q1' where a figure is missing because that period's questionnaire did not ask."""
    if not_asked_in and kind in (NEW, LOST):
        return f"{CHANGE_MARKS[kind]} Not asked in {not_asked_in}"
    text = f"{CHANGE_MARKS[kind]} {CHANGE_WORDS[kind]}".strip()
    if kind in (BETTER, WORSE) and before is not None and after is not None:
        text += f", {points_text(after - before)}"
    return text


def cell_text(kind: str, before: float | None, after: float | None, not_asked_in: str = "") -> str:
    """A change as a chart's cell shows it under the element's name: '\u25b2 Better: 40 % \u2192 80 %',
    '= Same: 60 %', '+ Newly assessed: 60 %', '\u25cb No longer assessed', 'Not assessed'."""
    words = (
        f"{CHANGE_MARKS[kind]} {CHANGE_WORDS[kind]}"
        if kind in (BETTER, WORSE)
        else change_text(kind, before, after, not_asked_in)
    )
    if kind in (BETTER, WORSE) and before is not None and after is not None:
        return f"{words}: {percent_text(before)} \u2192 {percent_text(after)}"
    if kind in (SAME, NEW) and after is not None:
        return f"{words}: {percent_text(after)}"
    return words


def not_covered_text(models: Iterable[_Model], criteria: Mapping[str, _Criterion], questionnaire_title: str) -> str:
    """One line for what a questionnaire does not ask about: whole models by title, and for a model it
    asks about in part, the criteria it leaves out; '' when it asks about everything."""
    parts = []
    for model in models:
        left_out = [criteria[c].name for c in model.criteria if c in criteria and criteria[c].status == "not asked"]
        if not model.covered:
            parts.append(model.title)
        elif left_out:
            parts.append(f"{model.title} ({', '.join(left_out)})")
    if not parts:
        return ""
    return f"Not covered by the {questionnaire_title[:1].lower()}{questionnaire_title[1:]}: {'; '.join(parts)}"


# -- workshop presenter screen (issue 19) ------------------------------------------------------
# How the projector reads the room, by the spread bands of backend/scoring/workshop.py (spread_band): the spread
# is the standard deviation of the answers' option scores over its largest possible value, 0.5: 0 when everyone
# chose the same option, 1 when half the room sits at each end of the scale. On a four-option question with evenly
# spaced scores (0, 1/3, 2/3, 1):
#   9 in 10 on one option, 1 on the next: 0.20          3 in 4 on one option, 1 on the next: 0.29
#   half and half on two neighbouring options: 0.33      half and half two options apart: 0.67
#   evenly over all four options: 0.75                   half and half at the two ends: 1.00
# A low spread: nearly all the room chose one option and the rest its neighbour ("agrees"); a high one: sizeable
# groups sit two or more options apart ("split"); between, the room is spread over neighbouring options and the
# option nearest its median is where it leans. Fewer than ROOM_FEWEST answers with an option say nothing about a
# room (one person always "agrees" with themself).
ROOM_FEWEST = 3
PRESENTER_WAITING = "Waiting for answers"
PRESENTER_CLOSED = "Answers closed"
PRESENTER_NO_STEPS = "No next steps yet: the answers recorded so far trigger none."


def quoted(text: str) -> str:
    """Text in curly quotes, as the room reads an answer."""
    return f"\u201c{text}\u201d"


def room_position(number: int, total: int, section_number: int, section_title: str) -> str:
    """Where the room is, as the projector and the phones head the question: 'Question 12 of 40 · Section 3:
    Listening'."""
    return f"Question {number} of {total} \u00b7 Section {section_number}: {section_title}"


def answered_of_text(answered: int, joined: int) -> str:
    """'18 of 35 have answered' ('1 of 35 has answered')."""
    return f"{answered} of {joined} {'has' if answered == 1 else 'have'} answered"


def joined_text(joined: int) -> str:
    """'35 people have joined' ('Nobody has joined yet', '1 person has joined')."""
    if not joined:
        return "Nobody has joined yet"
    return f"{joined} {'person has' if joined == 1 else 'people have'} joined"


def most_answered_text(counts: Sequence) -> str:
    """'Most answered “Most of them”' (the answer given most, 'don't know' included); two tied are named together,
    more than two are not (the room's words say it is spread); '' when nobody answered. `counts` are scoring's
    Count (value, label, score, count)."""
    top = max((c.count for c in counts), default=0)
    tied = [quoted(c.label) for c in counts if c.count == top]
    if not top or len(tied) > 2:
        return ""
    if len(tied) == 1:
        return f"Most answered {tied[0]}"
    return f"Most answered {listed(tied)}, tied"


def room_text(stats, question: Question) -> str:
    """Where the room stands on a question, from its spread (thresholds above): 'The room agrees on “X”',
    'The room leans towards “X”', 'The room is split', or that too few chose an option to say."""
    if stats.spread is None or stats.scored < ROOM_FEWEST:
        return "Too few answers to say where the room stands"
    middle = quoted(answer_label(question, stats.median_value))
    band = spread_band(stats.spread)
    if band == "low":
        return f"{SPREAD_WORDS['low']} on {middle}"
    if band == "some":
        return f"The room leans towards {middle}"
    return SPREAD_WORDS["high"]


def ending_text(model: _Model) -> str:
    """The end screen's level or stage: 'Level 2: Reactive', 'Stage 0: No stage reached', or why it is not assessed."""
    if model.level is None:
        return f"{NOT_ASSESSED}: {not_placed_text(model)}"
    name = model.level_name or (NO_STAGE if model.kind == "stages" else "")
    return f"{rung_noun(model).capitalize()} {model.level}{f': {name}' if name else ''}"


# -- the workshop facilitator's console (issue 19) ---------------------------------------------------------
# How far a room agrees on a question, by the bands of backend/scoring/workshop.py (spread_band).
SPREAD_WORDS = {
    "low": "The room agrees",
    "some": "Some disagreement",
    "high": "The room is split",
    None: "No answers yet",
}
# Short marks beside the words, so the state never rests on colour alone.
SPREAD_MARKS = {"low": "●", "some": "◐", "high": "○", None: "–"}
NOT_AGREED = "Not agreed"
RATIONALE_NEEDED = "The room disagreed on this question: say in a sentence why the group settled on this answer"
MEDIAN_RATIONALE = "Accepted the group's median (low spread)"


def spread_words(band: str | None) -> str:
    """How the room stands on a question, in words: 'The room is split'."""
    return SPREAD_WORDS.get(band, SPREAD_WORDS[None])


def agreed_text(label: str) -> str:
    """The confirmation after recording a consensus: "Saved: agreed 'Most of them'"."""
    return f"Saved: agreed \u2018{label}\u2019"


def accepted_text(count: int) -> str:
    """The confirmation after accepting medians: 'Accepted the group's median on 3 questions'."""
    return f"Accepted the group's median on {counted(count, 'question')}"


def no_longer_qualifies_text(questions: Sequence[str]) -> str:
    """Why a bulk accept was refused: the questions, by their text, whose median no longer qualifies."""
    quoted_texts = ["\u2018" + q + "\u2019" for q in questions]
    return (
        f"The room's answers changed on {listed(quoted_texts)}: its median no longer "
        "qualifies (too few answers, a wider spread, or already agreed). Nothing was saved; review the list again"
    )


def question_state_text(revealed: bool | None, locked: bool | None) -> str:
    """The confirmation after revealing, hiding, locking or unlocking one question."""
    parts = []
    if revealed is not None:
        parts.append("results shown to participants" if revealed else "results hidden from participants")
    if locked is not None:
        parts.append("answers locked" if locked else "answers open again")
    return sentence("Saved: " + " and ".join(parts)) if parts else ""


# -- workshop presenter mode: a participant's phone following the facilitator (issue 19) ---------------------

FOLLOW_WAITING = "Waiting for the facilitator to start"
FOLLOW_CLOSED = "The workshop is closed"
FOLLOW_LOCKED = "Answers to this question are closed"
# A refusal of a participant's answer as the page says it, by the field the service named (it names the
# question or section by its id, for API clients).
FOLLOW_REFUSALS = {
    "question_id": "Answers to this question are closed: the facilitator locked it, so your answer was not saved.",
    "section_id": "Answers to this section are closed: the facilitator locked it, so your answer was not saved.",
}


# -- closing the loop: the workshop's summary mailed to its participants (issue 19) ---------------------------


def summary_sent_text(count: int) -> str:
    """The confirmation after mailing the summary: 'Summary sent to 12 participants'."""
    if not count:
        return "Nobody new to send the summary to: everyone who left an address has had it"
    return f"Summary sent to {counted(count, 'participant')}"


def summary_button_text(count: int) -> str:
    """The console's button once the workshop is closed: 'E-mail the summary to the 12 participants who left an
    address'."""
    return f"E-mail the summary to the {counted(count, 'participant')} who left an address"


# -- reminders (issue 20) --------------------------------------------------------------------------------------
CADENCES = {1: "every quarter", 2: "every half-year", 3: "every three quarters", 4: "every year"}


def cadence_text(quarters: int) -> str:
    """How often an organisation is assessed: 'every quarter', 'every half-year', 'every year'."""
    return CADENCES.get(quarters, f"every {quarters} quarters")
