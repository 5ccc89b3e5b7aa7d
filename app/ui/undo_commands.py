"""Undoable add / update / delete of one row (note, entry, action, attendee) through its service.

Commands call services through ctx.call, never widgets, and ctx.call emits ctx.changed(kind).
The first redo() runs when the command is pushed. A command whose first service call is refused
(the user sees the service's message through ctx.call) marks itself obsolete, so QUndoStack drops
it instead of keeping an undo step for a change that never happened.

The services share one shape, which is all these classes rely on:
    restore(store, row, actor) -> row    puts a deleted row back with the same id, time and place
    delete(store, row_id, actor) -> row  returns what was deleted, so it can be restored
    update(store, row_id, actor, **fields) -> row
Adding differs per service, so AddRowCommand takes a callable add(store, actor) -> row.

strict (default True; actions and people) checks every later undo/redo call too: a refusal drops
the command, and the rows the service hands back are kept, so a row that comes back keeps any
edits made since. strict=False (notes, entries) only lets the first call drop the command and
puts rows back as they were first captured.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtGui import QUndoCommand

from app.services.dto import Actor
from app.services.store import Store
from app.ui.context import ReviewContext

Row = Any  # a frozen dataclass from app.services.dto with an `id`


class AddRowCommand(QUndoCommand):
    """Adds a row; undo deletes it; redo restores it with the same id (and time, author, place)."""

    def __init__(
        self,
        ctx: ReviewContext,
        text: str,
        *,
        changed: str,
        add: Callable[[Store, Actor], Row],
        restore: Callable[[Store, Row, Actor], Row],
        delete: Callable[[Store, int, Actor], Row],
        strict: bool = True,
    ) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.changed = changed
        self._add, self._restore, self._delete = add, restore, delete
        self.strict = strict
        self.result: Row | None = None

    def redo(self) -> None:
        ctx = self.ctx
        if self.result is None:
            result = ctx.call(self._add, ctx.store, ctx.actor, changed=self.changed)
            if result is None:
                self.setObsolete(True)
            else:
                self.result = result
            return
        restored = ctx.call(self._restore, ctx.store, self.result, ctx.actor, changed=self.changed)
        self._keep(restored)

    def undo(self) -> None:
        if self.result is None:
            return
        ctx = self.ctx
        removed = ctx.call(self._delete, ctx.store, self.result.id, ctx.actor, changed=self.changed)
        self._keep(removed)

    def _keep(self, row: Row | None) -> None:
        if not self.strict:
            return
        if row is None:
            self.setObsolete(True)
        else:
            self.result = row


class UpdateRowCommand(QUndoCommand):
    """Changes some fields of one row; keeps the values before and after for undo/redo.

    before: the values to put back on undo. When None, the first redo reads them from current()
    (only the changed fields). merge_id: when given, consecutive commands changing the same fields
    of the same row merge into one undo step. skip_no_change: a change to what is already there
    (found on that first read) leaves no undo step.
    """

    def __init__(
        self,
        ctx: ReviewContext,
        text: str,
        row_id: int,
        changes: Mapping[str, Any],
        before: Mapping[str, Any] | None = None,
        *,
        changed: str,
        update: Callable[..., Row],
        read: Callable[[Store, int], Row] | None = None,
        strict: bool = True,
        merge_id: int = -1,
        skip_no_change: bool = False,
    ) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.changed = changed
        self.row_id = row_id
        self.after: dict[str, Any] = dict(changes)
        self.before: dict[str, Any] | None = dict(before) if before is not None else None
        self.result: Row | None = None
        self._update, self._read = update, read
        self.strict = strict
        self._merge_id = merge_id
        self._skip_no_change = skip_no_change

    def current(self) -> Row | None:
        """The row as it is now, to take `before` from. Override for another way of reading."""
        if self._read is None:
            return None
        return self.ctx.call(self._read, self.ctx.store, self.row_id)

    def id(self) -> int:
        return self._merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:
        if self._merge_id < 0 or type(other) is not type(self) or other.isObsolete():
            return False
        if other.row_id != self.row_id or set(other.after) != set(self.after):
            return False
        self.after = dict(other.after)
        self.result = other.result
        if self.after == self.before:
            # Typed back to where it started: no undo step left to keep.
            self.setObsolete(True)
        return True

    def redo(self) -> None:
        ctx = self.ctx
        if self.before is None:
            current = self.current()
            if current is None:
                self.setObsolete(True)
                return
            self.before = {name: getattr(current, name) for name in self.after}
            if self._skip_no_change and self.before == self.after:
                self.setObsolete(True)
                return
        result = ctx.call(self._update, ctx.store, self.row_id, ctx.actor, changed=self.changed, **self.after)
        if result is None and (self.strict or self.result is None):
            self.setObsolete(True)
            return
        self.result = result

    def undo(self) -> None:
        if self.before is None:
            return
        ctx = self.ctx
        result = ctx.call(self._update, ctx.store, self.row_id, ctx.actor, changed=self.changed, **self.before)
        if result is None and self.strict:
            self.setObsolete(True)


class DeleteRowCommand(QUndoCommand):
    """Deletes a row; undo restores it with the same id (and time, author, place).

    row: the row as the caller sees it, if known; the first redo replaces it with what the
    service deleted.
    """

    def __init__(
        self,
        ctx: ReviewContext,
        text: str,
        row_id: int,
        *,
        changed: str,
        delete: Callable[[Store, int, Actor], Row],
        restore: Callable[[Store, Row, Actor], Row],
        row: Row | None = None,
        strict: bool = True,
    ) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.changed = changed
        self.row_id = row_id
        self.removed: Row | None = row
        self._delete, self._restore = delete, restore
        self.strict = strict
        self._done = False

    def redo(self) -> None:
        ctx = self.ctx
        removed = ctx.call(self._delete, ctx.store, self.row_id, ctx.actor, changed=self.changed)
        if removed is None:
            if self.strict or not self._done:
                self.setObsolete(True)
            return
        self.removed = removed
        self._done = True

    def undo(self) -> None:
        if self.removed is None:
            return
        ctx = self.ctx
        restored = ctx.call(self._restore, ctx.store, self.removed, ctx.actor, changed=self.changed)
        if restored is None and self.strict:
            self.setObsolete(True)
