"""The team database: keeping a role's password in the system keyring, and checking the connection."""

from __future__ import annotations

import argparse

from app.cli.common import EXIT_OK, UsageError, ask, secret_from_env


def register(commands) -> dict:
    password = commands.add_parser(
        "team-password",
        help="keep the team database role's password in the system keyring (never in the settings file)",
    )
    password.add_argument("url", metavar="URL", help="the team database, postgresql://ROLE@SERVER[:PORT]/DATABASE")
    password.add_argument("--password-env", metavar="VAR", help="read the password from this environment variable "
                          "(default: ask on the terminal)")
    password.add_argument("--forget", action="store_true", help="remove the kept password instead")

    check = commands.add_parser("team-check", help="connect to the team database and report its state")
    check.add_argument("url", metavar="URL", help="the team database, postgresql://ROLE@SERVER[:PORT]/DATABASE")
    return {"team-password": _cmd_password, "team-check": _cmd_check}


def _server_url(text: str) -> str:
    from app.services.server_db import ServerUrlError, parse_server_url, url_has_password
    from app.services.store import database_url

    if "://" not in text:
        raise UsageError("Give the team database as postgresql://ROLE@SERVER[:PORT]/DATABASE.")
    if url_has_password(text):
        raise UsageError("Leave the password out of the address; this command asks for it.")
    try:
        parse_server_url(database_url(text))
    except ServerUrlError as exc:
        raise UsageError(str(exc)) from None
    return database_url(text)


def _cmd_password(args: argparse.Namespace) -> int:
    from app.services import server_db

    url = _server_url(args.url)
    try:
        if args.forget:
            forgotten = server_db.forget_password(url)
            account = server_db.keyring_account(url)
            print(f"Forgot the password kept for {account}." if forgotten else f"No password was kept for {account}.")
            return EXIT_OK
        secret = secret_from_env(args.password_env, None)
        if secret is None:
            secret = ask("Password for the team database role: ", confirm=True)
        if not secret:
            raise UsageError("Give the password on the terminal or with --password-env VAR.")
        account = server_db.keep_password(url, secret)
    except UsageError:
        raise
    except Exception as exc:  # the keyring library's own errors: no keyring, locked, refused
        raise UsageError(f"The system keyring could not keep the password ({type(exc).__name__}); "
                         "use PGPASSWORD or ~/.pgpass instead.") from None
    print(f"Kept the password for {account} in the system keyring.")
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from app.services.reviews import list_reviews
    from app.services.server_db import describe_server
    from app.services.store import Store

    url = _server_url(args.url)
    store = Store.open(url, create=False)
    try:
        count = len(list_reviews(store))
    finally:
        store.close()
    print(f"Connected to {describe_server(url)}: the schema is up to date, {count} review"
          f"{'' if count == 1 else 's'}.")
    return EXIT_OK
