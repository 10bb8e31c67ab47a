"""Editions stage: an organizer sets up an edition (settings, categories, rounds, criteria;
questions are in services.questions). Imports models, domain and services.audit; flushes,
never commits.

Invariant: once judging has started, nothing that changes how marks count (criterion weight or
scale, the set of criteria, jurors per dossier) moves without first going back to screening.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select

from trophies.domain.errors import DomainError
from trophies.domain.phases import is_at_least
from trophies.domain.vocabulary import Aggregation, Phase
from trophies.models import (
    Category,
    Criterion,
    CriterionLevel,
    Dossier,
    Edition,
    Round,
    User,
    db,
)
from trophies.services import audit


class SetupInvalid(DomainError):
    """A value is out of range or inconsistent; `field` names it."""

    code = "setup_invalid"


class JudgingStarted(DomainError):
    """Judging has started: `refused` lists what would change how marks count."""

    code = "judging_started"


class CategoryInUse(DomainError):
    code = "category_in_use"


KEY = re.compile(r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$")
FILE_TYPES = ("pdf", "png", "jpeg")
DATE_FIELDS = ("call_opens_at", "call_closes_at", "judging_deadline_at", "publication_at")
TEXT_FIELDS = tuple(f"{name}_{lang}" for name in ("name", "description", "rules",
                                                  "privacy_notice", "confidentiality")
                    for lang in ("fr", "en"))
BOOL_FIELDS = ("is_blind", "is_feedback_enabled", "shows_peer_totals",
               "is_general_comment_required", "has_preferences")
EDITION_FIELDS = (*TEXT_FIELDS, "timezone", *DATE_FIELDS, "retention_months", "aggregation",
                  "max_jurors_per_organisation", "reminder_days", *BOOL_FIELDS)
JUDGING_MESSAGE = ("Judging has started: %s cannot change now. To change it, move the edition "
                   "back to screening (a deliberate, audited phase change with a reason).")


def slugify(text: str, *, max_length: int = 40) -> str:
    """"Année de création" -> "annee_de_creation" (ASCII, lowercase, underscores)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:max_length].strip("_")


def judging_started(edition: Edition) -> bool:
    return is_at_least(Phase(edition.phase), Phase.JUDGING)


def _refuse_if_judging(edition: Edition, refused: list[str]) -> None:
    if refused and judging_started(edition):
        raise JudgingStarted(JUDGING_MESSAGE % ", ".join(refused), refused=refused)


def check_range(field: str, value: int, low: int, high: int | None = None) -> None:
    if not isinstance(value, int) or value < low or (high is not None and value > high):
        raise SetupInvalid(f"{field} out of range", field=field, low=low, high=high)


def _check_aware(field: str, value: datetime | None) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise SetupInvalid(f"{field} must be time-zone aware", field=field)


def apply_fields(obj: Any, fields: dict[str, Any]) -> dict[str, Any]:
    """Set the attributes that differ; return {name: new value} for the audit log."""
    changed = {}
    for name, value in fields.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed[name] = value.isoformat() if isinstance(value, datetime) else value
    return changed


# --- edition -------------------------------------------------------------------------------


