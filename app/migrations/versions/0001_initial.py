"""initial schema

Revision ID: 0001_initial
Revises: 
Create Date: 2026-11-22 07:44:54.610215
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0001_initial'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('template_id', sa.String(length=64), nullable=False),
    sa.Column('template_version', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'in_progress', 'complete', name='reviewstatus', native_enum=False, length=32), nullable=False),
    sa.Column('person_label', sa.String(length=120), nullable=False),
    sa.Column('person_identifiers', sa.Text(), nullable=False),
    sa.Column('age_band', sa.String(length=32), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('setting_kind', sa.Enum('hospital', 'community', name='settingkind', native_enum=False, length=32), nullable=False),
    sa.Column('hospital', sa.String(length=200), nullable=False),
    sa.Column('ward', sa.String(length=200), nullable=False),
    sa.Column('secure', sa.Boolean(), nullable=False),
    sa.Column('service', sa.Enum('adult', 'camhs', name='service', native_enum=False, length=32), nullable=False),
    sa.Column('legal_status', sa.String(length=120), nullable=False),
    sa.Column('admission_date', sa.Date(), nullable=True),
    sa.Column('long_term_segregation', sa.Boolean(), nullable=False),
    sa.Column('review_date', sa.Date(), nullable=False),
    sa.Column('mode', sa.Enum('in_person', 'virtual', 'hybrid', name='mode', native_enum=False, length=32), nullable=False),
    sa.Column('environment_seen', sa.Boolean(), nullable=False),
    sa.Column('consent_basis', sa.Enum('not_recorded', 'consent', 'best_interests', 'declined', name='consentbasis', native_enum=False, length=32), nullable=False),
    sa.Column('consent_detail', sa.Text(), nullable=False),
    sa.Column('consent_recorded_by', sa.String(length=200), nullable=False),
    sa.Column('consent_recorded_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
    sa.UniqueConstraint('uid', name=op.f('uq_reviews_uid'))
    )
    op.create_table('actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.String(length=64), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('why', sa.Text(), nullable=False),
    sa.Column('owner_name', sa.String(length=200), nullable=False),
    sa.Column('owner_organisation', sa.String(length=200), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('priority', sa.Enum('high', 'medium', 'low', name='priority', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('open', 'in_progress', 'done', 'overdue', 'escalated', name='actionstatus', native_enum=False, length=32), nullable=False),
    sa.Column('completion_evidence', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_actions_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actions'))
    )
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actions_review_id'), ['review_id'], unique=False)

    op.create_table('attendees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=64), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('attendance', sa.Enum('in_person', 'remote', 'sent_views', 'apologies', name='attendance', native_enum=False, length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_attendees_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendees'))
    )
    with op.batch_alter_table('attendees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendees_review_id'), ['review_id'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_name', sa.String(length=200), nullable=False),
    sa.Column('actor_role', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('fields', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_audit_events_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_review_id'), ['review_id'], unique=False)

    op.create_table('drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_drafts_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drafts')),
    sa.UniqueConstraint('review_id', 'key', name=op.f('uq_drafts_review_id'))
    )
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_drafts_review_id'), ['review_id'], unique=False)

    op.create_table('headline_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=64), nullable=False),
    sa.Column('answer', sa.Enum('unanswered', 'yes', 'no', 'partly', name='headlineanswer', native_enum=False, length=32), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_headline_responses_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_headline_responses')),
    sa.UniqueConstraint('review_id', 'question_id', name=op.f('uq_headline_responses_review_id'))
    )
    with op.batch_alter_table('headline_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_headline_responses_review_id'), ['review_id'], unique=False)

    op.create_table('notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.String(length=64), nullable=False),
    sa.Column('speaker_name', sa.String(length=200), nullable=False),
    sa.Column('speaker_role', sa.String(length=64), nullable=False),
    sa.Column('author_name', sa.String(length=200), nullable=False),
    sa.Column('author_role', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_notes_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notes'))
    )
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notes_review_id'), ['review_id'], unique=False)

    op.create_table('section_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.Enum('finding', 'good_practice', 'concern', name='entrykind', native_enum=False, length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Enum('none', 'document', 'observation', 'quote', name='evidence', native_enum=False, length=32), nullable=False),
    sa.Column('evidence_detail', sa.Text(), nullable=False),
    sa.Column('safeguarding', sa.Boolean(), nullable=False),
    sa.Column('safeguarding_lead', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_section_entries_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_section_entries'))
    )
    with op.batch_alter_table('section_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_section_entries_review_id'), ['review_id'], unique=False)

    op.create_table('section_states',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('not_started', 'in_progress', 'done', name='sectionstatus', native_enum=False, length=32), nullable=False),
    sa.Column('planned_minutes', sa.Integer(), nullable=False),
    sa.Column('elapsed_seconds', sa.Integer(), nullable=False),
    sa.Column('lead_role', sa.String(length=64), nullable=False),
    sa.Column('prompts_covered', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_section_states_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_section_states')),
    sa.UniqueConstraint('review_id', 'section_id', name=op.f('uq_section_states_review_id'))
    )
    with op.batch_alter_table('section_states', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_section_states_review_id'), ['review_id'], unique=False)

    


def downgrade() -> None:
    
    with op.batch_alter_table('section_states', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_section_states_review_id'))

    op.drop_table('section_states')
    with op.batch_alter_table('section_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_section_entries_review_id'))

    op.drop_table('section_entries')
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notes_review_id'))

    op.drop_table('notes')
    with op.batch_alter_table('headline_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_headline_responses_review_id'))

    op.drop_table('headline_responses')
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_drafts_review_id'))

    op.drop_table('drafts')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_review_id'))

    op.drop_table('audit_events')
    with op.batch_alter_table('attendees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendees_review_id'))

    op.drop_table('attendees')
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actions_review_id'))

    op.drop_table('actions')
    op.drop_table('reviews')
    
