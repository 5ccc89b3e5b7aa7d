"""Checking a signed report, offline: is every signature intact, and does it cover the file?

A signature is accepted when it is intact and valid and covers the whole file, or when the
only later changes are harmless ones (another signature in a later box). An incremental
update that alters pages leaves the earlier signature "intact" in a narrow sense, so the
modification level is judged too: that is the case most viewers get wrong.

Trust is a separate question. A self-signed certificate is not on anyone's trusted list, so
the signature is reported as intact but from an untrusted certificate; Adobe Reader shows
the same thing as "validity unknown". Certificates to trust are given explicitly (--trust).
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.services.errors import ReviewDayError

NOT_SIGNED = "not signed"
BYTES_CHANGED = "the file's bytes were changed after signing"
CONTENT_CHANGED = "the content was changed after signing (an update after the signature alters pages)"
NOT_A_PDF = "the file is truncated or is not a PDF"
ALL_GOOD = "every signature is intact and nothing was changed after signing"

ADOBE_NOTE = (
    'Adobe Reader will show "validity unknown" for a certificate it has not been told to trust, '
    "even though the file is intact. To check who signed, compare the certificate fingerprint "
    "with the one the signer gives you, or run: reviewday verify FILE --trust THEIR-CERTIFICATE.pem"
)

# Later revisions that cannot alter what a reader sees: none at all, signature upkeep, and
# new signatures in signature fields (a countersignature).
_HARMLESS_LEVELS = ("NONE", "LTA_UPDATES", "FORM_FILLING")
_SEVERITY = (NOT_A_PDF, BYTES_CHANGED, CONTENT_CHANGED)
_NOISY_LOGGERS = ("pyhanko", "pyhanko_certvalidator")
# Far above any report or certificate file, and low enough to read into memory.
MAX_PDF_BYTES = 256 * 1024 * 1024
MAX_CERTIFICATE_BYTES = 1024 * 1024


class VerifyError(ReviewDayError):
    """The check could not be run (missing file, unreadable certificate); the message says why."""


@dataclass(frozen=True)
class SignatureCheck:
    field: str
    signer: str
    signed_at: datetime | None  # as the signer's computer reported it (no timestamp offline)
    intact: bool  # the signed bytes hash to what was signed
    valid: bool  # the signature over that hash checks out with the certificate's key
    covers_whole_file: bool  # the whole file, or only harmless later revisions
    modification_level: str | None  # pyHanko's judgement of later revisions: none, form_filling, other...
    trusted: bool  # the certificate chains to one given with --trust
    fingerprint: str  # SHA-256 of the signer's certificate, lower-case hex
    role: str = ""
    issuer: str = ""
    coverage: str = ""  # entire_file, entire_revision, contiguous_block_from_start, unclear
    reason: str = ""  # the signer's stated reason
    location: str = ""
    problem: str = ""  # "" when this signature is fine, else one of the plain reasons above
    signer_subject: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem

    @property
    def self_signed(self) -> bool:
        return bool(self.issuer) and self.issuer == self.signer_subject

    @property
    def fingerprint_display(self) -> str:
        text = self.fingerprint.upper()
        return ":".join(text[i : i + 2] for i in range(0, len(text), 2))

    def to_json(self) -> dict:
        return {
            "field": self.field,
            "signer": self.signer,
            "role": self.role,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "intact": self.intact,
            "valid": self.valid,
            "covers_whole_file": self.covers_whole_file,
            "coverage": self.coverage,
            "modification_level": self.modification_level,
            "trusted": self.trusted,
            "fingerprint": self.fingerprint,
            "issuer": self.issuer,
            "reason": self.reason,
            "location": self.location,
            "ok": self.ok,
            "problem": self.problem or None,
        }


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    reason: str
    signatures: tuple[SignatureCheck, ...]

    @property
    def trusted(self) -> bool:
        """Every signature is from a certificate given as trusted (and there is at least one)."""
        return bool(self.signatures) and all(check.trusted for check in self.signatures)

    @property
    def trust_note(self) -> str:
        """Plain words about trust, or "" when every signer's certificate is trusted."""
        if not self.signatures or self.trusted:
            return ""
        return ADOBE_NOTE

    def to_json(self) -> dict:
        return {
            "ok": self.ok,
            "reason": self.reason,
            "trusted": self.trusted,
            "trust_note": self.trust_note or None,
            "signatures": [check.to_json() for check in self.signatures],
        }


def verify_pdf(path: Path, *, trust: Sequence[Path] = ()) -> VerifyResult:
    """Check every signature in the PDF at `path`; certificates in `trust` count as trusted."""
    path = Path(path)
    roots = load_trust_certificates(trust)
    try:
        data = _read_at_most(path, MAX_PDF_BYTES)
    except FileNotFoundError:
        raise VerifyError(f"No such file: {path}.") from None
    except IsADirectoryError:
        raise VerifyError(f"{path} is a folder, not a PDF.") from None
    except OSError as exc:
        raise VerifyError(f"Cannot read {path.name}: {exc.strerror or exc}.") from None
    if len(data) > MAX_PDF_BYTES:
        raise VerifyError(f"{path.name} is larger than the {MAX_PDF_BYTES // (1024 * 1024)} MB a report can be.")
    return verify_pdf_bytes(data, trust_roots=roots)


