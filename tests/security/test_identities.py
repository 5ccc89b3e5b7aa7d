"""Signing identities: real keys, real certificates, real files; keyrings are test backends."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, PasswordDeleteError

from app.security.identities import (
    IMPORTED,
    KDF_ITERATIONS,
    SELF_SIGNED,
    IdentityError,
    IdentityStore,
    default_identity_dir,
)
from app.security.keyring_store import KeyringStore
from app.services.errors import ReviewDayError

PASSPHRASE = "correct horse battery"
# Most tests use fewer PBKDF2 rounds to stay fast; the tests about the key file use the default.
FAST_KDF = 20_000


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps secrets in a dict. Priority below zero: keyring never picks it by itself."""

    priority = -1

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def delete_password(self, service, username):
        try:
            del self.secrets[(service, username)]
        except KeyError:
            raise PasswordDeleteError("not there") from None


class BrokenKeyring(KeyringBackend):
    """A keyring whose every call fails, like a locked or crashed secret service."""

    priority = -1

    def get_password(self, service, username):
        raise KeyringError("the secret service is not answering")

    set_password = delete_password = get_password


class ForgetfulKeyring(MemoryKeyring):
    """Accepts secrets and gives nothing back."""

    def get_password(self, service, username):
        return None


class PlaintextFileKeyring(MemoryKeyring):
    """Stands in for keyrings.alt's file backend, which must never be used."""


PlaintextFileKeyring.__module__ = "keyrings.alt.file"


@pytest.fixture
def use_keyring():
    previous = keyring.get_keyring()

    def install(backend: KeyringBackend) -> KeyringBackend:
        keyring.set_keyring(backend)
        return backend

    yield install
    keyring.set_keyring(previous)


@pytest.fixture
def store(tmp_path) -> IdentityStore:
    return IdentityStore(tmp_path / "identities", kdf_iterations=FAST_KDF)


@pytest.fixture
def default_store(tmp_path) -> IdentityStore:
    return IdentityStore(tmp_path / "identities")


def _all_bytes(folder: Path) -> list[tuple[Path, bytes]]:
    return [(path, path.read_bytes()) for path in folder.rglob("*") if path.is_file()]


def _certificate(info) -> x509.Certificate:
    return x509.load_pem_x509_certificate(info.certificate_path.read_bytes())


# -- creating and reading ------------------------------------------------------------------------


def test_create_makes_a_p256_key_and_a_self_signed_certificate_naming_person_and_role(store):
    info = store.create("Dr Morgan Ellis", "Independent chair", PASSPHRASE)

    assert (info.name, info.role, info.kind) == ("Dr Morgan Ellis", "Independent chair", SELF_SIGNED)
    cert = _certificate(info)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Dr Morgan Ellis"
    assert cert.subject.get_attributes_for_oid(NameOID.TITLE)[0].value == "Independent chair"
    assert cert.issuer == cert.subject
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey) and cert.public_key().curve.name == "secp256r1"
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert timedelta(days=5 * 365) < lifetime < timedelta(days=5 * 366 + 2)
    cert.verify_directly_issued_by(cert)  # the self-signature checks out

    assert info.fingerprint == hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()
    pairs = info.fingerprint_display.split(":")
    assert len(pairs) == 32 and all(len(p) == 2 and p == p.upper() for p in pairs)
    assert info.expires_at == cert.not_valid_after_utc


def test_created_at_comes_from_the_clock_and_list_and_get_read_it_back(tmp_path):
    moment = datetime(2026, 11, 20, 9, 30)  # naive, as the app's clock gives: taken as UTC
    store = IdentityStore(tmp_path / "ids", clock=lambda: moment, kdf_iterations=FAST_KDF)
    store.create("Sam Taylor", "Expert by experience", PASSPHRASE)
    store.create("alex kim", "Clinical expert", PASSPHRASE)

    listed = store.list()
    assert [i.name for i in listed] == ["alex kim", "Sam Taylor"]  # sorted, ignoring case
    sam = store.get("  sam   TAYLOR ")
    assert sam.created_at == moment.replace(tzinfo=UTC)
    meta = json.loads((sam.certificate_path.parent / "meta.json").read_text())
    assert meta["name"] == "Sam Taylor" and meta["role"] == "Expert by experience"
    assert meta["fingerprint"] == sam.fingerprint and meta["kind"] == SELF_SIGNED
    assert meta["created"].startswith("2026-11-20T09:30:00")
    assert IdentityStore(tmp_path / "ids").list() == listed  # a fresh store reads the same


