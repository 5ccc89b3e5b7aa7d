"""Sign-off through the page: confirmations, the chair's signature off the UI thread, the lock,
countersigning, an amendment and a second signature; wrong passphrases change nothing."""

from __future__ import annotations

import pytest
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QPushButton

from app.models.enums import ReviewStatus

from app.report import publish
from app.report.verify import verify_pdf
from app.security.identities import IdentityStore
from app.services import notes, reviews, signoff
from app.services.demo import seed_demo
from app.services.dto import Actor
from app.ui import export_dialog
from app.ui.context import ReviewContext
from app.ui.identity_dialog import IdentityDialog
from app.ui.review_workspace import ReviewWorkspace
from app.ui.signoff_dialogs import AmendmentDialog, SavePdfDialog
from app.ui.signoff_page import SignoffPage
from app.ui.signoff_panel_model import PanelSignoffModel, panel_rows
from tests.conftest import REVIEW_DATE, confirm_as

CHAIR = Actor("Morgan Ellis", "independent_chair")
PANEL = [Actor("Dr Priya Nair", "clinical_expert"), Actor("Jamie Fox", "expert_by_experience"),
         Actor("Ruth Okafor", "mha_reviewer"), Actor("Ravi Patel", "commissioner"),
         Actor("Sam Taylor", "note_taker")]
PASS = "correct horse battery"
FAST_KDF = 20_000


@pytest.fixture
def demo_id(store):
    return seed_demo(store, review_date=REVIEW_DATE)


@pytest.fixture
def identities(tmp_path, monkeypatch):
    folder = tmp_path / "identities"
    monkeypatch.setenv("REVIEWDAY_IDENTITY_DIR", str(folder))
    ids = IdentityStore(folder, kdf_iterations=FAST_KDF)
    for member in (CHAIR, *PANEL):
        ids.create(member.name, member.role.replace("_", " ").capitalize(), PASS)
    return ids


@pytest.fixture
def ctx(store, demo_id):
    return ReviewContext(store, demo_id, actor=PANEL[0])


@pytest.fixture
def page(qtbot, ctx):
    widget = SignoffPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def messages(ctx):
    said: list[str] = []
    ctx.message.connect(said.append)
    return said


def use_identity(monkeypatch, ids, name, passphrase=PASS):
    monkeypatch.setattr(IdentityDialog, "ask", classmethod(lambda cls, parent, store, actor: (ids.get(name), passphrase)))


def write_as(page, actor):
    page.ctx.actor = actor
    page.refresh()


def status_of(page, name):
    model = page.model
    for row in range(model.rowCount()):
        if model.row_at(row).name == name:
            return model.index(row, PanelSignoffModel.STATUS).data()
    raise AssertionError(f"{name} is not in the panel table")


def confirm_by_button(qtbot, page, member, monkeypatch, ids, identity=None, passphrase=PASS):
    """`member` confirms with a signing identity (their own unless `identity` says otherwise)."""
    write_as(page, member)
    assert page.confirm_button.isVisible() and page.confirm_button.isEnabled()
    assert page.confirm_button.text() == f"Confirm the report as {member.name}"
    use_identity(monkeypatch, ids, identity or member.name, passphrase)
    page.confirm_button.click()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=10_000)


def confirm_everyone_by_button(qtbot, page, monkeypatch, ids):
    for member in PANEL:
        confirm_by_button(qtbot, page, member, monkeypatch, ids)
        assert status_of(page, member.name).startswith("✓ Confirmed at")
        assert not page.confirm_button.isEnabled()


def sign_by_button(qtbot, page, button):
    button.click()
    assert page.is_busy() and page.progress.isVisible()
    assert not button.isEnabled()  # no second signature while the first is being made
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=10_000)
    assert not page.progress.isVisible()


