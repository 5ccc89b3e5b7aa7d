"""The review process at its boundaries: set-up dates, the MoJ exemption, safeguarding, working days,
the root cause analysis, and the escalation decision."""

from __future__ import annotations

from datetime import date

import pytest

from app.kloe import TemplateRegistry
from app.models.enums import (
    CqcRating,
    EntryKind,
    EscalationDecision,
    Listened,
    SecureLevel,
    Service,
    YesNo,
)
from app.services import escalation, escalation_decision, people, reviews, sections
from app.services.dto import Actor, ReviewSetup
from app.services.errors import ReviewLockedError, ValidationError
from app.services.escalation import escalation_flags, moj_exempt
from app.services.next_review import due_after_admission, next_review_due
from app.services.working_days import add_working_days

DAY = date(2026, 11, 20)


def make(store, actor, *, template_id="adult_inpatient", review_date=DAY, **fields):
    setup = ReviewSetup(template_id=template_id, person_label="Q.R.", review_date=review_date, **fields)
    return reviews.create_review(store, setup, actor)


def codes(store, review_id):
    return [flag.code for flag in escalation_flags(store, review_id)]


# --------------------------------------------------------------------------- set-up fields


def test_secure_level_and_cqc_rating_keep_the_old_ticks_derivable(store, actor):
    review = make(store, actor, secure_level=SecureLevel.MEDIUM, cqc_rating=CqcRating.REQUIRES_IMPROVEMENT)
    assert review.setup.secure and not review.setup.ward_rated_inadequate
    updated = reviews.update_setup(store, review.id, actor, cqc_rating=CqcRating.INADEQUATE,
                                   secure_level=SecureLevel.NONE)
    assert updated.setup.ward_rated_inadequate and not updated.setup.secure
    # An older caller that only knows the ticks still works, in the new words.
    ticked = reviews.update_setup(store, review.id, actor, secure=True, ward_rated_inadequate=False)
    assert (ticked.setup.secure_level, ticked.setup.cqc_rating) == (SecureLevel.SECURE, CqcRating.NOT_RECORDED)
    kept = reviews.update_setup(store, review.id, actor, secure_level=SecureLevel.HIGH)
    assert reviews.update_setup(store, review.id, actor, secure=True).setup.secure_level is SecureLevel.HIGH
    assert kept.setup.secure


@pytest.mark.parametrize("rating", list(CqcRating))
def test_only_an_inadequate_rating_is_an_escalation_criterion(store, actor, rating):
    review = make(store, actor, cqc_rating=rating)
    assert ("ward_inadequate" in codes(store, review.id)) is (rating is CqcRating.INADEQUATE)


@pytest.mark.parametrize(("changes", "message"), [
    ({"segregation_started": date(2026, 11, 21)}, "segregation start date is after the review date"),
    ({"segregation_started": date(2000, 1, 1), "date_of_birth": date(2000, 1, 2)}, "segregation start date is before the date of birth"),
    ({"segregation_started": date(2026, 1, 1), "admission_date": date(2026, 1, 2)}, "segregation start date is before the admission"),
    ({"discharge_date": date(2026, 11, 21)}, "discharge date is after the review date"),
    ({"readmission": YesNo.YES, "admission_date": date(2026, 6, 1), "discharge_date": date(2026, 6, 1)}, "before the admission date"),
    ({"next_review_agreed": DAY}, "next review date agreed must be after the review date"),
])
def test_process_dates_are_refused_with_one_sentence(store, actor, changes, message):
    review = make(store, actor)
    with pytest.raises(ValidationError, match=message):
        reviews.update_setup(store, review.id, actor, **changes)
    assert reviews.get_review(store, review.id).setup == review.setup


def test_process_dates_on_their_boundaries_are_accepted(store, actor):
    review = make(store, actor, date_of_birth=date(2000, 1, 1), admission_date=date(2026, 6, 1))
    updated = reviews.update_setup(store, review.id, actor, segregation_started=DAY, discharge_date=date(2026, 5, 31),
                                   readmission=YesNo.YES, next_review_agreed=date(2026, 11, 21),
                                   unit="  Cedar Unit ", requested_because=" On the LTS register. ")
    assert updated.setup.segregation_started == DAY and updated.setup.unit == "Cedar Unit"
    assert updated.setup.requested_because == "On the LTS register."
    again = reviews.update_setup(store, review.id, actor, segregation_started=date(2026, 6, 1))
    assert again.setup.segregation_started == date(2026, 6, 1)


