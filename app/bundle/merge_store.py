"""Merging a contribution into the database, and undoing the merge.

`apply_merge` is one unit of work: it checks the review (not signed, the same review, the
contribution not merged already, unchanged since the plan was made), keeps the review as it was
in a `Merge` row, rewrites the review from the merged document and records audit events.

`undo_merge` puts the review back exactly as it was before the merge. The rule: only the most
recent merge that is still in force can be undone, and only while the review is just as the merge
left it (the section timers aside, which keep their current time). Any later edit would be lost
by going back, so the undo is refused with a sentence that says so; the later edits stay.

Merge summaries hold counts, the contribution's id and a fingerprint of the merged review, never
personal text.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bundle.contribution import Contribution
from app.bundle.document import dump_review, dump_review_in, encode_bundle
from app.bundle.merge import ROW, ROW_PARTS, THEIRS, MergePlan, plan_merge
from app.bundle.restore import replace_review_contents
from app.bundle.rules import check_rules
from app.bundle.validate import load_bundle
from app.kloe import TemplateRegistry
from app.models import Merge, Review
from app.models.enums import SectionStatus
from app.services import audit
from app.services.dto import Actor
from app.services.errors import NotFoundError, ReviewLockedError, ValidationError
from app.services.reviews import LOCKED_MESSAGE, load_review
from app.services.store import Store

MERGE_ENTITY = "merge"
_NOT_STARTED, _IN_PROGRESS = SectionStatus.NOT_STARTED.value, SectionStatus.IN_PROGRESS.value


@dataclass(frozen=True)
class MergeResult:
    merge_id: int | None  # None when there was nothing to merge
    added: dict[str, int]
    changed: int
    deleted: int
    kept_ours: int
    took_theirs: int

    @property
    def text(self) -> str:
        return describe_counts(self.added, self.changed, self.deleted, self.kept_ours, self.took_theirs)


@dataclass(frozen=True)
class MergeData:
    id: int
    review_id: int
    at: datetime
    contributor_name: str
    contributor_role: str
    summary: str
    undone_at: datetime | None


def plan_contribution(store: Store, review_id: int, contribution: Contribution) -> MergePlan:
    """The plan for merging `contribution` into review `review_id` as it is now."""
    current = dump_review(store, review_id)
    plan = plan_merge(current, contribution.base, contribution.theirs)
    plan.contribution_uid = contribution.uid
    plan.contributor_name = contribution.contributor.name
    plan.contributor_role = contribution.contributor.role
    return plan


def apply_merge(store: Store, review_id: int, plan: MergePlan, choices: Mapping[str, str] | None,
                actor: Actor) -> MergeResult:
    """Merge in one unit of work; ValidationError (one sentence) and nothing changed when refused."""
    resolved = plan.check_choices(choices or {})
    merged = plan.document(resolved)
    with store.write() as session:
        review = load_review(session, review_id)
        if review.locked_at is not None:
            raise ReviewLockedError(LOCKED_MESSAGE)
        if review.uid != plan.review_uid:
            raise ValidationError("This contribution is for a different review, so it cannot be merged into this one.")
        if plan.contribution_uid and _merged_already(session, review_id, plan.contribution_uid):
            raise ValidationError("This contribution has already been merged into the review.")
        before = dump_review_in(session, review_id)
        if before != plan.current:
            raise ValidationError("The review changed while the merge was being prepared; open the contribution again.")
        if plan.is_empty:  # nothing to add or change: the review and its history stay exactly as they are
            return MergeResult(merge_id=None, added={}, changed=0, deleted=0, kept_ours=0, took_theirs=0)
        # What the member brings in meets the rules the chair's own forms apply (as an import does).
        template = TemplateRegistry.default().get(review.template_id, review.template_version)
        check_rules(merged, template, refused="The contribution was not merged")
        replace_review_contents(session, review_id, merged)
        session.flush()
        now = store.now()
        review = load_review(session, review_id)
        review.updated_at = now
        took_theirs = sum(1 for choice in resolved.values() if choice == THEIRS)
        summary = {
            "contribution": plan.contribution_uid,
            "added": plan.added_counts(),
            "changed": len(plan.changes),
            "deleted": len(plan.deletions),
            "kept_ours": len(resolved) - took_theirs,
            "took_theirs": took_theirs,
        }
        row = Merge(review_id=review_id, at=now, contributor_name=plan.contributor_name[:200],
                    contributor_role=plan.contributor_role[:64], before=encode_bundle(before).decode("utf-8"),
                    summary="")
        session.add(row)
        session.flush()
        _record_audit(session, store, actor, review_id, row.id, plan, resolved)
        session.flush()
        summary["after"] = fingerprint(dump_review_in(session, review_id))
        row.summary = json.dumps(summary, sort_keys=True)
        return MergeResult(merge_id=row.id, added=summary["added"], changed=summary["changed"],
                           deleted=summary["deleted"], kept_ours=summary["kept_ours"], took_theirs=took_theirs)


def undo_merge(store: Store, merge_id: int, actor: Actor) -> MergeData:
    """Put the review back as it was before merge `merge_id`; refused (one sentence) when that would lose work."""

    with store.write() as session:
        row = session.get(Merge, merge_id)
        if row is None:
            raise NotFoundError("That merge is no longer in the database.")
        if row.undone_at is not None:
            raise ValidationError("That merge has already been undone.")
        review = load_review(session, row.review_id)
        if review.locked_at is not None:
            raise ReviewLockedError(LOCKED_MESSAGE)
        latest = _latest_in_force(session, row.review_id)
        if latest is None or latest.id != row.id:
            raise ValidationError("Only the most recent merge can be undone; undo the later one first.")
        current = dump_review_in(session, row.review_id)
        if fingerprint(current) != _summary(row).get("after"):
            raise ValidationError(
                "The review has been changed since this merge, so undoing it would lose those changes; "
                "nothing was undone. Remove what the merge added by hand instead."
            )
        before = load_bundle(row.before.encode("utf-8"))
        _keep_timers(before, current)
        replace_review_contents(session, row.review_id, before)
        session.flush()
        row.undone_at = store.now()
        audit.record(session, store, actor, row.review_id, "undo", MERGE_ENTITY, row.id)
        return _data(row)


def list_merges(store: Store, review_id: int) -> list[MergeData]:
    with store.read() as session:
        rows = session.scalars(select(Merge).where(Merge.review_id == review_id).order_by(Merge.id))
        return [_data(row) for row in rows]


def last_merge(store: Store, review_id: int) -> MergeData | None:
    """The most recent merge still in force (the one "Undo last merge" would undo), or None."""
    with store.read() as session:
        row = _latest_in_force(session, review_id)
        return None if row is None else _data(row)


def review_uid(store: Store, review_id: int) -> str:
    with store.read() as session:
        uid = session.scalar(select(Review.uid).where(Review.id == review_id))
    if uid is None:
        raise NotFoundError(f"There is no review with id {review_id}.")
    return uid


def fingerprint(document: Mapping) -> str:
    """A hash of the review's content: everything but the audit trail, change times and timers."""
    content = {key: value for key, value in document.items() if key != "audit"}
    content = copy.deepcopy(content)
    content.get("review", {}).pop("updated_at", None)
    for row in content.get("section_states") or []:
        row.pop("elapsed_seconds", None)
        if row.get("status") == _NOT_STARTED:  # a running timer starts the section
            row["status"] = _IN_PROGRESS
    return hashlib.sha256(encode_bundle(content)).hexdigest()