def test_confirm_sign_countersign_amend_and_sign_again(qtbot, page, ctx, store, demo_id, identities, tmp_path,
                                                       monkeypatch, messages):
    assert page.status_heading.text() == "Revision 1 · not signed yet"
    assert "0 of 5 panel members have confirmed" in page.status_detail.text()
    assert page.problems.isVisible() and "has not confirmed" in page.problems.text()
    assert not page.sign_button.isEnabled()

    confirm_everyone_by_button(qtbot, page, monkeypatch, identities)
    assert all(signoff.current_revision(store, demo_id).confirmed_by(m.name, m.role) for m in PANEL)

    # The chair: no confirm button, the Sign button is ready and nothing stands in the way.
    write_as(page, CHAIR)
    assert not page.confirm_button.isVisible()
    assert page.sign_button.isEnabled() and not page.problems.isVisible()
    use_identity(monkeypatch, identities, "Morgan Ellis")
    sign_by_button(qtbot, page, page.sign_button)

    assert reviews.get_review(store, demo_id).locked and ctx.review.locked
    assert "Signed by Morgan Ellis" in page.outcome.text() and page.open_button.isVisible()
    assert page.status_heading.text() == "Revision 1 · signed and locked"
    assert status_of(page, "Morgan Ellis").startswith("✓ Signed at")
    assert not page.sign_button.isVisible() and page.amend_button.isVisible()

    # Open the signed report: saved where the user says, then opened.
    opened = []
    monkeypatch.setattr(export_dialog, "open_in_system", opened.append)
    monkeypatch.setattr(SavePdfDialog, "ask", classmethod(lambda cls, parent, suggested: tmp_path / "r1.pdf"))
    page.open_button.click()
    assert opened == [tmp_path / "r1.pdf"]
    first = verify_pdf(tmp_path / "r1.pdf")
    assert first.ok and [s.signer for s in first.signatures] == ["Morgan Ellis"]

    # Another panel member countersigns; the chair cannot countersign their own signature.
    assert not page.countersign_button.isEnabled()
    write_as(page, PANEL[0])
    assert page.countersign_button.isEnabled()
    assert page.countersign_button.text() == "Countersign as Dr Priya Nair…"
    use_identity(monkeypatch, identities, "Dr Priya Nair")
    sign_by_button(qtbot, page, page.countersign_button)
    assert "Countersigned by Dr Priya Nair" in page.outcome.text()
    assert status_of(page, "Dr Priya Nair").startswith("✓ Countersigned at")
    assert not page.countersign_button.isEnabled()

    # An amendment needs a real reason; a short one is refused and nothing changes.
    monkeypatch.setattr(AmendmentDialog, "ask", classmethod(lambda cls, parent: "typo"))
    page.amend_button.click()
    assert messages[-1] == "Give the reason for the amendment in a sentence."
    assert reviews.get_review(store, demo_id).locked
    monkeypatch.setattr(AmendmentDialog, "ask",
                        classmethod(lambda cls, parent: "The SLT deadline was wrong: the ward confirmed six weeks."))
    page.amend_button.click()
    assert not reviews.get_review(store, demo_id).locked and not ctx.review.locked
    assert page.status_heading.text() == "Revision 2 · not signed yet"
    assert "six weeks" in page.status_detail.text()
    notes.add_note(store, demo_id, "safety", "Deadline corrected after the review.", CHAIR)

    confirm_everyone_by_button(qtbot, page, monkeypatch, identities)
    write_as(page, CHAIR)
    use_identity(monkeypatch, identities, "Morgan Ellis")
    sign_by_button(qtbot, page, page.sign_button)
    assert reviews.get_review(store, demo_id).locked
    assert [r.number for r in signoff.list_revisions(store, demo_id)] == [1, 2]
    assert page.status_heading.text() == "Revision 2 · signed and locked"

    # Each signed revision is kept and saved from its own row; both verify.
    assert set(page.revision_buttons) == {1, 2}
    for number in (1, 2):
        target = tmp_path / f"saved-r{number}.pdf"
        monkeypatch.setattr(SavePdfDialog, "ask", classmethod(lambda cls, parent, suggested, t=target: t))
        page.revision_buttons[number].click()
        result = verify_pdf(target)
        assert result.ok, result.reason
    assert len(verify_pdf(tmp_path / "saved-r1.pdf").signatures) == 2  # the chair and the countersignature
    assert len(verify_pdf(tmp_path / "saved-r2.pdf").signatures) == 1


def test_wrong_passphrase_says_so_and_changes_nothing(qtbot, page, store, demo_id, identities, monkeypatch):
    for member in PANEL:
        confirm_as(store, demo_id, member)
    write_as(page, CHAIR)
    use_identity(monkeypatch, identities, "Morgan Ellis", passphrase="not the passphrase")
    sign_by_button(qtbot, page, page.sign_button)
    assert page.outcome.isVisible() and page.outcome.text() == "Wrong passphrase for Morgan Ellis's signing key."
    assert not page.open_button.isVisible()
    assert not reviews.get_review(store, demo_id).locked
    assert not signoff.current_revision(store, demo_id).signed
    assert page.sign_button.isEnabled()  # free to try again


