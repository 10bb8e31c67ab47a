"""Documents: the organizer's inputs to the jury minutes (date, place, chair, attendees) and
PDFs generated in the background (status, progress, stored file).

Revision ID: 0005_documents
Revises: 0004_results
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa

import trophies.models.base

# revision identifiers, used by Alembic.
revision = '0005_documents'
down_revision = '0004_results'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'deliberation_minutes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=True),
        sa.Column('place', sa.String(length=200), nullable=False),
        sa.Column('chair_name', sa.String(length=200), nullable=False),
        sa.Column('attendee_ids', trophies.models.base.JSONType, nullable=False),
        sa.Column('notes', sa.Text(), nullable=False),
        sa.Column('updated_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_deliberation_minutes_edition_id_editions'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_deliberation_minutes_updated_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_deliberation_minutes')),
        sa.UniqueConstraint('edition_id', name=op.f('uq_deliberation_minutes_edition_id')),
    )
    op.create_table(
        'document_jobs',
        sa.Column('id', sa.String(length=43), nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('lang', sa.String(length=5), nullable=False),
        sa.Column('subject', sa.String(length=80), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('progress', sa.Integer(), nullable=False),
        sa.Column('message', sa.String(length=300), nullable=False),
        sa.Column('filename', sa.String(length=160), nullable=False),
        sa.Column('pages', sa.Integer(), nullable=True),
        sa.Column('size', sa.Integer(), nullable=True),
        sa.Column('created_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('started_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('finished_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_document_jobs_status_known')),
        sa.CheckConstraint('progress BETWEEN 0 AND 100', name=op.f('ck_document_jobs_progress_percent')),
        sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_document_jobs_edition_id_editions'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_document_jobs_requested_by_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_document_jobs')),
    )
    with op.batch_alter_table('document_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_jobs_edition_id'), ['edition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_jobs_requested_by_id'), ['requested_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('document_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_jobs_requested_by_id'))
        batch_op.drop_index(batch_op.f('ix_document_jobs_edition_id'))
    op.drop_table('document_jobs')
    op.drop_table('deliberation_minutes')
