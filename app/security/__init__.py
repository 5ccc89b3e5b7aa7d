"""Signing identities and the system keyring. No Qt here; pyHanko is imported only when signing."""
