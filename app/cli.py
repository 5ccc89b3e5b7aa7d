"""The command line: `reviewday` opens the app; subcommands make everything scriptable.

Exit codes: 0 success, 1 a check failed, 2 bad usage or bad input (one clear line on stderr).
Qt, reportlab and the like are imported only by the commands that need them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

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
    _add_db_passphrase_env(demo)

    listing = commands.add_parser("list", help="list reviews")
    _add_db(listing, required=True)
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    _add_db_passphrase_env(listing)

    templates = commands.add_parser("templates", help="list the KLOE templates and their versions")
    templates.add_argument("--json", action="store_true", help="machine-readable output")

    _add_identity_commands(commands)

    export = commands.add_parser("export", help="write a review's report, easy read or action tracker")
    export.add_argument("review_id", type=int, metavar="ID", help="the review's id (see 'reviewday list')")
    _add_db(export, required=True)
    export.add_argument("--format", required=True, choices=("pdf", "easyread", "docx", "xlsx", "audit"))
    export.add_argument("--out", required=True, metavar="FILE", help="where to write it (replaced atomically)")
    export.add_argument("--sign", action="store_true",
                        help="sign the PDF: as chair (locks the review) or, once signed, as a countersignature")
    export.add_argument("--identity", metavar="NAME", help="the signing identity to use with --sign")
    _add_passphrase_env(export)
    _add_db_passphrase_env(export, flag="--db-passphrase-env")

    verify = commands.add_parser("verify", help="check the signatures on a signed report PDF")
    verify.add_argument("file", metavar="FILE.pdf", help="the signed report")
    verify.add_argument(
        "--trust", action="append", default=[], metavar="CERT",
        help="a certificate (PEM or DER) to treat as trusted; repeat for more",
    )
    verify.add_argument("--json", action="store_true", help="machine-readable output")
    _add_backup_commands(commands)
    _add_retention_commands(commands)
    return parser


def _add_identity_commands(commands) -> None:
    identity = commands.add_parser(
        "identity", help="signing identities: a person's certificate and encrypted key"
    )
    actions = identity.add_subparsers(dest="identity_command", parser_class=_Parser, metavar="ACTION", required=True)

    create = actions.add_parser("create", help="make a new self-signed signing identity")
    create.add_argument("--name", required=True, help="the person's name, as it should appear on signed reports")
    create.add_argument("--role", required=True, help="their role, e.g. 'Chair' or 'Clinical expert'")
    _add_passphrase_env(create)
    create.add_argument("--remember", action="store_true", help="keep the passphrase in the system keyring, if there is one")

    listing = actions.add_parser("list", help="list signing identities")
    listing.add_argument("--json", action="store_true", help="machine-readable output")

    imported = actions.add_parser("import", help="import an organisation's certificate and key from a .p12/.pfx file")
    imported.add_argument("file", metavar="FILE.p12", help="the PKCS#12 file")
    imported.add_argument("--role", required=True, help="the person's role, e.g. 'Chair'")
    imported.add_argument("--name", help="the person's name (default: the certificate's common name)")
    imported.add_argument(
        "--p12-password-env", metavar="VAR", help="read the .p12 file's password from this environment variable"
    )
    _add_passphrase_env(imported)
    imported.add_argument("--remember", action="store_true", help="keep the passphrase in the system keyring, if there is one")


def _add_passphrase_env(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--passphrase-env", metavar="VAR",
        help="read the key's passphrase from this environment variable (default: REVIEWDAY_PASSPHRASE, else ask)",
    )


def _add_db_passphrase_env(parser: argparse.ArgumentParser, flag: str = "--passphrase-env") -> None:
    parser.add_argument(
        flag, metavar="VAR", dest="db_passphrase_env",
        help="read the database's passphrase from this environment variable (default: REVIEWDAY_PASSPHRASE; "
             "not needed when the system keyring holds the database's key)",
    )


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-11-20") from None


def main(argv: Sequence[str] | None = None) -> int:
    from app.logging_setup import setup_logging
    from app.services.errors import ReviewDayError

    setup_logging()  # ids-only log file, crash hook without messages, no core dumps

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
    except Exception as exc:  # a bug, not the user's mistake: one line, no personal data
        if os.environ.get("REVIEWDAY_DEBUG"):
            raise
        print(f"reviewday: internal error ({type(exc).__name__}); nothing further was changed. "
              "Run again with REVIEWDAY_DEBUG=1 to see the details.", file=sys.stderr)
        return EXIT_CHECK_FAILED


def _open_store(target: str | None, *, create: bool, passphrase_env: str | None = None,
                flag: str = "--passphrase-env"):
    """Open (or create, encrypted) a database; a new one's recovery key goes to stderr once."""
    from app.security.data_key import PassphraseNeededError, open_database
    from app.services.store import default_database_path

    if target is None:
        path = default_database_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        target = str(path)

    def passphrase(creating: bool) -> str | None:
        secret = _secret_from_env(passphrase_env, PASSPHRASE_ENV)
        if secret is None:
            prompt = "Passphrase for the new database (10 characters or more): " if creating else \
                "Passphrase for the database: "
            secret = _ask(prompt, confirm=creating)
        return secret

    try:
        store, recovery = open_database(target, passphrase=passphrase, create=create)
    except PassphraseNeededError as exc:
        what = "A new database is encrypted: choose its passphrase" if exc.creating else \
            "This database is encrypted: give the passphrase"
        raise UsageError(f"{what} with {flag} VAR or {PASSPHRASE_ENV}.") from None
    if recovery is not None:
        print("reviewday: the new database is encrypted. Write down or print this recovery key and keep it "
              "safe: it opens the database if the passphrase is forgotten or the keyring changes. "
              "It is shown only this once.", file=sys.stderr)
        print(f"Recovery key: {recovery}", file=sys.stderr)
    return store