def test_only_panel_members_confirm_and_only_the_chair_signs(qtbot, page, store, demo_id, monkeypatch):
    write_as(page, Actor("Dr Helen Marsh", "responsible_clinician"))
    assert not page.confirm_button.isEnabled()
    assert "Only panel members confirm" in page.confirm_hint.text()
    write_as(page, PANEL[1])
    assert not page.sign_button.isEnabled()
    assert page.sign_button.toolTip().startswith("Only the chair signs the report")
    # Everyone sees the same list of what the chair is waiting for.
    assert "Before the chair can sign:" in page.problems.text()
    assert "Morgan Ellis" not in page.problems.text() and "Jamie Fox" in page.problems.text()
    # Cancelling the identity choice does nothing at all.
    for member in PANEL:
        confirm_as(store, demo_id, member)
    write_as(page, CHAIR)
    monkeypatch.setattr(IdentityDialog, "ask", classmethod(lambda cls, parent, ids, actor: None))
    assert page.sign() is False
    assert not page.is_busy() and not reviews.get_review(store, demo_id).locked


def test_panel_model_passes_the_model_tester(qtmodeltester, store, demo_id):
    from app.services import people

    confirm_as(store, demo_id, PANEL[0])
    model = PanelSignoffModel()
    rows = panel_rows(people.list_attendees(store, demo_id), signoff.current_revision(store, demo_id))
    # Present panel members only: the five of the demo, the chair first.
    assert [r.name for r in rows] == ["Morgan Ellis", "Dr Priya Nair", "Jamie Fox", "Ruth Okafor", "Ravi Patel",
                                          "Sam Taylor"]
    model.set_rows(rows)
    qtmodeltester.check(model)
    model.set_rows([])
    qtmodeltester.check(model)


def test_workspace_shows_sign_off_badge_and_the_lock_banner(qtbot, store, demo_id, identities):
    ctx = ReviewContext(store, demo_id)
    workspace = ReviewWorkspace(ctx)
    qtbot.addWidget(workspace)
    workspace.show()
    model = workspace.navigator_model
    item = model.item(model.row_of("signoff"))
    keys = model.keys()
    assert keys.index("signoff") == keys.index("actions") + 1 and item.badge == "0 of 5 confirmed"
    assert not workspace.lock_banner.isVisible()
    assert workspace.show_key("signoff") and isinstance(workspace.current_page(), SignoffPage)

    for member in PANEL[:2]:
        confirm_as(store, demo_id, member)
    ctx.changed.emit("signoff")
    assert model.item(model.row_of("signoff")).badge == "2 of 5 confirmed"

    for member in PANEL[2:]:
        confirm_as(store, demo_id, member)
    publish.sign_report(store, demo_id, signer=identities.load_signer("Morgan Ellis", PASS), signer_actor=CHAIR,
                        fingerprint=identities.get("Morgan Ellis").fingerprint)
    ctx.reload_review()
    ctx.changed.emit("signoff")
    assert model.item(model.row_of("signoff")).badge == "Signed, revision 1"
    assert workspace.lock_banner.isHidden()  # the sign-off page says it in its own words
    workspace.show_key("headline")
    assert workspace.lock_banner.isVisible()
    assert workspace.lock_banner.text().startswith("Signed on 20 Nov 2026 at ")
    assert workspace.lock_banner.text().endswith("by Morgan Ellis. To change anything, start an amendment.")
    workspace.lock_banner.button.click()
    assert workspace.current_key() == "signoff"


# The identity dialog ----------------------------------------------------------------------------


class MemoryKeyring:
    """A keyring that works, for the remembered-passphrase path (the test default has none)."""

    def __init__(self) -> None:
        self.secrets: dict[str, str] = {}

    def available(self) -> bool:
        return True

    def get(self, account):
        return self.secrets.get(account)

    def set(self, account, secret):
        self.secrets[account] = secret
        return True

    def delete(self, account):
        return self.secrets.pop(account, None) is not None


