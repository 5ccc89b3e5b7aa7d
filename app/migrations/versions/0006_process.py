"""the review process: CQC rating, secure level, unit, dates, escalation decision, admission and feedback

Revision ID: 0006_process
Revises: 0005_follow_up
Create Date: 2026-12-08 09:00:00

Data-preserving: the old `secure` tick becomes the secure level "secure, level not recorded" and
`ward_rated_inadequate` becomes the CQC rating "inadequate". Both old columns stay (derived from
the new ones from now on), so nothing already stored changes.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006_process'
down_revision = '0005_follow_up'
branch_labels = None
depends_on = None


def _enum(*values: str) -> sa.Enum:
    return sa.Enum(*values, native_enum=False, create_constraint=False, length=32)


DATES = (
    'segregation_started', 'next_review_agreed', 'discharge_date', 'escalation_decided_on',
    'oversight_outcome_on', 'person_told_on', 'family_told_on', 'advocate_told_on',
)
TEXTS = (
    'requested_because', 'escalation_other_concern', 'escalation_not_because', 'oversight_outcome',
    'person_not_told_because', 'family_not_told_because', 'advocate_not_told_because', 'person_feedback',
    'family_feedback',
)
YES_NO = ('unknown', 'yes', 'no')
LISTENED = ('not_asked', 'yes', 'partly', 'no', 'did_not_say')


def upgrade() -> None:
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('secure_level', _enum('none', 'low', 'medium', 'high', 'secure'),
                                      server_default='none', nullable=False))
        batch_op.add_column(sa.Column('cqc_rating', _enum('not_recorded', 'outstanding', 'good',
                                                          'requires_improvement', 'inadequate'),
                                      server_default='not_recorded', nullable=False))
        batch_op.add_column(sa.Column('unit', sa.String(length=200), server_default='', nullable=False))
        for name in DATES:
            batch_op.add_column(sa.Column(name, sa.Date(), nullable=True))
        for name in TEXTS:
            batch_op.add_column(sa.Column(name, sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('community_review_before_admission', _enum(*YES_NO),
                                      server_default='unknown', nullable=False))
        batch_op.add_column(sa.Column('readmission', _enum(*YES_NO), server_default='unknown', nullable=False))
        batch_op.add_column(sa.Column('escalation_decision', _enum('undecided', 'escalate', 'not_escalate'),
                                      server_default='undecided', nullable=False))
        batch_op.add_column(sa.Column('escalation_reasons', sa.String(length=400), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('escalation_decided_by', sa.String(length=200), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('escalation_decided_by_role', sa.String(length=64), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('person_listened', _enum(*LISTENED), server_default='not_asked',
                                      nullable=False))
        batch_op.add_column(sa.Column('family_listened', _enum(*LISTENED), server_default='not_asked',
                                      nullable=False))
    # What the old ticks said, in the new words.
    op.execute(sa.text("UPDATE reviews SET secure_level = 'secure' WHERE secure"))
    op.execute(sa.text("UPDATE reviews SET cqc_rating = 'inadequate' WHERE ward_rated_inadequate"))


def downgrade() -> None:
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        for name in ('family_listened', 'person_listened', 'escalation_decided_by_role', 'escalation_decided_by',
                     'escalation_reasons', 'escalation_decision', 'readmission',
                     'community_review_before_admission', *reversed(TEXTS), *reversed(DATES), 'unit',
                     'cqc_rating', 'secure_level'):
            batch_op.drop_column(name)
