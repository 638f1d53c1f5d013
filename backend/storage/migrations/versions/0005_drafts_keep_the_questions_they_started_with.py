"""drafts keep the questions they started with, and who moved them to new content

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 18:40:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0005'
down_revision: Union[str, None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Existing assessments get no questions (null): their old questionnaire's text is not stored anywhere,
    # so a content change can only be told for them as a version change, never counted by guesswork.
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('started_questions', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('content_acknowledged_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('content_acknowledged_by', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_column('content_acknowledged_by')
        batch_op.drop_column('content_acknowledged_at')
        batch_op.drop_column('started_questions')
