"""Kira Wampler's feedback-channel audit as a worksheet: channels x moments of truth, with the team's corrections."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from backend.content.schema import Recommendation, Worksheet

Use = Literal["in use", "not in use", "unknown"]
StepStatus = Literal["not_started", "in_progress", "done"]
STEP_STATUSES: tuple[StepStatus, ...] = ("not_started", "in_progress", "done")


@dataclass(frozen=True, slots=True)
class ChannelEdit:
    """What a team corrected about one channel: whether it is in use (None: as the answers say) and, per moment,
    whether it captures feedback there (only the moments where the team differs from the worksheet's proposal)."""

    use: Use | None = None
    moments: Mapping[str, bool] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StepEdit:
    """What a team recorded for one audit step: who owns it, how far it is, a note."""

    owner: str = ""
    status: StepStatus = "not_started"
    note: str = ""


@dataclass(frozen=True, slots=True)
class WorksheetEdits:
    """The team's corrections, channels by channel id and steps by criterion id; ids content no longer has are ignored."""

    channels: Mapping[str, ChannelEdit] = field(default_factory=dict)
    steps: Mapping[str, StepEdit] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ChannelRow:
    id: str
    name: str
    use: Use  # as the worksheet counts it: the team's word where they gave one, else the answers'
    evidence: tuple[tuple[str, float | None], ...]
    moments: frozenset[str]  # the moments it captures feedback at, with the team's corrections
    answered_use: Use = "unknown"  # what the answers alone say
    proposed: frozenset[str] = frozenset()  # the moments the worksheet proposes for it
    use_changed: bool = False  # the team set in use or not in use themselves
    changed: frozenset[str] = frozenset()  # moments whose tick the team changed from the proposal


@dataclass(frozen=True, slots=True)
class MomentColumn:
    id: str
    name: str
    channels: tuple[str, ...]  # the ids of the channels in use that capture feedback at this moment
    gap: bool
    overlap: bool


@dataclass(frozen=True, slots=True)
class AuditStep:
    number: int
    criterion: str
    title: str
    detail: str
    owner: str  # the role the audit names
    score: float | None
    owner_name: str = ""  # the person the team named
    status: StepStatus = "not_started"
    note: str = ""


@dataclass(frozen=True, slots=True)
class AuditWorksheet:
    channels: tuple[ChannelRow, ...]
    moments: tuple[MomentColumn, ...]
    steps: tuple[AuditStep, ...]

    @property
    def edited(self) -> bool:
        """Whether the team changed any channel or recorded anything for a step."""
        return any(c.use_changed or c.changed for c in self.channels) or any(
            s.owner_name or s.note or s.status != "not_started" for s in self.steps
        )


def answered_use(evidence: tuple[tuple[str, float | None], ...], in_use_at: float) -> Use:
    """In use when any assessed evidence criterion reaches `in_use_at`; unknown when none is assessed."""
    known = [s for _, s in evidence if s is not None]
    return "unknown" if not known else ("in use" if max(known) >= in_use_at else "not in use")


def build_worksheet(
    sheet: Worksheet,
    scores: Mapping[str, float | None],
    audit: Recommendation,
    edits: WorksheetEdits | None = None,
) -> AuditWorksheet:
    """Which channels are in use (from the answers, unless the team said otherwise), which moments have none (gaps)
    or several uncoordinated ones (overlaps) counted from the corrected grid, and the five steps with their owners."""
    edits = edits or WorksheetEdits()
    moment_ids = {m.id for m in sheet.moments}
    rows = []
    for channel in sheet.channels:
        edit = edits.channels.get(channel.id, ChannelEdit())
        evidence = tuple((cid, scores.get(cid)) for cid in channel.evidence)
        said = answered_use(evidence, sheet.in_use_at)
        proposed = frozenset(channel.moments)
        # A correction that agrees with the proposal, or names a moment the worksheet no longer has, changes nothing.
        changed = frozenset(m for m, ticked in edit.moments.items() if m in moment_ids and ticked != (m in proposed))
        rows.append(
            ChannelRow(
                channel.id,
                channel.name,
                edit.use or said,
                evidence,
                proposed ^ changed,
                answered_use=said,
                proposed=proposed,
                use_changed=edit.use is not None,
                changed=changed,
            )
        )
    columns = []
    for moment in sheet.moments:
        active = tuple(r.id for r in rows if r.use == "in use" and moment.id in r.moments)
        columns.append(MomentColumn(moment.id, moment.name, active, gap=not active, overlap=len(active) > 1))
    steps = []
    for n, (cid, task) in enumerate(zip(sheet.steps, audit.tasks, strict=True), start=1):
        step = edits.steps.get(cid, StepEdit())
        steps.append(
            AuditStep(n, cid, task.title, task.detail, task.owner, scores.get(cid), step.owner, step.status, step.note)
        )
    return AuditWorksheet(tuple(rows), tuple(columns), tuple(steps))
