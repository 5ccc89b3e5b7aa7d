"""One rule for a new passphrase everywhere (app/security/passphrase_rule.py), and signing keys
made under the old 8-character rule still unlock."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from app.bundle.document import BundleError
from app.bundle.keys import BundleKeyStore
from app.security import data_key
from app.security.data_key import DataKeyError, ScryptParams
from app.security.identities import IdentityError, IdentityStore
from app.security.keyring_store import KeyringStore
from app.security.passphrase_rule import MIN_PASSPHRASE_LENGTH, passphrase_problem

APP = Path(__file__).resolve().parents[2] / "app"
OLD_IDENTITIES = Path(__file__).resolve().parents[1] / "fixtures" / "identities_short_passphrase"
NINE = "ninechars"
TEN = "tenchars10"


class NoKeyring(KeyringStore):
    def get(self, account):
        return None

    def set(self, account, value):
        return False


def test_the_rule_is_ten_characters_counted_as_typed():
    assert MIN_PASSPHRASE_LENGTH == 10
    assert passphrase_problem(NINE) == "Choose a passphrase of at least 10 characters."
    assert passphrase_problem(TEN) is None
    assert passphrase_problem("cafe\u0301 au lait") is None  # 11 as typed (é is one)
    assert passphrase_problem("cafe\u0301 lait") is not None  # 9 as typed, 10 code points
    assert passphrase_problem(None) is not None


def test_database_signing_and_bundle_keys_all_follow_it(tmp_path):
    with pytest.raises(DataKeyError, match="at least 10 characters"):
        data_key.create_keys(tmp_path / "a.sqlite3", NINE, kdf=ScryptParams(n=2**10, r=8, p=1))
    data_key.create_keys(tmp_path / "b.sqlite3", TEN, kdf=ScryptParams(n=2**10, r=8, p=1))

    identities = IdentityStore(tmp_path / "identities", keyring=NoKeyring(), kdf_iterations=20_000)
    with pytest.raises(IdentityError, match="at least 10 characters"):
        identities.create("Sam Taylor", "Chair", NINE)
    identities.create("Sam Taylor", "Chair", TEN)

    bundle_keys = BundleKeyStore(tmp_path / "bundle-keys", kdf_iterations=20_000)
    with pytest.raises(BundleError, match="at least 10 characters"):
        bundle_keys.create("Office", NINE)
    bundle_keys.create("Office", TEN)


def test_no_other_module_sets_its_own_minimum():
    own_rules = []
    for path in APP.rglob("*.py"):
        if path.name == "passphrase_rule.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"MIN\w*LENGTH\s*=\s*\d", text) or re.search(r"\b\d+ characters or more", text):
            own_rules.append(path.relative_to(APP).as_posix())
    assert own_rules == []


@pytest.mark.parametrize(("name", "passphrase"), [("Morgan Ellis", "oldpass8"), ("Sam Taylor", "oldpass9x")])
def test_identities_made_with_a_short_passphrase_still_unlock(tmp_path, name, passphrase):
    # Made by ReviewDay when signing keys needed 8 characters (see the fixture's README).
    folder = tmp_path / "identities"
    shutil.copytree(OLD_IDENTITIES, folder, ignore=shutil.ignore_patterns("README.md"))
    store = IdentityStore(folder, keyring=NoKeyring())
    assert len(passphrase) < MIN_PASSPHRASE_LENGTH
    signer = store.load_signer(name, passphrase)
    assert signer.signing_cert.subject.native["common_name"] == name
    store.check_passphrase(name, passphrase)
    with pytest.raises(IdentityError, match="Wrong passphrase"):
        store.load_signer(name, passphrase + "x")
