"""The one rule for a new passphrase, wherever ReviewDay asks for one: the database's, a signing
identity's, a bundle key's, and the first-run and change-passphrase screens.

The rule applies when a passphrase is chosen, never when one is typed to unlock: keys made when the
signing and bundle keys needed only 8 characters still open with their 8- or 9-character passphrase.
"""

from __future__ import annotations

import unicodedata

# Long enough to resist guessing for the health data it guards; four or five unrelated words are easy.
MIN_PASSPHRASE_LENGTH = 10


def passphrase_length(passphrase: str) -> int:
    """Characters as the person typed them (an accented letter is one, however the keyboard sends it)."""
    return len(unicodedata.normalize("NFC", passphrase))


def passphrase_problem(passphrase: object) -> str | None:
    """What is wrong with a new passphrase, in one sentence, or None when it will do."""
    if not isinstance(passphrase, str) or passphrase_length(passphrase) < MIN_PASSPHRASE_LENGTH:
        return f"Choose a passphrase of at least {MIN_PASSPHRASE_LENGTH} characters."
    return None


def ask_text(what: str) -> str:
    """A command-line prompt for a new passphrase, e.g. "Passphrase for the signing key (10 characters or more): "."""
    return f"Passphrase for {what} ({MIN_PASSPHRASE_LENGTH} characters or more): "
