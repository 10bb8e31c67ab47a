"""Two-step verification (TOTP): enrolment, the second login step, replay, removal."""

from __future__ import annotations

import time

from tests.factories import PASSWORD, make_user
from trophies.domain import totp
from trophies.models import AuditEvent, OutboxMessage, User, db


def _current_code(user: User, offset_steps: int = 0) -> str:
    return totp.code_at(user.totp_secret, totp.step_of(time.time()) + offset_steps)


def _enable(client, login_as) -> User:
    user = make_user("orga@example.org")
    db.session.commit()
    login_as(user)
    client.post("/account/two-factor/start")
    db.session.refresh(user)
    assert user.totp_secret and not user.has_two_factor
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "data:image/svg+xml" in page and user.totp_secret in page
    response = client.post("/account/two-factor/enable", data={"code": _current_code(user)})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.has_two_factor
    return user


def test_enabling_two_factor_needs_a_valid_code_and_is_audited_and_mailed(client, login_as):
    user = make_user()
    db.session.commit()
    login_as(user)
    client.post("/account/two-factor/start")
    response = client.post("/account/two-factor/enable", data={"code": "000000"})
    assert response.status_code == 400
    db.session.refresh(user)
    assert not user.has_two_factor
    client.get("/account/")  # session still valid: nothing rotated on a failed attempt
    user = _enable(client, login_as)
    assert db.session.query(AuditEvent).filter_by(action="account.two_factor_enabled").count() == 1
    assert db.session.query(OutboxMessage).filter_by(template="two_factor_changed").count() == 1


def test_login_with_two_factor_asks_for_a_code_before_opening_the_session(app, client, login_as):
    user = _enable(client, login_as)
    other = app.test_client()
    response = other.post("/account/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response.location.endswith("/account/login/code")
    assert other.get("/dashboard").status_code == 302  # not logged in yet
    bad = other.post("/account/login/code", data={"code": "123456"})
    assert bad.status_code == 200
    assert 'aria-invalid="true"' in bad.get_data(as_text=True)
    assert other.get("/dashboard").status_code == 302
    db.session.refresh(user)
    good = other.post("/account/login/code", data={"code": _current_code(user, 1)})
    assert good.status_code == 302
    assert other.get("/dashboard").status_code == 200


def test_a_code_cannot_be_used_twice(app, client, login_as):
    user = _enable(client, login_as)
    db.session.refresh(user)
    used_step = user.totp_last_step
    replay = totp.code_at(user.totp_secret, used_step)
    other = app.test_client()
    other.post("/account/login", data={"email": user.email, "password": PASSWORD})
    response = other.post("/account/login/code", data={"code": replay})
    assert response.status_code == 200
    assert other.get("/dashboard").status_code == 302


def test_the_code_step_without_a_password_step_sends_back_to_login(client):
    response = client.get("/account/login/code")
    assert response.status_code == 302 and "/account/login" in response.location


def test_disabling_needs_the_password_and_a_code(client, login_as):
    user = _enable(client, login_as)
    login_as(user)  # the session token rotated on enabling
    db.session.refresh(user)
    wrong = client.post("/account/two-factor/disable",
                        data={"current_password": "wrong password here",
                              "code": _current_code(user, 1)})
    assert wrong.status_code == 400
    db.session.refresh(user)
    assert user.has_two_factor
    ok = client.post("/account/two-factor/disable",
                     data={"current_password": PASSWORD, "code": _current_code(user, 1)})
    assert ok.status_code == 302
    db.session.refresh(user)
    assert not user.has_two_factor and user.totp_secret is None


def test_totp_matches_the_rfc_6238_test_vector():
    # RFC 6238 appendix B, SHA-1 secret "12345678901234567890", T = 59 s -> 94287082 (8 digits)
    import base64

    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp.code_at(secret, totp.step_of(59)) == "287082"
    assert totp.code_at(secret, totp.step_of(1111111109)) == "081804"
    assert totp.verify(secret, "287082", unix_time=59) == 1
    assert totp.verify(secret, "287082", unix_time=59, last_step=1) is None
    assert totp.verify(secret, "28708", unix_time=59) is None
