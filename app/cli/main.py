"""The command line: `reviewday` opens the app; subcommands make everything scriptable.

Exit codes: 0 success, 1 a check failed, 2 bad usage or bad input (one clear line on stderr).
Qt, reportlab and the like are imported only by the commands that need them. Each group of
subcommands lives in its own module under app/cli/ with a ``register(commands)`` that adds its
parsers and returns {command name: handler}.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from importlib import import_module

from app import __version__
from app.cli.common import (
    EXIT_BROKEN_PIPE,
    EXIT_CHECK_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    Parser,
    UsageError,
    add_db,
    add_db_passphrase_env,
    describe_os_error,
    open_store,
    review_date,
    review_id,
)

# Command groups, in the order --help lists them.
COMMAND_MODULES = ("identity", "bundle", "contribution", "reports", "backup", "retention", "oversight", "workbook", "team")


def _command_modules():
    return [import_module(f"app.cli.{name}") for name in COMMAND_MODULES]


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="reviewday", description="Run Care (Education) and Treatment Review days.")
    parser.add_argument("--version", action="version", version=f"reviewday {__version__}")
    add_db(parser, required=False, top=True)
    parser.add_argument("--demo", action="store_true", help="open a throwaway database with a demo review")
    parser.add_argument("--review", type=review_id, metavar="ID", help="open this review straight away")
    # For smoke tests and the start-up benchmark: print "ready" once the window is up, then quit.
    parser.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", parser_class=Parser, metavar="COMMAND")

    demo = commands.add_parser("demo", help="seed a realistic demo review and print its id")
    add_db(demo, required=True)
    demo.add_argument("--size", choices=("normal", "large"), default="normal")
    demo.add_argument("--date", type=review_date, metavar="YYYY-MM-DD", help="review date (default: today)")
    add_db_passphrase_env(demo)

    listing = commands.add_parser("list", help="list reviews")
    add_db(listing, required=True)
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    add_db_passphrase_env(listing)

    templates = commands.add_parser("templates", help="list the KLOE templates and their versions")
    templates.add_argument("--json", action="store_true", help="machine-readable output")

    handlers = {"demo": _cmd_demo, "list": _cmd_list, "templates": _cmd_templates}
    for module in _command_modules():
        handlers.update(module.register(commands))
    parser.set_defaults(_handlers=handlers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from app.logging_setup import setup_logging
    from app.services.errors import ReviewDayError

    setup_logging()  # ids-only log file, crash hook without messages, no core dumps

    parser = build_parser()
    args = None
    try:
        args = parser.parse_args(argv)
        handler = args._handlers.get(args.command, _run_gui)
        return handler(args)
    except (UsageError, ReviewDayError) as exc:
        return _say(str(exc), EXIT_USAGE)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _reader_gone()
    except Exception as exc:
        sentence = _plain_sentence(exc, args)
        if sentence is not None:
            return _say(sentence, EXIT_USAGE)
        if os.environ.get("REVIEWDAY_DEBUG"):
            raise
        # A bug, not the user's mistake: one line, no personal data.
        return _say(f"internal error ({type(exc).__name__}); nothing further was changed. "
                    "Run again with REVIEWDAY_DEBUG=1 to see the details.", EXIT_CHECK_FAILED)


def _say(sentence: str, code: int) -> int:
    # A value quoted from the command line may hold line breaks or terminal controls: shown escaped,
    # so the message stays one line and the terminal shows what was typed.
    sentence = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in sentence)
    try:
        print(f"reviewday: {sentence}", file=sys.stderr)
    except BrokenPipeError:
        return _reader_gone()
    return code


def _reader_gone() -> int:
    """The output's reader has gone (`reviewday list | head -1`): stop quietly, as Unix tools do.

    What is still buffered for stdout goes to the null device, so Python's last flush at exit
    cannot complain about the closed pipe.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return EXIT_BROKEN_PIPE


