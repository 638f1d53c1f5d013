"""The words that say why: the answers behind a finding or a step, credits, and the caution on a new channel.

One source for the web pages, the PDF and the console, so the three read the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from backend.content.schema import Question
from backend.labels import STATUS_WORDS, answer_label, contribution_text

CHANNEL_CAUTION = "Opens a channel: easy to enter, costly to leave (Esteban Kolsky, as Mitch Lieberman reports him)."
SMALL_VARIANT = "The version for a small organisation (under about 50 people)"


@dataclass(frozen=True)
class AnswerLine:
    """One answer behind a number: the question as asked, the answer as labelled, its note, what it added."""

    question: str
    answer: str
    note: str
    status: str
    contributed: str = ""


def answer_lines(contributions: Iterable, questions: Mapping[str, Question]) -> list[AnswerLine]:
    """The answers behind a criterion or finding, as question text and answer label (hidden ones left out)."""
    lines = []
    for c in contributions:
        if c.status == "hidden":
            continue
        question = questions.get(c.question_id)
        answer = (
            c.label
            if c.status in ("answered", "absent") and c.label
            else STATUS_WORDS.get(c.status) or answer_label(question, c.value)
        )
        lines.append(
            AnswerLine(
                question.text if question else c.question_id,
                answer,
                c.note,
                c.status,
                contribution_text(c.status, c.score, c.weight),
            )
        )
    return lines


def answer_sentence(line: AnswerLine) -> str:
    """One answer as a line of text: the question, then the answer (and the note when there is one)."""
    said = f"{line.question} — {line.answer}" if line.answer else line.question
    return said + (f" (note: {line.note})" if line.note else "")


def reason_answers(
    criteria: Mapping[str, Iterable], findings: Mapping[str, Iterable], questions: Mapping[str, Question]
) -> dict[str, list[AnswerLine]]:
    """The answers behind each criterion and finding a reason can name ('criterion:ID', 'finding:ID')."""
    out = {f"criterion:{cid}": answer_lines(c, questions) for cid, c in criteria.items()}
    out.update({f"finding:{fid}": answer_lines(f, questions) for fid, f in findings.items()})
    return out


def why_lines(
    reasons: Iterable, answers: Mapping[str, list[AnswerLine]], questions: Mapping[str, Question]
) -> list[tuple[str, list[AnswerLine]]]:
    """Each fact that triggered a step, with the answers behind it."""
    out = []
    for r in reasons:
        if r.criterion:
            lines = answers.get(f"criterion:{r.criterion}", [])
        elif r.finding:
            lines = answers.get(f"finding:{r.finding}", [])
        elif r.question and r.question in questions:
            lines = [AnswerLine(questions[r.question].text, "", "", "answered")]
        else:
            lines = []
        out.append((r.text, lines))
    return out


def credit_text(credits: Iterable[str]) -> str:
    """Every model author a step is credited to, in one line."""
    return "; ".join(credits)


def merged_text(count: int) -> str:
    """Why one step carries several credits."""
    return f"One step for {count} models that recommend the same thing."


def caution_text(caution) -> str:
    """Kolsky's caution on a step that opens a channel: why, who owns it, what leaving costs."""
    return f"Why this channel: {caution.why} Owner: {caution.owner}. Cost of leaving: {caution.exit_cost}"
