"""Reading a bundle file strictly: every way it can be wrong gets one sentence, nothing else.

Checks run cheapest first: size, UTF-8, JSON syntax (no duplicate keys, no NaN), the format
marker and version, the published JSON Schema (app/bundle/bundle.schema.json), then what a
schema cannot say: unique uids, references that resolve, real dates, PDFs matching their hash.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
from datetime import date, datetime
from importlib import resources

from app.bundle.document import (
    FORMAT,
    FORMAT_VERSION,
    OPTIONAL_ROW_FIELDS,
    OPTIONAL_UID_PARTS,
    UID_PARTS,
    BundleError,
    part_of,
)

MAX_BUNDLE_BYTES = 50 * 1024 * 1024
SCHEMA_FILE = "bundle.schema.json"

_TYPE_WORDS = {
    "string": "text", "integer": "a whole number", "boolean": "true or false", "array": "a list",
    "object": "an object", "null": "empty (null)", "number": "a number",
}


def load_bundle(data: bytes) -> dict:
    """The checked bundle document from a file's bytes; raises BundleError with one sentence."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise BundleError("The bundle must be given as the bytes of a file.")
    data = bytes(data)
    if len(data) > MAX_BUNDLE_BYTES:
        raise BundleError(
            f"The bundle is {len(data) // (1024 * 1024)} MB, larger than the {MAX_BUNDLE_BYTES // (1024 * 1024)} MB "
            "a review bundle can be."
        )
    if not data.strip():
        raise BundleError("The bundle file is empty.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BundleError(f"The bundle is not UTF-8 text (a bad byte at position {exc.start}).") from None
    if text.startswith("\ufeff"):
        raise BundleError("The bundle starts with a byte-order mark, which a bundle never has.")
    document = _parse_json(text)
    if not isinstance(document, dict):
        raise BundleError("The bundle is JSON but not a review bundle (it is not an object).")
    check_document(document)
    return document


def check_document(document: dict) -> None:
    """Schema and semantic checks of an already parsed document (also used before replacing a review)."""
    if document.get("format") != FORMAT:
        raise BundleError("The file is JSON but not a ReviewDay review bundle (its format marker is missing).")
    version = document.get("format_version")
    if type(version) is not int:
        raise BundleError("The bundle's format_version must be a whole number.")
    if version != FORMAT_VERSION:
        newer = "a newer" if version > FORMAT_VERSION else "an older"
        raise BundleError(
            f"The bundle is format version {version}, from {newer} ReviewDay; "
            f"this version reads format version {FORMAT_VERSION} only."
        )
    _check_schema(document)
    _check_semantics(document)
    _fill_optional(document)


def _fill_optional(document: dict) -> None:
    """Rows from a bundle written before a field existed get the field's value for "not set"."""
    for part, defaults in OPTIONAL_ROW_FIELDS.items():
        for row in document.get(part, ()):
            for name, value in defaults.items():
                row.setdefault(name, value)


# -- JSON --------------------------------------------------------------------------------------


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise BundleError(f"The bundle names the field '{_short(key)}' twice in one object.")
        result[key] = value
    return result


def _no_constant(name: str):
    raise BundleError(f"The bundle holds {name}, which is not a valid JSON value.")


def _no_fraction(text: str):
    raise BundleError(f"The bundle holds the number {_short(text)}, but every number in a review bundle is a whole number.")


def _parse_json(text: str):
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant,
                          parse_float=_no_fraction)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise BundleError("The bundle is not valid JSON (it ends too early).") from None
        raise BundleError(
            f"The bundle is not valid JSON ({exc.msg.lower()} at line {exc.lineno}, column {exc.colno})."
        ) from None
    except RecursionError:
        raise BundleError("The bundle is nested too deeply to be a review bundle.") from None
    except ValueError:  # e.g. an integer with thousands of digits
        raise BundleError("The bundle holds a number too large to be part of a review.") from None


# -- the schema --------------------------------------------------------------------------------


@functools.cache
def schema() -> dict:
    return json.loads(resources.files("app.bundle").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


@functools.cache
def _validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema())


def _where(path) -> str:
    where = ""
    for part in path:
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
    return where


def _subject(path) -> str:
    where = _where(path)
    return f"The bundle's {where}" if where else "The bundle"


def _check_schema(document: dict) -> None:
    from jsonschema.exceptions import best_match

    try:
        error = best_match(_validator().iter_errors(document))
    except RecursionError:
        raise BundleError("The bundle is nested too deeply to be a review bundle.") from None
    if error is None:
        return
    raise BundleError(_describe(error))


