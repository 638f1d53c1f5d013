"""The schema families: a table and the parts of an export file share one base, so a value the file
may carry is one its column can hold; ids are bounded once."""

from __future__ import annotations

from typing import Literal, get_args, get_origin

import pytest
from pydantic import TypeAdapter, ValidationError

from backend.schemas import exports
from backend.schemas.limits import INT_MAX
from backend.schemas.types import Id, OptionalId
from backend.storage import tables

# Each export part and the table its rows come from.
PARTS = {
    exports.ExportedOrganisation: tables.Organisation,
    exports.ExportedAssessment: tables.Assessment,
    exports.ExportedAnswer: tables.Answer,
    exports.ExportedChange: tables.AnswerChange,
    exports.ExportedItem: tables.RoadmapItem,
    exports.ExportedSnapshot: tables.ResultSnapshot,
    exports.ExportedParticipant: tables.Participant,
    exports.ExportedWorkshopParticipant: tables.Participant,
    exports.ExportedParticipantAnswer: tables.ParticipantAnswer,
    exports.ExportedConsensus: tables.Consensus,
    exports.ExportedWorkshop: tables.Workshop,
}


def _max_length(field) -> int | None:
    return next((m.max_length for m in field.metadata if getattr(m, "max_length", None) is not None), None)


@pytest.mark.parametrize("part", list(PARTS), ids=lambda part: part.__name__)
def test_every_text_an_export_part_takes_fits_its_column(part):
    columns = PARTS[part].__table__.c
    checked = 0
    for name, field in part.model_fields.items():
        width = getattr(columns[name].type, "length", None) if name in columns else None
        if width and _max_length(field) is None:  # a closed set of words, or a period's pattern
            allowed = get_args(field.annotation) if get_origin(field.annotation) is Literal else ("2026-Q4",)
            assert all(len(value) <= width for value in allowed), name
        elif width:
            assert _max_length(field) == width, name
            checked += 1
    assert checked


def test_a_table_and_its_export_part_derive_from_one_base():
    assert issubclass(tables.Answer, exports.AnswerBase) and issubclass(exports.ExportedAnswer, exports.AnswerBase)
    assert not exports.ExportedAnswer.model_config.get("table")


@pytest.mark.parametrize("value", [0, -1, INT_MAX + 1])
def test_an_id_is_a_positive_whole_number_an_integer_column_holds(value):
    with pytest.raises(ValidationError):
        TypeAdapter(Id).validate_python(value)
    with pytest.raises(ValidationError):
        TypeAdapter(OptionalId).validate_python(value)


def test_an_optional_id_takes_none_and_any_id_in_range():
    assert TypeAdapter(OptionalId).validate_python(None) is None
    assert TypeAdapter(Id).validate_python(1) == 1 and TypeAdapter(Id).validate_python(INT_MAX) == INT_MAX
