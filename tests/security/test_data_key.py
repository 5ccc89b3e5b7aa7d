"""The database's data key file: real files, real scrypt/AES-GCM, test keyrings, an injected clock."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta

import keyring
import pytest
from keyring.backend import KeyringBackend

from app.security import data_key as dk
from app.security.data_key import (
    DataKeyError,
    KeyringDataKeys,
    ScryptParams,
    TooSoonError,
    WrongPassphraseError,
    create_keys,
    delay_before_next_attempt,
    delay_for_failures,
    failed_attempts,
    has_keys,
    keys_path,
    rewrap,
    unlock,
    unlock_with_recovery_key,
)
from app.security.keyring_store import KeyringStore
from tests.security.test_identities import BrokenKeyring, ForgetfulKeyring, MemoryKeyring

PASSPHRASE = "correct horse battery"
FAST = ScryptParams(n=2**10, r=8, p=1)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db(tmp_path):
    return tmp_path / "reviewday.sqlite3"


@pytest.fixture
def use_keyring():
    previous = keyring.get_keyring()

    def install(backend: KeyringBackend) -> KeyringBackend:
        keyring.set_keyring(backend)
        return backend

    yield install
    keyring.set_keyring(previous)


def _everything(folder) -> bytes:
    return b"".join(path.read_bytes() for path in folder.rglob("*") if path.is_file())


def test_create_then_unlock_round_trip_and_the_key_file_holds_no_secret(db, clock, tmp_path):
    key, recovery = create_keys(db, PASSPHRASE, kdf=FAST)
    assert len(key) == 32 and has_keys(db) and keys_path(db).name == "reviewday.sqlite3.keys"
    assert unlock(db, PASSPHRASE, clock=clock) == key
    assert unlock_with_recovery_key(db, recovery) == key
    if os.name == "posix":
        assert stat.S_IMODE(keys_path(db).stat().st_mode) == 0o600
    raw = _everything(tmp_path)
    for secret in (PASSPHRASE.encode(), key, key.hex().encode(), recovery.encode(), recovery.replace("-", "").encode()):
        assert secret not in raw
    document = json.loads(keys_path(db).read_text())
    assert document["passphrase"]["kdf"] == "scrypt" and document["passphrase"]["n"] == FAST.n
    assert document["version"] == 1 and document["attempts"]["failures"] == 0


def test_recovery_key_looks_like_groups_of_unambiguous_symbols(db):
    _, recovery = create_keys(db, PASSPHRASE, kdf=FAST)
    groups = recovery.split("-")
    assert len(groups) == 7 and all(len(g) == 4 for g in groups)
    assert not set("".join(groups)) & set("01ILO") and set("".join(groups)) <= set(dk.RECOVERY_ALPHABET)
    # typed in lower case, with spaces instead of dashes: still accepted
    assert unlock_with_recovery_key(db, recovery.lower().replace("-", " ")) == unlock_with_recovery_key(db, recovery)


def test_each_database_gets_its_own_random_key(tmp_path):
    first, r1 = create_keys(tmp_path / "a.sqlite3", PASSPHRASE, kdf=FAST)
    second, r2 = create_keys(tmp_path / "b.sqlite3", PASSPHRASE, kdf=FAST)
    assert first != second and r1 != r2


def test_an_existing_key_file_is_never_replaced(db):
    create_keys(db, PASSPHRASE, kdf=FAST)
    before = keys_path(db).read_bytes()
    with pytest.raises(DataKeyError, match="already has a key file"):
        create_keys(db, PASSPHRASE, kdf=FAST)
    assert keys_path(db).read_bytes() == before


def test_a_short_passphrase_is_refused_and_nothing_written(db):
    with pytest.raises(DataKeyError, match="at least 10 characters"):
        create_keys(db, "short", kdf=FAST)
    assert not has_keys(db)


def test_wrong_passphrase_and_wrong_recovery_key_are_refused(db, clock):
    create_keys(db, PASSPHRASE, kdf=FAST)
    with pytest.raises(WrongPassphraseError, match=r"^The passphrase is wrong\.$") as caught:
        unlock(db, "not the passphrase", clock=clock)
    assert caught.value.retry_after_seconds == 0
    _, other_recovery = create_keys(db.with_name("other.sqlite3"), PASSPHRASE, kdf=FAST)
    with pytest.raises(WrongPassphraseError, match="does not open this database"):
        unlock_with_recovery_key(db, other_recovery)
    with pytest.raises(WrongPassphraseError, match="not a recovery key"):
        unlock_with_recovery_key(db, "ABCD-EFGH")


def test_default_kdf_costs_about_half_a_second_or_more(db, clock):
    import time

    create_keys(db, PASSPHRASE)
    start = time.perf_counter()
    unlock(db, PASSPHRASE, clock=clock)
    assert time.perf_counter() - start > 0.2  # tuned to ~0.5 s here; far above a fast hash
    assert json.loads(keys_path(db).read_text())["passphrase"]["n"] == 2**17


def test_delays_rise_and_are_capped():
    assert [delay_for_failures(n) for n in range(0, 9)] == [0, 0, 0, 0, 2, 4, 8, 16, 32]
    assert delay_for_failures(12) == 300 and delay_for_failures(10_000) == 300


def test_rising_delays_survive_a_restart_and_success_resets(db, clock, monkeypatch):
    key, _ = create_keys(db, PASSPHRASE, kdf=FAST)
    for _ in range(3):
        with pytest.raises(WrongPassphraseError) as caught:
            unlock(db, "wrong passphrase", clock=clock)
        assert caught.value.retry_after_seconds == 0
    with pytest.raises(WrongPassphraseError, match="try again in 2 s") as caught:
        unlock(db, "wrong passphrase", clock=clock)
    assert caught.value.retry_after_seconds == 2

    # "Restart": nothing is kept in memory, the key file alone remembers the failures.
    assert failed_attempts(db) == 4
    assert delay_before_next_attempt(db, clock=clock) == 2

    # Too soon: refused without even running the key derivation, and not counted.
    derivations = []
    real_scrypt = dk._scrypt
    monkeypatch.setattr(dk, "_scrypt", lambda *a: derivations.append(1) or real_scrypt(*a))
    clock.advance(1.5)
    with pytest.raises(TooSoonError, match=r"try again in 1 s") as caught:
        unlock(db, PASSPHRASE, clock=clock)
    assert caught.value.retry_after_seconds == pytest.approx(0.5) and derivations == []
    assert failed_attempts(db) == 4

    clock.advance(0.5)
    with pytest.raises(WrongPassphraseError, match="try again in 4 s"):
        unlock(db, "wrong again", clock=clock)
    clock.advance(4)
    with pytest.raises(WrongPassphraseError, match="try again in 8 s"):
        unlock(db, "wrong again", clock=clock)
    clock.advance(8)
    assert unlock(db, PASSPHRASE, clock=clock) == key
    assert failed_attempts(db) == 0 and delay_before_next_attempt(db, clock=clock) == 0


def test_a_clock_set_back_never_makes_the_wait_longer_than_the_delay(db, clock):
    create_keys(db, PASSPHRASE, kdf=FAST)
    for _ in range(5):
        with pytest.raises(WrongPassphraseError):
            unlock(db, "wrong passphrase", clock=clock)
        clock.advance(100)
    assert failed_attempts(db) == 5
    clock.advance(-10_000)
    assert delay_before_next_attempt(db, clock=clock) == 4


def test_recovery_key_unlock_then_rewrap_with_a_new_passphrase(db, clock):
    key, recovery = create_keys(db, PASSPHRASE, kdf=FAST)
    for _ in range(4):
        with pytest.raises(WrongPassphraseError):
            unlock(db, "forgotten it", clock=clock)
    recovered = unlock_with_recovery_key(db, recovery)
    assert recovered == key
    rewrap(db, recovered, "a brand new passphrase", kdf=FAST)
    assert failed_attempts(db) == 0
    assert unlock(db, "a brand new passphrase", clock=clock) == key
    with pytest.raises(WrongPassphraseError):
        unlock(db, PASSPHRASE, clock=clock)
    assert unlock_with_recovery_key(db, recovery) == key  # the recovery key still works
    with pytest.raises(DataKeyError, match="does not belong to this database"):
        rewrap(db, os.urandom(32), "someone else's", kdf=FAST)


def test_replace_recovery_key(db):
    key, old = create_keys(db, PASSPHRASE, kdf=FAST)
    new = dk.replace_recovery_key(db, key)
    assert unlock_with_recovery_key(db, new) == key
    with pytest.raises(WrongPassphraseError):
        unlock_with_recovery_key(db, old)


@pytest.mark.parametrize(
    "tamper, error",
    [
        (lambda d: d["passphrase"].update(wrapped=d["passphrase"]["wrapped"][:-4] + "AAAA"), WrongPassphraseError),
        (lambda d: d["passphrase"].update(salt="AAAAAAAAAAAAAAAAAAAAAA=="), WrongPassphraseError),
        (lambda d: d.update(check="A" * 43 + "="), WrongPassphraseError),
        (lambda d: d["passphrase"].update(n=2**40), DataKeyError),
        (lambda d: d["passphrase"].update(n="lots"), DataKeyError),
        (lambda d: d.pop("recovery"), DataKeyError),
        (lambda d: d.update(version=99), DataKeyError),
        (lambda d: d.update(uid="../../etc"), DataKeyError),
    ],
    ids=["wrapped", "salt", "check", "huge-n", "n-not-int", "no-recovery", "newer", "uid"],
)
def test_a_tampered_key_file_is_refused_never_garbage(db, clock, tamper, error):
    create_keys(db, PASSPHRASE, kdf=FAST)
    document = json.loads(keys_path(db).read_text())
    tamper(document)
    keys_path(db).write_text(json.dumps(document))
    with pytest.raises(error):
        unlock(db, PASSPHRASE, clock=clock)


@pytest.mark.parametrize("content", [b"", b"{not json", b"\xff\xfe", b"[]", b'{"format": "other"}'])
def test_a_damaged_or_foreign_key_file_is_one_clear_error(db, clock, content):
    keys_path(db).write_bytes(content)
    with pytest.raises(DataKeyError, match="is damaged"):
        unlock(db, PASSPHRASE, clock=clock)


def test_a_missing_key_file_is_one_clear_error(db, clock):
    with pytest.raises(DataKeyError, match="is missing"):
        unlock(db, PASSPHRASE, clock=clock)
    assert not has_keys(db)


# -- the keyring ---------------------------------------------------------------------------------


def test_keyring_remembers_the_data_key(db, use_keyring):
    backend = use_keyring(MemoryKeyring())
    key, _ = create_keys(db, PASSPHRASE, kdf=FAST)
    keys = KeyringDataKeys(KeyringStore())
    assert keys.get(db) is None
    assert keys.remember(db, key)
    assert keys.get(db) == key
    uid = json.loads(keys_path(db).read_text())["uid"]
    assert backend.secrets == {("ReviewDay", f"database:{uid}"): key.hex()}


@pytest.mark.parametrize("backend", [BrokenKeyring, ForgetfulKeyring, None], ids=["broken", "forgetful", "fail"])
def test_no_keyring_means_not_remembered_and_no_plaintext_anywhere(db, tmp_path, use_keyring, backend):
    if backend is not None:
        use_keyring(backend())
    else:
        from keyring.backends.fail import Keyring as FailKeyring

        use_keyring(FailKeyring())
    key, _ = create_keys(db, PASSPHRASE, kdf=FAST)
    keys = KeyringDataKeys(KeyringStore())
    assert keys.remember(db, key) is False
    assert keys.get(db) is None
    raw = _everything(tmp_path)
    assert key not in raw and key.hex().encode() not in raw and PASSPHRASE.encode() not in raw


def test_a_changed_keyring_is_ignored_and_nothing_is_deleted(db, clock, use_keyring):
    backend = use_keyring(MemoryKeyring())
    key, recovery = create_keys(db, PASSPHRASE, kdf=FAST)
    keys = KeyringDataKeys(KeyringStore())
    account = keys.account(db)
    for stale in (os.urandom(32).hex(), "not hex at all", os.urandom(16).hex()):
        backend.secrets[("ReviewDay", account)] = stale
        assert keys.get(db) is None
        assert backend.secrets[("ReviewDay", account)] == stale  # left alone
    before = keys_path(db).read_bytes()
    assert keys.get(db) is None and keys_path(db).read_bytes() == before
    # the passphrase and the recovery key still open it
    assert unlock(db, PASSPHRASE, clock=clock) == key == unlock_with_recovery_key(db, recovery)
    with pytest.raises(DataKeyError):
        keys.remember(db, os.urandom(32))  # a key that is not this database's is not remembered


def test_when_the_attempt_cannot_be_recorded_the_answer_is_still_given(db, clock, monkeypatch):
    from app.services.errors import StorageError

    key, _ = create_keys(db, PASSPHRASE, kdf=FAST)

    def read_only(*_args):
        raise StorageError("Cannot write reviewday.sqlite3.keys: the folder is read-only.")

    monkeypatch.setattr(dk, "_write", read_only)
    with pytest.raises(WrongPassphraseError, match="The passphrase is wrong"):
        unlock(db, "wrong passphrase", clock=clock)
    assert unlock(db, PASSPHRASE, clock=clock) == key


# -- wrong passphrases tried at the same time --------------------------------------------------------------

_GUESSER = """
import sys
from datetime import UTC, datetime
from app.security import data_key as dk
print("ready", flush=True)
sys.stdin.readline()  # all guess together: the test answers once every one is ready
try:
    dk.unlock(sys.argv[1], "a wrong guess " + sys.argv[2], clock=lambda: datetime.now(UTC))
