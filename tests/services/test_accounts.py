"""Services: account tokens, authentication and registration rules below the web layer."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from tests.factories import PASSWORD, make_edition, make_user
from tests.helpers import count
from trophies.domain.errors import InvalidToken, WeakPassword
from trophies.domain.vocabulary import Role, TokenPurpose
from trophies.models import AccountToken, AuditEvent, JurorProfile, OutboxMessage, User, db, utcnow
from trophies.services import accounts

NEW_PASSWORD = "un velo bleu sous la neige"


class CountingHasher:
    """Wraps the configured hasher and counts the argon2 work done."""

    def __init__(self, inner: PasswordHasher) -> None:
        self.inner = inner
        self.hashes = 0
        self.verifies = 0

    def hash(self, password):
        self.hashes += 1
        return self.inner.hash(password)

    def verify(self, stored, password):
        self.verifies += 1
        return self.inner.verify(stored, password)

    def check_needs_rehash(self, stored):
        return self.inner.check_needs_rehash(stored)


@pytest.fixture
def counting_hasher(app, monkeypatch):
    spy = CountingHasher(accounts.hasher())
    monkeypatch.setattr(accounts, "hasher", lambda: spy)
    return spy


def test_tokens_are_long_random_and_stored_only_as_their_sha256(app):
    user = make_user()
    token = accounts.issue_token(TokenPurpose.RESET_PASSWORD, email=user.email, user=user)
    other = accounts.issue_token(TokenPurpose.RESET_PASSWORD, email=user.email, user=user)
    db.session.commit()
    assert token != other
    assert len(token) >= 43  # 32 random bytes, base64url: 256 bits
    stored = db.session.scalars(select(AccountToken.token_hash)).all()
    assert hashlib.sha256(token.encode()).hexdigest() in stored
    assert token not in stored
    row = accounts.peek_token(token, TokenPurpose.RESET_PASSWORD)
    assert row.expires_at - row.created_at == timedelta(hours=1)


def test_a_token_is_refused_for_another_purpose_after_expiry_or_once_used(app):
    user = make_user(verified=False)
    token = accounts.issue_token(TokenPurpose.VERIFY_EMAIL, email=user.email, user=user)
    db.session.commit()
    row = accounts.peek_token(token, TokenPurpose.VERIFY_EMAIL)
    with pytest.raises(InvalidToken):
        accounts.peek_token(token, TokenPurpose.RESET_PASSWORD)
    with pytest.raises(InvalidToken):
        accounts.peek_token(token, TokenPurpose.VERIFY_EMAIL, now=row.expires_at)
    with pytest.raises(InvalidToken):
        accounts.peek_token(token + "x", TokenPurpose.VERIFY_EMAIL)
    accounts.verify_email(token)
    db.session.commit()
    with pytest.raises(InvalidToken):
        accounts.verify_email(token)


def test_a_verification_link_for_a_former_address_is_refused(app):
    user = make_user("old@example.org", verified=False)
    token = accounts.issue_token(TokenPurpose.VERIFY_EMAIL, email=user.email, user=user)
    user.email = "new@example.org"
    db.session.commit()
    with pytest.raises(InvalidToken):
        accounts.verify_email(token)


def test_an_unknown_address_costs_the_same_argon2_work_as_a_wrong_password(counting_hasher):
    make_user("ada@example.org")
    db.session.commit()
    assert accounts.authenticate("ada@example.org", "wrong password!") is None
    assert counting_hasher.verifies == 1
    assert accounts.authenticate("nobody@example.org", "wrong password!") is None
    assert counting_hasher.verifies == 2


def test_registering_a_taken_address_costs_the_same_hashing_as_a_new_one(counting_hasher):
    make_user("ada@example.org")
    db.session.commit()
    counting_hasher.hashes = 0
    assert accounts.register_candidate(email="grace@example.org", full_name="Grace",
                                       password=NEW_PASSWORD, language="en") is not None
    fresh = counting_hasher.hashes
    assert accounts.register_candidate(email="ADA@example.org", full_name="Ada",
                                       password=NEW_PASSWORD, language="en") is None
    assert counting_hasher.hashes - fresh == fresh == 1


def test_a_weak_password_is_refused_before_anything_is_written(app):
    with pytest.raises(WeakPassword):
        accounts.register_candidate(email="ada@example.org", full_name="Ada",
                                    password="short", language="fr")
    db.session.flush()
    assert count(User) == 0
    assert count(OutboxMessage) == 0


def test_inactive_and_erased_accounts_never_authenticate(app):
    inactive = make_user("inactive@example.org")
    inactive.is_active = False
    erased = make_user("erased@example.org")
    erased.erased_at = utcnow()
    no_password = make_user("invited@example.org", password=None)
    db.session.commit()
    for email in ("inactive@example.org", "erased@example.org"):
        assert accounts.authenticate(email, PASSWORD) is None
    assert no_password.password_hash is None
    assert accounts.authenticate("invited@example.org", "") is None


def test_a_hash_made_with_weaker_parameters_is_upgraded_at_login(app):
    user = make_user("ada@example.org", password=None)
    user.password_hash = PasswordHasher(memory_cost=512, time_cost=1, parallelism=1).hash(PASSWORD)
    db.session.commit()
    old = user.password_hash
    assert accounts.authenticate("Ada@Example.org ", PASSWORD) is user
    assert user.password_hash != old
    assert not accounts.hasher().check_needs_rehash(user.password_hash)


def test_no_password_or_token_ever_reaches_the_audit_log(app):
    accounts.register_candidate(email="ada@example.org", full_name="Ada",
                                password=NEW_PASSWORD, language="fr")
    user = accounts.find_user("ada@example.org")
    token = accounts.issue_token(TokenPurpose.RESET_PASSWORD, email=user.email, user=user)
    accounts.reset_password(token, "trois pommes sur la table")
    db.session.commit()
    events = db.session.scalars(select(AuditEvent)).all()
    assert {e.action for e in events} >= {"account.registered", "account.password_reset"}
    dumped = json.dumps([e.data for e in events])
    for secret in (NEW_PASSWORD, "trois pommes sur la table", token, user.session_token):
        assert secret not in dumped


def test_only_jurors_and_organizers_are_invited(app):
    admin = make_user(is_admin=True)
    edition = make_edition()
    with pytest.raises(ValueError):
        accounts.invite(edition, email="c@example.org", full_name="C", role=Role.CANDIDATE,
                        language="fr", actor=admin)
    assert count(User, User.email == "c@example.org") == 0


def test_inviting_the_same_juror_twice_keeps_one_profile_and_one_account(app):
    admin = make_user(is_admin=True)
    edition = make_edition()
    for _ in range(2):
        accounts.invite(edition, email="juror@example.org", full_name="Jean", role=Role.JUROR,
                        language="fr", actor=admin, organisation="CHU de Nantes")
    db.session.commit()
    assert count(User, User.email == "juror@example.org") == 1
    assert count(JurorProfile) == 1
    assert count(AccountToken, AccountToken.purpose == TokenPurpose.INVITATION) == 2


def test_create_admin_promotes_an_existing_account_and_ends_its_sessions(app):
    user = make_user("ada@example.org")
    db.session.commit()
    old_token, old_hash = user.session_token, user.password_hash
    promoted, password = accounts.create_admin("ADA@example.org")
    db.session.commit()
    assert promoted.id == user.id
    assert promoted.is_admin and promoted.must_change_password
    assert promoted.session_token != old_token
    assert promoted.password_hash != old_hash
    assert len(password) >= 20
    assert accounts.authenticate("ada@example.org", password) is promoted
    assert accounts.authenticate("ada@example.org", PASSWORD) is None
