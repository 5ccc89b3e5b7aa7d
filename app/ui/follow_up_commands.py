"""Undoable follow-up changes: an outcome for a carried action, carrying one forward, and the
previous review's recommendations typed in from its paper report."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.models.enums import CarriedOutcome
from app.services import actions, follow_up
from app.ui.context import ReviewContext
from app.ui.undo_commands import AddRowCommand, DeleteRowCommand, UpdateRowCommand

CHANGED = "carried"


def _tr(text: str) -> str:
    return QCoreApplication.translate("FollowUpCommands", text)


def _set_outcome(store, carried_id, actor, *, outcome, reason):
    return follow_up.set_carried_outcome(store, carried_id, outcome, reason, actor)


class SetCarriedOutcomeCommand(UpdateRowCommand):
    """Records what became of a previous review's action; undo puts back the outcome and reason before."""

    def __init__(self, ctx: ReviewContext, carried_id: int, outcome: CarriedOutcome, reason: str) -> None:
        super().__init__(
            ctx, _tr("Record outcome"), carried_id, {"outcome": outcome, "reason": reason}, changed=CHANGED,
            update=_set_outcome, read=follow_up.get_carried, skip_no_change=True,
        )


class CarryForwardCommand(AddRowCommand):
    """Re-makes a previous review's action as a new action here; undo deletes it, redo brings it back."""

    def __init__(self, ctx: ReviewContext, carried_id: int) -> None:
        def add(store, actor):
            return follow_up.carry_forward(store, carried_id, actor)

        def restore(store, row, actor):
            return follow_up.carry_forward(store, carried_id, actor, restore=row)

        super().__init__(ctx, _tr("Carry forward as a new action"), changed="actions", add=add, restore=restore,
                         delete=actions.delete_action)


class AddTypedInCommand(AddRowCommand):
    """Adds a recommendation typed in from the previous review's paper report; undo removes it."""

    def __init__(self, ctx: ReviewContext, what: str, **details) -> None:
        def add(store, actor):
            return follow_up.add_typed_in(store, ctx.review_id, what, actor, **details)

        super().__init__(ctx, _tr("Type in a previous recommendation"), changed=CHANGED, add=add,
                         restore=follow_up.restore_typed_in, delete=follow_up.remove_typed_in)


class RemoveTypedInCommand(DeleteRowCommand):
    """Removes a typed-in recommendation; undo puts it back with its outcome."""

    def __init__(self, ctx: ReviewContext, carried_id: int) -> None:
        super().__init__(ctx, _tr("Remove a typed-in recommendation"), carried_id, changed=CHANGED,
                         delete=follow_up.remove_typed_in, restore=follow_up.restore_typed_in)


class UpdateTypedInCommand(UpdateRowCommand):
    """Corrects a typed-in recommendation; undo puts back what it said before."""

    def __init__(self, ctx: ReviewContext, carried_id: int, changes: dict) -> None:
        super().__init__(ctx, _tr("Correct a typed-in recommendation"), carried_id, changes, changed=CHANGED,
                         update=follow_up.update_typed_in, read=follow_up.get_carried, skip_no_change=True)
