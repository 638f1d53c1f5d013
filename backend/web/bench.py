"""The floor for the answer-save benchmark: one insert and one commit, nothing else.

Mounted only when TRIBEWISE_BENCH_FLOOR is set (bench/answers.py sets it).
"""

from __future__ import annotations

from litestar import post
from litestar.status_codes import HTTP_201_CREATED

from backend.web.params import Ctx, PathInt
from backend.storage import repository as repo
from backend.storage.tables import utcnow

FLOOR_ANSWER = {"value": "x", "reason": "", "note": "", "evidence": "", "answered_by": "bench"}


@post("/bench/floor/{assessment_id:int}", status_code=HTTP_201_CREATED, sync_to_thread=True, include_in_schema=False, access="public")
def bench_floor(ctx: Ctx, assessment_id: PathInt) -> dict[str, int]:
    """Insert one row and commit, the cheapest way the app has: a prebuilt insert in a bare transaction."""
    with ctx.db.transaction() as conn:
        # A whole history row, every field as an answer save writes it, so the floor inserts as much.
        change = repo.change_row(None, FLOOR_ANSWER, assessment_id=assessment_id, question_id="bench.floor", changed_by="bench", changed_at=utcnow(), version=1)
        return {"id": repo.insert_change(conn, change)}
