"""Encrypting a bundle file to one recipient's public key, for a USB stick or an email.

The envelope (format version 1) is binary:

    offset  size  what
    0       8     b"RDBUNDLE", the marker
    8       1     envelope version, 1
    9       16    recipient key id: the first 16 bytes of SHA-256 of the recipient's raw X25519 public key
    25      32    the sender's one-off X25519 public key
    57      12    AES-GCM nonce
    69      ...   AES-256-GCM ciphertext of the bundle file, then its 16-byte tag

The AES key is HKDF-SHA256 over the X25519 shared secret, with info = b"reviewday-bundle-v1" +
one-off public key + recipient public key. The 69-byte header is the GCM associated data, so
changing any byte of the file makes it fail to open.
"""

from __future__ import annotations

import hashlib
import os

from app.bundle.document import BundleError

MAGIC = b"RDBUNDLE"
ENVELOPE_VERSION = 1
KEY_ID_BYTES = 16
HEADER_BYTES = len(MAGIC) + 1 + KEY_ID_BYTES + 32 + 12
TAG_BYTES = 16
_INFO = b"reviewday-bundle-v1"


def is_encrypted(data: bytes) -> bool:
    return bytes(data[: len(MAGIC)]) == MAGIC


def key_id(public_key) -> bytes:
    """The recipient key id written in the envelope: names the key without revealing anything."""
    return hashlib.sha256(_raw_public(public_key)).digest()[:KEY_ID_BYTES]


def _raw_public(public_key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _aes_key(shared: bytes, ephemeral_raw: bytes, recipient_raw: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(hashes.SHA256(), 32, salt=None, info=_INFO + ephemeral_raw + recipient_raw).derive(shared)


def encrypt(plaintext: bytes, recipient_public_key) -> bytes:
    """An envelope only the holder of the matching private key can open."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    ephemeral = X25519PrivateKey.generate()
    ephemeral_raw = _raw_public(ephemeral.public_key())
    recipient_raw = _raw_public(recipient_public_key)
    key = _aes_key(ephemeral.exchange(recipient_public_key), ephemeral_raw, recipient_raw)
    nonce = os.urandom(12)
    header = MAGIC + bytes([ENVELOPE_VERSION]) + key_id(recipient_public_key) + ephemeral_raw + nonce
    return header + AESGCM(key).encrypt(nonce, bytes(plaintext), header)


def recipient_key_id(envelope: bytes) -> bytes:
    """The key id the envelope was made for (checks the marker, version and length first)."""
    if not is_encrypted(envelope):
        raise BundleError("The file is not an encrypted ReviewDay bundle.")
    version = envelope[len(MAGIC)] if len(envelope) > len(MAGIC) else None
    if version != ENVELOPE_VERSION:
        raise BundleError(
            f"The encrypted bundle is envelope version {version}; this version of ReviewDay opens "
            f"envelope version {ENVELOPE_VERSION} only."
        )
    if len(envelope) < HEADER_BYTES + TAG_BYTES:
        raise BundleError("The encrypted bundle is cut short; it cannot be opened.")
    start = len(MAGIC) + 1
    return bytes(envelope[start : start + KEY_ID_BYTES])


def decrypt(envelope: bytes, private_key) -> bytes:
    """The bundle file inside; BundleError for another key's envelope or a changed file."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    envelope = bytes(envelope)
    wanted = recipient_key_id(envelope)
    public = private_key.public_key()
    if wanted != key_id(public):
        raise BundleError("The bundle was encrypted for a different key, so this key cannot open it.")
    start = len(MAGIC) + 1 + KEY_ID_BYTES
    ephemeral_raw = envelope[start : start + 32]
    nonce = envelope[start + 32 : HEADER_BYTES]
    header = envelope[:HEADER_BYTES]
    try:
        shared = private_key.exchange(X25519PublicKey.from_public_bytes(ephemeral_raw))
    except ValueError:
        raise BundleError("The encrypted bundle has been changed or damaged; it cannot be opened.") from None
    key = _aes_key(shared, ephemeral_raw, _raw_public(public))
    try:
        return AESGCM(key).decrypt(nonce, envelope[HEADER_BYTES:], header)
    except InvalidTag:
        raise BundleError("The encrypted bundle has been changed or damaged; it cannot be opened.") from None
