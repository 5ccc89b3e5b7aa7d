"""Retention: export-and-purge a signed review, and subject access exports."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import EXIT_OK, UsageError, add_db, add_db_passphrase_env, file_path, open_store, review_id


def register(commands) -> dict:
    _add_retention_commands(commands)
    return {"purge": _cmd_purge, "subject-access": _cmd_subject_access}


def _add_retention_commands(commands) -> None:
    purge = commands.add_parser(
        "purge", help="export a signed review in every format, check the files, then delete it from this computer")
    purge.add_argument("review_id", type=review_id, metavar="ID")
    add_db(purge, required=True)
    purge.add_argument("--export-to", required=True, metavar="FOLDER", type=file_path, help="an existing folder for the exports")
    add_db_passphrase_env(purge)

    access = commands.add_parser("subject-access", help="export everything held about one person")
    add_db(access, required=True)
    access.add_argument("--person", required=True, metavar="LABEL", help="the person's initials or pseudonym")
    access.add_argument("--out", required=True, metavar="FOLDER", type=file_path)
    add_db_passphrase_env(access)

def _cmd_purge(args: argparse.Namespace) -> int:
    from app.report.archive import export_and_purge
    from app.services.dto import Actor

    store = open_store(args.db, create=False, passphrase_env=args.db_passphrase_env)
    try:
        result = export_and_purge(store, args.review_id, Path(args.export_to), Actor("Command line", "chair"))
    finally:
        store.close()
    print(f"Exported {len(result.files)} files to {result.folder}; the review is deleted from this database.")
    return EXIT_OK

def _cmd_subject_access(args: argparse.Namespace) -> int:
    from app.report.archive import subject_access_export

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {args.out} is a file, not a folder; give a folder for the exports.")
    store = open_store(args.db, create=False, passphrase_env=args.db_passphrase_env)
    try:
        files = subject_access_export(store, args.person, Path(args.out))
    finally:
        store.close()
    print(f"Wrote {len(files)} files to {args.out} (see index.txt).")
    return EXIT_OK
