"""follow-up outcomes: recommendations typed in from a paper report (and who chaired that review),
and what will be different this time when a recommendation is made again

Revision ID: 0009_follow_up_outcomes
Revises: 0008_planning
Create Date: 2026-12-06 01:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009_follow_up_outcomes'
down_revision = '0008_planning'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('carried_actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('typed_in', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('previous_chair', sa.String(length=200), server_default='', nullable=False))
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('different_this_time', sa.Text(), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_column('different_this_time')
    with op.batch_alter_table('carried_actions', schema=None) as batch_op:
        batch_op.drop_column('previous_chair')
        batch_op.drop_column('typed_in')