def test_the_next_review_agreed_on_the_day_wins_over_the_cadence(store, actor):
    registry = TemplateRegistry.default()
    icetr = make(store, actor, template_id="icetr")
    assert next_review_due(icetr, registry.latest("icetr")).due is None
    agreed = reviews.update_setup(store, icetr.id, actor, next_review_agreed=date(2027, 2, 1))
    due = next_review_due(agreed, registry.latest("icetr"))
    assert due.due == date(2027, 2, 1) and "agreed on the day" in due.reason
    inpatient = make(store, actor, next_review_agreed=date(2027, 1, 15))
    assert next_review_due(inpatient, registry.latest("adult_inpatient")).due == date(2027, 1, 15)


# --------------------------------------------------------------------------- the MoJ exemption


@pytest.mark.parametrize(("legal_status", "exempt"), [
    ("Section 37/41 MHA", True),
    ("s37/41", True),
    ("Section 37 / 41", True),
    ("Section 47/49 MHA", True),
    ("s48/49", True),
    ("Section 37 MHA", False),  # a hospital order without restrictions
    ("Section 3 MHA", False),
    ("Section 41", False),
    ("", False),
])
def test_the_restriction_follows_from_the_legal_status(legal_status, exempt):
    setup = ReviewSetup(template_id="adult_inpatient", person_label="Q.R.", review_date=DAY, legal_status=legal_status)
    assert moj_exempt(setup).exempt is exempt


@pytest.mark.parametrize(("legal_status", "flagged"), [
    ("Section 37/41 MHA", False),
    ("Section 37 MHA", True),
    ("Section 47/49 MHA", False),
])
def test_an_adult_on_a_restriction_order_is_not_escalated_for_a_long_stay(store, actor, legal_status, flagged):
    review = make(store, actor, admission_date=date(2024, 1, 10), legal_status=legal_status)
    assert ("long_stay" in codes(store, review.id)) is flagged
    if not flagged:
        (note,) = escalation.assess(store, review.id).notes
        assert "restriction" in note and legal_status in note and "not escalated" in note


@pytest.mark.parametrize(("birth", "flagged"), [
    (date(2009, 11, 21), True),  # 17 on the review date: a child is never exempt
    (date(2008, 11, 20), False),  # 18 on the review date
])
def test_a_child_on_a_restriction_order_is_still_escalated(store, actor, birth, flagged):
    review = make(store, actor, admission_date=date(2025, 1, 10), legal_status="Section 37/41 MHA",
                  date_of_birth=birth)
    assert ("long_stay" in codes(store, review.id)) is flagged
    if flagged:
        (note,) = escalation.assess(store, review.id).notes
        assert "child" in note.lower() and "not exempt" in note


def test_the_tick_counts_only_when_the_legal_status_does_not_say(store, actor):
    unknown = make(store, actor, admission_date=date(2024, 1, 10), legal_status="Transferred prisoner",
                   moj_restricted=True)
    assert "long_stay" not in codes(store, unknown.id)
    known = make(store, actor, admission_date=date(2024, 1, 10), legal_status="Section 3 MHA", moj_restricted=True)
    assert "long_stay" in codes(store, known.id)
    assert any("Section 3 MHA" in note for note in escalation.assess(store, known.id).notes)
    child = make(store, actor, admission_date=date(2024, 1, 10), moj_restricted=True, service=Service.CAMHS)
    assert "long_stay" in codes(store, child.id)


# --------------------------------------------------------------------------- safeguarding


def test_a_safeguarding_concern_and_an_investigation_are_separate_flags(store, actor, consented_review):
    rid = consented_review.id
    reviews.update_setup(store, rid, actor, long_term_segregation=False, admission_date=None)
    assert codes(store, rid) == []
    sections.add_entry(store, rid, "safety", EntryKind.CONCERN, "Private words", actor, safeguarding=True,
                       safeguarding_lead="Lead")
    (concern,) = escalation_flags(store, rid)
    assert concern.code == "safeguarding_concern"
    assert concern.title == "Safeguarding concern recorded"
    assert concern.reason == "This review recorded 1 safeguarding concern; check whether an investigation has been raised."
    reviews.update_setup(store, rid, actor, safeguarding_investigation=True)
    flags = {f.code: f for f in escalation_flags(store, rid)}
    assert set(flags) == {"safeguarding_investigation", "safeguarding_concern"}
    assert flags["safeguarding_investigation"].reason == "A safeguarding investigation has been raised."
    assert flags["safeguarding_concern"].reason == "This review recorded 1 safeguarding concern."
    assert "Private words" not in " ".join(f.reason for f in flags.values())


# --------------------------------------------------------------------------- working days


