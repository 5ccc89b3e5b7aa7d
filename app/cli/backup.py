"""Backup, restore and the database check."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    PASSPHRASE_ENV,
    UsageError,
    add_db,
    add_db_passphrase_env,
    ask,
    open_store,
    secret_from_env,
)


def register(commands) -> dict:
    _add_backup_commands(commands)
    return {"backup": _cmd_backup, "restore": _cmd_restore, "doctor": _cmd_doctor}


def _add_backup_commands(commands) -> None:
    backup = commands.add_parser("backup", help="write a verified backup of the database (SQLite's backup API)")
    add_db(backup, required=True)
    backup.add_argument("--out", required=True, metavar="FILE", help="the backup file (replaced atomically)")
    add_db_passphrase_env(backup)

    restore = commands.add_parser(
        "restore", help="put a backup in place of the database; the database that was there is kept aside"
    )
    restore.add_argument("file", metavar="FILE", help="the backup file")
    add_db(restore, required=True)
    add_db_passphrase_env(restore)

    doctor = commands.add_parser("doctor", help="check the database file; exit 1 with the reasons when damaged")
    add_db(doctor, required=True)
    add_db_passphrase_env(doctor)

def _database_key(path: Path, passphrase_env: str | None, *, key_file_of: Path | None = None) -> bytes | None:
    """The data key of an encrypted database file (keyring, else passphrase); None for a plain file."""
    from datetime import UTC, datetime

    from app.security import data_key

    holder = key_file_of if key_file_of is not None else path
    if not data_key.has_keys(holder):
        return None
    key = data_key.KeyringDataKeys().get(holder)
    if key is not None:
        return key
    secret = secret_from_env(passphrase_env, PASSPHRASE_ENV)
    if secret is None:
        secret = ask("Passphrase for the database: ", confirm=False)
    if secret is None:
        raise UsageError(
            f"This database is encrypted: give the passphrase with --passphrase-env VAR or {PASSPHRASE_ENV}."
        )
    return data_key.unlock(holder, secret, clock=lambda: datetime.now(UTC))

def _is_plain_sqlite(path: Path) -> bool:
    from app.services.db_files import SQLITE_MAGIC

    with open(path, "rb") as stream:
        return stream.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC

def _size_text(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} bytes"  # pragma: no cover

def _refuse_server(db: str, what: str) -> None:
    from app.services.store import is_server_url

    if is_server_url(db):
        raise UsageError(f"{what} works on database files only; back up a team (PostgreSQL) database on its "
                         "server, with pg_dump.")

def _cmd_backup(args: argparse.Namespace) -> int:
    from app.services.backup import backup_to

    _refuse_server(args.db, "backup")
    store = open_store(args.db, create=False, passphrase_env=args.db_passphrase_env)
    try:
        info = backup_to(store, Path(args.out))
    finally:
        store.close()
    print(f"Backed up to {info.path} ({_size_text(info.size)}, checked).")
    return EXIT_OK

def _cmd_restore(args: argparse.Namespace) -> int:
    from app.services.db_restore import restore

    _refuse_server(args.db, "restore")
    db, backup = Path(args.db).expanduser(), Path(args.file)
    # The backup's own key file first (it travels with it); a plain backup needs no key.
    key = _database_key(backup, args.db_passphrase_env)
    if key is None and backup.is_file() and not _is_plain_sqlite(backup):
        key = _database_key(db, args.db_passphrase_env, key_file_of=db)
    result = restore(backup, db, key=key)
    print(f"Restored {backup} into {db}.")
    if result.replaced is not None:
        print(f"The database that was there is kept as {result.replaced}.")
    return EXIT_OK

def _cmd_doctor(args: argparse.Namespace) -> int:
    from app.services.db_health import doctor

    db = Path(args.db).expanduser()
    if "://" in args.db:
        raise UsageError("doctor checks database files only; a team (PostgreSQL) database is checked by its "
                         "server.")
    key = _database_key(db, args.db_passphrase_env) if db.is_file() else None
    problems = doctor(db, key=key)
    if not problems:
        print(f"{db}: healthy")
        return EXIT_OK
    for problem in problems:
        print(problem)
    print(f"reviewday: {db}: {len(problems)} problem{'s' if len(problems) != 1 else ''} found.", file=sys.stderr)
    return EXIT_CHECK_FAILED
