"""Signing identities: a person's certificate and their private key, kept only encrypted.

Each identity lives in its own folder under the identity directory:

    <slug>-<fingerprint prefix>/
        key.pem      the private key, PKCS#8 encrypted with the person's passphrase
        cert.pem     the X.509 certificate (self-signed, or the organisation's)
        chain.pem    the issuing certificates, for an imported certificate that came with them
        meta.json    name, role, created, fingerprint, kind

Files are written atomically with mode 0600 (folders 0700). The passphrase is never written
anywhere; with `remember=True` it goes to the system keyring, when there is a real one.
"""

from __future__ import annotations

import json
import logging
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.report.atomic import atomic_write_bytes
from app.security.keyring_store import KeyringStore
from app.security.passphrase_rule import passphrase_problem
from app.services.errors import ReviewDayError

log = logging.getLogger(__name__)

ENV_IDENTITY_DIR = "REVIEWDAY_IDENTITY_DIR"
# PBKDF2-HMAC-SHA256 rounds guarding the key file (OWASP's 2023 figure); about 0.3 s to unlock.
# cryptography's BestAvailableEncryption uses only 2,048 for PKCS#8, too few for a file that
# may be copied off a laptop and attacked offline.
KDF_ITERATIONS = 600_000
# A .p12 holds a key and a few certificates: a few kilobytes.
MAX_PKCS12_BYTES = 1024 * 1024
CERTIFICATE_YEARS = 5
SELF_SIGNED, IMPORTED = "self-signed", "imported"

KEY_FILE, CERT_FILE, CHAIN_FILE, META_FILE = "key.pem", "cert.pem", "chain.pem", "meta.json"

Clock = Callable[[], datetime]


class IdentityError(ReviewDayError):
    """A signing identity could not be created, found or unlocked; the message says why."""


def default_identity_dir() -> Path:
    """REVIEWDAY_IDENTITY_DIR if set, else the user's data folder / identities."""
    override = os.environ.get(ENV_IDENTITY_DIR)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("ReviewDay", appauthor=False) / "identities"


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class IdentityInfo:
    name: str
    role: str
    fingerprint: str  # SHA-256 of the certificate's DER, lower-case hex
    created_at: datetime  # aware, UTC
    kind: str  # SELF_SIGNED or IMPORTED
    certificate_path: Path
    expires_at: datetime | None = None  # aware, UTC

    @property
    def fingerprint_display(self) -> str:
        """The fingerprint as people compare it: AB:CD:EF:..."""
        text = self.fingerprint.upper()
        return ":".join(text[i : i + 2] for i in range(0, len(text), 2))

    @property
    def keyring_account(self) -> str:
        return f"signing key passphrase: {self.name} ({self.fingerprint[:16]})"

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "role": self.role,
            "kind": self.kind,
            "created": self.created_at.isoformat(),
            "expires": self.expires_at.isoformat() if self.expires_at else None,
            "fingerprint": self.fingerprint,
            "fingerprint_display": self.fingerprint_display,
            "certificate": str(self.certificate_path),
        }


