"""Merging a panel member's contribution into the chair's review: the three-way rules, end to end."""

from __future__ import annotations

import pytest

from app.bundle import dump_review
from app.bundle.merge import OURS, ROW, THEIRS
from app.bundle.merge_store import apply_merge, last_merge, list_merges, summary_text, undo_merge
from app.models import Action, Attendee, Note, SectionEntry
from app.models.enums import HeadlineAnswer
from app.services import actions, audit, notes, people, reviews, sections
from app.services.errors import ReviewLockedError, ValidationError
from app.services.store import Store
from tests.bundle.merge_support import CHAIR, MEMBER, SECTION, content, hand_over, lock, row_id, seeded_review
from tests.conftest import REVIEW_DATE


@pytest.fixture
def handover(tmp_path, clock):
    chair = Store.open(tmp_path / "chair.sqlite3", clock=clock)
    member = Store.open(tmp_path / "member.sqlite3", clock=clock)
    review_id = seeded_review(chair, REVIEW_DATE)
    yield hand_over(chair, member, review_id)
    chair.close()
    member.close()


def test_conflicting_edits_to_the_same_field_are_conflicts_with_all_three_values(handover):
    h = handover
    uid = h.base["actions"][0]["uid"]
    actions.update_action(h.chair, row_id(h.chair, Action, uid), CHAIR, owner_name="Dr Ours")
    actions.update_action(h.member, row_id(h.member, Action, uid), MEMBER, owner_name="Dr Theirs")
    reviews.update_setup(h.chair, h.review_id, CHAIR, ward="Ash")
    reviews.update_setup(h.member, h.member_review_id, MEMBER, ward="Birch")

    plan = h.plan()

    found = {(c.part, c.field): c for c in plan.conflicts}
    assert set(found) == {("actions", "owner_name"), ("review", "ward")}
    owner = found[("actions", "owner_name")]
    assert (owner.key, owner.base, owner.ours, owner.theirs) == (uid, "Dr Ward", "Dr Ours", "Dr Theirs")
    assert owner.entity == "action"
    assert (found[("review", "ward")].base, found[("review", "ward")].ours, found[("review", "ward")].theirs) == (
        "Willow", "Ash", "Birch")
    with pytest.raises(ValidationError, match="2 of the 2 differences"):
        apply_merge(h.chair, h.review_id, plan, {}, CHAIR)
    assert reviews.get_review(h.chair, h.review_id).setup.ward == "Ash"  # nothing changed by the refusal

    result = apply_merge(h.chair, h.review_id, plan, {owner.id: THEIRS, found[("review", "ward")].id: OURS}, CHAIR)

    assert actions.get_action(h.chair, row_id(h.chair, Action, uid)).owner_name == "Dr Theirs"
    assert reviews.get_review(h.chair, h.review_id).setup.ward == "Ash"
    assert (result.kept_ours, result.took_theirs) == (1, 1)


def test_edits_to_different_fields_are_both_kept_without_conflicts(handover):
    h = handover
    uid = h.base["actions"][0]["uid"]
    actions.update_action(h.chair, row_id(h.chair, Action, uid), CHAIR, owner_name="Dr Ours")
    actions.update_action(h.member, row_id(h.member, Action, uid), MEMBER, why="Restraint rose in October")
    reviews.update_setup(h.member, h.member_review_id, MEMBER, legal_status="Section 37/41")
    sections.set_headline(h.member, h.member_review_id, "safe", MEMBER, answer=HeadlineAnswer.PARTLY)

    plan = h.plan()

    assert plan.conflicts == []
    assert plan.kept == 1
    apply_merge(h.chair, h.review_id, plan, {}, CHAIR)
    merged = actions.get_action(h.chair, row_id(h.chair, Action, uid))
    assert (merged.owner_name, merged.why) == ("Dr Ours", "Restraint rose in October")
    assert reviews.get_review(h.chair, h.review_id).setup.legal_status == "Section 37/41"
    answers = {h.question_id: h.answer for h in sections.list_headlines(h.chair, h.review_id)}
    assert answers["safe"] is HeadlineAnswer.PARTLY


