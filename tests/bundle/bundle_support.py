"""Helpers for the bundle tests: a fully filled review and the file hashes a refusal must not change."""

from __future__ import annotations

import functools
import hashlib
import tempfile
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from app.models import CarriedAction, ReportRevision, Review, Signoff
from app.models.enums import ConsentBasis, EntryKind, Evidence, HeadlineAnswer, Priority
from app.services import actions, notes, people, sections
from app.services.dto import ActionInput, Actor, ReviewSetup
from app.services.reviews import create_review
from app.services.store import Store

CHAIR = Actor("Alex Chair", "chair")
REVIEW_DATE = date(2026, 11, 20)


@functools.cache
def signed_report() -> tuple[bytes, str]:
    """A really signed report PDF (made once per test run) and its signer's certificate fingerprint."""
    from tests.report.test_signing import make_signers, make_source_pdf

    with tempfile.TemporaryDirectory(prefix="reviewday-bundle-pdf-") as folder:
        folder = Path(folder)
        signers = make_signers(folder / "identities")
        signed = signers.sign(make_source_pdf(folder / "report.pdf"), folder / "signed.pdf")
        return signed.read_bytes(), signers.chair.fingerprint


def full_review(store: Store) -> int:
    """A review with every part a bundle carries filled in, the oversight inputs included."""
    review = create_review(store, ReviewSetup(
        template_id="icetr", person_label="J.B.", review_date=REVIEW_DATE, hospital="Riverside Hospital",
        ward="Willow Ward", secure=True, legal_status="Section 3 MHA", admission_date=date(2024, 3, 1),
        date_of_birth=date(1990, 5, 6), long_term_segregation=True, seclusion=True, moj_restricted=True,
        escalation_requested_by="family advocate", declined_before=2, unresolved_complaint=True,
    ), CHAIR)
    rid = review.id
    people.record_consent(store, rid, CHAIR, ConsentBasis.CONSENT, "Agreed on the ward")
    people.add_attendee(store, rid, CHAIR, name="Alex Chair", role="chair")
    people.add_attendee(store, rid, CHAIR, name="Morgan Expert", role="clinical_expert", organisation="NHS")
    notes.add_note(store, rid, "safety", "Seen on the ward; calm. Ünïcödé ✓", CHAIR, speaker_name="Nurse Lee",
                   speaker_role="nurse", easy_read=True)
    sections.add_entry(store, rid, "safety", EntryKind.CONCERN, "Restraint used twice", CHAIR,
                       evidence=Evidence.DOCUMENT, evidence_detail="Incident log")
    sections.add_entry(store, rid, "daily_life", EntryKind.GOOD_PRACTICE, "Daily walks", CHAIR)
    sections.set_headline(store, rid, "safe", CHAIR, answer=HeadlineAnswer.PARTLY, reasons="See concerns")
    actions.add_action(store, rid, ActionInput(what="Review the risk plan", owner_name="Dr Ward",
                                               deadline=date(2026, 12, 18), priority=Priority.HIGH,
                                               section_id="safety", easy_read="Your doctor will check your plan."),
                       CHAIR)
    with store.write() as session:
        row = session.get(Review, rid)
        row.person_key = "0b6f3a1e-1111-4222-8333-444455556666"
        session.add(CarriedAction(
            review_id=rid, source_action_uid="5f1d2c3b-aaaa-4bbb-8ccc-ddddeeeeffff",
            source_review_date=date(2026, 5, 1), what="Plan a community visit", owner_name="Care co-ordinator",
            deadline=date(2026, 7, 1), reason="Not yet arranged", position=0, easy_read="We will plan a visit.",
            updated_at=datetime(2026, 11, 20, 10, 0),
        ))
        pdf, fingerprint = signed_report()
        revision = ReportRevision(
            review_id=rid, number=1, created_at=datetime(2026, 11, 20, 16, 0), created_by="Alex Chair",
            signed_at=datetime(2026, 11, 20, 17, 0, 5, 123456), signed_pdf=pdf,
            signed_pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        )
        revision.signoffs = [Signoff(kind="sign", name="Alex Chair", role="chair",
                                     at=datetime(2026, 11, 20, 17, 0), certificate_fingerprint=fingerprint)]
        session.add(revision)
        session.add(ReportRevision(review_id=rid, number=2, reason="Typo in an action",
                                   created_at=datetime(2026, 11, 21, 9, 0), created_by="Alex Chair"))
    return rid


def database_fingerprint(path: Path) -> dict[str, str]:
    """sha256 of the database file and any -wal / -shm beside it (the store must be closed)."""
    found = {}
    for suffix in ("", "-wal", "-journal"):
        candidate = Path(f"{path}{suffix}")
        if candidate.exists():
            found[suffix or "db"] = hashlib.sha256(candidate.read_bytes()).hexdigest()
    return found


def review_count(store: Store) -> int:
    with store.read() as session:
        return len(session.scalars(select(Review.id)).all())
