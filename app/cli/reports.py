"""Exporting a review: the report, easy read, action tracker and audit trail; signing."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import (
    EXIT_OK,
    PASSPHRASE_ENV,
    UsageError,
    add_db,
    add_db_passphrase_env,
    add_passphrase_env,
    file_path,
    ask,
    identity_store,
    open_store,
    review_id,
    secret_from_env,
)

# Formats written by app.report.publish; other modules may add their own (see EXPORTERS).
REPORT_FORMATS = ("pdf", "easyread", "docx", "xlsx", "audit")
# Extra export formats: format name -> handler(args) -> exit code. Filled by other command modules.
EXPORTERS: dict = {}
# Extra options for `export`: callables given the export parser. Filled by the same modules.
EXPORT_OPTIONS: list = []


def register(commands) -> dict:
    export = commands.add_parser("export", help="write a review's report, easy read or action tracker")
    export.add_argument("review_id", type=review_id, metavar="ID", help="the review's id (see 'reviewday list')")
    add_db(export, required=True)
    export.add_argument("--format", required=True, choices=REPORT_FORMATS + tuple(EXPORTERS))
    export.add_argument("--out", required=True, metavar="FILE", type=file_path, help="where to write it (replaced atomically)")
    export.add_argument("--sign", action="store_true",
                        help="sign the PDF: as chair (locks the review) or, once signed, as a countersignature")
    export.add_argument("--identity", metavar="NAME", help="the signing identity to use with --sign")
    export.add_argument("--sign-empty-sections", action="store_true",
                        help="with --sign: sign even though some sections have nothing written (recorded)")
    add_passphrase_env(export)
    add_db_passphrase_env(export, flag="--db-passphrase-env")
    for add_options in EXPORT_OPTIONS:
        add_options(export)
    return {"export": _cmd_export}


def _cmd_export(args: argparse.Namespace) -> int:
    from app.report import publish

    if args.format in EXPORTERS and not args.sign:
        return EXPORTERS[args.format](args)
    if getattr(args, "encrypt_to", None):
        raise UsageError("--encrypt-to works with --format json only.")
    if args.sign and args.format != "pdf":
        raise UsageError("--sign works with --format pdf only.")
    if args.identity and not args.sign:
        raise UsageError("--identity goes with --sign.")
    if args.sign and not args.identity:
        raise UsageError("--sign needs --identity NAME (see 'reviewday identity list').")
    if args.sign_empty_sections and not args.sign:
        raise UsageError("--sign-empty-sections goes with --sign.")
    store = open_store(args.db, create=False, passphrase_env=args.db_passphrase_env, flag="--db-passphrase-env")
    try:
        if not args.sign:
            out = publish.export_report(store, args.review_id, args.format, Path(args.out))
            print(f"Wrote {out}")
            return EXIT_OK
        identities = identity_store()
        info = identities.get(args.identity)
        signer_actor = _panel_member(store, args.review_id, info.name)
        from app.services import reviews, signoff

        if not reviews.get_review(store, args.review_id).locked and not args.sign_empty_sections:
            empty = signoff.empty_sections(store, args.review_id)
            if empty:
                raise UsageError(signoff.empty_sections_message(empty)
                                 + " Add --sign-empty-sections to sign anyway (it is recorded).")
        passphrase = secret_from_env(args.passphrase_env, PASSPHRASE_ENV)
        if passphrase is None and not identities.has_remembered_passphrase(info.name):
            passphrase = ask(f"Passphrase for {info.name}'s signing key: ", confirm=False)
        signer = identities.load_signer(info.name, passphrase)
        result = publish.sign_report(store, args.review_id, signer=signer, signer_actor=signer_actor,
                                     fingerprint=info.fingerprint, out=Path(args.out),
                                     accept_empty_sections=args.sign_empty_sections)
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
