"""The verify window: a clear verdict for signed, unsigned, tampered and missing files; trust on request."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from app.ui.verify_window import CertificateDialog, OpenPdfDialog, SignatureCard, VerifyWindow
from tests.report.test_signing import make_signers, make_source_pdf, swap_last_page_content


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("verify-window")
    signers = make_signers(folder / "identities")
    source = make_source_pdf(folder / "unsigned.pdf")
    signed = signers.sign(source, folder / "signed.pdf")
    tampered = folder / "tampered.pdf"
    tampered.write_bytes(swap_last_page_content(signed.read_bytes()))
    return {"unsigned": source, "signed": signed, "tampered": tampered, "chair_cert": signers.chair.certificate_path}


@pytest.fixture
def window(qtbot):
    widget = VerifyWindow()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def check(qtbot, window, path) -> None:
    assert window.verify_file(path)
    assert window.is_busy() and not window.choose_button.isEnabled()
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=10_000)


def cards(window) -> list[SignatureCard]:
    return window.signature_cards


def test_a_signed_report_is_intact_and_signed_and_says_who_signed(qtbot, window, files, monkeypatch):
    assert window.verdict_text() == "" and "Drop a PDF here" in window.file_label.text()
    monkeypatch.setattr(OpenPdfDialog, "ask", classmethod(lambda cls, parent, start=None: files["signed"]))
    window.choose_button.click()
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=10_000)
    assert window.verdict_text() == "✓ Intact and signed"
    assert "nothing was changed after signing" in window.verdict_detail.text()
    [card] = cards(window)
    assert card.accessibleName() == "Signature 1 · Dr Morgan Ellis, Independent chair"
    assert "✓ intact" in card.accessibleDescription() and "covers the whole file" in card.accessibleDescription()
    assert "self-signed" in card.accessibleDescription()
    assert window.trust_note.isVisible() and "validity unknown" in window.trust_note.text()
    # The full check, as the command line prints it, is one click away.
    assert not window.details.isVisible()
    window.details_button.click()
    assert window.details.isVisible() and "OK: every signature is intact" in window.details.toPlainText()

    # Trusting the chair's certificate: checked again, now trusted, no Adobe caveat.
    monkeypatch.setattr(CertificateDialog, "ask", classmethod(lambda cls, parent, start=None: files["chair_cert"]))
    window.trust_button.click()
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=10_000)
    assert window.result.trusted and not window.trust_note.isVisible()
    assert "cert.pem" in window.trusted_label.text()
    [card] = cards(window)
    assert "✓ Trusted" in card.accessibleDescription()


def test_an_unsigned_report_is_not_signed(qtbot, window, files):
    check(qtbot, window, files["unsigned"])
    assert window.verdict_text() == "✗ Not signed"
    assert cards(window) == []


def test_a_tampered_report_is_rejected_with_the_plain_reason(qtbot, window, files):
    check(qtbot, window, files["tampered"])
    assert window.verdict_text().startswith("✗ The content was changed after signing")
    assert "Do not rely on this copy" in window.verdict_detail.text()
    [card] = cards(window)
    assert "content was changed" in card.accessibleDescription()


def test_dropping_a_pdf_checks_it(qtbot, window, files):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(files["signed"]))])
    event = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert event.isAccepted() and window.is_busy()
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=10_000)
    assert window.verdict_text() == "✓ Intact and signed"
    assert window.file_label.text() == str(files["signed"])


def test_a_missing_file_and_a_bad_certificate_are_plain_messages(qtbot, window, files, tmp_path, monkeypatch):
    check(qtbot, window, tmp_path / "nowhere.pdf")
    assert window.verdict_text() == "✗ Could not check the file"
    assert window.verdict_detail.text() == f"No such file: {tmp_path / 'nowhere.pdf'}."
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate")
    monkeypatch.setattr(CertificateDialog, "ask", classmethod(lambda cls, parent, start=None: junk))
    assert window.add_trusted_certificate() is False
    assert window.verdict_detail.text() == "junk.pem is not a certificate file (PEM or DER)."
    assert window.trusted == []