@pytest.mark.parametrize(("start", "days", "expected"), [
    (date(2026, 11, 20), 1, date(2026, 11, 23)),  # Friday + 1: Monday
    (date(2026, 11, 21), 1, date(2026, 11, 23)),  # admitted on a Saturday: Monday is the first
    (date(2026, 11, 16), 5, date(2026, 11, 23)),
    (date(2026, 4, 2), 1, date(2026, 4, 7)),  # Good Friday and Easter Monday skipped
    (date(2026, 12, 24), 1, date(2026, 12, 29)),  # Christmas, a weekend and Boxing Day observed on Monday
    (date(2026, 12, 24), 5, date(2027, 1, 5)),  # ... and New Year's Day
    (date(2026, 5, 22), 1, date(2026, 5, 26)),  # the spring bank holiday
    (date(2026, 8, 28), 1, date(2026, 9, 1)),  # the summer bank holiday (England and Wales)
])
def test_working_days_skip_weekends_and_bank_holidays(start, days, expected):
    assert add_working_days(start, days) == expected


def test_working_days_refuse_a_negative_count():
    with pytest.raises(ValueError):
        add_working_days(DAY, -1)


@pytest.mark.parametrize(("birth", "due"), [
    (date(2009, 12, 19), date(2026, 12, 29)),  # 16: 5 working days over Christmas
    (date(2008, 12, 18), date(2027, 1, 6)),  # 18 on the admission date: 10 working days
])
def test_post_admission_review_due_in_working_days_by_age(store, actor, birth, due):
    registry = TemplateRegistry.default()
    review = make(store, actor, template_id="post_admission", review_date=date(2027, 1, 6),
                  admission_date=date(2026, 12, 18), date_of_birth=birth)
    after = due_after_admission(review, registry.latest("post_admission"))
    assert after.due == due
    assert "working days" in after.reason


def test_a_post_admission_review_held_late_says_by_how_many_working_days(store, actor):
    registry = TemplateRegistry.default()
    review = make(store, actor, template_id="post_admission", review_date=date(2026, 12, 8),
                  admission_date=date(2026, 11, 20))
    after = due_after_admission(review, registry.latest("post_admission"))
    assert after.due == date(2026, 12, 4)
    assert after.reason.endswith("held 2 working days late.")
    on_time = make(store, actor, template_id="post_admission", review_date=date(2026, 12, 4),
                   admission_date=date(2026, 11, 20))
    assert after_due(on_time).reason.endswith("held in time.")


def after_due(review):
    return due_after_admission(review, TemplateRegistry.default().latest("post_admission"))


# --------------------------------------------------------------------------- root cause analysis


@pytest.mark.parametrize(("before", "due"), [(YesNo.NO, True), (YesNo.YES, False), (YesNo.UNKNOWN, False)])
def test_a_root_cause_analysis_is_due_after_an_admission_without_a_community_review(store, actor, before, due):
    review = make(store, actor, admission_date=date(2026, 11, 1), community_review_before_admission=before)
    process = escalation.assess(store, review.id).process
    assert ("root_cause_analysis" in [p.code for p in process]) is due
    assert "root_cause_analysis" not in codes(store, review.id)  # not an oversight criterion
    if due:
        assert "without a community" in process[0].reason


# --------------------------------------------------------------------------- the escalation decision


@pytest.fixture
def flagged(store, actor, review):
    """The IC(E)TR review (long stay, segregation) with its panel on the register."""
    people.add_attendee(store, review.id, actor, name="Morgan Ellis", role="independent_chair")
    people.add_attendee(store, review.id, actor, name="Ravi Patel", role="commissioner")
    return review


def decide(store, review_id, **changes):
    return escalation_decision.record_decision(store, review_id, Actor("Morgan Ellis", "independent_chair"), **changes)


def test_escalating_records_the_reasons_who_and_when(store, clock, flagged):
    today = clock().date()
    recorded = decide(store, flagged.id, decision=EscalationDecision.ESCALATE,
                      reasons="other long_term_segregation", other_concern="Family cannot visit.",
                      decided_by="Morgan Ellis", decided_on=today)
    assert recorded.reasons == "long_term_segregation other" and recorded.decided_by_role == "independent_chair"
    assert reviews.get_review(store, flagged.id).decision == recorded


