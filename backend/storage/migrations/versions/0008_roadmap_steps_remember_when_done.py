"""roadmap steps remember since which period they are done, so a step done stays done in the next periods

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 23:55:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0008'
down_revision: Union[str, None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('roadmap_item') as batch:
        batch.add_column(sa.Column('done_since', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False, server_default=''))
    # A step already done was done in its own assessment's period at the latest.
    op.execute(
        "UPDATE roadmap_item SET done_since = "
        "(SELECT period FROM assessment WHERE assessment.id = roadmap_item.assessment_id) WHERE status = 'done'"
    )


def downgrade() -> None:
    with op.batch_alter_table('roadmap_item') as batch:
        batch.drop_column('done_since')