def test_new_notes_on_both_sides_are_all_kept_with_their_authors(handover):
    h = handover
    notes.add_note(h.chair, h.review_id, SECTION, "Chair's own note.", CHAIR)
    notes.add_note(h.member, h.member_review_id, SECTION, "Member's note one.", MEMBER,
                   speaker_name="Pat", speaker_role="named_nurse")
    notes.add_note(h.member, h.member_review_id, "daily_life", "Member's note two.", MEMBER)
    people.add_attendee(h.member, h.member_review_id, MEMBER, name="Pat Nurse", role="named_nurse")
    sections.add_entry(h.member, h.member_review_id, SECTION, sections.EntryKind.CONCERN, "Seclusion log gaps.",
                       MEMBER)

    plan = h.plan()
    assert plan.conflicts == []
    assert plan.added_counts() == {"notes": 2, "attendees": 1, "entries": 1}
    result = apply_merge(h.chair, h.review_id, plan, None, CHAIR)

    by_text = {n.text: n for n in notes.list_notes(h.chair, h.review_id)}
    assert set(by_text) == {"Seen on the ward; calm.", "Chair's own note.", "Member's note one.", "Member's note two."}
    assert (by_text["Chair's own note."].author_name, by_text["Chair's own note."].author_role) == (CHAIR.name, CHAIR.role)
    member_note = by_text["Member's note one."]
    assert (member_note.author_name, member_note.author_role) == (MEMBER.name, MEMBER.role)
    assert (member_note.speaker_name, member_note.speaker_role) == ("Pat", "named_nurse")
    assert [a.name for a in people.list_attendees(h.chair, h.review_id)][-1] == "Pat Nurse"
    assert result.added == {"notes": 2, "attendees": 1, "entries": 1}
    assert "2 notes" in result.text and "1 person" in result.text


def test_a_row_deleted_by_the_member_but_edited_by_the_chair_is_a_conflict_not_a_deletion(handover):
    h = handover
    action_uid = h.base["actions"][0]["uid"]
    entry_uid = h.base["entries"][0]["uid"]
    actions.update_action(h.chair, row_id(h.chair, Action, action_uid), CHAIR, why="Agreed by all")
    actions.delete_action(h.member, row_id(h.member, Action, action_uid), MEMBER)
    sections.delete_entry(h.member, row_id(h.member, SectionEntry, entry_uid), MEMBER)  # unedited: removed

    plan = h.plan()

    assert [(c.part, c.key, c.field, c.deleted_side) for c in plan.conflicts] == [
        ("actions", action_uid, ROW, THEIRS)]
    assert plan.deletions == [("entries", entry_uid)]
    apply_merge(h.chair, h.review_id, plan, {plan.conflicts[0].id: OURS}, CHAIR)
    assert [a.why for a in actions.list_actions(h.chair, h.review_id)] == ["Agreed by all"]
    assert sections.list_entries(h.chair, h.review_id) == []


def test_a_row_the_chair_deleted_but_the_member_edited_comes_back_only_if_chosen(handover):
    h = handover
    uid = h.base["actions"][0]["uid"]
    actions.delete_action(h.chair, row_id(h.chair, Action, uid), CHAIR)
    actions.update_action(h.member, row_id(h.member, Action, uid), MEMBER, why="Still needed")

    plan = h.plan()

    (conflict,) = plan.conflicts
    assert (conflict.field, conflict.deleted_side, conflict.theirs["why"]) == (ROW, OURS, "Still needed")
    apply_merge(h.chair, h.review_id, plan, {conflict.id: THEIRS}, CHAIR)
    assert [a.why for a in actions.list_actions(h.chair, h.review_id)] == ["Still needed"]


