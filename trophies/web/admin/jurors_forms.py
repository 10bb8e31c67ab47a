"""Web layer: the organizers' jurors forms (shape only; the rules live in services.jurors)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from trophies.models import Category, Edition
from trophies.services.jurors_csv import MAX_CAPACITY, MAX_IMPORT_BYTES
from trophies.web.auth.forms import LANGUAGE_CHOICES, email_field


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (rendered in a fieldset by the template)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class JurorDetailsForm(FlaskForm):
    organisation = StringField(
        _l("Organization"), validators=[Optional(), Length(max=200)],
        description=_l("Used to detect conflicts of interest and to limit the number of jurors "
                       "of one organization per application."))
    expertise = CheckboxesField(_l("Expertise"), coerce=int, validate_choice=False)
    capacity = IntegerField(
        _l("Capacity (applications per round)"),
        validators=[Optional(), NumberRange(0, MAX_CAPACITY, _l(
            "Enter a whole number from %(low)d to %(high)d.", low=0, high=MAX_CAPACITY))],
        description=_l("Leave empty for a balanced share of the applications."),
        render_kw={"inputmode": "numeric"})

    def offer(self, edition: Edition, language: str) -> None:
        self.expertise.choices = [SelectChoice(c.id, c.localized("name", language))
                                  for c in edition.categories]

    def chosen(self, edition: Edition) -> list[Category]:
        """The ticked categories of `edition` (anything else posted is ignored)."""
        ticked = set(self.expertise.data or [])
        return [c for c in edition.categories if c.id in ticked]


class InviteJurorForm(JurorDetailsForm):
    email = email_field()
    full_name = StringField(_l("Full name"), validators=[
        DataRequired(_l("Enter the juror's name.")), Length(max=200)],
        render_kw={"autocomplete": "off"})
    language = SelectField(_l("Language of the invitation"), choices=LANGUAGE_CHOICES,
                           default="fr", description=_l(
                               "For a new account; a person who already has an account "
                               "receives it in the language they chose."))


class ImportJurorsForm(FlaskForm):
    text = TextAreaField(_l("Paste the CSV text"),
                         validators=[Optional(), Length(max=MAX_IMPORT_BYTES)],
                         render_kw={"rows": 8, "spellcheck": "false"})
    file = FileField(_l("Or choose a CSV file"),
                     description=_l("UTF-8 (with or without BOM), comma or semicolon "
                                    "separated, at most 1,000 jurors and 1 MB."),
                     render_kw={"accept": ".csv,.txt,text/csv,text/plain"})
    language = SelectField(_l("Language of the invitations"), choices=LANGUAGE_CHOICES,
                           default="fr", description=_l(
                               "When the file has no language column or leaves it empty; a "
                               "person who already has an account receives the invitation in "
                               "the language they chose."))


class RemoveJurorForm(FlaskForm):
    confirm = BooleanField(_l("I confirm that this juror leaves the jury"),
                           validators=[DataRequired(_l("Tick the box to confirm."))])
    notify = BooleanField(_l("Tell the juror by e-mail"), default=True)
