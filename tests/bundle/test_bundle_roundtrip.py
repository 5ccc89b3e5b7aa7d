"""Export -> import into another database -> export gives the same bytes; refusals change nothing."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.bundle import (
    FORMAT,
    FORMAT_VERSION,
    BundleError,
    dump_review,
    encode_bundle,
    import_review,
    load_bundle,
    replace_review_contents,
)
from app.models import AuditEvent, Review
from app.models.enums import ConsentBasis, EntryKind, HeadlineAnswer
from app.services import actions, notes, people, sections
from app.services.dto import ActionInput, ReviewSetup
from app.services.errors import NotFoundError
from app.services.limits import BIDI_CONTROLS
from app.services.reviews import create_review, update_setup
from app.services.store import Store
from tests.bundle.bundle_support import CHAIR, REVIEW_DATE, full_review, review_count, signed_report
from tests.conftest import FakeClock

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = ["opening", "safety", "care_treatment", "daily_life", "findings"]


def _round_trip(store: Store, review_id: int, folder: Path) -> tuple[bytes, bytes, int, Store]:
    first = encode_bundle(dump_review(store, review_id))
    other = Store.open(folder / "other.sqlite3", clock=FakeClock())
    new_id = import_review(other, load_bundle(first), CHAIR)
    second = encode_bundle(dump_review(other, new_id))
    return first, second, new_id, other


def test_a_full_review_round_trips_byte_for_byte(store, tmp_path):
    review_id = full_review(store)
    first, second, new_id, other = _round_trip(store, review_id, tmp_path)
    try:
        assert first == second
        document = json.loads(first)
        assert document["format"] == FORMAT and document["format_version"] == FORMAT_VERSION
        assert document["template"] == {"id": "icetr", "version": document["template"]["version"]}
        assert document["review"]["seclusion"] is True
        assert document["review"]["escalation_requested_by"] == "family advocate"
        assert document["review"]["person_key"] == "0b6f3a1e-1111-4222-8333-444455556666"
        assert document["consent"]["basis"] == "consent"
        assert [r["number"] for r in document["revisions"]] == [1, 2]
        assert document["revisions"][0]["signoffs"][0]["kind"] == "sign"
        assert document["carried_actions"][0]["source_review_uid"] is None
        assert document["actions"][0]["easy_read"] == "Your doctor will check your plan."
        assert document["notes"][0]["easy_read"] is True
        assert document["carried_actions"][0]["easy_read"] == "We will plan a visit."
        assert {e["entity_ref"] for e in document["audit"] if e["entity"] == "review"} == {document["review"]["uid"]}
        # No database ids anywhere: a key called "id" or ending in "_id" that holds a number.
        assert '"id": ' + str(review_id) not in first.decode()
        assert not [k for k, v in _keys(document) if (k == "id" or k.endswith("_id")) and not isinstance(v, str)]
        from app.services.signoff import signed_pdf

        assert signed_pdf(other, new_id, 1) == signed_report()[0]
        with other.read() as session:
            imported = session.get(Review, new_id)
            assert imported.uid == document["review"]["uid"]
            trail = session.scalars(select(AuditEvent).where(AuditEvent.review_id.is_(None))).all()
            assert [(e.action, e.entity_id) for e in trail] == [("import", new_id)]
    finally:
        other.close()


def _keys(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from _keys(value)


def test_the_demo_review_round_trips(store, tmp_path):
    from app.services.demo import seed_demo

    review_id = seed_demo(store, review_date=REVIEW_DATE)
    first, second, _, other = _round_trip(store, review_id, tmp_path)
    other.close()
    assert first == second


def test_importing_the_same_review_twice_is_refused_and_changes_nothing(store, tmp_path):
    review_id = full_review(store)
    document = dump_review(store, review_id)
    with pytest.raises(BundleError, match="already in the database"):
        import_review(store, document, CHAIR)
    assert review_count(store) == 1


def test_rows_already_here_under_another_review_are_refused(store):
    review_id = full_review(store)
    document = dump_review(store, review_id)
    document["review"]["uid"] = "11111111-2222-4333-8444-555555555555"
    with pytest.raises(BundleError, match="notes are already in this database|attendees are already"):
        import_review(store, document, CHAIR)
    assert review_count(store) == 1


def test_an_unknown_template_version_is_refused(store, tmp_path):
    review_id = full_review(store)
    document = dump_review(store, review_id)
    document["template"]["version"] = 999
    other = Store.open(tmp_path / "other.sqlite3")
    try:
        with pytest.raises(BundleError, match="template 'icetr' version 999"):
            import_review(other, document, CHAIR)
        assert review_count(other) == 0
    finally:
        other.close()


def test_replace_review_contents_brings_a_review_back_to_a_document(store, actor):
    review_id = full_review(store)
    before = dump_review(store, review_id)
    notes.add_note(store, review_id, "opening", "Added after the snapshot", actor)
    people.add_attendee(store, review_id, actor, name="Late Arrival", role="advocate")
    update_setup(store, review_id, actor, hospital="Elsewhere")
    actions.delete_action(store, actions.list_actions(store, review_id)[0].id, actor)
    replace_review_contents(store, review_id, before)
    after = dump_review(store, review_id)
    audit_before, audit_after = before.pop("audit"), after.pop("audit")
    assert after == before
    assert audit_after[: len(audit_before)] == audit_before  # the trail is kept, not rewritten


def test_replace_review_contents_joins_a_session_and_refuses_another_review(store):
    first = full_review(store)
    second = create_review(store, ReviewSetup(template_id="icetr", person_label="K.L.", review_date=REVIEW_DATE),
                           CHAIR).id
    document = dump_review(store, first)
    with pytest.raises(BundleError, match="different review"):
        with store.write() as session:
            replace_review_contents(session, second, document)
    with pytest.raises(NotFoundError):
        replace_review_contents(store, 9999, document)
    with store.write() as session:
        replace_review_contents(session, first, document)
    assert encode_bundle(dump_review(store, first)) == encode_bundle(document)


def test_the_published_schema_is_the_one_the_code_checks_against():
    shipped = (ROOT / "app" / "bundle" / "bundle.schema.json").read_bytes()
    assert (ROOT / "docs" / "bundle.schema.json").read_bytes() == shipped
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(json.loads(shipped))


# -- property: any review the services can make round-trips ------------------------------------

# What the services accept (app/services/limits.py): names hold no control or text-direction
# character; free text may also hold tabs, line breaks and direction marks.
_ONE_LINE = st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters=sorted(BIDI_CONTROLS))
_FREE = st.one_of(_ONE_LINE, st.sampled_from(["\n", "\t", "\u200f"]))
TEXT = st.text(_ONE_LINE, max_size=40)
SOME_TEXT = st.text(_FREE, min_size=1, max_size=60).filter(lambda t: t.strip())
NAME = st.text(_ONE_LINE, min_size=1, max_size=30).filter(lambda t: t.strip())


@st.composite
def review_parts(draw):
    return {
        "label": draw(st.text(_ONE_LINE, min_size=1, max_size=20).filter(lambda t: t.strip())),
        "hospital": draw(TEXT),
        "flags": draw(st.lists(st.booleans(), min_size=4, max_size=4)),
        "escalation": draw(st.sampled_from(["", "person", "family commissioner", "advocate family"])),
        "attendees": draw(st.lists(st.tuples(NAME, st.sampled_from(["chair", "expert_by_experience", "advocate"])),
                                   max_size=6)),
        "notes": draw(st.lists(st.tuples(st.sampled_from(SECTIONS), SOME_TEXT), max_size=12)),
        "entries": draw(st.lists(st.tuples(st.sampled_from(SECTIONS), st.sampled_from(list(EntryKind)), SOME_TEXT,
                                           st.booleans()), max_size=8)),
        "actions": draw(st.lists(st.tuples(SOME_TEXT, TEXT, st.one_of(st.none(), st.integers(0, 400))),
                                 max_size=8)),
        "headline": draw(st.tuples(st.sampled_from(list(HeadlineAnswer)), TEXT)),
        "ticks": draw(st.lists(st.sampled_from(["p1", "p2", "prompt-3"]), max_size=3)),
        "minutes": draw(st.integers(0, 600)),
    }


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=review_parts())
def test_any_review_round_trips(parts):
    from datetime import timedelta

    with tempfile.TemporaryDirectory() as folder:
        clock = FakeClock()
        store = Store.open(Path(folder) / "a.sqlite3", clock=clock)
        try:
            seclusion, moj, complaint, secure = parts["flags"]
            review_id = create_review(store, ReviewSetup(
                template_id="icetr", person_label=parts["label"], review_date=REVIEW_DATE,
                hospital=parts["hospital"], seclusion=seclusion, moj_restricted=moj,
                unresolved_complaint=complaint, secure=secure, escalation_requested_by=parts["escalation"],
            ), CHAIR).id
            people.record_consent(store, review_id, CHAIR, ConsentBasis.CONSENT)
            for name, role in parts["attendees"]:
                people.add_attendee(store, review_id, CHAIR, name=name, role=role)
            for section, text in parts["notes"]:
                clock.advance(seconds=7)
                notes.add_note(store, review_id, section, text, CHAIR)
            for section, kind, text, flagged in parts["entries"]:
                flagged = flagged and kind is EntryKind.CONCERN
                sections.add_entry(store, review_id, section, kind, text, CHAIR, safeguarding=flagged,
                                   safeguarding_lead="Lead" if flagged else "")
            for what, why, days in parts["actions"]:
                deadline = None if days is None else REVIEW_DATE + timedelta(days=days)
                actions.add_action(store, review_id, ActionInput(what=what, why=why, deadline=deadline), CHAIR)
            answer, reasons = parts["headline"]
            sections.set_headline(store, review_id, "safe", CHAIR, answer=answer, reasons=reasons)
            for prompt in parts["ticks"]:
                sections.set_prompt_covered(store, review_id, "safety", prompt, True)
            sections.set_planned_minutes(store, review_id, "opening", parts["minutes"], CHAIR)
            first, second, _, other = _round_trip(store, review_id, Path(folder))
            other.close()
        finally:
            store.close()
    assert first == second


def test_dates_survive_as_iso_8601(store):
    review_id = full_review(store)
    document = dump_review(store, review_id)
    assert document["review"]["review_date"] == "2026-11-20"
    assert document["review"]["date_of_birth"] == "1990-05-06"
    assert document["revisions"][0]["signed_at"] == "2026-11-20T17:00:05.123456"
    assert date.fromisoformat(document["actions"][0]["deadline"]) == date(2026, 12, 18)


def test_a_follow_up_links_to_its_previous_review_when_that_is_imported_first(store, tmp_path):
    from datetime import timedelta

    from app.services.follow_up import start_follow_up

    previous = full_review(store)
    follow_up = start_follow_up(store, previous, {"review_date": REVIEW_DATE + timedelta(days=90)}, CHAIR).id
    first_previous = encode_bundle(dump_review(store, previous))
    first_follow_up = encode_bundle(dump_review(store, follow_up))
    previous_uid = json.loads(first_previous)["review"]["uid"]
    assert json.loads(first_follow_up)["review"]["previous_review_uid"] == previous_uid
    carried = json.loads(first_follow_up)["carried_actions"]
    assert carried and {c["source_review_uid"] for c in carried} == {previous_uid}

    alone = Store.open(tmp_path / "alone.sqlite3")
    linked = Store.open(tmp_path / "linked.sqlite3")
    try:
        import_review(linked, load_bundle(first_previous), CHAIR)
        new_id = import_review(linked, load_bundle(first_follow_up), CHAIR)
        assert encode_bundle(dump_review(linked, new_id)) == first_follow_up
        _assert_linked(linked, new_id, previous_uid)

        # The earlier review is not here: the links are kept by uid, and the round trip is exact.
        orphan = import_review(alone, load_bundle(first_follow_up), CHAIR)
        assert encode_bundle(dump_review(alone, orphan)) == first_follow_up
        with alone.read() as session:
            assert session.get(Review, orphan).previous_review_id is None
        # ...and they are made when the earlier review arrives later.
        earlier = import_review(alone, load_bundle(first_previous), CHAIR)
        _assert_linked(alone, orphan, previous_uid, earlier)
        assert encode_bundle(dump_review(alone, orphan)) == first_follow_up
    finally:
        alone.close()
        linked.close()


def _assert_linked(store: Store, review_id: int, previous_uid: str, previous_id: int | None = None) -> None:
    from app.models import CarriedAction

    with store.read() as session:
        previous_id = previous_id or session.scalar(select(Review.id).where(Review.uid == previous_uid))
        assert session.get(Review, review_id).previous_review_id == previous_id
        sources = session.scalars(select(CarriedAction.source_review_id).where(CarriedAction.review_id == review_id))
        assert set(sources) == {previous_id}


def test_a_purged_earlier_review_is_still_named_by_its_follow_up(store, tmp_path):
    from datetime import timedelta

    from app.services import retention
    from app.services.follow_up import start_follow_up

    previous = full_review(store)
    previous_uid = dump_review(store, previous)["review"]["uid"]
    follow_up = start_follow_up(store, previous, {"review_date": REVIEW_DATE + timedelta(days=90)}, CHAIR).id
    before = encode_bundle(dump_review(store, follow_up))
    with store.write() as session:
        session.get(Review, previous).locked_at = store.now()  # signed, as only a signed review is purged
    retention.purge_review(store, previous, CHAIR)
    document = dump_review(store, follow_up)
    assert document["review"]["previous_review_uid"] == previous_uid
    assert {c["source_review_uid"] for c in document["carried_actions"]} == {previous_uid}
    assert encode_bundle(document) == before


def test_the_process_fields_round_trip_and_an_older_bundle_takes_the_defaults(store, tmp_path):
    from app.models.enums import CqcRating, EscalationDecision, Listened, SecureLevel, YesNo
    from app.services import escalation_decision, outcomes

    review_id = full_review(store)
    update_setup(store, review_id, CHAIR, cqc_rating=CqcRating.GOOD, secure_level=SecureLevel.LOW, unit="Elm Unit",
                 segregation_started=date(2024, 6, 1), requested_because="From the LTS register.",
                 next_review_agreed=date(2027, 1, 8), community_review_before_admission=YesNo.NO)
    escalation_decision.record_decision(store, review_id, CHAIR, decision=EscalationDecision.ESCALATE,
                                        reasons="other", other_concern="Family cannot visit.")
    outcomes.record_feedback(store, review_id, CHAIR, person_listened=Listened.PARTLY, family_feedback="Better.")
    first, second, new_id, other = _round_trip(store, review_id, tmp_path)
    try:
        assert first == second
        review = json.loads(first)["review"]
        assert (review["cqc_rating"], review["secure_level"], review["unit"]) == ("good", "low", "Elm Unit")
        assert review["ward_rated_inadequate"] is False and review["secure"] is True
        assert review["escalation_decision"] == "escalate" and review["escalation_other_concern"] == "Family cannot visit."
        assert (review["person_listened"], review["family_feedback"]) == ("partly", "Better.")
    finally:
        other.close()

    older = json.loads(first)
    for name in ("cqc_rating", "secure_level", "unit", "escalation_decision", "person_listened", "next_review_agreed"):
        del older["review"][name]
    older["review"]["uid"] = "0b6f3a1e-9999-4222-8333-444455556666"
    for part in ("notes", "carried_actions"):  # written before the easy-read fields
        for row in older[part]:
            del row["easy_read"]
    for part in ("attendees", "notes", "entries", "actions", "carried_actions"):
        for row in older[part]:
            row["uid"] = row["uid"][:-4] + "9999"
    third = Store.open(tmp_path / "third.sqlite3", clock=FakeClock())
    try:
        imported = import_review(third, load_bundle(encode_bundle(older)), CHAIR)
        from app.services.reviews import get_review

        data = get_review(third, imported)
        # The tick the older bundle carries still says secure; the level is "not recorded".
        assert data.setup.secure_level is SecureLevel.SECURE and data.setup.cqc_rating is CqcRating.NOT_RECORDED
        assert data.decision.decision is EscalationDecision.UNDECIDED and data.setup.next_review_agreed is None
        from app.services import follow_up

        assert [n.easy_read for n in notes.list_notes(third, imported)] == [False]
        assert [c.easy_read for c in follow_up.list_carried(third, imported)] == [""]
    finally:
        third.close()


def test_follow_up_outcomes_round_trip_and_an_older_bundle_takes_the_defaults(store, tmp_path):
    from app.models.enums import CarriedOutcome
    from app.services import follow_up

    review_id = full_review(store)
    typed = follow_up.add_typed_in(store, review_id, "Arrange a sensory assessment", CHAIR, owner_name="Dr Patel",
                                   deadline=date(2026, 9, 1), previous_chair="Sam Okoro",
                                   previous_review_date=date(2026, 5, 20))
    follow_up.set_carried_outcome(store, typed.id, CarriedOutcome.NO_LONGER_RELEVANT, "Moved ward", CHAIR)
    action = actions.list_actions(store, review_id)[0]
    actions.update_action(store, action.id, CHAIR, different_this_time="The ICB funds it directly.")
    first, second, new_id, other = _round_trip(store, review_id, tmp_path)
    try:
        assert first == second
        document = json.loads(first)
        carried = document["carried_actions"][-1]
        assert (carried["typed_in"], carried["previous_chair"], carried["outcome"]) == (
            True, "Sam Okoro", "no_longer_relevant")
        assert document["actions"][0]["different_this_time"] == "The ICB funds it directly."
    finally:
        other.close()

    older = json.loads(first)
    for row in older["actions"]:
        del row["different_this_time"]
    for row in older["carried_actions"]:
        del row["typed_in"], row["previous_chair"]
        row["outcome"], row["reason"] = "done", ""  # "done" alone, as before the evidence was asked for
    older["review"]["uid"] = "0b6f3a1e-9999-4222-8333-444455556677"
    for part in ("attendees", "notes", "entries", "actions", "carried_actions"):
        for row in older[part]:
            row["uid"] = row["uid"][:-4] + "9998"
    third = Store.open(tmp_path / "third.sqlite3", clock=FakeClock())
    try:
        imported = import_review(third, load_bundle(encode_bundle(older)), CHAIR)
        rows = follow_up.list_carried(third, imported)
        assert rows[-1].typed_in is False and rows[-1].previous_chair == ""
        assert rows[-1].outcome is CarriedOutcome.DONE
        assert actions.list_actions(third, imported)[0].different_this_time == ""
    finally:
        third.close()
