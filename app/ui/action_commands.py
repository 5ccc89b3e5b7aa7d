"""Undoable changes to actions. Each command calls the actions service, never a widget.

Refused changes drop the command (see app.ui.undo_commands); a restored action keeps later edits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.services import actions
from app.services.dto import ActionData, ActionInput
from app.ui.context import ReviewContext
from app.ui.undo_commands import AddRowCommand, DeleteRowCommand, UpdateRowCommand

CHANGED = "actions"
UPDATE_COMMAND_ID = 0x4143  # "AC": lets consecutive edits of one field merge into one undo step.


def _tr(text: str) -> str:
    return QCoreApplication.translate("ActionCommands", text)


class AddActionCommand(AddRowCommand):
    """Adds an action; undo deletes it; redo restores it with the same id and position."""

    def __init__(self, ctx: ReviewContext, data: ActionInput, *, draft_key: str | None = None) -> None:
        def add(store, actor) -> ActionData:
            return actions.add_action(store, ctx.review_id, data, actor, draft_key=draft_key)

        super().__init__(
            ctx, _tr("Add action"), changed=CHANGED, add=add,
            restore=actions.restore_action, delete=actions.delete_action,
        )
        self.data = data


class UpdateActionCommand(UpdateRowCommand):
    """Changes some fields of one action; consecutive edits of the same fields merge into one step."""

    def __init__(
        self,
        ctx: ReviewContext,
        action_id: int,
        changes: Mapping[str, Any],
        before: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            ctx, _tr("Edit action"), action_id, changes, before, changed=CHANGED,
            update=actions.update_action, read=actions.get_action, merge_id=UPDATE_COMMAND_ID,
        )
        self.action_id = action_id


class DeleteActionCommand(DeleteRowCommand):
    """Deletes an action; undo restores it with the same id and place in the list."""

    def __init__(self, ctx: ReviewContext, action_id: int) -> None:
        super().__init__(
            ctx, _tr("Delete action"), action_id, changed=CHANGED,
            delete=actions.delete_action, restore=actions.restore_action,
        )
        self.action_id = action_id
