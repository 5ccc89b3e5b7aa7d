"""Undoable findings / good practice / concerns. Commands call the sections service, never widgets."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from app.models.enums import EntryKind, Evidence
from app.services import sections
from app.services.dto import EntryData
from app.ui.context import ReviewContext

CHANGED = "entries"



def _tr(text: str) -> str:
    return QCoreApplication.translate("EntryCommands", text)


def _kind_name(kind: EntryKind) -> str:
    return {
        EntryKind.FINDING: _tr("finding"),
        EntryKind.GOOD_PRACTICE: _tr("good practice"),
        EntryKind.CONCERN: _tr("concern"),
    }[kind]


class AddEntryCommand(QUndoCommand):
    """Add an entry. If the service refuses it, the command is dropped and `entry` stays None."""

    def __init__(
        self,
        ctx: ReviewContext,
        section_id: str,
        kind: EntryKind,
        text: str,
        *,
        evidence: Evidence = Evidence.NONE,
        evidence_detail: str = "",
        safeguarding: bool = False,
        safeguarding_lead: str = "",
    ) -> None:
        super().__init__()
        self.setText(_tr("Add {kind}").format(kind=_kind_name(kind)))
        self.ctx = ctx
        self.section_id = section_id
        self.kind = kind
        self._text = text
        self._fields = {
            "evidence": evidence,
            "evidence_detail": evidence_detail,
            "safeguarding": safeguarding,
            "safeguarding_lead": safeguarding_lead,
        }
        self.entry: EntryData | None = None

    def redo(self) -> None:
        ctx = self.ctx
        if self.entry is None:
            entry = ctx.call(
                sections.add_entry, ctx.store, ctx.review_id, self.section_id, self.kind, self._text, ctx.actor,
                **self._fields, changed=CHANGED,
            )
            if entry is None:
                self.setObsolete(True)
                return
            self.entry = entry
        else:
            ctx.call(sections.restore_entry, ctx.store, self.entry, ctx.actor, changed=CHANGED)

    def undo(self) -> None:
        if self.entry is not None:
            self.ctx.call(sections.delete_entry, self.ctx.store, self.entry.id, self.ctx.actor, changed=CHANGED)


class UpdateEntryCommand(QUndoCommand):
    """Change an entry's fields (text, evidence, safeguarding flag and lead, kind)."""

    def __init__(self, ctx: ReviewContext, entry: EntryData, **changes) -> None:
        super().__init__()
        self.setText(_tr("Edit {kind}").format(kind=_kind_name(entry.kind)))
        self.ctx = ctx
        self.before = entry
        self._changes = changes
        self.after: EntryData | None = None

    def redo(self) -> None:
        ctx = self.ctx
        result = ctx.call(sections.update_entry, ctx.store, self.before.id, ctx.actor, **self._changes, changed=CHANGED)
        if result is None and self.after is None:
            self.setObsolete(True)
            return
        self.after = result

    def undo(self) -> None:
        ctx = self.ctx
        before = self.before
        ctx.call(
            sections.update_entry, ctx.store, before.id, ctx.actor,
            **{name: getattr(before, name) for name in self._changes}, changed=CHANGED,
        )


class DeleteEntryCommand(QUndoCommand):
    """Delete an entry; undo puts it back with its id and time."""

    def __init__(self, ctx: ReviewContext, entry: EntryData) -> None:
        super().__init__()
        self.setText(_tr("Delete {kind}").format(kind=_kind_name(entry.kind)))
        self.ctx = ctx
        self.entry = entry
        self._done = False

    def redo(self) -> None:
        ctx = self.ctx
        deleted = ctx.call(sections.delete_entry, ctx.store, self.entry.id, ctx.actor, changed=CHANGED)
        if deleted is None and not self._done:
            self.setObsolete(True)
            return
        if deleted is not None:
            self.entry = deleted
        self._done = True

    def undo(self) -> None:
        self.ctx.call(sections.restore_entry, self.ctx.store, self.entry, self.ctx.actor, changed=CHANGED)
