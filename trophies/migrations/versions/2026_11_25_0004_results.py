"""Results: an edition's publication can be scheduled, and the moment it was published is
kept (the public palmarès, the feed and the candidates' e-mails appear then).

Revision ID: 0004_results
Revises: 0003_scoring
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa

import trophies.models.base

# revision identifiers, used by Alembic.
revision = '0004_results'
down_revision = '0003_scoring'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publish_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('published_at', trophies.models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.drop_column('published_at')
        batch_op.drop_column('publish_at')
