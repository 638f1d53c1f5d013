"""Answer files: a questionnaire's answers written as YAML (demo data, fixtures, imports)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from backend.content.bundle import ContentBundle
from backend.content.conditions import Strict
from backend.content.errors import ContentError, ContentIssue
from backend.content.loader import parse_file


class AnswerFile(Strict):
    """Answers to one questionnaire; unlisted questions take the default."""

    name: str = Field(min_length=1)
    source: str = ""
    description: str = ""
    size: str = Field(default="", description="the organisation's headcount band, as stored on an organisation")
    questionnaire: str
    default: Literal["lowest", "highest", "unanswered"] = "unanswered"
    answers: dict[str, str] = {}
    notes: dict[str, str] = {}
    expect: dict[str, object] = {}


def resolve_answers(data: AnswerFile, bundle: ContentBundle, file: str = "") -> dict[str, str]:
    """Every question id with its value: listed answers, then the default; errors name the fix."""
    issues = []
    if data.questionnaire not in bundle.plans:
        raise ContentError(
            [
                ContentIssue(
                    file,
                    "questionnaire",
                    f"unknown questionnaire '{data.questionnaire}'",
                    "use one of: " + ", ".join(sorted(bundle.plans)),
                )
            ]
        )
    plan = bundle.plan(data.questionnaire)
    for qid, value in data.answers.items():
        question = plan.questions.get(qid)
        if question is None:
            issues.append(
                ContentIssue(
                    file,
                    f"answers.{qid}",
                    f"'{qid}' is not a question of {data.questionnaire}",
                    "use a question id from questionnaires/",
                )
            )
            continue
        allowed = question.allowed_values()
        if value not in allowed:
            issues.append(
                ContentIssue(
                    file, f"answers.{qid}", f"'{value}' is not an answer to {qid}", "use one of: " + ", ".join(allowed)
                )
            )
    if issues:
        raise ContentError(issues)
    values = {}
    for q in plan.questionnaire.questions:
        if q.id in data.answers:
            values[q.id] = data.answers[q.id]
        elif data.default != "unanswered":
            pick = min if data.default == "lowest" else max
            values[q.id] = pick(q.options, key=lambda o: o.score).value
    return values


def load_answer_file(path: Path, bundle: ContentBundle) -> tuple[AnswerFile, dict[str, str]]:
    """Read an answer file; ContentError names the file, the path and the fix."""
    data, _, issues = parse_file(path, AnswerFile)
    if issues:
        raise ContentError(issues)
    return data, resolve_answers(data, bundle, str(path))


class PlannedStatus(Strict):
    status: Literal["planned", "in_progress", "done", "dropped"]
    owner: str = ""
    due_period: str = ""


class Quarter(Strict):
    period: str = Field(pattern=r"^\d{4}-Q[1-4]$")
    file: str
    submit: bool = True
    answered_by: str = Field(default="", max_length=254, description="who answered that quarter, as reports name them")
    roadmap: dict[str, PlannedStatus] = {}


class DemoOrganisation(Strict):
    name: str
    sector: str = ""
    size: str = ""


class History(Strict):
    """An organisation's quarters as answer files: each quarter lists what changed since the last."""

    organisation: DemoOrganisation
    quarters: list[Quarter] = Field(min_length=1)


def read_history(folder: Path) -> History:
    """Read history.yaml alone (the organisation and its quarters); ContentError names what is wrong."""
    history, _, issues = parse_file(folder / "history.yaml", History)
    if issues:
        raise ContentError(issues)
    return history


def load_history(
    folder: Path, bundle: ContentBundle
) -> tuple[History, list[tuple[Quarter, AnswerFile, dict[str, str]]]]:
    """Read history.yaml and each quarter's answer file; ContentError names what is wrong."""
    history = read_history(folder)
    quarters = []
    for quarter in history.quarters:
        data, values = load_answer_file(folder / quarter.file, bundle)
        unknown = [r for r in quarter.roadmap if r not in bundle.recommendations]
        if unknown:
            raise ContentError(
                [
                    ContentIssue(
                        str(folder / "history.yaml"),
                        f"quarters.{quarter.period}.roadmap",
                        f"unknown recommendation(s): {', '.join(unknown)}",
                        "use ids from rubrics/",
                    )
                ]
            )
        quarters.append((quarter, data, values))
    return history, quarters
