"""Planning before the day and the report after it: the planning record, the documents checklist,
the factual accuracy check, the distribution log and the report's due date."""

from __future__ import annotations

from datetime import date

import pytest

from app.models import Review
from app.models.enums import CirculationStage, CorrectionDecision, DeliveryMethod, DocumentStatus, YesNo
from app.services import after_day, people, planning, reviews
from app.services.dto import ReviewSetup
from app.services.errors import ReviewLockedError, ValidationError

DAY = date(2026, 11, 20)  # a Friday; the clock starts on it


def make(store, actor, template_id="adult_inpatient", review_date=DAY):
    setup = ReviewSetup(template_id=template_id, person_label="Q.R.", review_date=review_date)
    return reviews.create_review(store, setup, actor)


def lock(store, review_id):
    with store.write() as session:
        session.get(Review, review_id).locked_at = store.now()


# --------------------------------------------------------------------------- planning record


def test_planning_record_is_saved_trimmed_and_read_back(store, actor):
    review = make(store, actor)
    planning.record_planning(store, review.id, actor, notice_given_on=date(2026, 11, 2),
                             notice_given_to="  the person, their mother and the ward  ",
                             family_consulted=YesNo.YES, family_consulted_on=date(2026, 10, 30),
                             pre_meeting_on=date(2026, 11, 13))
    fields = planning.get_planning(store, review.id).fields
    assert fields.notice_given_to == "the person, their mother and the ward"
    assert (fields.notice_given_on, fields.family_consulted, fields.family_consulted_on, fields.pre_meeting_on) == (
        date(2026, 11, 2), YesNo.YES, date(2026, 10, 30), date(2026, 11, 13))


@pytest.mark.parametrize(("changes", "words"), [
    ({"notice_given_on": date(2026, 11, 21)}, "cannot be after the review day"),
    ({"pre_meeting_on": date(2026, 12, 1)}, "date of the pre-meeting"),
    ({"notice_given_on": date(1850, 1, 1)}, "between 1900 and 2100"),
    ({"family_consulted": YesNo.NO, "family_consulted_on": date(2026, 11, 1)}, "needs 'Yes'"),
])
def test_bad_planning_values_are_refused_in_one_sentence_and_nothing_changes(store, actor, changes, words):
    review = make(store, actor)
    with pytest.raises(ValidationError, match=words):
        planning.record_planning(store, review.id, actor, **changes)
    assert planning.get_planning(store, review.id).fields == planning.PlanningFields()


def test_a_signed_review_refuses_planning_changes(store, actor):
    review = make(store, actor)
    lock(store, review.id)
    with pytest.raises(ReviewLockedError):
        planning.record_planning(store, review.id, actor, notice_given_on=date(2026, 11, 2))
    with pytest.raises(ReviewLockedError):
        planning.set_document_status(store, review.id, actor, "care_plan", DocumentStatus.RECEIVED)


def test_the_documents_checklist_comes_from_the_template(store, actor):
    community = planning.get_planning(store, make(store, actor, "adult_community").id)
    inpatient = planning.get_planning(store, make(store, actor, "adult_inpatient").id)
    icetr = planning.get_planning(store, make(store, actor, "icetr").id)
    cetr = planning.get_planning(store, make(store, actor, "cyp_inpatient").id)
    ids = {name: [d.id for d in data.documents] for name, data in
           (("community", community), ("inpatient", inpatient), ("icetr", icetr), ("cetr", cetr))}
    assert "section_papers" not in ids["community"] and "section_papers" in ids["inpatient"]
    assert "segregation_records" in ids["icetr"] and "segregation_records" not in ids["inpatient"]
    assert "ehcp" in ids["cetr"] and "ehcp" not in ids["inpatient"]
    for data in (community, inpatient, icetr, cetr):
        assert {"care_plan", "pbs_plan", "medication_chart", "risk_assessment"} <= {d.id for d in data.documents}
        assert all(d.status is DocumentStatus.NOT_REQUESTED for d in data.documents)