def _describe(error) -> str:
    path = list(error.absolute_path)
    subject = _subject(path)
    kind, expected = error.validator, error.validator_value
    if kind == "anyOf":  # nullable fields: report the non-null alternative
        for option in expected:
            if option.get("type") != "null":
                expected_type = option.get("type") or "string"
                if "$ref" in option or expected_type == "string":
                    return f"{subject} must be text or null."
                return f"{subject} must be {_TYPE_WORDS.get(expected_type, expected_type)} or null."
    if kind == "type":
        return f"{subject} must be {_TYPE_WORDS.get(expected, expected)}."
    if kind == "required":
        missing = next((name for name in expected if name not in error.instance), expected[0])
        return f"{subject} is missing the field '{missing}'."
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return f"{subject} has an unknown field '{_short(extra[0]) if extra else '?'}'."
    if kind in ("enum", "const"):
        allowed = expected if kind == "enum" else [expected]
        return f"{subject} must be one of: {', '.join(str(a) for a in allowed)}."
    if kind == "maxLength":
        return f"{subject} is too long (at most {expected} characters)."
    if kind == "minLength":
        return f"{subject} must not be empty."
    if kind == "maxItems":
        return f"{subject} has too many rows (at most {expected})."
    if kind in ("minimum", "maximum"):
        return f"{subject} must be between {error.schema.get('minimum', 0)} and {error.schema.get('maximum', '…')}."
    if kind == "pattern":
        if "T[0-9]{2}" in expected:
            return f"{subject} must be a date and time like 2026-11-20T09:30:00."
        if expected.startswith("^[0-9]{4}"):
            return f"{subject} must be a date like 2026-11-20."
        return f"{subject} is not in the expected form."
    return f"{subject} is not valid ({kind})."


def _short(text: str) -> str:
    text = str(text)
    return text if len(text) <= 40 else text[:40] + "…"


# -- what the schema cannot say ------------------------------------------------------------------


_DATE_FIELDS = ("date_of_birth", "admission_date", "review_date", "deadline", "source_review_date",
                "notice_given_on", "family_consulted_on", "pre_meeting_on", "sent_on", "requested_on")
_TIME_FIELDS = ("locked_at", "created_at", "updated_at", "recorded_at", "signed_at", "at")


def _check_semantics(document: dict) -> None:
    _check_times(["review"], document["review"])
    _check_times(["consent"], document["consent"])
    for table in ("attendees", "notes", "entries", "actions", "carried_actions", "revisions", "audit",
                  "report_copies", "corrections"):
        for index, row in enumerate(part_of(document, table)):
            _check_times([table, index], row)
    for index, revision in enumerate(document["revisions"]):
        for number, signoff in enumerate(revision["signoffs"]):
            _check_times(["revisions", index, "signoffs", number], signoff)

    for table in UID_PARTS + OPTIONAL_UID_PARTS:
        _unique(part_of(document, table), table, "uid")
    _unique(part_of(document, "planning_documents"), "planning_documents", "document_id")
    _unique(document["section_states"], "section_states", "section_id")
    _unique(document["headlines"], "headlines", "question_id")
    _unique(document["revisions"], "revisions", "number")
    _unique(document["carried_actions"], "carried_actions", "source_action_uid")

    sections = {row["section_id"] for row in document["section_states"]}
    for table in ("notes", "entries", "actions"):
        for index, row in enumerate(document[table]):
            if row["section_id"] and row["section_id"] not in sections:
                raise BundleError(
                    f"The bundle's {table}[{index}].section_id names a section the bundle does not have."
                )
    if document["review"]["previous_review_uid"] == document["review"]["uid"]:
        raise BundleError("The bundle's review.previous_review_uid names the review itself.")

    for index, revision in enumerate(document["revisions"]):
        pdf = revision["signed_pdf"]
        if pdf is None:
            continue
        where = f"revisions[{index}]"
        try:
            raw = base64.b64decode(pdf, validate=True)
        except (binascii.Error, ValueError):
            raise BundleError(f"The bundle's {where}.signed_pdf is not valid base64.") from None
        if hashlib.sha256(raw).hexdigest() != revision["signed_pdf_sha256"]:
            raise BundleError(f"The bundle's {where}.signed_pdf does not match its signed_pdf_sha256.")


def _check_times(path: list, row: dict) -> None:
    for name in _DATE_FIELDS:
        value = row.get(name)
        if isinstance(value, str):
            try:
                date.fromisoformat(value)
            except ValueError:
                raise BundleError(f"{_subject([*path, name])} is not a real date.") from None
    for name in _TIME_FIELDS:
        value = row.get(name)
        if isinstance(value, str):
            try:
                datetime.fromisoformat(value)
            except ValueError:
                raise BundleError(f"{_subject([*path, name])} is not a real date and time.") from None


def _unique(rows: list[dict], table: str, key: str) -> None:
    seen: set = set()
    for index, row in enumerate(rows):
        value = row[key]
        if value in seen:
            raise BundleError(f"The bundle's {table}[{index}].{key} repeats one used earlier in {table}.")
        seen.add(value)
