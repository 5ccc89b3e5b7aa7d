"""Undo steps for the planning record and the after-the-day records (copies sent, corrections).

Every command calls app/services/planning.py or app/services/after_day.py through ctx.call, like
app/ui/undo_commands.py; a refused first call leaves no undo step.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from app.models.enums import CirculationStage, CorrectionDecision, DeliveryMethod, DocumentStatus
from app.services import after_day, planning
from app.ui.context import ReviewContext
from app.ui.undo_commands import AddRowCommand, DeleteRowCommand, UpdateRowCommand

PLANNING = "planning"
AFTER_DAY = "after_day"
# Typing in one planning field merges into one undo step.
PLANNING_MERGE_ID = 0x504C414E


def _tr(text: str) -> str:
    return QCoreApplication.translate("PlanningCommands", text)


class PlanningFieldsCommand(UpdateRowCommand):
    """Changes some planning fields; undo puts back what was there."""

    def __init__(self, ctx: ReviewContext, changes: Mapping[str, Any]) -> None:
        super().__init__(
            ctx, _tr("Change the planning record"), ctx.review_id, changes, changed=PLANNING,
            update=planning.record_planning, read=lambda store, review_id: planning.get_planning(store, review_id).fields,
            merge_id=PLANNING_MERGE_ID, skip_no_change=True,
        )


class DocumentStatusCommand(QUndoCommand):
    """Where one checklist document stands; undo puts back where it stood."""

    def __init__(self, ctx: ReviewContext, document_id: str, title: str, status: DocumentStatus) -> None:
        super().__init__(_tr("Mark {document}").format(document=title))
        self.ctx, self.document_id, self.status = ctx, document_id, DocumentStatus(status)
        self.before: DocumentStatus | None = None

    def _set(self, status: DocumentStatus) -> DocumentStatus | None:
        ctx = self.ctx
        return ctx.call(planning.set_document_status, ctx.store, ctx.review_id, ctx.actor, self.document_id, status,
                        ctx.registry, changed=PLANNING)

    def redo(self) -> None:
        before = self._set(self.status)
        if before is None or (self.before is None and before is self.status):
            self.setObsolete(True)
            return
        if self.before is None:
            self.before = before

    def undo(self) -> None:
        if self.before is not None and self._set(self.before) is None:
            self.setObsolete(True)


class AddCopyCommand(AddRowCommand):
    def __init__(self, ctx: ReviewContext, *, stage: CirculationStage, recipient: str, organisation: str,
                 method: DeliveryMethod, sent_on: date | None) -> None:
        text = (_tr("Record the draft sent to {who}") if stage is CirculationStage.DRAFT
                else _tr("Record the report sent to {who}")).format(who=recipient.strip())
        super().__init__(
            ctx, text, changed=AFTER_DAY,
            add=lambda store, actor: after_day.add_copy(store, ctx.review_id, actor, stage=stage, recipient=recipient,
                                                        organisation=organisation, method=method, sent_on=sent_on),
            restore=after_day.restore_copy, delete=after_day.delete_copy,
        )


class RemoveCopyCommand(DeleteRowCommand):
    def __init__(self, ctx: ReviewContext, copy_id: int, recipient: str) -> None:
        super().__init__(ctx, _tr("Remove the copy sent to {who}").format(who=recipient), copy_id, changed=AFTER_DAY,
                         delete=after_day.delete_copy, restore=after_day.restore_copy)


class AddCorrectionCommand(AddRowCommand):
    def __init__(self, ctx: ReviewContext, *, requested_by: str, requested_on: date | None, what: str,
                 decision: CorrectionDecision, reason: str) -> None:
        super().__init__(
            ctx, _tr("Record a correction asked for by {who}").format(who=requested_by.strip()), changed=AFTER_DAY,
            add=lambda store, actor: after_day.add_correction(
                store, ctx.review_id, actor, requested_by=requested_by, requested_on=requested_on, what=what,
                decision=decision, reason=reason),
            restore=after_day.restore_correction, delete=after_day.delete_correction,
        )


class UpdateCorrectionCommand(UpdateRowCommand):
    def __init__(self, ctx: ReviewContext, correction_id: int, changes: Mapping[str, Any],
                 before: Mapping[str, Any]) -> None:
        super().__init__(ctx, _tr("Change a correction"), correction_id, changes, before, changed=AFTER_DAY,
                         update=after_day.update_correction)


class RemoveCorrectionCommand(DeleteRowCommand):
    def __init__(self, ctx: ReviewContext, correction_id: int) -> None:
        super().__init__(ctx, _tr("Remove a correction"), correction_id, changed=AFTER_DAY,
                         delete=after_day.delete_correction, restore=after_day.restore_correction)