def test_notes_are_append_only_a_deleted_or_twice_edited_note_is_the_chairs_to_decide(handover):
    h = handover
    uid = h.base["notes"][0]["uid"]
    notes.edit_note(h.chair, row_id(h.chair, Note, uid), CHAIR, text="Seen on the ward; calm and settled.")
    notes.edit_note(h.member, row_id(h.member, Note, uid), MEMBER, speaker_name="Pat")

    plan = h.plan()
    # Different fields, but a note edited on both sides is not combined silently.
    assert sorted(c.field for c in plan.conflicts) == ["speaker_name", "text"]

    notes.delete_note(h.member, row_id(h.member, Note, uid), MEMBER)
    plan = h.plan()
    assert [(c.field, c.deleted_side) for c in plan.conflicts] == [(ROW, THEIRS)]
    apply_merge(h.chair, h.review_id, plan, {plan.conflicts[0].id: OURS}, CHAIR)
    assert [n.text for n in notes.list_notes(h.chair, h.review_id)] == ["Seen on the ward; calm and settled."]


def test_an_already_merged_contribution_is_refused(handover):
    h = handover
    notes.add_note(h.member, h.member_review_id, SECTION, "Member's note.", MEMBER)
    contribution = h.contribution()
    apply_merge(h.chair, h.review_id, h.plan(contribution), None, CHAIR)
    before = dump_review(h.chair, h.review_id)

    with pytest.raises(ValidationError, match="already been merged"):
        apply_merge(h.chair, h.review_id, h.plan(contribution), None, CHAIR)
    assert dump_review(h.chair, h.review_id) == before
    assert len(list_merges(h.chair, h.review_id)) == 1


def test_a_contribution_for_a_different_review_is_refused(handover):
    h = handover
    other_id = seeded_review(h.chair, REVIEW_DATE)
    before = dump_review(h.chair, other_id)
    with pytest.raises(ValidationError, match="different review"):
        from app.bundle.contribution import encode_contribution, load_contribution
        from app.bundle.merge_store import plan_contribution

        plan_contribution(h.chair, other_id, load_contribution(encode_contribution(h.contribution())))
    plan = h.plan()
    with pytest.raises(ValidationError, match="different review"):
        apply_merge(h.chair, other_id, plan, None, CHAIR)
    assert dump_review(h.chair, other_id) == before
    assert list_merges(h.chair, other_id) == []


def test_a_signed_review_refuses_the_merge(handover):
    h = handover
    notes.add_note(h.member, h.member_review_id, SECTION, "Member's note.", MEMBER)
    plan = h.plan()
    lock(h.chair, h.review_id)
    before = dump_review(h.chair, h.review_id)
    with pytest.raises(ReviewLockedError, match="signed and locked"):
        apply_merge(h.chair, h.review_id, plan, None, CHAIR)
    assert dump_review(h.chair, h.review_id) == before


def test_a_review_changed_after_the_plan_was_made_refuses_the_stale_plan(handover):
    h = handover
    notes.add_note(h.member, h.member_review_id, SECTION, "Member's note.", MEMBER)
    plan = h.plan()
    notes.add_note(h.chair, h.review_id, SECTION, "Typed meanwhile.", CHAIR)
    with pytest.raises(ValidationError, match="changed while the merge"):
        apply_merge(h.chair, h.review_id, plan, None, CHAIR)


