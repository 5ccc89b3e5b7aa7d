"""Health checks of the SQLite database file, made without changing a byte of it (no Qt).

``detect_damage`` runs before the app opens the database: it looks at the header, a -wal file
that went missing, and ``PRAGMA quick_check``. ``doctor`` (``reviewday doctor``) lists every
problem found, one plain sentence each.

Plain SQLite has no page checksums, so damage inside a row's text cannot be seen by any check;
structural damage (a page of random bytes, a zeroed header, a truncated file) is detected, and
SQLCipher's per-page HMAC detects any changed byte of an encrypted database.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

from app.services.db_files import SQLITE_MAGIC, connect_file, db_errors, keys_path, read_header, read_mode, side_path
from app.services.errors import DatabaseOpenError


# What SQLCipher's "not a database" means before anything else is known: a wrong key or damage.
UNREADABLE_WITH_KEY = "The database cannot be read with this key, or it is damaged."


def _lost_wal(db_path: Path) -> str | None:
    """Committed changes that lived only in a -wal file that has gone (the -shm index remembers them)."""
    shm, wal = side_path(db_path, "-shm"), side_path(db_path, "-wal")
    if wal.exists() or not shm.exists():
        return None
    try:
        with open(shm, "rb") as stream:
            index = stream.read(136)
    except OSError:
        return None
    if len(index) < 100 or index[12] != 1:  # isInit: the index was never filled in
        return None
    max_frame = struct.unpack("=I", index[16:20])[0]
    backfilled = struct.unpack("=I", index[96:100])[0]
    if max_frame > backfilled:
        return ("The database's write-ahead log (the -wal file beside it) is missing, "
                "so its most recent changes are lost.")
    return None


def _header_problem(db_path: Path, header: bytes, key: bytes | None, *, strict: bool) -> str | None:
    if len(header) < 100:
        return "The database file is too short to be a database (it was cut off)."
    if header[:16] == SQLITE_MAGIC:
        page_size = struct.unpack(">H", header[16:18])[0]
        page_size = 65536 if page_size == 1 else page_size
        if page_size < 512 or page_size & (page_size - 1):
            return "The start of the database file is damaged."
        size = db_path.stat().st_size
        pages = struct.unpack(">I", header[28:32])[0]
        counted = header[92:96] == header[24:28]
        if size % page_size or (counted and not side_path(db_path, "-wal").exists() and size < pages * page_size):
            return "The database file is shorter than it should be (it was cut off)."
        return None
    if key is not None:
        return None  # SQLCipher: the whole file looks random; the key check below decides
    if strict and keys_path(db_path).is_file():
        return "The database is encrypted, so its key is needed to check it."
    if strict or header.count(0) > 80:
        return "The start of the database file is damaged (it is not a SQLite database any more)."
    return None  # may be an encrypted database: opening it with its key will tell


def detect_damage(db_path: Path, key: bytes | None = None, *, strict: bool | None = None) -> str | None:
    """A cheap check before opening: None when the file looks sound (or is new), else a plain reason.

    Changes nothing on disk. Without a key, a file whose header is neither SQLite's nor blank is
    damaged unless it may be an encrypted database: by default (``strict=None``) when it has a key
    file beside it; then the keyed open decides.
    """
    db_path = Path(db_path)
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return None
    if strict is None:
        strict = not keys_path(db_path).is_file()
    lost = _lost_wal(db_path)
    if lost:
        return lost
    header = read_header(db_path)
    problem = _header_problem(db_path, header, key, strict=strict)
    if problem or (key is None and header[:16] != SQLITE_MAGIC):
        return problem
    errors = db_errors()
    try:
        conn = connect_file(db_path, key, mode=read_mode(db_path))
    except errors:
        return "The database file cannot be opened."
    try:
        result = [row[0] for row in conn.execute("PRAGMA quick_check")]
    except errors as exc:
        if key is not None and "not a database" in str(exc).lower():
            return UNREADABLE_WITH_KEY
        return "The database file is damaged."
    finally:
        conn.close()
    if result != ["ok"]:
        return "The database file is damaged (SQLite's quick check found problems)."
    return None


def damage_with_key(db_path: Path, key: bytes) -> str | None:
    """The keyed check of an encrypted database whose key file gave `key`: None when sound.

    The key came out of the key file beside the database (its check value matched), so a file
    SQLCipher cannot read is taken for damage (a damaged first page makes every page unreadable,
    just as a wrong key would). When a backup opens with the same key that is certain, and said
    so; only when no backup can tell is the other possibility named as well. A missing or empty
    file next to a key file is damage too (the data is gone, the key file says there was some).
    """
    db_path = Path(db_path)
    wal = side_path(db_path, "-wal")
    if not db_path.exists():
        return "The database file is missing, though its key file is still there."
    if db_path.is_file() and db_path.stat().st_size == 0 and not (wal.is_file() and wal.stat().st_size):
        return "The database file is empty (it was cut off)."
    reason = detect_damage(db_path, key)
    if reason != UNREADABLE_WITH_KEY:
        return reason
    return unreadable_reason(db_path, key)


def unreadable_reason(db_path: Path, key: bytes) -> str:
    """Why a database its own key file's key cannot read: damage, unless no backup can confirm it."""
    from app.services.backup import default_backup_folder, list_backups, verify_backup

    for info in list_backups(default_backup_folder(db_path))[:5]:
        if verify_backup(info.path, key) is None:
            return ("The database file is damaged: it cannot be read at all (its first page is damaged), "
                    "though its backups open with the same key.")
    return ("The database file cannot be read with the key in its key file: the file is damaged, or the "
            "key file beside it belongs to another database.")


