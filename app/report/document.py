"""ReportDocument: everything the report says, as plain data built from the services.

Renderers (PDF, easy read, DOCX, XLSX) only lay this out; they never query the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from app.kloe import TemplateRegistry
from app.kloe.roles import PANEL_ROLE_IDS, role_label
from app.models.enums import (
    Attendance,
    CirculationStage,
    ConsentBasis,
    CqcRating,
    DocumentStatus,
    EntryKind,
    EscalationDecision,
    Evidence,
    HeadlineAnswer,
    Mode,
    SecureLevel,
    YesNo,
)
from app.services import actions, after_day, escalation, notes, people, planning, reviews, sections, signoff
from app.services.escalation_decision import REASON_TITLES, TOLD
from app.services.next_review import cadence_note, next_review_due
from app.services import follow_up
from app.services.store import Store

MARKING = "OFFICIAL-SENSITIVE"
NOT_RECORDED = "Not recorded"
# Shown in place of an empty reason, so a missing "why" is seen rather than a blank cell.
NO_REASON = "No reason recorded"

# The report's appendix that prints every note: its title, words and table header, in PDF and Word alike.
NOTES_APPENDIX = "Notes taken on the day"
NOTES_APPENDIX_LEAD = (
    "Appendix. Every note taken on the day, section by section, in the order it was written: when, "
    "who spoke, what was noted and who wrote it down. These are the working notes as typed; what the "
    "panel concluded is in Findings by section."
)
NOTES_APPENDIX_CARE = (
    "The notes record what people said, including the person and their family. Handle them as "
    "{marking}, like the rest of this report."
)
NOTES_HEADER = ("Time", "Who spoke", "Note", "Written by")
# The opening line of the section-by-section part of the report.
FINDINGS_LEAD = (
    "What the panel recorded in each section: findings with their evidence, good practice, concerns, "
    "safeguarding, the words of the person and those close to them, and how many notes were taken. "
    f"Every note is in the appendix, {NOTES_APPENDIX}."
)

ATTENDANCE_LABELS = {
    Attendance.IN_PERSON: "In person",
    Attendance.REMOTE: "Remote",
    Attendance.SENT_VIEWS: "Sent views beforehand",
    Attendance.APOLOGIES: "Apologies",
}
MODE_LABELS = {Mode.IN_PERSON: "In person", Mode.VIRTUAL: "Virtual", Mode.HYBRID: "Hybrid"}
ANSWER_LABELS = {
    HeadlineAnswer.UNANSWERED: "Not answered",
    HeadlineAnswer.YES: "Yes",
    HeadlineAnswer.NO: "No",
    HeadlineAnswer.PARTLY: "Partly",
}
EVIDENCE_LABELS = {
    Evidence.NONE: "",
    Evidence.DOCUMENT: "Document seen",
    Evidence.OBSERVATION: "Observation",
    Evidence.QUOTE: "Quote",
}
CONSENT_LABELS = {
    ConsentBasis.NOT_RECORDED: "Not recorded",
    ConsentBasis.CONSENT: "The person consented to the review",
    ConsentBasis.BEST_INTERESTS: "Best-interests decision under the Mental Capacity Act",
    ConsentBasis.DECLINED: "The person declined the review",
}
# Whose words are reported as "in their own words": the person's voice and their family's.
VOICE_ROLES = frozenset({"person", "family_carer", "advocate"})


@dataclass(frozen=True)
class ReportAttendee:
    name: str
    role: str
    organisation: str
    attendance: str
    panel: bool


@dataclass(frozen=True)
class ReportHeadline:
    number: int
    question: str
    answer: str
    reasons: str


@dataclass(frozen=True)
class ReportEntry:
    kind: str  # "finding" | "good_practice" | "concern"
    text: str
    evidence: str
    evidence_detail: str
    safeguarding: bool
    safeguarding_lead: str


@dataclass(frozen=True)
class ReportVoice:
    speaker: str
    role: str
    text: str


@dataclass(frozen=True)
class ReportNote:
    """One note as typed on the day: when, who spoke (name and role), what, and who wrote it down."""

    at: datetime
    speaker: str
    speaker_role: str
    text: str
    author: str
    author_role: str

    @property
    def said_by(self) -> tuple[str, str]:
        """(name, role) of who spoke: the role stands in for a missing name; neither is "Not recorded"."""
        if self.speaker:
            return self.speaker, self.speaker_role
        return self.speaker_role or NOT_RECORDED, ""


@dataclass(frozen=True)
class ReportSection:
    id: str
    number: int
    title: str
    lead: str
    findings: tuple[ReportEntry, ...]
    good_practice: tuple[ReportEntry, ...]
    concerns: tuple[ReportEntry, ...]
    voices: tuple[ReportVoice, ...]
    # Every note of the section, in the order it was taken (the report's appendix prints them all).
    notes: tuple[ReportNote, ...] = ()
    # The numbers of the recommendations made from this section.
    action_numbers: tuple[int, ...] = ()

    @property
    def note_count(self) -> int:
        return len(self.notes)

    @property
    def is_empty(self) -> bool:
        """True only when the panel recorded nothing at all here: no entry, note or recommendation."""
        return not (self.findings or self.good_practice or self.concerns or self.voices or self.notes
                    or self.action_numbers)

    @property
    def notes_by_role(self) -> tuple[tuple[str, int], ...]:
        """(speaker's role, number of notes), roles in the order they first spoke."""
        counts: dict[str, int] = {}
        for note in self.notes:
            role = note.speaker_role or NOT_RECORDED
            counts[role] = counts.get(role, 0) + 1
        return tuple(counts.items())

    @property
    def notes_summary(self) -> str:
        """One line for the section's body, e.g. "3 notes taken. Who spoke: Named nurse (2), ..."."""
        if not self.notes:
            return ""
        count = len(self.notes)
        who = ", ".join(f"{role} ({n})" for role, n in self.notes_by_role)
        return f"{count} note{'' if count == 1 else 's'} taken. Who spoke: {who}."

    @property
    def actions_summary(self) -> str:
        if not self.action_numbers:
            return ""
        numbers = ", ".join(str(n) for n in self.action_numbers)
        plural = "s" if len(self.action_numbers) > 1 else ""
        return f"Recommendation{plural} from this section: {numbers}."


@dataclass(frozen=True)
class ReportAction:
    number: int
    what: str
    why: str
    owner: str
    organisation: str
    deadline: date | None
    priority: str
    status: str
    section: str
    completion_evidence: str
    easy_read: str
    # The date of an earlier review of the same person that made a similar recommendation.
    recommended_before: date | None = None
    section_id: str = ""
    # When it repeats an earlier recommendation: what will be different this time.
    different_this_time: str = ""


@dataclass(frozen=True)
class ReportCarried:
    """An action of the person's previous review and what became of it."""

    what: str
    owner: str
    organisation: str
    deadline: date | None
    outcome: str
    reason: str  # the evidence for "done", the reason for "not done", or any detail
    from_review_date: date | None
    # Typed in from the previous review's paper report, and who chaired that review.
    typed_in: bool = False
    previous_chair: str = ""
    # The action's plain words and the outcome's code ("pending", "done", "in_progress", "not_done",
    # "no_longer_relevant").
    easy_read: str = ""
    outcome_code: str = ""

    @property
    def source_note(self) -> str:
        if not self.typed_in:
            return ""
        chair = f", chaired by {self.previous_chair}" if self.previous_chair else ""
        return f"Typed in from the previous review's paper report{chair}."


@dataclass(frozen=True)
class ReportToldUs:
    """A note the panel marked for the easy read's "What you told us"."""

    speaker: str
    role_id: str  # "person", "family_carer"...: the easy read says "You said" for the person
    role: str
    text: str


CARRIED_OUTCOME_LABELS = {
    "pending": "Not yet recorded",
    "done": "Done",
    "in_progress": "Partly done",
    "not_done": "Not done",
    "no_longer_relevant": "No longer relevant",
}


@dataclass(frozen=True)
class ReportSignoff:
    name: str
    role: str
    what: str  # "Confirmed", "Signed", "Countersigned"
    at: datetime | None


@dataclass(frozen=True)
class ReportAmendment:
    revision: int
    reason: str
    at: datetime
    by: str


# The factual accuracy check, after the amendments: its title, table header and column shares.
ACCURACY_TITLE = "Factual accuracy check"
# About the review: how it was planned (notice, the family's say in the date, the pre-meeting, documents).
PLANNING_TITLE = "Planning before the day"
CORRECTION_HEADER = ("Asked for by", "When", "Correction", "Decision", "Reason")
CORRECTION_SHARES = (0.2, 0.12, 0.33, 0.12, 0.23)


def accuracy_intro(doc: ReportDocument) -> str:
    """One sentence: who the draft went to and when, and how many corrections were asked for."""
    shared = "; ".join(
        f"{c.recipient}{f' ({c.organisation})' if c.organisation else ''} on {_long(c.sent_on)}"
        for c in doc.draft_shared
    )
    first = (f"The draft report was shared for a check of the facts with {shared}." if shared
             else "No sharing of the draft report is recorded.")
    count = len(doc.corrections)
    if not count:
        return first + " No corrections were asked for."
    accepted = sum(1 for c in doc.corrections if c.decision == "Accepted")
    declined = sum(1 for c in doc.corrections if c.decision == "Declined")
    asked = "1 correction was" if count == 1 else f"{count} corrections were"
    return f"{first} {asked} asked for: {accepted} accepted, {declined} declined (the reasons are below)."


@dataclass(frozen=True)
class ReportCopy:
    """The draft shared for the factual accuracy check: with whom, how and when."""

    recipient: str
    organisation: str
    method: str
    sent_on: date


@dataclass(frozen=True)
class ReportCorrection:
    """A correction asked for in the factual accuracy check, and the panel's decision."""

    requested_by: str
    requested_on: date | None
    what: str
    decision: str
    reason: str


@dataclass(frozen=True)
class ReportDocument:
    review_uid: str
    revision: int
    review_type: str
    review_type_short: str
    template_version: int
    person: str
    age_band: str
    legal_status: str
    setting: str
    secure: bool
    admission_date: date | None
    length_of_stay_days: int | None
    long_term_segregation: bool
    review_date: date
    place: str
    mode: str
    environment_seen: bool
    panel: tuple[ReportAttendee, ...]
    attendees: tuple[ReportAttendee, ...]
    consent: str
    consent_detail: str
    consent_recorded_by: str
    headlines: tuple[ReportHeadline, ...]
    documents_seen: tuple[str, ...]
    sections: tuple[ReportSection, ...]
    actions: tuple[ReportAction, ...]
    escalation_flags: tuple[str, ...]
    next_review_due: date | None
    next_review_note: str
    signoffs: tuple[ReportSignoff, ...]
    amendments: tuple[ReportAmendment, ...]
    generated_at: datetime
    marking: str = MARKING
    # The previous review's actions brought into this one (empty for a first review).
    carried: tuple[ReportCarried, ...] = ()
    # First-page facts about the place and the process: (label, value), only those recorded.
    process_facts: tuple[tuple[str, str], ...] = ()
    # Who follows up the actions, in the review type's words (template data).
    follow_up_note: str = ""
    # The panel's escalation decision as sentences, and process steps due (a root cause analysis).
    escalation_decision: tuple[str, ...] = ()
    process_flags: tuple[str, ...] = ()
    # Planning before the day: (label, value), only what was recorded.
    planning_facts: tuple[tuple[str, str], ...] = ()
    # The factual accuracy check: the draft shared and the corrections asked for.
    draft_shared: tuple[ReportCopy, ...] = ()
    corrections: tuple[ReportCorrection, ...] = ()
    # For the easy read: the review type's id (its wording about why and how to ask for help),
    # the notes marked for it, and whether the panel escalated to the people in charge.
    template_id: str = ""
    told_us: tuple[ReportToldUs, ...] = ()
    escalated: bool = False

    @property
    def previous_review_date(self) -> date | None:
        return next((c.from_review_date for c in self.carried if c.from_review_date), None)

    @property
    def title(self) -> str:
        return f"{self.review_type} report: {self.person}, {self.review_date:%d %B %Y}"

    @property
    def safeguarding_concerns(self) -> tuple[ReportEntry, ...]:
        return tuple(e for s in self.sections for e in s.concerns if e.safeguarding)


def build_report(
    store: Store,
    review_id: int,
    *,
    registry: TemplateRegistry | None = None,
    escalation_flags: tuple[str, ...] | None = None,
    documents_seen: tuple[str, ...] = (),
) -> ReportDocument:
    review = reviews.get_review(store, review_id)
    template = reviews.template_for(review, registry)
    setup = review.setup
    attendees = people.list_attendees(store, review_id)
    entries = sections.list_entries(store, review_id)
    all_notes = notes.list_notes(store, review_id)
    headlines = {h.question_id: h for h in sections.list_headlines(store, review_id)}
    section_titles = {s.id: f"{s.number}. {s.title}" for s in template.sections}
    revisions = signoff.list_revisions(store, review_id)
    current = revisions[-1] if revisions else None
    kinds = {"confirm": "Confirmed", "sign": "Signed", "countersign": "Countersigned"}
    signoffs = tuple(
        ReportSignoff(s.name, role_label(s.role), kinds.get(s.kind, s.kind), s.at)
        for s in (current.signoffs if current else ())
        if s.kind == "confirm"
    )
    amendments = tuple(ReportAmendment(r.number, r.reason, r.created_at, r.created_by) for r in revisions if r.number > 1)

    repeated = follow_up.similar_earlier(store, review_id)
    report_actions = tuple(
        ReportAction(
            number=number, what=a.what, why=a.why, owner=a.owner_name, organisation=a.owner_organisation,
            deadline=a.deadline, priority=a.priority.value.capitalize(),
            status=a.status.value.replace("_", " ").capitalize(),
            section=section_titles.get(a.section_id, "General"), completion_evidence=a.completion_evidence,
            easy_read=a.easy_read,
            recommended_before=repeated[a.id][0] if a.id in repeated else None,
            section_id=a.section_id,
            different_this_time=a.different_this_time,
        )
        for number, a in enumerate(actions.list_actions(store, review_id), start=1)
    )

    report_sections = []
    for section in template.sections:
        mine = [e for e in entries if e.section_id == section.id]

        def of(kind: EntryKind, mine=mine) -> tuple[ReportEntry, ...]:
            return tuple(
                ReportEntry(e.kind.value, e.text, EVIDENCE_LABELS[e.evidence], e.evidence_detail,
                            e.safeguarding, e.safeguarding_lead)
                for e in mine if e.kind is kind
            )

        section_notes = [n for n in all_notes if n.section_id == section.id]
        voices = tuple(
            ReportVoice(n.speaker_name or role_label(n.speaker_role), role_label(n.speaker_role), n.text)
            for n in section_notes if n.speaker_role in VOICE_ROLES
        )
        report_sections.append(ReportSection(
            id=section.id, number=section.number, title=section.title, lead=role_label(section.lead_role),
            findings=of(EntryKind.FINDING), good_practice=of(EntryKind.GOOD_PRACTICE),
            concerns=of(EntryKind.CONCERN), voices=voices,
            notes=tuple(_report_note(n) for n in section_notes),
            action_numbers=tuple(a.number for a in report_actions if a.section_id == section.id),
        ))
    carried = tuple(
        ReportCarried(c.what, c.owner_name, c.owner_organisation, c.deadline,
                      CARRIED_OUTCOME_LABELS[c.outcome.value], c.reason, c.source_review_date,
                      typed_in=c.typed_in, previous_chair=c.previous_chair,
                      easy_read=c.easy_read, outcome_code=c.outcome.value)
        for c in follow_up.list_carried(store, review_id)
    )

    def attendee(a) -> ReportAttendee:
        return ReportAttendee(a.name, role_label(a.role), a.organisation, ATTENDANCE_LABELS[a.attendance],
                              a.role in PANEL_ROLE_IDS)

    due = next_review_due(review, template)
    flags = escalation_flags if escalation_flags is not None else tuple(
        flag.text for flag in escalation.escalation_flags(store, review_id)
    )
    place = ", ".join(p for p in (setup.hospital, setup.unit, setup.ward) if p) or setup.setting_kind.value.capitalize()
    assessment = escalation.assess(store, review_id)
    return ReportDocument(
        review_uid=review.uid,
        revision=current.number if current else 1,
        review_type=template.title,
        review_type_short=template.short_title,
        template_version=template.version,
        person=setup.person_label,
        age_band=setup.age_band,
        legal_status=setup.legal_status,
        setting=_setting_text(setup),
        secure=setup.secure,
        admission_date=setup.admission_date,
        length_of_stay_days=review.length_of_stay_days(),
        long_term_segregation=setup.long_term_segregation,
        review_date=setup.review_date,
        place=place,
        mode=MODE_LABELS[setup.mode],
        environment_seen=setup.environment_seen,
        panel=tuple(attendee(a) for a in attendees if a.role in PANEL_ROLE_IDS),
        attendees=tuple(attendee(a) for a in attendees if a.role not in PANEL_ROLE_IDS),
        consent=CONSENT_LABELS[review.consent_basis],
        consent_detail=review.consent_detail,
        consent_recorded_by=review.consent_recorded_by,
        headlines=tuple(
            ReportHeadline(q.number, q.text, ANSWER_LABELS[headlines[q.id].answer] if q.id in headlines else "Not answered",
                           headlines[q.id].reasons if q.id in headlines else "")
            for q in template.headline_questions
        ),
        documents_seen=documents_seen or tuple(
            sorted({e.evidence_detail for e in entries if e.evidence is Evidence.DOCUMENT and e.evidence_detail})
        ),
        sections=tuple(report_sections),
        actions=report_actions,
        escalation_flags=flags,
        next_review_due=due.due,
        next_review_note=due.reason if setup.next_review_agreed else cadence_note(template),
        signoffs=signoffs,
        amendments=amendments,
        generated_at=store.now(),
        carried=carried,
        process_facts=process_facts(setup),
        follow_up_note=_VERIFY.sub("", template.follow_up.text).strip(),
        escalation_decision=decision_lines(review.decision),
        process_flags=tuple(flag.text for flag in assessment.process),
        planning_facts=planning_facts(planning.get_planning(store, review_id, registry)),
        draft_shared=tuple(
            ReportCopy(c.recipient, c.organisation, after_day.METHOD_LABELS[c.method], c.sent_on)
            for c in after_day.list_copies(store, review_id, CirculationStage.DRAFT)
        ),
        corrections=tuple(
            ReportCorrection(c.requested_by, c.requested_on, c.what, after_day.DECISION_LABELS[c.decision], c.reason)
            for c in after_day.list_corrections(store, review_id)
        ),
        template_id=template.id,
        told_us=tuple(ReportToldUs(n.speaker_name, n.speaker_role, role_label(n.speaker_role) if n.speaker_role else "",
                                   n.text) for n in all_notes if n.easy_read),
        escalated=review.decision.decision is EscalationDecision.ESCALATE,
    )


def planning_facts(data) -> tuple[tuple[str, str], ...]:
    """The planning record as the report's rows: the notice, the family's say in the date, the
    pre-meeting and the documents received (and those still awaited or not available)."""
    fields, facts = data.fields, []
    if fields.notice_given_on or fields.notice_given_to:
        when = _long(fields.notice_given_on) if fields.notice_given_on else "Date not recorded"
        facts.append(("Notice given", f"{when}, to {fields.notice_given_to}" if fields.notice_given_to else when))
    if fields.family_consulted is YesNo.YES:
        on = f", on {_long(fields.family_consulted_on)}" if fields.family_consulted_on else ""
        facts.append(("Family consulted on the date", f"Yes{on}"))
    elif fields.family_consulted is YesNo.NO:
        facts.append(("Family consulted on the date", "No"))
    if fields.pre_meeting_on:
        facts.append(("Pre-meeting", _long(fields.pre_meeting_on)))
    asked = [d for d in data.documents if d.status is not DocumentStatus.NOT_REQUESTED]
    if asked:
        received = sum(1 for d in asked if d.status is DocumentStatus.RECEIVED)
        text = f"{received} of the {len(asked)} asked for"
        awaited = [d.title for d in asked if d.status is DocumentStatus.REQUESTED]
        missing = [d.title for d in asked if d.status is DocumentStatus.NOT_AVAILABLE]
        if awaited:
            text += f"; not received: {', '.join(awaited)}"
        if missing:
            text += f"; not available: {', '.join(missing)}"
        facts.append(("Documents received before the day", text))
    return tuple(facts)


def _report_note(note) -> ReportNote:
    return ReportNote(at=note.created_at, speaker=note.speaker_name, speaker_role=role_label(note.speaker_role),
                      text=note.text, author=note.author_name, author_role=role_label(note.author_role))


_VERIFY = re.compile(r"\s*\(verify\)", re.IGNORECASE)
CQC_LABELS = {
    CqcRating.NOT_RECORDED: "", CqcRating.OUTSTANDING: "Outstanding", CqcRating.GOOD: "Good",
    CqcRating.REQUIRES_IMPROVEMENT: "Requires improvement", CqcRating.INADEQUATE: "Inadequate",
}
SECURE_LABELS = {
    SecureLevel.NONE: "Not secure", SecureLevel.LOW: "Low secure", SecureLevel.MEDIUM: "Medium secure",
    SecureLevel.HIGH: "High secure", SecureLevel.SECURE: "Secure (level not recorded)",
}


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def process_facts(setup) -> tuple[tuple[str, str], ...]:
    """The first page's facts about the place and the process, leaving out what was not recorded."""
    facts: list[tuple[str, str]] = []
    if CQC_LABELS[setup.cqc_rating]:
        facts.append(("CQC rating", CQC_LABELS[setup.cqc_rating]))
    if setup.setting_kind.value == "hospital":
        facts.append(("Secure level", SECURE_LABELS[setup.secure_level]))
    if setup.long_term_segregation and setup.segregation_started:
        days = (setup.review_date - setup.segregation_started).days
        facts.append(("In segregation since",
                      f"{_long(setup.segregation_started)} ({days} days, {days // 7} weeks, by the review date)"))
    if setup.requested_because:
        facts.append(("Why requested", setup.requested_because))
    return tuple(facts)


def decision_lines(decision) -> tuple[str, ...]:
    """The panel's escalation decision as short sentences (empty when not decided)."""
    if decision.decision is EscalationDecision.UNDECIDED:
        return ()
    lines = ["Decision: escalate to the ICS oversight panel." if decision.decision is EscalationDecision.ESCALATE
             else "Decision: not escalated to the ICS oversight panel."]
    reasons = [REASON_TITLES[code] for code in decision.reasons.split() if code in REASON_TITLES]
    if decision.other_concern:
        reasons = [r for r in reasons if r != REASON_TITLES["other"]] + [f"other concern: {decision.other_concern}"]
    if reasons and decision.decision is EscalationDecision.ESCALATE:
        lines.append("Reasons: " + "; ".join(reasons) + ".")
    if decision.not_because:
        lines.append(f"Why not: {decision.not_because}")
    if decision.decided_by or decision.decided_on:
        who = f" by {decision.decided_by}" if decision.decided_by else ""
        when = f" on {_long(decision.decided_on)}" if decision.decided_on else ""
        lines.append(f"Decided{who}{when}.")
    if decision.oversight_outcome or decision.oversight_outcome_on:
        when = f" ({_long(decision.oversight_outcome_on)})" if decision.oversight_outcome_on else ""
        lines.append(f"Oversight panel's outcome{when}: {decision.oversight_outcome or 'not recorded'}")
    for who, named in TOLD:
        told_on, because = getattr(decision, f"{who}_told_on"), getattr(decision, f"{who}_not_told_because")
        if told_on:
            lines.append(f"{named[0].upper()}{named[1:]} told on {_long(told_on)}.")
        elif because:
            lines.append(f"{named[0].upper()}{named[1:]} not told, because {because}")
    return tuple(lines)


def _setting_text(setup) -> str:
    kind = "hospital" if setup.setting_kind.value == "hospital" else "community"
    service = "CAMHS" if setup.service.value == "camhs" else "adult"
    text = f"{'Secure' if setup.secure else ''} {kind}, {service} service".strip()
    return text[0].upper() + text[1:]
