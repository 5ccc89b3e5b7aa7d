"""Producing the review's outputs: export in each format, and the signed sign-off.

Used by the CLI and (off the UI thread) by the app. Every file is written atomically.
"""

from __future__ import annotations

import tempfile
from datetime import UTC
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.report.atomic import atomic_write_bytes
from app.report.document import build_report
from app.services import reviews, signoff
from app.services.dto import Actor, RevisionData
from app.services.errors import ValidationError
from app.services.store import Store

Progress = Callable[[int, int], None]

FORMATS: dict[str, str] = {
    "pdf": "Full report (PDF)",
    "easyread": "Easy-read report for the person (PDF)",
    "docx": "Full report (Word)",
    "xlsx": "Action tracker (Excel)",
    "audit": "Audit trail (CSV)",
}
SUFFIXES = {"pdf": ".pdf", "easyread": ".pdf", "docx": ".docx", "xlsx": ".xlsx", "audit": ".csv"}


def default_file_name(store: Store, review_id: int, fmt: str) -> str:
    review = reviews.get_review(store, review_id)
    stem = "".join(ch if ch.isalnum() else "-" for ch in review.person_label).strip("-") or "review"
    kind = {"pdf": "report", "easyread": "easy-read", "docx": "report", "xlsx": "actions", "audit": "audit-trail"}[fmt]
    return f"{review.review_date:%Y-%m-%d}-{stem}-{kind}{SUFFIXES[fmt]}"


def export_report(store: Store, review_id: int, fmt: str, out: Path, *, progress: Progress | None = None) -> Path:
    """Write one output. A signed review's PDF is its stored signed copy, never a fresh render."""
    if fmt not in FORMATS:
        raise ValidationError(f"Unknown format '{fmt}'; choose one of {', '.join(FORMATS)}.")
    out = Path(out)
    # Asked first for every format, so no review means no file (not an empty trail or tracker).
    review = reviews.get_review(store, review_id)
    if fmt == "pdf" and review.locked:
        atomic_write_bytes(out, signoff.signed_pdf(store, review_id))
        return out
    if fmt == "audit":
        from app.report.audit_export import render_audit_csv

        render_audit_csv(store, review_id, out)
        return out
    document = build_report(store, review_id)
    if fmt == "pdf":
        from app.report.pdf import render_report_pdf

        render_report_pdf(document, out, progress=progress)
    elif fmt == "easyread":
        from app.report.easyread import render_easyread_pdf

        render_easyread_pdf(document, out)
    elif fmt == "docx":
        from app.report.docx_report import render_report_docx

        render_report_docx(document, out)
    else:
        from app.report.xlsx_tracker import render_action_tracker_xlsx

        render_action_tracker_xlsx(document, out)
    return out


@dataclass(frozen=True)
class SignResult:
    revision: RevisionData
    pdf: bytes
    countersigned: bool


def sign_report(
    store: Store,
    review_id: int,
    *,
    signer,
    signer_actor: Actor,
    fingerprint: str,
    location: str = "",
    out: Path | None = None,
    progress: Progress | None = None,
    accept_empty_sections: bool = False,
) -> SignResult:
    """The chair signs the current revision (which locks the review), or, once it is signed,
    another panel member countersigns it. The signed PDF is kept with the revision."""
    from app.report.pdf import render_report_pdf
    from app.report.signing import sign_pdf

    review = reviews.get_review(store, review_id)
    rendered_at = review.updated_at
    countersign = review.locked
    if not countersign:
        problems = signoff.signing_problems(store, review_id, signer_actor)
        if problems:
            raise ValidationError("The report cannot be signed yet: " + " ".join(problems))
        empty = signoff.empty_sections(store, review_id)
        if empty and not accept_empty_sections:
            raise ValidationError(
                signoff.empty_sections_message(empty) + " Sign only after accepting that they stay empty."
            )
    with tempfile.TemporaryDirectory(prefix="reviewday-sign-") as workdir:
        unsigned = Path(workdir) / "report.pdf"
        signed_path = Path(workdir) / "signed.pdf"
        if countersign:
            atomic_write_bytes(unsigned, signoff.signed_pdf(store, review_id))
            box = signoff.signature_count(store, review_id)
        else:
            render_report_pdf(build_report(store, review_id), unsigned, progress=progress)
            box = 0
        from app.report.layout import SIGNATURE_FIELD_NAMES

        if box >= len(SIGNATURE_FIELD_NAMES):
            raise ValidationError("This report already has every signature it has room for.")
        from app.kloe.roles import role_label

        sign_pdf(
            unsigned,
            signed_path,
            signer,
            box_index=box,
            signer_name=signer_actor.name,
            role=role_label(signer_actor.role),
            reason="Countersigned the review report" if countersign else "Signed the review report as chair",
            location=location,
            when=store.now().replace(tzinfo=UTC),  # the store keeps naive UTC
        )
        data = signed_path.read_bytes()
    if countersign:
        revision = signoff.record_countersignature(store, review_id, signer_actor, data, fingerprint)
    else:
        revision = signoff.record_signature(store, review_id, signer_actor, data, fingerprint, rendered_at=rendered_at,
                                            accept_empty_sections=accept_empty_sections)
    if out is not None:
        atomic_write_bytes(out, data)
    return SignResult(revision, data, countersign)


def confirm_report(store: Store, review_id: int, actor: Actor, identities, identity_name: str,
                   passphrase: str | None) -> RevisionData:
    """A panel member confirms the report, proven by unlocking their own signing identity (the
    passphrase, or the one remembered in the keyring). The identity's fingerprint is kept."""
    info = identities.get(identity_name)
    if not signoff.same_person(info.name, actor.name):
        raise ValidationError(
            f"That signing identity is {info.name}'s; {actor.name} confirms with their own signing identity."
        )
    identities.load_signer(info.name, passphrase)  # refuses a wrong passphrase
    return signoff.confirm(store, review_id, actor, identity_name=info.name, fingerprint=info.fingerprint)
