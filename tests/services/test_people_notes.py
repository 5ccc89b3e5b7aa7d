from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import Draft
from app.models.enums import Attendance, ConsentBasis
from app.services import drafts, notes, people
from app.services.errors import ConsentRequiredError, NotFoundError, ValidationError


def test_attendance_register_round_trip(store, actor, review):
    chair = people.add_attendee(store, review.id, actor, name="  Morgan   Ellis ", role="independent_chair")
    mum = people.add_attendee(store, review.id, actor, name="Linda K.", role="family_carer",
                              organisation="Mother", attendance=Attendance.REMOTE)
    assert chair.name == "Morgan Ellis"
    assert [a.name for a in people.list_attendees(store, review.id)] == ["Morgan Ellis", "Linda K."]
    people.update_attendee(store, mum.id, actor, attendance=Attendance.APOLOGIES)
    removed = people.remove_attendee(store, chair.id, actor)
    assert [a.name for a in people.list_attendees(store, review.id)] == ["Linda K."]
    restored = people.restore_attendee(store, removed, actor)
    assert restored == chair
    assert [a.attendance for a in people.list_attendees(store, review.id)] == [
        Attendance.IN_PERSON, Attendance.APOLOGIES
    ]


@pytest.mark.parametrize("name, role, message", [("", "chair", "name"), ("Jo", "wizard", "Choose a role")])
def test_bad_attendees_are_refused(store, actor, review, name, role, message):
    with pytest.raises(ValidationError, match=message):
        people.add_attendee(store, review.id, actor, name=name, role=role)
    assert people.list_attendees(store, review.id) == []


def test_consent_basis_is_recorded_with_who_and_when(store, actor, review, clock):
    data = people.record_consent(store, review.id, actor, ConsentBasis.CONSENT)
    assert data.consent_recorded
    assert data.consent_recorded_by == "Sam Taylor (Note-taker)"
    assert data.consent_recorded_at == clock()


def test_best_interests_needs_who_decided(store, actor, review):
    with pytest.raises(ValidationError, match="best-interests"):
        people.record_consent(store, review.id, actor, ConsentBasis.BEST_INTERESTS)
    data = people.record_consent(store, review.id, actor, ConsentBasis.BEST_INTERESTS, "RC, 12 Nov, MCA assessment")
    assert data.consent_detail == "RC, 12 Nov, MCA assessment"


def test_notes_stay_closed_until_consent_basis_recorded(store, actor, review):
    with pytest.raises(ConsentRequiredError, match="consent basis"):
        notes.add_note(store, review.id, "safety", "Anything", actor)
    assert notes.list_notes(store, review.id) == []
    people.record_consent(store, review.id, actor, ConsentBasis.DECLINED, "Said no to the panel")
    assert notes.add_note(store, review.id, "safety", "Ward view only", actor).text == "Ward view only"


def test_note_attribution_and_time(store, actor, consented_review, clock):
    note = notes.add_note(store, consented_review.id, "safety", " Restraint down. ", actor,
                          speaker_name="Chris Doyle", speaker_role="named_nurse")
    assert (note.text, note.speaker_name, note.speaker_role) == ("Restraint down.", "Chris Doyle", "named_nurse")
    assert (note.author_name, note.author_role, note.created_at) == ("Sam Taylor", "note_taker", clock())


def test_edit_delete_restore_keeps_identity(store, actor, consented_review, clock):
    note = notes.add_note(store, consented_review.id, "safety", "First", actor)
    clock.advance(minutes=5)
    edited = notes.edit_note(store, note.id, actor, text="First, corrected")
    assert edited.updated_at > edited.created_at
    deleted = notes.delete_note(store, note.id, actor)
    assert notes.list_notes(store, consented_review.id) == []
    with pytest.raises(NotFoundError):
        notes.edit_note(store, note.id, actor, text="x")
    restored = notes.restore_note(store, deleted, actor)
    assert (restored.id, restored.created_at, restored.text) == (note.id, note.created_at, "First, corrected")


def test_blank_and_oversized_notes_are_refused(store, actor, consented_review):
    with pytest.raises(ValidationError, match="needs some text"):
        notes.add_note(store, consented_review.id, "safety", "   ", actor)
    with pytest.raises(ValidationError, match="split it"):
        notes.add_note(store, consented_review.id, "safety", "x" * (notes.NOTE_MAX_CHARS + 1), actor)


def test_submitting_a_note_clears_its_draft_in_the_same_commit(store, actor, consented_review):
    drafts.save_draft(store, consented_review.id, "capture:safety", "half a sentence")
    assert drafts.get_draft(store, consented_review.id, "capture:safety") == "half a sentence"
    notes.add_note(store, consented_review.id, "safety", "half a sentence, finished", actor, draft_key="capture:safety")
    assert drafts.get_draft(store, consented_review.id, "capture:safety") == ""
    with store.read() as session:
        assert session.scalars(select(Draft)).all() == []


def test_search_matches_every_word_case_insensitively(store, actor, consented_review):
    notes.add_note(store, consented_review.id, "safety", "PRN lorazepam used nine times", actor)
    notes.add_note(store, consented_review.id, "daily_life", "Fresh air once a day", actor, speaker_name="Chris Doyle")
    assert [n.section_id for n in notes.search_notes(store, consented_review.id, "prn NINE")] == ["safety"]
    assert [n.section_id for n in notes.search_notes(store, consented_review.id, "doyle")] == ["daily_life"]
    assert notes.search_notes(store, consented_review.id, "   ") == []


def test_editing_consent_detail_keeps_who_recorded_it_and_when(store, actor, review, clock):
    from app.services.dto import Actor

    first = people.record_consent(store, review.id, actor, ConsentBasis.BEST_INTERESTS, "RC on 12 Nov")
    clock.advance(minutes=30)
    later = people.record_consent(store, review.id, Actor("Morgan Ellis", "independent_chair"),
                                  ConsentBasis.BEST_INTERESTS, "RC on 12 Nov, with the IMHA")
    assert later.consent_detail == "RC on 12 Nov, with the IMHA"
    assert (later.consent_recorded_by, later.consent_recorded_at) == (first.consent_recorded_by, first.consent_recorded_at)


def test_a_note_marked_for_the_easy_read_keeps_the_mark_through_delete_and_undo(store, actor, consented_review):
    note = notes.add_note(store, consented_review.id, "opening", "I want to go home.", actor,
                          speaker_name="A.K.", speaker_role="person")
    assert note.easy_read is False
    marked = notes.edit_note(store, note.id, actor, easy_read=True)
    assert marked.easy_read is True
    assert [n.easy_read for n in notes.list_section_notes(store, consented_review.id, "opening")] == [True]
    assert notes.get_note(store, note.id).easy_read is True
    restored = notes.restore_note(store, notes.delete_note(store, note.id, actor), actor)
    assert restored.easy_read is True
    assert notes.edit_note(store, note.id, actor, easy_read=False).easy_read is False
    from app.services import audit

    changed = [e.fields for e in audit.list_events(store, consented_review.id) if e.action == "update"]
    assert ["easy_read"] in [list(fields) for fields in changed]
