"""The floor for the answer-save benchmark: one insert and one commit, nothing else.

Mounted only when TRIBEWISE_BENCH_FLOOR is set (bench/answers.py sets it).
"""

from __future__ import annotations

from litestar import post
from litestar.status_codes import HTTP_201_CREATED

from backend.web.params import Ctx, PathInt, PathStr
from backend.storage.tables import AnswerChange


@post("/bench/floor/{assessment_id:int}", status_code=HTTP_201_CREATED, sync_to_thread=True, include_in_schema=False, access="public")
def bench_floor(ctx: Ctx, assessment_id: PathInt) -> dict[str, int]:
    """Insert one row and commit."""
    with ctx.db.write() as session:
        row = AnswerChange(assessment_id=assessment_id, question_id="bench.floor", new_value="x", version=1)
        session.add(row)
        session.flush()
        return {"id": row.id}
