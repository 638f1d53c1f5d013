"""the feedback-channel audit worksheet keeps a team's corrections per assessment: channels in use or not and the
moments they capture, and per step an owner, a status and a note

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 10:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0010'
down_revision: Union[str, None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('worksheet_channel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('use', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('moments', sa.JSON(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_worksheet_channel_assessment_id_assessment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worksheet_channel')),
    sa.UniqueConstraint('assessment_id', 'channel_id', name='uq_worksheet_channel_assessment_channel')
    )
    op.create_table('worksheet_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('owner', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_worksheet_step_assessment_id_assessment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worksheet_step')),
    sa.UniqueConstraint('assessment_id', 'criterion_id', name='uq_worksheet_step_assessment_criterion')
    )


def downgrade() -> None:
    op.drop_table('worksheet_step')
    op.drop_table('worksheet_channel')
