"""The ICS oversight criteria: each on and off, the long-stay boundaries, MoJ restriction, declines in a series."""

from __future__ import annotations

from datetime import date

import pytest

from app.models import Review
from app.models.enums import ConsentBasis, EntryKind, Service, SettingKind
from app.services import escalation, people, reviews, sections
from app.services.dto import ReviewSetup
from app.services.errors import NotFoundError, ValidationError
from app.services.escalation import add_months, age_band_is_child, escalation_flags, is_child, whole_months


def make(store, actor, *, review_date=date(2026, 11, 20), **fields):
    setup = ReviewSetup(template_id="adult_inpatient", person_label="Q.R.", review_date=review_date, **fields)
    return reviews.create_review(store, setup, actor)


def codes(store, review_id, **kwargs):
    return [flag.code for flag in escalation_flags(store, review_id, **kwargs)]


def only(store, review_id, code):
    (flag,) = [f for f in escalation_flags(store, review_id) if f.code == code]
    return flag


# --------------------------------------------------------------------------- month arithmetic


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2025, 8, 31), 6, date(2026, 2, 28)),
    (date(2023, 8, 31), 6, date(2024, 2, 29)),  # leap year
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2024, 2, 29), 48, date(2028, 2, 29)),
    (date(2025, 1, 31), 1, date(2025, 2, 28)),
    (date(2025, 3, 15), 12, date(2026, 3, 15)),
])
def test_add_months_clamps_to_the_end_of_the_month(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(("start", "end", "expected"), [
    (date(2025, 8, 31), date(2026, 2, 27), 5),
    (date(2025, 8, 31), date(2026, 2, 28), 6),
    (date(2025, 8, 31), date(2026, 3, 1), 6),
    (date(2024, 2, 29), date(2025, 2, 27), 11),
    (date(2024, 2, 29), date(2025, 2, 28), 12),
    (date(2025, 3, 15), date(2025, 3, 15), 0),
    (date(2025, 3, 15), date(2025, 3, 1), 0),
])
def test_whole_months_agrees_with_add_months(start, end, expected):
    assert whole_months(start, end) == expected


@pytest.mark.parametrize(("band", "child"), [
    ("Under 14", True), ("14-17", True), ("18-25", False), ("26-64", False), ("65+", False),
    ("under 18", True), ("16", True), ("18", False), ("12 to 15", True), ("", False), ("adult", False),
])
def test_age_bands_as_stored(band, child):
    assert age_band_is_child(band) is child


def test_a_child_by_service_birth_date_or_band():
    base = ReviewSetup(template_id="adult_inpatient", person_label="Q.R.", review_date=date(2026, 11, 20))
    assert not is_child(base)
    assert is_child(ReviewSetup(**{**base.__dict__, "service": Service.CAMHS}))
    assert is_child(ReviewSetup(**{**base.__dict__, "date_of_birth": date(2008, 11, 21)}))  # 17 tomorrow is 18
    assert not is_child(ReviewSetup(**{**base.__dict__, "date_of_birth": date(2008, 11, 20)}))  # 18 today
    assert is_child(ReviewSetup(**{**base.__dict__, "age_band": "14-17"}))


# --------------------------------------------------------------------------- long stay


@pytest.mark.parametrize(("review_date", "flagged"), [
    (date(2026, 10, 2), False),  # the day before 12 months
    (date(2026, 10, 3), True),  # 12 months exactly
    (date(2026, 10, 4), True),  # the day after
])
def test_adult_long_stay_at_twelve_months(store, actor, review_date, flagged):
    review = make(store, actor, review_date=review_date, admission_date=date(2025, 10, 3))
    assert ("long_stay" in codes(store, review.id)) is flagged


def test_adult_long_stay_reason_gives_the_facts(store, actor):
    review = make(store, actor, review_date=date(2026, 11, 20), admission_date=date(2025, 10, 3))
    assert only(store, review.id, "long_stay").reason == (
        "In hospital 13 months (since 3 Oct 2025); adults are escalated at 12 months."
    )


@pytest.mark.parametrize(("review_date", "flagged"), [
    (date(2026, 2, 27), False),  # day before six months after 31 Aug
    (date(2026, 2, 28), True),  # six months after 31 Aug (no 31 Feb)
    (date(2026, 3, 1), True),
])
def test_child_long_stay_at_six_months_from_the_31st(store, actor, review_date, flagged):
    review = make(store, actor, review_date=review_date, admission_date=date(2025, 8, 31), service=Service.CAMHS)
    assert ("long_stay" in codes(store, review.id)) is flagged
    if flagged:
        assert only(store, review.id, "long_stay").reason.startswith("In hospital 6 months (since 31 Aug 2025); "
                                                                     "children and young people are escalated at 6")


@pytest.mark.parametrize(("review_date", "flagged"), [
    (date(2024, 2, 28), False),
    (date(2024, 2, 29), True),  # leap day: 31 Aug 2023 + 6 months
])
def test_child_long_stay_across_a_leap_day(store, actor, review_date, flagged):
    review = make(store, actor, review_date=review_date, admission_date=date(2023, 8, 31), age_band="14-17")
    assert ("long_stay" in codes(store, review.id)) is flagged


def test_a_young_person_by_birth_date_is_escalated_at_six_months(store, actor):
    review = make(store, actor, review_date=date(2026, 11, 20), admission_date=date(2026, 5, 20),
                  date_of_birth=date(2010, 1, 1))
    assert "long_stay" in codes(store, review.id)
    adult = make(store, actor, review_date=date(2026, 11, 20), admission_date=date(2026, 5, 20),
                 date_of_birth=date(1990, 1, 1))
    assert "long_stay" not in codes(store, adult.id)


def test_moj_restriction_stops_the_long_stay_flag_and_says_so(store, actor):
    review = make(store, actor, admission_date=date(2024, 1, 10), moj_restricted=True)
    assert "long_stay" not in codes(store, review.id)
    (note,) = escalation.assess(store, review.id).notes
    assert "Ministry of Justice" in note and "not escalated" in note and "since 10 Jan 2024" in note


def test_no_admission_date_or_community_setting_gives_no_long_stay(store, actor):
    assert "long_stay" not in codes(store, make(store, actor).id)
    community = make(store, actor, admission_date=date(2020, 1, 1), setting_kind=SettingKind.COMMUNITY)
    assert "long_stay" not in codes(store, community.id)


def test_today_measures_the_stay_on_another_date(store, actor):
    review = make(store, actor, review_date=date(2026, 10, 1), admission_date=date(2025, 10, 3))
    assert "long_stay" not in codes(store, review.id)
    assert "long_stay" in codes(store, review.id, today=date(2026, 10, 3))


# --------------------------------------------------------------------------- each criterion on and off


@pytest.mark.parametrize(("field", "code", "words"), [
    ("long_term_segregation", "long_term_segregation", "long-term segregation"),
    ("seclusion", "seclusion", "secluded regularly"),
    ("restrictive_practice", "restrictive_practice", "restrictive practice"),
    ("ward_rated_inadequate", "ward_inadequate", "inadequate by the CQC"),
    ("unresolved_complaint", "unresolved_complaint", "unresolved after formal escalation"),
    ("safeguarding_investigation", "safeguarding_investigation", "safeguarding investigation has been raised"),
])
def test_each_tick_box_criterion_on_and_off(store, actor, field, code, words):
    review = make(store, actor)
    assert escalation_flags(store, review.id) == []
    reviews.update_setup(store, review.id, actor, **{field: True})
    flag = only(store, review.id, code)
    assert words in flag.reason and flag.reason.endswith(".")
    reviews.update_setup(store, review.id, actor, **{field: False})
    assert code not in codes(store, review.id)


def test_a_safeguarding_concern_recorded_in_the_review_is_flagged(store, actor, consented_review):
    rid = consented_review.id
    assert "safeguarding_concern" not in codes(store, rid)
    sections.add_entry(store, rid, "safety", EntryKind.CONCERN, "Private words", actor, safeguarding=True,
                       safeguarding_lead="Lead")
    flag = only(store, rid, "safeguarding_concern")
    assert flag.reason == "This review recorded 1 safeguarding concern; check whether an investigation has been raised."
    assert "Private words" not in flag.reason
    assert "safeguarding_investigation" not in codes(store, rid)  # a concern is not an investigation
    reviews.update_setup(store, rid, actor, safeguarding_investigation=True)
    assert only(store, rid, "safeguarding_investigation").reason == "A safeguarding investigation has been raised."
    assert only(store, rid, "safeguarding_concern").reason == "This review recorded 1 safeguarding concern."


def test_escalation_requested_names_who(store, actor):
    review = make(store, actor)
    reviews.update_setup(store, review.id, actor, escalation_requested_by="advocate person")
    assert reviews.get_review(store, review.id).setup.escalation_requested_by == "person advocate"
    assert only(store, review.id, "escalation_requested").reason == (
        "Escalation to the oversight panel was requested by the person and their advocate."
    )
    reviews.update_setup(store, review.id, actor, escalation_requested_by="family commissioner advocate")
    assert "their family, the responsible commissioner and their advocate." in only(
        store, review.id, "escalation_requested").reason
    reviews.update_setup(store, review.id, actor, escalation_requested_by="")
    assert "escalation_requested" not in codes(store, review.id)


def test_bad_setup_values_are_refused_with_one_sentence(store, actor):
    review = make(store, actor)
    with pytest.raises(ValidationError, match="person, family, commissioner or advocate"):
        reviews.update_setup(store, review.id, actor, escalation_requested_by="neighbour")
    with pytest.raises(ValidationError, match="from 0 to 99"):
        reviews.update_setup(store, review.id, actor, declined_before=-1)
    with pytest.raises(ValidationError, match="from 0 to 99"):
        reviews.update_setup(store, review.id, actor, declined_before=100)
    assert reviews.get_review(store, review.id).setup.declined_before == 0


# --------------------------------------------------------------------------- declines across a series


def _join_series(store, *review_ids):
    with store.write() as session:
        first = session.get(Review, review_ids[0])
        for other in review_ids[1:]:
            session.get(Review, other).person_key = first.person_key


def test_declines_are_counted_across_the_persons_series(store, actor):
    first = make(store, actor, review_date=date(2026, 3, 1))
    second = make(store, actor, review_date=date(2026, 9, 1))
    third = make(store, actor, review_date=date(2026, 11, 20))
    stranger = make(store, actor, review_date=date(2026, 11, 20))
    _join_series(store, first.id, second.id, third.id)
    people.record_consent(store, first.id, actor, ConsentBasis.DECLINED)
    people.record_consent(store, stranger.id, actor, ConsentBasis.DECLINED)
    assert "declined_reviews" not in codes(store, third.id)  # one decline only
    people.record_consent(store, second.id, actor, ConsentBasis.DECLINED)
    assert only(store, third.id, "declined_reviews").reason == (
        "The person has declined 2 reviews (2 recorded here); consider their capacity."
    )
    assert "declined_reviews" in codes(store, second.id)
    assert "declined_reviews" not in codes(store, first.id)  # a later decline does not change an earlier review
    assert "declined_reviews" not in codes(store, stranger.id)


def test_declines_before_this_database_count_too(store, actor):
    review = make(store, actor)
    reviews.update_setup(store, review.id, actor, declined_before=1)
    assert "declined_reviews" not in codes(store, review.id)
    people.record_consent(store, review.id, actor, ConsentBasis.DECLINED)
    assert only(store, review.id, "declined_reviews").reason == (
        "The person has declined 2 reviews (1 recorded here and 1 before); consider their capacity."
    )
    reviews.update_setup(store, review.id, actor, declined_before=2)
    people.record_consent(store, review.id, actor, ConsentBasis.CONSENT)
    assert "(2 before)" in only(store, review.id, "declined_reviews").reason


# --------------------------------------------------------------------------- lists and look-ups


def test_review_list_carries_the_flags(store, actor):
    review = make(store, actor, admission_date=date(2024, 1, 1), ward_rated_inadequate=True)
    (summary,) = [s for s in reviews.list_reviews(store) if s.id == review.id]
    assert "long stay" in summary.flags and "ward rated inadequate" in summary.flags


def test_works_inside_an_open_session_and_names_a_missing_review(store, actor):
    review = make(store, actor, seclusion=True)
    with store.read() as session:
        assert [f.code for f in escalation_flags(session, review.id)] == ["seclusion"]
    with pytest.raises(NotFoundError, match="no review with id 999"):
        escalation_flags(store, 999)