def _plain_sentence(exc: Exception, args: argparse.Namespace | None) -> str | None:
    """One sentence for a failure of the computer rather than of the program: the file system or
    the database. None for anything else, which is a bug."""
    import sqlite3

    from sqlalchemy.exc import DBAPIError, IntegrityError

    if isinstance(exc, OSError):
        return describe_os_error(exc)
    database = getattr(args, "db", None) if args is not None else None
    where = f" {database}" if isinstance(database, str) and "@" not in database else ""
    if isinstance(exc, IntegrityError):
        return (f"The database{where} refused the change: it clashes with data already there, perhaps written "
                "at the same moment by another program. Nothing was changed.")
    driver_error = type(exc).__module__.split(".")[0] in ("sqlite3", "sqlcipher3", "psycopg")
    if isinstance(exc, DBAPIError | sqlite3.Error) or (driver_error and type(exc).__name__.endswith("Error")):
        return (f"The database{where} could not be read or written: it may be damaged. "
                "Check it with 'reviewday doctor --db PATH'.")
    return None


def _cmd_demo(args: argparse.Namespace) -> int:
    from app.services.demo import seed_demo

    store = open_store(args.db, create=True, passphrase_env=args.db_passphrase_env)
    try:
        review_id = seed_demo(store, review_date=args.date, size=args.size, history=True)
    finally:
        store.close()
    print(review_id)
    return EXIT_OK

def _cmd_list(args: argparse.Namespace) -> int:
    from app.services.reviews import list_reviews

    store = open_store(args.db, create=False, passphrase_env=args.db_passphrase_env)
    try:
        from app.settings import load_settings

        summaries = list_reviews(store, report_due_working_days=load_settings().settings.report_due_working_days)
    finally:
        store.close()
    if args.json:
        rows = [
            {
                "id": s.id,
                "type": s.template_id,
                "template_version": s.template_version,
                "person": s.person_label,
                "date": s.review_date.isoformat(),
                "setting": s.setting,
                "status": s.status.value,
                "notes": s.notes,
                "actions": s.actions,
                "flags": list(s.flags),
                "unit": s.unit,
                "cqc_rating": s.cqc_rating.value,
                "secure_level": s.secure_level.value,
                "segregation_started": s.segregation_started.isoformat() if s.segregation_started else None,
                "next_review_agreed": s.next_review_agreed.isoformat() if s.next_review_agreed else None,
                "escalation_decision": s.escalation_decision.value,
                "report_due": s.report_due.isoformat() if s.report_due else None,
                "report_sent": s.report_sent_on.isoformat() if s.report_sent_on else None,
            }
            for s in summaries
        ]
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    if not summaries:
        print("No reviews yet.")
        return EXIT_OK
    header = ("ID", "TYPE", "PERSON", "DATE", "STATUS", "NOTES", "ACTIONS", "FLAGS")
    table = [header] + [
        (str(s.id), s.template_title, s.person_label, s.review_date.isoformat(), s.status.value,
         str(s.notes), str(s.actions), ", ".join(s.flags))
        for s in summaries
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return EXIT_OK

def _cmd_templates(args: argparse.Namespace) -> int:
    from app.kloe import TemplateError, TemplateRegistry

    try:
        templates = TemplateRegistry.default().all()
    except TemplateError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print(json.dumps([
            {
                "id": t.id,
                "version": t.version,
                "title": t.title,
                "short_title": t.short_title,
                "sections": [s.id for s in t.sections],
                "minutes": t.total_minutes,
            }
            for t in templates
        ], indent=2))
        return EXIT_OK
    for t in templates:
        print(f"{t.id:<24} v{t.version:<3} {t.short_title:<10} {len(t.sections):>2} sections  {t.total_minutes:>4} min  {t.title}")
    return EXIT_OK

def _run_gui(args: argparse.Namespace) -> int:
    from app.ui.app import run_gui

    return run_gui(db=args.db, demo=args.demo, review_id=args.review, exit_when_ready=args.exit_when_ready)
