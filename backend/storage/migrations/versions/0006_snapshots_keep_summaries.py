"""snapshots keep summaries beside the frozen result: each model's level, name and progress; the confidence label and each criterion's score

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
        batch_op.add_column(sa.Column('scores', sa.JSON(), nullable=False, server_default='{}'))
    # Lists and trends (the portfolio, an organisation's progress) parsed every snapshot's whole result for a
    # few figures; the existing ones get their summaries from the result they froze.
    snapshot = sa.table(
        'result_snapshot',
        sa.column('id', sa.Integer),
        sa.column('result', sa.JSON),
        sa.column('models', sa.JSON),
        sa.column('scores', sa.JSON),
    )
    conn = op.get_bind()
    for row in conn.execute(sa.select(snapshot.c.id, snapshot.c.result)).all():
        result = row.result or {}
        models = [{name: m.get(name) for name in SUMMARY} for m in result.get('models', [])]
        scores = {
            'confidence': (result.get('confidence') or {}).get('label'),
            'criteria': {c['id']: c.get('score') for c in result.get('criteria', [])},
        }
        conn.execute(snapshot.update().where(snapshot.c.id == row.id).values(models=models, scores=scores))


def downgrade() -> None:
    with op.batch_alter_table('result_snapshot', schema=None) as batch_op:
        batch_op.drop_column('scores')
        batch_op.drop_column('models')
