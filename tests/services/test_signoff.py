from __future__ import annotations

import pytest

from app.models.enums import Attendance
from app.services import actions, notes, people, reviews, signoff
from app.services.demo import seed_demo
from app.services.dto import ActionInput, Actor
from app.services.errors import ReviewLockedError, ValidationError
from tests.conftest import REVIEW_DATE, confirm_as

CHAIR = Actor("Morgan Ellis", "independent_chair")
PANEL = [Actor("Dr Priya Nair", "clinical_expert"), Actor("Jamie Fox", "expert_by_experience"),
         Actor("Ruth Okafor", "mha_reviewer"), Actor("Ravi Patel", "commissioner"),
         Actor("Sam Taylor", "note_taker")]


@pytest.fixture
def demo_id(store):
    return seed_demo(store, review_date=REVIEW_DATE)


def test_chair_cannot_sign_until_the_panel_confirms(store, demo_id):
    problems = signoff.signing_problems(store, demo_id, CHAIR)
    assert len(problems) == 5 and "Jamie Fox (Expert by experience) has not confirmed" in " ".join(problems)
    for member in PANEL:
        confirm_as(store, demo_id, member)
    assert signoff.signing_problems(store, demo_id, CHAIR) == []
    assert "Only the chair signs" in " ".join(signoff.signing_problems(store, demo_id, PANEL[0]))


def test_confirming_twice_or_as_a_non_panel_member_is_refused(store, demo_id):
    confirm_as(store, demo_id, PANEL[0])
    with pytest.raises(ValidationError, match="already confirmed"):
        confirm_as(store, demo_id, PANEL[0])
    with pytest.raises(ValidationError, match="Only panel members"):
        confirm_as(store, demo_id, Actor("Linda K.", "family_carer"))


def test_apologies_do_not_block_signing(store, demo_id):
    fox = next(a for a in people.list_attendees(store, demo_id) if a.name == "Jamie Fox")
    people.update_attendee(store, fox.id, CHAIR, attendance=Attendance.APOLOGIES)
    for member in PANEL:
        if member.name != "Jamie Fox":
            confirm_as(store, demo_id, member)
    assert signoff.signing_problems(store, demo_id, CHAIR) == []


def _sign(store, review_id):
    for member in PANEL:
        confirm_as(store, review_id, member)
    return signoff.record_signature(store, review_id, CHAIR, b"%PDF-signed-1", "ab:cd")


def test_signing_locks_every_change_until_an_amendment(store, demo_id):
    revision = _sign(store, demo_id)
    assert revision.signed and reviews.get_review(store, demo_id).locked
    with pytest.raises(ReviewLockedError, match="amendment"):
        notes.add_note(store, demo_id, "safety", "late thought", CHAIR)
    with pytest.raises(ReviewLockedError):
        reviews.update_setup(store, demo_id, CHAIR, ward="Oak")
    with pytest.raises(ReviewLockedError):
        actions.add_action(store, demo_id, ActionInput(what="x"), CHAIR)
    with pytest.raises(ValidationError, match="reason"):
        signoff.amend(store, demo_id, CHAIR, "typo")
    second = signoff.amend(store, demo_id, CHAIR, "The SLT deadline was wrong: the team confirmed 6 weeks.")
    assert second.number == 2 and not reviews.get_review(store, demo_id).locked
    notes.add_note(store, demo_id, "safety", "Correction agreed by phone.", CHAIR)
    assert signoff.signed_pdf(store, demo_id, 1) == b"%PDF-signed-1"
    assert [r.number for r in signoff.list_revisions(store, demo_id)] == [1, 2]


def test_countersignature_follows_the_chair(store, demo_id):
    with pytest.raises(ValidationError, match="chair signs first"):
        signoff.record_countersignature(store, demo_id, PANEL[0], b"x", "")
    _sign(store, demo_id)
    revision = signoff.record_countersignature(store, demo_id, PANEL[0], b"%PDF-countersigned", "ef:01")
    assert [s.kind for s in revision.signoffs][-2:] == ["sign", "countersign"]
    assert signoff.signed_pdf(store, demo_id) == b"%PDF-countersigned"
    with pytest.raises(ValidationError, match="already signed"):
        signoff.record_countersignature(store, demo_id, PANEL[0], b"again", "")


def test_amending_an_unsigned_review_is_refused(store, demo_id):
    with pytest.raises(ValidationError, match="not signed yet"):
        signoff.amend(store, demo_id, CHAIR, "A long enough reason for this.")


def test_a_change_while_signing_refuses_the_signature(store, demo_id, clock):
    for member in PANEL:
        confirm_as(store, demo_id, member)
    rendered_at = reviews.get_review(store, demo_id).updated_at
    clock.advance(seconds=1)
    notes.add_note(store, demo_id, "safety", "Said while the PDF was being made.", PANEL[3])
    with pytest.raises(ValidationError, match="changed while the report was being signed"):
        signoff.record_signature(store, demo_id, CHAIR, b"%PDF", "ab", rendered_at=rendered_at)
    assert not reviews.get_review(store, demo_id).locked


def test_signing_is_refused_naming_the_recommendations_without_a_why(store, demo_id):
    for member in PANEL:
        confirm_as(store, demo_id, member)
    first = actions.list_actions(store, demo_id)[0]
    actions.update_action(store, first.id, CHAIR, why="")
    problems = signoff.signing_problems(store, demo_id, CHAIR)
    assert problems == [f"Say why (the rationale) for action 1 ({first.what[:39]}…)."]
    with pytest.raises(ValidationError, match=r"cannot be signed yet: Say why \(the rationale\) for action 1"):
        signoff.record_signature(store, demo_id, CHAIR, b"%PDF-1.7", "ab" * 32)
    assert reviews.get_review(store, demo_id).locked is False
