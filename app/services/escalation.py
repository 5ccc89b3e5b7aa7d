"""When a review must go to the ICS oversight panel: every criterion, each with its reason.

The criteria (NHS England guidance, see the design notes): a long stay (children and young
people 6 months or more, adults 12 months or more, unless restricted by the Ministry of
Justice); long-term segregation, regular seclusion or other very restrictive practice; a ward
rated inadequate by the CQC; an unresolved complaint; a safeguarding investigation; escalation
requested by the person, family, responsible commissioner or advocate; two or more declined
reviews. A safeguarding concern recorded in this review is a flag of its own, apart from an
investigation already raised. Each flag carries one plain sentence with the facts. No personal
text is read here beyond ids, dates, ticks, the legal status and counts.

The Ministry of Justice exemption from the long-stay criterion is for adults only, and follows
from the legal status where it says (a restriction order: sections 37/41, 47/49, 48/49); the
set-up's tick counts only when the legal status does not say. The criteria are not exclusive:
the panel's own decision is recorded apart (app/services/escalation_decision.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Review, SectionEntry
from app.models.enums import ConsentBasis, EscalationRequester, Service, SettingKind, YesNo
from app.services.errors import NotFoundError

ADULT_LONG_STAY_MONTHS = 12
CHILD_LONG_STAY_MONTHS = 6
DECLINED_THRESHOLD = 2
ADULT_AGE = 18

# Stable codes, in the order the guidance lists the criteria (also the oversight sheet's columns).
FLAG_CODES: tuple[str, ...] = (
    "long_stay",
    "long_term_segregation",
    "seclusion",
    "restrictive_practice",
    "ward_inadequate",
    "unresolved_complaint",
    "safeguarding_investigation",
    "safeguarding_concern",
    "escalation_requested",
    "declined_reviews",
)
FLAG_TITLES: dict[str, str] = {
    "long_stay": "Long stay",
    "long_term_segregation": "Long-term segregation",
    "seclusion": "Regular seclusion",
    "restrictive_practice": "Other very restrictive practice",
    "ward_inadequate": "Ward rated inadequate by the CQC",
    "unresolved_complaint": "Unresolved complaint",
    "safeguarding_investigation": "Safeguarding investigation raised",
    "safeguarding_concern": "Safeguarding concern recorded",
    "escalation_requested": "Escalation requested",
    "declined_reviews": "Declined reviews",
}
# Short lower-case labels for lists (the review list, `reviewday list`).
SHORT_LABELS: dict[str, str] = {
    "long_stay": "long stay",
    "long_term_segregation": "long-term segregation",
    "seclusion": "regular seclusion",
    "restrictive_practice": "restrictive practice",
    "ward_inadequate": "ward rated inadequate",
    "unresolved_complaint": "unresolved complaint",
    "safeguarding_investigation": "safeguarding investigation",
    "safeguarding_concern": "safeguarding concern",
    "escalation_requested": "escalation requested",
    "declined_reviews": "declined reviews",
}
REQUESTER_LABELS: dict[EscalationRequester, str] = {
    EscalationRequester.PERSON: "the person",
    EscalationRequester.FAMILY: "their family",
    EscalationRequester.COMMISSIONER: "the responsible commissioner",
    EscalationRequester.ADVOCATE: "their advocate",
}


@dataclass(frozen=True)
class EscalationFlag:
    code: str
    title: str
    reason: str

    @property
    def text(self) -> str:
        """'Title: reason' as one line, for lists and reports."""
        return f"{self.title}: {self.reason}"


# Process steps due because of how the person came to be here; not oversight criteria.
PROCESS_TITLES: dict[str, str] = {"root_cause_analysis": "Root cause analysis due"}


@dataclass(frozen=True)
class Assessment:
    """The flags, notes that explain a criterion met but not escalated (e.g. MoJ restriction),
    and process steps due (a root cause analysis), which are not oversight criteria."""

    flags: tuple[EscalationFlag, ...]
    notes: tuple[str, ...] = ()
    process: tuple[EscalationFlag, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(flag.code for flag in self.flags)


# ------------------------------------------------------------------------- dates and age


def short_date(day: date) -> str:
    """'3 Oct 2025'."""
    return f"{day.day} {day:%b %Y}"


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the month's last day (31 Aug + 6 = 28/29 Feb)."""
    return day + relativedelta(months=months)


