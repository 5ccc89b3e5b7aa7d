"""The database's data key: random, kept wrapped in a key file beside the database.

`<database file>.keys` is JSON (mode 0600, written atomically) holding:

- the random 32-byte data key that SQLCipher uses, wrapped twice with AES-256-GCM: once by a
  key derived from the user's passphrase (scrypt, its parameters stored beside it), once by a
  key derived from a random recovery key shown to the user once at creation;
- a check value (HMAC of the key file's uid under the data key) telling whether a data key
  remembered in the system keyring still belongs to this database;
- the record of failed passphrase attempts, so that the rising delays survive a restart.

Neither the passphrase, the recovery key nor the data key is ever written in the clear. A wrong
passphrase, a wrong recovery key or a tampered key file is refused with one plain sentence;
AES-GCM's tag means a wrong or altered wrapping never yields a key. The key file's own
bytes are not authenticated as a whole: someone able to edit it can reset the attempt
record, but gains nothing else (they could attack a copy offline anyway, which scrypt slows).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.security.passphrase_rule import passphrase_problem
from app.services.errors import ReviewDayError

log = logging.getLogger(__name__)

FORMAT = "reviewday-database-keys"
VERSION = 1
KEY_BYTES = 32
KEYS_SUFFIX = ".keys"

# Rising delays after wrong passphrases: none for the first FREE_ATTEMPTS failures, then
# 2, 4, 8 ... seconds, never more than MAX_DELAY_SECONDS. A success resets the count.
FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 300.0

# Unambiguous symbols for the recovery key: no 0/O, 1/I/L. 28 symbols of 31 = 138 bits.
RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECOVERY_GROUPS, RECOVERY_GROUP_SIZE = 7, 4
RECOVERY_LENGTH = RECOVERY_GROUPS * RECOVERY_GROUP_SIZE

Clock = Callable[[], datetime]


class DataKeyError(ReviewDayError):
    """The key file is missing, damaged or refused a request; the message says why."""


class WrongPassphraseError(DataKeyError):
    """The passphrase (or recovery key) did not open the key file.

    `retry_after_seconds` is how long to wait before the next attempt will be tried (0: now).
    """

    def __init__(self, message: str, retry_after_seconds: float = 0.0) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class TooSoonError(WrongPassphraseError):
    """An attempt came before the delay was over; the passphrase was not even tried."""


@dataclass(frozen=True)
class ScryptParams:
    """scrypt cost. The default takes about 0.5 s and 128 MiB on a 2-core laptop."""

    n: int = 2**17
    r: int = 8
    p: int = 1

    def check(self) -> None:
        # Bounds also stop a tampered key file from asking for terabytes of memory.
        if not (2**10 <= self.n <= 2**22 and self.n & (self.n - 1) == 0 and 1 <= self.r <= 32 and 1 <= self.p <= 16):
            raise DataKeyError("The key file asks for key-derivation settings ReviewDay does not accept.")


DEFAULT_KDF = ScryptParams()


def keys_path(db_path: str | Path) -> Path:
    """Where the key file of a database lives: beside it, named `<file>.keys`."""
    path = Path(db_path)
    return path.with_name(path.name + KEYS_SUFFIX)


def has_keys(db_path: str | Path) -> bool:
    return keys_path(db_path).is_file()


# -- creating and changing -------------------------------------------------------------------


def create_keys(
    db_path: str | Path, passphrase: str, *, kdf: ScryptParams | None = None
) -> tuple[bytes, str]:
    """A new random data key for a new database; returns (data key, recovery key text).

    Refuses to replace an existing key file: that would lock the existing data away for good.
    """
    check_passphrase(passphrase)
    kdf = kdf or DEFAULT_KDF
    kdf.check()
    target = keys_path(db_path)
    if target.exists():
        raise DataKeyError(f"The database {Path(db_path).name} already has a key file; nothing was changed.")
    data_key = secrets.token_bytes(KEY_BYTES)
    recovery = new_recovery_key_text()
    uid = secrets.token_hex(16)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "uid": uid,
        "check": _b64(_check_value(data_key, uid)),
        "passphrase": _wrap_with_passphrase(data_key, passphrase, uid, kdf),
        "recovery": _wrap_with_recovery(data_key, recovery, uid),
        "attempts": {"failures": 0, "last_failure": None},
    }
    _write(target, document)
    return data_key, recovery


def rewrap(
    db_path: str | Path, data_key: bytes, new_passphrase: str, *, kdf: ScryptParams | None = None
) -> None:
    """Wrap the data key with a new passphrase (after a recovery-key unlock, or to change it)."""
    check_passphrase(new_passphrase)
    kdf = kdf or DEFAULT_KDF
    kdf.check()
    target, document = _read(db_path)
    _require_matching(document, data_key)
    document["passphrase"] = _wrap_with_passphrase(data_key, new_passphrase, document["uid"], kdf)
    document["attempts"] = {"failures": 0, "last_failure": None}
    _write(target, document)


def replace_recovery_key(db_path: str | Path, data_key: bytes) -> str:
    """A fresh recovery key (the old one stops working); returns its text, to show once."""
    target, document = _read(db_path)
    _require_matching(document, data_key)
    recovery = new_recovery_key_text()
    document["recovery"] = _wrap_with_recovery(data_key, recovery, document["uid"])
    _write(target, document)
    return recovery


def check_passphrase(passphrase: str) -> None:
    """A new passphrase for the database: the one rule, app/security/passphrase_rule.py."""
    problem = passphrase_problem(passphrase)
    if problem:
        raise DataKeyError(problem)


# -- unlocking --------------------------------------------------------------------------------


def unlock(db_path: str | Path, passphrase: str, *, clock: Clock) -> bytes:
    """The data key, if `passphrase` opens the key file.

    Too soon after repeated failures: TooSoonError, without trying (no key derivation). Every
    attempt is counted as a failure in the key file before the key derivation starts, under a
    lock that other processes and threads wait for, so guesses made in parallel each count;
    a right passphrase then resets the count. Wrong: WrongPassphraseError.
    """
    with _attempts_lock(db_path):
        target, document = _read(db_path)
        wait = _delay(document, clock())
        if wait > 0:
            raise TooSoonError(f"Too many wrong passphrases: try again in {_seconds(wait)}.", wait)
        slot = document["passphrase"]
        params = ScryptParams(slot["n"], slot["r"], slot["p"])
        params.check()
        failures = int(document["attempts"].get("failures", 0)) + 1
        document["attempts"] = {"failures": failures, "last_failure": clock().isoformat()}
        _write_attempts(target, document)
    wrapping = _scrypt(passphrase, _unb64(slot["salt"]), params)
    data_key = _unwrap(wrapping, slot, _aad(document["uid"], "passphrase"))
    if data_key is None or not _matches(document, data_key):
        wait = delay_for_failures(failures)
        message = "The passphrase is wrong."
        if wait > 0:
            message = f"The passphrase is wrong: try again in {_seconds(wait)}."
        raise WrongPassphraseError(message, wait)
    with _attempts_lock(db_path):
        target, document = _read(db_path)
        if document["attempts"].get("failures"):
            document["attempts"] = {"failures": 0, "last_failure": None}
            _write_attempts(target, document)
    return data_key


ATTEMPTS_LOCK_SUFFIX = ".lock"


@contextmanager
def _attempts_lock(db_path: str | Path) -> Iterator[None]:
    """Exclusive use of the key file's attempt record (`<key file>.lock`), across processes and
    threads (each use opens the lock file anew, so threads exclude each other too).

    On storage where no lock file can be made (read-only media) the count cannot be written
    either, so the attempt goes on unlocked rather than refusing a right passphrase.
    """
    from filelock import FileLock, Timeout

    target = keys_path(db_path)
    lock_file = target.with_name(target.name + ATTEMPTS_LOCK_SUFFIX)
    lock = FileLock(lock_file, timeout=60, mode=0o600)
    try:
        lock.acquire()
    except Timeout:
        raise DataKeyError(f"The key file {target.name} is busy in another program; try again.") from None
    except OSError as exc:
        log.warning("no lock for the passphrase attempts: %s", type(exc).__name__)
        yield
        return
    try:
        yield
    finally:
        # Removed while still held, as db_lock does: a waiter that opened it meanwhile finds it
        # unlinked once it gets the lock, and filelock then opens the new one instead.
        try:
            lock_file.unlink(missing_ok=True)
        except OSError:
            pass
        lock.release()


def unlock_with_recovery_key(db_path: str | Path, recovery_key: str) -> bytes:
    """The data key, if `recovery_key` opens the key file. Follow with rewrap(new passphrase)."""
    _, document = _read(db_path)
    text = normalise_recovery_key(recovery_key)
    slot = document["recovery"]
    wrapping = _recovery_wrapping_key(text, _unb64(slot["salt"]))
    data_key = _unwrap(wrapping, slot, _aad(document["uid"], "recovery"))
    if data_key is None or not _matches(document, data_key):
        raise WrongPassphraseError("That recovery key does not open this database.")
    return data_key


def key_matches(db_path: str | Path, data_key: bytes) -> bool:
    """True if `data_key` is this database's data key (by the key file's check value)."""
    _, document = _read(db_path)
    return _matches(document, data_key)


def delay_before_next_attempt(db_path: str | Path, *, clock: Clock) -> float:
    """Seconds to wait before a passphrase will be tried (0: now)."""
    _, document = _read(db_path)
    return _delay(document, clock())


def failed_attempts(db_path: str | Path) -> int:
    _, document = _read(db_path)
    return int(document["attempts"].get("failures", 0))


def delay_for_failures(failures: int) -> float:
    """The wait after `failures` wrong passphrases in a row: 0, 0, 0, then 2, 4, 8 ... 300."""
    if failures <= FREE_ATTEMPTS:
        return 0.0
    return float(min(2 ** min(failures - FREE_ATTEMPTS, 20), MAX_DELAY_SECONDS))


# -- recovery keys ----------------------------------------------------------------------------


def new_recovery_key_text() -> str:
    symbols = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return "-".join(
        symbols[i : i + RECOVERY_GROUP_SIZE] for i in range(0, RECOVERY_LENGTH, RECOVERY_GROUP_SIZE)
    )


def normalise_recovery_key(text: str) -> str:
    """The recovery key's symbols, whatever the case, spaces or dashes typed; or a clear error."""
    symbols = "".join(ch for ch in str(text).upper() if not ch.isspace() and ch != "-")
    if len(symbols) != RECOVERY_LENGTH or any(ch not in RECOVERY_ALPHABET for ch in symbols):
        raise WrongPassphraseError(
            f"That is not a recovery key: it has {RECOVERY_LENGTH} letters and digits "
            f"in groups of {RECOVERY_GROUP_SIZE}, like ABCD-EFGH-..."
        )
    return symbols


