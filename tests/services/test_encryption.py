"""Encryption at rest (R10, R16): real SQLCipher files, real bytes on disk, test keyrings."""

from __future__ import annotations

import dataclasses
import os
import shutil

import keyring
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from app.models.enums import ConsentBasis
from app.security import data_key as dk
from app.security.data_key import (
    KeyringDataKeys,
    PassphraseNeededError,
    ScryptParams,
    WrongPassphraseError,
    keys_path,
    open_database,
)
from app.security.keyring_store import KeyringStore
from app.services import notes, people, reviews
from app.services.errors import DatabaseOpenError
from app.services.store import SCHEMA_HEAD, Store
from tests.security.test_identities import BrokenKeyring, MemoryKeyring

# SQLCipher encrypts database files; a server encrypts its own storage.
pytestmark = pytest.mark.sqlite_only

CANARY = "Zebedee-Quillfeather-CANARY"
PASSPHRASE = "correct horse battery"
FAST = ScryptParams(n=2**10, r=8, p=1)
KEY = bytes(range(32))


@pytest.fixture
def enc_path(tmp_path):
    return tmp_path / "secret.sqlite3"


@pytest.fixture
def enc_store(enc_path, clock):
    opened = Store.open(enc_path, key=KEY, clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def use_keyring():
    previous = keyring.get_keyring()

    def install(backend):
        keyring.set_keyring(backend)
        return backend

    yield install
    keyring.set_keyring(previous)


def _write_canary(store, actor, setup_icetr, count: int = 1) -> int:
    review = reviews.create_review(store, dataclasses.replace(setup_icetr, hospital=CANARY), actor)
    people.record_consent(store, review.id, actor, ConsentBasis.CONSENT)
    for i in range(count):
        notes.add_note(store, review.id, "safety", f"{CANARY} note {i} " + "x" * 300, actor)
    return review.id


def _files(path):
    return [p for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")) if p.exists()]


def _all_bytes(folder) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_encrypted_database_has_schema_and_durable_pragmas(enc_store, enc_path):
    assert enc_store.is_encrypted
    with enc_store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA cipher_version")).scalar()  # really SQLCipher
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA secure_delete")).scalar() == 1
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_HEAD
    assert not enc_path.read_bytes().startswith(b"SQLite format 3")


def test_plain_store_is_not_encrypted(store):
    assert not store.is_encrypted


def test_no_plaintext_in_the_database_wal_or_shm(enc_store, enc_path, actor, setup_icetr, clock):
    review_id = _write_canary(enc_store, actor, setup_icetr, count=20)
    open_files = _files(enc_path)
    assert {p.name for p in open_files} == {"secret.sqlite3", "secret.sqlite3-wal", "secret.sqlite3-shm"}
    for path in open_files:  # while open: the WAL holds the recent pages
        assert CANARY.encode() not in path.read_bytes(), path.name
    enc_store.close()
    for path in _files(enc_path):
        assert CANARY.encode() not in path.read_bytes(), path.name
    reopened = Store.open(enc_path, key=KEY, clock=clock)
    try:
        assert reviews.get_review(reopened, review_id).setup.hospital == CANARY
        assert len(notes.list_notes(reopened, review_id)) == 20
    finally:
        reopened.close()


def test_the_same_text_in_a_plain_database_is_visible(store, db_path, actor, setup_icetr):
    """The canary check above means something: unencrypted, the text is on disk."""
    _write_canary(store, actor, setup_icetr)
    assert any(CANARY.encode() in p.read_bytes() for p in _files(db_path))


@pytest.mark.parametrize("key", [os.urandom(32), None], ids=["wrong-key", "no-key"])
def test_wrong_key_or_no_key_is_refused_and_the_file_untouched(enc_store, enc_path, actor, setup_icetr, key):
    _write_canary(enc_store, actor, setup_icetr)
    enc_store.close()
    before = {p.name: p.read_bytes() for p in enc_path.parent.iterdir()}
    expected = "the key does not open this database" if key else "damaged or is not a ReviewDay database"
    with pytest.raises(DatabaseOpenError, match=expected):
        Store.open(enc_path, key=key)
    assert {p.name: p.read_bytes() for p in enc_path.parent.iterdir()} == before


def test_a_plain_database_opened_with_a_key_is_refused_and_untouched(store, db_path):
    store.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseOpenError, match="the key does not open this database"):
        Store.open(db_path, key=KEY)
    assert db_path.read_bytes() == before


@pytest.mark.parametrize("key", [b"short", "a string" * 4, bytes(33)], ids=["short", "str", "long"])
def test_a_malformed_key_is_refused(tmp_path, key):
    with pytest.raises(DatabaseOpenError, match="not a database key"):
        Store.open(tmp_path / "x.sqlite3", key=key)
    assert list(tmp_path.iterdir()) == []


def test_a_flipped_byte_in_any_page_is_an_error_never_data(tmp_path, enc_store, enc_path, actor, setup_icetr):
    """SQLCipher's per-page HMAC: a tampered page is refused on open or on read, never returned."""
    review_id = _write_canary(enc_store, actor, setup_icetr, count=60)
    original = [n.text for n in notes.list_notes(enc_store, review_id)]
    enc_store.close()
    assert not enc_path.with_name(enc_path.name + "-wal").exists()  # all in the main file now
    data = enc_path.read_bytes()
    page = 4096
    pages = len(data) // page
    assert pages >= 10
    read_errors = 0
    for number in range(pages):
        tampered = bytearray(data)
        tampered[number * page + page // 2] ^= 0x01
        copy = tmp_path / f"tampered-{number}.sqlite3"
        copy.write_bytes(bytes(tampered))
        try:
            opened = Store.open(copy, key=KEY)
        except DatabaseOpenError:
            continue
        try:
            seen = [n.text for n in notes.list_notes(opened, review_id)]
            review = reviews.get_review(opened, review_id)
        except DatabaseError:
            read_errors += 1
            continue
        finally:
            opened.close()
        assert seen == original and review.setup.hospital == CANARY  # the page was not one these read
    assert read_errors >= 1


def test_an_encrypted_backup_with_the_same_key_through_the_backup_api(enc_store, tmp_path, actor, setup_icetr):
    review_id = _write_canary(enc_store, actor, setup_icetr, count=5)
    copy = tmp_path / "backup.sqlite3"
    with enc_store.raw_connection() as source:
        target = enc_store.connect_file(copy)
        try:
            source.backup(target)
        finally:
            target.close()
    assert CANARY.encode() not in copy.read_bytes()
    restored = Store.open(copy, key=KEY, create=False)
    try:
        assert len(notes.list_notes(restored, review_id)) == 5
    finally:
        restored.close()
    with pytest.raises(DatabaseOpenError):
        Store.open(copy, create=False)


# -- open_database: key files, keyring, passphrase together ---------------------------------------


def _passphrase(value):
    asked = []

    def give(creating: bool):
        asked.append(creating)
        return value

    give.asked = asked
    return give


def test_open_database_creates_an_encrypted_database_and_reopens_with_the_passphrase(enc_path, tmp_path):
    store, recovery = open_database(enc_path, passphrase=_passphrase(PASSPHRASE), kdf=FAST)
    try:
        assert store.is_encrypted and recovery and keys_path(enc_path).exists()
    finally:
        store.close()
    if os.name == "posix":
        assert oct(enc_path.stat().st_mode & 0o777) == "0o600"
    asked = _passphrase(PASSPHRASE)
    store, again = open_database(enc_path, passphrase=asked)  # the fail keyring: asks
    store.close()
    assert again is None and asked.asked == [False]
    data_key = dk.unlock_with_recovery_key(enc_path, recovery)
    raw = _all_bytes(tmp_path)
    assert PASSPHRASE.encode() not in raw and data_key.hex().encode() not in raw and data_key not in raw


def test_no_passphrase_creates_nothing(enc_path):
    with pytest.raises(PassphraseNeededError) as caught:
        open_database(enc_path, passphrase=_passphrase(None), kdf=FAST)
    assert caught.value.creating and list(enc_path.parent.iterdir()) == []


def test_a_failed_creation_leaves_no_key_file(enc_path, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseOpenError("Cannot open the database: simulated.")

    monkeypatch.setattr(Store, "open", broken)
    with pytest.raises(DatabaseOpenError, match="simulated"):
        open_database(enc_path, passphrase=_passphrase(PASSPHRASE), kdf=FAST)
    assert list(enc_path.parent.iterdir()) == []


def test_keyring_first_then_passphrase_when_it_changed_nothing_deleted(enc_path, tmp_path, use_keyring):
    backend = use_keyring(MemoryKeyring())
    store, _ = open_database(enc_path, passphrase=_passphrase(PASSPHRASE), kdf=FAST)
    store.close()
    [(service, account)] = backend.secrets
    assert account.startswith("database:")

    asked = _passphrase(None)
    store, _ = open_database(enc_path, passphrase=asked)  # the keyring has it: no question
    store.close()
    assert asked.asked == []

    stale = os.urandom(32).hex()
    backend.secrets[(service, account)] = stale  # the keyring changed under us
    with pytest.raises(PassphraseNeededError) as caught:
        open_database(enc_path, passphrase=_passphrase(None))
    assert not caught.value.creating
    assert keys_path(enc_path).exists() and enc_path.exists()
    store, _ = open_database(enc_path, passphrase=_passphrase(PASSPHRASE))
    store.close()
    assert backend.secrets[(service, account)] != stale  # the right key is remembered again
    assert KeyringDataKeys(KeyringStore()).get(enc_path) is not None


def test_broken_keyring_falls_back_to_the_passphrase(enc_path, tmp_path, use_keyring):
    use_keyring(BrokenKeyring())
    store, _ = open_database(enc_path, passphrase=_passphrase(PASSPHRASE), kdf=FAST)
    store.close()
    with pytest.raises(WrongPassphraseError):
        open_database(enc_path, passphrase=_passphrase("wrong passphrase"))
    store, _ = open_database(enc_path, passphrase=_passphrase(PASSPHRASE))
    store.close()
    raw = _all_bytes(tmp_path)
    assert PASSPHRASE.encode() not in raw


def test_a_plain_existing_database_still_opens_plain(store, db_path, review):
    store.close()
    asked = _passphrase(PASSPHRASE)
    opened, recovery = open_database(db_path, passphrase=asked)
    try:
        assert not opened.is_encrypted and recovery is None and asked.asked == []
        assert reviews.get_review(opened, review.id).person_label == "J.B."
    finally:
        opened.close()


def test_an_encrypted_database_without_its_key_file_says_so(enc_store, enc_path):
    enc_store.close()
    before = enc_path.read_bytes()
    with pytest.raises(DatabaseOpenError, match="its key file secret.sqlite3.keys is missing"):
        open_database(enc_path, passphrase=_passphrase(PASSPHRASE))
    assert enc_path.read_bytes() == before and not keys_path(enc_path).exists()


def test_a_moved_database_with_its_key_file_opens(enc_path, tmp_path):
    store, _ = open_database(enc_path, passphrase=_passphrase(PASSPHRASE), kdf=FAST)
    store.close()
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    shutil.move(enc_path, moved / "r.sqlite3")
    shutil.move(keys_path(enc_path), moved / "r.sqlite3.keys")
    store, _ = open_database(moved / "r.sqlite3", passphrase=_passphrase(PASSPHRASE))
    store.close()
