"""Accounts: the password policy (security.md); standard library only.

Length 12..128, no composition rules, no truncation, common and trivially guessable passwords
refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from importlib import resources

MIN_LENGTH = 12
MAX_LENGTH = 128


class PasswordProblem(StrEnum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    COMMON = "common"
    CONTAINS_IDENTITY = "contains_identity"


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = MIN_LENGTH
    max_length: int = MAX_LENGTH


def _common_passwords() -> frozenset[str]:
    text = resources.files("trophies.domain").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines() if line.strip())


COMMON_PASSWORDS = _common_passwords()


def _is_trivial(password: str) -> bool:
    """One repeated character, or a run of consecutive characters (1234…, abcd…)."""
    folded = password.casefold()
    if len(set(folded)) <= 2:
        return True
    steps = {ord(b) - ord(a) for a, b in zip(folded, folded[1:], strict=False)}
    return steps <= {1} or steps <= {-1}


def check_password(
    password: str, *, identity: tuple[str, ...] = (), policy: PasswordPolicy = PasswordPolicy()
) -> PasswordProblem | None:
    """Return the first problem with `password`, or None when it is acceptable.

    `identity` holds the e-mail address and name: a password that is one of them (or the
    e-mail's local part) is refused. Length counts characters, never bytes; nothing is truncated.
    """
    if len(password) < policy.min_length:
        return PasswordProblem.TOO_SHORT
    if len(password) > policy.max_length:
        return PasswordProblem.TOO_LONG
    folded = password.casefold()
    if folded in COMMON_PASSWORDS or _is_trivial(password):
        return PasswordProblem.COMMON
    for item in identity:
        item = item.casefold().strip()
        candidates = {item, item.split("@", 1)[0]} if item else set()
        if any(c and len(c) >= 4 and c in folded and len(folded) - len(c) < 4 for c in candidates):
            return PasswordProblem.CONTAINS_IDENTITY
    return None