def update_edition(edition: Edition, *, actor: User, **fields: Any) -> dict[str, Any]:
    """Change the edition's texts and settings (only EDITION_FIELDS; others raise TypeError).
    Returns what changed. Raises SetupInvalid (unknown time zone, naive or unordered dates,
    ranges: retention 1..120 months, 1..10 jurors per organisation, reminders 0..60 days
    before the deadline). Audited when anything changed."""
    unknown = set(fields) - set(EDITION_FIELDS)
    if unknown:
        raise TypeError(f"not an edition setting: {sorted(unknown)}")
    if "name_fr" in fields and not str(fields["name_fr"]).strip():
        raise SetupInvalid("name_fr is required", field="name_fr")
    if "timezone" in fields:
        try:
            ZoneInfo(fields["timezone"])
        except (ZoneInfoNotFoundError, ValueError, TypeError) as error:
            raise SetupInvalid("unknown time zone", field="timezone") from error
    for name in DATE_FIELDS:
        _check_aware(name, fields.get(name))
    opens = fields.get("call_opens_at", edition.call_opens_at)
    closes = fields.get("call_closes_at", edition.call_closes_at)
    if opens is not None and closes is not None and closes <= opens:
        raise SetupInvalid("the call closes before it opens", field="call_closes_at")
    if "retention_months" in fields:
        check_range("retention_months", fields["retention_months"], 1, 120)
    if "max_jurors_per_organisation" in fields:
        check_range("max_jurors_per_organisation", fields["max_jurors_per_organisation"], 1,
                     10)
    if "reminder_days" in fields:
        check_range("reminder_days", fields["reminder_days"], 0, 60)
    if "aggregation" in fields:
        try:
            fields["aggregation"] = Aggregation(fields["aggregation"])
        except ValueError as error:
            raise SetupInvalid("unknown aggregation", field="aggregation") from error
    for name in TEXT_FIELDS:
        if name in fields:
            fields[name] = str(fields[name] or "").strip()  # a field left out: empty
    changed = apply_fields(edition, fields)
    if changed:
        audit.record("setup.edition", actor=actor, edition=edition, obj=edition,
                     fields=sorted(changed))
    db.session.flush()
    return changed


# --- categories ----------------------------------------------------------------------------


def _category_fields(name_fr: str, name_en: str, description_fr: str,
                     description_en: str) -> dict[str, str]:
    if not name_fr.strip():
        raise SetupInvalid("name_fr is required", field="name_fr")
    return {"name_fr": name_fr.strip(), "name_en": name_en.strip(),
            "description_fr": description_fr.strip(), "description_en": description_en.strip()}


def _check_category_name(edition: Edition, name_fr: str, exclude: int | None = None) -> None:
    if any(c.name_fr == name_fr and c.id != exclude for c in edition.categories):
        raise SetupInvalid("a category already has this name", field="name_fr")


def add_category(edition: Edition, *, actor: User, name_fr: str, name_en: str = "",
                 description_fr: str = "", description_en: str = "") -> Category:
    """A new category at the end. Raises SetupInvalid (no or duplicate French name)."""
    fields = _category_fields(name_fr, name_en, description_fr, description_en)
    _check_category_name(edition, fields["name_fr"])
    position = max((c.position for c in edition.categories), default=-1) + 1
    category = Category(position=position, **fields)
    edition.categories.append(category)
    db.session.flush()
    audit.record("setup.category_added", actor=actor, edition=edition, obj=category,
                 name=category.name_fr)
    return category


def update_category(category: Category, *, actor: User, name_fr: str, name_en: str = "",
                    description_fr: str = "", description_en: str = "") -> None:
    """Rename or describe a category. Raises SetupInvalid."""
    fields = _category_fields(name_fr, name_en, description_fr, description_en)
    _check_category_name(category.edition, fields["name_fr"], exclude=category.id)
    changed = apply_fields(category, fields)
    if changed:
        audit.record("setup.category_changed", actor=actor, edition=category.edition,
                     obj=category, fields=sorted(changed))
    db.session.flush()


def remove_category(category: Category, *, actor: User) -> None:
    """Delete a category no application uses. Raises CategoryInUse."""
    used = db.session.scalar(select(func.count()).select_from(Dossier)
                             .where(Dossier.category_id == category.id)) or 0
    if used:
        raise CategoryInUse("applications use this category", dossiers=used)
    edition = category.edition
    audit.record("setup.category_removed", actor=actor, edition=edition, obj=category,
                 name=category.name_fr)
    edition.categories.remove(category)
    db.session.flush()


# --- rounds --------------------------------------------------------------------------------


