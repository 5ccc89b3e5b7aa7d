"""Hostile and broken bundle files: each refused by `reviewday import` with exit 2 and one line,
the database file byte-for-byte as it was."""

from __future__ import annotations

import copy
import json

import pytest

from app.bundle import BundleError, dump_review, encode_bundle, load_bundle
from app.bundle.envelope import encrypt
from app.cli import main
from app.services.store import Store
from tests.bundle.bundle_support import database_fingerprint, full_review, review_count

KEY_PASSPHRASE = "bundle key passphrase"


@pytest.fixture(scope="module")
def good_document(tmp_path_factory):
    folder = tmp_path_factory.mktemp("source")
    store = Store.open(folder / "source.sqlite3")
    try:
        return dump_review(store, full_review(store))
    finally:
        store.close()


def _changed(document: dict, change) -> bytes:
    copied = copy.deepcopy(document)
    change(copied)
    return encode_bundle(copied)


def _set(path: str, value):
    def change(document):
        node = document
        parts = path.split(".")
        for part in parts[:-1]:
            node = node[int(part)] if part.isdigit() else node[part]
        last = parts[-1]
        node[int(last) if last.isdigit() else last] = value
    return change


def _delete(path: str):
    def change(document):
        node = document
        parts = path.split(".")
        for part in parts[:-1]:
            node = node[int(part)] if part.isdigit() else node[part]
        del node[parts[-1]]
    return change