# -- the system keyring -----------------------------------------------------------------------


class KeyringDataKeys:
    """Remember a database's data key in the system keyring, so that it opens without asking.

    Anything wrong with the keyring (none, locked, failing, or holding a key that no longer
    opens this key file) reads as "not remembered": the caller asks for the passphrase or the
    recovery key. Nothing is ever deleted here, and nothing is kept anywhere else.
    """

    def __init__(self, keyring_store=None) -> None:
        if keyring_store is None:
            from app.security.keyring_store import KeyringStore

            keyring_store = KeyringStore()
        self.keyring = keyring_store

    def account(self, db_path: str | Path) -> str:
        _, document = _read(db_path)
        return f"database:{document['uid']}"

    def get(self, db_path: str | Path) -> bytes | None:
        _, document = _read(db_path)
        secret = self.keyring.get(f"database:{document['uid']}")
        if not secret:
            return None
        try:
            data_key = bytes.fromhex(secret)
        except ValueError:
            log.info("the keyring holds something that is not a data key for this database")
            return None
        if not _matches(document, data_key):
            log.info("the keyring's data key does not open this database's key file")
            return None
        return data_key

    def remember(self, db_path: str | Path, data_key: bytes) -> bool:
        """Keep the key in the keyring; True only if a real keyring took it."""
        _, document = _read(db_path)
        _require_matching(document, data_key)
        return self.keyring.set(f"database:{document['uid']}", data_key.hex())