class IdentityStore:
    """The signing identities kept in one folder."""

    def __init__(
        self,
        directory: Path | str,
        *,
        keyring: KeyringStore | None = None,
        clock: Clock = _utcnow,
        kdf_iterations: int = KDF_ITERATIONS,
    ) -> None:
        self.directory = Path(directory)
        self.keyring = keyring if keyring is not None else KeyringStore()
        self.clock = clock
        self.kdf_iterations = kdf_iterations

    @classmethod
    def default(cls, **kwargs) -> IdentityStore:
        return cls(default_identity_dir(), **kwargs)

    # -- reading -----------------------------------------------------------------------------

    def list(self) -> list[IdentityInfo]:  # noqa: A003 - the natural name
        if not self.directory.is_dir():
            return []
        found = []
        for folder in sorted(self.directory.iterdir()):
            if not (folder / META_FILE).is_file():
                continue
            try:
                found.append(self._read_info(folder))
            except IdentityError as exc:
                log.warning("skipping identity folder %s: %s", folder.name, exc)
        return sorted(found, key=lambda info: info.name.casefold())

    def get(self, name: str) -> IdentityInfo:
        wanted = _name_key(name)
        for info in self.list():
            if _name_key(info.name) == wanted:
                return info
        raise IdentityError(f"No signing identity named {name.strip()}.")

    def has_remembered_passphrase(self, name: str) -> bool:
        return self.keyring.get(self.get(name).keyring_account) is not None

    # -- creating ----------------------------------------------------------------------------

    def create(self, name: str, role: str, passphrase: str, *, remember: bool = False) -> IdentityInfo:
        """A new ECDSA P-256 key and a self-signed certificate naming the person and their role."""
        name, role = _clean_name(name), _clean_role(role)
        _check_passphrase(passphrase)
        self._refuse_duplicate(name)

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        now = self._now()
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.TITLE, role),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, role),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ReviewDay self-signed identity"),
        ])
        public_key = key.public_key()
        certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            # Back-dated a day so a signing computer whose clock is a little behind still accepts it.
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=365 * CERTIFICATE_YEARS + 1))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True, content_commitment=True, key_encipherment=False,
                    data_encipherment=False, key_agreement=False, key_cert_sign=False,
                    crl_sign=False, encipher_only=False, decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public_key), critical=False)
            .sign(key, hashes.SHA256())
        )
        info = self._save(name, role, SELF_SIGNED, key, certificate, [], passphrase, now)
        if remember:
            self.keyring.set(info.keyring_account, passphrase)
        return info

    def import_pkcs12(
        self,
        path: Path | str,
        pkcs12_password: str | None,
        passphrase: str,
        *,
        role: str,
        name: str | None = None,
        remember: bool = False,
    ) -> IdentityInfo:
        """An organisation's certificate and key from a .p12/.pfx file, re-encrypted with `passphrase`."""
        path = Path(path)
        role = _clean_role(role)
        _check_passphrase(passphrase)
        try:
            with path.open("rb") as stream:  # bounded: a pipe or a device has no size to check first
                data = stream.read(MAX_PKCS12_BYTES + 1)
        except FileNotFoundError:
            raise IdentityError(f"No such file: {path}.") from None
        except IsADirectoryError:
            raise IdentityError(f"{path} is a folder, not a certificate file.") from None
        except OSError as exc:
            raise IdentityError(f"Cannot read {path.name}: {exc.strerror or exc}.") from None
        if len(data) > MAX_PKCS12_BYTES:
            raise IdentityError(f"{path.name} is too large to be a certificate file.")

        from cryptography import x509
        from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
        from cryptography.hazmat.primitives.serialization import pkcs12

        password_bytes = _encode(pkcs12_password) if pkcs12_password else None
        try:
            key, certificate, extra = pkcs12.load_key_and_certificates(data, password_bytes)
        except ValueError:
            if not _looks_like_pkcs12(data):
                raise IdentityError(f"{path.name} is not a PKCS#12 (.p12 or .pfx) certificate file.") from None
            if not pkcs12_password:
                raise IdentityError(f"{path.name} needs its password to open.") from None
            raise IdentityError(f"Wrong password for the certificate file {path.name}.") from None
        except Exception:  # noqa: BLE001 - unsupported algorithms and the like: one plain sentence
            raise IdentityError(f"{path.name} could not be read as a PKCS#12 certificate file.") from None
        if key is None or certificate is None:
            raise IdentityError(f"{path.name} does not hold both a certificate and its private key.")
        if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)):
            raise IdentityError(f"The key in {path.name} is of a kind that cannot sign PDF reports.")
        if key.public_key() != certificate.public_key():
            raise IdentityError(f"The private key in {path.name} does not belong to its certificate.")
        now = self._now()
        expires = certificate.not_valid_after_utc
        if expires <= now:
            raise IdentityError(f"The certificate in {path.name} expired on {expires:%d %B %Y}.")

        if name is None:
            names = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
            if not names:
                raise IdentityError(f"The certificate in {path.name} names nobody; give a name for it.")
            name = str(names[0].value)
        name = _clean_name(name)
        self._refuse_duplicate(name)
        info = self._save(name, role, IMPORTED, key, certificate, list(extra or []), passphrase, now)
        if remember:
            self.keyring.set(info.keyring_account, passphrase)
        return info

    # -- unlocking ---------------------------------------------------------------------------

    def load_signer(self, name: str, passphrase: str | None = None):
        """A pyHanko SimpleSigner for this identity (the key is decrypted in memory only).

        With `passphrase` None, the passphrase remembered in the system keyring is used.
        """
        info = self.get(name)
        from_keyring = passphrase is None
        if from_keyring:
            passphrase = self.keyring.get(info.keyring_account)
            if passphrase is None:
                raise IdentityError(f"A passphrase is needed for {info.name}'s signing key.")

        from asn1crypto import keys as asn1_keys
        from asn1crypto import x509 as asn1_x509
        from cryptography.hazmat.primitives import serialization
        from pyhanko.sign.signers import SimpleSigner
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        folder = info.certificate_path.parent
        certificate = self._read_certificate(folder, info)
        try:
            key_pem = (folder / KEY_FILE).read_bytes()
        except OSError:
            raise IdentityError(f"{info.name}'s signing key file is missing or unreadable.") from None
        try:
            key = serialization.load_pem_private_key(key_pem, password=_encode(passphrase))
        except TypeError:
            raise IdentityError(
                f"{info.name}'s signing key file is not encrypted, which ReviewDay never does; create the identity again."
            ) from None
        except ValueError:
            if from_keyring:
                raise IdentityError(
                    f"The passphrase remembered in the keyring for {info.name}'s signing key is wrong; type it instead."
                ) from None
            raise IdentityError(f"Wrong passphrase for {info.name}'s signing key.") from None
        except Exception:  # noqa: BLE001 - a damaged key file
            raise IdentityError(f"{info.name}'s signing key file is damaged.") from None
        if key.public_key() != certificate.public_key():
            raise IdentityError(f"{info.name}'s signing key does not match their certificate.")

        der_key = key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        signing_cert = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
        chain = [
            asn1_x509.Certificate.load(extra.public_bytes(serialization.Encoding.DER))
            for extra in self._read_chain(folder)
        ]
        return SimpleSigner(
            signing_cert=signing_cert,
            signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
            cert_registry=SimpleCertificateStore.from_certs(chain),  # pyHanko adds the signing cert itself
        )

    def check_passphrase(self, name: str, passphrase: str) -> None:
        """Raise IdentityError unless `passphrase` unlocks this identity's key."""
        self.load_signer(name, passphrase)

    def remember_passphrase(self, name: str, passphrase: str) -> bool:
        """Check the passphrase, then keep it in the system keyring. False when there is no keyring."""
        self.check_passphrase(name, passphrase)
        return self.keyring.set(self.get(name).keyring_account, passphrase)

    def forget_passphrase(self, name: str) -> bool:
        return self.keyring.delete(self.get(name).keyring_account)

    # -- internals ---------------------------------------------------------------------------

    def _now(self) -> datetime:
        now = self.clock()
        return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)

    def _refuse_duplicate(self, name: str) -> None:
        wanted = _name_key(name)
        for info in self.list():
            if _name_key(info.name) == wanted:
                raise IdentityError(f"There is already a signing identity named {info.name}.")

    def _save(self, name, role, kind, key, certificate, chain, passphrase, now) -> IdentityInfo:
        from cryptography.hazmat.primitives import hashes, serialization

        fingerprint = certificate.fingerprint(hashes.SHA256()).hex()
        folder = self.directory / f"{_slug(name)}-{fingerprint[:12]}"
        _make_private_dir(self.directory)
        _make_private_dir(folder)
        key_pem = encrypt_private_key(key, passphrase, iterations=self.kdf_iterations)
        meta = {
            "format": 1,
            "name": name,
            "role": role,
            "created": now.isoformat(),
            "fingerprint": fingerprint,
            "kind": kind,
            "expires": certificate.not_valid_after_utc.isoformat(),
        }
        # The key first and meta.json last: a folder without meta.json is not listed.
        _write_private(folder / KEY_FILE, key_pem)
        _write_private(folder / CERT_FILE, certificate.public_bytes(serialization.Encoding.PEM))
        if chain:
            _write_private(folder / CHAIN_FILE, b"".join(c.public_bytes(serialization.Encoding.PEM) for c in chain))
        _write_private(folder / META_FILE, json.dumps(meta, indent=2, ensure_ascii=False).encode("utf-8"))
        return self._read_info(folder)

    def _read_info(self, folder: Path) -> IdentityInfo:
        try:
            meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
            return IdentityInfo(
                name=str(meta["name"]),
                role=str(meta["role"]),
                fingerprint=str(meta["fingerprint"]),
                created_at=_parse_time(meta["created"]),
                kind=str(meta["kind"]),
                certificate_path=folder / CERT_FILE,
                expires_at=_parse_time(meta["expires"]) if meta.get("expires") else None,
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IdentityError(f"The signing identity in {folder.name} is damaged ({type(exc).__name__}).") from None

    def _read_certificate(self, folder: Path, info: IdentityInfo):
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes

        try:
            certificate = x509.load_pem_x509_certificate((folder / CERT_FILE).read_bytes())
        except (OSError, ValueError):
            raise IdentityError(f"{info.name}'s certificate file is missing or damaged.") from None
        if certificate.fingerprint(hashes.SHA256()).hex() != info.fingerprint:
            raise IdentityError(f"{info.name}'s certificate file has been replaced; it no longer matches its fingerprint.")
        return certificate

    def _read_chain(self, folder: Path) -> list:
        from cryptography import x509

        path = folder / CHAIN_FILE
        if not path.is_file():
            return []
        try:
            return x509.load_pem_x509_certificates(path.read_bytes())
        except ValueError:
            log.warning("ignoring an unreadable certificate chain in %s", folder.name)
            return []


def encrypt_private_key(key, passphrase: str, *, iterations: int = KDF_ITERATIONS) -> bytes:
    """The key as PEM "ENCRYPTED PRIVATE KEY": PKCS#8 with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC).

    The same structure as cryptography's BestAvailableEncryption, with many more PBKDF2
    rounds; OpenSSL and cryptography read it back with the passphrase alone.
    """
    from asn1crypto import algos
    from asn1crypto import keys as asn1_keys
    from asn1crypto import pem
    from cryptography.hazmat.primitives import hashes, padding, serialization
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

    plain = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    salt, iv = os.urandom(16), os.urandom(16)
    secret = PBKDF2HMAC(hashes.SHA256(), 32, salt, iterations).derive(_encode(passphrase))
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(secret), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(padder.update(plain) + padder.finalize()) + encryptor.finalize()
    info = asn1_keys.EncryptedPrivateKeyInfo({
        "encryption_algorithm": {
            "algorithm": "pbes2",
            "parameters": {
                "key_derivation_func": {
                    "algorithm": "pbkdf2",
                    "parameters": {
                        "salt": algos.Pbkdf2Salt(name="specified", value=salt),
                        "iteration_count": iterations,
                        "prf": {"algorithm": "sha256"},
                    },
                },
                "encryption_scheme": {"algorithm": "aes256_cbc", "parameters": iv},
            },
        },
        "encrypted_data": ciphertext,
    })
    return pem.armor("ENCRYPTED PRIVATE KEY", info.dump())


def _encode(passphrase: str) -> bytes:
    # The same passphrase typed on another keyboard or system must give the same bytes.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def _check_passphrase(passphrase: str) -> None:
    """A new passphrase (creating or importing an identity): the one rule, app/security/passphrase_rule.py."""
    problem = passphrase_problem(passphrase)
    if problem:
        raise IdentityError(problem)


# The X.509 limit for a common name or title, in UTF-8 bytes (an accented letter takes two).
CERTIFICATE_TEXT_BYTES = 64


def _clean_name(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise IdentityError("A signing identity needs the person's name.")
    _check_certificate_text(cleaned, "name")
    return cleaned


def _clean_role(role: str) -> str:
    cleaned = " ".join((role or "").split())
    if not cleaned:
        raise IdentityError("A signing identity needs the person's role, for example 'Chair'.")
    _check_certificate_text(cleaned, "role")
    return cleaned


def _check_certificate_text(text: str, what: str) -> None:
    from app.services.limits import character_problem

    if len(text.encode("utf-8")) > CERTIFICATE_TEXT_BYTES:
        raise IdentityError(f"That {what} is too long for a certificate; use at most {CERTIFICATE_TEXT_BYTES} "
                            "characters (fewer if some are accented).")
    # The same rule as every name the app stores: a signature must show the name as it reads.
    problem = character_problem(text, one_line=True)
    if problem:
        raise IdentityError(f"That {what} holds {problem}; remove it.")


def _name_key(name: str) -> str:
    return unicodedata.normalize("NFC", " ".join((name or "").split())).casefold()


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:40] or "identity"


def _looks_like_pkcs12(data: bytes) -> bool:
    # A DER SEQUENCE whose first element is the INTEGER version 3.
    from asn1crypto.core import load

    try:
        parsed = load(data)
        return parsed[0].native == 3
    except Exception:  # noqa: BLE001
        return False


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _make_private_dir(folder: Path) -> None:
    """Create `folder` readable by its owner only; an existing folder is left as it is."""
    if folder.is_dir():
        return
    try:
        folder.mkdir(mode=0o700, parents=True)
        if os.name == "posix":
            os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask
    except OSError as exc:
        raise IdentityError(f"Cannot create the identity folder {folder}: {exc.strerror or exc}.") from None


def _write_private(path: Path, data: bytes) -> None:
    atomic_write_bytes(path, data)  # a temporary file made by mkstemp: already mode 0600
    if os.name == "posix":
        os.chmod(path, 0o600)