def test_a_reason_outside_the_list_needs_its_words(store, flagged):
    with pytest.raises(ValidationError, match="other concern"):
        decide(store, flagged.id, decision=EscalationDecision.ESCALATE, reasons="other")
    with pytest.raises(ValidationError, match="at least one reason"):
        decide(store, flagged.id, decision=EscalationDecision.ESCALATE, reasons="")
    with pytest.raises(ValidationError, match="not an escalation criterion"):
        decide(store, flagged.id, decision=EscalationDecision.ESCALATE, reasons="weather")
    # A reason the criteria do not flag today is allowed: the list is not exclusive.
    assert decide(store, flagged.id, decision=EscalationDecision.ESCALATE, reasons="seclusion").reasons == "seclusion"


def test_not_escalating_despite_a_criterion_needs_the_why(store, actor, flagged):
    with pytest.raises(ValidationError, match="why the review is not escalated"):
        decide(store, flagged.id, decision=EscalationDecision.NOT_ESCALATE)
    done = decide(store, flagged.id, decision=EscalationDecision.NOT_ESCALATE, not_because="Already before the panel.")
    assert done.decision is EscalationDecision.NOT_ESCALATE
    calm = make(store, actor)
    assert escalation_decision.record_decision(store, calm.id, actor,
                                               decision=EscalationDecision.NOT_ESCALATE).not_because == ""


def test_the_decider_is_named_on_the_register(store, flagged):
    with pytest.raises(ValidationError, match="attendance register"):
        decide(store, flagged.id, decided_by="Someone Else")


def test_decision_dates_at_their_boundaries(store, clock, flagged):
    today = clock().date()  # the test clock's day, after the review date
    base = dict(decision=EscalationDecision.ESCALATE, reasons="long_stay")
    with pytest.raises(ValidationError, match="decided .* in the future"):
        decide(store, flagged.id, **base, decided_on=date.fromordinal(today.toordinal() + 1))
    with pytest.raises(ValidationError, match="before the review date"):
        decide(store, flagged.id, **base, decided_on=date.fromordinal(flagged.review_date.toordinal() - 1))
    decide(store, flagged.id, **base, decided_on=flagged.review_date)
    with pytest.raises(ValidationError, match="oversight panel's outcome is dated before"):
        decide(store, flagged.id, oversight_outcome="Seen.", oversight_outcome_on=date.fromordinal(
            flagged.review_date.toordinal() - 1))
    with pytest.raises(ValidationError, match="told .* before the decision"):
        decide(store, flagged.id, family_told_on=date.fromordinal(flagged.review_date.toordinal() - 1))
    done = decide(store, flagged.id, oversight_outcome="Seen.", oversight_outcome_on=today, person_told_on=today)
    assert done.person_told_on == today


def test_told_is_a_date_or_why_not_never_both(store, clock, flagged):
    today = clock().date()
    decide(store, flagged.id, decision=EscalationDecision.ESCALATE, reasons="long_stay", decided_on=today)
    with pytest.raises(ValidationError, match="either the date .* or why"):
        decide(store, flagged.id, advocate_told_on=today, advocate_not_told_because="No advocate.")
    done = decide(store, flagged.id, advocate_not_told_because="No advocate appointed yet.")
    assert done.advocate_not_told_because == "No advocate appointed yet."
    problems = escalation_decision.decision_problems(store, flagged.id)
    assert any("the person" in p for p in problems) and any("family" in p for p in problems)
    assert not any("advocate" in p for p in problems)


def test_an_outcome_needs_an_escalation(store, flagged):
    with pytest.raises(ValidationError, match="only when the review was escalated"):
        decide(store, flagged.id, decision=EscalationDecision.NOT_ESCALATE, not_because="x", oversight_outcome="Seen.")


def test_an_undecided_flagged_review_is_a_problem_to_resolve(store, actor, flagged):
    assert escalation_decision.decision_problems(store, flagged.id)[0].startswith("Record whether")
    assert escalation_decision.decision_problems(store, make(store, actor).id) == []


def test_a_signed_review_refuses_a_new_decision(store, flagged):
    from app.models import Review

    with store.write() as session:
        session.get(Review, flagged.id).locked_at = store.now()
    with pytest.raises(ReviewLockedError):
        decide(store, flagged.id, decision=EscalationDecision.ESCALATE, reasons="long_stay")


# --------------------------------------------------------------------------- feedback


def test_feedback_is_a_scale_and_words(store, actor, review):
    from app.services import outcomes

    saved = outcomes.record_feedback(store, review.id, actor, person_listened=Listened.PARTLY,
                                     person_feedback="  They listened in the end. ")
    assert saved.person_listened is Listened.PARTLY and saved.person_feedback == "They listened in the end."
    assert reviews.get_review(store, review.id).feedback == saved
    with pytest.raises(ValueError):
        outcomes.record_feedback(store, review.id, actor, nonsense=1)
