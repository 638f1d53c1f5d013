"""snapshots keep each model's level, name and progress beside the frozen result

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 05:30:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: Union[str, None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The fields copied out, as the code of this revision writes them; kept here so the migration never
# changes with later code.
SUMMARY = ("model", "kind", "level", "level_name", "progress", "provisional")


def upgrade() -> None:
    with op.batch_alter_table('result_snapshot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('models', sa.JSON(), nullable=False, server_default='[]'))
    # Lists (the portfolio) parsed every listed snapshot's whole result for a few figures; the existing ones
    # get their summary from the result they froze.
    snapshot = sa.table('result_snapshot', sa.column('id', sa.Integer), sa.column('result', sa.JSON), sa.column('models', sa.JSON))
    conn = op.get_bind()
    for row in conn.execute(sa.select(snapshot.c.id, snapshot.c.result)).all():
        models = [{name: m.get(name) for name in SUMMARY} for m in (row.result or {}).get('models', [])]
        conn.execute(snapshot.update().where(snapshot.c.id == row.id).values(models=models))


def downgrade() -> None:
    with op.batch_alter_table('result_snapshot', schema=None) as batch_op:
        batch_op.drop_column('models')
