"""Bundle files on disk: writing one (optionally encrypted) and reading one back, checked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.bundle import envelope
from app.bundle.document import BundleError, dump_review, encode_bundle
from app.bundle.validate import MAX_BUNDLE_BYTES, load_bundle
from app.report.atomic import atomic_write_bytes
from app.services.store import Store

# An encrypted file is the bundle plus the envelope's header and tag.
MAX_FILE_BYTES = MAX_BUNDLE_BYTES + envelope.HEADER_BYTES + envelope.TAG_BYTES


def export_bundle(store: Store, review_id: int, out: Path | str, *, recipient_public_key=None) -> Path:
    """Write the review's bundle to `out` atomically; encrypted when a recipient key is given."""
    data = encode_bundle(dump_review(store, review_id))
    if recipient_public_key is not None:
        data = envelope.encrypt(data, recipient_public_key)
    out = Path(out)
    atomic_write_bytes(out, data)
    return out


def read_file(path: Path | str) -> bytes:
    path = Path(path)
    too_large = f"{path.name} is larger than the {MAX_BUNDLE_BYTES // (1024 * 1024)} MB a review bundle can be."
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise BundleError(too_large)
        # At most one byte past the limit: a pipe or a device such as /dev/zero has no size to check first.
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise BundleError(f"No such file: {path}.") from None
    except IsADirectoryError:
        raise BundleError(f"{path} is a folder, not a bundle file.") from None
    except OSError as exc:
        raise BundleError(f"Cannot read {path.name}: {exc.strerror or exc}.") from None
    if len(data) > MAX_FILE_BYTES:
        raise BundleError(too_large)
    return data


# Given the key id an encrypted bundle names, return its private key (or raise BundleError).
KeyFinder = Callable[[str], object]


def open_bundle(data: bytes, key_for: KeyFinder | None = None) -> dict:
    """The checked document from a file's bytes, decrypting first when it is encrypted."""
    if envelope.is_encrypted(data):
        wanted = envelope.recipient_key_id(data).hex()
        if key_for is None:
            raise BundleError("The bundle is encrypted; a bundle key is needed to open it.")
        data = envelope.decrypt(data, key_for(wanted))
    return load_bundle(data)


def read_bundle(path: Path | str, key_for: KeyFinder | None = None) -> dict:
    return open_bundle(read_file(path), key_for)


def key_finder(keys, name: str | None, passphrase: Callable[[str], str | None]) -> KeyFinder:
    """A KeyFinder over a BundleKeyStore: the named key, else the one the bundle was made for.

    `passphrase(key name)` is asked only once the key is known to be needed.
    """

    def find(wanted: str):
        if name is not None:
            info = keys.get(name)
            if info.key_id != wanted:
                raise BundleError(f"The bundle was encrypted for a different key, so {info.name} cannot open it.")
        else:
            info = keys.find(wanted)
            if info is None:
                raise BundleError("The bundle was encrypted for a key that is not on this computer.")
        return keys.private_key(info.name, passphrase(info.name))

    return find
