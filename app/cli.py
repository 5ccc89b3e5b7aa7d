"""The command line: `reviewday` opens the app; subcommands make everything scriptable.

Exit codes: 0 success, 1 a check failed, 2 bad usage or bad input (one clear line on stderr).
Qt, reportlab and the like are imported only by the commands that need them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date

from app import __version__

EXIT_OK, EXIT_CHECK_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad usage or bad input: reported as one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would print usage and a second line
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _add_db(parser: argparse.ArgumentParser, *, required: bool, top: bool = False) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        required=required,
        default=None if top else argparse.SUPPRESS,
        help="database file (or a postgresql:// URL); default: the user's data folder",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="reviewday", description="Run Care (Education) and Treatment Review days.")
    parser.add_argument("--version", action="version", version=f"reviewday {__version__}")
    _add_db(parser, required=False, top=True)
    parser.add_argument("--demo", action="store_true", help="open a throwaway database with a demo review")
    parser.add_argument("--review", type=int, metavar="ID", help="open this review straight away")
    # For smoke tests and the start-up benchmark: print "ready" once the window is up, then quit.
    parser.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    demo = commands.add_parser("demo", help="seed a realistic demo review and print its id")
    _add_db(demo, required=True)
    demo.add_argument("--size", choices=("normal", "large"), default="normal")
    demo.add_argument("--date", type=_parse_date, metavar="YYYY-MM-DD", help="review date (default: today)")

    listing = commands.add_parser("list", help="list reviews")
    _add_db(listing, required=True)
    listing.add_argument("--json", action="store_true", help="machine-readable output")

    templates = commands.add_parser("templates", help="list the KLOE templates and their versions")
    templates.add_argument("--json", action="store_true", help="machine-readable output")
    return parser


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-11-20") from None


def main(argv: Sequence[str] | None = None) -> int:
    from app.services.errors import ReviewDayError

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        handler = _COMMANDS.get(args.command, _run_gui)
        return handler(args)
    except UsageError as exc:
        print(f"reviewday: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ReviewDayError as exc:
        print(f"reviewday: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def _open_store(target: str | None, *, create: bool):
    from app.services.store import Store, default_database_path

    if target is None:
        path = default_database_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return Store.open(path)
    return Store.open(target, create=create)


def _cmd_demo(args: argparse.Namespace) -> int:
    from app.services.demo import seed_demo

    store = _open_store(args.db, create=True)
    try:
        review_id = seed_demo(store, review_date=args.date, size=args.size)
    finally:
        store.close()
    print(review_id)
    return EXIT_OK


def _cmd_list(args: argparse.Namespace) -> int:
    from app.services.reviews import list_reviews

    store = _open_store(args.db, create=False)
    try:
        summaries = list_reviews(store)
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


_COMMANDS = {
    "demo": _cmd_demo,
    "list": _cmd_list,
    "templates": _cmd_templates,
}


if __name__ == "__main__":
    sys.exit(main())
