"""Undoable changes to the attendance register. Each command calls the people service, never a widget.

Refused changes drop the command (see app.ui.undo_commands); a restored attendee keeps later edits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from app.models.enums import Attendance, ConsentBasis
from app.services import people
from app.services.dto import AttendeeData, ReviewData
from app.ui.context import ReviewContext
from app.ui.undo_commands import AddRowCommand, DeleteRowCommand, UpdateRowCommand

CHANGED = "people"
ATTENDEE_FIELDS: tuple[str, ...] = ("name", "role", "organisation", "attendance")


def _tr(text: str) -> str:
    return QCoreApplication.translate("AttendeeCommands", text)


class AddAttendeeCommand(AddRowCommand):
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
        fields: dict[str, Any] = {"name": name, "role": role, "organisation": organisation, "attendance": attendance}

        def add(store, actor) -> AttendeeData:
            return people.add_attendee(store, ctx.review_id, actor, **fields)

        super().__init__(
            ctx, _tr("Add {name} to the register").format(name=" ".join(name.split())), changed=CHANGED,
            add=add, restore=people.restore_attendee, delete=people.remove_attendee,
        )
        self.fields = fields


class UpdateAttendeeCommand(UpdateRowCommand):
    """Changes some fields of one attendee; a change to what is already there leaves no undo step."""

    def __init__(
        self,
        ctx: ReviewContext,
        attendee_id: int,
        changes: Mapping[str, Any],
        before: Mapping[str, Any] | None = None,
    ) -> None:
        unknown = set(changes) - set(ATTENDEE_FIELDS)
        if unknown:
            raise ValueError(f"not attendee fields: {sorted(unknown)}")
        super().__init__(
            ctx, _tr("Edit attendee"), attendee_id, changes, before, changed=CHANGED,
            update=people.update_attendee, skip_no_change=True,
        )
        self.attendee_id = attendee_id

    def current(self) -> AttendeeData | None:
        # A read, not a change: called directly so it does not count as a save.
        found = people.list_attendees(self.ctx.store, self.ctx.review_id)
        current = next((a for a in found if a.id == self.attendee_id), None)
        if current is None:
            self.ctx.message.emit(_tr("That attendee is no longer in the register."))
        return current


class RemoveAttendeeCommand(DeleteRowCommand):
    """Removes someone from the register; undo restores them with the same id and place."""

    def __init__(self, ctx: ReviewContext, attendee_id: int, name: str = "") -> None:
        text = _tr("Remove {name} from the register").format(name=name) if name else _tr("Remove attendee")
        super().__init__(
            ctx, text, attendee_id, changed=CHANGED, delete=people.remove_attendee, restore=people.restore_attendee,
        )
        self.attendee_id = attendee_id


class RecordConsentCommand(QUndoCommand):
    """Records the consent basis as a named register member; undo puts back what was there before,
    with who recorded it and when."""

    def __init__(self, ctx: ReviewContext, basis: ConsentBasis, detail: str, attendee_id: int | None) -> None:
        super().__init__(_tr("Record the consent basis"))
        self.ctx = ctx
        self.basis, self.detail, self.attendee_id = basis, detail, attendee_id
        self.before: ReviewData | None = None
        self.result: ReviewData | None = None
        self.refused = False

    def redo(self) -> None:
        ctx = self.ctx
        if self.before is None:
            before = ctx.reload_review()
            result = ctx.call(people.record_consent, ctx.store, ctx.review_id, ctx.actor, self.basis, self.detail,
                              attendee_id=self.attendee_id, changed="consent")
            self.refused = result is None
            if result is None or (result.consent_basis, result.consent_detail) == (
                before.consent_basis, before.consent_detail
            ):
                self.setObsolete(True)  # refused, or nothing changed: no undo step
                return
            self.before, self.result = before, result
            return
        if self.result is not None:
            ctx.call(people.restore_consent, ctx.store, ctx.review_id, ctx.actor, self.result, changed="consent")

    def undo(self) -> None:
        if self.before is None:
            return
        ctx = self.ctx
        ctx.call(people.restore_consent, ctx.store, ctx.review_id, ctx.actor, self.before, changed="consent")
