"""The floor for the answer-save benchmark: one insert and one commit, nothing else.

It lives here, not in backend/: only the benchmark's own server process mounts it
(`python bench/floor.py --port P [--workers N]`, started by bench/answers.py), so the
production app never carries an unauthenticated write route.
"""

from __future__ import annotations

import sys
from pathlib import Path

from litestar import Litestar, post
from litestar.status_codes import HTTP_201_CREATED

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backend.content.bundle import ContentBundle  # noqa: E402
from backend.settings import Settings  # noqa: E402
from backend.storage.queries.answers import change_row, insert_change  # noqa: E402
from backend.storage.tables import utcnow  # noqa: E402
from backend.web.app import create_app as create_production_app  # noqa: E402
from backend.web.params import Ctx, PathInt  # noqa: E402

FLOOR_ANSWER = {"value": "x", "reason": "", "note": "", "evidence": "", "answered_by": "bench"}


@post(
    "/bench/floor/{assessment_id:int}",
    status_code=HTTP_201_CREATED,
    sync_to_thread=True,
    include_in_schema=False,
    access="public",
)
def bench_floor(ctx: Ctx, assessment_id: PathInt) -> dict[str, int]:
    """Insert one row and commit, the cheapest way the app has: a prebuilt insert in a bare transaction."""
    with ctx.db.transaction() as conn:
        # A whole history row, every field as an answer save writes it, so the floor inserts as much.
        change = change_row(
            None,
            FLOOR_ANSWER,
            assessment_id=assessment_id,
            question_id="bench.floor",
            changed_by="bench",
            changed_at=utcnow(),
            version=1,
        )
        return {"id": insert_change(conn, change)}


def create_app(settings: Settings | None = None, content: ContentBundle | None = None) -> Litestar:
    """The production app with the floor route added: the benchmark's process only."""
    app = create_production_app(settings, content)
    app.register(bench_floor)
    return app


if __name__ == "__main__":
    from backend.cli import serve

    # `tribewise serve` with every check it makes, serving this module's app instead.
    serve.main(sys.argv[1:], prog_name="bench/floor.py", obj={"app": "bench.floor:create_app"})
