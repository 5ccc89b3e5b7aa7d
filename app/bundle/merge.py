"""Three-way merge of a panel member's contribution into the chair's copy of a review.

Three bundle documents go in: `current` (the chair's review now), `base` (the review as the
member received it) and `theirs` (the member's copy). Rows are matched by `uid` (headline
answers by question, section states by section). The rules:

- a row only in `theirs` is added, with its authorship as the member recorded it;
- a field changed only in `theirs` is taken; changed only in `current`, it is kept;
- a field changed on both sides to different values is a `Conflict` for the chair to decide;
- a row deleted on one side and edited on the other is a conflict, never a silent deletion;
- notes are append-only: a note the member deleted, or a note edited on both sides, is a conflict.

Nothing here touches a database: `MergePlan.document(choices)` gives the merged document, and
`app.bundle.merge_store.apply_merge` writes it in one unit of work.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.services.errors import ValidationError

OURS, THEIRS = "ours", "theirs"
# The field name of a conflict about a whole row: deleted on one side, edited on the other.
ROW = "*"

# Parts of a bundle document that are merged, and the singular word for one of their rows.
SINGLE_PARTS = {"review": "set-up", "consent": "consent"}
ROW_PARTS = {
    "attendees": "person",
    "notes": "note",
    "section_states": "section",
    "entries": "entry",
    "headlines": "headline answer",
    "actions": "action",
    "carried_actions": "carried action",
}
# How rows without a uid are matched.
ROW_KEYS = {"section_states": "section_id", "headlines": "question_id"}
APPEND_ONLY = frozenset({"notes"})
# Never merged: identity, bookkeeping and the chair's own timers. The chair's value stays.
IGNORED = {
    "review": frozenset({"uid", "person_key", "previous_review_uid", "locked_at", "created_at", "updated_at",
                         "status"}),
    "section_states": frozenset({"elapsed_seconds", "position"}),
}
ALWAYS_IGNORED = frozenset({"updated_at"})


@dataclass(frozen=True)
class Conflict:
    """One difference the chair must decide: `field` is a column, or ROW for delete-versus-edit."""

    part: str
    key: str
    field: str
    base: Any
    ours: Any
    theirs: Any

    @property
    def id(self) -> str:
        return f"{self.part}/{self.key}/{self.field}"

    @property
    def entity(self) -> str:
        return SINGLE_PARTS.get(self.part) or ROW_PARTS.get(self.part, self.part)

    @property
    def deleted_side(self) -> str | None:
        """For a ROW conflict, which side deleted the row (ours or theirs)."""
        if self.field != ROW:
            return None
        return OURS if self.ours is None else THEIRS


@dataclass(frozen=True)
class Change:
    """A field the member changed and the chair did not: taken as it is."""

    part: str
    key: str
    field: str
    base: Any
    theirs: Any


@dataclass
class MergePlan:
    """What merging `theirs` would do to `current`; `document(choices)` carries it out."""

    current: dict
    review_uid: str
    additions: list[tuple[str, dict]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    deletions: list[tuple[str, str]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    kept: int = 0  # fields only the chair changed, kept as they are
    # Set when the plan comes from a contribution file (see merge_store.plan_contribution).
    contribution_uid: str = ""
    contributor_name: str = ""
    contributor_role: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.additions or self.changes or self.deletions or self.conflicts)

    def added_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for part, _row in self.additions:
            counts[part] = counts.get(part, 0) + 1
        return counts

    def check_choices(self, choices: Mapping[str, str]) -> dict[str, str]:
        """Every conflict's choice (ours or theirs); one sentence when any is missing or wrong."""
        resolved = {}
        missing = 0
        for conflict in self.conflicts:
            choice = choices.get(conflict.id)
            if choice is None:
                missing += 1
            elif choice not in (OURS, THEIRS):
                raise ValidationError("Each difference must be resolved as 'ours' or 'theirs'.")
            else:
                resolved[conflict.id] = choice
        if missing:
            raise ValidationError(
                f"Choose whether to keep the review's version or take the contribution's for "
                f"{missing} of the {len(self.conflicts)} differences before merging."
            )
        return resolved

    def document(self, choices: Mapping[str, str] | None = None) -> dict:
        """The merged bundle document: `current` with the plan and the chair's choices applied."""
        resolved = self.check_choices(choices or {})
        merged = copy.deepcopy(self.current)
        tables = {part: _index(merged, part) for part in ROW_PARTS if isinstance(merged.get(part), list)}

        def target(part: str, key: str) -> dict | None:
            if part in SINGLE_PARTS:
                return merged.setdefault(part, {})
            return tables[part].get(key)

        for change in self.changes:
            row = target(change.part, change.key)
            if row is not None:
                row[change.field] = copy.deepcopy(change.theirs)
        for part, key in self.deletions:
            tables[part].pop(key, None)
        appended: list[tuple[str, dict]] = []
        for conflict in self.conflicts:
            if resolved[conflict.id] != THEIRS:
                continue
            if conflict.field == ROW:
                if conflict.theirs is None:
                    tables[conflict.part].pop(conflict.key, None)
                else:
                    appended.append((conflict.part, copy.deepcopy(conflict.theirs)))
                continue
            row = target(conflict.part, conflict.key)
            if row is not None:
                row[conflict.field] = copy.deepcopy(conflict.theirs)
        for part, table in tables.items():
            merged[part] = list(table.values())
        for part, row in [*((p, copy.deepcopy(r)) for p, r in self.additions), *appended]:
            rows = merged.setdefault(part, [])
            if "position" in row:
                row["position"] = max((r.get("position", 0) for r in rows), default=-1) + 1
            rows.append(row)
        return merged