def _corpus(document: dict) -> list[tuple[str, bytes, str]]:
    """(name, file bytes, words the one-line message must contain)."""
    good = encode_bundle(document)
    text = good.decode("utf-8")

    def duplicate_note_uid(d):
        d["notes"].append(dict(d["notes"][0]))

    def dangling_section(d):
        d["entries"][0]["section_id"] = "no_such_section"

    def deeply_nested(_):
        pass

    return [
        ("empty", b"", "empty"),
        ("not json", b"this is not a bundle", "not valid JSON"),
        ("truncated", good[: len(good) // 2], "ends too early"),
        ("truncated in a string", text[: text.index('"text"') + 12].encode(), "ends too early"),
        ("not utf-8", good.replace(b"calm", b"c\xffm"), "not UTF-8"),
        ("byte-order mark", b"\xef\xbb\xbf" + good, "byte-order mark"),
        ("a list, not an object", b"[1, 2, 3]", "not an object"),
        ("other json", b'{"hello": "world"}', "not a ReviewDay review bundle"),
        ("newer version", _changed(document, _set("format_version", 2)), "format version 2"),
        ("older version", _changed(document, _set("format_version", 0)), "format version 0"),
        ("version as text", _changed(document, _set("format_version", "1")), "format_version must be a whole"),
        ("note section wrong type", _changed(document, _set("notes.0.section_id", 3)),
         "notes[0].section_id must be text"),
        ("flag wrong type", _changed(document, _set("review.seclusion", "yes")), "review.seclusion must be true or false"),
        ("missing key", _changed(document, _delete("review.person_label")), "missing the field 'person_label'"),
        ("missing table", _changed(document, _delete("actions")), "missing the field 'actions'"),
        ("extra key", _changed(document, _set("review.favourite_colour", "blue")), "unknown field 'favourite_colour'"),
        ("extra top-level key", _changed(document, _set("comment", "hi")), "unknown field 'comment'"),
        ("bad enum", _changed(document, _set("actions.0.priority", "urgent")), "actions[0].priority must be one of"),
        ("bad date", _changed(document, _set("review.review_date", "20/11/2026")), "must be a date like"),
        ("impossible date", _changed(document, _set("review.review_date", "2026-02-31")), "not a real date"),
        ("bad time", _changed(document, _set("notes.0.created_at", "yesterday")), "date and time"),
        ("too long", _changed(document, _set("review.person_label", "x" * 500)), "too long"),
        ("negative", _changed(document, _set("attendees.0.position", -1)), "must be between"),
        ("duplicate uids", _changed(document, duplicate_note_uid), "repeats one used earlier"),
        ("dangling section", _changed(document, dangling_section), "names a section the bundle does not have"),
        ("pdf hash mismatch", _changed(document, _set("revisions.0.signed_pdf_sha256", "0" * 64)),
         "does not match its signed_pdf_sha256"),
        ("duplicate keys", good.replace(b'"format": "reviewday-bundle"',
                                        b'"format": "reviewday-bundle", "format": "reviewday-bundle"'),
         "twice in one object"),
        ("NaN", good.replace(b'"declined_before": 2', b'"declined_before": NaN'), "NaN"),
        ("Infinity", good.replace(b'"declined_before": 2', b'"declined_before": -Infinity'), "-Infinity"),
        ("float", good.replace(b'"declined_before": 2', b'"declined_before": 2.5'), "whole number"),
        ("float that looks whole", good.replace(b'"declined_before": 2', b'"declined_before": 2.0'),
         "whole number"),
        ("float too big", good.replace(b'"declined_before": 2', b'"declined_before": 1e400'), "whole number"),
        ("giant number", good.replace(b'"declined_before": 2', b'"declined_before": ' + b"9" * 5000),
         "number too large"),
        ("deeply nested", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        ("nested inside a field", _changed(document, _set("review.hospital", [[[[[[[]]]]]]])),
         "review.hospital must be text"),
        ("null table", _changed(document, _set("notes", None)), "notes must be a list"),
        ("encrypted, not a bundle inside", b"RDBUNDLE\x01" + b"\x00" * 100, "different key|not on this computer"),
        ("other envelope version", b"RDBUNDLE\x07" + b"\x00" * 100, "envelope version 7"),
    ]


def _import(db, path, *extra):
    return main(["import", str(path), "--db", str(db), *extra])


@pytest.fixture
def target(tmp_path, monkeypatch):
    """A database with one review in it, closed, and its fingerprint."""
    monkeypatch.setenv("REVIEWDAY_BUNDLE_KEY_DIR", str(tmp_path / "keys"))
    db = tmp_path / "target.sqlite3"
    store = Store.open(db)
    full_review(store)
    store.close()
    return db


def test_every_malformed_bundle_is_refused_with_one_line_and_nothing_changed(
    good_document, target, tmp_path, capsys
):
    before = database_fingerprint(target)
    for name, data, words in _corpus(good_document):
        path = tmp_path / "bad.json"
        path.write_bytes(data)
        code = _import(target, path)
        out, err = capsys.readouterr()
        assert code == 2, name
        assert out == "", name
        lines = err.strip().splitlines()
        assert len(lines) == 1, (name, err)
        assert any(w in lines[0] for w in words.split("|")), (name, lines[0])
        assert "Traceback" not in err
        assert database_fingerprint(target) == before, name


def test_every_malformed_bundle_raises_bundle_error_from_load_bundle(good_document):
    for name, data, words in _corpus(good_document):
        if data.startswith(b"RDBUNDLE"):
            continue  # envelopes are opened before load_bundle
        with pytest.raises(BundleError) as caught:
            load_bundle(data)
        assert "\n" not in str(caught.value), name


def test_a_huge_file_is_refused_before_it_is_read(good_document, target, tmp_path, capsys):
    before = database_fingerprint(target)
    huge = tmp_path / "huge.json"
    with huge.open("wb") as stream:
        stream.truncate(60 * 1024 * 1024)  # sparse: no real disk used
    assert _import(target, huge) == 2
    assert "larger than the 50 MB" in capsys.readouterr().err
    assert database_fingerprint(target) == before
    with pytest.raises(BundleError, match="larger than the 50 MB"):
        load_bundle(b" " * (50 * 1024 * 1024 + 1))


def test_a_good_bundle_still_imports_into_the_same_database(good_document, target, tmp_path, capsys):
    path = tmp_path / "good.json"
    path.write_bytes(encode_bundle(good_document))
    assert _import(target, path) == 0
    new_id = int(capsys.readouterr().out.strip())
    store = Store.open(target, create=False)
    try:
        assert review_count(store) == 2
        assert dump_review(store, new_id) == good_document
    finally:
        store.close()


def test_the_review_already_here_and_an_unknown_template_change_nothing(good_document, target, tmp_path, capsys):
    path = tmp_path / "good.json"
    path.write_bytes(encode_bundle(good_document))
    assert _import(target, path) == 0
    capsys.readouterr()
    before = database_fingerprint(target)
    assert _import(target, path) == 2
    assert capsys.readouterr().err.strip() == "reviewday: This review is already in the database, so it was not imported again."
    assert database_fingerprint(target) == before
    unknown = copy.deepcopy(good_document)
    unknown["review"]["uid"] = "99999999-2222-4333-8444-555555555555"
    unknown["template"] = {"id": "no_such_review_type", "version": 1}
    path.write_bytes(encode_bundle(unknown))
    assert _import(target, path) == 2
    assert "does not have" in capsys.readouterr().err
    assert database_fingerprint(target) == before


def test_encrypted_bundles_for_another_key_or_tampered_are_refused(good_document, target, tmp_path, capsys,
                                                                   monkeypatch):
    from app.bundle.keys import BundleKeyStore, load_public_key

    monkeypatch.setenv("KEY_PASS", KEY_PASSPHRASE)
    keys = BundleKeyStore(tmp_path / "keys", kdf_iterations=1000)
    mine = keys.create("Mine", KEY_PASSPHRASE)
    theirs_store = BundleKeyStore(tmp_path / "elsewhere", kdf_iterations=1000)
    theirs = theirs_store.create("Someone Else", KEY_PASSPHRASE)
    plain = encode_bundle(good_document)
    before = database_fingerprint(target)

    for_other = tmp_path / "other.rdb"
    for_other.write_bytes(encrypt(plain, load_public_key(theirs.public_path)))
    assert _import(target, for_other, "--passphrase-env", "KEY_PASS") == 2
    assert "not on this computer" in capsys.readouterr().err
    assert _import(target, for_other, "--key", "Mine", "--passphrase-env", "KEY_PASS") == 2
    assert "encrypted for a different key" in capsys.readouterr().err

    sealed = bytearray(encrypt(plain, load_public_key(mine.public_path)))
    for position in (12, 40, 60, len(sealed) // 2, len(sealed) - 1):
        tampered = bytearray(sealed)
        tampered[position] ^= 0x01
        path = tmp_path / "tampered.rdb"
        path.write_bytes(bytes(tampered))
        assert _import(target, path, "--passphrase-env", "KEY_PASS") == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1
        assert "changed or damaged" in err or "different key" in err or "not on this computer" in err, err
    cut = tmp_path / "cut.rdb"
    cut.write_bytes(bytes(sealed[:50]))
    assert _import(target, cut, "--passphrase-env", "KEY_PASS") == 2
    assert "cut short" in capsys.readouterr().err

    wrong = tmp_path / "sealed.rdb"
    wrong.write_bytes(bytes(sealed))
    monkeypatch.setenv("BAD_PASS", "not the passphrase")
    assert _import(target, wrong, "--passphrase-env", "BAD_PASS") == 2
    assert "Wrong passphrase for the bundle key Mine" in capsys.readouterr().err
    assert database_fingerprint(target) == before


def test_json_text_in_the_corpus_is_json_where_it_should_be(good_document):
    # The corpus is only meaningful if the unchanged document is itself accepted.
    assert load_bundle(encode_bundle(good_document)) == json.loads(encode_bundle(good_document))