# -- internals --------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _aad(uid: str, slot: str) -> bytes:
    return f"{FORMAT}/v{VERSION}/{uid}/{slot}".encode()


def _check_value(data_key: bytes, uid: str) -> bytes:
    return hmac.new(data_key, f"{FORMAT}/check/{uid}".encode(), hashlib.sha256).digest()


def _matches(document: dict, data_key: bytes) -> bool:
    if not isinstance(data_key, bytes) or len(data_key) != KEY_BYTES:
        return False
    return hmac.compare_digest(_check_value(data_key, document["uid"]), _unb64(document["check"]))


def _require_matching(document: dict, data_key: bytes) -> None:
    if not _matches(document, data_key):
        raise DataKeyError("That key does not belong to this database; nothing was changed.")


def _scrypt(passphrase: str, salt: bytes, params: ScryptParams) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=params.n, r=params.r, p=params.p).derive(passphrase.encode("utf-8"))


def _recovery_wrapping_key(symbols: str, salt: bytes) -> bytes:
    # The recovery key is ~138 random bits: no stretching needed, only a proper derivation.
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"reviewday recovery key v1").derive(
        symbols.encode("ascii")
    )


def _seal(wrapping_key: bytes, data_key: bytes, aad: bytes) -> tuple[bytes, bytes]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(12)
    return nonce, AESGCM(wrapping_key).encrypt(nonce, data_key, aad)


