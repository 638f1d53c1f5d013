"""an organisation keeps an optional logo (a PNG, for the report's cover) and an accent colour (for the report's
title and headings)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 04:30:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0011'
down_revision: Union[str, None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('logo', sa.LargeBinary(), nullable=True))
        batch_op.add_column(
            sa.Column('accent', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False, server_default='')
        )


def downgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('accent')
        batch_op.drop_column('logo')
