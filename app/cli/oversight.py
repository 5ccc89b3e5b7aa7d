"""`reviewday oversight`: the ICS oversight summary of every review, as CSV or XLSX."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from app.cli.common import EXIT_OK, UsageError, add_db, add_db_passphrase_env, file_path, open_store, parse_date

FORMATS = ("csv", "xlsx")


def register(commands) -> dict:
    oversight = commands.add_parser(
        "oversight", help="one row per review: escalation flags, open and overdue actions, next review due"
    )
    add_db(oversight, required=True)
    oversight.add_argument("--format", required=True, choices=FORMATS)
    oversight.add_argument("--out", required=True, metavar="FILE", type=file_path, help="where to write it (replaced atomically)")
    oversight.add_argument("--today", type=parse_date, metavar="YYYY-MM-DD",
                           help="count actions as overdue against this date (default: today)")
    add_db_passphrase_env(oversight)
    return {"oversight": _cmd_oversight}


def _report_due_working_days() -> int:
    """The setting (Preferences: working days to send the report); the default when it cannot be read."""
    from app.settings import load_settings

    return load_settings().settings.report_due_working_days


def _cmd_oversight(args: argparse.Namespace) -> int:
    from app.report.oversight_sheet import write_oversight
    from app.services.oversight import oversight_rows

    out = Path(args.out)
    if out.is_dir():
        raise UsageError(f"--out {args.out} is a folder; give a file name.")
    if out.suffix.lower() != f".{args.format}":
        raise UsageError(f"--out must end in .{args.format} for --format {args.format}.")
    if not out.parent.is_dir():
        raise UsageError(f"The folder for --out ({out.parent}) does not exist.")
    today = args.today or date.today()
    store = open_store(args.db, create=False, passphrase_env=args.db_passphrase_env)
    try:
        rows = oversight_rows(store, today=today, report_due_working_days=_report_due_working_days())
    finally:
        store.close()
    write_oversight(rows, args.format, out, today=today)
    flagged = sum(1 for row in rows if row.flags)
    print(f"Wrote {out}: {len(rows)} reviews, {flagged} with escalation flags")
    return EXIT_OK
