"""What every command shares: exit codes, the one-line usage error, --db and passphrase options."""

from __future__ import annotations

import argparse
import errno
import os
import sys
from datetime import date
from pathlib import Path

EXIT_OK, EXIT_CHECK_FAILED, EXIT_USAGE = 0, 1, 2
# What a shell reports for a tool stopped by a closed pipe (128 + SIGPIPE), e.g. `reviewday list | head -1`.
EXIT_BROKEN_PIPE = 141
PASSPHRASE_ENV = "REVIEWDAY_PASSPHRASE"
# Database ids are signed 64-bit integers on SQLite and PostgreSQL alike.
MAX_ID = 2**63 - 1
# The longest file or folder name most file systems allow, in bytes; and the longest whole path on Linux.
NAME_MAX_BYTES = 255
PATH_MAX_BYTES = 4095


class UsageError(Exception):
    """Bad usage or bad input: reported as one line, exit 2."""

class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would print usage and a second line
        raise UsageError(f"{message} (see '{self.prog} --help')")

def add_db(parser: argparse.ArgumentParser, *, required: bool, top: bool = False) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        type=database_target,
        required=required,
        default=None if top else argparse.SUPPRESS,
        help="database file (or a postgresql:// URL); default: the user's data folder",
    )

def add_passphrase_env(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--passphrase-env", metavar="VAR",
        help="read the key's passphrase from this environment variable (default: REVIEWDAY_PASSPHRASE, else ask)",
    )

def add_db_passphrase_env(parser: argparse.ArgumentParser, flag: str = "--passphrase-env") -> None:
    parser.add_argument(
        flag, metavar="VAR", dest="db_passphrase_env",
        help="read the database's passphrase from this environment variable (default: REVIEWDAY_PASSPHRASE; "
             "not needed when the system keyring holds the database's key)",
    )

def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{_shown(text)}' is not a date like 2026-11-20") from None


def review_id(text: str) -> int:
    """A review's id as given on the command line: a whole number from 1 that a database can hold."""
    try:
        value = int(text, 10)
    except ValueError:
        value = None
    if value is None or not 1 <= value <= MAX_ID:
        raise argparse.ArgumentTypeError(
            f"'{_shown(text)}' is not a review id (a whole number such as 12)")
    return value


def path_problem(text: str) -> str | None:
    """Why `text` cannot be a file or folder path on this computer, or None when it can be one."""
    if not text.strip():
        return "the path is empty; give a file or folder name"
    if "\x00" in text:
        return "the path holds a NUL character, which no file name can"
    try:
        encoded = os.fsencode(text)
    except UnicodeError:
        return "the path holds characters no file name can"
    if len(encoded) > PATH_MAX_BYTES:
        return f"the path is too long (more than {PATH_MAX_BYTES} bytes)"
    if any(len(os.fsencode(part)) > NAME_MAX_BYTES for part in Path(text).parts):
        return f"a file or folder name in the path is too long (more than {NAME_MAX_BYTES} bytes)"
    return None


def file_path(text: str) -> str:
    """argparse type for a file or folder argument: refused here, in one line, when no file can have it."""
    problem = path_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text


def database_target(text: str) -> str:
    """argparse type for --db: a database server's URL, or a file path checked like any other."""
    if "://" in text and text.strip():
        return text
    file_path(text)
    try:
        Path(text).expanduser()  # the database's path is read with ~ expanded (see store.database_url)
    except RuntimeError:
        raise argparse.ArgumentTypeError(f"there is no home folder for {_shown(text.split('/')[0])}") from None
    if Path(text).name in ("", ".", ".."):
        raise argparse.ArgumentTypeError(f"{_shown(text)} is a folder; give a database file such as reviews.sqlite3")
    return text


def review_date(text: str) -> date:
    """argparse type for a review's date: a real date in the range the app's forms accept."""
    from app.services.reviews import EARLIEST_DATE, LATEST_DATE

    value = parse_date(text)
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise argparse.ArgumentTypeError(
            f"{value.isoformat()} is outside {EARLIEST_DATE.year}-{LATEST_DATE.year}, the years a review can have")
    return value