def test_identity_dialog_creates_an_identity_inline(qtbot, tmp_path):
    ids = IdentityStore(tmp_path / "ids", kdf_iterations=FAST_KDF)
    dialog = IdentityDialog(ids, CHAIR)
    qtbot.addWidget(dialog)
    dialog.show()
    # Nothing on this computer yet: it says so and opens the form, name and role filled in.
    assert dialog.empty.isVisible() and dialog.create_box.isVisible()
    assert dialog.new_name.text() == "Morgan Ellis" and dialog.new_role.text() == "Independent chair"
    assert not dialog.ok_button.isEnabled()

    qtbot.keyClicks(dialog.new_passphrase, PASS)
    qtbot.keyClicks(dialog.new_repeat, PASS + "x")
    assert not dialog.create_button.isEnabled()  # it cannot act yet, and says why
    assert dialog.create_hint.text() == "The two passphrases are not the same."
    dialog.create_identity()
    assert dialog.problem.text() == "The two passphrases are not the same."
    assert ids.list() == []

    dialog.new_repeat.setText(PASS)
    dialog.create_button.click()
    assert dialog.is_busy() and not dialog.create_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=10_000)
    assert [i.name for i in ids.list()] == ["Morgan Ellis"]
    assert dialog.list.count() == 1 and dialog.selected().name == "Morgan Ellis"
    assert "fingerprint" in dialog.problem.text()
    assert dialog.ok_button.isEnabled()
    info, passphrase = dialog.result_value()
    assert info.name == "Morgan Ellis" and passphrase == PASS
    ids.load_signer("Morgan Ellis", passphrase)  # the passphrase really unlocks it


def test_identity_dialog_remembered_passphrase_may_be_left_empty(qtbot, tmp_path):
    ids = IdentityStore(tmp_path / "ids", kdf_iterations=FAST_KDF, keyring=MemoryKeyring())
    ids.create("Dr Priya Nair", "Clinical expert", PASS)
    ids.create("Morgan Ellis", "Independent chair", PASS, remember=True)
    dialog = IdentityDialog(ids, CHAIR)
    qtbot.addWidget(dialog)
    assert dialog.selected().name == "Morgan Ellis"  # the writer's own identity is chosen for them
    assert not dialog.mismatch.isVisible() and dialog.ok_button.isEnabled()
    assert "Remembered in the keyring" in dialog.passphrase.placeholderText()
    assert dialog.result_value() == (ids.get("Morgan Ellis"), None)
    # Someone else's identity: allowed, but it says whose it is; their passphrase is not remembered.
    dialog.list.setCurrentRow(0)
    assert dialog.selected().name == "Dr Priya Nair"
    assert not dialog.mismatch.isHidden() and "Dr Priya Nair's" in dialog.mismatch.text()
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.passphrase, PASS)
    assert dialog.ok_button.isEnabled()
    assert isinstance(dialog.findChild(QPushButton, "identityCreateToggle"), QPushButton)


# Confirmations proven by each person's own signing identity ------------------------------------


def test_a_confirmation_needs_the_persons_own_identity_and_passphrase(qtbot, page, store, demo_id, identities,
                                                                      monkeypatch):
    jamie = PANEL[1]
    # Someone else's identity (the writer switched to Jamie, but Priya's identity is used): refused.
    confirm_by_button(qtbot, page, jamie, monkeypatch, identities, identity="Dr Priya Nair")
    assert "That signing identity is Dr Priya Nair's" in page.outcome.text()
    assert not signoff.current_revision(store, demo_id).confirmed_by(jamie.name, jamie.role)
    # Jamie's own identity with a wrong passphrase: refused, nothing recorded.
    confirm_by_button(qtbot, page, jamie, monkeypatch, identities, passphrase="not the passphrase")
    assert page.outcome.text() == "Wrong passphrase for Jamie Fox's signing key."
    assert not signoff.current_revision(store, demo_id).confirmed_by(jamie.name, jamie.role)
    # Jamie's own identity and passphrase: recorded with the identity's fingerprint.
    confirm_by_button(qtbot, page, jamie, monkeypatch, identities)
    confirmation = next(s for s in signoff.current_revision(store, demo_id).signoffs if s.kind == "confirm")
    assert (confirmation.name, confirmation.certificate_fingerprint) == (
        "Jamie Fox", identities.get("Jamie Fox").fingerprint)
    assert status_of(page, "Jamie Fox").startswith("✓ Confirmed at")


