"""Roles of the people at a review day, as data the rest of the app shares."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    id: str
    label: str
    panel: bool


ROLES: tuple[Role, ...] = (
    Role("chair", "Chair", True),
    Role("independent_chair", "Independent chair", True),
    Role("clinical_expert", "Clinical expert", True),
    Role("expert_by_experience", "Expert by experience", True),
    Role("mha_reviewer", "CQC Mental Health Act reviewer", True),
    Role("note_taker", "Note-taker", True),
    Role("person", "The person", False),
    Role("family_carer", "Family or carer", False),
    Role("advocate", "Advocate (IMHA)", False),
    Role("responsible_clinician", "Responsible clinician", False),
    Role("named_nurse", "Named nurse", False),
    Role("psychologist", "Psychologist", False),
    Role("speech_language_therapist", "Speech and language therapist", False),
    Role("occupational_therapist", "Occupational therapist", False),
    Role("clinical_team", "Clinical team (other)", False),
    Role("care_coordinator", "Care co-ordinator", False),
    Role("community_team", "Community team", False),
    Role("social_care", "Local authority / social care", False),
    Role("education", "Education", False),
    Role("provider", "Provider", False),
    Role("case_manager", "Case manager", False),
    # On the panel: it pays for the person's care and follows up the actions (in an IC(E)TR beside the independent chair).
    Role("commissioner", "Commissioner", True),
    Role("other", "Other", False),
)

ROLES_BY_ID: dict[str, Role] = {role.id: role for role in ROLES}
PANEL_ROLE_IDS: frozenset[str] = frozenset(r.id for r in ROLES if r.panel)


def role_label(role_id: str) -> str:
    role = ROLES_BY_ID.get(role_id)
    return role.label if role else role_id.replace("_", " ").capitalize()