def whole_months(start: date, end: date) -> int:
    """Whole months from `start` to `end`, consistent with add_months: the largest n with
    add_months(start, n) <= end (so 31 Aug to 28 Feb is 6 months). 0 when end is not after start."""
    if end <= start:
        return 0
    delta = relativedelta(end, start)
    months = delta.years * 12 + delta.months
    while add_months(start, months + 1) <= end:
        months += 1
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return months


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


_UNDER = re.compile(r"^\s*(?:under|<)\s*(\d{1,3})\s*$", re.IGNORECASE)
_RANGE = re.compile(r"^\s*(\d{1,3})\s*(?:-|–|to)\s*(\d{1,3})\s*$", re.IGNORECASE)
_SINGLE = re.compile(r"^\s*(\d{1,3})\s*$")


def age_band_is_child(band: str) -> bool:
    """True when a stored age band ('Under 14', '14-17', or typed like '16' or 'under 18') is wholly under 18."""
    if match := _UNDER.match(band or ""):
        return int(match.group(1)) <= ADULT_AGE
    if match := _RANGE.match(band or ""):
        return max(int(match.group(1)), int(match.group(2))) < ADULT_AGE
    if match := _SINGLE.match(band or ""):
        return int(match.group(1)) < ADULT_AGE
    return False


def is_child(review: Any, on: date | None = None) -> bool:
    """A child or young person: CAMHS service, under 18 on the date by date of birth, or an age band under 18.

    `review` is anything with service, date_of_birth, age_band and review_date (a Review or a ReviewSetup).
    """
    on = on or review.review_date
    if review.service is Service.CAMHS:
        return True
    if review.date_of_birth is not None and review.date_of_birth <= on and age_on(review.date_of_birth, on) < ADULT_AGE:
        return True
    return age_band_is_child(review.age_band)


