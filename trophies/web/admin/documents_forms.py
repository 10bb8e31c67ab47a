"""Web layer, organizer area: the form of the deliberation minutes' inputs (shape only; the
rules — attendees are jurors of the edition, lengths — live in services.minutes)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from trophies.models import User
from trophies.services.minutes import MAX_CHAIR, MAX_NOTES, MAX_PLACE, MinutesInput
from trophies.web.admin.jurors_forms import CheckboxesField


class MeetingDateField(DateField):
    """A date (the browser's date picker sends YYYY-MM-DD) with our own message."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(str(_l("Enter the date as year-month-day, for example "
                                    "2025-06-30."))) from None


def _plausible_year(form, field) -> None:
    if field.data is not None and not 2000 <= field.data.year <= 2100:
        raise ValidationError(_l("Enter a date between the years 2000 and 2100."))


def _attendee_id(value: object) -> int:
    """A posted id; anything else becomes -1, which no juror has (refused by the check)."""
    text = str(value)
    return int(text) if text.isdigit() else -1


class MinutesForm(FlaskForm):
    held_on = MeetingDateField(_l("Date of the meeting"),
                               validators=[Optional(), _plausible_year])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=MAX_PLACE, message=_l(
        "The place is limited to %(max)d characters."))])
    chair_name = StringField(_l("Chaired by"), validators=[Optional(), Length(
        max=MAX_CHAIR, message=_l("The chair’s name is limited to %(max)d characters."))],
        description=_l("As it should be printed, e.g. “Dr Anne Martin, president of the jury”."))
    attendees = CheckboxesField(_l("Jurors present"), coerce=_attendee_id, validate_choice=False)
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=MAX_NOTES, message=_l(
        "The notes are limited to %(max)d characters."))], render_kw={"rows": 6},
        description=_l("Printed at the end of the minutes: how the debate went, votes, "
                       "reservations."))

    def offer(self, jurors: list[User]) -> None:
        self.attendees.choices = [SelectChoice(u.id, u.full_name) for u in jurors]

    def validate_attendees(self, field) -> None:
        allowed = {choice.value for choice in field.choices or ()}
        if not set(field.data or ()) <= allowed:
            raise ValidationError(_l("Tick only members of the edition’s jury."))

    def fill(self, data: MinutesInput) -> None:
        """Show the saved inputs (on a GET)."""
        self.held_on.data = data.held_on
        self.place.data = data.place
        self.chair_name.data = data.chair_name
        self.attendees.data = sorted(data.attendee_ids)
        self.notes.data = data.notes

    def to_input(self) -> MinutesInput:
        return MinutesInput(self.held_on.data, self.place.data or "",
                            self.chair_name.data or "", frozenset(self.attendees.data or ()),
                            self.notes.data or "")
