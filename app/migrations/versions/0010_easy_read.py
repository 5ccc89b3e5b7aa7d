"""easy read: notes the panel marks for "What you told us", and carried actions keep their plain words

Revision ID: 0010_easy_read
Revises: 0009_follow_up_outcomes
Create Date: 2026-12-06 01:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010_easy_read'
down_revision = '0009_follow_up_outcomes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('easy_read', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('carried_actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('easy_read', sa.Text(), server_default='', nullable=False))
    # Carried actions already here: the plain words of the action they came from, when it is still here.
    op.execute(
        "UPDATE carried_actions SET easy_read = COALESCE("
        "(SELECT actions.easy_read FROM actions WHERE actions.uid = carried_actions.source_action_uid), '')"
    )


def downgrade() -> None:
    with op.batch_alter_table('carried_actions', schema=None) as batch_op:
        batch_op.drop_column('easy_read')
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.drop_column('easy_read')
