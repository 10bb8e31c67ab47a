"""Accounts stage: registration, e-mail verification, login, reset, invitations, account changes.

Tokens are random (256 bits), single-use, expiring, and stored as SHA-256 only. Answers never
reveal whether an e-mail address has an account.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select

from trophies.domain.errors import EmailInUse, InvalidToken, WeakPassword, WrongPassword
from trophies.domain.organisations import normalise_organisation
from trophies.domain.passwords import PasswordPolicy, check_password
from trophies.domain.tokens import digest, new_token
from trophies.domain.vocabulary import Language, Role, TokenPurpose
from trophies.models import AccountToken, Edition, JurorProfile, Membership, User, db, utcnow
from trophies.services import audit, mail


@lru_cache(maxsize=4)
def _hasher(memory_kib: int, time_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(memory_cost=memory_kib, time_cost=time_cost, parallelism=parallelism)


def hasher() -> PasswordHasher:
    """argon2id with the configured cost (OWASP: m >= 19 MiB, t = 2, p = 1)."""
    c = current_app.config
    return _hasher(c["ARGON2_MEMORY_KIB"], c["ARGON2_TIME_COST"], c["ARGON2_PARALLELISM"])


@lru_cache(maxsize=4)
def _dummy_hash(memory_kib: int, time_cost: int, parallelism: int) -> str:
    return _hasher(memory_kib, time_cost, parallelism).hash(secrets.token_hex(16))


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _policy() -> PasswordPolicy:
    c = current_app.config
    return PasswordPolicy(c["PASSWORD_MIN_LENGTH"], c["PASSWORD_MAX_LENGTH"])


def validate_password(password: str, *, email: str, name: str = "") -> None:
    """Raise WeakPassword(problem=...) unless the password meets the policy."""
    problem = check_password(password, identity=(email, name), policy=_policy())
    if problem is not None:
        raise WeakPassword(problem.value, problem=problem)


def set_password(user: User, password: str) -> None:
    """Hash and store; every existing session of the user ends."""
    validate_password(password, email=user.email, name=user.full_name)
    user.password_hash = hasher().hash(password)
    user.password_changed_at = utcnow()
    user.must_change_password = False
    user.rotate_session_token()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


# --- tokens ---------------------------------------------------------------------------------


def issue_token(
    purpose: TokenPurpose,
    *,
    email: str,
    user: User | None = None,
    edition: Edition | None = None,
    role: Role | None = None,
    actor: User | None = None,
) -> str:
    """Store a new token's hash and return the token itself (to be mailed, never stored)."""
    token, token_hash = new_token()
    hours = current_app.config[f"TOKEN_HOURS_{purpose.value.upper()}"]
    now = utcnow()
    db.session.add(
        AccountToken(
            purpose=purpose,
            token_hash=token_hash,
            email=normalise_email(email),
            user_id=user.id if user else None,
            edition_id=edition.id if edition else None,
            role=role,
            created_by_id=actor.id if actor else None,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    return token


def peek_token(token: str, purpose: TokenPurpose, *, now: datetime | None = None) -> AccountToken:
    """The valid token row for `token`, or InvalidToken (unknown, expired, used, wrong purpose)."""
    row = db.session.scalar(select(AccountToken).where(AccountToken.token_hash == digest(token)))
    now = now or utcnow()
    if row is None or row.purpose != purpose or row.used_at is not None or row.expires_at <= now:
        raise InvalidToken()
    return row


def _consume(token: str, purpose: TokenPurpose) -> AccountToken:
    row = peek_token(token, purpose)
    row.used_at = utcnow()
    return row


# --- registration and verification ----------------------------------------------------------


def register_candidate(*, email: str, full_name: str, password: str, language: str) -> User | None:
    """Create an unverified account and mail a verification link.

    When the address already has an account, nothing is created: its owner is told by e-mail
    instead, and the caller shows the same answer (no account enumeration). Returns the new
    user, or None in that case. Raises WeakPassword.
    """
    email = normalise_email(email)
    validate_password(password, email=email, name=full_name)
    # Hashed before the look-up: a taken address costs the same argon2 work as a new one, so
    # the answer's timing does not reveal which addresses have an account.
    password_hash = hasher().hash(password)
    existing = find_user(email)
    if existing is not None:
        mail.queue_for(existing, "account_exists", login_url=mail.absolute_url("auth.login"),
                       reset_url=mail.absolute_url("auth.forgot_password"))
        return None
    user = User(email=email, full_name=full_name.strip(), language=Language(language))
    user.password_hash = password_hash
    user.password_changed_at = utcnow()
    db.session.add(user)
    db.session.flush()
    send_verification(user)
    audit.record("account.registered", actor=user, obj=user)
    return user


def send_verification(user: User) -> None:
    token = issue_token(TokenPurpose.VERIFY_EMAIL, email=user.email, user=user)
    mail.queue_for(user, "verify_email", link=mail.absolute_url("auth.verify_email", token=token))


def verify_email(token: str) -> User:
    """Mark the address verified. Raises InvalidToken."""
    row = _consume(token, TokenPurpose.VERIFY_EMAIL)
    user = row.user
    if user is None or user.email != row.email:
        raise InvalidToken()
    user.email_verified_at = user.email_verified_at or utcnow()
    audit.record("account.email_verified", actor=user, obj=user)
    return user


# --- login ----------------------------------------------------------------------------------


def authenticate(email: str, password: str) -> User | None:
    """The user whose e-mail and password match, else None.

    An unknown address costs the same argon2 work as a wrong password. Inactive and erased
    accounts never authenticate; a hash made with weaker parameters is upgraded.
    """
    user = find_user(email)
    h = hasher()
    stored = user.password_hash if user is not None and user.password_hash else None
    c = current_app.config
    try:
        h.verify(stored or _dummy_hash(c["ARGON2_MEMORY_KIB"], c["ARGON2_TIME_COST"],
                                       c["ARGON2_PARALLELISM"]), password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or stored is None or not user.is_active or user.erased_at is not None:
        return None
    if h.check_needs_rehash(stored):
        user.password_hash = h.hash(password)
    user.last_login_at = utcnow()
    return user


def logout_everywhere(user: User) -> None:
    """End every session of the user (the session token changes)."""
    user.rotate_session_token()


# --- password reset -------------------------------------------------------------------------


def request_password_reset(email: str) -> None:
    """Mail a reset link if the address has an active account; do nothing visible otherwise."""
    user = find_user(email)
    if user is None or not user.is_active or user.erased_at is not None:
        return
    token = issue_token(TokenPurpose.RESET_PASSWORD, email=user.email, user=user)
    mail.queue_for(user, "reset_password",
                   link=mail.absolute_url("auth.reset_password", token=token))


def reset_password(token: str, password: str) -> User:
    """Set a new password from a reset link. Raises InvalidToken, WeakPassword."""
    row = peek_token(token, TokenPurpose.RESET_PASSWORD)
    user = row.user
    if user is None or user.email != row.email:
        raise InvalidToken()
    set_password(user, password)
    row.used_at = utcnow()
    user.email_verified_at = user.email_verified_at or utcnow()
    mail.queue_for(user, "password_changed", reset_url=mail.absolute_url("auth.forgot_password"))
    audit.record("account.password_reset", actor=user, obj=user)
    return user


# --- account page ---------------------------------------------------------------------------


def update_profile(user: User, *, full_name: str, language: str, timezone: str) -> None:
    user.full_name = full_name.strip()
    user.language = Language(language)
    user.timezone = timezone


def confirm_password(user: User, password: str) -> None:
    """Re-check the password before a sensitive change. Raises WrongPassword."""
    try:
        if not user.password_hash or not hasher().verify(user.password_hash, password):
            raise WrongPassword()
    except (VerificationError, InvalidHashError) as error:
        raise WrongPassword() from error


def change_password(user: User, *, current: str, new: str) -> None:
    """Raises WrongPassword, WeakPassword. Ends every session, including this one."""
    confirm_password(user, current)
    set_password(user, new)
    mail.queue_for(user, "password_changed", reset_url=mail.absolute_url("auth.forgot_password"))
    audit.record("account.password_changed", actor=user, obj=user)


def request_email_change(user: User, *, new_email: str, password: str) -> None:
    """Mail a confirmation link to the new address and a notice to the old one.

    Raises WrongPassword, or EmailInUse when the new address belongs to another account.
    """
    confirm_password(user, password)
    new_email = normalise_email(new_email)
    if find_user(new_email) is not None:
        raise EmailInUse()
    token = issue_token(TokenPurpose.CHANGE_EMAIL, email=new_email, user=user)
    mail.queue("confirm_email_change", to=new_email, name=user.full_name,
               language=str(user.language), user=user,
               link=mail.absolute_url("auth.confirm_email_change", token=token))
    mail.queue_for(user, "email_change_requested", new_email=new_email)


def pending_email_change(token: str) -> AccountToken:
    """The change a link would confirm, still possible. Raises InvalidToken, EmailInUse."""
    row = peek_token(token, TokenPurpose.CHANGE_EMAIL)
    if row.user is None:
        raise InvalidToken()
    if find_user(row.email) is not None:
        raise EmailInUse()
    return row


def confirm_email_change(token: str) -> User:
    """Switch the account to the confirmed address. Raises InvalidToken, EmailInUse."""
    row = pending_email_change(token)
    user = row.user
    old = user.email
    user.email = row.email
    user.email_verified_at = utcnow()
    row.used_at = utcnow()
    user.rotate_session_token()
    audit.record("account.email_changed", actor=user, obj=user, old_domain=old.split("@")[-1])
    return user


# --- invitations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitation:
    token_row: AccountToken
    user: User
    needs_password: bool


def invite(
    edition: Edition,
    *,
    email: str,
    full_name: str,
    role: Role,
    language: str,
    actor: User,
    organisation: str = "",
) -> User:
    """Invite a juror or organizer to an edition: an account is prepared if needed (no password
    until accepted), a single-use link is mailed in the invitee's language."""
    if role not in (Role.JUROR, Role.ORGANIZER):
        raise ValueError("only jurors and organizers are invited")
    user = find_user(email)
    if user is None:
        user = User(email=normalise_email(email), full_name=full_name.strip(),
                    language=Language(language))
        db.session.add(user)
        db.session.flush()
    if role is Role.JUROR:
        profile = db.session.scalar(select(JurorProfile).filter_by(edition_id=edition.id,
                                                                   user_id=user.id))
        if profile is None:
            db.session.add(JurorProfile(edition_id=edition.id, user_id=user.id,
                                        organisation=organisation,
                                        organisation_key=normalise_organisation(organisation)))
    token = issue_token(TokenPurpose.INVITATION, email=user.email, user=user, edition=edition,
                        role=role, actor=actor)
    mail.queue_for(user, "invitation", edition=edition, role=role.value, inviter=actor,
                   link=mail.absolute_url("auth.accept_invitation", token=token))
    audit.record("invitation.sent", actor=actor, edition=edition, obj=user, role=role.value)
    return user


def open_invitation(token: str) -> Invitation:
    """The pending invitation behind a link. Raises InvalidToken."""
    row = peek_token(token, TokenPurpose.INVITATION)
    if row.user is None:
        raise InvalidToken()
    return Invitation(row, row.user, needs_password=row.user.password_hash is None)


def accept_invitation(token: str, *, user: User, password: str | None = None,
                      full_name: str | None = None) -> Membership:
    """Give `user` the invited role. A new invitee sets a password (WeakPassword); an existing
    account must be the logged-in `user` (InvalidToken otherwise)."""
    invitation = open_invitation(token)
    row = invitation.token_row
    if invitation.user.id != user.id:
        raise InvalidToken()
    if invitation.needs_password:
        if full_name:
            user.full_name = full_name.strip()
        set_password(user, password or "")
    user.email_verified_at = user.email_verified_at or utcnow()
    row.used_at = utcnow()
    assert row.edition is not None and row.role is not None
    membership = db.session.scalar(select(Membership).filter_by(
        user_id=user.id, edition_id=row.edition_id, role=row.role))
    if membership is None:
        membership = Membership(user_id=user.id, edition_id=row.edition_id, role=row.role)
        db.session.add(membership)
    if row.role is Role.JUROR:
        profile = db.session.scalar(select(JurorProfile).filter_by(
            edition_id=row.edition_id, user_id=user.id))
        if profile is not None:
            profile.accepted_at = profile.accepted_at or utcnow()
    audit.record("invitation.accepted", actor=user, edition=row.edition, obj=membership,
                 role=row.role.value)
    return membership


# --- administrators -------------------------------------------------------------------------


def create_admin(email: str, *, full_name: str = "") -> tuple[User, str]:
    """Create (or promote) a platform administrator with a one-time password to change at the
    first login. Returns the user and the password, which is shown once and never stored."""
    password = secrets.token_urlsafe(15)
    user = find_user(email)
    if user is None:
        user = User(email=normalise_email(email), full_name=full_name or email.split("@")[0])
        db.session.add(user)
    user.is_admin = True
    user.password_hash = hasher().hash(password)
    user.password_changed_at = utcnow()
    user.must_change_password = True
    user.email_verified_at = user.email_verified_at or utcnow()
    user.rotate_session_token()
    db.session.flush()
    audit.record("account.admin_created", actor=None, obj=user)
    return user, password
