"""All stages: single-use secrets sent by e-mail or kept in a session; standard library only.

Only the SHA-256 of a token is ever stored; the token itself travels once, to its owner.
"""

from __future__ import annotations

import hashlib
import secrets


def digest(token: str) -> str:
    """The stored form of a token (hex SHA-256)."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh 256-bit token and its digest: send the first, store the second."""
    token = secrets.token_urlsafe(32)
    return token, digest(token)
