"""Web layer: edition set-up forms (shape only; the rules live in services.setup).

Dates are typed in the edition's time zone (`datetime-local`) and stored in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from trophies.domain.vocabulary import QuestionKind
from trophies.web.auth.forms import TIMEZONES

DATE_FORMAT = "%Y-%m-%dT%H:%M"
MAX_LEVELS = 21  # level descriptor fields are offered for scales of at most this many values


def to_utc(value: datetime | None, zone: str) -> datetime | None:
    """A wall-clock time typed in `zone` -> an aware UTC instant."""
    return value.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC) if value else None


def to_local(value: datetime | None, zone: str) -> datetime | None:
    """An aware instant -> the naive wall-clock time shown in `zone`."""
    return value.astimezone(ZoneInfo(zone)).replace(tzinfo=None) if value else None


def _name(required: bool = True, label=None):
    validators = [DataRequired(_l("Enter a name in French."))] if required else [Optional()]
    return StringField(label or (_l("Name in French") if required else _l("Name in English")),
                       validators=[*validators, Length(max=200)])


def _text(label, rows: int = 4):
    return TextAreaField(label, validators=[Optional(), Length(max=20_000)],
                         render_kw={"rows": rows})


def _plausible_year(form, field) -> None:
    if field.data is not None and not 2000 <= field.data.year <= 2100:
        raise ValidationError(_l("Enter a date between the years 2000 and 2100."))


def _date(label):
    return DateTimeLocalField(label, format=DATE_FORMAT, validators=[Optional(), _plausible_year],
                              description=_l("In the edition's time zone."))


def _integer(label, low: int, high: int | None = None, *, required: bool = True,
             description=""):
    message = (_l("Enter a whole number from %(low)d to %(high)d.", low=low, high=high)
               if high is not None else _l("Enter a whole number of at least %(low)d.",
                                           low=low))
    first = InputRequired(_l("Enter a whole number.")) if required else Optional()
    return IntegerField(label, validators=[first, NumberRange(low, high, message)],
                        render_kw={"inputmode": "numeric"}, description=description)


class EditionForm(FlaskForm):
    name_fr = _name()
    name_en = _name(required=False)
    description_fr = _text(_l("Description in French"))
    description_en = _text(_l("Description in English"))
    rules_fr = _text(_l("Rules in French"), rows=8)
    rules_en = _text(_l("Rules in English"), rows=8)
    privacy_notice_fr = _text(_l("Privacy notice in French"), rows=6)
    privacy_notice_en = _text(_l("Privacy notice in English"), rows=6)
    confidentiality_fr = _text(_l("Jurors' confidentiality statement in French"), rows=6)
    confidentiality_en = _text(_l("Jurors' confidentiality statement in English"), rows=6)
    timezone = SelectField(_l("Time zone"), choices=[SelectChoice(t, t) for t in TIMEZONES],
                           description=_l("The dates below are typed and shown in this zone."))
    call_opens_at = _date(_l("Call opens"))
    call_closes_at = _date(_l("Call closes"))
    judging_deadline_at = _date(_l("Judging deadline"))
    publication_at = _date(_l("Publication"))
    retention_months = _integer(_l("Retention period (months)"), 1, 120)
    is_blind = BooleanField(_l("Blind judging (jurors do not see who applied)"), description=_l(
        "Jurors never see the company, founders, or the answers marked hidden."))
    aggregation = SelectField(_l("How jurors' totals are combined"), choices=[
        SelectChoice("mean", _l("Mean")), SelectChoice("median", _l("Median"))])
    max_jurors_per_organisation = _integer(
        _l("Maximum number of jurors from the same organization"), 1, 10)
    is_feedback_enabled = BooleanField(_l("Candidates receive the jurors' feedback"))
    shows_peer_totals = BooleanField(_l("Jurors see the other jurors' totals"), description=_l(
        "After submitting, a juror sees the other jurors’ totals on the same application, "
        "without names."))
    is_general_comment_required = BooleanField(_l("Jurors must write a general comment"))
    has_preferences = BooleanField(
        _l("Jurors state their preferences (want / can / prefer not) before the assignment"))
    #: Not required: a post without it (an older form) keeps the edition's value.
    reminder_days = _integer(_l("Reminder before the deadline (days)"), 0, 60, required=False,
                             description=_l(
        "Jurors with unfinished sheets are reminded this many days before the deadline, and "
        "again the day before; 0: only the day before."))

    DATES = ("call_opens_at", "call_closes_at", "judging_deadline_at", "publication_at")

    def ensure_zone(self, zone: str) -> None:
        """Offer the edition's current zone even when it is not in the usual list."""
        if zone not in TIMEZONES:
            self.timezone.choices = [SelectChoice(zone, zone), *self.timezone.choices]

    def values(self) -> dict:
        """The service's keyword arguments; dates converted from the chosen zone to UTC."""
        zone = self.timezone.data
        data = {name: field.data for name, field in self._fields.items()
                if name != "csrf_token"}
        for name in self.DATES:
            data[name] = to_utc(data[name], zone)
        if data["reminder_days"] is None:
            del data["reminder_days"]
        return data


