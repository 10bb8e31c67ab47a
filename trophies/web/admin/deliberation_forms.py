"""Web layer, organizer area: the deliberation's forms (shape only; the rules — which dossier
may be chosen, when a justification is required, when a change is an amendment — live in
services.deliberation).

A category's decisions are one HTML form with a variable number of slots (laureate,
runners-up, mentions), so it is parsed by hand into a `DecisionSheet`; CSRF is checked for
every POST by the app-wide CSRFProtect. Freezing and publishing are Flask-WTF forms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, DateTimeLocalField, RadioField, SelectChoice
from wtforms.validators import DataRequired, Optional, ValidationError

from trophies.domain.vocabulary import DecisionKind
from trophies.models import Decision
from trophies.services.deliberation import (
    MAX_JUSTIFICATION,
    MAX_REASON,
    MAX_TITLE,
    DecisionInput,
)
from trophies.web.admin.setup_forms import DATE_FORMAT, to_utc

#: Runner-up places offered per category.
RUNNERS_UP = 2
#: The most mentions a category's form reads.
MAX_MENTIONS = 20
#: Empty mention slots offered below the recorded ones (at least).
BLANK_MENTIONS = 1
MIN_MENTION_SLOTS = 2


@dataclass
class Slot:
    """One decision of the form: its field names start with `name` ("laureate",
    "runner_up-2", "mention-1", "coup_de_coeur")."""

    name: str
    kind: DecisionKind
    position: int
    dossier: str = ""            # the select's value as typed: "" (none) or a dossier id
    title_fr: str = ""
    title_en: str = ""
    justification: str = ""
    #: sub-field ("dossier", "title_fr", "title_en", "justification") -> error message
    errors: dict[str, str] = field(default_factory=dict)
    #: The choice departs from the ranking (shown beside the justification).
    departs: bool = False

    @property
    def dossier_id(self) -> int | None:
        return int(self.dossier) if self.dossier.isdigit() else None

    @property
    def has_titles(self) -> bool:
        return self.kind is DecisionKind.MENTION

    def label(self) -> str:
        if self.kind is DecisionKind.LAUREATE:
            return _("Laureate")
        if self.kind is DecisionKind.RUNNER_UP:
            return _("Runner-up no. %(position)d", position=self.position)
        if self.kind is DecisionKind.MENTION:
            return _("Special mention no. %(position)d", position=self.position)
        return _("Coup de cœur du jury")

    def entry(self, position: int) -> DecisionInput:
        return DecisionInput(self.kind, self.dossier_id or 0, position,
                             title_fr=self.title_fr, title_en=self.title_en,
                             justification=self.justification)


@dataclass
class DecisionSheet:
    """The decision form of one category (`category_id`), or of the edition-wide Coup de
    cœur (`category_id` None), with what was typed and the errors found."""

    category_id: int | None
    slots: list[Slot]
    reason: str = ""
    reason_error: str = ""
    #: An error about the whole form (e.g. the same application chosen twice).
    error: str = ""

    @property
    def prefix(self) -> str:
        """Field ids are unique on the page: "c12-laureate", "cdc-coup_de_coeur"."""
        return f"c{self.category_id}" if self.category_id is not None else "cdc"

    def field_id(self, slot: Slot, part: str = "dossier") -> str:
        suffix = "" if part == "dossier" else f"-{part}"
        return f"{self.prefix}-{slot.name}{suffix}"

    @property
    def reason_id(self) -> str:
        return f"{self.prefix}-reason"

    # --- building ------------------------------------------------------------------------

    @classmethod
    def blank(cls, category_id: int | None,
              mention_slots: int = MIN_MENTION_SLOTS) -> DecisionSheet:
        """Empty slots: a category's laureate, runners-up and mentions, or the edition-wide
        Coup de cœur (`category_id` None)."""
        if category_id is None:
            return cls(None, [Slot("coup_de_coeur", DecisionKind.COUP_DE_COEUR, 1)])
        slots = [Slot("laureate", DecisionKind.LAUREATE, 1)]
        slots += [Slot(f"runner_up-{p}", DecisionKind.RUNNER_UP, p)
                  for p in range(1, RUNNERS_UP + 1)]
        slots += [Slot(f"mention-{p}", DecisionKind.MENTION, p)
                  for p in range(1, min(mention_slots, MAX_MENTIONS) + 1)]
        return cls(category_id, slots)

    @classmethod
    def from_decisions(cls, category_id: int | None,
                       decisions: list[Decision]) -> DecisionSheet:
        """The form filled with the recorded decisions of the category, and room for one
        more mention."""
        mentions = sorted((d for d in decisions if d.kind == DecisionKind.MENTION),
                          key=lambda d: (d.position, d.id))
        sheet = cls.blank(category_id, max(MIN_MENTION_SLOTS, len(mentions) + BLANK_MENTIONS))
        by_place = {(DecisionKind(d.kind), d.position): d for d in decisions
                    if d.kind != DecisionKind.MENTION}
        by_place.update({(DecisionKind.MENTION, index): d
                         for index, d in enumerate(mentions, start=1)})
        for slot in sheet.slots:
            decision = by_place.get((slot.kind, slot.position))
            if decision is not None:
                slot.dossier = str(decision.dossier_id)
                slot.title_fr, slot.title_en = decision.title_fr, decision.title_en
                slot.justification = decision.justification
        return sheet

    @classmethod
    def from_form(cls, category_id: int | None, form: MultiDict) -> DecisionSheet:
        """What was posted, kept as typed (to show it again on a refusal)."""
        posted = [p for p in range(1, MAX_MENTIONS + 1) if f"mention-{p}" in form]
        sheet = cls.blank(category_id, max([MIN_MENTION_SLOTS, *posted]))
        for slot in sheet.slots:
            slot.dossier = form.get(slot.name, "").strip()
            slot.justification = form.get(f"{slot.name}-justification", "").strip()
            if slot.has_titles:
                slot.title_fr = form.get(f"{slot.name}-title_fr", "").strip()
                slot.title_en = form.get(f"{slot.name}-title_en", "").strip()
        sheet.reason = form.get("reason", "").strip()
        return sheet

    # --- checking ------------------------------------------------------------------------

    def check(self, *, amending: bool) -> bool:
        """Shape only: a real choice in each select, lengths, a mention's French title, the
        amendment's reason. Returns True when nothing was found."""
        for slot in self.slots:
            if slot.dossier and slot.dossier_id is None:
                slot.errors["dossier"] = _("Choose an application from the list.")
            if len(slot.justification) > MAX_JUSTIFICATION:
                slot.errors["justification"] = _("At most %(max)d characters.",
                                                 max=MAX_JUSTIFICATION)
            if slot.has_titles:
                for part in ("title_fr", "title_en"):
                    if len(getattr(slot, part)) > MAX_TITLE:
                        slot.errors[part] = _("At most %(max)d characters.", max=MAX_TITLE)
                if slot.dossier and not slot.title_fr:
                    slot.errors["title_fr"] = _("Give the mention a title in French.")
        if amending and not self.reason:
            self.reason_error = _("Give the reason for the amendment.")
        elif len(self.reason) > MAX_REASON:
            self.reason_error = _("At most %(max)d characters.", max=MAX_REASON)
        return not self.has_errors

    @property
    def has_errors(self) -> bool:
        return bool(self.error or self.reason_error or any(s.errors for s in self.slots))

    def entries(self) -> list[DecisionInput]:
        """The filled slots as the service's inputs; runners-up and mentions numbered from 1
        in the order of the form, whatever slots were left empty."""
        out: list[DecisionInput] = []
        counters: dict[DecisionKind, int] = {}
        for slot in self.slots:
            if slot.dossier_id is None:
                continue
            counters[slot.kind] = counters.get(slot.kind, 0) + 1
            out.append(slot.entry(counters[slot.kind]))
        return out

    def slot_for(self, entry: DecisionInput) -> Slot | None:
        """The slot that produced `entry` (a dossier has at most one decision per kind)."""
        return next((s for s in self.slots
                     if s.kind is entry.kind and s.dossier_id == entry.dossier_id), None)

    def mark_departures(self, departures: list[DecisionInput]) -> None:
        for entry in departures:
            slot = self.slot_for(entry)
            if slot is not None:
                slot.departs = True
                slot.errors["justification"] = _(
                    "This choice departs from the ranking: explain it in a justification.")

    def summary(self) -> list[tuple[str, str]]:
        """(field id, "label: message") for the error summary, in the form's order."""
        parts = {"dossier": _("application"), "title_fr": _("title in French"),
                 "title_en": _("title in English"), "justification": _("justification")}
        out = []
        if self.error:
            out.append((self.field_id(self.slots[0]), self.error))
        for slot in self.slots:
            for part, name in parts.items():
                if part in slot.errors:
                    label = _("%(decision)s, %(part)s", decision=slot.label(), part=name)
                    out.append((self.field_id(slot, part),
                                _("%(label)s: %(error)s", label=label,
                                  error=slot.errors[part])))
        if self.reason_error:
            out.append((self.reason_id, _("%(label)s: %(error)s",
                                          label=_("Reason for the amendment"),
                                          error=self.reason_error)))
        return out