# A restriction order under the Mental Health Act: a hospital order with restrictions (37/41), or a
# transfer from prison (47/49) or of an unsentenced prisoner (48/49), with restrictions.
_RESTRICTION_ORDER = re.compile(r"(?<![0-9])(37|47|48)\s*/\s*(41|49)(?![0-9])")
_RESTRICTION_PAIRS = frozenset({("37", "41"), ("47", "49"), ("48", "49")})
# A legal status that says something definite about restriction without being a restriction order.
_KNOWN_STATUS = re.compile(
    r"\b(?:section|s\.?)\s*\d|\binformal\b|\bnot detained\b|community treatment order|\bcto\b|"
    r"deprivation of liberty|\bdols\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class MojExemption:
    """Whether the person is restricted by the Ministry of Justice, and whether that exempts the long stay.

    `basis` is "legal_status" (a restriction order in the legal status), "tick" (the set-up's tick,
    used only when the legal status does not say) or "" (not restricted).
    """

    restricted: bool
    exempt: bool
    basis: str
    child: bool


def restriction_order(legal_status: str) -> bool:
    """True when the legal status names a restriction order (37/41, 47/49, 48/49); 37 alone is not one."""
    return any((a, b) in _RESTRICTION_PAIRS for a, b in _RESTRICTION_ORDER.findall(legal_status or ""))


def legal_status_says(legal_status: str) -> bool:
    """True when the legal status settles the question: a restriction order, or a status known to have none."""
    return restriction_order(legal_status) or bool(_KNOWN_STATUS.search(legal_status or ""))


def moj_exempt(review: Any, on: date | None = None) -> MojExemption:
    """The MoJ exemption from the long-stay criterion: adults only, from the legal status where it says."""
    status = getattr(review, "legal_status", "") or ""
    if restriction_order(status):
        restricted, basis = True, "legal_status"
    elif not legal_status_says(status) and getattr(review, "moj_restricted", False):
        restricted, basis = True, "tick"
    else:
        restricted, basis = False, ""
    child = is_child(review, on)
    return MojExemption(restricted=restricted, exempt=restricted and not child, basis=basis, child=child)


def requesters(value: str) -> tuple[EscalationRequester, ...]:
    """The stored space-separated requesters, known values only, in a fixed order."""
    given = set((value or "").split())
    return tuple(r for r in EscalationRequester if r.value in given)


def requesters_value(chosen: Iterable[EscalationRequester | str]) -> str:
    wanted = {str(getattr(c, "value", c)) for c in chosen}
    return " ".join(r.value for r in EscalationRequester if r.value in wanted)


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# ------------------------------------------------------------------------- the rules


def assess_review(review: Review, *, safeguarding_concerns: int, declined_in_series: int,
                  today: date | None = None) -> Assessment:
    """The criteria for one review, given the counts only the database knows.

    `declined_in_series` counts this person's reviews in this database (up to this one) whose
    consent basis is 'declined'; `today` measures the stay and age on another date than the review's.
    """
    on = today or review.review_date
    flags: list[EscalationFlag] = []
    notes: list[str] = []

    def flag(code: str, reason: str) -> None:
        flags.append(EscalationFlag(code, FLAG_TITLES[code], reason))

    admitted = review.admission_date
    if admitted is not None and admitted <= on and review.setting_kind is not SettingKind.COMMUNITY:
        child = is_child(review, on)
        limit = CHILD_LONG_STAY_MONTHS if child else ADULT_LONG_STAY_MONTHS
        months = whole_months(admitted, on)
        if add_months(admitted, limit) <= on:
            stay = f"In hospital {_plural(months, 'month', 'months')} (since {short_date(admitted)})"
            who = "children and young people" if child else "adults"
            moj = moj_exempt(review, on)
            order = f"the legal status {review.legal_status} is a restriction order" if moj.basis == "legal_status" \
                else "restricted by the Ministry of Justice"
            if moj.exempt:
                notes.append(f"{stay}, but {order}, so the long stay is not escalated.")
            else:
                flag("long_stay", f"{stay}; {who} are escalated at {limit} months.")
                if moj.restricted:
                    what = (f"A restriction order ({review.legal_status})" if moj.basis == "legal_status"
                            else "A Ministry of Justice restriction")
                    notes.append(f"{what} does not exempt a child or young person, so the long stay is escalated.")
    if (getattr(review, "moj_restricted", False) and legal_status_says(review.legal_status)
            and not restriction_order(review.legal_status)):
        notes.append(f"The Ministry of Justice tick was not used: the legal status {review.legal_status} "
                     "carries no restriction order.")

    if review.long_term_segregation:
        flag("long_term_segregation", "The person is in long-term segregation.")
    if review.seclusion:
        flag("seclusion", "The person is secluded regularly.")
    if review.restrictive_practice:
        flag("restrictive_practice", "Other very restrictive practice is in use.")
    if review.ward_rated_inadequate:
        flag("ward_inadequate", "The ward or unit is rated inadequate by the CQC.")
    if review.unresolved_complaint:
        flag("unresolved_complaint",
             "A complaint by the person or their family is unresolved after formal escalation.")

    # Two different facts: an investigation already raised (the criterion, a set-up tick), and
    # concerns this panel recorded today (which may or may not lead to one).
    if review.safeguarding_investigation:
        flag("safeguarding_investigation", "A safeguarding investigation has been raised.")
    if safeguarding_concerns:
        recorded = f"This review recorded {_plural(safeguarding_concerns, 'safeguarding concern', 'safeguarding concerns')}"
        flag("safeguarding_concern", f"{recorded}." if review.safeguarding_investigation
             else f"{recorded}; check whether an investigation has been raised.")

    asked = requesters(review.escalation_requested_by)
    if asked:
        flag("escalation_requested",
             f"Escalation to the oversight panel was requested by {_join([REQUESTER_LABELS[r] for r in asked])}.")

    before = max(0, review.declined_before or 0)
    declined = declined_in_series + before
    if declined >= DECLINED_THRESHOLD:
        parts = []
        if declined_in_series:
            parts.append(f"{declined_in_series} recorded here")
        if before:
            parts.append(f"{before} before")
        flag("declined_reviews",
             f"The person has declined {declined} reviews ({' and '.join(parts)}); consider their capacity.")

    process: list[EscalationFlag] = []
    if getattr(review, "community_review_before_admission", YesNo.UNKNOWN) is YesNo.NO:
        process.append(EscalationFlag(
            "root_cause_analysis", PROCESS_TITLES["root_cause_analysis"],
            "The person was admitted without a community C(E)TR first, so a root cause analysis of the "
            "admission is due.",
        ))

    return Assessment(tuple(flags), tuple(notes), tuple(process))


# ------------------------------------------------------------------------- database look-ups


def safeguarding_counts(session: Session, review_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Safeguarding concerns recorded per review."""
    query = select(SectionEntry.review_id, func.count()).where(SectionEntry.safeguarding.is_(True))
    if review_ids is not None:
        query = query.where(SectionEntry.review_id.in_(list(review_ids)))
    return dict(session.execute(query.group_by(SectionEntry.review_id)).all())


def declined_counts(session: Session, reviews: Iterable[Review]) -> dict[int, int]:
    """Per review: declined reviews in the same person's series, dated on or before it (itself included)."""
    reviews = list(reviews)
    keys = {r.person_key for r in reviews}
    declined: dict[str, list[tuple[date, int]]] = {}
    if keys:
        rows = session.execute(
            select(Review.person_key, Review.review_date, Review.id)
            .where(Review.person_key.in_(keys), Review.consent_basis == ConsentBasis.DECLINED)
        ).all()
        for key, day, review_id in rows:
            declined.setdefault(key, []).append((day, review_id))
    counts = {}
    for review in reviews:
        counts[review.id] = sum(
            1 for day, other in declined.get(review.person_key, ())
            if other == review.id or day <= review.review_date
        )
    return counts


def assess_many(session: Session, reviews: Iterable[Review], *, today: date | None = None) -> dict[int, Assessment]:
    """Assessments for many reviews in three queries, for lists and the oversight sheet."""
    reviews = list(reviews)
    concerns = safeguarding_counts(session, [r.id for r in reviews])
    declined = declined_counts(session, reviews)
    return {
        r.id: assess_review(r, safeguarding_concerns=concerns.get(r.id, 0), declined_in_series=declined[r.id],
                            today=today)
        for r in reviews
    }


def assess(store_or_session: Any, review_id: int, *, today: date | None = None) -> Assessment:
    """The flags and notes for one review, from a Store (read in its own session) or an open Session."""
    if isinstance(store_or_session, Session):
        return _assess_in(store_or_session, review_id, today)
    with store_or_session.read() as session:
        return _assess_in(session, review_id, today)


def _assess_in(session: Session, review_id: int, today: date | None) -> Assessment:
    review = session.get(Review, review_id)
    if review is None:
        raise NotFoundError(f"There is no review with id {review_id}.")
    return assess_many(session, [review], today=today)[review_id]


def escalation_flags(store_or_session: Any, review_id: int, *, today: date | None = None) -> list[EscalationFlag]:
    """Every ICS oversight criterion the review meets, each with a one-sentence reason."""
    return list(assess(store_or_session, review_id, today=today).flags)
