"""answers copied from a baseline remember its period until someone confirms or changes them

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 00:05:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0009'
down_revision: Union[str, None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Answers copied before this column existed are taken as reviewed: nothing says which were.
    with op.batch_alter_table('answer') as batch:
        batch.add_column(sa.Column('copied_from', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('answer') as batch:
        batch.drop_column('copied_from')
