"""A panel member's contribution: their copy of the review and the copy they started from.

The chair exports the review as a bundle and gives it to a panel member, who imports it on their
own laptop and captures notes, findings and actions there. `make_contribution` packs the
member's copy with that starting bundle (the `base`) and who they are; the chair merges it with
`app.bundle.merge_store`. The file format is described in docs/bundle.md ("Panel contributions").
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from app.bundle.document import BundleError, dump_review, encode_bundle
from app.bundle.validate import MAX_BUNDLE_BYTES, check_document
from app.kloe.roles import ROLES_BY_ID
from app.services.dto import Actor
from app.services.errors import ValidationError
from app.services.store import Store

CONTRIBUTION_FORMAT = "reviewday-contribution"
CONTRIBUTION_VERSION = 1
MAX_CONTRIBUTION_BYTES = 2 * MAX_BUNDLE_BYTES
NAME_MAX, ROLE_MAX = 200, 64


class ContributionError(BundleError):
    """A contribution file was refused; the one sentence says why. Nothing was changed."""


@dataclass(frozen=True)
class Contribution:
    uid: str
    contributor: Actor
    created_at: str
    base: dict
    theirs: dict

    @property
    def review_uid(self) -> str:
        return self.theirs["review"]["uid"]


def make_contribution(store: Store, review_id: int, base_document: dict, contributor: Actor) -> dict:
    """The contribution document for the member's copy `review_id`, started from `base_document`."""
    _check_contributor(contributor.name, contributor.role)
    try:
        check_document(base_document)
    except BundleError as exc:
        raise ContributionError(f"The review file you were given cannot be used as the starting point: {exc}") \
            from None
    theirs = dump_review(store, review_id)
    if base_document["review"]["uid"] != theirs["review"]["uid"]:
        raise ContributionError(
            "The review file you were given is for a different review from the one open; "
            "choose the file this review was imported from."
        )
    return {
        "format": CONTRIBUTION_FORMAT,
        "format_version": CONTRIBUTION_VERSION,
        "uid": str(uuid.uuid4()),
        "created_at": store.now().replace(microsecond=0).isoformat(),
        "contributor": {"name": " ".join(contributor.name.split()), "role": contributor.role},
        "review_uid": theirs["review"]["uid"],
        "base": base_document,
        "theirs": theirs,
    }


def encode_contribution(document: dict) -> bytes:
    """The bytes of a contribution file (UTF-8 JSON, sorted keys), like a bundle file's."""
    return encode_bundle(document)


def write_contribution(path: str | Path, document: dict) -> Path:
    """Write the file atomically: a failure leaves no half-written file behind."""
    from app.report.atomic import atomic_write_bytes

    atomic_write_bytes(path, encode_contribution(document))
    return Path(path)


def load_contribution(data: bytes) -> Contribution:
    """The checked contribution in a file's bytes; raises ContributionError with one sentence."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ContributionError("The contribution must be given as the bytes of a file.")
    data = bytes(data)
    if len(data) > MAX_CONTRIBUTION_BYTES:
        raise ContributionError("The file is too large to be a panel member's contribution.")
    if not data.strip():
        raise ContributionError("The contribution file is empty.")
    try:
        document = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise ContributionError("The contribution file is not UTF-8 text.") from None
    except (ValueError, RecursionError):
        raise ContributionError("The contribution file is not valid JSON.") from None
    return read_contribution(document)


def read_contribution(document: object) -> Contribution:
    """Check an already parsed contribution document."""
    if not isinstance(document, dict) or document.get("format") != CONTRIBUTION_FORMAT:
        raise ContributionError("The file is not a panel member's contribution (its format marker is missing).")
    version = document.get("format_version")
    if type(version) is not int:
        raise ContributionError("The contribution's format_version must be a whole number.")
    if version != CONTRIBUTION_VERSION:
        newer = "a newer" if version > CONTRIBUTION_VERSION else "an older"
        raise ContributionError(
            f"The contribution is format version {version}, from {newer} ReviewDay; "
            f"this version reads format version {CONTRIBUTION_VERSION} only."
        )
    uid, created_at, who = document.get("uid"), document.get("created_at"), document.get("contributor")
    if not isinstance(uid, str) or not uid.strip() or len(uid) > 64:
        raise ContributionError("The contribution has no id.")
    if not isinstance(created_at, str) or len(created_at) > 64:
        raise ContributionError("The contribution does not say when it was made.")
    if not isinstance(who, dict):
        raise ContributionError("The contribution does not say who made it.")
    _check_contributor(who.get("name"), who.get("role"))
    parts = {}
    for key, words in (("base", "starting copy"), ("theirs", "copy of the review")):
        part = document.get(key)
        if not isinstance(part, dict):
            raise ContributionError(f"The contribution is missing the member's {words}.")
        try:
            check_document(part)
        except BundleError as exc:
            raise ContributionError(f"The member's {words} in the contribution is not valid: {exc}") from None
        parts[key] = part
    if parts["base"]["review"]["uid"] != parts["theirs"]["review"]["uid"] or \
            document.get("review_uid") != parts["theirs"]["review"]["uid"]:
        raise ContributionError("The contribution's two copies are of different reviews.")
    return Contribution(uid=uid, contributor=Actor(" ".join(who["name"].split()), who["role"]),
                        created_at=created_at, base=parts["base"], theirs=parts["theirs"])


def _check_contributor(name: object, role: object) -> None:
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("Give the panel member's name.")
    if len(name) > NAME_MAX:
        raise ValidationError(f"Keep the panel member's name under {NAME_MAX} characters.")
    if not isinstance(role, str) or role not in ROLES_BY_ID:
        raise ValidationError("Give the panel member's role (for example clinical_expert or expert_by_experience).")


def _no_constant(name: str):
    raise ValueError(name)