def _shown(text: str) -> str:
    """A value typed on the command line, short and printable, for an error message."""
    text = text if len(text) <= 40 else text[:40] + "…"
    return text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text


def describe_os_error(exc: OSError) -> str:
    """One plain sentence for a file-system error, naming the file the user gave (never its contents)."""
    where = exc.filename if isinstance(exc.filename, str) else ""
    name = f" {_shown(where)}" if where else ""
    words = {
        errno.ENAMETOOLONG: f"The file name{name} is too long for this computer.",
        errno.ENOENT: f"There is no such file or folder{name}.",
        errno.ENOTDIR: f"A part of the path{name} is a file, not a folder.",
        errno.EISDIR: f"{name.strip() or 'The path'} is a folder, not a file.",
        errno.EEXIST: f"{name.strip() or 'The file'} is already there.",
        errno.EACCES: f"Permission denied for{name or ' the file'}.",
        errno.EPERM: f"Permission denied for{name or ' the file'}.",
        errno.ENOSPC: "The disk is full; free some space and try again.",
        errno.EROFS: f"The storage for{name or ' the file'} is read-only.",
        errno.EDQUOT: "The disk quota is used up; free some space and try again.",
        errno.EIO: "The storage reported an input/output error; the disk may be failing.",
    }
    sentence = words.get(exc.errno)
    if sentence is None:
        reason = exc.strerror or type(exc).__name__
        sentence = f"A file could not be read or written{(' (' + name.strip() + ')') if name else ''}: {reason}."
    return sentence

def open_store(target: str | None, *, create: bool, passphrase_env: str | None = None,
                flag: str = "--passphrase-env"):
    """Open (or create, encrypted) a database; a new one's recovery key goes to stderr once."""
    from app.security.data_key import PassphraseNeededError, open_database
    from app.security.passphrase_rule import ask_text
    from app.services.store import default_database_path

    if target is None:
        target = team_database_setting()
    if target is None:
        path = default_database_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        target = str(path)

    def passphrase(creating: bool) -> str | None:
        secret = secret_from_env(passphrase_env, PASSPHRASE_ENV)
        if secret is None:
            prompt = ask_text("the new database") if creating else "Passphrase for the database: "
            secret = ask(prompt, confirm=creating)
        return secret

    def show_recovery_key(recovery: str) -> None:
        # Before the new database is put in place: a database whose recovery key was never shown
        # must not exist (a run killed after this leaves the pair to be finished or cleared).
        print("reviewday: the new database is encrypted. Write down or print this recovery key and keep it "
              "safe: it opens the database if the passphrase is forgotten or the keyring changes. "
              "It is shown only this once.", file=sys.stderr)
        print(f"Recovery key: {recovery}", file=sys.stderr, flush=True)

    try:
        store, _recovery = open_database(target, passphrase=passphrase, create=create,
                                         on_recovery_key=show_recovery_key)
    except PassphraseNeededError as exc:
        what = "A new database is encrypted: choose its passphrase" if exc.creating else \
            "This database is encrypted: give the passphrase"
        raise UsageError(f"{what} with {flag} VAR or {PASSPHRASE_ENV}.") from None
    return store

def team_database_setting() -> str | None:
    """The team database from the settings (used when no --db is given), else None."""
    from app.settings import load_settings

    return load_settings().settings.database_url

def secret_from_env(var: str | None, default_var: str | None) -> str | None:
    import os

    if var:
        if var not in os.environ:
            raise UsageError(f"The environment variable {var} is not set.")
        return os.environ[var]
    if default_var and os.environ.get(default_var):
        return os.environ[default_var]
    return None

def ask(prompt: str, *, confirm: bool) -> str | None:
    """Ask on the terminal without echo; None when there is no terminal to ask on."""
    import getpass

    if not sys.stdin.isatty():
        return None
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again, to check: ") != first:
        raise UsageError("The two passphrases were different; nothing was created.")
    return first

def identity_store():
    from app.security.identities import IdentityStore

    return IdentityStore.default()