def _unwrap(wrapping_key: bytes, slot: dict, aad: bytes) -> bytes | None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(wrapping_key).decrypt(_unb64(slot["nonce"]), _unb64(slot["wrapped"]), aad)
    except InvalidTag:
        return None


def _wrap_with_passphrase(data_key: bytes, passphrase: str, uid: str, kdf: ScryptParams) -> dict:
    salt = secrets.token_bytes(16)
    nonce, wrapped = _seal(_scrypt(passphrase, salt, kdf), data_key, _aad(uid, "passphrase"))
    return {"kdf": "scrypt", "n": kdf.n, "r": kdf.r, "p": kdf.p, "salt": _b64(salt),
            "cipher": "aes-256-gcm", "nonce": _b64(nonce), "wrapped": _b64(wrapped)}


def _wrap_with_recovery(data_key: bytes, recovery: str, uid: str) -> dict:
    salt = secrets.token_bytes(16)
    symbols = normalise_recovery_key(recovery)
    nonce, wrapped = _seal(_recovery_wrapping_key(symbols, salt), data_key, _aad(uid, "recovery"))
    return {"kdf": "hkdf-sha256", "salt": _b64(salt),
            "cipher": "aes-256-gcm", "nonce": _b64(nonce), "wrapped": _b64(wrapped)}


def _delay(document: dict, now: datetime) -> float:
    attempts = document["attempts"]
    failures = int(attempts.get("failures", 0))
    wait = delay_for_failures(failures)
    if wait <= 0 or not attempts.get("last_failure"):
        return 0.0
    last = datetime.fromisoformat(attempts["last_failure"])
    if (last.tzinfo is None) != (now.tzinfo is None):
        last = last.replace(tzinfo=now.tzinfo)
    remaining = wait - (now - last).total_seconds()
    # A clock set back must not make the wait longer than the delay itself.
    return max(0.0, min(remaining, wait))


def _seconds(wait: float) -> str:
    whole = int(wait) + (wait > int(wait))
    if whole >= 120:
        return f"{(whole + 59) // 60} minutes"
    return f"{whole} s"


def _read(db_path: str | Path) -> tuple[Path, dict]:
    target = keys_path(db_path)
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        raise DataKeyError(f"The key file {target.name} is missing, so the database cannot be unlocked.") from None
    except OSError as exc:
        raise DataKeyError(f"The key file {target.name} cannot be read: {exc.strerror or exc}.") from None
    damaged = DataKeyError(f"The key file {target.name} is damaged, so the database cannot be unlocked with it.")
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise damaged from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise damaged
    if document.get("version") != VERSION:
        raise DataKeyError(f"The key file {target.name} was made by a newer ReviewDay; update ReviewDay to open it.")
    try:
        _validate(document)
    except (KeyError, TypeError, ValueError):
        raise damaged from None
    return target, document