def test_unknown_identity_is_a_plain_error(store):
    with pytest.raises(IdentityError, match=r"^No signing identity named Nobody\.$"):
        store.get("Nobody")
    with pytest.raises(IdentityError, match=r"^No signing identity named Nobody\.$"):
        store.load_signer("Nobody", PASSPHRASE)
    assert store.list() == []


@pytest.mark.parametrize(
    "name, role, passphrase, message",
    [
        ("Sam Taylor", "Chair", "short", "at least 10 characters"),
        ("Sam Taylor", "Chair", "", "at least 10 characters"),
        ("   ", "Chair", PASSPHRASE, "needs the person's name"),
        ("Sam Taylor", "", PASSPHRASE, "needs the person's role"),
        ("S" * 65, "Chair", PASSPHRASE, "too long"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(tmp_path, name, role, passphrase, message):
    folder = tmp_path / "ids"
    store = IdentityStore(folder, kdf_iterations=FAST_KDF)
    with pytest.raises(IdentityError, match=message):
        store.create(name, role, passphrase)
    assert not folder.exists() or _all_bytes(folder) == []


def test_duplicate_name_is_refused_whatever_its_case_or_spacing(store):
    store.create("Sam Taylor", "Chair", PASSPHRASE)
    with pytest.raises(IdentityError, match=r"^There is already a signing identity named Sam Taylor\.$"):
        store.create(" sam  taylor", "Clinical expert", PASSPHRASE)
    assert len(store.list()) == 1


def test_a_damaged_identity_folder_is_skipped_not_fatal(store):
    good = store.create("Sam Taylor", "Chair", PASSPHRASE)
    broken = store.directory / "broken-000000000000"
    broken.mkdir()
    (broken / "meta.json").write_text("{not json")
    (store.directory / "stray-file.txt").write_text("hello")
    assert store.list() == [good]


def test_default_directory_honours_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("REVIEWDAY_IDENTITY_DIR", str(tmp_path / "elsewhere"))
    assert default_identity_dir() == tmp_path / "elsewhere"
    assert IdentityStore.default().directory == tmp_path / "elsewhere"
    monkeypatch.delenv("REVIEWDAY_IDENTITY_DIR")
    assert default_identity_dir().parts[-2:] == ("ReviewDay", "identities")


# -- the key on disk -----------------------------------------------------------------------------


def test_no_plaintext_key_or_passphrase_ever_reaches_the_disk(default_store):
    store = default_store
    info = store.create("Sam Taylor", "Chair", PASSPHRASE)
    signer = store.load_signer("Sam Taylor", PASSPHRASE)
    raw_key = signer.signing_key.dump()  # the decrypted PKCS#8, in memory only
    secret_scalar = signer.signing_key["private_key"].parsed["private_key"].contents

    files = _all_bytes(store.directory)
    assert {path.name for path, _ in files} == {"key.pem", "cert.pem", "meta.json"}
    for path, data in files:
        assert b"BEGIN PRIVATE KEY" not in data and b"BEGIN EC PRIVATE KEY" not in data, path
        assert raw_key not in data and secret_scalar not in data, path
        assert PASSPHRASE.encode() not in data, path
    key_pem = (info.certificate_path.parent / "key.pem").read_bytes()
    assert key_pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")


def test_key_file_is_standard_pkcs8_pbes2_with_many_kdf_rounds(default_store):
    store = default_store
    from asn1crypto import keys, pem

    info = store.create("Sam Taylor", "Chair", PASSPHRASE)
    key_pem = (info.certificate_path.parent / "key.pem").read_bytes()
    _kind, _headers, der = pem.unarmor(key_pem)
    algorithm = keys.EncryptedPrivateKeyInfo.load(der)["encryption_algorithm"].native
    assert algorithm["algorithm"] == "pbes2"
    kdf = algorithm["parameters"]["key_derivation_func"]
    assert kdf["algorithm"] == "pbkdf2" and kdf["parameters"]["iteration_count"] == KDF_ITERATIONS >= 600_000
    assert algorithm["parameters"]["encryption_scheme"]["algorithm"] == "aes256_cbc"
    # Any PKCS#8 reader opens it with the passphrase alone, and the key matches the certificate.
    key = serialization.load_pem_private_key(key_pem, PASSPHRASE.encode())
    assert key.public_key() == _certificate(info).public_key()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_files_are_private_to_the_user(store):
    info = store.create("Sam Taylor", "Chair", PASSPHRASE)
    for path, _ in _all_bytes(store.directory):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(info.certificate_path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.directory.stat().st_mode) == 0o700
    assert not [p for p in store.directory.rglob("*.part")]  # no temporary files left behind


# -- unlocking -----------------------------------------------------------------------------------


def test_load_signer_with_right_wrong_and_no_passphrase(store):
    info = store.create("Sam Taylor", "Chair", PASSPHRASE)

    signer = store.load_signer("Sam Taylor", PASSPHRASE)
    assert hashlib.sha256(signer.signing_cert.dump()).hexdigest() == info.fingerprint
    assert signer.sign_raw(b"hello", "sha256")  # the key really signs

    with pytest.raises(IdentityError, match=r"^Wrong passphrase for Sam Taylor's signing key\.$"):
        store.load_signer("Sam Taylor", "not the passphrase")
    # The fail backend from conftest: no keyring, so no remembered passphrase either.
    with pytest.raises(IdentityError, match=r"^A passphrase is needed for Sam Taylor's signing key\.$"):
        store.load_signer("Sam Taylor", None)


def test_passphrase_is_compared_after_unicode_normalisation(store):
    composed, decomposed = "Si\u00e2n's passphrase", "Sia\u0302n's passphrase"
    store.create("Si\u00e2n Evans", "Chair", composed)
    assert store.load_signer("Si\u00e2n Evans", decomposed) is not None


def test_a_replaced_certificate_or_unencrypted_key_is_caught(store):
    info = store.create("Sam Taylor", "Chair", PASSPHRASE)
    other = store.create("Alex Kim", "Chair", PASSPHRASE)
    folder = info.certificate_path.parent
    original_cert = info.certificate_path.read_bytes()
    info.certificate_path.write_bytes(other.certificate_path.read_bytes())
    with pytest.raises(IdentityError, match="certificate file has been replaced"):
        store.load_signer("Sam Taylor", PASSPHRASE)

    info.certificate_path.write_bytes(original_cert)
    key = serialization.load_pem_private_key((folder / "key.pem").read_bytes(), PASSPHRASE.encode())
    (folder / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    with pytest.raises(IdentityError, match="not encrypted"):
        store.load_signer("Sam Taylor", PASSPHRASE)


# -- the keyring ---------------------------------------------------------------------------------


def test_remembered_passphrase_comes_from_the_keyring(store, use_keyring):
    backend = use_keyring(MemoryKeyring())
    info = store.create("Sam Taylor", "Chair", PASSPHRASE, remember=True)

    assert backend.secrets == {("ReviewDay", info.keyring_account): PASSPHRASE}
    assert store.has_remembered_passphrase("Sam Taylor")
    assert store.load_signer("Sam Taylor", None).signing_cert is not None
    # An explicit passphrase still wins, and a wrong one is still wrong.
    with pytest.raises(IdentityError, match="Wrong passphrase"):
        store.load_signer("Sam Taylor", "not the passphrase")

    assert store.forget_passphrase("Sam Taylor")
    assert backend.secrets == {}
    with pytest.raises(IdentityError, match="A passphrase is needed"):
        store.load_signer("Sam Taylor", None)
    assert store.remember_passphrase("Sam Taylor", PASSPHRASE)
    with pytest.raises(IdentityError, match="Wrong passphrase"):
        store.remember_passphrase("Sam Taylor", "not the passphrase")
    assert backend.secrets == {("ReviewDay", info.keyring_account): PASSPHRASE}


def test_create_without_remember_leaves_the_keyring_alone(store, use_keyring):
    backend = use_keyring(MemoryKeyring())
    store.create("Sam Taylor", "Chair", PASSPHRASE)
    assert backend.secrets == {}


def test_a_changed_keyring_passphrase_is_reported_and_nothing_is_deleted(store, use_keyring):
    backend = use_keyring(MemoryKeyring())
    info = store.create("Sam Taylor", "Chair", PASSPHRASE, remember=True)
    backend.secrets[("ReviewDay", info.keyring_account)] = "someone changed this"
    with pytest.raises(IdentityError, match="remembered in the keyring for Sam Taylor's signing key is wrong"):
        store.load_signer("Sam Taylor", None)
    assert backend.secrets[("ReviewDay", info.keyring_account)] == "someone changed this"
    assert store.load_signer("Sam Taylor", PASSPHRASE) is not None
    assert store.get("Sam Taylor") == info


@pytest.mark.parametrize("backend_class", [BrokenKeyring, ForgetfulKeyring, PlaintextFileKeyring])
def test_a_failing_keyring_means_asking_and_no_passphrase_is_written_anywhere(
    tmp_path, monkeypatch, use_keyring, backend_class
):
    # Point every per-user folder into tmp_path, so a fallback file would land where we look.
    for var in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / "home" / var.lower()))
    backend = use_keyring(backend_class())
    store = IdentityStore(tmp_path / "ids", kdf_iterations=FAST_KDF)

    info = store.create("Sam Taylor", "Chair", PASSPHRASE, remember=True)

    assert not store.has_remembered_passphrase("Sam Taylor")
    assert store.load_signer("Sam Taylor", PASSPHRASE) is not None
    with pytest.raises(IdentityError, match=r"^A passphrase is needed for Sam Taylor's signing key\.$"):
        store.load_signer("Sam Taylor", None)
    assert not store.remember_passphrase("Sam Taylor", PASSPHRASE)
    for path, data in _all_bytes(tmp_path):
        assert PASSPHRASE.encode() not in data, path
        assert PASSPHRASE.encode("utf-16-le") not in data, path
    if isinstance(backend, PlaintextFileKeyring):
        assert backend.secrets == {}  # a plaintext backend is never even asked
    assert info.kind == SELF_SIGNED


def test_keyring_store_reports_what_it_can_do(use_keyring):
    keyrings = KeyringStore()
    use_keyring(MemoryKeyring())
    assert keyrings.available()
    assert keyrings.set("acct", "s3cret-value") and keyrings.get("acct") == "s3cret-value"
    assert keyrings.delete("acct") and keyrings.get("acct") is None
    assert not keyrings.delete("acct")

    use_keyring(BrokenKeyring())
    assert keyrings.available()  # configured, but every request fails quietly
    assert keyrings.get("acct") is None and not keyrings.set("acct", "x") and not keyrings.delete("acct")

    use_keyring(ForgetfulKeyring())
    assert not keyrings.set("acct", "x")  # stored-then-read-back check

    from keyring.backends import fail, null

    for backend in (fail.Keyring(), null.Keyring(), PlaintextFileKeyring()):
        use_keyring(backend)
        assert not keyrings.available() and keyrings.get("acct") is None and not keyrings.set("acct", "x")


# -- importing an organisation's certificate -----------------------------------------------------


@functools.cache
def _rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _make_org_pkcs12(path: Path, password: bytes | None, *, name="Dr Priya Shah", expired=False, with_key=True):
    """A small CA and a person's RSA certificate from it, saved as PKCS#12 (as an IT department would)."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test NHS Trust Signing CA")])
    ca_cert = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=30)).not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    person_key = _rsa_key()
    start, end = (now - timedelta(days=400), now - timedelta(days=1)) if expired else (now - timedelta(days=1), now + timedelta(days=700))
    person_cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name),
                                 x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test NHS Trust")]))
        .issuer_name(ca_name).public_key(person_key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(start).not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    data = pkcs12.serialize_key_and_certificates(
        b"signing", person_key if with_key else None, person_cert, [ca_cert], encryption
    )
    path.write_bytes(data)
    return ca_cert, person_cert


def test_import_pkcs12_keeps_the_organisation_certificate_and_re_encrypts_the_key(store, tmp_path):
    p12 = tmp_path / "priya.p12"
    ca_cert, person_cert = _make_org_pkcs12(p12, b"it-dept-password")

    info = store.import_pkcs12(p12, "it-dept-password", PASSPHRASE, role="Chair")

    assert (info.name, info.role, info.kind) == ("Dr Priya Shah", "Chair", IMPORTED)
    assert info.fingerprint == person_cert.fingerprint(hashes.SHA256()).hex()
    folder = info.certificate_path.parent
    assert (folder / "chain.pem").read_bytes() == ca_cert.public_bytes(serialization.Encoding.PEM)
    for path, data in _all_bytes(store.directory):
        assert b"BEGIN PRIVATE KEY" not in data and b"BEGIN RSA PRIVATE KEY" not in data, path
        assert b"it-dept-password" not in data and PASSPHRASE.encode() not in data, path
    signer = store.load_signer("Dr Priya Shah", PASSPHRASE)  # our passphrase, not the .p12 password
    assert hashlib.sha256(signer.signing_cert.dump()).hexdigest() == info.fingerprint
    assert [c.subject.native["common_name"] for c in signer.cert_registry] == ["Test NHS Trust Signing CA"]
    with pytest.raises(IdentityError, match="Wrong passphrase"):
        store.load_signer("Dr Priya Shah", "it-dept-password")
    p12.unlink()  # the original file is not needed again
    assert store.load_signer("Dr Priya Shah", PASSPHRASE) is not None


def test_import_can_name_the_person_and_refuses_duplicates(store, tmp_path):
    p12 = tmp_path / "priya.p12"
    _make_org_pkcs12(p12, b"pw")
    store.import_pkcs12(p12, "pw", PASSPHRASE, role="Chair", name="Priya Shah (Trust)")
    with pytest.raises(IdentityError, match="already a signing identity named Priya Shah"):
        store.import_pkcs12(p12, "pw", PASSPHRASE, role="Chair", name="priya shah (trust)")
    assert [i.name for i in store.list()] == ["Priya Shah (Trust)"]


def test_import_errors_are_plain_sentences(store, tmp_path):
    p12 = tmp_path / "priya.p12"
    _make_org_pkcs12(p12, b"it-dept-password")
    cases = [
        (lambda: store.import_pkcs12(p12, "wrong", PASSPHRASE, role="Chair"),
         r"^Wrong password for the certificate file priya\.p12\.$"),
        (lambda: store.import_pkcs12(p12, None, PASSPHRASE, role="Chair"), r"^priya\.p12 needs its password to open\.$"),
        (lambda: store.import_pkcs12(p12, "it-dept-password", "short", role="Chair"), "at least 10 characters"),
        (lambda: store.import_pkcs12(p12, "it-dept-password", PASSPHRASE, role=""), "needs the person's role"),
        (lambda: store.import_pkcs12(tmp_path / "missing.p12", "x", PASSPHRASE, role="Chair"), "^No such file"),
        (lambda: store.import_pkcs12(tmp_path, "x", PASSPHRASE, role="Chair"), "is a folder"),
    ]
    not_p12 = tmp_path / "notes.p12"
    not_p12.write_bytes(b"%PDF-1.7 this is not a certificate")
    cases.append((lambda: store.import_pkcs12(not_p12, "x", PASSPHRASE, role="Chair"),
                  r"^notes\.p12 is not a PKCS#12 \(\.p12 or \.pfx\) certificate file\.$"))
    no_key = tmp_path / "nokey.p12"
    _make_org_pkcs12(no_key, b"pw", with_key=False)
    cases.append((lambda: store.import_pkcs12(no_key, "pw", PASSPHRASE, role="Chair"), "does not hold both"))
    expired = tmp_path / "old.p12"
    _make_org_pkcs12(expired, b"pw", expired=True)
    cases.append((lambda: store.import_pkcs12(expired, "pw", PASSPHRASE, role="Chair"), "expired on"))

    for call, message in cases:
        with pytest.raises(ReviewDayError, match=message):
            call()
    assert store.list() == []


def test_import_of_an_unprotected_pkcs12(store, tmp_path):
    p12 = tmp_path / "open.p12"
    _make_org_pkcs12(p12, None, name="Jo Bloggs")
    info = store.import_pkcs12(p12, None, PASSPHRASE, role="Clinical expert")
    assert info.name == "Jo Bloggs" and info.kind == IMPORTED
