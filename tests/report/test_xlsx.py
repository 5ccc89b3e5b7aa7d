"""The action tracker: reopened with openpyxl, it is a working spreadsheet, not a picture of one."""

from __future__ import annotations

import dataclasses
import errno
from datetime import date, datetime

import openpyxl
import pytest

from app.report import xlsx_tracker
from app.report.document import MARKING, build_report
from app.report.xlsx_tracker import render_action_tracker_xlsx
from app.services.errors import ReviewDayError, StorageError

HEADINGS = ["Ref", "What", "Why", "Owner", "Organisation", "Deadline", "Priority", "Status", "Section",
            "How we'll know it's done", "Different this time", "Person", "Review date"]
STATUSES = ["Open", "In progress", "Done", "Overdue", "Escalated"]


@pytest.fixture(scope="module")
def workbook(demo_doc, tmp_path_factory):
    out = tmp_path_factory.mktemp("xlsx") / "actions.xlsx"
    render_action_tracker_xlsx(demo_doc, out)
    return openpyxl.load_workbook(out)


def column(name: str) -> int:
    return HEADINGS.index(name) + 1


def status_validation(sheet):
    found = [dv for dv in sheet.data_validations.dataValidation
             if dv.type == "list" and "Done" in (dv.formula1 or "")]
    assert len(found) == 1
    return found[0]


def test_one_row_per_action_under_a_styled_header(demo_doc, workbook):
    sheet = workbook["Actions"]
    assert sheet.max_row == len(demo_doc.actions) + 1 == 10
    assert [cell.value for cell in sheet[1]] == HEADINGS
    for cell in sheet[1]:
        assert cell.font.bold
        assert cell.fill.fgColor.rgb.endswith("005EB8")
        assert cell.font.color.rgb.endswith("FFFFFF")
    for row, action in enumerate(demo_doc.actions, start=2):
        assert sheet.cell(row, column("Ref")).value == f"IC(E)TR-2026-11-20-{action.number:02d}"
        assert sheet.cell(row, column("What")).value == action.what
        assert sheet.cell(row, column("Owner")).value == action.owner
        assert sheet.cell(row, column("Status")).value == action.status
        assert sheet.cell(row, column("Person")).value == demo_doc.person
        assert sheet.cell(row, column("How we'll know it's done")).value == action.completion_evidence
        assert (sheet.cell(row, column("Different this time")).value or "") == action.different_this_time
    assert sheet.column_dimensions["B"].width >= 40
    assert sheet.cell(2, column("What")).alignment.wrap_text


def test_deadlines_and_review_date_are_real_dates(demo_doc, workbook):
    sheet = workbook["Actions"]
    for row, action in enumerate(demo_doc.actions, start=2):
        deadline = sheet.cell(row, column("Deadline"))
        assert isinstance(deadline.value, datetime | date)
        assert deadline.value.date() == action.deadline
        assert deadline.number_format == "dd/mm/yyyy"
        reviewed = sheet.cell(row, column("Review date"))
        assert reviewed.value.date() == date(2026, 11, 20)
        assert reviewed.number_format == "dd/mm/yyyy"


def test_status_is_a_drop_down_of_the_five_statuses(demo_doc, workbook):
    sheet = workbook["Actions"]
    validation = status_validation(sheet)
    assert validation.formula1.strip('"').split(",") == STATUSES
    assert validation.showErrorMessage
    last = len(demo_doc.actions) + 1
    for row in range(2, last + 1):
        assert f"H{row}" in validation.sqref


def test_filter_freeze_and_overdue_highlight(demo_doc, workbook):
    sheet = workbook["Actions"]
    assert sheet.auto_filter.ref == f"A1:M{len(demo_doc.actions) + 1}"
    assert sheet.freeze_panes == "A2"
    rules = [(str(rng.sqref), rule) for rng in sheet.conditional_formatting for rule in rng.rules]
    assert len(rules) == 1
    cells, rule = rules[0]
    assert cells.startswith("A2:M")
    assert rule.type == "expression"
    formula = rule.formula[0]
    assert "TODAY()" in formula and '$H2<>"Done"' in formula and "$F2" in formula


def test_about_sheet_and_properties(demo_doc, workbook):
    about = {row[0]: row[1] for row in workbook["About"].iter_rows(values_only=True)}
    assert about["Marking"] == MARKING
    assert about["Review"] == demo_doc.review_type
    assert about["Review date"].date() == demo_doc.review_date
    assert about["Generated"] == demo_doc.generated_at
    assert workbook.sheetnames == ["Actions", "About"]
    assert workbook.properties.title == "IC(E)TR action tracker: A.K., 20 Nov 2026"
    assert workbook.properties.creator == "ReviewDay"


def test_typed_text_never_becomes_a_formula(demo_doc, tmp_path):
    first = dataclasses.replace(demo_doc.actions[0], what='=HYPERLINK("http://example.invalid","x")',
                                why="+1\x07-2", deadline=None)
    doc = dataclasses.replace(demo_doc, actions=(first, *demo_doc.actions[1:]))
    out = tmp_path / "odd.xlsx"
    render_action_tracker_xlsx(doc, out)
    sheet = openpyxl.load_workbook(out)["Actions"]
    what = sheet.cell(2, column("What"))
    assert what.data_type == "s" and what.value == '=HYPERLINK("http://example.invalid","x")'
    assert sheet.cell(2, column("Why")).value == "+1-2"
    assert sheet.cell(2, column("Deadline")).value is None


def test_an_empty_review_renders(store, review, tmp_path):
    doc = build_report(store, review.id)
    out = tmp_path / "empty.xlsx"
    render_action_tracker_xlsx(doc, out)
    book = openpyxl.load_workbook(out)
    sheet = book["Actions"]
    assert sheet.max_row == 1
    assert sheet.auto_filter.ref == "A1:M1"
    assert status_validation(sheet) is not None  # ready for actions typed in by hand
    assert {row[0]: row[1] for row in book["About"].iter_rows(values_only=True)}["Actions"] == 0


def test_missing_folder_is_one_plain_sentence_and_leaves_nothing(demo_doc, tmp_path):
    out = tmp_path / "no such folder" / "actions.xlsx"
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(StorageError) as caught:
        render_action_tracker_xlsx(demo_doc, out)
    assert isinstance(caught.value, ReviewDayError)
    message = str(caught.value)
    assert message.endswith(".") and "\n" not in message and "actions.xlsx" in message
    assert sorted(tmp_path.rglob("*")) == before


def test_existing_file_is_untouched_when_rendering_fails_midway(demo_doc, tmp_path, monkeypatch):
    out = tmp_path / "exports" / "actions.xlsx"
    out.parent.mkdir()
    out.write_bytes(b"the previous tracker")

    def broken(sheet, last_row):
        raise RuntimeError("renderer failed half way")

    monkeypatch.setattr(xlsx_tracker, "_overdue_rule", broken)
    with pytest.raises(RuntimeError):
        render_action_tracker_xlsx(demo_doc, out)
    assert out.read_bytes() == b"the previous tracker"
    assert list(out.parent.iterdir()) == [out]


def test_disk_full_while_writing_keeps_the_old_file(demo_doc, tmp_path, monkeypatch):
    out = tmp_path / "exports" / "actions.xlsx"
    out.parent.mkdir()
    out.write_bytes(b"the previous tracker")

    def disk_full(descriptor):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("app.report.atomic.os.fsync", disk_full)
    with pytest.raises(StorageError, match="disk is full"):
        render_action_tracker_xlsx(demo_doc, out)
    assert out.read_bytes() == b"the previous tracker"
    assert list(out.parent.iterdir()) == [out]
