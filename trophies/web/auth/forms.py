"""Web layer: account forms (shape only; the rules live in services.accounts)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length

from trophies.domain.passwords import MIN_LENGTH

LANGUAGE_CHOICES = [SelectChoice("fr", "Français"), SelectChoice("en", "English")]
TIMEZONES = [
    "Europe/Paris", "Europe/Brussels", "Europe/Luxembourg", "Europe/Zurich", "Europe/Berlin",
    "Europe/Madrid", "Europe/Rome", "Europe/Lisbon", "Europe/London", "Europe/Dublin",
    "Europe/Amsterdam", "Europe/Tallinn", "Europe/Helsinki", "Europe/Athens",
    "America/Martinique", "America/Guadeloupe", "America/Cayenne", "Indian/Reunion",
    "Indian/Mayotte", "Pacific/Noumea", "Pacific/Tahiti", "America/Montreal", "UTC",
]


def email_field(label=None):
    return EmailField(
        label or _l("E-mail address"),
        validators=[DataRequired(_l("Enter your e-mail address.")),
                    Email(_l("Enter a valid e-mail address, like name@example.org."),
                          check_deliverability=False),
                    Length(max=254)],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


def new_password_field(label=None):
    return PasswordField(
        label or _l("New password"),
        validators=[InputRequired(_l("Choose a password."))],
        description=_l("At least %(n)d characters. A sentence or several words you will "
                       "remember is a good choice.", n=MIN_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )


def confirm_field():
    return PasswordField(
        _l("Confirm the password"),
        validators=[InputRequired(_l("Type the password again.")),
                    EqualTo("password", _l("The two passwords are different."))],
        render_kw={"autocomplete": "new-password"},
    )


def name_field():
    return StringField(_l("Full name"),
                       validators=[DataRequired(_l("Enter your name.")), Length(max=200)],
                       render_kw={"autocomplete": "name"})


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(_l("Password"),
                             validators=[InputRequired(_l("Enter your password."))],
                             render_kw={"autocomplete": "current-password"})
    next = HiddenField()


class RegisterForm(FlaskForm):
    full_name = name_field()
    email = email_field()
    password = new_password_field(_l("Password"))
    confirm = confirm_field()
    language = SelectField(_l("Language for e-mails and pages"), choices=LANGUAGE_CHOICES)
    accept_terms = BooleanField(
        _l("I have read how my personal data is used (see the notice above)."),
        validators=[DataRequired(_l("Please confirm that you have read the notice."))],
    )


class ForgotPasswordForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password = new_password_field()
    confirm = confirm_field()


class AcceptInvitationForm(FlaskForm):
    """For a new invitee; an existing account only confirms (csrf only)."""

    full_name = name_field()
    password = new_password_field(_l("Password"))
    confirm = confirm_field()


class ConfirmForm(FlaskForm):
    """A bare POST confirmation (logout, accept): the CSRF token only."""


class ProfileForm(FlaskForm):
    full_name = name_field()
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    timezone = SelectField(_l("Time zone"), choices=[SelectChoice(t, t) for t in TIMEZONES])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[InputRequired(_l("Enter your current password."))],
                                     render_kw={"autocomplete": "current-password"})
    password = new_password_field()
    confirm = confirm_field()


class ChangeEmailForm(FlaskForm):
    new_email = email_field(_l("New e-mail address"))
    current_password = PasswordField(_l("Current password"),
                                     validators=[InputRequired(_l("Enter your current password."))],
                                     render_kw={"autocomplete": "current-password"})


class LanguageForm(FlaskForm):
    lang = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    next = HiddenField()