def doctor(db_path: Path, key: bytes | None = None) -> list[str]:
    """Every problem found, one plain sentence each; empty when healthy. Changes nothing on disk.

    Raises DatabaseOpenError when there is no file to check.
    """
    from app.services.store import SCHEMA_HEAD

    db_path = Path(db_path)
    if db_path.is_dir():
        raise DatabaseOpenError(f"Cannot check {db_path}: it is a folder, not a file.")
    if not db_path.exists():
        raise DatabaseOpenError(f"Cannot check {db_path}: there is no such file.")
    if not os.access(db_path, os.R_OK):
        raise DatabaseOpenError(f"Cannot check {db_path}: the file cannot be read (check permissions).")
    problems: list[str] = []
    lost = _lost_wal(db_path)
    if lost:
        problems.append(lost)
    header = read_header(db_path)
    problem = _header_problem(db_path, header, key, strict=key is None)
    if problem:
        return [*problems, problem]
    errors = db_errors()
    try:
        conn = connect_file(db_path, key, mode=read_mode(db_path))
    except errors:
        return [*problems, "The database file cannot be opened."]
    try:
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
        if integrity != ["ok"]:
            first = integrity[0].replace("*** in database main ***", "").strip().splitlines()[0]
            problems.append(f"The database file is damaged: SQLite's integrity check found problems (first: {first}).")
            return problems
        broken: dict[str, int] = {}
        for row in conn.execute("PRAGMA foreign_key_check"):
            broken[row[0]] = broken.get(row[0], 0) + 1
        for table, count in sorted(broken.items()):
            rows = "row" if count == 1 else "rows"
            problems.append(f"{count} {rows} in the table {table} point to rows that no longer exist.")
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            problems.append("It is not a ReviewDay database (it has no schema version).")
        else:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = revision[0] if revision else None
            if revision != SCHEMA_HEAD:
                if revision in _known_revisions():
                    problems.append(f"The database's schema is at {revision}, older than this version of "
                                    f"ReviewDay ({SCHEMA_HEAD}); opening it in the app upgrades it.")
                else:
                    problems.append(f"The database's schema ({revision}) is unknown to this version of "
                                    f"ReviewDay ({SCHEMA_HEAD}); it may come from a newer version.")
    except errors as exc:
        if key is not None and "not a database" in str(exc).lower():
            problems.append(unreadable_reason(db_path, key))
        else:
            problems.append("The database file is damaged (it cannot be read as a database).")
    finally:
        conn.close()
    return problems


def _known_revisions() -> set[str]:
    versions = Path(__file__).resolve().parent.parent / "migrations" / "versions"
    return {path.stem for path in versions.glob("*.py") if not path.name.startswith("_")}