def test_the_service_refuses_a_confirmation_with_someone_elses_identity(store, demo_id, identities):
    from app.services.errors import ValidationError

    with pytest.raises(ValidationError, match="Dr Priya Nair's"):
        signoff.confirm(store, demo_id, PANEL[1], identity_name="Dr Priya Nair",
                        fingerprint=identities.get("Dr Priya Nair").fingerprint)
    with pytest.raises(ValidationError, match="signing identity"):
        signoff.confirm(store, demo_id, PANEL[1], identity_name="Jamie Fox", fingerprint="")
    with pytest.raises(Exception, match="Wrong passphrase"):
        publish.confirm_report(store, demo_id, PANEL[1], identities, "Jamie Fox", "nope")
    assert not signoff.current_revision(store, demo_id).signoffs


# Sections with nothing written ------------------------------------------------------------------

EMPTIED = ("physical_health", "future_plans", "hospital_or_community", "lts", "findings")


def empty_some_sections(store, demo_id):
    from app.services import sections

    for section_id in EMPTIED:
        for note in notes.list_notes(store, demo_id, section_id):
            notes.delete_note(store, note.id, CHAIR)
        for entry in sections.list_entries(store, demo_id, section_id):
            sections.delete_entry(store, entry.id, CHAIR)
    return [title for _id, title in signoff.empty_sections(store, demo_id)]


def test_signing_with_empty_sections_needs_the_chairs_recorded_acceptance(qtbot, page, ctx, store, demo_id,
                                                                         identities, monkeypatch):
    from app.services import audit
    from app.ui.signoff_dialogs import EmptySectionsDialog

    titles = empty_some_sections(store, demo_id)
    assert len(titles) == 5
    for member in PANEL:
        confirm_as(store, demo_id, member)
    write_as(page, CHAIR)
    assert page.empty_warning.isVisible()
    assert all(title in page.empty_warning.text() for title in titles)
    asked: list[list[str]] = []

    def answer(accept):
        def ask(cls, parent, names):
            asked.append(names)
            return accept
        monkeypatch.setattr(EmptySectionsDialog, "ask", classmethod(ask))

    use_identity(monkeypatch, identities, "Morgan Ellis")
    answer(False)
    assert page.sign() is False
    assert asked == [titles] and not page.is_busy()
    assert not reviews.get_review(store, demo_id).locked

    answer(True)
    sign_by_button(qtbot, page, page.sign_button)
    assert reviews.get_review(store, demo_id).locked
    events = [e for e in audit.list_events(store, demo_id) if e.action == "accept empty sections"]
    assert len(events) == 1 and events[0].actor_name == "Morgan Ellis"
    assert set(events[0].fields) == set(EMPTIED)


def test_the_empty_sections_dialog_names_them_and_enter_does_not_accept(qtbot):
    from app.ui.signoff_dialogs import EmptySectionsDialog

    dialog = EmptySectionsDialog(["Physical health", "Future plans"])
    qtbot.addWidget(dialog)
    assert dialog.findChild(QPushButton, "emptySectionsAccept") is dialog.accept_button
    assert "Physical health, Future plans" in dialog.findChild(QLabel, "emptySectionsText").text()
    assert not dialog.accept_button.isDefault()


def test_publish_refuses_empty_sections_unless_accepted(store, demo_id, identities):
    from app.services.errors import ValidationError

    empty_some_sections(store, demo_id)
    for member in PANEL:
        confirm_as(store, demo_id, member)
    info = identities.get("Morgan Ellis")
    with pytest.raises(ValidationError, match="5 sections have nothing written: Physical health"):
        publish.sign_report(store, demo_id, signer=identities.load_signer(info.name, PASS), signer_actor=CHAIR,
                            fingerprint=info.fingerprint)
    assert not reviews.get_review(store, demo_id).locked
    publish.sign_report(store, demo_id, signer=identities.load_signer(info.name, PASS), signer_actor=CHAIR,
                        fingerprint=info.fingerprint, accept_empty_sections=True)
    assert reviews.get_review(store, demo_id).locked


def test_cli_sign_needs_a_flag_to_sign_with_empty_sections(store, demo_id, identities, db_path, tmp_path,
                                                           monkeypatch, capsys):
    from app.cli import main

    empty_some_sections(store, demo_id)
    for member in PANEL:
        confirm_as(store, demo_id, member)
    monkeypatch.setenv("P", PASS)
    out = tmp_path / "signed.pdf"
    args = ["export", str(demo_id), "--db", str(db_path), "--format", "pdf", "--out", str(out),
            "--sign", "--identity", "Morgan Ellis", "--passphrase-env", "P"]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Physical health" in err and "--sign-empty-sections" in err
    assert not out.exists() and not reviews.get_review(store, demo_id).locked
    assert main([*args, "--sign-empty-sections"]) == 0, capsys.readouterr().err
    assert verify_pdf(out).ok and reviews.get_review(store, demo_id).locked


