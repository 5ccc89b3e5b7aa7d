"""What every command shares: exit codes, the one-line usage error, --db and passphrase options."""

from __future__ import annotations

import argparse
import sys
from datetime import date

EXIT_OK, EXIT_CHECK_FAILED, EXIT_USAGE = 0, 1, 2
PASSPHRASE_ENV = "REVIEWDAY_PASSPHRASE"


class UsageError(Exception):
    """Bad usage or bad input: reported as one line, exit 2."""

class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would print usage and a second line
        raise UsageError(f"{message} (see '{self.prog} --help')")

def add_db(parser: argparse.ArgumentParser, *, required: bool, top: bool = False) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
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
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-11-20") from None

def open_store(target: str | None, *, create: bool, passphrase_env: str | None = None,
                flag: str = "--passphrase-env"):
    """Open (or create, encrypted) a database; a new one's recovery key goes to stderr once."""
    from app.security.data_key import PassphraseNeededError, open_database
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
            prompt = "Passphrase for the new database (10 characters or more): " if creating else \
                "Passphrase for the database: "
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