def test_a_document_status_is_kept_and_the_previous_one_returned_for_undo(store, actor):
    review = make(store, actor)
    assert planning.set_document_status(store, review.id, actor, "pbs_plan", DocumentStatus.REQUESTED) \
        is DocumentStatus.NOT_REQUESTED
    assert planning.set_document_status(store, review.id, actor, "pbs_plan", DocumentStatus.RECEIVED) \
        is DocumentStatus.REQUESTED
    data = planning.get_planning(store, review.id)
    assert {d.id: d.status for d in data.documents}["pbs_plan"] is DocumentStatus.RECEIVED
    assert planning.document_summary(data) == f"1 of {len(data.documents)} documents received"
    with pytest.raises(ValidationError, match="not on this review type's list"):
        planning.set_document_status(store, review.id, actor, "ehcp", DocumentStatus.RECEIVED)


def test_warns_when_no_family_member_or_advocate_is_on_the_register(store, actor):
    review = make(store, actor)
    people.add_attendee(store, review.id, actor, name="Dr A. Patel", role="clinical_expert")
    assert planning.get_planning(store, review.id).warnings == (planning.NO_FAMILY_OR_ADVOCATE,)
    people.add_attendee(store, review.id, actor, name="Jo Bloggs", role="advocate")
    assert planning.get_planning(store, review.id).warnings == ()


# --------------------------------------------------------------------------- after the day


def test_the_report_is_due_ten_working_days_after_the_review_over_bank_holidays(store, actor, clock):
    review = make(store, actor, review_date=date(2026, 12, 18))  # Friday before Christmas
    # 21-24 Dec (4), 25 and 28 Dec are bank holidays, 29-31 Dec (3), 1 Jan is one, 4-6 Jan (3).
    assert after_day.report_due_on(date(2026, 12, 18)) == date(2027, 1, 6)
    timeline = after_day.report_timeline(store, review.id, today=date(2027, 1, 6))
    assert (timeline.due, timeline.sent_on, timeline.overdue) == (date(2027, 1, 6), None, False)
    assert after_day.report_timeline(store, review.id, today=date(2027, 1, 7)).overdue
    assert after_day.report_timeline(store, review.id, today=date(2027, 1, 7), working_days=15).overdue is False


def test_the_review_list_flags_report_overdue_until_the_final_report_is_sent(store, actor, clock):
    review = make(store, actor)
    due = after_day.report_due_on(DAY)
    [summary] = reviews.list_reviews(store, today=due)
    assert "report overdue" not in summary.flags and summary.report_due == due
    [summary] = reviews.list_reviews(store, today=date(2026, 12, 7))
    assert summary.flags[0] == "report overdue"  # first, so a long list of flags never hides it
    # A draft shared for the accuracy check is not the report sent.
    clock.current = clock.current.replace(day=30)
    after_day.add_copy(store, review.id, actor, stage=CirculationStage.DRAFT, recipient="Ward manager",
                       sent_on=date(2026, 11, 24))
    assert "report overdue" in reviews.list_reviews(store, today=date(2026, 12, 7))[0].flags
    after_day.add_copy(store, review.id, actor, stage=CirculationStage.FINAL, recipient="The person",
                       method=DeliveryMethod.POST, sent_on=date(2026, 11, 30))
    [summary] = reviews.list_reviews(store, today=date(2026, 12, 7))
    assert "report overdue" not in summary.flags and summary.report_sent_on == date(2026, 11, 30)
    # The setting moves the due day.
    assert reviews.list_reviews(store, today=date(2026, 12, 1), report_due_working_days=1)[0].report_due == \
        date(2026, 11, 23)


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"recipient": "  "}, "who the report was sent to"),
    ({"sent_on": None}, "Give the date"),
    ({"sent_on": date(2026, 11, 19)}, "before the review day"),
    ({"sent_on": date(2026, 11, 21)}, "in the future"),
])
def test_bad_copies_are_refused(store, actor, kwargs, words):
    review = make(store, actor)
    values = {"stage": CirculationStage.DRAFT, "recipient": "Ward manager", "sent_on": DAY} | kwargs
    with pytest.raises(ValidationError, match=words):
        after_day.add_copy(store, review.id, actor, **values)
    assert after_day.list_copies(store, review.id) == []


