"""Undoable changes to the attendance register. Each command calls the people service, never a widget.

The first redo() runs when the command is pushed. A command whose service call is refused
(the user sees the service's message through ctx.call) marks itself obsolete, so QUndoStack
drops it instead of keeping an undo step for a change that never happened.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from app.models.enums import Attendance
from app.services import people
from app.services.dto import AttendeeData
from app.ui.context import ReviewContext

CHANGED = "people"
ATTENDEE_FIELDS: tuple[str, ...] = ("name", "role", "organisation", "attendance")


def _tr(text: str) -> str:
    return QCoreApplication.translate("AttendeeCommands", text)


class AddAttendeeCommand(QUndoCommand):
    """Adds someone to the register; undo removes them; redo brings them back with the same id and place."""

    def __init__(
        self,
        ctx: ReviewContext,
        *,
        name: str,
        role: str,
        organisation: str = "",
        attendance: Attendance = Attendance.IN_PERSON,
    ) -> None:
        super().__init__(_tr("Add {name} to the register").format(name=" ".join(name.split())))
        self.ctx = ctx
        self.fields: dict[str, Any] = {
            "name": name,
            "role": role,
            "organisation": organisation,
            "attendance": attendance,
        }
        self.result: AttendeeData | None = None

    def redo(self) -> None:
        ctx = self.ctx
        if self.result is None:
            result = ctx.call(people.add_attendee, ctx.store, ctx.review_id, ctx.actor, changed=CHANGED, **self.fields)
        else:
            result = ctx.call(people.restore_attendee, ctx.store, self.result, ctx.actor, changed=CHANGED)
        if result is None:
            self.setObsolete(True)
        else:
            self.result = result

    def undo(self) -> None:
        if self.result is None:
            return
        ctx = self.ctx
        removed = ctx.call(people.remove_attendee, ctx.store, self.result.id, ctx.actor, changed=CHANGED)
        if removed is None:
            self.setObsolete(True)
        else:
            # Keep later edits (made, then undone, in between) when the attendee comes back.
            self.result = removed


class UpdateAttendeeCommand(QUndoCommand):
    """Changes some fields of one attendee; keeps the values before and after for undo/redo."""

    def __init__(
        self,
        ctx: ReviewContext,
        attendee_id: int,
        changes: Mapping[str, Any],
        before: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(_tr("Edit attendee"))
        unknown = set(changes) - set(ATTENDEE_FIELDS)
        if unknown:
            raise ValueError(f"not attendee fields: {sorted(unknown)}")
        self.ctx = ctx
        self.attendee_id = attendee_id
        self.after: dict[str, Any] = dict(changes)
        self.before: dict[str, Any] | None = dict(before) if before is not None else None
        self.result: AttendeeData | None = None

    def _current(self) -> AttendeeData | None:
        # A read, not a change: called directly so it does not count as a save.
        found = people.list_attendees(self.ctx.store, self.ctx.review_id)
        return next((a for a in found if a.id == self.attendee_id), None)

    def redo(self) -> None:
        ctx = self.ctx
        if self.before is None:
            current = self._current()
            if current is None:
                ctx.message.emit(_tr("That attendee is no longer in the register."))
                self.setObsolete(True)
                return
            self.before = {name: getattr(current, name) for name in self.after}
            if self.before == self.after:
                # Nothing would change: no undo step.
                self.setObsolete(True)
                return
        result = ctx.call(people.update_attendee, ctx.store, self.attendee_id, ctx.actor, changed=CHANGED, **self.after)
        if result is None:
            self.setObsolete(True)
        else:
            self.result = result

    def undo(self) -> None:
        if self.before is None:
            return
        ctx = self.ctx
        result = ctx.call(people.update_attendee, ctx.store, self.attendee_id, ctx.actor, changed=CHANGED, **self.before)
        if result is None:
            self.setObsolete(True)


class RemoveAttendeeCommand(QUndoCommand):
    """Removes someone from the register; undo restores them with the same id and place."""

    def __init__(self, ctx: ReviewContext, attendee_id: int, name: str = "") -> None:
        text = _tr("Remove {name} from the register").format(name=name) if name else _tr("Remove attendee")
        super().__init__(text)
        self.ctx = ctx
        self.attendee_id = attendee_id
        self.removed: AttendeeData | None = None

    def redo(self) -> None:
        ctx = self.ctx
        removed = ctx.call(people.remove_attendee, ctx.store, self.attendee_id, ctx.actor, changed=CHANGED)
        if removed is None:
            self.setObsolete(True)
        else:
            self.removed = removed

    def undo(self) -> None:
        if self.removed is None:
            return
        ctx = self.ctx
        if ctx.call(people.restore_attendee, ctx.store, self.removed, ctx.actor, changed=CHANGED) is None:
            self.setObsolete(True)
