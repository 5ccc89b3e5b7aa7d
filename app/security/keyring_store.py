"""The system keyring, used only when it is a real one; any failure means "no keyring".

There is deliberately no fallback of our own: if the operating system has no secret store,
the passphrase is asked for instead. Backends that keep secrets in a plain file (the
keyrings.alt package) are never used, even if installed.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

SERVICE = "ReviewDay"

# Backends that keep secrets in files we cannot vouch for, or that never keep anything.
_REFUSED_MODULE_PREFIXES = ("keyrings.alt",)
_REFUSED_BACKENDS = ("keyring.backends.fail.Keyring", "keyring.backends.null.Keyring")


class KeyringStore:
    """Get, set and delete secrets by account under one service name."""

    def __init__(self, service: str = SERVICE) -> None:
        self.service = service

    def available(self) -> bool:
        """True when a real keyring backend is configured (it may still refuse a request)."""
        return bool(self._backends())

    def get(self, account: str) -> str | None:
        for backend in self._backends():
            try:
                secret = backend.get_password(self.service, account)
            except Exception as exc:  # noqa: BLE001 - every keyring failure means "no keyring"
                log.info("keyring %s could not read a secret: %s", _name(backend), type(exc).__name__)
                continue
            if isinstance(secret, str) and secret:
                return secret
        return None

    def set(self, account: str, secret: str) -> bool:
        """Store `secret`; True only if the keyring took it and gives it back unchanged."""
        for backend in self._backends():
            try:
                backend.set_password(self.service, account, secret)
                stored = backend.get_password(self.service, account)
            except Exception as exc:  # noqa: BLE001
                log.info("keyring %s could not store a secret: %s", _name(backend), type(exc).__name__)
                continue
            if stored == secret:
                return True
        return False

    def delete(self, account: str) -> bool:
        deleted = False
        for backend in self._backends():
            try:
                backend.delete_password(self.service, account)
                deleted = True
            except Exception as exc:  # noqa: BLE001 - PasswordDeleteError included: nothing to delete
                log.info("keyring %s could not delete a secret: %s", _name(backend), type(exc).__name__)
        return deleted

    def _backends(self) -> list:
        try:
            import keyring
            from keyring.backends.chainer import ChainerBackend

            current = keyring.get_keyring()
            candidates = list(current.backends) if isinstance(current, ChainerBackend) else [current]
        except Exception as exc:  # noqa: BLE001 - a broken keyring set-up is "no keyring"
            log.info("no usable keyring: %s", type(exc).__name__)
            return []
        return [backend for backend in candidates if _acceptable(backend)]


def _name(backend: object) -> str:
    return _class_name(type(backend))


def _class_name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _acceptable(backend: object) -> bool:
    """Not the fail or null backend (nor a subclass), and nothing from keyrings.alt."""
    for cls in type(backend).__mro__:
        name = _class_name(cls)
        if name in _REFUSED_BACKENDS or name.startswith(_REFUSED_MODULE_PREFIXES):
            return False
    return True
