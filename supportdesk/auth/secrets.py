"""Random secrets and their hashes. Tokens are 256-bit random values, so a fast hash is
enough to store them; passwords are chosen by people, so they get argon2."""

import hashlib
import re
import secrets

from pwdlib import PasswordHash

_PASSWORDS = PasswordHash.recommended()  # argon2id with the library's current parameters
# Verified when the email matches nobody, so a wrong email costs what a wrong password does.
_DUMMY_HASH = _PASSWORDS.hash(secrets.token_urlsafe(16))


def new_token(prefix: str) -> str:
    """A secret shown once; the prefix says what it is when it turns up in a log or a paste."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


# One of our secrets where it may turn up in text: a prefix, "_", 43 URL-safe characters.
_TOKEN_IN_TEXT = re.compile(r"\bsd[a-z]_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")


def redact(text: str) -> str:
    """`text` with our secrets blanked out (an email kept after it was sent, say)."""
    return _TOKEN_IN_TEXT.sub("[secret removed]", text)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    return _PASSWORDS.hash(password)


def password_matches(password: str, stored_hash: str | None) -> bool:
    if stored_hash is None:
        _PASSWORDS.verify(password, _DUMMY_HASH)
        return False
    return _PASSWORDS.verify(password, stored_hash)
