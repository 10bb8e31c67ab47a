"""Editions stage: the application questions of an edition (add, change, move, remove).

Invariant: once the call has closed and applications exist, questions no longer change (what
candidates answered stays what they were asked). Flushes, never commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from trophies.domain.errors import DomainError
from trophies.domain.phases import is_at_least
from trophies.domain.vocabulary import Phase, QuestionKind
from trophies.models import Dossier, Edition, Question, User, db
from trophies.services import audit
from trophies.services.setup import (
    FILE_TYPES,
    KEY,
    SetupInvalid,
    apply_fields,
    check_range,
    slugify,
)


class CallClosed(DomainError):
    """The call has closed and applications exist: questions can no longer change."""

    code = "call_closed"


class KeyTaken(DomainError):
    code = "key_taken"


# --- questions -----------------------------------------------------------------------------

QUESTION_FIELDS = ("key", "kind", "label_fr", "label_en", "help_fr", "help_en", "is_required",
                   "max_length", "min_value", "max_value", "choices", "file_types",
                   "max_file_bytes")


def parse_choices(text: str, existing: list[dict[str, str]] | None = None) -> list[dict[str, str]]:
    """One choice per line: "value | label fr | label en", "label fr | label en" or "label".
    Values are kept when given, reused when the French label matches an existing choice,
    otherwise derived from the French label (stable across edits) and made unique."""
    known = {c["label_fr"]: c["value"] for c in existing or []}
    choices: list[dict[str, str]] = []
    for line in text.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if not any(parts):
            continue
        if len(parts) >= 3:
            value, label_fr, label_en = parts[0], parts[1], parts[2]
        elif len(parts) == 2:
            value, label_fr, label_en = "", parts[0], parts[1]
        else:
            value, label_fr, label_en = "", parts[0], ""
        if not label_fr:
            raise SetupInvalid("a choice has no French label", field="choices")
        value = slugify(value) or known.get(label_fr) or slugify(label_fr) or "choice"
        base, n = value, 2
        while value in {c["value"] for c in choices}:
            value, n = f"{base[:36]}_{n}", n + 1
        choices.append({"value": value, "label_fr": label_fr, "label_en": label_en or label_fr})
    return choices


def choices_text(choices: list[dict[str, str]]) -> str:
    """The editable form of `choices` (the inverse of parse_choices)."""
    return "\n".join(f"{c['value']} | {c['label_fr']} | {c.get('label_en', '')}"
                     for c in choices or [])


def _question_fields(edition: Edition, fields: dict[str, Any],
                     exclude: int | None = None) -> dict[str, Any]:
    unknown = set(fields) - set(QUESTION_FIELDS)
    if unknown:
        raise TypeError(f"not a question setting: {sorted(unknown)}")
    for name in ("key", "label_fr", "label_en", "help_fr", "help_en"):
        fields[name] = str(fields.get(name) or "").strip()
    if not fields["label_fr"]:
        raise SetupInvalid("label_fr is required", field="label_fr")
    fields["key"] = fields["key"].lower() or slugify(fields["label_fr"])
    if not KEY.match(fields["key"]) or len(fields["key"]) > 40:
        raise SetupInvalid("the key must be a slug", field="key")
    if any(q.key == fields["key"] and q.id != exclude for q in edition.questions):
        raise KeyTaken("another question uses this key", field="key", key=fields["key"])
    try:
        kind = fields["kind"] = QuestionKind(fields.get("kind"))
    except ValueError as error:
        raise SetupInvalid("unknown kind", field="kind") from error
    fields["is_required"] = bool(fields.get("is_required"))
    keep = {QuestionKind.SHORT_TEXT: {"max_length"}, QuestionKind.LONG_TEXT: {"max_length"},
            QuestionKind.NUMBER: {"min_value", "max_value"},
            QuestionKind.SINGLE_CHOICE: {"choices"}, QuestionKind.MULTIPLE_CHOICE: {"choices"},
            QuestionKind.FILE: {"file_types", "max_file_bytes"}}.get(kind, set())
    for name in ("max_length", "min_value", "max_value", "max_file_bytes"):
        if name not in keep:
            fields[name] = None
    for name in ("choices", "file_types"):
        fields[name] = list(fields.get(name) or []) if name in keep else []
    if fields["max_length"] is not None:
        check_range("max_length", fields["max_length"], 1, 100_000)
    if (fields["min_value"] is not None and fields["max_value"] is not None
            and fields["max_value"] < fields["min_value"]):
        raise SetupInvalid("max_value below min_value", field="max_value")
    if "choices" in keep and len(fields["choices"]) < 2:
        raise SetupInvalid("a choice question needs at least two choices", field="choices")
    if "file_types" in keep:
        if not fields["file_types"] or set(fields["file_types"]) - set(FILE_TYPES):
            raise SetupInvalid("choose file types among pdf, png, jpeg", field="file_types")
        if fields["max_file_bytes"] is None:
            raise SetupInvalid("a file question needs a size limit", field="max_file_bytes")
        check_range("max_file_bytes", fields["max_file_bytes"], 1, 100 * 1024 * 1024)
    return fields


def questions_locked(edition: Edition) -> bool:
    """The call has closed and applications exist: answers must keep meaning what they meant."""
    if not is_at_least(Phase(edition.phase), Phase.SCREENING):
        return False
    return db.session.scalar(select(func.count()).select_from(Dossier)
                             .where(Dossier.edition_id == edition.id)) != 0


def _refuse_if_locked(edition: Edition) -> None:
    if questions_locked(edition):
        raise CallClosed("the call has closed and applications exist")


def add_question(edition: Edition, *, actor: User, **fields: Any) -> Question:
    """A new question at the end of the form. Raises SetupInvalid, KeyTaken."""
    fields = _question_fields(edition, fields)
    position = max((q.position for q in edition.questions), default=-1) + 1
    question = Question(position=position, **fields)
    edition.questions.append(question)
    db.session.flush()
    audit.record("setup.question_added", actor=actor, edition=edition, obj=question,
                 key=question.key, kind=question.kind.value)
    return question


def update_question(question: Question, *, actor: User, **fields: Any) -> None:
    """Replace a question's settings. Raises SetupInvalid, KeyTaken, and CallClosed once the
    call has closed with applications."""
    edition = question.edition
    _refuse_if_locked(edition)
    fields["key"] = fields.get("key") or question.key
    fields = _question_fields(edition, fields, exclude=question.id)
    changed = apply_fields(question, fields)
    if changed:
        audit.record("setup.question_changed", actor=actor, edition=edition, obj=question,
                     fields=sorted(changed))
    db.session.flush()


def remove_question(question: Question, *, actor: User) -> None:
    """Delete a question. Raises CallClosed once the call has closed with applications."""
    edition = question.edition
    _refuse_if_locked(edition)
    audit.record("setup.question_removed", actor=actor, edition=edition, obj=question,
                 key=question.key)
    edition.questions.remove(question)
    db.session.flush()


def move_question(question: Question, *, actor: User, offset: int) -> None:
    """Swap the question with its neighbour (offset -1 up, +1 down); no-op at the ends.
    Raises CallClosed once the call has closed with applications."""
    edition = question.edition
    _refuse_if_locked(edition)
    ordered = sorted(edition.questions, key=lambda q: (q.position, q.id))
    index = ordered.index(question)
    other = index + (1 if offset > 0 else -1)
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered):
        item.position = position
    audit.record("setup.question_moved", actor=actor, edition=edition, obj=question,
                 position=other)
    db.session.flush()
