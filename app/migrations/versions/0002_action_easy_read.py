"""easy read wording for actions

Revision ID: 0002_action_easy_read
Revises: 0001_initial
Create Date: 2026-11-22 08:02:46.334893
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0002_action_easy_read'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('easy_read', sa.Text(), server_default='', nullable=False))

    


def downgrade() -> None:
    
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_column('easy_read')

    
