"""All stages: the errors services and domain functions raise; standard library only.

Each carries a stable `code` the web layer maps to a translated message.
"""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the operation; nothing was changed."""

    code = "domain_error"

    def __init__(self, message: str = "", **details: object) -> None:
        super().__init__(message or self.code)
        self.details = details


class NotFound(DomainError):
    code = "not_found"


class InvalidToken(DomainError):
    """Unknown, expired, already used or meant for something else: the same answer for all."""

    code = "invalid_token"


class WeakPassword(DomainError):
    code = "weak_password"


class EmailInUse(DomainError):
    code = "email_in_use"


class WrongPassword(DomainError):
    code = "wrong_password"


class PhaseError(DomainError):
    code = "phase_error"


class InvalidCode(DomainError):
    """A second-factor code that is wrong, expired or already used."""

    code = "invalid_code"
