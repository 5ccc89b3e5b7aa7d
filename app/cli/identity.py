"""Signing identities and signature verification."""

from __future__ import annotations

import argparse
import json
import sys

from app.security.passphrase_rule import ask_text
from app.cli.common import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    PASSPHRASE_ENV,
    Parser,
    UsageError,
    add_passphrase_env,
    ask,
    file_path,
    identity_store,
    secret_from_env,
)


def register(commands) -> dict:
    _add_identity_commands(commands)
    verify = commands.add_parser("verify", help="check the signatures on a signed report PDF")
    verify.add_argument("file", metavar="FILE.pdf", type=file_path, help="the signed report")
    verify.add_argument(
        "--trust", action="append", default=[], metavar="CERT", type=file_path,
        help="a certificate (PEM or DER) to treat as trusted; repeat for more",
    )
    verify.add_argument("--json", action="store_true", help="machine-readable output")
    return {"identity": _cmd_identity, "verify": _cmd_verify}


def _add_identity_commands(commands) -> None:
    identity = commands.add_parser(
        "identity", help="signing identities: a person's certificate and encrypted key"
    )
    actions = identity.add_subparsers(dest="identity_command", parser_class=Parser, metavar="ACTION", required=True)

    create = actions.add_parser("create", help="make a new self-signed signing identity")
    create.add_argument("--name", required=True, help="the person's name, as it should appear on signed reports")
    create.add_argument("--role", required=True, help="their role, e.g. 'Chair' or 'Clinical expert'")
    add_passphrase_env(create)
    create.add_argument("--remember", action="store_true", help="keep the passphrase in the system keyring, if there is one")

    listing = actions.add_parser("list", help="list signing identities")
    listing.add_argument("--json", action="store_true", help="machine-readable output")

    imported = actions.add_parser("import", help="import an organisation's certificate and key from a .p12/.pfx file")
    imported.add_argument("file", metavar="FILE.p12", type=file_path, help="the PKCS#12 file")
    imported.add_argument("--role", required=True, help="the person's role, e.g. 'Chair'")
    imported.add_argument("--name", help="the person's name (default: the certificate's common name)")
    imported.add_argument(
        "--p12-password-env", metavar="VAR", help="read the .p12 file's password from this environment variable"
    )
    add_passphrase_env(imported)
    imported.add_argument("--remember", action="store_true", help="keep the passphrase in the system keyring, if there is one")

def _passphrase(args: argparse.Namespace, *, confirm: bool) -> str:
    passphrase = secret_from_env(args.passphrase_env, PASSPHRASE_ENV)
    if passphrase is None:
        passphrase = ask(ask_text("the signing key"), confirm=confirm)
    if passphrase is None:
        raise UsageError("A passphrase is needed: use --passphrase-env VAR.")
    return passphrase

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
    store = identity_store()
    passphrase = _passphrase(args, confirm=True)
    info = store.create(args.name, args.role, passphrase, remember=args.remember)
    _print_identity_created(info, remembered=store.has_remembered_passphrase(info.name) if args.remember else None)
    return EXIT_OK

def _cmd_identity_import(args: argparse.Namespace) -> int:
    store = identity_store()
    p12_password = secret_from_env(args.p12_password_env, None)
    if p12_password is None:
        p12_password = ask(f"Password of {args.file}: ", confirm=False)
    passphrase = _passphrase(args, confirm=True)
    info = store.import_pkcs12(
        args.file, p12_password, passphrase, role=args.role, name=args.name, remember=args.remember
    )
    _print_identity_created(info, remembered=store.has_remembered_passphrase(info.name) if args.remember else None)
    return EXIT_OK

def _cmd_identity_list(args: argparse.Namespace) -> int:
    identities = identity_store().list()
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

_IDENTITY_COMMANDS = {
    "create": _cmd_identity_create,
    "list": _cmd_identity_list,
    "import": _cmd_identity_import,
}
