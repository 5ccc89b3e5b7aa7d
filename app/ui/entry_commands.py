"""Undoable findings / good practice / concerns. Commands call the sections service, never widgets."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.models.enums import EntryKind, Evidence
from app.services import sections
from app.services.dto import EntryData
from app.ui.context import ReviewContext
from app.ui.undo_commands import AddRowCommand, DeleteRowCommand, UpdateRowCommand

CHANGED = "entries"


def _tr(text: str) -> str:
    return QCoreApplication.translate("EntryCommands", text)


def _kind_name(kind: EntryKind) -> str:
    return {
        EntryKind.FINDING: _tr("finding"),
        EntryKind.GOOD_PRACTICE: _tr("good practice"),
        EntryKind.CONCERN: _tr("concern"),
    }[kind]


class AddEntryCommand(AddRowCommand):
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
        draft_key: str | None = None,
    ) -> None:
        def add(store, actor) -> EntryData:
            return sections.add_entry(
                store, ctx.review_id, section_id, kind, text, actor, evidence=evidence,
                evidence_detail=evidence_detail, safeguarding=safeguarding, safeguarding_lead=safeguarding_lead,
                draft_key=draft_key,
            )

        super().__init__(
            ctx, _tr("Add {kind}").format(kind=_kind_name(kind)), changed=CHANGED, add=add,
            restore=sections.restore_entry, delete=sections.delete_entry, strict=False,
        )
        self.section_id = section_id
        self.kind = kind

    @property
    def entry(self) -> EntryData | None:
        return self.result


class UpdateEntryCommand(UpdateRowCommand):
    """Change an entry's fields (text, evidence, safeguarding flag and lead, kind)."""

    def __init__(self, ctx: ReviewContext, entry: EntryData, **changes) -> None:
        super().__init__(
            ctx, _tr("Edit {kind}").format(kind=_kind_name(entry.kind)), entry.id,
            changes, {name: getattr(entry, name) for name in changes},
            changed=CHANGED, update=sections.update_entry, strict=False,
        )


class DeleteEntryCommand(DeleteRowCommand):
    """Delete an entry; undo puts it back with its id and time."""

    def __init__(self, ctx: ReviewContext, entry: EntryData) -> None:
        super().__init__(
            ctx, _tr("Delete {kind}").format(kind=_kind_name(entry.kind)), entry.id, changed=CHANGED,
            delete=sections.delete_entry, restore=sections.restore_entry, row=entry, strict=False,
        )

    @property
    def entry(self) -> EntryData:
        return self.removed
