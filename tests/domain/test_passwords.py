"""Domain: the password policy (security.md: 12..128 characters, no composition rules,
common and guessable passwords refused, no truncation)."""

from __future__ import annotations

import pytest

from trophies.domain.passwords import (
    COMMON_PASSWORDS,
    MAX_LENGTH,
    MIN_LENGTH,
    PasswordPolicy,
    PasswordProblem,
    check_password,
)

GOOD = "velo rouge sous la pluie"


def test_the_default_policy_is_twelve_to_one_hundred_twenty_eight_characters():
    assert (MIN_LENGTH, MAX_LENGTH) == (12, 128)
    assert PasswordPolicy() == PasswordPolicy(12, 128)


def test_a_passphrase_without_digits_or_symbols_is_accepted():
    assert check_password(GOOD) is None


def test_eleven_characters_are_too_short_and_twelve_are_enough():
    assert check_password("tulipe-vert") is PasswordProblem.TOO_SHORT
    assert len("tulipe-verte") == 12
    assert check_password("tulipe-verte") is None


def test_one_hundred_twenty_eight_characters_pass_and_one_more_is_refused_not_truncated():
    long_ok = ("marguerite " * 13)[:128]
    assert check_password(long_ok) is None
    assert check_password(long_ok + "x") is PasswordProblem.TOO_LONG


def test_length_counts_characters_not_bytes():
    accented = "éèàùçôîâêëïü"  # 12 characters, 24 bytes in UTF-8
    assert len(accented) == 12
    assert check_password(accented) is None
    assert check_password(accented[:11]) is PasswordProblem.TOO_SHORT


def test_the_policy_limits_come_from_the_configuration():
    strict = PasswordPolicy(min_length=20, max_length=30)
    assert check_password(GOOD, policy=strict) is None
    assert check_password("tulipe-verte", policy=strict) is PasswordProblem.TOO_SHORT
    assert check_password(GOOD * 2, policy=strict) is PasswordProblem.TOO_LONG


@pytest.mark.parametrize("password", ["azerty123456", "AZERTY123456", "motdepasse123",
                                      "correcthorsebatterystaple"])
def test_a_password_from_the_common_list_is_refused_whatever_its_case(password):
    assert password.casefold() in COMMON_PASSWORDS
    assert check_password(password) is PasswordProblem.COMMON


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "abababababab", "abcdefghijklmnop",
                                      "zyxwvutsrqpo",
                                      "0123456789:;<="])
def test_repeated_or_consecutive_characters_are_refused(password):
    assert check_password(password) is PasswordProblem.COMMON


def test_a_password_that_is_the_users_name_or_email_is_refused():
    identity = ("marie.curie@example.org", "Marie Curie Sklodowska")
    assert check_password("marie.curie@example.org",
                          identity=identity) is PasswordProblem.CONTAINS_IDENTITY
    assert check_password("Marie.Curie26", identity=identity) is PasswordProblem.CONTAINS_IDENTITY
    assert check_password("marie curie sklodowska",
                          identity=identity) is PasswordProblem.CONTAINS_IDENTITY


def test_a_long_passphrase_that_merely_mentions_the_name_is_accepted():
    identity = ("marie.curie@example.org", "Marie")
    assert check_password("marie aime les velos rouges", identity=identity) is None


def test_short_identity_fragments_do_not_block_passwords():
    assert check_password(GOOD, identity=("ab@x.io", "Al")) is None
