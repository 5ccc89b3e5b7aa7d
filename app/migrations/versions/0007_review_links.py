"""review links by uid: a follow-up keeps the uid of the review before it, and a carried action
the uid of the review it came from, even when that review is not (or no longer) in this database

Revision ID: 0007_review_links
Revises: 0006_process
Create Date: 2026-12-05 16:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007_review_links'
down_revision = '0006_process'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_review_uid', sa.String(length=36), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_reviews_previous_review_uid'), ['previous_review_uid'], unique=False)
    with op.batch_alter_table('carried_actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_review_uid', sa.String(length=36), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_carried_actions_source_review_uid'), ['source_review_uid'], unique=False)
    # The links that exist now, by uid as well.
    op.execute(
        "UPDATE reviews SET previous_review_uid = "
        "(SELECT earlier.uid FROM reviews AS earlier WHERE earlier.id = reviews.previous_review_id) "
        "WHERE previous_review_id IS NOT NULL"
    )
    op.execute(
        "UPDATE carried_actions SET source_review_uid = "
        "(SELECT reviews.uid FROM reviews WHERE reviews.id = carried_actions.source_review_id) "
        "WHERE source_review_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table('carried_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_carried_actions_source_review_uid'))
        batch_op.drop_column('source_review_uid')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_previous_review_uid'))
        batch_op.drop_column('previous_review_uid')
