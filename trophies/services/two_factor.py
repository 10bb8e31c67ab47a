"""Accounts stage: the optional second factor (TOTP) — enrolment, check at login, removal."""

from __future__ import annotations

import time

from flask import current_app

from trophies.domain import totp
from trophies.domain.errors import InvalidCode
from trophies.models import User, utcnow
from trophies.services import audit, mail
from trophies.services.accounts import confirm_password


def start_enrolment(user: User) -> str:
    """Give the user a new pending secret (not active until a code confirms it)."""
    if user.has_two_factor:
        raise ValueError("two-factor authentication is already enabled")
    user.totp_secret = totp.new_secret()
    user.totp_last_step = None
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    assert user.totp_secret
    return totp.provisioning_uri(user.totp_secret, account=user.email,
                                 issuer=current_app.config["PLATFORM_NAME"])


def check_code(user: User, code: str, *, now: float | None = None) -> None:
    """Accept a current, unused code for the user's secret. Raises InvalidCode."""
    if not user.totp_secret:
        raise InvalidCode()
    step = totp.verify(user.totp_secret, code, unix_time=time.time() if now is None else now,
                       last_step=user.totp_last_step)
    if step is None:
        raise InvalidCode()
    user.totp_last_step = step


def enable(user: User, code: str, *, now: float | None = None) -> None:
    """Activate the pending secret once the user proves their app shows the right code."""
    if user.has_two_factor or not user.totp_secret:
        raise InvalidCode()
    check_code(user, code, now=now)
    user.totp_enabled_at = utcnow()
    user.rotate_session_token()
    mail.queue_for(user, "two_factor_changed", enabled=True)
    audit.record("account.two_factor_enabled", actor=user, obj=user)


def disable(user: User, *, password: str, code: str, now: float | None = None) -> None:
    """Remove the second factor; needs the password and a current code."""
    confirm_password(user, password)
    check_code(user, code, now=now)
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    mail.queue_for(user, "two_factor_changed", enabled=False)
    audit.record("account.two_factor_disabled", actor=user, obj=user)
