"""Jury and assignment: juror preferences, the confidentiality statement, conflict
declarations, the last assignment run of a round.

Revision ID: 0002_jury
Revises: 0001_initial
Create Date: 2026-11-24

Columns added to existing tables carry a server default so that existing rows get a value.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import trophies.models.base

# revision identifiers, used by Alembic.
revision = '0002_jury'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('juror_preferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('juror_id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Enum('want', 'can', 'prefer_not', name='preference_level', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('updated_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_juror_preferences_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_juror_preferences_edition_id_editions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['juror_id'], ['users.id'], name=op.f('fk_juror_preferences_juror_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_juror_preferences')),
    sa.UniqueConstraint('juror_id', 'dossier_id', name=op.f('uq_juror_preferences_juror_id_dossier_id'))
    )
    with op.batch_alter_table('juror_preferences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_juror_preferences_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_juror_preferences_edition_id'), ['edition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_juror_preferences_juror_id'), ['juror_id'], unique=False)

    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('has_preferences', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('confidentiality_fr', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('confidentiality_en', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('juror_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('conflicts_declared_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignment_run', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=True))



def downgrade():
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_column('assignment_run')

    with op.batch_alter_table('juror_profiles', schema=None) as batch_op:
        batch_op.drop_column('conflicts_declared_at')

    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.drop_column('confidentiality_en')
        batch_op.drop_column('confidentiality_fr')
        batch_op.drop_column('has_preferences')

    with op.batch_alter_table('juror_preferences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_juror_preferences_juror_id'))
        batch_op.drop_index(batch_op.f('ix_juror_preferences_edition_id'))
        batch_op.drop_index(batch_op.f('ix_juror_preferences_dossier_id'))

    op.drop_table('juror_preferences')