except dk.WrongPassphraseError as exc:
    print(type(exc).__name__, flush=True)
"""


def test_wrong_passphrases_guessed_in_parallel_processes_each_count(db, tmp_path):
    """Several processes guessing at once: each guess is counted before it is tried, under a lock,
    so none is lost (read-then-write after the key derivation counted them all as one)."""
    import subprocess
    import sys

    from tests.reliability.helpers import ROOT, child_env

    create_keys(db, PASSPHRASE, kdf=ScryptParams(n=2**15, r=8, p=1))
    guessers = [subprocess.Popen([sys.executable, "-c", _GUESSER, str(db), str(n)], cwd=str(ROOT), env=child_env(),
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for n in range(4)]
    for proc in guessers:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    for proc in guessers:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    said = [proc.communicate(timeout=120) for proc in guessers]
    assert [out.strip() for out, _err in said] == ["WrongPassphraseError"] * 4, said
    assert failed_attempts(db) == 4


def test_wrong_passphrases_guessed_in_parallel_threads_each_count(db):
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    create_keys(db, PASSPHRASE, kdf=ScryptParams(n=2**14, r=8, p=1))
    together = Barrier(4)

    def guess(n: int) -> str:
        together.wait()
        try:
            unlock(db, f"a wrong guess {n}", clock=lambda: datetime.now(UTC))
        except WrongPassphraseError as exc:
            return type(exc).__name__
        return "opened"

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(guess, range(4)))
    assert answers == ["WrongPassphraseError"] * 4
    assert failed_attempts(db) == 4
    later = datetime.now(UTC) + timedelta(seconds=delay_for_failures(4))  # the wait after four
    assert unlock(db, PASSPHRASE, clock=lambda: later) and failed_attempts(db) == 0
