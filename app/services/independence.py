"""Independence checks: warnings, never refusals.

- An independent panel member (independent chair, clinical expert, expert by experience, CQC
  Mental Health Act reviewer) reviews the care; they should not own the provider's actions.
- A safeguarding concern should go to someone outside the provider being reviewed, not to the
  ward's own staff.

People are matched by name against the attendance register (spacing and case ignored); a name
not on the register gives no warning, because nothing is known about it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from app.kloe.roles import role_label
from app.services import actions, people, reviews, sections
from app.services.dto import AttendeeData, ReviewSetup
from app.services.store import Store

INDEPENDENT_PANEL_ROLES: frozenset[str] = frozenset(
    {"independent_chair", "clinical_expert", "expert_by_experience", "mha_reviewer"}
)
# Roles of people who work for the hospital or provider whose care is reviewed.
PROVIDER_ROLES: frozenset[str] = frozenset({
    "responsible_clinician", "named_nurse", "psychologist", "speech_language_therapist",
    "occupational_therapist", "clinical_team", "provider",
})


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def find_attendee(attendees: Iterable[AttendeeData], name: str) -> AttendeeData | None:
    wanted = _key(name)
    if not wanted:
        return None
    return next((a for a in attendees if _key(a.name) == wanted), None)


def owner_warning(attendees: Sequence[AttendeeData], owner_name: str) -> str:
    """A sentence when the owner is an independent panel member, else ""."""
    owner = find_attendee(attendees, owner_name)
    if owner is None or owner.role not in INDEPENDENT_PANEL_ROLES:
        return ""
    return (f"{owner.name} is an independent panel member ({role_label(owner.role)}); actions for the provider "
            "should be owned by someone from the provider.")


def works_for_provider(attendee: AttendeeData, setup: ReviewSetup) -> bool:
    """A provider role, or an organisation naming the hospital, unit or ward being reviewed."""
    if attendee.role in PROVIDER_ROLES:
        return True
    organisation = attendee.organisation.casefold().strip()
    places = [p.casefold().strip() for p in (setup.hospital, setup.unit, setup.ward) if p.strip()]
    return bool(organisation) and any(place in organisation or organisation in place for place in places)


def safeguarding_lead_warning(attendees: Sequence[AttendeeData], setup: ReviewSetup, lead_name: str) -> str:
    """A sentence when the named safeguarding lead works for the provider being reviewed, else ""."""
    lead = find_attendee(attendees, lead_name)
    if lead is None or not works_for_provider(lead, setup):
        return ""
    where = ", ".join(p for p in (role_label(lead.role), lead.organisation) if p)
    return (f"{lead.name} works for the provider being reviewed ({where}); a safeguarding concern should go to "
            "someone outside it, such as the local authority's safeguarding lead.")


def action_warnings(store: Store, review_id: int) -> dict[int, str]:
    """Action id -> warning, for actions owned by an independent panel member."""
    attendees = people.list_attendees(store, review_id)
    found = {a.id: owner_warning(attendees, a.owner_name) for a in actions.list_actions(store, review_id)}
    return {action_id: text for action_id, text in found.items() if text}


def safeguarding_warnings(store: Store, review_id: int) -> dict[int, str]:
    """Entry id -> warning, for safeguarding concerns whose named person works for the provider."""
    attendees = people.list_attendees(store, review_id)
    setup = reviews.get_review(store, review_id).setup
    found = {
        e.id: safeguarding_lead_warning(attendees, setup, e.safeguarding_lead)
        for e in sections.list_entries(store, review_id) if e.safeguarding
    }
    return {entry_id: text for entry_id, text in found.items() if text}
