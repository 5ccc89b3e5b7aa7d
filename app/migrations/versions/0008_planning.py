"""planning before the day and the report after it: notice, the family consulted, the pre-meeting,
the documents checklist; the draft and final report's copies sent out and the factual accuracy
corrections

Revision ID: 0008_planning
Revises: 0007_review_links
Create Date: 2026-12-06 02:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008_planning'
down_revision = '0007_review_links'
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=False, length=32)


def upgrade() -> None:
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notice_given_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('notice_given_to', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('family_consulted', _enum('yesno', 'unknown', 'yes', 'no'),
                                      server_default='unknown', nullable=False))
        batch_op.add_column(sa.Column('family_consulted_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('pre_meeting_on', sa.Date(), nullable=True))
    op.create_table(
        'planning_documents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.String(length=64), nullable=False),
        sa.Column('status', _enum('documentstatus', 'not_requested', 'requested', 'received', 'not_available'),
                  nullable=False),
        sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_planning_documents_review_id_reviews'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_planning_documents')),
        sa.UniqueConstraint('review_id', 'document_id', name=op.f('uq_planning_documents_review_id')),
    )
    with op.batch_alter_table('planning_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_planning_documents_review_id'), ['review_id'], unique=False)
    op.create_table(
        'report_copies',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uid', sa.String(length=36), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('stage', _enum('circulationstage', 'draft', 'final'), nullable=False),
        sa.Column('recipient', sa.String(length=200), nullable=False),
        sa.Column('organisation', sa.String(length=200), nullable=False),
        sa.Column('method', _enum('deliverymethod', 'secure_email', 'email', 'post', 'by_hand', 'other'),
                  nullable=False),
        sa.Column('sent_on', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_report_copies_review_id_reviews'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_copies')),
        sa.UniqueConstraint('uid', name=op.f('uq_report_copies_uid')),
    )
    with op.batch_alter_table('report_copies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_copies_review_id'), ['review_id'], unique=False)
    op.create_table(
        'accuracy_corrections',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uid', sa.String(length=36), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('requested_by', sa.String(length=200), nullable=False),
        sa.Column('requested_on', sa.Date(), nullable=True),
        sa.Column('what', sa.Text(), nullable=False),
        sa.Column('decision', _enum('correctiondecision', 'pending', 'accepted', 'declined'), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['review_id'], ['reviews.id'],
                                name=op.f('fk_accuracy_corrections_review_id_reviews'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_accuracy_corrections')),
        sa.UniqueConstraint('uid', name=op.f('uq_accuracy_corrections_uid')),
    )
    with op.batch_alter_table('accuracy_corrections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accuracy_corrections_review_id'), ['review_id'], unique=False)


def downgrade() -> None:
    for table in ('accuracy_corrections', 'report_copies', 'planning_documents'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_review_id'))
        op.drop_table(table)
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        for name in ('pre_meeting_on', 'family_consulted_on', 'family_consulted', 'notice_given_to',
                     'notice_given_on'):
            batch_op.drop_column(name)