def _validate(document: dict) -> None:
    if not isinstance(document["uid"], str) or len(document["uid"]) != 32:
        raise ValueError("uid")
    int(document["uid"], 16)
    if len(_unb64(document["check"])) != 32:
        raise ValueError("check")
    for name in ("passphrase", "recovery"):
        slot = document[name]
        if not isinstance(slot, dict):
            raise TypeError(name)
        _unb64(slot["salt"]), _unb64(slot["nonce"]), _unb64(slot["wrapped"])
    for name in ("n", "r", "p"):
        if not isinstance(document["passphrase"][name], int):
            raise TypeError(name)
    attempts = document.get("attempts")
    if not isinstance(attempts, dict):
        document["attempts"] = {"failures": 0, "last_failure": None}
        return
    int(attempts.get("failures", 0))
    if attempts.get("last_failure"):
        datetime.fromisoformat(attempts["last_failure"])


def _write_attempts(target: Path, document: dict) -> None:
    """Record the attempt count; on read-only media it cannot be kept, which must not hide the answer."""
    from app.services.errors import StorageError

    try:
        _write(target, document)
    except StorageError as exc:
        log.warning("could not record a passphrase attempt in %s: %s", target.name, exc)


def _write(target: Path, document: dict) -> None:
    from app.report.atomic import atomic_write_bytes

    atomic_write_bytes(target, json.dumps(document, indent=2).encode("utf-8") + b"\n")
    if os.name == "posix":
        os.chmod(target, 0o600)


# -- opening a database file with its keys (shared by the command line and the GUI) ---------


class PassphraseNeededError(DataKeyError):
    """An encrypted database needs a passphrase that was not given (`creating`: for a new one)."""

    def __init__(self, message: str, *, creating: bool) -> None:
        super().__init__(message)
        self.creating = creating


SQLITE_HEADER = b"SQLite format 3\x00"


def open_database(
    target: str | Path,
    *,
    passphrase: Callable[[bool], str | None],
    create: bool = True,
    clock: Clock | None = None,
    keyring: KeyringDataKeys | None = None,
    kdf: ScryptParams | None = None,
    store_clock: Callable[[], datetime] | None = None,
    on_recovery_key: Callable[[str], None] | None = None,
):
    """Open a database file, encrypted by default; returns (Store, recovery key text or None).

    - a URL (``postgresql://``) opens as it is;
    - a file with a key file: the keyring's data key if it still fits, else
      ``passphrase(False)`` unlocks the key file (and the key is then kept in the keyring); a
      database that is then missing or unreadable is reported as damage with the way back, never
      re-created under its old key file;
    - a new (missing or empty) file: ``passphrase(True)`` protects a new random data key; the pair
      is made aside and put in place only after ``on_recovery_key`` has shown the recovery key
      (see prepare_new_database); the recovery key is returned too;
    - an existing plain SQLite file (made before encryption) opens as it is.

    `passphrase` returning None raises PassphraseNeededError; nothing is created.
    """
    from datetime import UTC

    from app.services.store import Store

    clock = clock or (lambda: datetime.now(UTC))
    keyring = keyring if keyring is not None else KeyringDataKeys()
    open_kwargs = {"clock": store_clock} if store_clock is not None else {}
    if "://" in str(target):
        return Store.open(target, create=create, **open_kwargs), None
    path = Path(target).expanduser()
    tidy_before_open(path)
    if has_keys(path):
        data_key = keyring.get(path)
        if data_key is None:
            secret = passphrase(False)
            if secret is None:
                raise PassphraseNeededError("This database is encrypted and needs its passphrase.", creating=False)
            data_key = unlock(path, secret, clock=clock)
            keyring.remember(path, data_key)
        return open_keyed(path, data_key, **open_kwargs), None
    if not is_new_database(path) or not create or not path.parent.is_dir():
        if path.is_file() and path.stat().st_size >= len(SQLITE_HEADER) and not _looks_like_sqlite(path):
            from app.services.errors import DatabaseOpenError

            raise DatabaseOpenError(
                f"Cannot open the database {path}: the file is damaged, or it is encrypted "
                f"and its key file {keys_path(path).name} is missing."
            )
        return Store.open(path, create=create, **open_kwargs), None  # plain file, or Store's own error
    secret = passphrase(True)
    if secret is None:
        raise PassphraseNeededError("A new database is encrypted and needs a passphrase.", creating=True)
    from app.services.db_lock import DatabaseLock

    with DatabaseLock(path):
        pending = prepare_new_database(path, secret, kdf=kdf)
        try:
            if on_recovery_key is not None:
                on_recovery_key(pending.recovery)
            pending.commit()
        except BaseException:
            pending.discard()
            raise
    store = Store.open(path, key=pending.data_key, create=False, **open_kwargs)
    keyring.remember(path, pending.data_key)
    return store, pending.recovery


