"""The paper fallback: `reviewday workbook --type TYPE [--version N] --out FILE.pdf`."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import EXIT_OK, UsageError, file_path


def register(commands) -> dict:
    workbook = commands.add_parser(
        "workbook", help="print a blank paper workbook for a review type (for wards where laptops are not allowed)")
    workbook.add_argument("--type", required=True, dest="review_type", metavar="TYPE",
                          help="the review type's id (see 'reviewday templates')")
    workbook.add_argument("--version", type=int, metavar="N", help="the template version (default: the newest)")
    workbook.add_argument("--out", required=True, metavar="FILE.pdf", type=file_path, help="where to write it (replaced atomically)")
    return {"workbook": _cmd_workbook}


def _cmd_workbook(args: argparse.Namespace) -> int:
    from app.kloe import TemplateError
    from app.report.workbook import UnknownReviewTypeError, find_template, write_blank_workbook

    try:
        template = find_template(args.review_type, args.version)
    except UnknownReviewTypeError as exc:
        raise UsageError(str(exc)) from None
    except TemplateError as exc:
        raise UsageError(str(exc)) from None
    out = Path(args.out)
    if out.is_dir():
        raise UsageError(f"{out} is a folder; give a file name such as {out / 'workbook.pdf'}.")
    write_blank_workbook(template, out)
    print(f"Wrote the blank {template.short_title} workbook (template {template.id} v{template.version}) to {out}.")
    return EXIT_OK
