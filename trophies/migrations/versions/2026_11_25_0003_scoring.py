"""Scoring: rounds can be closed, editions set when reminders go out, reminders are recorded
once per juror, round and occasion.

Revision ID: 0003_scoring
Revises: 0002_jury
Create Date: 2026-11-25

Columns added to existing tables carry a server default so that existing rows get a value.
"""
from alembic import op
import sqlalchemy as sa

import trophies.models.base

# revision identifiers, used by Alembic.
revision = '0003_scoring'
down_revision = '0002_jury'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('juror_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('pending', sa.Integer(), nullable=False),
    sa.Column('sent_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('pending >= 0', name=op.f('ck_reminders_pending_not_negative')),
    sa.ForeignKeyConstraint(['juror_id'], ['users.id'], name=op.f('fk_reminders_juror_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_reminders_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_reminders_sent_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
    sa.UniqueConstraint('round_id', 'juror_id', 'key', name=op.f('uq_reminders_round_id_juror_id_key'))
    )
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminders_juror_id'), ['juror_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminders_round_id'), ['round_id'], unique=False)

    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_days', sa.Integer(), nullable=False, server_default='7'))
        batch_op.create_check_constraint(batch_op.f('ck_editions_reminder_days_range'), 'reminder_days BETWEEN 0 AND 60')

    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_column('closed_at')

    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_editions_reminder_days_range'), type_='check')
        batch_op.drop_column('reminder_days')

    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminders_round_id'))
        batch_op.drop_index(batch_op.f('ix_reminders_juror_id'))

    op.drop_table('reminders')
