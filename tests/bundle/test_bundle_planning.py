"""Bundles carry the planning record, the copies of the report sent out and the accuracy corrections;
a bundle written before them still imports, and import applies their rules."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from app.bundle import BundleError, dump_review, encode_bundle, import_review, load_bundle
from app.models.enums import CirculationStage, CorrectionDecision, DeliveryMethod, DocumentStatus, YesNo
from app.services import after_day, planning
from app.services.store import Store
from tests.bundle.bundle_support import CHAIR, REVIEW_DATE, full_review
from tests.conftest import FakeClock


def planned(store, clock) -> int:
    review_id = full_review(store)
    planning.record_planning(store, review_id, CHAIR, notice_given_on=REVIEW_DATE - timedelta(days=21),
                             notice_given_to="The person and the ward", family_consulted=YesNo.YES,
                             family_consulted_on=REVIEW_DATE - timedelta(days=25),
                             pre_meeting_on=REVIEW_DATE - timedelta(days=4))
    planning.set_document_status(store, review_id, CHAIR, "pbs_plan", DocumentStatus.RECEIVED)
    planning.set_document_status(store, review_id, CHAIR, "section_papers", DocumentStatus.NOT_AVAILABLE)
    clock.advance(days=5)
    after_day.add_copy(store, review_id, CHAIR, stage=CirculationStage.DRAFT, recipient="Ward manager",
                       organisation="Riverside", sent_on=REVIEW_DATE + timedelta(days=3))
    after_day.add_correction(store, review_id, CHAIR, requested_by="Riverside", what="The ward's name.",
                             decision=CorrectionDecision.DECLINED, reason="It is right as written.",
                             requested_on=REVIEW_DATE + timedelta(days=4))
    after_day.add_copy(store, review_id, CHAIR, stage=CirculationStage.FINAL, recipient="The person",
                       method=DeliveryMethod.BY_HAND, sent_on=REVIEW_DATE + timedelta(days=5))
    return review_id


def import_into(tmp_path, name, document):
    other = Store.open(tmp_path / name, clock=FakeClock())
    return other, import_review(other, load_bundle(encode_bundle(document)), CHAIR)


def test_planning_copies_and_corrections_round_trip_byte_for_byte(store, clock, tmp_path):
    review_id = planned(store, clock)
    first = dump_review(store, review_id)
    assert first["review"]["notice_given_to"] == "The person and the ward"
    assert first["planning_documents"] == [{"document_id": "pbs_plan", "status": "received"},
                                           {"document_id": "section_papers", "status": "not_available"}]
    assert [c["stage"] for c in first["report_copies"]] == ["draft", "final"]
    assert first["corrections"][0]["decision"] == "declined"
    other, new_id = import_into(tmp_path, "other.sqlite3", first)
    try:
        assert encode_bundle(dump_review(other, new_id)) == encode_bundle(first)
        timeline = after_day.report_timeline(other, new_id, today=REVIEW_DATE + timedelta(days=30))
        assert timeline.sent_on == REVIEW_DATE + timedelta(days=5) and not timeline.overdue
    finally:
        other.close()


def test_an_older_bundle_without_them_imports_with_an_empty_record(store, clock, tmp_path):
    older = dump_review(store, planned(store, clock))
    for name in ("planning_documents", "report_copies", "corrections"):
        del older[name]
    for name in planning.PLANNING_FIELDS:
        del older["review"][name]
    other, new_id = import_into(tmp_path, "older.sqlite3", older)
    try:
        data = planning.get_planning(other, new_id)
        assert data.fields == planning.PlanningFields()
        assert all(d.status is DocumentStatus.NOT_REQUESTED for d in data.documents)
        assert after_day.list_copies(other, new_id) == [] and after_day.list_corrections(other, new_id) == []
    finally:
        other.close()


@pytest.mark.parametrize(("edit", "words"), [
    (lambda d: d["corrections"][0].update(reason=""), r"corrections\[0\]\): Give the reason"),
    (lambda d: d["report_copies"][1].update(sent_on=(REVIEW_DATE - timedelta(days=1)).isoformat()),
     r"report_copies\[1\]\): The report cannot have been sent"),
    (lambda d: d["planning_documents"][0].update(document_id="ehcp"), r"planning_documents\[0\]\): the document"),
    (lambda d: d["review"].update(pre_meeting_on=(REVIEW_DATE + timedelta(days=1)).isoformat()),
     r"\(review\): The date of the pre-meeting"),
    (lambda d: d["report_copies"][1].update(uid=d["report_copies"][0]["uid"]), "repeats one used earlier"),
    (lambda d: d["report_copies"][0].update(method="pigeon"), "report_copies"),
])
def test_import_applies_the_services_rules_and_writes_nothing(store, clock, tmp_path, edit, words):
    document = json.loads(encode_bundle(dump_review(store, planned(store, clock))))
    edit(document)
    other = Store.open(tmp_path / "refused.sqlite3", clock=FakeClock())
    try:
        with pytest.raises(BundleError, match=words):
            import_review(other, load_bundle(encode_bundle(document)), CHAIR)
        from app.services.reviews import list_reviews

        assert list_reviews(other) == []
    finally:
        other.close()


def test_the_report_copies_uids_are_refused_when_already_here(store, clock, tmp_path):
    document = dump_review(store, planned(store, clock))
    document["review"]["uid"] = "0b6f3a1e-9999-4222-8333-444455556666"
    for part in ("attendees", "notes", "entries", "actions", "carried_actions", "corrections"):
        for row in document[part]:
            row["uid"] = row["uid"][:-4] + "9999"
    with pytest.raises(BundleError, match="report_copies are already in this database"):
        import_review(store, load_bundle(encode_bundle(document)), CHAIR)