def describe_counts(added: Mapping[str, int], changed: int, deleted: int, kept_ours: int, took_theirs: int) -> str:
    """What a merge did, in counts only: "Added 2 notes and 1 action; took 3 changes; …"."""
    parts = []
    words = [f"{count} {_plural(ROW_PARTS.get(part, part), count)}" for part, count in sorted(added.items()) if count]
    if words:
        parts.append("added " + _join(words))
    if changed:
        parts.append(f"took {changed} {_plural('change', changed)}")
    if deleted:
        parts.append(f"removed {deleted} {_plural('row', deleted)} the member deleted")
    if kept_ours or took_theirs:
        parts.append(f"of the differences, kept {kept_ours} as they were and took {took_theirs} from the member")
    if not parts:
        return "Nothing to merge: the contribution adds nothing new."
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def summary_text(data: MergeData) -> str:
    summary = _summary_text_json(data.summary)
    if not summary:
        return ""
    return describe_counts(summary.get("added", {}), summary.get("changed", 0), summary.get("deleted", 0),
                           summary.get("kept_ours", 0), summary.get("took_theirs", 0))


def _plural(word: str, count: int) -> str:
    if count == 1:
        return word
    return {"person": "people", "entry": "entries"}.get(word, word + "s")


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _summary_text_json(text: str) -> dict:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _summary(row: Merge) -> dict:
    return _summary_text_json(row.summary)


