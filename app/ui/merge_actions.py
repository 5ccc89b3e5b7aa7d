"""The main window's contribution commands: merge one in, undo the last merge, export my own.

Each asks what it needs through a small ask() seam (tests replace them), saves pending edits
first, and reports in the review's message bar. After a merge or its undo the review is opened
afresh, so every page shows the merged content and the undo history starts clean.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.bundle.contribution import load_contribution, make_contribution, write_contribution
from app.bundle.merge_store import MergeData, last_merge, plan_contribution, undo_merge
from app.kloe.roles import role_label
from app.services.errors import ReviewDayError
from app.ui.worker import run_in_background


def _tr(text: str) -> str:
    return QCoreApplication.translate("MergeActions", text)


class ContributionFiles:
    """The ask() seams for files: each returns a Path, or None when the user cancels."""

    @staticmethod
    def ask_contribution(parent: QWidget) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(parent, _tr("Choose a panel member's contribution"), str(Path.home()),
                                                _tr("ReviewDay contribution (*.json)"))
        return Path(chosen) if chosen else None

    @staticmethod
    def ask_base(parent: QWidget) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(
            parent, _tr("Choose the review file the chair gave you (this review was imported from it)"),
            str(Path.home()), _tr("ReviewDay review bundle (*.json)"))
        return Path(chosen) if chosen else None

    @staticmethod
    def ask_out(parent: QWidget) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(parent, _tr("Save my contribution"),
                                                str(Path.home() / "contribution.json"),
                                                _tr("ReviewDay contribution (*.json)"))
        return Path(chosen) if chosen else None


class UndoMergeConfirmation:
    @staticmethod
    def ask(parent: QWidget, merge: MergeData) -> bool:
        answer = QMessageBox.question(
            parent, "ReviewDay",
            _tr("Undo the merge of {who}'s contribution, made at {time}? The review goes back to exactly how it "
                "was just before that merge.").format(who=merge.contributor_name or _tr("a panel member"),
                                                      time=merge.at.strftime("%H:%M")),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes


def _say(window, text: str) -> None:
    window.statusBar().showMessage(text, 10000)
    if window.workspace is not None:
        window.workspace.message_bar.show_message(text)


def _read(path: Path) -> bytes:
    from app.bundle.files import read_file

    return read_file(path)


def merge_contribution(window, path: Path | None = None):
    """Review → Merge a panel member's contribution…: pick the file, then show the merge dialog."""
    from app.ui.merge_dialog import MergeDialog

    ctx = window.ctx
    if ctx is None or not window.workspace.flush():
        return None
    if ctx.reload_review().locked:
        _say(window, _tr("The review is signed and locked, so a contribution cannot be merged into it."))
        return None
    path = path or ContributionFiles.ask_contribution(window)
    if path is None:
        return None
    try:
        plan = plan_contribution(ctx.store, ctx.review_id, load_contribution(_read(path)))
    except ReviewDayError as exc:
        _say(window, str(exc))
        return None
    dialog = MergeDialog(ctx.store, ctx.review_id, plan, ctx.actor, window)
    dialog.merged.connect(lambda result, d=dialog: _merged(window, d, result))
    window.merge_dialog = dialog
    dialog.show()
    return dialog


def _merged(window, dialog, result) -> None:
    review_id = dialog.review_id
    window.merge_dialog = None
    dialog.deleteLater()
    if window.ctx is not None and window.ctx.review_id == review_id:
        window.open_review(review_id, writer=window.ctx.actor)  # the merged rows replace what the open pages hold: build them afresh
    _say(window, result.text if result.merge_id is not None else _tr("Nothing was merged: nothing was new."))


def undo_last_merge(window) -> bool:
    """Review → Undo last merge: its own confirmed action, not a step on the undo stack."""
    ctx = window.ctx
    if ctx is None or not window.workspace.flush():
        return False
    merge = last_merge(ctx.store, ctx.review_id)
    if merge is None:
        _say(window, _tr("There is no merge to undo in this review."))
        return False
    if not UndoMergeConfirmation.ask(window, merge):
        return False
    try:
        undo_merge(ctx.store, merge.id, ctx.actor)
    except ReviewDayError as exc:
        _say(window, str(exc))
        return False
    window.open_review(ctx.review_id, writer=ctx.actor)
    _say(window, _tr("The merge of {who}'s contribution was undone: the review is as it was before it.").format(
        who=merge.contributor_name or _tr("a panel member")))
    return True


def export_contribution(window):
    """File → Export my contribution…: my copy of the review with the file it started from."""
    ctx = window.ctx
    if ctx is None or not window.workspace.flush():
        return None
    base_path = ContributionFiles.ask_base(window)
    if base_path is None:
        return None
    out = ContributionFiles.ask_out(window)
    if out is None:
        return None

    def work():
        from app.bundle.files import read_bundle

        base = read_bundle(base_path)
        return write_contribution(out, make_contribution(ctx.store, ctx.review_id, base, ctx.actor))

    actor = ctx.actor
    _say(window, _tr("Writing your contribution…"))
    return run_in_background(
        window, work,
        on_done=lambda path: _say(window, _tr("Your contribution, as {who} ({role}), is in {path}: give it to the "
                                              "chair to merge.").format(who=actor.name, role=role_label(actor.role),
                                                                        path=path)),
        on_error=lambda message: _say(window, message),
    )