def _cmd_demo(args: argparse.Namespace) -> int:
    from app.services.demo import seed_demo

    store = _open_store(args.db, create=True, passphrase_env=args.db_passphrase_env)
    try:
        review_id = seed_demo(store, review_date=args.date, size=args.size)
    finally:
        store.close()
    print(review_id)
    return EXIT_OK


def _cmd_list(args: argparse.Namespace) -> int:
    from app.services.reviews import list_reviews

    store = _open_store(args.db, create=False, passphrase_env=args.db_passphrase_env)
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


# -- signing identities and verification ---------------------------------------------------------

PASSPHRASE_ENV = "REVIEWDAY_PASSPHRASE"


def _secret_from_env(var: str | None, default_var: str | None) -> str | None:
    import os

    if var:
        if var not in os.environ:
            raise UsageError(f"The environment variable {var} is not set.")
        return os.environ[var]
    if default_var and os.environ.get(default_var):
        return os.environ[default_var]
    return None


def _ask(prompt: str, *, confirm: bool) -> str | None:
    """Ask on the terminal without echo; None when there is no terminal to ask on."""
    import getpass

    if not sys.stdin.isatty():
        return None
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again, to check: ") != first:
        raise UsageError("The two passphrases were different; nothing was created.")
    return first


def _passphrase(args: argparse.Namespace, *, confirm: bool) -> str:
    passphrase = _secret_from_env(args.passphrase_env, PASSPHRASE_ENV)
    if passphrase is None:
        passphrase = _ask("Passphrase for the signing key (8 characters or more): ", confirm=confirm)
    if passphrase is None:
        raise UsageError("A passphrase is needed: use --passphrase-env VAR.")
    return passphrase


def _identity_store():
    from app.security.identities import IdentityStore

    return IdentityStore.default()


def _cmd_identity(args: argparse.Namespace) -> int:
    return _IDENTITY_COMMANDS[args.identity_command](args)


def _print_identity_created(info, *, remembered: bool | None) -> None:
    print(f"Signing identity for {info.name} ({info.role}), {info.kind}.")
    print(f"Certificate fingerprint (SHA-256): {info.fingerprint_display}")
    print(f"Certificate file: {info.certificate_path}")
    if remembered is True:
        print("The passphrase is kept in the system keyring.")
    elif remembered is False:
        print("No system keyring is available: the passphrase will be asked for when signing.")


def _cmd_identity_create(args: argparse.Namespace) -> int:
    store = _identity_store()
    passphrase = _passphrase(args, confirm=True)
    info = store.create(args.name, args.role, passphrase, remember=args.remember)
    _print_identity_created(info, remembered=store.has_remembered_passphrase(info.name) if args.remember else None)
    return EXIT_OK