class CategoryForm(FlaskForm):
    name_fr = _name()
    name_en = _name(required=False)
    description_fr = _text(_l("Description in French"), rows=2)
    description_en = _text(_l("Description in English"), rows=2)


class RoundForm(FlaskForm):
    name_fr = _name()
    name_en = _name(required=False)
    starts_at = _date(_l("Starts"))
    ends_at = _date(_l("Ends"))
    jurors_per_dossier = _integer(_l("Jurors per application"), 1, 50)


class NewRoundForm(FlaskForm):
    name_fr = _name()
    name_en = _name(required=False)
    jurors_per_dossier = _integer(_l("Jurors per application"), 1, 50)


class CriterionForm(FlaskForm):
    name_fr = _name()
    name_en = _name(required=False)
    description_fr = _text(_l("Description in French"), rows=2)
    description_en = _text(_l("Description in English"), rows=2)
    weight = _integer(_l("Weight"), 1, 1000)
    scale_min = _integer(_l("Lowest mark"), -1000, 1000)
    scale_max = _integer(_l("Highest mark"), -1000, 1000)
    scale_step = _integer(_l("Step"), 1, 1000)
    allows_na = BooleanField(_l("Jurors may answer “not applicable”"))


def level_key(value: int, lang: str) -> str:
    return f"level_{lang}_{'m' if value < 0 else ''}{abs(value)}"


def levels_from(form_data, values: list[int], prefix: str = "") -> dict[int, tuple[str, str]]:
    """{value: (text fr, text en)} read from the posted level descriptor inputs."""
    return {v: (form_data.get(prefix + level_key(v, "fr"), "")[:2000],
                form_data.get(prefix + level_key(v, "en"), "")[:2000]) for v in values}


def scale_values(scale_min: int | None, scale_max: int | None, step: int | None) -> list[int]:
    """The marks of a scale, or [] when it is invalid or too long for per-level inputs."""
    if scale_min is None or scale_max is None or not step or step < 1 or scale_max <= scale_min:
        return []
    values = list(range(scale_min, scale_max + 1, step))
    return values if len(values) <= MAX_LEVELS else []


KIND_LABELS = {
    QuestionKind.SHORT_TEXT: _l("Short text"), QuestionKind.LONG_TEXT: _l("Long text"),
    QuestionKind.SINGLE_CHOICE: _l("One choice"),
    QuestionKind.MULTIPLE_CHOICE: _l("Several choices"), QuestionKind.NUMBER: _l("Number"),
    QuestionKind.YES_NO: _l("Yes or no"), QuestionKind.URL: _l("Web address"),
    QuestionKind.FILE: _l("File"),
}


class QuestionForm(FlaskForm):
    label_fr = TextAreaField(_l("Question in French"), validators=[
        DataRequired(_l("Enter the question in French.")), Length(max=2000)],
        render_kw={"rows": 2})
    label_en = TextAreaField(_l("Question in English"), validators=[Optional(),
                                                                   Length(max=2000)],
                             render_kw={"rows": 2})
    help_fr = _text(_l("Help text in French"), rows=2)
    help_en = _text(_l("Help text in English"), rows=2)
    kind = SelectField(_l("Kind of answer"),
                       choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()])
    key = StringField(_l("Key"), validators=[Optional(), Length(max=40)], description=_l(
        "Lowercase letters, digits, hyphens and underscores; used in exports. Left empty, it "
        "is made from the French question."))
    is_required = BooleanField(_l("An answer is required"))
    max_length = _integer(_l("Longest answer (characters)"), 1, 100_000, required=False)
    min_value = _integer(_l("Smallest number"), -10**9, 10**9, required=False)
    max_value = _integer(_l("Largest number"), -10**9, 10**9, required=False)
    choices = TextAreaField(_l("Choices"), validators=[Optional(), Length(max=20_000)],
                            render_kw={"rows": 5}, description=_l(
        "One per line: “label in French | label in English”, or "
        "“value | label in French | label in English” to set the stored value."))
    file_types = SelectMultipleField(_l("Accepted file types"), choices=[
        SelectChoice("pdf", "PDF"), SelectChoice("png", "PNG"), SelectChoice("jpeg", "JPEG")],
        validators=[Optional()])
    max_file_mb = _integer(_l("Largest file (MB)"), 1, 100, required=False)