# Reading the report before confirming ------------------------------------------------------------


class UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:  # noqa: A003 - the name QDesktopServices calls
        self.urls.append(url)


def test_open_report_renders_a_private_preview_and_opens_it(qtbot, page, tmp_path, monkeypatch):
    import stat

    from app.ui import report_preview

    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    try:
        assert page.preview_button.isVisible() and page.preview_button.isEnabled()
        page.preview_button.click()
        qtbot.waitUntil(lambda: bool(catcher.urls), timeout=10_000)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    path = Path(catcher.urls[0].toLocalFile())
    assert path == page.last_preview and path.parent.parent == runtime
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert path.read_bytes().startswith(b"%PDF")
    assert not signoff.current_revision(page.ctx.store, page.ctx.review_id).signed  # nothing signed or stored
    report_preview.clean_up()
    assert not path.parent.exists()


# After signing ---------------------------------------------------------------------------------


def test_after_signing_the_status_says_complete_and_the_timer_stops(qtbot, store, demo_id, identities):
    ctx = ReviewContext(store, demo_id, actor=CHAIR)
    workspace = ReviewWorkspace(ctx)
    qtbot.addWidget(workspace)
    workspace.show()
    workspace.show_section("safety")
    workspace.timer.start()
    assert workspace.timer.running
    for member in PANEL:
        confirm_as(store, demo_id, member)
    workspace.show_key("signoff")
    publish.sign_report(store, demo_id, signer=identities.load_signer("Morgan Ellis", PASS), signer_actor=CHAIR,
                        fingerprint=identities.get("Morgan Ellis").fingerprint)
    ctx.reload_review()
    ctx.changed.emit("signoff")
    assert not workspace.timer.running
    assert reviews.get_review(store, demo_id).status is ReviewStatus.COMPLETE
    said: list[str] = []
    ctx.message.connect(said.append)
    workspace.timer.start()  # Ctrl+T on a signed review
    assert not workspace.timer.running and said == ["The review is signed, so the timer no longer runs."]
    signoff.amend(store, demo_id, CHAIR, "The SLT deadline was wrong: the ward confirmed six weeks.")
    assert reviews.get_review(store, demo_id).status is ReviewStatus.IN_PROGRESS


def test_the_chair_cannot_sign_with_someone_elses_identity(qtbot, page, store, demo_id, identities, monkeypatch):
    for member in PANEL:
        confirm_as(store, demo_id, member)
    write_as(page, CHAIR)
    use_identity(monkeypatch, identities, "Dr Priya Nair")
    sign_by_button(qtbot, page, page.sign_button)
    assert page.outcome.text() == "That signing identity is Dr Priya Nair's; Morgan Ellis signs with their own signing identity."
    assert not reviews.get_review(store, demo_id).locked
def test_an_identity_made_with_the_old_short_passphrase_still_signs_from_the_dialog(qtbot, tmp_path):
    import shutil
    from pathlib import Path

    old = Path(__file__).resolve().parents[1] / "fixtures" / "identities_short_passphrase"
    shutil.copytree(old, tmp_path / "ids", ignore=shutil.ignore_patterns("README.md"))
    ids = IdentityStore(tmp_path / "ids")
    dialog = IdentityDialog(ids, CHAIR)
    qtbot.addWidget(dialog)
    assert dialog.selected().name == "Morgan Ellis"
    qtbot.keyClicks(dialog.passphrase, "oldpass8")  # 8 characters: the old minimum
    assert dialog.ok_button.isEnabled()
    info, passphrase = dialog.result_value()
    assert ids.load_signer(info.name, passphrase) is not None

    # A new identity needs the one rule's 10 characters.
    dialog.show_create()
    dialog.new_passphrase.setText("ninechars")
    dialog.new_repeat.setText("ninechars")
    assert not dialog.create_button.isEnabled()
    assert dialog.create_hint.text() == "Choose a passphrase of at least 10 characters."
    dialog.create_identity()  # Enter in the form: refused with the same sentence
    assert dialog.problem.text() == "Choose a passphrase of at least 10 characters."
    assert [i.name for i in ids.list()] == ["Morgan Ellis", "Sam Taylor"]
