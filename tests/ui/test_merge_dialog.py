"""Review → Merge a panel member's contribution…, Undo last merge and File → Export my contribution…"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QPushButton, QWidget

from app.bundle import dump_review
from app.bundle.contribution import load_contribution, write_contribution
from app.bundle.files import export_bundle
from app.bundle.merge import OURS, THEIRS
from app.bundle.merge_store import last_merge, plan_contribution
from app.models import Action
from app.services import actions, notes, reviews
from app.services.store import Store
from app.ui import merge_actions
from app.ui.main_window import MainWindow
from app.ui.merge_actions import ContributionFiles, UndoMergeConfirmation
from app.ui.merge_dialog import CHOICE_COLUMN, ConflictTableModel, MergeDialog
from tests.bundle.merge_support import CHAIR, MEMBER, SECTION, content, hand_over, lock, row_id, seeded_review
from tests.conftest import REVIEW_DATE


@pytest.fixture
def handover(store, tmp_path, clock):
    member = Store.open(tmp_path / "member.sqlite3", clock=clock)
    yield hand_over(store, member, seeded_review(store, REVIEW_DATE))
    member.close()


@pytest.fixture
def window(qtbot, store):
    main = MainWindow(store, today=REVIEW_DATE)
    qtbot.addWidget(main)
    main.show()
    return main


def _conflicting(h, tmp_path):
    """Both sides change the action's owner and the ward; the member also adds a note."""
    uid = h.base["actions"][0]["uid"]
    actions.update_action(h.chair, row_id(h.chair, Action, uid), CHAIR, owner_name="Dr Ours")
    actions.update_action(h.member, row_id(h.member, Action, uid), MEMBER, owner_name="Dr Theirs")
    reviews.update_setup(h.chair, h.review_id, CHAIR, ward="Ash")
    reviews.update_setup(h.member, h.member_review_id, MEMBER, ward="Birch")
    notes.add_note(h.member, h.member_review_id, SECTION, "Member's note.", MEMBER)
    return write_contribution(tmp_path / "contribution.json", h.contribution())


def _menu(window, name):
    from PySide6.QtGui import QAction

    return window.findChild(QAction, name)


def _open_dialog(qtbot, window, h, path, monkeypatch) -> MergeDialog:
    monkeypatch.setattr(ContributionFiles, "ask_contribution", staticmethod(lambda parent: path))
    assert window.open_review(h.review_id)
    _menu(window, "merge_contribution").trigger()
    dialog = window.merge_dialog
    assert isinstance(dialog, MergeDialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_the_conflict_model_passes_the_model_tester(qtmodeltester, handover, tmp_path):
    path = _conflicting(handover, tmp_path)
    plan = plan_contribution(handover.chair, handover.review_id, load_contribution(path.read_bytes()))
    model = ConflictTableModel(plan)
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.setData(model.index(0, CHOICE_COLUMN), THEIRS)
    assert not model.setData(model.index(0, 1), THEIRS) and not model.setData(model.index(0, CHOICE_COLUMN), "x")
    qtmodeltester.check(model)


def test_the_chair_takes_theirs_for_one_conflict_and_keeps_ours_for_another(qtbot, window, handover, tmp_path,
                                                                           monkeypatch):
    h = handover
    dialog = _open_dialog(qtbot, window, h, _conflicting(h, tmp_path), monkeypatch)
    old_workspace = window.workspace
    assert "1 note" in dialog.summary.text() and "2 difference(s)" in dialog.summary.text()
    model = dialog.model
    rows = {model.row_at(r).field: r for r in range(model.rowCount())}
    owner, ward = rows["owner_name"], rows["ward"]
    assert [model.index(owner, c).data() for c in (1, 2, 3)] == ["Dr Ward", "Dr Ours", "Dr Theirs"]
    assert model.index(owner, 0).data().startswith("Action “Review the risk plan”: owner")

    # Keyboard only: move to a row, Alt+T takes theirs; the other row: F2 opens the choice, then Alt+O.
    dialog.table.setFocus()
    dialog.table.setCurrentIndex(model.index(owner, 0))
    dialog.table.selectRow(owner)
    qtbot.keyClick(dialog.table, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: model.choice_at(owner) == THEIRS)  # a button's shortcut clicks it (animated)
    dialog.table.selectRow(ward)
    dialog.table.setCurrentIndex(model.index(ward, CHOICE_COLUMN))
    qtbot.keyClick(dialog.table, Qt.Key.Key_F2)
    editor = dialog.table.findChild(QComboBox, "mergeChoiceEditor")
    assert editor is not None and editor.currentData() == OURS
    editor.setCurrentIndex(editor.findData(THEIRS))
    dialog.table.commitData(editor)
    assert model.choice_at(ward) == THEIRS
    dialog.table.closeEditor(editor, dialog.table.itemDelegate().EndEditHint.NoHint)
    dialog.table.selectRow(ward)
    qtbot.keyClick(dialog.table, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: model.choice_at(ward) == OURS)

    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.merge_dialog is None, timeout=20_000)

    assert actions.list_actions(h.chair, h.review_id)[0].owner_name == "Dr Theirs"
    assert reviews.get_review(h.chair, h.review_id).setup.ward == "Ash"
    assert "Member's note." in [n.text for n in notes.list_notes(h.chair, h.review_id)]
    assert window.workspace is not old_workspace and window.ctx.review_id == h.review_id
    assert "Added 1 note" in window.workspace.message_bar.text()