def _round_fields(fields: dict[str, Any]) -> dict[str, Any]:
    allowed = {"name_fr", "name_en", "starts_at", "ends_at", "jurors_per_dossier"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"not a round setting: {sorted(unknown)}")
    for name in ("name_fr", "name_en"):
        if name in fields:
            fields[name] = str(fields[name]).strip()
    if "name_fr" in fields and not fields["name_fr"]:
        raise SetupInvalid("name_fr is required", field="name_fr")
    _check_aware("starts_at", fields.get("starts_at"))
    _check_aware("ends_at", fields.get("ends_at"))
    if "jurors_per_dossier" in fields:
        check_range("jurors_per_dossier", fields["jurors_per_dossier"], 1, 50)
    return fields


def add_round(edition: Edition, *, actor: User, name_fr: str, name_en: str = "",
              starts_at: datetime | None = None, ends_at: datetime | None = None,
              jurors_per_dossier: int = 3) -> Round:
    """A new round numbered after the last one. Raises SetupInvalid."""
    fields = _round_fields({"name_fr": name_fr, "name_en": name_en, "starts_at": starts_at,
                            "ends_at": ends_at, "jurors_per_dossier": jurors_per_dossier})
    if starts_at and ends_at and ends_at <= starts_at:
        raise SetupInvalid("the round ends before it starts", field="ends_at")
    number = max((r.number for r in edition.rounds), default=0) + 1
    round_ = Round(number=number, **fields)
    edition.rounds.append(round_)
    db.session.flush()
    audit.record("setup.round_added", actor=actor, edition=edition, obj=round_, number=number)
    return round_


def update_round(round_: Round, *, actor: User, **fields: Any) -> dict[str, Any]:
    """Change a round's names, dates or jurors per dossier. Raises SetupInvalid, and
    JudgingStarted for a new jurors_per_dossier once judging has started."""
    fields = _round_fields(fields)
    starts = fields.get("starts_at", round_.starts_at)
    ends = fields.get("ends_at", round_.ends_at)
    if starts and ends and ends <= starts:
        raise SetupInvalid("the round ends before it starts", field="ends_at")
    if fields.get("jurors_per_dossier", round_.jurors_per_dossier) != round_.jurors_per_dossier:
        _refuse_if_judging(round_.edition, ["jurors_per_dossier"])
    changed = apply_fields(round_, fields)
    if changed:
        audit.record("setup.round_changed", actor=actor, edition=round_.edition, obj=round_,
                     fields=sorted(changed))
    db.session.flush()
    return changed


# --- criteria ------------------------------------------------------------------------------

CRITERION_FIELDS = ("name_fr", "name_en", "description_fr", "description_en", "weight",
                    "scale_min", "scale_max", "scale_step", "allows_na")
SCORING_FIELDS = ("weight", "scale_min", "scale_max", "scale_step", "allows_na")


def _check_criterion(fields: dict[str, Any]) -> None:
    if not fields["name_fr"]:
        raise SetupInvalid("name_fr is required", field="name_fr")
    check_range("weight", fields["weight"], 1)
    check_range("scale_step", fields["scale_step"], 1)
    if not isinstance(fields["scale_min"], int) or not isinstance(fields["scale_max"], int):
        raise SetupInvalid("scale bounds must be integers", field="scale_min")
    if fields["scale_max"] <= fields["scale_min"]:
        raise SetupInvalid("scale_max must exceed scale_min", field="scale_max")
    if (fields["scale_max"] - fields["scale_min"]) % fields["scale_step"]:
        raise SetupInvalid("the step must divide the scale", field="scale_step")


