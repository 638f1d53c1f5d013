"""workshops, participant answers and consensus

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 17:58:11.022558
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0003'
down_revision: Union[str, None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('workshop',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('show_names', sa.Boolean(), nullable=False),
    sa.Column('locked_sections', sa.JSON(), nullable=False),
    sa.Column('revealed_sections', sa.JSON(), nullable=False),
    sa.Column('revealed_questions', sa.JSON(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_workshop_assessment_id_assessment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop')),
    sa.UniqueConstraint('assessment_id', name=op.f('uq_workshop_assessment_id')),
    sa.UniqueConstraint('code', name=op.f('uq_workshop_code'))
    )
    op.create_table('consensus',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('answered', sa.Integer(), nullable=False),
    sa.Column('spread', sa.Float(), nullable=True),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_consensus_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consensus')),
    sa.UniqueConstraint('workshop_id', 'question_id', name='uq_consensus_workshop_question')
    )
    op.create_table('participant_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_participant_answer_participant_id_participant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant_answer')),
    sa.UniqueConstraint('participant_id', 'question_id', name='uq_participant_answer_participant_question')
    )
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('workshop_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_participant_workshop_id'), ['workshop_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_participant_token_hash'), ['token_hash'])
        batch_op.create_foreign_key(batch_op.f('fk_participant_workshop_id_workshop'), 'workshop', ['workshop_id'], ['id'], ondelete='CASCADE')


def downgrade() -> None:
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_participant_workshop_id_workshop'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_participant_token_hash'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_participant_workshop_id'))
        batch_op.drop_column('token_hash')
        batch_op.drop_column('workshop_id')

    op.drop_table('participant_answer')
    op.drop_table('consensus')
    op.drop_table('workshop')