# --- freezing and publishing -------------------------------------------------------------------


class FreezeForm(FlaskForm):
    confirm = BooleanField(
        _l("I confirm the verdict is final: the ranking, scores, decisions and jury will be "
           "frozen with a digest, and any later change will be a recorded amendment"),
        validators=[DataRequired(_l("Tick the box to confirm."))])


def _plausible_year(form, field) -> None:
    if field.data is not None and not 2000 <= field.data.year <= 2100:
        raise ValidationError(_l("Enter a date between the years 2000 and 2100."))


class PublishForm(FlaskForm):
    """Publish now, or at a date and time typed in the edition's time zone (`zone`)."""

    mode = RadioField(_l("When to publish"), choices=[SelectChoice("now", _l("Now")),
                                          SelectChoice("scheduled", _l("At a date and time"))],
                      default="now", validators=[DataRequired(_l("Choose when."))])
    at = DateTimeLocalField(_l("Date and time of publication"), format=DATE_FORMAT,
                            validators=[Optional(), _plausible_year])

    def __init__(self, *args, zone: str = "Europe/Paris", now: datetime | None = None,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.now = now

    def validate(self, extra_validators=None) -> bool:
        """The shape of each field, then: a scheduled publication needs a time in the
        future (a form-level check: Optional() stops the field's own chain when empty)."""
        valid = super().validate(extra_validators)
        if self.mode.data != "scheduled" or self.at.errors:
            return valid
        if self.at.data is None:
            self.at.errors = [_("Enter the date and time of publication.")]
            return False
        if self.now is not None and to_utc(self.at.data, self.zone) <= self.now:
            self.at.errors = [_("Choose a moment in the future.")]
            return False
        return valid

    def when(self) -> datetime | None:
        """The scheduled instant in UTC, or None to publish now."""
        return to_utc(self.at.data, self.zone) if self.mode.data == "scheduled" else None