def open_keyed(path: Path, data_key: bytes, **open_kwargs):
    """Open an encrypted database with the data key its key file gave; damage is said as damage."""
    from app.services import db_health
    from app.services.errors import DatabaseOpenError
    from app.services.store import Store

    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        reason = db_health.damage_with_key(path, data_key)
        if reason is not None:
            raise DatabaseOpenError(f"Cannot open the database {path}: {reason} {_restore_hint(path)}")
    try:
        return Store.open(path, key=data_key, create=False, **open_kwargs)
    except DatabaseOpenError:
        reason = db_health.damage_with_key(path, data_key)
        if reason is None:
            raise
        raise DatabaseOpenError(f"Cannot open the database {path}: {reason} {_restore_hint(path)}") from None


def _restore_hint(path: Path) -> str:
    from app.services.backup import default_backup_folder, list_backups

    backups = list_backups(default_backup_folder(path))
    if not backups:
        return "There is no backup of it beside it; nothing was changed."
    return (f"Nothing was changed. The newest backup is {backups[0].path}: restore it with "
            f"'reviewday restore {backups[0].path} --db {path}', or start ReviewDay to be offered it.")


def is_new_database(path: Path) -> bool:
    """No database here yet: no file, or an empty one with no write-ahead log holding pages."""
    path = Path(path)
    if path.is_dir():
        return False
    wal = path.with_name(path.name + "-wal")
    if wal.is_file() and wal.stat().st_size > 0:
        return False
    return not path.exists() or (path.is_file() and path.stat().st_size == 0)


# -- creating a database and its key file as one pair ------------------------------------------

# Creation stops at these named points when REVIEWDAY_PAUSE_AT names one, so that the kill -9
# tests can end the process exactly there (tests/reliability/test_kill9_first_start.py).
PAUSE_ENV = "REVIEWDAY_PAUSE_AT"
PAUSE_POINTS = ("temp-made", "keys-made", "schema-made", "before-commit", "database-in-place", "committed")
NEW_MARK = ".new-"


def _pause_point(name: str) -> None:
    if os.environ.get(PAUSE_ENV) != name:
        return
    import sys
    import time

    print(f"paused at {name}", file=sys.stderr, flush=True)
    while True:  # until the test kills the process
        time.sleep(60)


@dataclass
class NewDatabase:
    """A new encrypted database and its key file, made aside under a temporary name.

    Nothing is at `path` until commit(): a run that dies before leaves only the temporary pair,
    which the next start removes (tidy_before_open); one that dies between the two renames of
    commit() leaves the database in place and its key file under the temporary name, which the next
    start puts beside it. So a start finds a complete pair (a database its key file opens, whose
    recovery key was shown) or none.
    """

    path: Path
    temp: Path
    data_key: bytes
    recovery: str

    def commit(self) -> None:
        from app.services.db_files import fsync_folder

        path = self.path
        if has_keys(path) or not is_new_database(path):
            self.discard()
            raise DataKeyError(f"A database appeared at {path.name} while this one was being made; "
                               "nothing was replaced.")
        _pause_point("before-commit")
        os.replace(self.temp, path)
        _pause_point("database-in-place")
        os.replace(keys_path(self.temp), keys_path(path))
        fsync_folder(path.parent)
        _pause_point("committed")

    def discard(self) -> None:
        from app.services.db_files import discard

        discard(self.temp)
        keys_path(self.temp).unlink(missing_ok=True)


