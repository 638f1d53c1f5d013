"""Content errors that name the file, the path inside it and the fix."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import yaml

Loc = Sequence[str | int]


@dataclass(frozen=True)
class ContentIssue:
    """One problem in one content file."""

    file: str
    path: str
    message: str
    fix: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        path = f" at {self.path}" if self.path else ""
        return f"{where}{path}: {self.message}. Fix: {self.fix}"


class ContentError(Exception):
    """Raised when content files do not validate; carries every issue found."""

    def __init__(self, issues: Sequence[ContentIssue]):
        self.issues = tuple(issues)
        super().__init__("\n".join(str(i) for i in self.issues))


def format_path(loc: Loc) -> str:
    """Render ('sections', 2, 'questions', 4) as 'sections[2].questions[4]'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def line_of(node: yaml.Node | None, loc: Loc) -> int | None:
    """The 1-based line in the YAML source where `loc` (or its nearest parent) starts."""
    if node is None:
        return None
    best = node.start_mark.line + 1
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            child = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node = child
        best = node.start_mark.line + 1
    return best
