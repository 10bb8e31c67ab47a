"""Initial schema: the whole data model of the pipeline (design.md section 2).

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-24

Column types are imported from the models (UTCDateTime); the audit triggers are written out
here so later changes to the models never rewrite this revision.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import trophies.models.base

# revision identifiers, used by Alembic.
revision = '0001_initial'
down_revision = None
branch_labels = None
depends_on = None


APPEND_ONLY = {
    "sqlite": [
        "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
        "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'audit_events is append-only'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
    ],
}
DROP_APPEND_ONLY = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_events_no_update",
               "DROP TRIGGER IF EXISTS audit_events_no_delete"],
    "postgresql": ["DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events",
                   "DROP FUNCTION IF EXISTS audit_events_append_only()"],
}


def _run(statements):
    for statement in statements.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def upgrade():
    op.create_table('editions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name_fr', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('description_fr', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('rules_fr', sa.Text(), nullable=False),
    sa.Column('rules_en', sa.Text(), nullable=False),
    sa.Column('rules_pdf_stored', sa.String(length=64), nullable=True),
    sa.Column('rules_pdf_sha256', sa.String(length=64), nullable=True),
    sa.Column('rules_pdf_size', sa.Integer(), nullable=True),
    sa.Column('privacy_notice_fr', sa.Text(), nullable=False),
    sa.Column('privacy_notice_en', sa.Text(), nullable=False),
    sa.Column('phase', sa.Enum('draft', 'open', 'screening', 'judging', 'deliberation', 'frozen', 'published', 'archived', name='phase', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('language', sa.Enum('fr', 'en', name='edition_language', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('call_opens_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('call_closes_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('judging_deadline_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('publication_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('retention_months', sa.Integer(), nullable=False),
    sa.Column('is_blind', sa.Boolean(), nullable=False),
    sa.Column('aggregation', sa.Enum('mean', 'median', name='aggregation', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('max_jurors_per_organisation', sa.Integer(), nullable=False),
    sa.Column('is_feedback_enabled', sa.Boolean(), nullable=False),
    sa.Column('shows_peer_totals', sa.Boolean(), nullable=False),
    sa.Column('is_general_comment_required', sa.Boolean(), nullable=False),
    sa.Column('eligibility_rules', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('tie_break', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('call_closes_at IS NULL OR call_opens_at IS NULL OR call_closes_at > call_opens_at', name=op.f('ck_editions_call_closes_after_opening')),
    sa.CheckConstraint('max_jurors_per_organisation >= 1', name=op.f('ck_editions_organisation_cap_positive')),
    sa.CheckConstraint('retention_months > 0', name=op.f('ck_editions_retention_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_editions')),
    sa.UniqueConstraint('slug', name=op.f('uq_editions_slug'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('language', sa.Enum('fr', 'en', name='language', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('is_admin', sa.Boolean(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('totp_secret', sa.String(length=64), nullable=True),
    sa.Column('totp_enabled_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('totp_last_step', sa.Integer(), nullable=True),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('email_verified_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('password_changed_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_login_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('erased_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_users_email_lowercase')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email')),
    sa.UniqueConstraint('session_token', name=op.f('uq_users_session_token'))
    )
    op.create_table('account_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Enum('verify_email', 'reset_password', 'invitation', 'change_email', name='purpose', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.Enum('candidate', 'juror', 'organizer', name='token_role', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("purpose <> 'invitation' OR (edition_id IS NOT NULL AND role IS NOT NULL)", name=op.f('ck_account_tokens_invitation_has_edition_and_role')),
    sa.CheckConstraint('expires_at > created_at', name=op.f('ck_account_tokens_expires_after_creation')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_account_tokens_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_account_tokens_edition_id_editions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_account_tokens_token_hash'))
    )
    with op.batch_alter_table('account_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('edition_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users')),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_audit_events_edition_id_editions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_edition_id'), ['edition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_occurred_at'), ['occurred_at'], unique=False)

    op.create_table('categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_fr', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('description_fr', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_categories_edition_id_editions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('edition_id', 'name_fr', name=op.f('uq_categories_edition_id_name_fr'))
    )
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_categories_edition_id'), ['edition_id'], unique=False)

    op.create_table('juror_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('organisation_key', sa.String(length=200), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('invited_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('confidentiality_accepted_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('capacity IS NULL OR capacity >= 0', name=op.f('ck_juror_profiles_capacity_not_negative')),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_juror_profiles_edition_id_editions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_juror_profiles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_juror_profiles')),
    sa.UniqueConstraint('edition_id', 'user_id', name=op.f('uq_juror_profiles_edition_id_user_id'))
    )
    with op.batch_alter_table('juror_profiles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_juror_profiles_edition_id'), ['edition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_juror_profiles_organisation_key'), ['organisation_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_juror_profiles_user_id'), ['user_id'], unique=False)

    op.create_table('mail_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('recipient_name', sa.String(length=200), nullable=False),
    sa.Column('language', sa.Enum('fr', 'en', name='mail_language', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('template', sa.String(length=60), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'sent', 'failed', 'logged', name='mail_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('sent_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_mail_outbox_attempts_not_negative')),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_mail_outbox_edition_id_editions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_outbox'))
    )
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_outbox_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_outbox_status'), ['status'], unique=False)

    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('candidate', 'juror', 'organizer', name='role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_memberships_edition_id_editions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_memberships_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships')),
    sa.UniqueConstraint('user_id', 'edition_id', 'role', name=op.f('uq_memberships_user_id_edition_id_role'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberships_edition_id'), ['edition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_memberships_user_id'), ['user_id'], unique=False)

    op.create_table('questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.Enum('short_text', 'long_text', 'single_choice', 'multiple_choice', 'number', 'yes_no', 'url', 'file', name='kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('label_fr', sa.Text(), nullable=False),
    sa.Column('label_en', sa.Text(), nullable=False),
    sa.Column('help_fr', sa.Text(), nullable=False),
    sa.Column('help_en', sa.Text(), nullable=False),
    sa.Column('is_required', sa.Boolean(), nullable=False),
    sa.Column('max_length', sa.Integer(), nullable=True),
    sa.Column('min_value', sa.Integer(), nullable=True),
    sa.Column('max_value', sa.Integer(), nullable=True),
    sa.Column('choices', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('file_types', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('max_file_bytes', sa.Integer(), nullable=True),
    sa.Column('is_hidden_when_blind', sa.Boolean(), nullable=False),
    sa.CheckConstraint('max_length IS NULL OR max_length > 0', name=op.f('ck_questions_max_length_positive')),
    sa.CheckConstraint('max_file_bytes IS NULL OR max_file_bytes > 0', name=op.f('ck_questions_max_file_bytes_positive')),
    sa.CheckConstraint('min_value IS NULL OR max_value IS NULL OR max_value >= min_value', name=op.f('ck_questions_bounds_ordered')),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_questions_edition_id_editions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questions')),
    sa.UniqueConstraint('edition_id', 'key', name=op.f('uq_questions_edition_id_key'))
    )
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questions_edition_id'), ['edition_id'], unique=False)

    op.create_table('rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name_fr', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('starts_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ends_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('jurors_per_dossier', sa.Integer(), nullable=False),
    sa.CheckConstraint('ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at', name=op.f('ck_rounds_ends_after_start')),
    sa.CheckConstraint('jurors_per_dossier BETWEEN 1 AND 50', name=op.f('ck_rounds_jurors_per_dossier_range')),
    sa.CheckConstraint('number >= 1', name=op.f('ck_rounds_number_positive')),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_rounds_edition_id_editions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rounds')),
    sa.UniqueConstraint('edition_id', 'number', name=op.f('uq_rounds_edition_id_number'))
    )
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rounds_edition_id'), ['edition_id'], unique=False)

    op.create_table('criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('name_fr', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('description_fr', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('scale_min', sa.Integer(), nullable=False),
    sa.Column('scale_max', sa.Integer(), nullable=False),
    sa.Column('scale_step', sa.Integer(), nullable=False),
    sa.Column('allows_na', sa.Boolean(), nullable=False),
    sa.CheckConstraint('(scale_max - scale_min) % scale_step = 0', name=op.f('ck_criteria_step_divides_scale')),
    sa.CheckConstraint('scale_max > scale_min', name=op.f('ck_criteria_scale_not_empty')),
    sa.CheckConstraint('scale_step > 0', name=op.f('ck_criteria_step_positive')),
    sa.CheckConstraint('weight > 0', name=op.f('ck_criteria_weight_positive')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_criteria_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criteria'))
    )
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criteria_round_id'), ['round_id'], unique=False)

    op.create_table('dossiers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=24), nullable=False),
    sa.Column('company_name', sa.String(length=200), nullable=False),
    sa.Column('legal_form', sa.String(length=40), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=False),
    sa.Column('project_title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'withdrawn', 'eligible', 'ineligible', 'shortlisted', 'laureate', name='status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('eligibility_reason', sa.Text(), nullable=True),
    sa.Column('eligibility_decided_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('eligibility_decided_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status = 'draft' OR status = 'withdrawn' OR submitted_at IS NOT NULL", name=op.f('ck_dossiers_submitted_has_date')),
    sa.CheckConstraint("status NOT IN ('ineligible') OR eligibility_reason IS NOT NULL", name=op.f('ck_dossiers_ineligible_has_reason')),
    sa.ForeignKeyConstraint(['candidate_id'], ['users.id'], name=op.f('fk_dossiers_candidate_id_users')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_dossiers_category_id_categories')),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_dossiers_edition_id_editions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['eligibility_decided_by_id'], ['users.id'], name=op.f('fk_dossiers_eligibility_decided_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossiers')),
    sa.UniqueConstraint('reference', name=op.f('uq_dossiers_reference'))
    )
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossiers_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossiers_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossiers_edition_id'), ['edition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossiers_status'), ['status'], unique=False)

    op.create_table('juror_expertise',
    sa.Column('juror_profile_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_juror_expertise_category_id_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['juror_profile_id'], ['juror_profiles.id'], name=op.f('fk_juror_expertise_juror_profile_id_juror_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('juror_profile_id', 'category_id', name=op.f('pk_juror_expertise'))
    )
    op.create_table('result_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('length(digest) = 64', name=op.f('ck_result_snapshots_digest_length')),
    sa.CheckConstraint('sequence >= 1', name=op.f('ck_result_snapshots_sequence_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_result_snapshots_created_by_id_users')),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_result_snapshots_edition_id_editions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_result_snapshots_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_result_snapshots')),
    sa.UniqueConstraint('edition_id', 'sequence', name=op.f('uq_result_snapshots_edition_id_sequence'))
    )
    with op.batch_alter_table('result_snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_result_snapshots_edition_id'), ['edition_id'], unique=False)

    op.create_table('answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_answers_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_answers_question_id_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answers')),
    sa.UniqueConstraint('dossier_id', 'question_id', name=op.f('uq_answers_dossier_id_question_id'))
    )
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answers_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('juror_id', sa.Integer(), nullable=False),
    sa.Column('is_pinned', sa.Boolean(), nullable=False),
    sa.Column('source', sa.Enum('solver', 'manual', 'import', name='assignment_source', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_assignments_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['juror_id'], ['users.id'], name=op.f('fk_assignments_juror_id_users')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_assignments_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments')),
    sa.UniqueConstraint('juror_id', 'dossier_id', 'round_id', name=op.f('uq_assignments_juror_id_dossier_id_round_id'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_juror_id'), ['juror_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_round_id'), ['round_id'], unique=False)

    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=True),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(sha256) = 64', name=op.f('ck_attachments_sha256_length')),
    sa.CheckConstraint('size_bytes >= 0', name=op.f('ck_attachments_size_not_negative')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_attachments_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_attachments_question_id_questions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_attachments_stored_name'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('conflicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('juror_id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Enum('declared', 'organisation', 'email_domain', 'mention', 'manual', name='source', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('status', sa.Enum('suggested', 'confirmed', 'dismissed', name='conflict_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_conflicts_created_by_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_conflicts_decided_by_id_users')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_conflicts_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_conflicts_edition_id_editions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['juror_id'], ['users.id'], name=op.f('fk_conflicts_juror_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflicts')),
    sa.UniqueConstraint('juror_id', 'dossier_id', name=op.f('uq_conflicts_juror_id_dossier_id'))
    )
    with op.batch_alter_table('conflicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conflicts_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conflicts_edition_id'), ['edition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conflicts_juror_id'), ['juror_id'], unique=False)

    op.create_table('criterion_levels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('label_fr', sa.Text(), nullable=False),
    sa.Column('label_en', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['criteria.id'], name=op.f('fk_criterion_levels_criterion_id_criteria'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criterion_levels')),
    sa.UniqueConstraint('criterion_id', 'value', name=op.f('uq_criterion_levels_criterion_id_value'))
    )
    with op.batch_alter_table('criterion_levels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criterion_levels_criterion_id'), ['criterion_id'], unique=False)

    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('laureate', 'runner_up', 'mention', 'coup_de_coeur', name='decision_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title_fr', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('justification', sa.Text(), nullable=False),
    sa.Column('decided_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('position >= 1', name=op.f('ck_decisions_position_positive')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_decisions_category_id_categories')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_decisions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_decisions_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_decisions_edition_id_editions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions')),
    sa.UniqueConstraint('edition_id', 'dossier_id', 'kind', name=op.f('uq_decisions_edition_id_dossier_id_kind'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_edition_id'), ['edition_id'], unique=False)

    op.create_table('founders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('role_title', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_founders_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_founders'))
    )
    with op.batch_alter_table('founders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_founders_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('score_sheets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'voided', name='sheet_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('general_comment', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reopened_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reopen_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("status <> 'submitted' OR submitted_at IS NOT NULL", name=op.f('ck_score_sheets_submitted_has_date')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_score_sheets_version_positive')),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_score_sheets_assignment_id_assignments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_sheets')),
    sa.UniqueConstraint('assignment_id', name=op.f('uq_score_sheets_assignment_id'))
    )
    with op.batch_alter_table('score_sheets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_score_sheets_status'), ['status'], unique=False)

    op.create_table('marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=True),
    sa.Column('is_na', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.CheckConstraint('NOT (is_na AND value IS NOT NULL)', name=op.f('ck_marks_na_has_no_value')),
    sa.ForeignKeyConstraint(['criterion_id'], ['criteria.id'], name=op.f('fk_marks_criterion_id_criteria'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sheet_id'], ['score_sheets.id'], name=op.f('fk_marks_sheet_id_score_sheets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_marks')),
    sa.UniqueConstraint('sheet_id', 'criterion_id', name=op.f('uq_marks_sheet_id_criterion_id'))
    )
    with op.batch_alter_table('marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_marks_sheet_id'), ['sheet_id'], unique=False)

    op.create_table('recovered_forms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.Column('items', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovered_forms')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_recovered_forms_key_hash'))
    )
    with op.batch_alter_table('recovered_forms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovered_forms_created_at'), ['created_at'], unique=False)

    op.create_table('dossier_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('invited_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', trophies.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_dossier_members_email_lowercase')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_dossier_members_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_dossier_members_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_dossier_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_members')),
    sa.UniqueConstraint('dossier_id', 'email', name=op.f('uq_dossier_members_dossier_id_email')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_dossier_members_token_hash'))
    )
    with op.batch_alter_table('dossier_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_members_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossier_members_user_id'), ['user_id'], unique=False)

    _run(APPEND_ONLY)


def downgrade():
    _run(DROP_APPEND_ONLY)
    with op.batch_alter_table('dossier_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_dossier_members_dossier_id'))
    op.drop_table('dossier_members')
    with op.batch_alter_table('recovered_forms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovered_forms_created_at'))
    op.drop_table('recovered_forms')
    with op.batch_alter_table('marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_marks_sheet_id'))

    op.drop_table('marks')
    with op.batch_alter_table('score_sheets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_score_sheets_status'))

    op.drop_table('score_sheets')
    with op.batch_alter_table('founders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_founders_dossier_id'))

    op.drop_table('founders')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_edition_id'))

    op.drop_table('decisions')
    with op.batch_alter_table('criterion_levels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criterion_levels_criterion_id'))

    op.drop_table('criterion_levels')
    with op.batch_alter_table('conflicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conflicts_juror_id'))
        batch_op.drop_index(batch_op.f('ix_conflicts_edition_id'))
        batch_op.drop_index(batch_op.f('ix_conflicts_dossier_id'))

    op.drop_table('conflicts')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_dossier_id'))

    op.drop_table('attachments')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignments_round_id'))
        batch_op.drop_index(batch_op.f('ix_assignments_juror_id'))
        batch_op.drop_index(batch_op.f('ix_assignments_dossier_id'))

    op.drop_table('assignments')
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answers_dossier_id'))

    op.drop_table('answers')
    with op.batch_alter_table('result_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_result_snapshots_edition_id'))

    op.drop_table('result_snapshots')
    op.drop_table('juror_expertise')
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossiers_status'))
        batch_op.drop_index(batch_op.f('ix_dossiers_edition_id'))
        batch_op.drop_index(batch_op.f('ix_dossiers_category_id'))
        batch_op.drop_index(batch_op.f('ix_dossiers_candidate_id'))

    op.drop_table('dossiers')
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criteria_round_id'))

    op.drop_table('criteria')
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rounds_edition_id'))

    op.drop_table('rounds')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questions_edition_id'))

    op.drop_table('questions')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_user_id'))
        batch_op.drop_index(batch_op.f('ix_memberships_edition_id'))

    op.drop_table('memberships')
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_outbox_status'))
        batch_op.drop_index(batch_op.f('ix_mail_outbox_created_at'))

    op.drop_table('mail_outbox')
    with op.batch_alter_table('juror_profiles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_juror_profiles_user_id'))
        batch_op.drop_index(batch_op.f('ix_juror_profiles_organisation_key'))
        batch_op.drop_index(batch_op.f('ix_juror_profiles_edition_id'))

    op.drop_table('juror_profiles')
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_categories_edition_id'))

    op.drop_table('categories')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_audit_events_edition_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_action'))

    op.drop_table('audit_events')
    with op.batch_alter_table('account_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_tokens_user_id'))

    op.drop_table('account_tokens')
    op.drop_table('users')
    op.drop_table('editions')
