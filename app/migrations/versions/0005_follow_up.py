"""follow-up across reviews: person series, oversight criteria, stable row ids, carried actions, merges

Revision ID: 0005_follow_up
Revises: 0004_retention_log
Create Date: 2026-12-01 08:40:00
"""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = '0005_follow_up'
down_revision = '0004_retention_log'
branch_labels = None
depends_on = None

# Tables whose rows get a stable uid (bundles and panel contributions match rows by it).
UID_TABLES = ('attendees', 'notes', 'section_entries', 'actions')

REVIEW_FLAGS = (
    'moj_restricted', 'seclusion', 'restrictive_practice', 'ward_rated_inadequate',
    'safeguarding_investigation', 'unresolved_complaint',
)


def _backfill_uids(table: str) -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text(f'SELECT id FROM {table}')).scalars().all()
    for row_id in rows:
        bind.execute(sa.text(f'UPDATE {table} SET uid = :uid WHERE id = :id'), {'uid': str(uuid.uuid4()), 'id': row_id})


def upgrade() -> None:
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_key', sa.String(length=36), server_default='', nullable=False))
        batch_op.add_column(sa.Column('previous_review_id', sa.Integer(), nullable=True))
        for flag in REVIEW_FLAGS:
            batch_op.add_column(sa.Column(flag, sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('escalation_requested_by', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('declined_before', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index(batch_op.f('ix_reviews_person_key'), ['person_key'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_reviews_previous_review_id_reviews'), 'reviews', ['previous_review_id'], ['id'],
            ondelete='SET NULL',
        )
    # Each existing review starts its own series; follow-up reviews made from now on join one.
    op.execute("UPDATE reviews SET person_key = uid")

    for table in UID_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('uid', sa.String(length=36), server_default='', nullable=False))
        _backfill_uids(table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_uid'), ['uid'])

    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carried_from_uid', sa.String(length=36), server_default='', nullable=False))

    op.create_table(
        'carried_actions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uid', sa.String(length=36), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('source_action_uid', sa.String(length=36), nullable=False),
        sa.Column('source_review_id', sa.Integer(), nullable=True),
        sa.Column('source_review_date', sa.Date(), nullable=True),
        sa.Column('what', sa.Text(), nullable=False),
        sa.Column('owner_name', sa.String(length=200), nullable=False),
        sa.Column('owner_organisation', sa.String(length=200), nullable=False),
        sa.Column('deadline', sa.Date(), nullable=True),
        sa.Column('outcome', sa.Enum('pending', 'done', 'in_progress', 'not_done', name='carriedoutcome',
                                     native_enum=False, create_constraint=False, length=32), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_carried_actions_review_id_reviews'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['source_review_id'], ['reviews.id'],
                                name=op.f('fk_carried_actions_source_review_id_reviews'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_carried_actions')),
        sa.UniqueConstraint('review_id', 'source_action_uid', name=op.f('uq_carried_actions_review_id')),
        sa.UniqueConstraint('uid', name=op.f('uq_carried_actions_uid')),
    )
    with op.batch_alter_table('carried_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_carried_actions_review_id'), ['review_id'], unique=False)

    op.create_table(
        'merges',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('contributor_name', sa.String(length=200), nullable=False),
        sa.Column('contributor_role', sa.String(length=64), nullable=False),
        sa.Column('before', sa.Text(), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('undone_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_merges_review_id_reviews'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_merges')),
    )
    with op.batch_alter_table('merges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_merges_review_id'), ['review_id'], unique=False)


def downgrade() -> None:
    op.drop_table('merges')
    op.drop_table('carried_actions')
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_column('carried_from_uid')
    for table in UID_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'uq_{table}_uid'), type_='unique')
            batch_op.drop_column('uid')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reviews_previous_review_id_reviews'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reviews_person_key'))
        for column in ('declined_before', 'escalation_requested_by', *reversed(REVIEW_FLAGS),
                       'previous_review_id', 'person_key'):
            batch_op.drop_column(column)
