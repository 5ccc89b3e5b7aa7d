"""The oversight summary as CSV or XLSX: one row per review, no free text from the reviews.

Columns: the review's id, pseudonym, type, date, setting and status; one Yes/blank column per
escalation criterion; the generated reasons; open and overdue action counts; the next review due;
then the process and outcome columns (CQC rating, secure level, days in segregation, admission
and readmission, the panel's decision and its dates, who was told when, feedback on a scale),
what became of the previous review's recommendations (counts), and after the day (the report's due
day, when it was sent, overdue, the accuracy check's dates and counts).
Written in memory, then atomically.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from app.report.atomic import atomic_write_bytes
from app.services.escalation import FLAG_CODES, FLAG_TITLES
from app.services.oversight import OversightRow

MARKING = "OFFICIAL-SENSITIVE"
NHS_BLUE = "005EB8"
PALE_YELLOW = "FFF9E6"
DATE_FORMAT = "dd/mm/yyyy"
FORMATS = ("csv", "xlsx")

# The process and outcome columns: (heading, OversightRow attribute, width).
OUTCOMES: tuple[tuple[str, str, float], ...] = (
    ("CQC rating", "cqc_rating", 14),
    ("Secure level", "secure_level", 14),
    ("Days in segregation", "segregation_days", 11),
    ("Community C(E)TR before admission", "community_review_before_admission", 14),
    ("Root cause analysis due", "root_cause_analysis_due", 12),
    ("Readmission", "readmission", 11),
    ("Days from discharge to readmission", "days_from_discharge_to_readmission", 14),
    ("Escalation decision", "decision", 14),
    ("Decision date", "decided_on", 12),
    ("Oversight panel outcome date", "oversight_outcome_on", 14),
    ("Person told", "person_told", 12),
    ("Family told", "family_told", 12),
    ("Advocate told", "advocate_told", 12),
    ("Person felt listened to", "person_listened", 12),
    ("Family felt listened to", "family_listened", 12),
    ("Previous review's recommendations", "previous_recommendations", 14),
    ("Previous: done", "previous_done", 10),
    ("Previous: partly done", "previous_partly_done", 10),
    ("Previous: not done", "previous_not_done", 10),
    ("Previous: outcome not recorded", "previous_not_recorded", 12),
    ("Report due", "report_due", 12),
    ("Report sent", "report_sent_on", 12),
    ("Report overdue", "report_overdue", 11),
    ("Draft shared for accuracy check", "draft_shared_on", 14),
    ("Corrections accepted", "corrections_accepted", 11),
    ("Corrections declined", "corrections_declined", 11),
    ("Copies of the final report sent", "final_copies", 11),
)
OUTCOME_HEADINGS: tuple[str, ...] = tuple(heading for heading, _, _ in OUTCOMES)

HEADINGS: tuple[str, ...] = (
    "Review ID",
    "Person",
    "Review type",
    "Review date",
    "Setting",
    "Status",
    *(FLAG_TITLES[code] for code in FLAG_CODES),
    "Flags",
    "Reasons",
    "Open actions",
    "Overdue actions",
    "Next review due",
    *OUTCOME_HEADINGS,
)
# (width, wrap) per column, in the order of HEADINGS.
_WIDTHS: tuple[tuple[float, bool], ...] = (
    (10, False), (12, False), (16, False), (12, False), (30, True), (12, False),
    *((14, True) for _ in FLAG_CODES),
    (8, False), (70, True), (10, False), (10, False), (14, False),
    *((width, True) for _, _, width in OUTCOMES),
)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _values(row: OversightRow) -> list[object]:
    return [
        row.review_id,
        row.person_label,
        row.review_type,
        row.review_date,
        row.setting,
        row.status,
        *("Yes" if row.has(code) else "" for code in FLAG_CODES),
        len(row.flags),
        row.reasons,
        row.open_actions,
        row.overdue_actions,
        row.next_review_due,
        *(_outcome(getattr(row, name)) for _, name, _ in OUTCOMES),
    ]


def _outcome(value: object) -> object:
    if isinstance(value, bool):
        return "Yes" if value else ""
    return value


def render_csv(rows: Sequence[OversightRow]) -> bytes:
    """UTF-8 with a byte-order mark (so spreadsheet programs read it right); ISO dates."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADINGS)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in _values(row)])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # A typed value is never a formula when the file is opened in a spreadsheet.
    return "'" + text if isinstance(value, str) and text.startswith(_FORMULA_START) else text


def render_xlsx(rows: Sequence[OversightRow], *, today: date) -> bytes:
    workbook = Workbook()
    properties = workbook.properties
    properties.title = "Oversight summary"
    properties.creator = properties.lastModifiedBy = "ReviewDay"
    properties.category = MARKING
    sheet = workbook.active
    sheet.title = "Oversight"
    header_fill = PatternFill("solid", start_color=NHS_BLUE, end_color=NHS_BLUE)
    for column, (name, (width, _)) in enumerate(zip(HEADINGS, _WIDTHS, strict=True), start=1):
        cell = sheet.cell(row=1, column=column, value=name)
        cell.fill, cell.font = header_fill, Font(bold=True, color="FFFFFF")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[1].height = 45
    flagged = PatternFill("solid", start_color=PALE_YELLOW, end_color=PALE_YELLOW)
    for number, row in enumerate(rows, start=2):
        for column, (value, (_, wrap)) in enumerate(zip(_values(row), _WIDTHS, strict=True), start=1):
            cell = sheet.cell(row=number, column=column)
            if isinstance(value, date):
                cell.value = datetime.combine(value, time())
                cell.number_format = DATE_FORMAT
            elif isinstance(value, str):
                cell.value = _ILLEGAL.sub("", value)
                cell.data_type = "s"  # never a formula, whatever it starts with
                if value == "Yes":
                    cell.fill = flagged
                    cell.font = Font(bold=True)
            else:
                cell.value = value
            cell.alignment = Alignment(vertical="top", wrap_text=wrap)
    last = get_column_letter(len(HEADINGS))
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{last}{max(1, len(rows) + 1)}"
    sheet.page_setup.orientation = "landscape"
    sheet.oddHeader.center.text = MARKING
    sheet.oddFooter.center.text = "Page &P of &N"
    about = workbook.create_sheet("About")
    for number, (label, value) in enumerate((
        ("Marking", MARKING),
        ("What", "One row per review: ICS oversight panel escalation criteria, action counts, next review due."),
        ("Overdue", f"An action not done whose deadline is before {today.isoformat()}."),
        ("Free text", "None: no notes, findings or action wording are included."),
        ("Generated by", "ReviewDay"),
    ), start=1):
        about.cell(row=number, column=1, value=label).font = Font(bold=True)
        about.cell(row=number, column=2, value=value)
    about.column_dimensions["A"].width = 14
    about.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_oversight(rows: Sequence[OversightRow], fmt: str, out: Path, *, today: date) -> Path:
    """Write the summary in `fmt` ('csv' or 'xlsx') to `out`; the old file survives any failure."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown oversight format {fmt!r}")
    data = render_csv(rows) if fmt == "csv" else render_xlsx(rows, today=today)
    atomic_write_bytes(out, data)
    return Path(out)