def row_key(part: str, row: Mapping) -> str | None:
    key = row.get(ROW_KEYS.get(part, "uid"))
    return None if key is None else str(key)


def _index(document: Mapping, part: str) -> dict[str, dict]:
    """The part's rows by key, in document order (rows without a key are left out)."""
    table: dict[str, dict] = {}
    for row in document.get(part) or []:
        if isinstance(row, dict):
            key = row_key(part, row)
            if key is not None:
                table[key] = row
    return table


def _fields(part: str, *rows: Mapping | None) -> list[str]:
    ignored = IGNORED.get(part, frozenset()) | ALWAYS_IGNORED
    names: dict[str, None] = {}
    for row in rows:
        for name in row or {}:
            if name not in ignored and name != ROW_KEYS.get(part, "uid"):
                names[name] = None
    return list(names)


def plan_merge(current: dict, base: dict, theirs: dict) -> MergePlan:
    """Compare the three documents; raise ValidationError when they are not the same review."""
    uids = {_review_uid(doc) for doc in (current, base, theirs)}
    if None in uids or len(uids) != 1:
        raise ValidationError("This contribution is for a different review, so it cannot be merged into this one.")
    plan = MergePlan(current=copy.deepcopy(current), review_uid=_review_uid(current))
    for part in SINGLE_PARTS:
        _merge_fields(plan, part, "", base.get(part) or {}, current.get(part) or {}, theirs.get(part) or {})
    for part in ROW_PARTS:
        _merge_rows(plan, part, _index(base, part), _index(current, part), _index(theirs, part))
    return plan


def _review_uid(document: Mapping) -> str | None:
    review = document.get("review") if isinstance(document, Mapping) else None
    uid = review.get("uid") if isinstance(review, Mapping) else None
    return uid if isinstance(uid, str) and uid else None


def _merge_fields(plan: MergePlan, part: str, key: str, base: Mapping, ours: Mapping, theirs: Mapping,
                  *, strict: bool = False) -> None:
    """Field by field. `strict` (a note both sides edited): any difference is the chair's to decide."""
    for name in _fields(part, base, ours, theirs):
        was, mine, their = base.get(name), ours.get(name), theirs.get(name)
        if mine == their:
            continue
        if their == was and not strict:
            plan.kept += 1
        elif mine == was and not strict:
            plan.changes.append(Change(part, key, name, copy.deepcopy(was), copy.deepcopy(their)))
        else:
            plan.conflicts.append(Conflict(part, key, name, *copy.deepcopy((was, mine, their))))


def _edited(part: str, before: Mapping, after: Mapping) -> bool:
    return any(before.get(name) != after.get(name) for name in _fields(part, before, after))


def _merge_rows(plan: MergePlan, part: str, base: dict, ours: dict, theirs: dict) -> None:
    for key in dict.fromkeys([*base, *ours, *theirs]):
        was, mine, their = base.get(key), ours.get(key), theirs.get(key)
        if was is None:
            if mine is None and their is not None:
                plan.additions.append((part, copy.deepcopy(their)))
            elif mine is not None and their is not None:
                # Added on both sides (a contribution built on an earlier merge): differences are conflicts.
                _merge_fields(plan, part, key, {}, mine, their, strict=True)
            continue
        if mine is None and their is None:
            continue
        if their is None:
            if part in APPEND_ONLY or _edited(part, was, mine):
                plan.conflicts.append(Conflict(part, key, ROW, *copy.deepcopy((was, mine, None))))
            else:
                plan.deletions.append((part, key))
            continue
        if mine is None:
            if _edited(part, was, their):
                plan.conflicts.append(Conflict(part, key, ROW, *copy.deepcopy((was, None, their))))
            continue
        strict = part in APPEND_ONLY and _edited(part, was, mine) and _edited(part, was, their)
        _merge_fields(plan, part, key, was, mine, their, strict=strict)