def test_undo_restores_the_exact_pre_merge_bundle(handover, clock):
    h = handover
    uid = h.base["actions"][0]["uid"]
    notes.add_note(h.member, h.member_review_id, SECTION, "Member's note.", MEMBER)
    actions.update_action(h.member, row_id(h.member, Action, uid), MEMBER, owner_name="Dr Theirs")
    actions.update_action(h.chair, row_id(h.chair, Action, uid), CHAIR, owner_name="Dr Ours")
    people.remove_attendee(h.member, row_id(h.member, Attendee, h.base["attendees"][1]["uid"]), MEMBER)
    before = dump_review(h.chair, h.review_id)
    plan = h.plan()
    clock.advance(minutes=5)
    result = apply_merge(h.chair, h.review_id, plan, {plan.conflicts[0].id: THEIRS}, CHAIR)
    assert dump_review(h.chair, h.review_id) != before
    merge = last_merge(h.chair, h.review_id)
    assert (merge.id, merge.contributor_name, merge.contributor_role) == (result.merge_id, MEMBER.name, MEMBER.role)
    assert "Member's" not in merge.summary and "Dr Theirs" not in merge.summary
    assert summary_text(merge) == result.text

    clock.advance(minutes=5)
    undone = undo_merge(h.chair, merge.id, CHAIR)

    after = dump_review(h.chair, h.review_id)
    assert content(after) == content(before)  # the audit trail keeps the merge and its undo
    assert undone.undone_at == clock.current
    assert last_merge(h.chair, h.review_id) is None
    trail = [(e.action, e.entity) for e in audit.list_events(h.chair, h.review_id)]
    assert ("merge", "merge") in trail and trail[-1] == ("undo", "merge")
    with pytest.raises(ValidationError, match="already been undone"):
        undo_merge(h.chair, merge.id, CHAIR)


def test_undo_is_refused_when_the_review_changed_since_the_merge(handover):
    h = handover
    notes.add_note(h.member, h.member_review_id, SECTION, "Member's note.", MEMBER)
    apply_merge(h.chair, h.review_id, h.plan(), None, CHAIR)
    notes.add_note(h.chair, h.review_id, SECTION, "Written after the merge.", CHAIR)
    sections.add_elapsed(h.chair, h.review_id, SECTION, 30)  # the timer alone would not block it
    before = dump_review(h.chair, h.review_id)

    with pytest.raises(ValidationError, match="changed since this merge"):
        undo_merge(h.chair, last_merge(h.chair, h.review_id).id, CHAIR)
    assert dump_review(h.chair, h.review_id) == before


def test_undo_keeps_the_section_timers_as_they_are_now(handover):
    h = handover
    notes.add_note(h.member, h.member_review_id, SECTION, "Member's note.", MEMBER)
    apply_merge(h.chair, h.review_id, h.plan(), None, CHAIR)
    elapsed = sections.add_elapsed(h.chair, h.review_id, SECTION, 90)
    undo_merge(h.chair, last_merge(h.chair, h.review_id).id, CHAIR)
    assert sections.get_section_state(h.chair, h.review_id, SECTION).elapsed_seconds == elapsed
    assert [n.text for n in notes.list_notes(h.chair, h.review_id)] == ["Seen on the ward; calm."]


def test_undo_of_an_earlier_merge_waits_for_the_later_one(handover):
    h = handover
    notes.add_note(h.member, h.member_review_id, SECTION, "First.", MEMBER)
    first = apply_merge(h.chair, h.review_id, h.plan(), None, CHAIR)
    notes.add_note(h.member, h.member_review_id, SECTION, "Second.", MEMBER)
    second = apply_merge(h.chair, h.review_id, h.plan(), None, CHAIR)
    with pytest.raises(ValidationError, match="most recent merge"):
        undo_merge(h.chair, first.merge_id, CHAIR)
    undo_merge(h.chair, second.merge_id, CHAIR)
    undo_merge(h.chair, first.merge_id, CHAIR)
    assert [n.text for n in notes.list_notes(h.chair, h.review_id)] == ["Seen on the ward; calm."]


def test_a_signed_review_refuses_the_undo(handover):
    h = handover
    notes.add_note(h.member, h.member_review_id, SECTION, "Member's note.", MEMBER)
    apply_merge(h.chair, h.review_id, h.plan(), None, CHAIR)
    lock(h.chair, h.review_id)
    with pytest.raises(ReviewLockedError):
        undo_merge(h.chair, last_merge(h.chair, h.review_id).id, CHAIR)
