"""The review's audit trail as CSV: who changed what and when. Field names only, never the text."""

from __future__ import annotations

import csv
import io
from datetime import UTC
from pathlib import Path

from app.kloe.roles import role_label
from app.report.atomic import atomic_write_bytes
from app.services import audit
from app.services.store import Store

COLUMNS = ("When (UTC)", "Who", "Role", "What", "Fields changed", "Event id")


def render_audit_csv(store: Store, review_id: int, out: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for event in audit.list_events(store, review_id):
        writer.writerow((
            event.at.replace(tzinfo=UTC).isoformat(timespec="seconds"),
            _safe(event.actor_name),
            role_label(event.actor_role) if event.actor_role else "",
            audit.describe_event(event),
            ", ".join(audit.field_words(name) for name in event.fields),
            event.id,
        ))
    # UTF-8 with a byte-order mark so Excel opens names with accents correctly.
    atomic_write_bytes(out, buffer.getvalue().encode("utf-8-sig"))


def _safe(text: str) -> str:
    """Keep a spreadsheet from running a typed '=...' as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
