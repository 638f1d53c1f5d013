"""reminders: each organisation has a cadence (quarters between assessments) and each user may turn reminders off

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 13:35:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0015'
down_revision: Union[str, None] = '0014'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cadence_quarters', sa.Integer(), nullable=False, server_default='1'))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminders', sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('reminders')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('cadence_quarters')
