"""Read questionnaire and rubric YAML files into validated, frozen models."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from backend.content.bundle import ContentBundle, build_bundle
from backend.content.checks import SUMMARY_FIX, check_bundle
from backend.content.conditions import KINDS
from backend.content.errors import ContentError, ContentIssue, format_path, line_of
from backend.content.schema import Questionnaire, Rubric

M = TypeVar("M", bound=BaseModel)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FIXES = {
    "missing": "add the key '{field}'",
    "extra_forbidden": "remove '{field}' or correct its spelling",
    "condition_kind": "write the condition as one key, for example 'score_below: {{criterion: x.y, value: 0.5}}'",
    "literal_error": "use one of the allowed values",
    "string_pattern_mismatch": "use lower-case letters, digits and '_' (dots between parts of an id)",
    "too_short": "add at least the number of items asked for",
}


def project_root() -> Path:
    """The folder holding questionnaires/ and rubrics/ (the repository root)."""
    return Path(__file__).resolve().parents[2]


def _clean_loc(loc: tuple) -> tuple:
    # A tagged union puts the tag into the location ('all', 'all', 0): keep one.
    out: list = []
    for part in loc:
        if out and part == out[-1] and part in KINDS:
            continue
        out.append(part)
    return tuple(out)


def _issues_from(err: ValidationError, file: str, root: yaml.Node) -> list[ContentIssue]:
    raw = [(_clean_loc(e["loc"]), e) for e in err.errors()]
    issues = []
    for loc, e in raw:
        # pydantic also reports a tuple as "too short" when its only item failed: skip that echo.
        if e["type"] == "too_short" and any(len(o) > len(loc) and o[: len(loc)] == loc for o, _ in raw):
            continue
        field = loc[-1] if loc else ""
        fix = FIXES.get(e["type"], "correct the value as the message says").format(field=field)
        if e["type"] == "missing" and loc[-3::2] in (("findings", "summary"), ("recommendations", "summary")):
            fix = SUMMARY_FIX
        message = e["msg"].removeprefix("Value error, ")
        issues.append(ContentIssue(file, format_path(loc), message, fix, line_of(root, loc)))
    return issues


def parse_file(path: Path, model: type[M]) -> tuple[M | None, yaml.Node | None, list[ContentIssue]]:
    """Parse and validate one YAML file; return the model, its node tree and any issues."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        # Two passes (building the data merges '<<' keys into the nodes, which would move line numbers),
        # both with libyaml when present.
        node = yaml.compose(text, Loader=_Loader)
        data: Any = yaml.load(text, Loader=_Loader)
    except OSError as exc:
        return None, None, [ContentIssue(name, "", f"cannot read the file ({exc.strerror})", "check the path")]
    except UnicodeDecodeError:
        return None, None, [ContentIssue(name, "", "the file is not UTF-8 text", "save it as UTF-8")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        return (
            None,
            None,
            [
                ContentIssue(
                    name,
                    "",
                    f"YAML syntax error: {problem}",
                    "fix the YAML near that line (indentation, quotes, colons)",
                    line,
                )
            ],
        )
    if not isinstance(data, dict):
        return (
            None,
            node,
            [
                ContentIssue(
                    name,
                    "",
                    "the file must hold a mapping at the top level",
                    "start the file with 'schema_version: 1'",
                    1,
                )
            ],
        )
    try:
        return model.model_validate(data), node, []
    except ValidationError as err:
        return None, node, _issues_from(err, name, node)


def _stamp(root: Path) -> tuple:
    """What identifies the content's files as they are now: each file's path, size and change time."""
    files = sorted(p for folder in ("rubrics", "questionnaires") for p in (root / folder).glob("*.yaml"))
    return tuple((str(p), s.st_size, s.st_mtime_ns) for p in files for s in (p.stat(),))


_loaded: dict[Path, tuple[tuple, ContentBundle]] = {}


def load_content(root: Path | None = None) -> ContentBundle:
    """Load, validate and cross-check every rubric and questionnaire under `root`.

    The bundle is read-only, so a process that asks again for unchanged files (several apps in one
    test process, the CLI then the server) gets the same bundle back without parsing again."""
    root = (root or project_root()).resolve()
    stamp = _stamp(root)
    cached = _loaded.get(root)
    if cached and cached[0] == stamp:
        return cached[1]
    bundle = _load(root)
    _loaded[root] = (stamp, bundle)
    return bundle


def _load(root: Path) -> ContentBundle:
    issues: list[ContentIssue] = []
    rubrics: dict[str, tuple[Rubric, str, yaml.Node]] = {}
    questionnaires: dict[str, tuple[Questionnaire, str, yaml.Node]] = {}
    for folder, model, store in (("rubrics", Rubric, rubrics), ("questionnaires", Questionnaire, questionnaires)):
        files = sorted((root / folder).glob("*.yaml"))
        if not files:
            issues.append(
                ContentIssue(str(root / folder), "", "no .yaml files found", f"add at least one {folder[:-1]} file")
            )
        for path in files:
            parsed, node, found = parse_file(path, model)
            issues += found
            if parsed is None:
                continue
            key = parsed.model if isinstance(parsed, Rubric) else parsed.id
            if key in store:
                issues.append(
                    ContentIssue(
                        str(path),
                        "model" if folder == "rubrics" else "id",
                        f"'{key}' is already defined in {store[key][1]}",
                        "give each file its own id",
                    )
                )
                continue
            store[key] = (parsed, str(path), node)
    if not issues:
        issues += check_bundle(rubrics, questionnaires)
    if issues:
        raise ContentError(issues)
    return build_bundle({k: v[0] for k, v in rubrics.items()}, {k: v[0] for k, v in questionnaires.items()})
