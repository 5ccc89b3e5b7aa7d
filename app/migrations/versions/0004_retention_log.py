"""retention log

Revision ID: 0004_retention_log
Revises: 0003_signoff
Create Date: 2026-11-22 09:54:59.822940
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0004_retention_log'
down_revision = '0003_signoff'
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('retention_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('review_uid', sa.String(length=36), nullable=False),
    sa.Column('formats', sa.String(length=200), nullable=False),
    sa.Column('files', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_log'))
    )
    


def downgrade() -> None:
    
    op.drop_table('retention_log')
    
