"""The main window's review bundle commands: export the open review as a bundle, import one.

Files and passphrases are asked through small seams (tests replace them). The reading,
decrypting, checking and writing run in the background (app/ui/worker.py); a refusal is shown
in a message box as the one sentence the bundle code gives, and the database is unchanged.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from app.services.errors import ReviewDayError
from app.ui.worker import run_in_background

FILTER = "ReviewDay review bundle (*.json *.rdb);;All files (*)"


def _tr(text: str) -> str:
    return QCoreApplication.translate("BundleActions", text)


class BundleFiles:
    """The ask() seams: each returns what the user chose, or None when they cancel."""

    @staticmethod
    def ask_import(parent: QWidget) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(parent, _tr("Import a review bundle"), str(Path.home()), _tr(FILTER))
        return Path(chosen) if chosen else None

    @staticmethod
    def ask_export(parent: QWidget, suggested: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(parent, _tr("Export the review bundle"),
                                                str(Path.home() / suggested), _tr(FILTER))
        return Path(chosen) if chosen else None

    @staticmethod
    def ask_passphrase(parent: QWidget, key_name: str) -> str | None:
        dialog = QInputDialog(parent)
        dialog.setWindowTitle(_tr("Encrypted review bundle"))
        dialog.setLabelText(_tr("The bundle is encrypted to your bundle key {name}. Its passphrase:").format(
            name=key_name))
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        dialog.setAccessibleName(_tr("Bundle key passphrase"))
        dialog.setAccessibleDescription(_tr("The passphrase of the bundle key this review bundle was encrypted to."))
        ok = dialog.exec() == QInputDialog.DialogCode.Accepted
        return dialog.textValue() if ok else None

    @staticmethod
    def warn(parent: QWidget, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "ReviewDay", text, QMessageBox.StandardButton.Ok, parent)
        box.setAccessibleName(_tr("Review bundle problem"))
        box.setAccessibleDescription(text)
        box.exec()


def _say(window, text: str) -> None:
    window.statusBar().showMessage(text, 10000)
    if window.workspace is not None:
        window.workspace.message_bar.show_message(text)


def _key_for(window, path: Path):
    """For an encrypted file, a KeyFinder using the passphrase asked now (on the UI thread).

    Returns (finder or None, go on?). Only the envelope's first bytes are read here.
    """
    from app.bundle import envelope
    from app.bundle.files import key_finder
    from app.bundle.keys import BundleKeyStore

    try:
        with open(path, "rb") as stream:
            head = stream.read(envelope.HEADER_BYTES)
    except OSError:
        return None, True  # the background read reports the problem in one sentence
    if not envelope.is_encrypted(head):
        return None, True
    keys = BundleKeyStore.default()
    try:
        info = keys.find(envelope.recipient_key_id(head + b"\0" * envelope.TAG_BYTES).hex())
    except ReviewDayError:
        return None, True
    if info is None:
        BundleFiles.warn(window, _tr("The bundle was encrypted for a key that is not on this computer."))
        return None, False
    passphrase = BundleFiles.ask_passphrase(window, info.name)
    if passphrase is None:
        return None, False
    return key_finder(keys, info.name, lambda _name: passphrase), True


def _read_and_import(store, path: Path, key_for, actor) -> int:
    from app.bundle import import_review
    from app.bundle.files import read_bundle

    return import_review(store, read_bundle(path, key_for), actor)


def import_bundle(window, path: Path | None = None):
    """File → Import review bundle…: returns the background task, or None when nothing was started."""
    if window.workspace is not None and not window.workspace.flush():
        return None
    path = path or BundleFiles.ask_import(window)
    if path is None:
        return None
    key_for, go_on = _key_for(window, path)
    if not go_on:
        return None
    actor = window.writer_for_new_review()
    if actor is None:
        return None
    _say(window, _tr("Importing the review bundle…"))
    task = run_in_background(window, _read_and_import, window.store, path, key_for, actor,
                             on_done=lambda review_id: _imported(window, review_id),
                             on_error=lambda message: _failed(window, message))
    window.bundle_task = task
    return task


def _imported(window, review_id: int) -> None:
    if window.open_review(review_id):
        _say(window, _tr("The review bundle was imported and is open."))


def _failed(window, message: str) -> None:
    window.statusBar().showMessage(message, 10000)
    BundleFiles.warn(window, message)


def export_bundle(window, path: Path | None = None):
    """File → Export review bundle…: the open review as a bundle file (not encrypted; the command
    line's --encrypt-to encrypts)."""
    from app.bundle.files import export_bundle as write_bundle

    ctx = window.ctx
    if ctx is None or not window.workspace.flush():
        return None
    suggested = f"review-{ctx.review.review_date.isoformat()}.json"
    path = path or BundleFiles.ask_export(window, suggested)
    if path is None:
        return None
    task = run_in_background(window, write_bundle, ctx.store, ctx.review_id, path,
                             on_done=lambda out: _say(window, _tr("Wrote the review bundle {name}.").format(
                                 name=Path(out).name)),
                             on_error=lambda message: _failed(window, message))
    window.bundle_task = task
    return task
