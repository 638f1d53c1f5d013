"""invitations, archive, one assessment per period, join limits, full answer history

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 14:50:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0004'
down_revision: Union[str, None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TEXT_PAIRS = ('evidence', 'reason')


# Whatever refers to an assessment: a draft with any of these holds something and is never dropped.
CHILDREN = ('answer', 'answer_change', 'roadmap_item', 'result_snapshot', 'share_link', 'participant', 'workshop')


def _drop_empty_duplicate_drafts() -> None:
    """Before one assessment per organisation, questionnaire and period is enforced: drop the
    duplicates that hold nothing (drafts nothing refers to), keeping the oldest of each group.
    Nothing refers to what is dropped, so no cascade is needed (SQLite's migration connection has none)."""
    conn = op.get_bind()
    groups = conn.execute(sa.text(
        "SELECT organisation_id, questionnaire_id, period FROM assessment "
        "GROUP BY organisation_id, questionnaire_id, period HAVING COUNT(*) > 1"
    )).all()
    holds = " OR ".join(f"EXISTS (SELECT 1 FROM {table} c WHERE c.assessment_id = a.id)" for table in CHILDREN)
    for org, questionnaire, period in groups:
        rows = conn.execute(sa.text(
            f"SELECT a.id, a.status, CASE WHEN {holds} OR EXISTS (SELECT 1 FROM assessment b WHERE b.baseline_assessment_id = a.id) "
            "THEN 1 ELSE 0 END AS holds "
            "FROM assessment a WHERE a.organisation_id = :o AND a.questionnaire_id = :q AND a.period = :p ORDER BY a.id"
        ), {"o": org, "q": questionnaire, "p": period}).all()
        keep = next((r for r in rows if r.status != "draft" or r.holds), rows[0])
        empty = [r.id for r in rows if r.id != keep.id and r.status == "draft" and not r.holds]
        for assessment_id in empty:
            conn.execute(sa.text("DELETE FROM assessment WHERE id = :i"), {"i": assessment_id})
        if len(rows) - len(empty) > 1:
            raise RuntimeError(
                f"organisation {org} has several assessments of '{questionnaire}' for {period} that hold answers or plans "
                f"(ids {', '.join(str(r.id) for r in rows if r.id not in empty)}); keep one, move or delete the others "
                "with the previous version, then run 'tribewise db upgrade' again"
            )


def _backfill_latest_changes() -> None:
    """History kept only value and note before: the newest change of each answer is what the answer
    holds now, so its new evidence, reason and answerer are known; older rows stay unrecorded ('')."""
    for name in ('evidence', 'reason', 'answered_by'):
        op.execute(sa.text(
            f"UPDATE answer_change SET new_{name} = (SELECT a.{name} FROM answer a WHERE a.assessment_id = answer_change.assessment_id "
            "AND a.question_id = answer_change.question_id) "
            "WHERE version = (SELECT a.version FROM answer a WHERE a.assessment_id = answer_change.assessment_id "
            "AND a.question_id = answer_change.question_id)"
        ))


def upgrade() -> None:
    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('nonce_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_invitation_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation')),
    sa.UniqueConstraint('nonce_hash', name=op.f('uq_invitation_nonce_hash'))
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_user_id'), ['user_id'], unique=False)

    op.create_table('join_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('attempted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_join_attempt'))
    )
    with op.batch_alter_table('join_attempt', schema=None) as batch_op:
        batch_op.create_index('ix_join_attempt_address_at', ['address', 'attempted_at'], unique=False)

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))

    _drop_empty_duplicate_drafts()
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_assessment_org_questionnaire_period', ['organisation_id', 'questionnaire_id', 'period'])

    with op.batch_alter_table('answer_change', schema=None) as batch_op:
        for name in TEXT_PAIRS:
            batch_op.add_column(sa.Column(f'old_{name}', sa.Text(), nullable=True))
            batch_op.add_column(sa.Column(f'new_{name}', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('old_answered_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.add_column(sa.Column('new_answered_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False, server_default=''))
    _backfill_latest_changes()

    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participant_cap', sa.Integer(), nullable=False, server_default='500'))


def downgrade() -> None:
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('participant_cap')
    with op.batch_alter_table('answer_change', schema=None) as batch_op:
        batch_op.drop_column('new_answered_by')
        batch_op.drop_column('old_answered_by')
        for name in reversed(TEXT_PAIRS):
            batch_op.drop_column(f'new_{name}')
            batch_op.drop_column(f'old_{name}')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_constraint('uq_assessment_org_questionnaire_period', type_='unique')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('archived_at')
    with op.batch_alter_table('join_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_join_attempt_address_at')
    op.drop_table('join_attempt')
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_user_id'))
    op.drop_table('invitation')
