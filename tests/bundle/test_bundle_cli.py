"""`reviewday export --format json`, `reviewday import` and `reviewday bundle-key`."""

from __future__ import annotations

import os
import stat

import pytest

from app.bundle import dump_review, encode_bundle
from app.cli import main
from app.services.store import Store
from tests.bundle.bundle_support import full_review

PASS = "a bundle key passphrase"


@pytest.fixture
def keydir(tmp_path, monkeypatch):
    folder = tmp_path / "bundle-keys"
    monkeypatch.setenv("REVIEWDAY_BUNDLE_KEY_DIR", str(folder))
    monkeypatch.setenv("KEY_PASS", PASS)
    return folder


@pytest.fixture
def source(tmp_path):
    db = tmp_path / "chair.sqlite3"
    store = Store.open(db)
    review_id = full_review(store)
    document = dump_review(store, review_id)
    store.close()
    return db, review_id, document


def test_export_json_writes_the_bundle_and_import_prints_the_new_id(source, tmp_path, capsys, keydir):
    db, review_id, document = source
    out = tmp_path / "review.json"
    assert main(["export", str(review_id), "--db", str(db), "--format", "json", "--out", str(out)]) == 0
    assert out.read_bytes() == encode_bundle(document)
    assert "Wrote" in capsys.readouterr().out

    other = tmp_path / "member.sqlite3"
    Store.open(other).close()
    assert main(["import", str(out), "--db", str(other)]) == 0
    new_id = int(capsys.readouterr().out.strip())
    store = Store.open(other, create=False)
    try:
        assert encode_bundle(dump_review(store, new_id)) == out.read_bytes()
    finally:
        store.close()


def test_an_encrypted_bundle_opens_only_with_its_key(source, tmp_path, capsys, keydir):
    db, review_id, document = source
    assert main(["bundle-key", "create", "--name", "Morgan Expert", "--passphrase-env", "KEY_PASS"]) == 0
    assert "Created the bundle key Morgan Expert" in capsys.readouterr().out
    public = tmp_path / "morgan.pub.pem"
    assert main(["bundle-key", "export-public", "Morgan Expert", "--out", str(public)]) == 0
    assert public.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    assert main(["bundle-key", "list"]) == 0
    assert "Morgan Expert" in capsys.readouterr().out
    key_files = [p for p in keydir.rglob("key.pem")]
    assert len(key_files) == 1 and b"ENCRYPTED PRIVATE KEY" in key_files[0].read_bytes()
    if os.name == "posix":
        assert stat.S_IMODE(key_files[0].stat().st_mode) == 0o600

    sealed = tmp_path / "review.rdb"
    assert main(["export", str(review_id), "--db", str(db), "--format", "json", "--out", str(sealed),
                 "--encrypt-to", str(public)]) == 0
    assert "(encrypted)" in capsys.readouterr().out
    raw = sealed.read_bytes()
    assert raw.startswith(b"RDBUNDLE\x01") and b"Riverside" not in raw and b"J.B." not in raw

    other = tmp_path / "member.sqlite3"
    Store.open(other).close()
    assert main(["import", str(sealed), "--db", str(other), "--key", "Morgan Expert",
                 "--passphrase-env", "KEY_PASS"]) == 0
    new_id = int(capsys.readouterr().out.strip())
    store = Store.open(other, create=False)
    try:
        assert dump_review(store, new_id) == document
    finally:
        store.close()


def test_bundle_key_mistakes_are_one_line(keydir, tmp_path, capsys, source, monkeypatch):
    db, review_id, _ = source
    monkeypatch.setenv("SHORT", "short")
    not_a_key = tmp_path / "notes.txt"
    not_a_key.write_text("hello")
    monkeypatch.delenv("UNSET_VAR_FOR_TEST", raising=False)
    cases = [
        (["bundle-key", "create", "--name", "X", "--passphrase-env", "SHORT"], "at least 10 characters"),
        (["bundle-key", "create", "--name", "X", "--passphrase-env", "UNSET_VAR_FOR_TEST"], "is not set"),
        (["bundle-key", "export-public", "Nobody", "--out", str(tmp_path / "x.pem")], "No bundle key named Nobody"),
        (["export", str(review_id), "--db", str(db), "--format", "json", "--out", str(tmp_path / "o.rdb"),
          "--encrypt-to", str(tmp_path / "missing.pem")], "No such file"),
        (["export", str(review_id), "--db", str(db), "--format", "json", "--out", str(tmp_path / "o.rdb"),
          "--encrypt-to", str(not_a_key)], "is not a public key file"),
        (["export", "999", "--db", str(db), "--format", "json", "--out", str(tmp_path / "o.json")],
         "no review with id 999"),
        (["export", str(review_id), "--db", str(db), "--format", "pdf", "--out", str(tmp_path / "o.pdf"),
          "--encrypt-to", str(not_a_key)], "--encrypt-to works with --format json only"),
        (["import", str(tmp_path / "missing.json"), "--db", str(db)], "No such file"),
        (["import", str(tmp_path), "--db", str(db)], "is a folder"),
    ]
    for argv, words in cases:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and words in err, (argv, err)
    assert main(["bundle-key", "create", "--name", "Dup", "--passphrase-env", "KEY_PASS"]) == 0
    assert main(["bundle-key", "create", "--name", "dup", "--passphrase-env", "KEY_PASS"]) == 2
    assert "already a bundle key named Dup" in capsys.readouterr().err
    assert not (tmp_path / "o.rdb").exists() and not (tmp_path / "o.json").exists()


def test_an_identity_certificate_is_not_a_bundle_public_key(tmp_path, capsys, source, keydir):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    db, review_id, _ = source
    pem = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    other_kind = tmp_path / "ec.pem"
    other_kind.write_bytes(pem)
    assert main(["export", str(review_id), "--db", str(db), "--format", "json", "--out", str(tmp_path / "o.rdb"),
                 "--encrypt-to", str(other_kind)]) == 2
    assert "of a kind bundles are not encrypted to" in capsys.readouterr().err
