"""Review bundles: export one review as JSON (optionally encrypted), import one, manage bundle keys."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli import reports
from app.security.passphrase_rule import ask_text
from app.cli.common import (
    EXIT_OK,
    PASSPHRASE_ENV,
    Parser,
    UsageError,
    add_db,
    add_db_passphrase_env,
    ask,
    file_path,
    open_store,
    secret_from_env,
)

IMPORT_ACTOR = ("Command line", "chair")


def register(commands) -> dict:
    keys = commands.add_parser("bundle-key", help="keys that encrypted review bundles are sent to")
    actions = keys.add_subparsers(dest="bundle_key_command", parser_class=Parser, metavar="ACTION", required=True)
    create = actions.add_parser("create", help="make a new bundle key (its private half stays encrypted here)")
    create.add_argument("--name", required=True, help="what to call the key, e.g. your name")
    create.add_argument("--passphrase-env", metavar="VAR",
                        help="read the key's passphrase from this environment variable "
                             f"(default: {PASSPHRASE_ENV}, else ask)")
    export_public = actions.add_parser("export-public", help="write a bundle key's public half, to give to senders")
    export_public.add_argument("name", metavar="NAME")
    export_public.add_argument("--out", required=True, metavar="FILE", type=file_path)
    actions.add_parser("list", help="list the bundle keys on this computer")

    importing = commands.add_parser("import", help="add a review from a bundle file (plain or encrypted)")
    importing.add_argument("file", metavar="FILE", type=file_path, help="the bundle file")
    add_db(importing, required=True)
    importing.add_argument("--key", metavar="NAME",
                           help="the bundle key to decrypt with (default: the one the bundle was made for)")
    importing.add_argument("--passphrase-env", metavar="VAR",
                           help=f"read the bundle key's passphrase from this environment variable (default: {PASSPHRASE_ENV}, else ask)")
    add_db_passphrase_env(importing, flag="--db-passphrase-env")
    return {"bundle-key": _cmd_bundle_key, "import": _cmd_import}


def add_export_options(export: argparse.ArgumentParser) -> None:
    export.add_argument("--encrypt-to", metavar="PUBLIC_KEY_FILE", type=file_path,
                        help="with --format json: encrypt the bundle to this public key (see 'reviewday bundle-key')")


def _keys():
    from app.bundle.keys import BundleKeyStore

    return BundleKeyStore.default()


def _cmd_bundle_key(args: argparse.Namespace) -> int:
    from app.report.atomic import atomic_write_bytes

    keys = _keys()
    if args.bundle_key_command == "create":
        passphrase = secret_from_env(args.passphrase_env, PASSPHRASE_ENV)
        if passphrase is None:
            passphrase = ask(ask_text(f"the bundle key {args.name}"), confirm=True)
        if passphrase is None:
            raise UsageError(f"A bundle key needs a passphrase: give one with --passphrase-env VAR or {PASSPHRASE_ENV}.")
        info = keys.create(args.name, passphrase)
        print(f"Created the bundle key {info.name} (key id {info.key_id[:16]}).")
        return EXIT_OK
    if args.bundle_key_command == "export-public":
        out = Path(args.out)
        atomic_write_bytes(out, keys.public_pem(args.name))
        print(f"Wrote {out}")
        return EXIT_OK
    infos = keys.list()
    if not infos:
        print("No bundle keys yet.")
    for info in infos:
        print(f"{info.name:<30} key id {info.key_id[:16]}  created {info.created_at:%Y-%m-%d}")
    return EXIT_OK


def _cmd_export_json(args: argparse.Namespace) -> int:
    from app.bundle.files import export_bundle
    from app.bundle.keys import load_public_key

    recipient = load_public_key(args.encrypt_to) if args.encrypt_to else None
    store = open_store(args.db, create=False, passphrase_env=args.db_passphrase_env, flag="--db-passphrase-env")
    try:
        out = export_bundle(store, args.review_id, Path(args.out), recipient_public_key=recipient)
    finally:
        store.close()
    print(f"Wrote {out}" + (" (encrypted)" if recipient is not None else ""))
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from app.bundle import import_review
    from app.bundle.files import key_finder, read_bundle
    from app.services.dto import Actor

    def passphrase(name: str) -> str | None:
        secret = secret_from_env(args.passphrase_env, PASSPHRASE_ENV)
        if secret is None:
            secret = ask(f"Passphrase for the bundle key {name}: ", confirm=False)
        if secret is None:
            raise UsageError(f"The bundle key {name} needs its passphrase: give it with --passphrase-env VAR.")
        return secret

    # Everything about the file is checked before the database is opened.
    document = read_bundle(args.file, key_finder(_keys(), args.key, passphrase))
    store = open_store(args.db, create=False, passphrase_env=args.db_passphrase_env, flag="--db-passphrase-env")
    try:
        review_id = import_review(store, document, Actor(*IMPORT_ACTOR))
    finally:
        store.close()
    print(review_id)
    return EXIT_OK


reports.EXPORTERS["json"] = _cmd_export_json
reports.EXPORT_OPTIONS.append(add_export_options)