def _set_levels(criterion: Criterion, levels: dict[int, tuple[str, str]]) -> bool:
    """Level texts per scale value; empty texts and values off the scale are dropped."""
    on_scale = set(range(criterion.scale_min, criterion.scale_max + 1, criterion.scale_step))
    wanted = {v: (fr.strip(), en.strip()) for v, (fr, en) in levels.items()
              if v in on_scale and (fr.strip() or en.strip())}
    before = {lv.value: (lv.label_fr, lv.label_en) for lv in criterion.levels}
    if before == wanted:
        return False
    existing = {lv.value: lv for lv in criterion.levels}
    for value, level in existing.items():
        if value not in wanted:
            criterion.levels.remove(level)
    for value, (fr, en) in sorted(wanted.items()):
        if value in existing:
            existing[value].label_fr, existing[value].label_en = fr, en
        else:
            criterion.levels.append(CriterionLevel(value=value, label_fr=fr, label_en=en))
    return True


def add_criterion(round_: Round, *, actor: User, name_fr: str, weight: int, name_en: str = "",
                  description_fr: str = "", description_en: str = "", scale_min: int = 0,
                  scale_max: int = 5, scale_step: int = 1, allows_na: bool = False,
                  levels: dict[int, tuple[str, str]] | None = None) -> Criterion:
    """A new criterion at the end of the round, with optional level texts per scale value.
    Raises SetupInvalid, and JudgingStarted once judging has started."""
    _refuse_if_judging(round_.edition, ["criteria"])
    fields = {"name_fr": name_fr.strip(), "name_en": name_en.strip(),
              "description_fr": description_fr.strip(),
              "description_en": description_en.strip(), "weight": weight,
              "scale_min": scale_min, "scale_max": scale_max, "scale_step": scale_step,
              "allows_na": bool(allows_na)}
    _check_criterion(fields)
    taken = {c.key for c in round_.criteria}
    key = base = slugify(name_fr) or "criterion"
    n = 2
    while key in taken:
        key, n = f"{base[:36]}_{n}", n + 1
    position = max((c.position for c in round_.criteria), default=-1) + 1
    criterion = Criterion(position=position, key=key, **fields)
    round_.criteria.append(criterion)
    _set_levels(criterion, levels or {})
    db.session.flush()
    audit.record("setup.criterion_added", actor=actor, edition=round_.edition, obj=criterion,
                 round=round_.number, key=key, weight=weight,
                 scale=[scale_min, scale_max, scale_step])
    return criterion


def update_criterion(criterion: Criterion, *, actor: User,
                     levels: dict[int, tuple[str, str]] | None = None,
                     **fields: Any) -> dict[str, Any]:
    """Change a criterion (CRITERION_FIELDS) and its level texts. Once judging has started,
    names, descriptions and level texts may change, weight/scale/N/A may not
    (JudgingStarted). Raises SetupInvalid."""
    unknown = set(fields) - set(CRITERION_FIELDS)
    if unknown:
        raise TypeError(f"not a criterion setting: {sorted(unknown)}")
    for name in ("name_fr", "name_en", "description_fr", "description_en"):
        if name in fields:
            fields[name] = str(fields[name]).strip()
    if "allows_na" in fields:
        fields["allows_na"] = bool(fields["allows_na"])
    merged = {name: fields.get(name, getattr(criterion, name)) for name in CRITERION_FIELDS}
    _check_criterion(merged)
    refused = [name for name in SCORING_FIELDS
               if name in fields and fields[name] != getattr(criterion, name)]
    _refuse_if_judging(criterion.round.edition, refused)
    changed = apply_fields(criterion, fields)
    if levels is not None and _set_levels(criterion, levels):
        changed["levels"] = True
    if changed:
        audit.record("setup.criterion_changed", actor=actor, edition=criterion.round.edition,
                     obj=criterion, changes=changed)
    db.session.flush()
    return changed


def remove_criterion(criterion: Criterion, *, actor: User) -> None:
    """Delete a criterion. Raises JudgingStarted once judging has started."""
    round_ = criterion.round
    _refuse_if_judging(round_.edition, ["criteria"])
    audit.record("setup.criterion_removed", actor=actor, edition=round_.edition, obj=criterion,
                 round=round_.number, key=criterion.key)
    round_.criteria.remove(criterion)
    db.session.flush()