def prepare_new_database(path: str | Path, passphrase: str, *, kdf: ScryptParams | None = None) -> NewDatabase:
    """Make a new encrypted database (schema and key file) beside `path`, not yet in place.

    The caller shows the recovery key, then calls commit(); or discard(). Hold the database's lock
    (db_lock.DatabaseLock) around both, so that no other ReviewDay makes one at the same time.
    """
    from app.services.db_files import create_private, fsync_file
    from app.services.store import Store

    check_passphrase(passphrase)
    path = Path(path)
    if has_keys(path):
        raise DataKeyError(f"The database {path.name} already has a key file; nothing was changed.")
    if not is_new_database(path):
        raise DataKeyError(f"There is already a database at {path.name}; nothing was changed.")
    temp = path.with_name(f".{path.name}{NEW_MARK}{os.getpid()}-{secrets.token_hex(4)}")
    pending = None
    # The temporary database file comes first: a key file whose temporary database has gone can only
    # mean that the database was put in place (tidy_before_open relies on this order).
    create_private(temp)
    try:
        _pause_point("temp-made")
        data_key, recovery = create_keys(temp, passphrase, kdf=kdf)
        pending = NewDatabase(path, temp, data_key, recovery)
        _pause_point("keys-made")
        store = Store.open(temp, key=data_key, create=True)
        store.close()  # the last connection folds the -wal into the file and removes it
        fsync_file(temp)
        fsync_file(keys_path(temp))
        _pause_point("schema-made")
    except BaseException:
        if pending is not None:
            pending.discard()
        else:
            temp.unlink(missing_ok=True)
        raise
    return pending


def tidy_before_open(path: str | Path) -> None:
    """Finish or clear away what a creation killed part-way left beside `path`, and set aside a
    key file that never had a database (made by an older version that could die between the two).

    Only when no other ReviewDay is working on the file (its lock is free), and only when there is
    something to tidy, so that an ordinary open leaves no lock file behind.
    """
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        return
    prefix = f".{path.name}{NEW_MARK}"
    leftovers = [p for p in folder.iterdir() if p.name.startswith(prefix)]
    unused_keys = _unused_key_file(path)
    if not leftovers and not unused_keys:
        return
    from app.services.db_lock import DatabaseInUseError, DatabaseLock

    try:
        lock = DatabaseLock(path).acquire()
    except DatabaseInUseError:
        return  # another ReviewDay is creating or using it: its leftovers are not leftovers
    try:
        _finish_interrupted_creation(path, prefix)
        if _unused_key_file(path):
            _set_aside_key_file(path, "unused")
    finally:
        lock.release()


def _finish_interrupted_creation(path: Path, prefix: str) -> None:
    from app.services.db_files import discard

    folder = path.parent
    for keys in sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True):
        if not keys.name.startswith(prefix) or not keys.name.endswith(KEYS_SUFFIX):
            continue
        temp = keys.with_name(keys.name[: -len(KEYS_SUFFIX)])
        if temp.exists():
            continue  # never committed: removed below with its database
        if not has_keys(path) and path.is_file() and path.stat().st_size > 0 and not _looks_like_sqlite(path):
            log.info("a new database was put in place before its key file: finishing")
            os.replace(keys, keys_path(path))
    for leftover in folder.iterdir():
        name = leftover.name
        if not name.startswith(prefix) or not leftover.exists():
            continue
        base = name
        for suffix in (KEYS_SUFFIX, "-wal", "-shm", "-journal"):
            if base.endswith(suffix):
                base = base[: -len(suffix)]
        temp = folder / base
        log.info("removing a database left half-made by a start that was stopped")
        discard(temp)  # an empty schema only: nothing was ever written into it
        keys_path(temp).unlink(missing_ok=True)


def _unused_key_file(path: Path) -> bool:
    """A key file with no database, no -wal and no backup: it never protected any data."""
    if not has_keys(path) or not is_new_database(path):
        return False
    from app.services.backup import default_backup_folder, list_backups

    return not list_backups(default_backup_folder(path))


def _set_aside_key_file(path: Path, label: str) -> Path:
    from app.services.db_files import TIMESTAMP_FORMAT

    stamp = datetime.now().strftime(TIMESTAMP_FORMAT)
    aside = keys_path(path).with_name(f"{keys_path(path).name}.{label}-{stamp}")
    serial = 0
    while aside.exists():
        serial += 1
        aside = aside.with_name(f"{keys_path(path).name}.{label}-{stamp}-{serial}")
    os.replace(keys_path(path), aside)
    log.info("a key file without a database was set aside")
    return aside


def _looks_like_sqlite(path: Path) -> bool:
    with open(path, "rb") as stream:
        return stream.read(len(SQLITE_HEADER)) == SQLITE_HEADER