def test_a_copy_deleted_comes_back_with_its_id_and_uid(store, actor):
    review = make(store, actor)
    copy = after_day.add_copy(store, review.id, actor, stage=CirculationStage.DRAFT, recipient=" Ward  manager ",
                              organisation="Riverside", sent_on=DAY)
    assert copy.recipient == "Ward manager"
    removed = after_day.delete_copy(store, copy.id, actor)
    assert after_day.list_copies(store, review.id) == []
    assert after_day.restore_copy(store, removed, actor) == copy


def test_a_signed_review_refuses_the_draft_and_corrections_but_records_the_distribution(store, actor):
    review = make(store, actor)
    correction = after_day.add_correction(store, review.id, actor, requested_by="Ward manager", what="Dates")
    lock(store, review.id)
    with pytest.raises(ReviewLockedError):
        after_day.add_copy(store, review.id, actor, stage=CirculationStage.DRAFT, recipient="Ward", sent_on=DAY)
    with pytest.raises(ReviewLockedError):
        after_day.update_correction(store, correction.id, actor, decision=CorrectionDecision.ACCEPTED)
    sent = after_day.add_copy(store, review.id, actor, stage=CirculationStage.FINAL, recipient="Commissioner",
                              sent_on=DAY)
    assert after_day.list_copies(store, review.id, CirculationStage.FINAL) == [sent]


def test_corrections_need_who_what_and_a_reason_when_declined(store, actor):
    review = make(store, actor)
    with pytest.raises(ValidationError, match="who asked"):
        after_day.add_correction(store, review.id, actor, requested_by=" ", what="x")
    with pytest.raises(ValidationError, match="what correction"):
        after_day.add_correction(store, review.id, actor, requested_by="Provider", what="  ")
    correction = after_day.add_correction(store, review.id, actor, requested_by="Riverside Hospital",
                                          what="The admission date is 3 March, not 1 March.",
                                          requested_on=DAY)
    assert correction.decision is CorrectionDecision.PENDING
    with pytest.raises(ValidationError, match="reason the correction was declined"):
        after_day.update_correction(store, correction.id, actor, decision=CorrectionDecision.DECLINED)
    declined = after_day.update_correction(store, correction.id, actor, decision=CorrectionDecision.DECLINED,
                                           reason="  The admission papers say 1 March. ")
    assert (declined.decision, declined.reason) == (CorrectionDecision.DECLINED, "The admission papers say 1 March.")
    removed = after_day.delete_correction(store, correction.id, actor)
    assert after_day.restore_correction(store, removed, actor) == declined


def test_the_audit_trail_names_planning_copies_and_corrections_in_plain_words(store, actor):
    from app.services import audit

    review = make(store, actor)
    planning.record_planning(store, review.id, actor, pre_meeting_on=date(2026, 11, 13))
    planning.set_document_status(store, review.id, actor, "pbs_plan", DocumentStatus.RECEIVED)
    after_day.add_copy(store, review.id, actor, stage=CirculationStage.DRAFT, recipient="Ward", sent_on=DAY)
    after_day.add_copy(store, review.id, actor, stage=CirculationStage.FINAL, recipient="The person", sent_on=DAY)
    after_day.add_correction(store, review.id, actor, requested_by="Ward", what="A date.")
    words = [audit.describe_event(e) for e in audit.list_events(store, review.id)][-5:]
    assert words == ["Changed the planning record", "Changed a document asked for before the day",
                     "Added the draft sent for the factual accuracy check", "Added a copy of the final report sent",
                     "Added a correction asked for"]
