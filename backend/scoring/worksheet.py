"""Kira Wampler's feedback-channel audit as a worksheet: channels x moments of truth."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from backend.content.schema import Recommendation, Worksheet

Use = Literal["in use", "not in use", "unknown"]


@dataclass(frozen=True, slots=True)
class ChannelRow:
    id: str
    name: str
    use: Use
    evidence: tuple[tuple[str, float | None], ...]
    moments: frozenset[str]


@dataclass(frozen=True, slots=True)
class MomentColumn:
    id: str
    name: str
    channels: tuple[str, ...]
    gap: bool
    overlap: bool


@dataclass(frozen=True, slots=True)
class AuditStep:
    number: int
    criterion: str
    title: str
    detail: str
    owner: str
    score: float | None


@dataclass(frozen=True, slots=True)
class AuditWorksheet:
    channels: tuple[ChannelRow, ...]
    moments: tuple[MomentColumn, ...]
    steps: tuple[AuditStep, ...]


def build_worksheet(sheet: Worksheet, scores: Mapping[str, float | None], audit: Recommendation) -> AuditWorksheet:
    """Which channels are in use (from the answers), which moments have none (gaps) or
    several uncoordinated ones (overlaps), and the five steps with their owners."""
    rows = []
    for channel in sheet.channels:
        evidence = tuple((cid, scores.get(cid)) for cid in channel.evidence)
        known = [s for _, s in evidence if s is not None]
        use: Use = "unknown" if not known else ("in use" if max(known) >= sheet.in_use_at else "not in use")
        rows.append(ChannelRow(channel.id, channel.name, use, evidence, frozenset(channel.moments)))
    columns = []
    for moment in sheet.moments:
        active = tuple(r.name for r in rows if r.use == "in use" and moment.id in r.moments)
        columns.append(MomentColumn(moment.id, moment.name, active, gap=not active, overlap=len(active) > 1))
    steps = tuple(
        AuditStep(n, cid, task.title, task.detail, task.owner, scores.get(cid))
        for n, (cid, task) in enumerate(zip(sheet.steps, audit.tasks, strict=True), start=1)
    )
    return AuditWorksheet(tuple(rows), tuple(columns), steps)
