"""Web layer: the second step of the login and the two-step verification settings."""

from __future__ import annotations

import time

import segno
from flask import abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from trophies.domain.errors import InvalidCode, WrongPassword
from trophies.extensions import db, limiter
from trophies.models import User
from trophies.services import two_factor
from trophies.web.auth.forms import ConfirmForm
from trophies.web.auth.views import bp, safe_next, start_session, wrong_password_message

PENDING_KEY = "two_factor_pending"
PENDING_SECONDS = 300


def code_field():
    return StringField(
        _l("Verification code"),
        validators=[InputRequired(_l("Enter the 6-digit code.")), Length(max=12)],
        description=_l("The 6-digit code shown by your authenticator app."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                   "pattern": "[0-9 ]*", "spellcheck": "false"},
    )


class CodeForm(FlaskForm):
    code = code_field()


class DisableForm(FlaskForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[InputRequired(_l("Enter your current password."))],
                                     render_kw={"autocomplete": "current-password"})
    code = code_field()


def invalid_code_message() -> str:
    return _("This code is not valid. Check your app and try again.")


def begin_second_step(user: User, next_url: str) -> None:
    """Password accepted: remember who is half-way through the login, for a few minutes."""
    session[PENDING_KEY] = {"token": user.session_token, "next": next_url,
                            "until": int(time.time()) + PENDING_SECONDS}


def _pending_user() -> tuple[User, str] | None:
    pending = session.get(PENDING_KEY)
    if not pending or pending.get("until", 0) < time.time():
        return None
    user = db.session.scalar(select(User).where(User.session_token == pending["token"],
                                                User.is_active.is_(True)))
    return (user, pending.get("next") or "") if user is not None else None


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_ACCOUNT_LIMITS"], methods=["POST"])
def login_code():
    pending = _pending_user()
    if pending is None:
        session.pop(PENDING_KEY, None)
        flash(_("Please log in again."), "info")
        return redirect(url_for("auth.login"))
    user, next_url = pending
    form = CodeForm()
    if form.validate_on_submit():
        try:
            two_factor.check_code(user, form.code.data)
        except InvalidCode:
            db.session.rollback()
            form.code.errors.append(invalid_code_message())
        else:
            db.session.commit()
            start_session(user)
            flash(_("You are logged in."), "success")
            return redirect(safe_next(next_url, url_for("public.dashboard")))
    return render_template("auth/login_code.html", form=form)


@bp.get("/two-factor")
@login_required
def two_factor_settings():
    return _settings_page()


def _settings_page(code_form=None, disable_form=None, status=200):
    user = current_user
    qr = None
    if user.totp_secret and not user.has_two_factor:
        qr = segno.make(two_factor.provisioning_uri(user), error="m").svg_data_uri(scale=4)
    return render_template("auth/two_factor.html", qr=qr,
                           code_form=code_form or CodeForm(formdata=None),
                           disable_form=disable_form or DisableForm(formdata=None),
                           start_form=ConfirmForm(formdata=None)), status


@bp.post("/two-factor/start")
@login_required
def start_two_factor():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not current_user.has_two_factor:
        two_factor.start_enrolment(current_user)
        db.session.commit()
    return redirect(url_for("auth.two_factor_settings"))


@bp.post("/two-factor/enable")
@login_required
def enable_two_factor():
    form = CodeForm()
    if form.validate_on_submit():
        try:
            two_factor.enable(current_user, form.code.data)
        except InvalidCode:
            db.session.rollback()
            form.code.errors.append(invalid_code_message())
        else:
            db.session.commit()
            start_session(current_user._get_current_object())
            flash(_("Two-step verification is enabled. Your other sessions have been closed."),
                  "success")
            return redirect(url_for("auth.two_factor_settings"))
    return _settings_page(code_form=form, status=400)


@bp.post("/two-factor/disable")
@login_required
def disable_two_factor():
    form = DisableForm()
    if form.validate_on_submit():
        try:
            two_factor.disable(current_user, password=form.current_password.data,
                               code=form.code.data)
        except WrongPassword:
            db.session.rollback()
            form.current_password.errors.append(wrong_password_message())
        except InvalidCode:
            db.session.rollback()
            form.code.errors.append(invalid_code_message())
        else:
            db.session.commit()
            flash(_("Two-step verification is disabled."), "success")
            return redirect(url_for("auth.two_factor_settings"))
    return _settings_page(disable_form=form, status=400)