def _merged_already(session: Session, review_id: int, contribution_uid: str) -> bool:
    rows = session.scalars(select(Merge).where(Merge.review_id == review_id, Merge.undone_at.is_(None)))
    return any(_summary(row).get("contribution") == contribution_uid for row in rows)


def _latest_in_force(session: Session, review_id: int) -> Merge | None:
    return session.scalar(
        select(Merge).where(Merge.review_id == review_id, Merge.undone_at.is_(None)).order_by(Merge.id.desc()).limit(1)
    )


def _keep_timers(before: dict, current: dict) -> None:
    """The section timers keep the time they have now: undoing a merge does not turn the clock back."""
    now = {row["section_id"]: row for row in current.get("section_states") or []}
    for row in before.get("section_states") or []:
        latest = now.get(row["section_id"])
        if latest is None:
            continue
        row["elapsed_seconds"] = latest.get("elapsed_seconds", 0)
        if row.get("status") == _NOT_STARTED and latest.get("status") == _IN_PROGRESS:
            row["status"] = _IN_PROGRESS


def _record_audit(session: Session, store: Store, actor: Actor, review_id: int, merge_id: int, plan: MergePlan,
                  resolved: Mapping[str, str]) -> None:
    """One event for the merge, then one per kind of row touched, with field names only."""
    audit.record(session, store, actor, review_id, "merge", MERGE_ENTITY, merge_id)
    fields: dict[str, set[str]] = {}
    for change in plan.changes:
        fields.setdefault(change.part, set()).add(change.field)
    for conflict in plan.conflicts:
        if resolved.get(conflict.id) == THEIRS and conflict.field != ROW:
            fields.setdefault(conflict.part, set()).add(conflict.field)
    for part, names in sorted(fields.items()):
        audit.record(session, store, actor, review_id, "merge_update", _entity(part), None, names)
    for part, count in sorted(plan.added_counts().items()):
        audit.record(session, store, actor, review_id, "merge_add", _entity(part), None, [f"rows:{count}"])
    removed = len(plan.deletions) + sum(
        1 for c in plan.conflicts if c.field == ROW and c.theirs is None and resolved.get(c.id) == THEIRS)
    if removed:
        audit.record(session, store, actor, review_id, "merge_remove", "rows", None, [f"rows:{removed}"])


def _entity(part: str) -> str:
    return {"review": "review", "consent": "review", "attendees": "attendee", "notes": "note",
            "section_states": "section", "entries": "entry", "headlines": "headline", "actions": "action",
            "carried_actions": "carried_action"}.get(part, part)


def _data(row: Merge) -> MergeData:
    return MergeData(id=row.id, review_id=row.review_id, at=row.at, contributor_name=row.contributor_name,
                     contributor_role=row.contributor_role, summary=row.summary, undone_at=row.undone_at)
