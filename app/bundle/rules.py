"""The app's own rules, applied to a bundle before it is imported.

A bundle that passes `check_document` is well formed; this module asks whether the review in
it is one the app itself could hold. Every rule is the service's own check (the one the forms
go through), called on the document's values, so the forms and import cannot drift apart:
set-up dates and labels (`reviews.validate_setup`), consent, attendees and their roles,
notes, findings, actions, carried actions, planned times, sign-off roles and amendment
reasons; every text value against its column (`limits.value_problem`: length, control and
text-direction characters); the sections and headline questions of the review's template;
and every stored signed report, checked with the project's verifier (`app/report/verify.py`).

Rules about the order things were entered in are not state and are not checked: section notes
wait for a consent basis, and a new action's deadline is not before the review date, but the
basis can be cleared and the review date moved later afterwards.

Messages name the part and row ("attendees[2]") and the rule, never the personal text.
"""

from __future__ import annotations

import base64
from dataclasses import fields

from app.bundle.document import (
    ACTION_FIELDS,
    ACTION_OPTIONAL_FIELDS,
    ATTENDEE_FIELDS,
    AUDIT_FIELDS,
    CARRIED_FIELDS,
    CARRIED_OPTIONAL_FIELDS,
    CONSENT_FIELDS,
    COPY_FIELDS,
    CORRECTION_FIELDS,
    ENTRY_FIELDS,
    HEADLINE_FIELDS,
    NOTE_FIELDS,
    PLANNING_DOCUMENT_FIELDS,
    PLANNING_FIELDS,
    PROCESS_FIELDS,
    REVIEW_FIELDS,
    REVISION_FIELDS,
    SECTION_FIELDS,
    SIGNOFF_FIELDS,
    BundleError,
    column_value,
    part_of,
    review_values,
    with_optional,
)
from app.kloe import Template
from app.models import (
    AccuracyCorrection,
    Action,
    Attendee,
    AuditEvent,
    CarriedAction,
    HeadlineResponse,
    Note,
    PlanningDocument,
    ReportCopy,
    ReportRevision,
    Review,
    SectionEntry,
    SectionState,
    Signoff,
)
from app.services import actions, after_day, follow_up, limits, notes, people, planning, reviews, sections, signoff
from app.services.dto import ActionInput, PlanningFields, ReviewSetup
from app.services.errors import ValidationError

# Each part of the document whose rows map onto a table, with the fields that are its columns.
_PARTS = (
    ("attendees", Attendee, ATTENDEE_FIELDS),
    ("notes", Note, NOTE_FIELDS),
    ("section_states", SectionState, SECTION_FIELDS),
    ("entries", SectionEntry, ENTRY_FIELDS),
    ("headlines", HeadlineResponse, HEADLINE_FIELDS),
    ("actions", Action, ACTION_FIELDS + ACTION_OPTIONAL_FIELDS),
    ("carried_actions", CarriedAction, CARRIED_FIELDS + CARRIED_OPTIONAL_FIELDS),
    ("revisions", ReportRevision, REVISION_FIELDS),
    ("audit", AuditEvent, AUDIT_FIELDS),
    ("planning_documents", PlanningDocument, PLANNING_DOCUMENT_FIELDS),
    ("report_copies", ReportCopy, COPY_FIELDS),
    ("corrections", AccuracyCorrection, CORRECTION_FIELDS),
)


IMPORT_REFUSED = "The bundle was not imported"


def check_rules(document: dict, template: Template, *, refused: str = IMPORT_REFUSED) -> None:
    """Refuse (BundleError, one sentence) a review the app's own rules would not have let anyone make.

    `refused` starts the sentence: what was not done ("The contribution was not merged").
    """
    try:
        _check_texts(document)
        _check_setup(document)
        _check_template_parts(document, template)
        _check_rows(document)
        _check_signed_reports(document)
    except _Refused as exc:
        raise BundleError(f"{refused} ({exc.where}): {exc.reason}") from None


class _Refused(Exception):
    def __init__(self, where: str, reason: ValidationError | str) -> None:
        super().__init__(where)
        self.where, self.reason = where, reason


def _refuse(where: str, exc: ValidationError | str) -> _Refused:
    return _Refused(where, exc)


def _row(model, item: dict, names) -> dict:
    columns = model.__table__.columns
    return {name: column_value(columns[name], item[name]) for name in names}


# -- text ----------------------------------------------------------------------------------------


def _check_texts(document: dict) -> None:
    review = document["review"]
    for name in REVIEW_FIELDS + tuple(name for name in PROCESS_FIELDS + PLANNING_FIELDS if name in review):
        _check_text(Review, name, review[name], f"review.{name}")
    for key, column in CONSENT_FIELDS.items():
        _check_text(Review, column, document["consent"][key], f"consent.{key}")
    for part, model, names in _PARTS:
        for index, item in enumerate(part_of(document, part)):
            for name in names:
                if name in item:  # an optional field an older bundle lacks
                    _check_text(model, name, item[name], f"{part}[{index}].{name}")
    for index, revision in enumerate(document["revisions"]):
        for number, item in enumerate(revision["signoffs"]):
            for name in SIGNOFF_FIELDS:
                _check_text(Signoff, name, item[name], f"revisions[{index}].signoffs[{number}].{name}")


def _check_text(model, name: str, value, where: str) -> None:
    problem = limits.value_problem(model, name, value)
    if problem:
        raise _refuse(where, problem)


# -- the set-up and consent ----------------------------------------------------------------------