def _cmd_identity_import(args: argparse.Namespace) -> int:
    store = _identity_store()
    p12_password = _secret_from_env(args.p12_password_env, None)
    if p12_password is None:
        p12_password = _ask(f"Password of {args.file}: ", confirm=False)
    passphrase = _passphrase(args, confirm=True)
    info = store.import_pkcs12(
        args.file, p12_password, passphrase, role=args.role, name=args.name, remember=args.remember
    )
    _print_identity_created(info, remembered=store.has_remembered_passphrase(info.name) if args.remember else None)
    return EXIT_OK


def _cmd_identity_list(args: argparse.Namespace) -> int:
    identities = _identity_store().list()
    if args.json:
        print(json.dumps([info.to_json() for info in identities], indent=2, ensure_ascii=False))
        return EXIT_OK
    if not identities:
        print("No signing identities yet. Make one with: reviewday identity create --name NAME --role ROLE")
        return EXIT_OK
    header = ("NAME", "ROLE", "KIND", "CREATED", "EXPIRES", "FINGERPRINT")
    table = [header] + [
        (i.name, i.role, i.kind, i.created_at.date().isoformat(),
         i.expires_at.date().isoformat() if i.expires_at else "", i.fingerprint_display[:23] + "\u2026")
        for i in identities
    ]
    widths = [max(len(row[c]) for row in table) for c in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return EXIT_OK


def _cmd_verify(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.report.verify import describe, verify_pdf

    result = verify_pdf(Path(args.file), trust=[Path(cert) for cert in args.trust])
    if args.json:
        print(json.dumps({"file": args.file, **result.to_json()}, indent=2, ensure_ascii=False))
    else:
        print("\n".join(describe(result, file_name=args.file)))
    if result.ok:
        return EXIT_OK
    print(f"reviewday: {args.file}: {result.reason}.", file=sys.stderr)
    return EXIT_CHECK_FAILED


def _cmd_export(args: argparse.Namespace) -> int:
    from app.report import publish

    if args.sign and args.format != "pdf":
        raise UsageError("--sign works with --format pdf only.")
    if args.identity and not args.sign:
        raise UsageError("--identity goes with --sign.")
    if args.sign and not args.identity:
        raise UsageError("--sign needs --identity NAME (see 'reviewday identity list').")
    store = _open_store(args.db, create=False, passphrase_env=args.db_passphrase_env, flag="--db-passphrase-env")
    try:
        if not args.sign:
            out = publish.export_report(store, args.review_id, args.format, Path(args.out))
            print(f"Wrote {out}")
            return EXIT_OK
        identities = _identity_store()
        info = identities.get(args.identity)
        signer_actor = _panel_member(store, args.review_id, info.name)
        passphrase = _secret_from_env(args.passphrase_env, PASSPHRASE_ENV)
        if passphrase is None and not identities.has_remembered_passphrase(info.name):
            passphrase = _ask(f"Passphrase for {info.name}'s signing key: ", confirm=False)
        signer = identities.load_signer(info.name, passphrase)
        result = publish.sign_report(store, args.review_id, signer=signer, signer_actor=signer_actor,
                                     fingerprint=info.fingerprint, out=Path(args.out))
    finally:
        store.close()
    what = "Countersigned" if result.countersigned else "Signed (the review is now locked)"
    print(f"{what}: revision {result.revision.number}, written to {args.out}")
    return EXIT_OK


def _panel_member(store, review_id: int, name: str):
    """The signer as the review's register knows them: only panel members sign."""
    from app.kloe.roles import PANEL_ROLE_IDS
    from app.services import people
    from app.services.dto import Actor

    wanted = " ".join(name.split()).casefold()
    for attendee in people.list_attendees(store, review_id):
        if attendee.role in PANEL_ROLE_IDS and attendee.name.casefold() == wanted:
            return Actor(attendee.name, attendee.role)
    raise UsageError(f"{name} is not on the panel of review {review_id}, so cannot sign its report.")


# -- backup, restore, doctor -------------------------------------------------------------------


def _add_retention_commands(commands) -> None:
    purge = commands.add_parser(
        "purge", help="export a signed review in every format, check the files, then delete it from this computer")
    purge.add_argument("review_id", type=int, metavar="ID")
    _add_db(purge, required=True)
    purge.add_argument("--export-to", required=True, metavar="FOLDER", help="an existing folder for the exports")
    _add_db_passphrase_env(purge)

    access = commands.add_parser("subject-access", help="export everything held about one person")
    _add_db(access, required=True)
    access.add_argument("--person", required=True, metavar="LABEL", help="the person's initials or pseudonym")
    access.add_argument("--out", required=True, metavar="FOLDER")
    _add_db_passphrase_env(access)


def _cmd_purge(args: argparse.Namespace) -> int:
    from app.report.archive import export_and_purge
    from app.services.dto import Actor

    store = _open_store(args.db, create=False, passphrase_env=args.db_passphrase_env)
    try:
        result = export_and_purge(store, args.review_id, Path(args.export_to), Actor("Command line", "chair"))
    finally:
        store.close()
    print(f"Exported {len(result.files)} files to {result.folder}; the review is deleted from this database.")
    return EXIT_OK


def _cmd_subject_access(args: argparse.Namespace) -> int:
    from app.report.archive import subject_access_export

    store = _open_store(args.db, create=False, passphrase_env=args.db_passphrase_env)
    try:
        files = subject_access_export(store, args.person, Path(args.out))
    finally:
        store.close()
    print(f"Wrote {len(files)} files to {args.out} (see index.txt).")
    return EXIT_OK


def _add_backup_commands(commands) -> None:
    backup = commands.add_parser("backup", help="write a verified backup of the database (SQLite's backup API)")
    _add_db(backup, required=True)
    backup.add_argument("--out", required=True, metavar="FILE", help="the backup file (replaced atomically)")
    _add_db_passphrase_env(backup)

    restore = commands.add_parser(
        "restore", help="put a backup in place of the database; the database that was there is kept aside"
    )
    restore.add_argument("file", metavar="FILE", help="the backup file")
    _add_db(restore, required=True)
    _add_db_passphrase_env(restore)

    doctor = commands.add_parser("doctor", help="check the database file; exit 1 with the reasons when damaged")
    _add_db(doctor, required=True)
    _add_db_passphrase_env(doctor)


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
    secret = _secret_from_env(passphrase_env, PASSPHRASE_ENV)
    if secret is None:
        secret = _ask("Passphrase for the database: ", confirm=False)
    if secret is None:
        raise UsageError(
            f"This database is encrypted: give the passphrase with --passphrase-env VAR or {PASSPHRASE_ENV}."
        )
    return data_key.unlock(holder, secret, clock=lambda: datetime.now(UTC))


def _is_plain_sqlite(path: Path) -> bool:
    from app.services.backup import SQLITE_MAGIC

    with open(path, "rb") as stream:
        return stream.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC


def _size_text(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} bytes"  # pragma: no cover


def _cmd_backup(args: argparse.Namespace) -> int:
    from app.services.backup import backup_to

    store = _open_store(args.db, create=False, passphrase_env=args.db_passphrase_env)
    try:
        info = backup_to(store, Path(args.out))
    finally:
        store.close()
    print(f"Backed up to {info.path} ({_size_text(info.size)}, checked).")
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace) -> int:
    from app.services.backup import restore

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
    from app.services.backup import doctor

    db = Path(args.db).expanduser()
    if "://" in args.db:
        raise UsageError("doctor checks database files only.")
    key = _database_key(db, args.db_passphrase_env) if db.is_file() else None
    problems = doctor(db, key=key)
    if not problems:
        print(f"{db}: healthy")
        return EXIT_OK
    for problem in problems:
        print(problem)
    print(f"reviewday: {db}: {len(problems)} problem{'s' if len(problems) != 1 else ''} found.", file=sys.stderr)
    return EXIT_CHECK_FAILED


_IDENTITY_COMMANDS = {
    "create": _cmd_identity_create,
    "list": _cmd_identity_list,
    "import": _cmd_identity_import,
}


def _run_gui(args: argparse.Namespace) -> int:
    from app.ui.app import run_gui

    return run_gui(db=args.db, demo=args.demo, review_id=args.review, exit_when_ready=args.exit_when_ready)


_COMMANDS = {
    "purge": _cmd_purge,
    "subject-access": _cmd_subject_access,
    "export": _cmd_export,
    "demo": _cmd_demo,
    "list": _cmd_list,
    "templates": _cmd_templates,
    "identity": _cmd_identity,
    "verify": _cmd_verify,
    "backup": _cmd_backup,
    "restore": _cmd_restore,
    "doctor": _cmd_doctor,
}


if __name__ == "__main__":
    sys.exit(main())