def test_undo_last_merge_is_confirmed_and_restores_the_review(qtbot, window, handover, tmp_path, monkeypatch):
    h = handover
    dialog = _open_dialog(qtbot, window, h, _conflicting(h, tmp_path), monkeypatch)
    before = dump_review(h.chair, h.review_id)
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.merge_dialog is None, timeout=20_000)

    answers = []
    monkeypatch.setattr(UndoMergeConfirmation, "ask", staticmethod(lambda parent, merge: answers.append(merge) or False))
    _menu(window, "undo_last_merge").trigger()
    assert len(answers) == 1 and answers[0].contributor_name == MEMBER.name
    assert last_merge(h.chair, h.review_id) is not None  # declined: nothing undone

    monkeypatch.setattr(UndoMergeConfirmation, "ask", staticmethod(lambda parent, merge: True))
    _menu(window, "undo_last_merge").trigger()
    assert content(dump_review(h.chair, h.review_id)) == content(before)
    assert "was undone" in window.workspace.message_bar.text()
    _menu(window, "undo_last_merge").trigger()
    assert "no merge to undo" in window.workspace.message_bar.text()


def test_a_refused_undo_says_why_and_changes_nothing(qtbot, window, handover, tmp_path, monkeypatch):
    h = handover
    dialog = _open_dialog(qtbot, window, h, _conflicting(h, tmp_path), monkeypatch)
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.merge_dialog is None, timeout=20_000)
    notes.add_note(h.chair, h.review_id, SECTION, "After the merge.", CHAIR)
    before = dump_review(h.chair, h.review_id)
    monkeypatch.setattr(UndoMergeConfirmation, "ask", staticmethod(lambda parent, merge: True))
    _menu(window, "undo_last_merge").trigger()
    assert "changed since this merge" in window.workspace.message_bar.text()
    assert dump_review(h.chair, h.review_id) == before


def test_a_failed_merge_keeps_the_dialog_open_with_the_reason(qtbot, window, handover, tmp_path, monkeypatch):
    h = handover
    dialog = _open_dialog(qtbot, window, h, _conflicting(h, tmp_path), monkeypatch)
    notes.add_note(h.chair, h.review_id, SECTION, "Typed on another page meanwhile.", CHAIR)
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "changed while the merge" in dialog.status.text(), timeout=20_000)
    assert dialog.isVisible() and dialog.merge_button.isEnabled()
    assert last_merge(h.chair, h.review_id) is None


def test_a_bad_file_or_a_signed_review_is_refused_in_the_message_bar(qtbot, window, handover, tmp_path, monkeypatch):
    h = handover
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    monkeypatch.setattr(ContributionFiles, "ask_contribution", staticmethod(lambda parent: bad))
    window.open_review(h.review_id)
    _menu(window, "merge_contribution").trigger()
    assert getattr(window, "merge_dialog", None) is None
    assert window.workspace.message_bar.text() == "The contribution file is not valid JSON."

    window.merge_dialog = None
    lock(h.chair, h.review_id)
    _menu(window, "merge_contribution").trigger()
    assert window.merge_dialog is None and "signed and locked" in window.workspace.message_bar.text()


