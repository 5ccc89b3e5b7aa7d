"""Bundle keys: X25519 keypairs that encrypted review bundles are sent to.

Each key lives in its own folder under the bundle key directory (the user's data folder /
bundle-keys, or REVIEWDAY_BUNDLE_KEY_DIR):

    <slug>-<key id prefix>/
        key.pem      the private key, PKCS#8 encrypted with the owner's passphrase (PBKDF2, AES-256)
        public.pem   the public key, to give to whoever will send bundles
        meta.json    name, created, key id

Files are written atomically, mode 0600 in 0700 folders, as signing identities are.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.bundle.document import BundleError
from app.bundle.envelope import key_id
from app.security.identities import (
    KDF_ITERATIONS,
    _clean_name,
    _encode,
    _make_private_dir,
    _name_key,
    _slug,
    _write_private,
    encrypt_private_key,
)
from app.security.passphrase_rule import passphrase_problem
from app.services.errors import ReviewDayError

ENV_BUNDLE_KEY_DIR = "REVIEWDAY_BUNDLE_KEY_DIR"
KEY_FILE, PUBLIC_FILE, META_FILE = "key.pem", "public.pem", "meta.json"
MAX_PUBLIC_KEY_FILE = 64 * 1024


def default_bundle_key_dir() -> Path:
    override = os.environ.get(ENV_BUNDLE_KEY_DIR)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("ReviewDay", appauthor=False) / "bundle-keys"


@dataclass(frozen=True)
class BundleKeyInfo:
    name: str
    key_id: str  # hex, as written in encrypted bundles
    created_at: datetime
    folder: Path

    @property
    def public_path(self) -> Path:
        return self.folder / PUBLIC_FILE


class BundleKeyStore:
    def __init__(self, directory: Path | str, *, kdf_iterations: int = KDF_ITERATIONS) -> None:
        self.directory = Path(directory)
        self.kdf_iterations = kdf_iterations

    @classmethod
    def default(cls, **kwargs) -> BundleKeyStore:
        return cls(default_bundle_key_dir(), **kwargs)

    def list(self) -> list[BundleKeyInfo]:  # noqa: A003 - the natural name
        if not self.directory.is_dir():
            return []
        found = []
        for folder in sorted(self.directory.iterdir()):
            if (folder / META_FILE).is_file():
                try:
                    found.append(_read_info(folder))
                except BundleError:
                    continue
        return sorted(found, key=lambda info: info.name.casefold())

    def get(self, name: str) -> BundleKeyInfo:
        wanted = _name_key(name)
        for info in self.list():
            if _name_key(info.name) == wanted:
                return info
        raise BundleError(f"No bundle key named {' '.join(name.split())}.")

    def find(self, key_id_hex: str) -> BundleKeyInfo | None:
        return next((info for info in self.list() if info.key_id == key_id_hex), None)

    def create(self, name: str, passphrase: str) -> BundleKeyInfo:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

        try:
            name = _clean_name(name)
        except ReviewDayError as exc:
            raise BundleError(str(exc).replace("signing identity", "bundle key")) from None
        problem = passphrase_problem(passphrase)
        if problem:
            raise BundleError(problem)
        for info in self.list():
            if _name_key(info.name) == _name_key(name):
                raise BundleError(f"There is already a bundle key named {info.name}.")
        key = X25519PrivateKey.generate()
        ident = key_id(key.public_key()).hex()
        folder = self.directory / f"{_slug(name)}-{ident[:12]}"
        try:
            _make_private_dir(self.directory)
            _make_private_dir(folder)
        except ReviewDayError as exc:
            raise BundleError(str(exc).replace("identity folder", "bundle key folder")) from None
        public_pem = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        meta = {"format": 1, "name": name, "created": datetime.now(UTC).isoformat(), "key_id": ident}
        _write_private(folder / KEY_FILE, encrypt_private_key(key, passphrase, iterations=self.kdf_iterations))
        _write_private(folder / PUBLIC_FILE, public_pem)
        _write_private(folder / META_FILE, json.dumps(meta, indent=2, ensure_ascii=False).encode("utf-8"))
        return _read_info(folder)

    def public_pem(self, name: str) -> bytes:
        info = self.get(name)
        try:
            return info.public_path.read_bytes()
        except OSError:
            raise BundleError(f"The public key file of {info.name} is missing.") from None

    def private_key(self, name: str, passphrase: str | None):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

        info = self.get(name)
        if passphrase is None:
            raise BundleError(f"A passphrase is needed for the bundle key {info.name}.")
        try:
            pem = (info.folder / KEY_FILE).read_bytes()
        except OSError:
            raise BundleError(f"The private key file of {info.name} is missing or unreadable.") from None
        try:
            key = serialization.load_pem_private_key(pem, password=_encode(passphrase))
        except TypeError:
            raise BundleError(f"The private key file of {info.name} is not encrypted; create the key again.") from None
        except ValueError:
            raise BundleError(f"Wrong passphrase for the bundle key {info.name}.") from None
        if not isinstance(key, X25519PrivateKey) or key_id(key.public_key()).hex() != info.key_id:
            raise BundleError(f"The private key file of {info.name} does not match its public key.")
        return key


def load_public_key(path: Path | str):
    """A recipient's X25519 public key from a PEM file made by 'bundle-key export-public'."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

    path = Path(path)
    try:
        with path.open("rb") as stream:  # bounded: a pipe or a device has no size to check first
            data = stream.read(MAX_PUBLIC_KEY_FILE + 1)
    except FileNotFoundError:
        raise BundleError(f"No such file: {path}.") from None
    except IsADirectoryError:
        raise BundleError(f"{path} is a folder, not a public key file.") from None
    except OSError as exc:
        raise BundleError(f"Cannot read {path.name}: {exc.strerror or exc}.") from None
    if len(data) > MAX_PUBLIC_KEY_FILE:
        raise BundleError(f"{path.name} is too large to be a public key file.")
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        raise BundleError(f"{path.name} is not a public key file.") from None
    except Exception:  # noqa: BLE001 - unsupported key kinds and the like
        raise BundleError(f"{path.name} is not a public key file.") from None
    if not isinstance(key, X25519PublicKey):
        raise BundleError(f"{path.name} holds a public key of a kind bundles are not encrypted to.")
    return key


def _read_info(folder: Path) -> BundleKeyInfo:
    try:
        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        created = datetime.fromisoformat(meta["created"])
        return BundleKeyInfo(name=str(meta["name"]), key_id=str(meta["key_id"]), created_at=created, folder=folder)
    except (OSError, ValueError, KeyError, TypeError):
        raise BundleError(f"The bundle key in {folder.name} is damaged.") from None
