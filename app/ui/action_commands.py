"""Undoable changes to actions. Each command calls the actions service, never a widget.

The first redo() runs when the command is pushed. A command whose service call is refused
(the user sees the service's message through ctx.call) marks itself obsolete, so QUndoStack
drops it instead of keeping an undo step for a change that never happened.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from app.services import actions
from app.services.dto import ActionData, ActionInput
from app.ui.context import ReviewContext

CHANGED = "actions"
UPDATE_COMMAND_ID = 0x4143  # "AC": lets consecutive edits of one field merge into one undo step.


def _tr(text: str) -> str:
    return QCoreApplication.translate("ActionCommands", text)


class AddActionCommand(QUndoCommand):
    """Adds an action; undo deletes it; redo restores it with the same id and position."""

    def __init__(self, ctx: ReviewContext, data: ActionInput) -> None:
        super().__init__(_tr("Add action"))
        self.ctx = ctx
        self.data = data
        self.result: ActionData | None = None

    def redo(self) -> None:
        ctx = self.ctx
        if self.result is None:
            result = ctx.call(actions.add_action, ctx.store, ctx.review_id, self.data, ctx.actor, changed=CHANGED)
        else:
            result = ctx.call(actions.restore_action, ctx.store, self.result, ctx.actor, changed=CHANGED)
        if result is None:
            self.setObsolete(True)
        else:
            self.result = result

    def undo(self) -> None:
        if self.result is None:
            return
        ctx = self.ctx
        removed = ctx.call(actions.delete_action, ctx.store, self.result.id, ctx.actor, changed=CHANGED)
        if removed is None:
            self.setObsolete(True)
        else:
            # Keep any later edits (made, then undone, in between) when it comes back.
            self.result = removed


class UpdateActionCommand(QUndoCommand):
    """Changes some fields of one action; keeps the values before and after for undo/redo."""

    def __init__(
        self,
        ctx: ReviewContext,
        action_id: int,
        changes: Mapping[str, Any],
        before: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(_tr("Edit action"))
        self.ctx = ctx
        self.action_id = action_id
        self.after: dict[str, Any] = dict(changes)
        self.before: dict[str, Any] | None = dict(before) if before is not None else None
        self.result: ActionData | None = None

    def id(self) -> int:
        return UPDATE_COMMAND_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, UpdateActionCommand) or other.isObsolete():
            return False
        if other.action_id != self.action_id or set(other.after) != set(self.after):
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
            current = ctx.call(actions.get_action, ctx.store, self.action_id)
            if current is None:
                self.setObsolete(True)
                return
            self.before = {name: getattr(current, name) for name in self.after}
        result = ctx.call(actions.update_action, ctx.store, self.action_id, ctx.actor, changed=CHANGED, **self.after)
        if result is None:
            self.setObsolete(True)
        else:
            self.result = result

    def undo(self) -> None:
        ctx = self.ctx
        if self.before is None:
            return
        result = ctx.call(actions.update_action, ctx.store, self.action_id, ctx.actor, changed=CHANGED, **self.before)
        if result is None:
            self.setObsolete(True)


class DeleteActionCommand(QUndoCommand):
    """Deletes an action; undo restores it with the same id and place in the list."""

    def __init__(self, ctx: ReviewContext, action_id: int) -> None:
        super().__init__(_tr("Delete action"))
        self.ctx = ctx
        self.action_id = action_id
        self.removed: ActionData | None = None

    def redo(self) -> None:
        ctx = self.ctx
        removed = ctx.call(actions.delete_action, ctx.store, self.action_id, ctx.actor, changed=CHANGED)
        if removed is None:
            self.setObsolete(True)
        else:
            self.removed = removed

    def undo(self) -> None:
        if self.removed is None:
            return
        ctx = self.ctx
        if ctx.call(actions.restore_action, ctx.store, self.removed, ctx.actor, changed=CHANGED) is None:
            self.setObsolete(True)