def test_a_panel_member_exports_their_contribution(qtbot, handover, tmp_path, monkeypatch):
    h = handover
    base = export_bundle(h.chair, h.review_id, tmp_path / "review.json")
    out = tmp_path / "mine.json"
    member_window = MainWindow(h.member, today=REVIEW_DATE)
    qtbot.addWidget(member_window)
    member_window.show()
    monkeypatch.setattr(ContributionFiles, "ask_base", staticmethod(lambda parent: base))
    monkeypatch.setattr(ContributionFiles, "ask_out", staticmethod(lambda parent: out))
    member_window.open_review(h.member_review_id)
    notes.add_note(h.member, h.member_review_id, SECTION, "Member's note.", MEMBER)

    _menu(member_window, "export_contribution").trigger()
    qtbot.waitUntil(lambda: "give it to the chair" in member_window.workspace.message_bar.text(), timeout=20_000)

    loaded = load_contribution(out.read_bytes())
    assert loaded.contributor.name == member_window.ctx.actor.name
    assert loaded.base == h.base and loaded.theirs == dump_review(h.member, h.member_review_id)


def test_the_export_refuses_a_base_of_another_review(qtbot, handover, tmp_path, monkeypatch):
    h = handover
    other = export_bundle(h.chair, seeded_review(h.chair, REVIEW_DATE), tmp_path / "other.json")
    out = tmp_path / "mine.json"
    member_window = MainWindow(h.member, today=REVIEW_DATE)
    qtbot.addWidget(member_window)
    member_window.show()
    monkeypatch.setattr(ContributionFiles, "ask_base", staticmethod(lambda parent: other))
    monkeypatch.setattr(ContributionFiles, "ask_out", staticmethod(lambda parent: out))
    member_window.open_review(h.member_review_id)
    merge_actions.export_contribution(member_window)
    qtbot.waitUntil(lambda: "different review" in member_window.workspace.message_bar.text(), timeout=20_000)
    assert not out.exists()


def test_every_control_has_an_accessible_name_and_the_menus_list_their_shortcut(qtbot, window, handover, tmp_path,
                                                                                monkeypatch):
    dialog = _open_dialog(qtbot, window, handover, _conflicting(handover, tmp_path), monkeypatch)
    controls = dialog.findChildren(QPushButton) + [dialog.table, dialog.summary, dialog.status]
    assert all(isinstance(c, QWidget) and c.accessibleName() for c in controls)
    assert dialog.keep_ours.shortcut().toString() == "Alt+O" and dialog.take_theirs.shortcut().toString() == "Alt+T"
    shortcuts = dict((text, keys) for keys, text in window.shortcut_list())
    assert shortcuts["Merge a panel member's contribution"] == "Ctrl+Shift+M"
    dialog.reject()


def test_a_delete_against_an_edit_reads_plainly_in_the_table(qtbot, handover, tmp_path):
    h = handover
    uid = h.base["actions"][0]["uid"]
    actions.update_action(h.chair, row_id(h.chair, Action, uid), CHAIR, why="Agreed by all")
    actions.delete_action(h.member, row_id(h.member, Action, uid), MEMBER)
    path = write_contribution(tmp_path / "contribution.json", h.contribution())
    plan = plan_contribution(h.chair, h.review_id, load_contribution(path.read_bytes()))
    dialog = MergeDialog(h.chair, h.review_id, plan, CHAIR)
    qtbot.addWidget(dialog)
    model = dialog.model
    assert model.index(0, 0).data() == "Action “Review the risk plan”: deleted on one side, edited on the other"
    assert [model.index(0, c).data() for c in (1, 2, 3, 4)] == [
        "(kept) Review the risk plan", "(kept) Review the risk plan", "(deleted)", "Keep this review's"]
    assert "Morgan Expert (Clinical expert)" in dialog.summary.text()