def _read_at_most(path: Path, limit: int) -> bytes:
    """At most one byte past `limit`: a pipe or a device such as /dev/zero has no size to check first."""
    with path.open("rb") as stream:
        return stream.read(limit + 1)


def verify_pdf_bytes(data: bytes, *, trust_roots: Sequence = ()) -> VerifyResult:
    """As verify_pdf, for a PDF in memory; `trust_roots` are asn1crypto certificates."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    if b"%PDF-" not in data[:1024]:
        return VerifyResult(False, NOT_A_PDF, ())
    with _quiet_pyhanko():
        try:
            reader = PdfFileReader(io.BytesIO(data), strict=False)
            found = list(enumerate_sig_fields(reader, filled_status=True))
        except Exception:  # noqa: BLE001 - any failure to parse is a damaged or truncated file
            return VerifyResult(False, NOT_A_PDF, ())
        if not found:
            return VerifyResult(False, NOT_SIGNED, ())
        checks = tuple(_check_one(reader, data, name, field, trust_roots) for name, _value, field in found)
    checks = tuple(sorted(checks, key=lambda c: (c.signed_at is None, c.signed_at or datetime.min, c.field)))
    problems = [check.problem for check in checks if check.problem]
    tail_problem = _tail_problem(data)
    if tail_problem:
        problems.append(tail_problem)
    if problems:
        return VerifyResult(False, min(problems, key=_SEVERITY.index), checks)
    return VerifyResult(True, ALL_GOOD, checks)


def load_trust_certificates(paths: Sequence[Path]) -> list:
    """asn1crypto certificates from PEM (one or more) or DER files."""
    from asn1crypto import pem, x509

    roots = []
    for raw in paths:
        path = Path(raw)
        try:
            data = _read_at_most(path, MAX_CERTIFICATE_BYTES)
        except FileNotFoundError:
            raise VerifyError(f"No such certificate file: {path}.") from None
        except IsADirectoryError:
            raise VerifyError(f"{path} is a folder, not a certificate file.") from None
        except OSError as exc:
            raise VerifyError(f"Cannot read the certificate file {path.name}: {exc.strerror or exc}.") from None
        try:
            if pem.detect(data):
                blocks = [der for kind, _headers, der in pem.unarmor(data, multiple=True) if kind == "CERTIFICATE"]
            else:
                blocks = [data]
            certs = [x509.Certificate.load(der) for der in blocks]
            for cert in certs:
                cert.native  # noqa: B018 - parse it all now, so a bad file fails here
        except Exception:  # noqa: BLE001
            certs = []
        if not certs:
            raise VerifyError(f"{path.name} is not a certificate file (PEM or DER).")
        roots.extend(certs)
    return roots


def describe(result: VerifyResult, *, file_name: str = "") -> list[str]:
    """The result as lines of plain text, for the command line and the app."""
    lines: list[str] = []
    if file_name:
        lines.append(file_name)
    for index, check in enumerate(result.signatures, start=1):
        when = check.signed_at.astimezone().strftime("%d %B %Y %H:%M %Z") if check.signed_at else "time not recorded"
        lines.append(f"Signature {index} ({check.field}): {check.signer}" + (f", {check.role}" if check.role else ""))
        lines.append(f"  signed:   {when} (the signer's computer clock)")
        lines.append(f"  intact:   {_yes(check.intact)}   valid: {_yes(check.valid)}   "
                     f"covers the file: {_coverage_words(check)}")
        if check.trusted:
            lines.append("  trusted:  yes, the certificate is one you gave with --trust")
        else:
            kind = "a self-signed certificate" if check.self_signed else "a certificate"
            lines.append(f"  trusted:  no, {kind} not given with --trust")
        lines.append(f"  certificate SHA-256: {check.fingerprint_display}")
        if check.problem:
            lines.append(f"  PROBLEM:  {check.problem}")
    if result.ok:
        lines.append(f"OK: {result.reason}.")
        if result.trust_note:
            lines.append(result.trust_note)
    else:
        lines.append(f"NOT VALID: {result.reason}.")
    return lines


# -- internals ---------------------------------------------------------------------------------


def _check_one(reader, data: bytes, name: str, field, trust_roots) -> SignatureCheck:
    from pyhanko.sign.validation import EmbeddedPdfSignature, validate_pdf_signature

    try:
        embedded = EmbeddedPdfSignature(reader, field, name)
    except Exception:  # noqa: BLE001 - the signature itself cannot be read: its bytes were changed
        return _broken(name, BYTES_CHANGED)
    signer, role, issuer, subject, fingerprint = _describe_certificate(embedded)
    sig_object = embedded.sig_object
    base = {
        "field": name,
        "signer": signer,
        "role": role,
        "issuer": issuer,
        "signer_subject": subject,
        "fingerprint": fingerprint,
        "reason": _text(sig_object.get("/Reason")),
        "location": _text(sig_object.get("/Location")),
    }
    if _byte_range_end(embedded) > len(data):
        return SignatureCheck(signed_at=None, intact=False, valid=False, covers_whole_file=False,
                              modification_level=None, trusted=False, problem=NOT_A_PDF, **base)
    try:
        status = validate_pdf_signature(
            embedded, signer_validation_context=_validation_context(trust_roots), key_usage_settings=_key_usage()
        )
    except Exception:  # noqa: BLE001 - pyHanko gives up on a badly damaged signature
        return SignatureCheck(signed_at=None, intact=False, valid=False, covers_whole_file=False,
                              modification_level=None, trusted=False, problem=BYTES_CHANGED, **base)

    coverage = status.coverage.name if status.coverage is not None else "UNCLEAR"
    level = status.modification_level.name if status.modification_level is not None else None
    whole = coverage == "ENTIRE_FILE" or (
        coverage == "ENTIRE_REVISION" and level in _HARMLESS_LEVELS and status.docmdp_ok is not False
    )
    if not (status.intact and status.valid):
        problem = BYTES_CHANGED
    elif coverage not in ("ENTIRE_FILE", "ENTIRE_REVISION"):
        problem = BYTES_CHANGED  # bytes added or moved outside any proper revision
    elif not whole:
        problem = CONTENT_CHANGED
    else:
        problem = ""
    return SignatureCheck(
        signed_at=status.signer_reported_dt,
        intact=bool(status.intact),
        valid=bool(status.valid),
        covers_whole_file=whole,
        modification_level=level.lower() if level else None,
        trusted=bool(status.trusted) and not problem,
        coverage=coverage.lower(),
        problem=problem,
        **base,
    )


def _tail_problem(data: bytes) -> str:
    """A complete PDF ends with %%EOF. Bytes after the last one are a cut-off update or were added."""
    end = data.rfind(b"%%EOF")
    if end < 0:
        return NOT_A_PDF
    tail = data[end + 5 :].strip(b" \t\r\n\x00\x0c")
    if not tail:
        return ""
    if any(marker in tail for marker in (b" obj", b"endobj", b"stream", b"xref", b"trailer")):
        return NOT_A_PDF  # an incremental update cut short
    return BYTES_CHANGED


def _broken(name: str, problem: str) -> SignatureCheck:
    return SignatureCheck(field=name, signer="(unreadable)", signed_at=None, intact=False, valid=False,
                          covers_whole_file=False, modification_level=None, trusted=False, fingerprint="",
                          problem=problem)


def _describe_certificate(embedded) -> tuple[str, str, str, str, str]:
    try:
        cert = embedded.signer_cert
        subject = cert.subject.native
        signer = str(subject.get("common_name") or cert.subject.human_friendly)
        role = str(subject.get("title") or subject.get("organizational_unit_name") or "")
        if isinstance(subject.get("organizational_unit_name"), list) and not subject.get("title"):
            role = ", ".join(subject["organizational_unit_name"])
        return signer, role, cert.issuer.human_friendly, cert.subject.human_friendly, hashlib.sha256(cert.dump()).hexdigest()
    except Exception:  # noqa: BLE001
        return "(unknown signer)", "", "", "", ""


def _byte_range_end(embedded) -> int:
    try:
        start1, length1, start2, length2 = (int(value) for value in embedded.byte_range)
        return max(start1 + length1, start2 + length2)
    except Exception:  # noqa: BLE001
        return 0


def _validation_context(trust_roots):
    from pyhanko_certvalidator import ValidationContext

    # An explicit (possibly empty) list: never the operating system's trust store, never the network.
    return ValidationContext(trust_roots=list(trust_roots), allow_fetching=False, revocation_mode="soft-fail")


def _key_usage():
    from pyhanko.sign.validation import KeyUsageConstraints

    # Organisations' signing certificates carry either bit; ours carry both.
    return KeyUsageConstraints(key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False)


def _text(value) -> str:
    if value is None:
        return ""
    try:
        return str(value.get_object() if hasattr(value, "get_object") else value)
    except Exception:  # noqa: BLE001
        return ""


def _yes(flag: bool) -> str:
    return "yes" if flag else "NO"


def _coverage_words(check: SignatureCheck) -> str:
    if check.coverage == "entire_file":
        return "yes, all of it"
    if check.covers_whole_file:
        return "yes, with later signatures only"
    if check.coverage == "entire_revision":
        return "NO, later changes alter the document"
    return "NO"


@contextmanager
def _quiet_pyhanko() -> Iterator[None]:
    """pyHanko logs a traceback at ERROR for every untrusted self-signed certificate; we report it ourselves."""
    loggers = [logging.getLogger(name) for name in _NOISY_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)
