"""Panel contributions: a member exports what they captured; the chair merges it into the review."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    PASSPHRASE_ENV,
    Parser,
    UsageError,
    add_db,
    add_db_passphrase_env,
    ask,
    file_path,
    open_store,
    review_id,
    secret_from_env,
)


def register(commands) -> dict:
    group = commands.add_parser("contribution", help="export a panel member's contribution, or merge one in")
    actions = group.add_subparsers(dest="contribution_command", parser_class=Parser, metavar="ACTION",
                                   required=True)

    export = actions.add_parser("export", help="write my copy of a review, with the file it started from")
    export.add_argument("review_id", type=review_id, metavar="ID", help="the review's id in this database")
    add_db(export, required=True)
    export.add_argument("--base", required=True, metavar="BASE.json", type=file_path,
                        help="the review bundle the chair gave you (what this copy was imported from)")
    export.add_argument("--name", required=True, help="your name, as it should appear on the merge")
    export.add_argument("--role", required=True, help="your panel role, e.g. clinical_expert")
    export.add_argument("--out", required=True, metavar="FILE", type=file_path, help="where to write the contribution")
    export.add_argument("--passphrase-env", metavar="VAR",
                        help="an encrypted BASE.json: read the bundle key's passphrase from this environment "
                             f"variable (default: {PASSPHRASE_ENV}, else ask)")
    add_db_passphrase_env(export, flag="--db-passphrase-env")

    merge = actions.add_parser("merge", help="merge a panel member's contribution into the review")
    merge.add_argument("file", metavar="FILE", type=file_path, help="the contribution file")
    add_db(merge, required=True)
    merge.add_argument("--take", choices=("theirs", "ours"),
                       help="settle every difference this way (without it, differences stop the merge)")
    add_db_passphrase_env(merge)
    return {"contribution": _cmd_contribution}


def _cmd_contribution(args: argparse.Namespace) -> int:
    if args.contribution_command == "export":
        return _export(args)
    return _merge(args)


def _read(path: str, what: str) -> bytes:
    from app.bundle.contribution import MAX_CONTRIBUTION_BYTES

    try:
        # One byte past the limit is enough to refuse it; a pipe or a device has no size to check first.
        with Path(path).open("rb") as stream:
            return stream.read(MAX_CONTRIBUTION_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(f"There is no {what} file {path}.") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder, not a {what} file.") from None
    except OSError as exc:
        raise UsageError(f"The {what} file {path} cannot be read ({exc.strerror or type(exc).__name__}).") from None


def _export(args: argparse.Namespace) -> int:
    from app.bundle.contribution import make_contribution, write_contribution
    from app.bundle.files import key_finder, read_bundle
    from app.bundle.keys import BundleKeyStore
    from app.services.dto import Actor

    def passphrase(name: str) -> str | None:
        secret = secret_from_env(args.passphrase_env, PASSPHRASE_ENV) or ask(
            f"Passphrase for the bundle key {name}: ", confirm=False)
        if secret is None:
            raise UsageError(f"The bundle key {name} needs its passphrase: give it with --passphrase-env VAR.")
        return secret

    # The base file is checked (and decrypted when it is encrypted) before the database is opened.
    base = read_bundle(args.base, key_finder(BundleKeyStore.default(), None, passphrase))
    store = open_store(args.db, create=False, passphrase_env=args.db_passphrase_env, flag="--db-passphrase-env")
    try:
        document = make_contribution(store, args.review_id, base, Actor(args.name, args.role))
    finally:
        store.close()
    write_contribution(args.out, document)
    print(f"Wrote your contribution to {args.out}; give it to the chair to merge.")
    return EXIT_OK


def _merge(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from app.bundle.contribution import load_contribution
    from app.bundle.merge import OURS, THEIRS
    from app.bundle.merge_store import apply_merge, plan_contribution
    from app.kloe.roles import role_label
    from app.models import Review
    from app.services.audit import field_words
    from app.services.dto import Actor

    contribution = load_contribution(_read(args.file, "contribution"))
    store = open_store(args.db, create=False, passphrase_env=args.db_passphrase_env)
    try:
        with store.read() as session:
            review_id = session.scalar(select(Review.id).where(Review.uid == contribution.review_uid))
        if review_id is None:
            raise UsageError("The review this contribution belongs to is not in this database.")
        plan = plan_contribution(store, review_id, contribution)
        if plan.conflicts and args.take is None:
            print(f"reviewday: the contribution and the review differ in {len(plan.conflicts)} place(s); "
                  "nothing was merged. Merge in the app to choose for each, or use --take ours|theirs:",
                  file=sys.stderr)
            for conflict in plan.conflicts:
                what = "the whole row (deleted on one side)" if conflict.field == "*" else field_words(conflict.field)
                where = f" {conflict.key[:8]}" if conflict.key else ""
                print(f"  {conflict.entity}{where}: {what}", file=sys.stderr)
            return EXIT_CHECK_FAILED
        choice = THEIRS if args.take == "theirs" else OURS
        result = apply_merge(store, review_id, plan, {c.id: choice for c in plan.conflicts},
                             Actor("Command line", "chair"))
    finally:
        store.close()
    who = role_label(contribution.contributor.role).lower()
    if result.merge_id is None:
        print(f"Nothing to merge: the {who}'s contribution adds nothing new to review {review_id}.")
    else:
        print(f"Merged the {who}'s contribution into review {review_id}: {result.text}")
    return EXIT_OK