def _check_setup(document: dict) -> None:
    values = review_values(document["review"])
    setup = ReviewSetup(
        template_id=document["template"]["id"],
        **{f.name: values[f.name] for f in fields(ReviewSetup) if f.name != "template_id"},
    )
    try:
        reviews.validate_setup(setup)
    except ValidationError as exc:
        raise _refuse("review", exc) from None
    consent = _row(Review, {column: document["consent"][key] for key, column in CONSENT_FIELDS.items()},
                   CONSENT_FIELDS.values())
    try:
        people.check_consent(consent["consent_basis"], consent["consent_detail"])
    except ValidationError as exc:
        raise _refuse("consent", exc) from None
    try:
        planning.validate_planning(PlanningFields(**{name: values[name] for name in PLANNING_FIELDS}),
                                   values["review_date"])
    except ValidationError as exc:
        raise _refuse("review", exc) from None


# -- the template's sections and headline questions ----------------------------------------------


def _check_template_parts(document: dict, template: Template) -> None:
    section_ids = [section.id for section in template.sections]
    known = set(section_ids)
    named = f"template '{template.id}' version {template.version}"
    states = [row["section_id"] for row in document["section_states"]]
    for index, section_id in enumerate(states):
        if section_id not in known:
            raise _refuse(f"section_states[{index}]", f"the section is not one of {named}.")
    if sorted(states) != sorted(section_ids):
        raise _refuse("section_states", f"the review does not have every section of {named}.")
    for part in ("notes", "entries", "actions"):
        for index, row in enumerate(document[part]):
            if row["section_id"] and row["section_id"] not in known:
                raise _refuse(f"{part}[{index}].section_id", f"the section is not one of {named}.")
    for index, row in enumerate(document["notes"]):
        if not row["section_id"]:
            raise _refuse(f"notes[{index}].section_id", f"a note belongs to one of the sections of {named}.")
    documents = {document.id for document in template.documents}
    for index, row in enumerate(part_of(document, "planning_documents")):
        if row["document_id"] not in documents:
            raise _refuse(f"planning_documents[{index}]", f"the document is not on the list of {named}.")
    questions = {question.id for question in template.headline_questions}
    for index, row in enumerate(document["headlines"]):
        if row["question_id"] not in questions:
            raise _refuse(f"headlines[{index}]", f"the question is not one of {named}.")


# -- the rows ------------------------------------------------------------------------------------


def _check_rows(document: dict) -> None:
    checks = (
        ("attendees", Attendee, ATTENDEE_FIELDS, lambda r: people.check_attendee(r["name"], r["role"])),
        ("notes", Note, NOTE_FIELDS, lambda r: notes.check_note_text(r["text"])),
        ("section_states", SectionState, SECTION_FIELDS,
         lambda r: sections.check_planned_minutes(r["planned_minutes"])),
        ("entries", SectionEntry, ENTRY_FIELDS,
         lambda r: sections.check_entry(r["text"], r["kind"], r["safeguarding"], r["safeguarding_lead"])),
        ("actions", Action, ACTION_FIELDS + ACTION_OPTIONAL_FIELDS,
         lambda r: actions.check_action(ActionInput(**{k: r[k] for k in ActionInput.__dataclass_fields__}))),
        ("carried_actions", CarriedAction, CARRIED_FIELDS,
         lambda r: (follow_up.check_carried_outcome(r["outcome"], r["reason"], evidence_for_done=False),
                    reviews.check_date(r["deadline"], "deadline"),
                    reviews.check_date(r["source_review_date"], "previous review's date"))),
    )
    for part, model, names, check in checks:
        for index, item in enumerate(document[part]):
            try:
                check(_row(model, with_optional(item, model, names), names))
            except ValidationError as exc:
                raise _refuse(f"{part}[{index}]", exc) from None
    review_date = column_value(Review.__table__.columns["review_date"], document["review"]["review_date"])
    for name, model, names, check in (
        ("report_copies", ReportCopy, COPY_FIELDS, lambda r: after_day.check_copy(r, review_date)),
        ("corrections", AccuracyCorrection, CORRECTION_FIELDS, lambda r: after_day.check_correction(r, review_date)),
    ):
        for index, item in enumerate(part_of(document, name)):
            try:
                check(_row(model, item, names))
            except ValidationError as exc:
                raise _refuse(f"{name}[{index}]", exc) from None
    for index, revision in enumerate(document["revisions"]):
        try:
            if revision["number"] > 1:
                signoff.check_amendment_reason(revision["reason"])
            for item in revision["signoffs"]:
                signoff.check_signoff_role(item["kind"], item["role"])
        except ValidationError as exc:
            raise _refuse(f"revisions[{index}]", exc) from None


# -- signed reports ------------------------------------------------------------------------------


def _check_signed_reports(document: dict) -> None:
    """Each stored signed report must verify, and carry the signatures its sign-offs record."""
    from app.report.verify import verify_pdf_bytes

    for index, revision in enumerate(document["revisions"]):
        if revision["signed_pdf"] is None:
            continue
        result = verify_pdf_bytes(base64.b64decode(revision["signed_pdf"]))
        where = f"revisions[{index}].signed_pdf"
        if not result.ok:
            raise _refuse(where, f"the signed report does not verify ({result.reason}).")
        carried = {check.fingerprint for check in result.signatures}
        for item in revision["signoffs"]:
            fingerprint = item["certificate_fingerprint"].replace(":", "").lower()
            if item["kind"] in ("sign", "countersign") and fingerprint and fingerprint not in carried:
                raise _refuse(where, "the signed report does not carry a signature its sign-offs record.")
