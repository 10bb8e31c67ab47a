"""Web layer: registration, login, logout, password reset, invitations, the account page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from trophies.domain.errors import EmailInUse, InvalidToken, WeakPassword, WrongPassword
from trophies.domain.passwords import PasswordProblem
from trophies.extensions import db, limiter
from trophies.services import accounts
from trophies.web.auth import forms
from trophies.web.recovery import KEY as RECOVERY_KEY
from trophies.web.recovery import recover_form

bp = Blueprint("auth", __name__)


def _email_key() -> str:
    return "account:" + (request.form.get("email") or "").strip().lower()


def _limit(config_key: str):
    return limiter.limit(lambda: current_app.config[config_key], methods=["POST"])


def _limit_per_account(config_key: str):
    return limiter.limit(lambda: current_app.config[config_key], key_func=_email_key,
                         methods=["POST"])


def safe_next(target: str | None, default: str) -> str:
    """Only a local path is followed after login: never another host or scheme."""
    if not target:
        return default
    parts = urlsplit(target)
    if (parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//")
            or "\\" in target or any(ord(c) < 32 for c in target)):
        return default
    return target


def wrong_password_message() -> str:
    return _("The current password is incorrect.")


def password_message(error: WeakPassword) -> str:
    problem = error.details.get("problem")
    return {
        PasswordProblem.TOO_SHORT: _("The password must have at least %(n)d characters.",
                                     n=current_app.config["PASSWORD_MIN_LENGTH"]),
        PasswordProblem.TOO_LONG: _("The password must have at most %(n)d characters.",
                                    n=current_app.config["PASSWORD_MAX_LENGTH"]),
        PasswordProblem.COMMON: _("This password is too common or too easy to guess. "
                                  "Choose another one."),
        PasswordProblem.CONTAINS_IDENTITY: _("The password must not be your name or your "
                                             "e-mail address."),
    }.get(problem, _("Choose another password."))


def start_session(user) -> None:
    """A fresh session at login (no fixation); a kept form survives the change."""
    kept = session.get(RECOVERY_KEY)
    lang = session.get("lang")
    session.clear()
    if kept:
        session[RECOVERY_KEY] = kept
    if lang:
        session["lang"] = lang
    login_user(user)


@bp.route("/login", methods=["GET", "POST"])
@_limit("LOGIN_LIMITS")
@_limit_per_account("LOGIN_ACCOUNT_LIMITS")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("public.dashboard"))
    form = forms.LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Incorrect e-mail address or password."))
        elif user.has_two_factor:
            db.session.commit()
            from trophies.web.auth.two_factor import begin_second_step

            begin_second_step(user, form.next.data or "")
            return redirect(url_for("auth.login_code"))
        else:
            db.session.commit()
            start_session(user)
            if user.must_change_password:
                flash(_("Please choose your own password now."), "warning")
                return redirect(url_for("auth.account", _anchor="password-section"))
            flash(_("You are logged in."), "success")
            return redirect(safe_next(form.next.data, url_for("public.dashboard")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    form = forms.ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    accounts.logout_everywhere(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out."), "success")
    return redirect(url_for("public.home"))


@bp.route("/register", methods=["GET", "POST"])
@_limit("REGISTER_LIMITS")
def register():
    if current_user.is_authenticated:
        return redirect(url_for("public.dashboard"))
    form = forms.RegisterForm(language=session.get("lang") or "fr")
    if form.validate_on_submit():
        try:
            accounts.register_candidate(email=form.email.data, full_name=form.full_name.data,
                                        password=form.password.data, language=form.language.data)
        except WeakPassword as error:
            db.session.rollback()
            form.password.errors.append(password_message(error))
        else:
            db.session.commit()
            return render_template("auth/check_email.html", email=form.email.data.strip())
    return render_template("auth/register.html", form=form)


@bp.get("/verify/<token>")
def verify_email(token: str):
    try:
        accounts.verify_email(token)
    except InvalidToken:
        return render_template("auth/invalid_link.html"), 400
    db.session.commit()
    flash(_("Your e-mail address is confirmed. You can now log in."), "success")
    return redirect(url_for("public.dashboard" if current_user.is_authenticated else "auth.login"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@_limit("RESET_LIMITS")
@_limit_per_account("RESET_LIMITS")
def forgot_password():
    form = forms.ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        db.session.commit()
        return render_template("auth/check_email.html", email=form.email.data.strip(),
                               reset=True)
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@_limit("RESET_LIMITS")
def reset_password(token: str):
    try:
        accounts.peek_token(token, accounts.TokenPurpose.RESET_PASSWORD)
    except InvalidToken:
        return render_template("auth/invalid_link.html"), 400
    form = forms.ResetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(token, form.password.data)
        except WeakPassword as error:
            db.session.rollback()
            form.password.errors.append(password_message(error))
        else:
            db.session.commit()
            logout_user()
            flash(_("Your password has been changed. Log in with the new one."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@_limit("LOGIN_LIMITS")
def accept_invitation(token: str):
    try:
        invitation = accounts.open_invitation(token)
    except InvalidToken:
        return render_template("auth/invalid_link.html"), 400
    invitee = invitation.user
    if not invitation.needs_password and (not current_user.is_authenticated
                                          or current_user.id != invitee.id):
        if current_user.is_authenticated:
            logout_user()
        flash(_("Log in with your account (%(email)s) to accept the invitation.",
                email=invitee.email), "info")
        return redirect(url_for("auth.login", next=request.path))
    form = forms.AcceptInvitationForm() if invitation.needs_password else forms.ConfirmForm()
    if request.method == "GET" and invitation.needs_password:
        form.full_name.data = invitee.full_name
    if form.validate_on_submit():
        try:
            new = invitation.needs_password
            accounts.accept_invitation(token, user=invitee,
                                       password=form.password.data if new else None,
                                       full_name=form.full_name.data if new else None)
        except WeakPassword as error:
            db.session.rollback()
            form.password.errors.append(password_message(error))
        else:
            db.session.commit()
            start_session(invitee)
            flash(_("Welcome! Your invitation is accepted."), "success")
            return redirect(url_for("public.dashboard"))
    return render_template("auth/accept_invitation.html", form=form, invitation=invitation)


@bp.get("/")
@login_required
def account():
    """The account page; a form kept after an expired session or token comes back filled."""
    kept = {}
    profile = recover_form(url_for("auth.update_profile"))
    if profile is not None:
        kept["profile_form"] = forms.ProfileForm(formdata=profile, prefix="profile")
    email = recover_form(url_for("auth.change_email"))
    if email is not None:
        kept["email_form"] = forms.ChangeEmailForm(formdata=email, prefix="em")
    return render_template("auth/account.html", **_account_forms(**kept))


def _account_forms(**overrides):
    user = current_user
    profile = forms.ProfileForm(formdata=None, prefix="profile", full_name=user.full_name,
                                language=str(user.language), timezone=user.timezone)
    result = {"profile_form": profile,
              "password_form": forms.ChangePasswordForm(formdata=None, prefix="pw"),
              "email_form": forms.ChangeEmailForm(formdata=None, prefix="em")}
    result.update(overrides)
    return result


@bp.post("/profile")
@login_required
def update_profile():
    form = forms.ProfileForm(prefix="profile")
    if not form.validate_on_submit():
        return render_template("auth/account.html", **_account_forms(profile_form=form)), 400
    accounts.update_profile(current_user, full_name=form.full_name.data,
                            language=form.language.data, timezone=form.timezone.data)
    db.session.commit()
    session["lang"] = form.language.data
    flash(_("Your details have been saved."), "success")
    return redirect(url_for("auth.account"))


@bp.post("/password")
@login_required
def change_password():
    form = forms.ChangePasswordForm(prefix="pw")
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, current=form.current_password.data,
                                     new=form.password.data)
        except WrongPassword:
            db.session.rollback()
            form.current_password.errors.append(wrong_password_message())
        except WeakPassword as error:
            db.session.rollback()
            form.password.errors.append(password_message(error))
        else:
            db.session.commit()
            start_session(current_user._get_current_object())
            flash(_("Your password has been changed. Your other sessions have been closed."),
                  "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", **_account_forms(password_form=form)), 400


@bp.post("/email")
@login_required
def change_email():
    form = forms.ChangeEmailForm(prefix="em")
    if form.validate_on_submit():
        try:
            accounts.request_email_change(current_user, new_email=form.new_email.data,
                                          password=form.current_password.data)
        except WrongPassword:
            db.session.rollback()
            form.current_password.errors.append(wrong_password_message())
        except EmailInUse:
            db.session.rollback()
            form.new_email.errors.append(_("This address cannot be used. Choose another one."))
        else:
            db.session.commit()
            flash(_("We sent a confirmation link to %(email)s. Your address changes when you "
                    "open it.", email=form.new_email.data), "info")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", **_account_forms(email_form=form)), 400


@bp.route("/email/<token>", methods=["GET", "POST"])
def confirm_email_change(token: str):
    """Opening the link shows a button; only the POST changes the address (mail scanners that
    open links must not confirm anything)."""
    form = forms.ConfirmForm()
    try:
        if not form.validate_on_submit():
            row = accounts.pending_email_change(token)
            return render_template("auth/confirm_email_change.html", form=form,
                                   new_email=row.email)
        accounts.confirm_email_change(token)
    except (InvalidToken, EmailInUse):
        db.session.rollback()
        return render_template("auth/invalid_link.html"), 400
    db.session.commit()
    logout_user()
    flash(_("Your e-mail address has been changed. Log in with the new address."), "success")
    return redirect(url_for("auth.login"))


@bp.post("/language")
def set_language():
    form = forms.LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    session["lang"] = form.lang.data
    if current_user.is_authenticated:
        accounts.update_profile(current_user, full_name=current_user.full_name,
                                language=form.lang.data, timezone=current_user.timezone)
        db.session.commit()
    return redirect(safe_next(form.next.data, url_for("public.home")))


@bp.post("/keepalive")
@login_required
def keepalive():
    """Extends an idle session (the warning's "Stay logged in" button); the hook did the work."""
    form = forms.ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if request.accept_mimetypes.best == "application/json":
        return {"ok": True}
    return redirect(safe_next(request.form.get("next"), url_for("public.dashboard")))
