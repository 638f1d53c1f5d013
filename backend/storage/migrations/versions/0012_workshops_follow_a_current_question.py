"""presenter mode: a workshop remembers the question the room is on and which questions are locked one by one

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 06:40:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0012'
down_revision: Union[str, None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('current_question', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False, server_default='')
        )
        batch_op.add_column(sa.Column('locked_questions', sa.JSON(), nullable=False, server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('locked_questions')
        batch_op.drop_column('current_question')
