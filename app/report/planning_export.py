"""The planning record and what happened to the report after the day, as CSV: kept with the
exported report when a review is exported and purged, and in a subject access export.

One row per fact: the notice, the family's say in the date, the pre-meeting, each document asked
for, each copy of the draft and of the final report sent, each correction and its decision.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from app.models.enums import CirculationStage, YesNo
from app.report.atomic import atomic_write_bytes
from app.services import after_day, planning
from app.services.store import Store

COLUMNS = ("Part", "What", "Who", "Organisation", "How", "Date", "Decision or status", "Reason")
_YES_NO = {YesNo.YES: "Yes", YesNo.NO: "No", YesNo.UNKNOWN: "Not recorded"}


def planning_rows(store: Store, review_id: int) -> list[tuple[str, ...]]:
    data = planning.get_planning(store, review_id)
    fields = data.fields

    def day(value) -> str:
        return value.isoformat() if value else ""

    rows = [
        ("Planning", "Notice given", fields.notice_given_to, "", "", day(fields.notice_given_on), "", ""),
        ("Planning", "Family consulted on the date", "", "", "", day(fields.family_consulted_on),
         _YES_NO[fields.family_consulted], ""),
        ("Planning", "Pre-meeting", "", "", "", day(fields.pre_meeting_on), "", ""),
    ]
    rows += [("Document before the day", d.title, "", "", "", "", planning.STATUS_LABELS[d.status], "")
             for d in data.documents]
    for copy in after_day.list_copies(store, review_id):
        part = ("Draft shared for the factual accuracy check" if copy.stage is CirculationStage.DRAFT
                else "Final report sent")
        rows.append((part, "", copy.recipient, copy.organisation, after_day.METHOD_LABELS[copy.method],
                     day(copy.sent_on), "", ""))
    rows += [("Correction asked for", c.what, c.requested_by, "", "", day(c.requested_on),
              after_day.DECISION_LABELS[c.decision], c.reason) for c in after_day.list_corrections(store, review_id)]
    return rows


def render_planning_csv(store: Store, review_id: int, out: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in planning_rows(store, review_id):
        writer.writerow(tuple(_safe(value) for value in row))
    # UTF-8 with a byte-order mark so spreadsheet programs read names with accents correctly.
    atomic_write_bytes(out, buffer.getvalue().encode("utf-8-sig"))


def _safe(text: str) -> str:
    """Keep a spreadsheet from running a typed '=...' as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
