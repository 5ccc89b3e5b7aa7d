from __future__ import annotations

import pytest

from app.models.enums import EntryKind, Evidence
from app.services import drafts, notes, sections
from app.services.errors import ValidationError


@pytest.fixture
def section_id(store, consented_review):
    return sections.list_section_states(store, consented_review.id)[1].section_id


def test_restore_entry_keeps_id_time_and_fields(store, actor, consented_review, section_id, clock):
    entry = sections.add_entry(
        store, consented_review.id, section_id, EntryKind.CONCERN, "Bruise not recorded", actor,
        evidence=Evidence.OBSERVATION, evidence_detail="Seen on the ward", safeguarding=True,
        safeguarding_lead="Ade Brown",
    )
    deleted = sections.delete_entry(store, entry.id, actor)
    clock.advance(hours=1)
    restored = sections.restore_entry(store, deleted, actor)
    assert restored == entry
    assert sections.list_entries(store, consented_review.id, section_id) == [entry]


def test_restore_entry_checks_like_add(store, actor, consented_review, section_id):
    entry = sections.add_entry(store, consented_review.id, section_id, EntryKind.FINDING, "Fine", actor)
    deleted = sections.delete_entry(store, entry.id, actor)
    bad = deleted.__class__(**{**deleted.__dict__, "kind": EntryKind.FINDING, "safeguarding": True})
    with pytest.raises(ValidationError, match="Only a concern"):
        sections.restore_entry(store, bad, actor)
    assert sections.list_entries(store, consented_review.id) == []


def test_adding_a_note_clears_its_capture_draft_in_the_same_commit(store, actor, consented_review, section_id):
    key = f"capture:{section_id}"
    drafts.save_draft(store, consented_review.id, key, "half typed")
    notes.add_note(store, consented_review.id, section_id, "half typed, now done", actor, draft_key=key)
    assert drafts.get_draft(store, consented_review.id, key) == ""


def test_list_section_notes_matches_list_notes(store, actor, consented_review, section_id, clock):
    for n in range(3):
        clock.advance(minutes=1)
        notes.add_note(store, consented_review.id, section_id, f"Note {n}", actor,
                       speaker_name="Chris Doyle", speaker_role="named_nurse")
    notes.add_note(store, consented_review.id, "opening", "Elsewhere", actor)
    assert notes.list_section_notes(store, consented_review.id, section_id) == notes.list_notes(
        store, consented_review.id, section_id
    )
    assert len(notes.list_section_notes(store, consented_review.id, section_id)) == 3
