from __future__ import annotations

from app.models.enums import EntryKind
from app.services import actions, notes, people, sections
from app.services.dto import ActionInput
from app.services.search import HitKind, search_review


def test_everything_the_panel_recorded_is_found(store, consented_review, actor):
    review_id = consented_review.id
    first, second = "safety", "care_treatment"
    nurse = people.add_attendee(store, review_id, actor, name="Dr Hana Said", role="clinical_expert",
                                organisation="Elmfield Trust")
    note = notes.add_note(store, review_id, second, "Seclusion used twice in October", actor,
                          speaker_name="Dr Hana Said")
    concern = sections.add_entry(store, review_id, first, EntryKind.CONCERN, "Night-time seclusion not recorded",
                                 actor)
    action = actions.add_action(store, review_id, ActionInput(
        what="Audit the seclusion records", why="Gaps found", owner_name="Jo Hale",
        owner_organisation="Elmfield Trust"), actor)
    question = sections.list_headlines(store, review_id)[0].question_id
    sections.set_headline(store, review_id, question, actor, reasons="No: seclusion is not reviewed")

    hits = search_review(store, review_id, "SECLUSION", section_order=[first, second])
    assert [(h.kind, h.target_id) for h in hits] == [
        (HitKind.ENTRY, concern.id),  # section by section, in the review's order
        (HitKind.NOTE, note.id),
        (HitKind.HEADLINE, question),
        (HitKind.ACTION, action.id),
    ]
    assert hits[1].section_id == second and hits[1].detail == "Dr Hana Said"

    # An action is found by its owner and organisation too; people by name, role or organisation.
    by_owner = search_review(store, review_id, "jo hale")
    assert [(h.kind, h.target_id, h.detail) for h in by_owner] == [
        (HitKind.ACTION, action.id, "Jo Hale, Elmfield Trust")]
    elmfield = search_review(store, review_id, "elmfield")
    assert [(h.kind, h.target_id) for h in elmfield] == [(HitKind.PERSON, nurse.id), (HitKind.ACTION, action.id)]
    assert [h.kind for h in search_review(store, review_id, "clinical expert")] == [HitKind.PERSON]


def test_every_word_must_match_in_any_field_and_blank_finds_nothing(store, consented_review, actor):
    review_id = consented_review.id
    actions.add_action(store, review_id, ActionInput(what="Book a dental check", owner_name="Ward manager"), actor)
    assert len(search_review(store, review_id, "dental manager")) == 1  # words from two fields
    assert search_review(store, review_id, "dental optician") == []
    assert search_review(store, review_id, "   ") == []
