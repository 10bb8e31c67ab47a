"""Editions and their set-up: categories, rounds, criteria with level descriptors, questions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trophies.domain.vocabulary import Aggregation, Language, Phase, QuestionKind
from trophies.models.base import JSONType, Model, UTCDateTime, str_enum, utcnow


class Bilingual:
    """Columns `<field>_fr` / `<field>_en`; `localized(field, lang)` falls back to French."""

    def localized(self, field: str, language: str) -> str:
        value = getattr(self, f"{field}_{language}", None)
        return value or getattr(self, f"{field}_fr") or ""


class Edition(Bilingual, Model):
    __tablename__ = "editions"
    __table_args__ = (
        CheckConstraint("retention_months > 0", name="retention_positive"),
        CheckConstraint("max_jurors_per_organisation >= 1", name="organisation_cap_positive"),
        CheckConstraint("reminder_days BETWEEN 0 AND 60", name="reminder_days_range"),
        CheckConstraint(
            "call_closes_at IS NULL OR call_opens_at IS NULL OR call_closes_at > call_opens_at",
            name="call_closes_after_opening",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name_fr: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    rules_fr: Mapped[str] = mapped_column(Text, default="")
    rules_en: Mapped[str] = mapped_column(Text, default="")
    #: The rules as a PDF (optional, beside the text): stored name under uploads, hash, size.
    rules_pdf_stored: Mapped[str | None] = mapped_column(String(64))
    rules_pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    rules_pdf_size: Mapped[int | None] = mapped_column(Integer)
    privacy_notice_fr: Mapped[str] = mapped_column(Text, default="")
    privacy_notice_en: Mapped[str] = mapped_column(Text, default="")
    phase: Mapped[Phase] = mapped_column(str_enum(Phase, "phase"), default=Phase.DRAFT)
    language: Mapped[Language] = mapped_column(
        str_enum(Language, "edition_language"), default=Language.FR
    )
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    call_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    call_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    judging_deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The announced date of the winners (informative, shown on the public page).
    publication_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: A scheduled publication of the frozen verdict (None: not scheduled); cleared when done.
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the palmarès went public (the phase moved to published).
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    retention_months: Mapped[int] = mapped_column(Integer, default=36)
    is_blind: Mapped[bool] = mapped_column(Boolean, default=False)
    aggregation: Mapped[Aggregation] = mapped_column(
        str_enum(Aggregation, "aggregation"), default=Aggregation.MEAN
    )
    max_jurors_per_organisation: Mapped[int] = mapped_column(Integer, default=1)
    is_feedback_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    shows_peer_totals: Mapped[bool] = mapped_column(Boolean, default=False)
    is_general_comment_required: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Jurors state want / can / prefer not per dossier; the assignment takes it into account.
    has_preferences: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Jurors with unfinished sheets are reminded this many days before a round's deadline
    #: (0: no early reminder) and again the day before (`flask trophies remind`, from cron).
    reminder_days: Mapped[int] = mapped_column(Integer, default=7)
    #: The confidentiality statement every juror accepts before seeing any dossier content
    #: (empty: the platform's standard statement).
    confidentiality_fr: Mapped[str] = mapped_column(Text, default="")
    confidentiality_en: Mapped[str] = mapped_column(Text, default="")
    #: Automatic eligibility checks shown as suggestions, e.g.
    #: [{"question": "annee_creation", "rule": "between", "min": 2016, "max": 2026}].
    eligibility_rules: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    #: Declared tie-break rules in order, e.g. [{"rule": "criterion", "key": "impact"}].
    tie_break: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    categories: Mapped[list[Category]] = relationship(
        back_populates="edition", cascade="all, delete-orphan", order_by="Category.position"
    )
    rounds: Mapped[list[Round]] = relationship(
        back_populates="edition", cascade="all, delete-orphan", order_by="Round.number"
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="edition", cascade="all, delete-orphan", order_by="Question.position"
    )

    def __repr__(self) -> str:
        return f"<Edition {self.slug} {self.phase}>"


class Category(Bilingual, Model):
    """A prize within an edition; a dossier competes in exactly one."""

    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("edition_id", "name_fr"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name_fr: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")

    edition: Mapped[Edition] = relationship(back_populates="categories")


class Round(Bilingual, Model):
    """A judging stage with its own dates, criteria and number of jurors per dossier."""

    __tablename__ = "rounds"
    __table_args__ = (
        UniqueConstraint("edition_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("jurors_per_dossier BETWEEN 1 AND 50", name="jurors_per_dossier_range"),
        CheckConstraint(
            "ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at", name="ends_after_start"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    name_fr: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    jurors_per_dossier: Mapped[int] = mapped_column(Integer, default=3)
    #: The last assignment run: seed, objective, LP bound, time, warnings (shown in the preview).
    assignment_run: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    #: Set when an organizer closes the round: its score sheets become read-only.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    edition: Mapped[Edition] = relationship(back_populates="rounds")
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="Criterion.position"
    )


class Criterion(Bilingual, Model):
    """A weighted criterion on an integer scale min..max by step; N/A only if allowed."""

    __tablename__ = "criteria"
    __table_args__ = (
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint("scale_step > 0", name="step_positive"),
        CheckConstraint("scale_max > scale_min", name="scale_not_empty"),
        CheckConstraint("(scale_max - scale_min) % scale_step = 0", name="step_divides_scale"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    key: Mapped[str] = mapped_column(String(40), default="")
    name_fr: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[int] = mapped_column(Integer)
    scale_min: Mapped[int] = mapped_column(Integer, default=0)
    scale_max: Mapped[int] = mapped_column(Integer, default=5)
    scale_step: Mapped[int] = mapped_column(Integer, default=1)
    allows_na: Mapped[bool] = mapped_column(Boolean, default=False)

    round: Mapped[Round] = relationship(back_populates="criteria")
    levels: Mapped[list[CriterionLevel]] = relationship(
        back_populates="criterion", cascade="all, delete-orphan", order_by="CriterionLevel.value"
    )


class CriterionLevel(Bilingual, Model):
    """What a value on a criterion's scale means ("0 — absent … 5 — exemplary")."""

    __tablename__ = "criterion_levels"
    __table_args__ = (UniqueConstraint("criterion_id", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("criteria.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[int] = mapped_column(Integer)
    label_fr: Mapped[str] = mapped_column(Text)
    label_en: Mapped[str] = mapped_column(Text, default="")

    criterion: Mapped[Criterion] = relationship(back_populates="levels")


class Question(Bilingual, Model):
    """An application question of an edition, answered once per dossier."""

    __tablename__ = "questions"
    __table_args__ = (
        UniqueConstraint("edition_id", "key"),
        CheckConstraint("max_length IS NULL OR max_length > 0", name="max_length_positive"),
        CheckConstraint("max_file_bytes IS NULL OR max_file_bytes > 0",
                        name="max_file_bytes_positive"),
        CheckConstraint(
            "min_value IS NULL OR max_value IS NULL OR max_value >= min_value",
            name="bounds_ordered",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    key: Mapped[str] = mapped_column(String(40))
    kind: Mapped[QuestionKind] = mapped_column(str_enum(QuestionKind, "kind"))
    label_fr: Mapped[str] = mapped_column(Text)
    label_en: Mapped[str] = mapped_column(Text, default="")
    help_fr: Mapped[str] = mapped_column(Text, default="")
    help_en: Mapped[str] = mapped_column(Text, default="")
    is_required: Mapped[bool] = mapped_column(Boolean, default=False)
    max_length: Mapped[int | None] = mapped_column(Integer)
    min_value: Mapped[int | None] = mapped_column(Integer)
    max_value: Mapped[int | None] = mapped_column(Integer)
    #: For choice questions: [{"value": "pilot", "label_fr": "…", "label_en": "…"}, …]
    choices: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    #: For file questions: accepted types ("pdf", "png", "jpeg") and the size limit in bytes.
    file_types: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    max_file_bytes: Mapped[int | None] = mapped_column(Integer)
    #: Hidden from jurors when the edition is blind.
    is_hidden_when_blind: Mapped[bool] = mapped_column(Boolean, default=False)

    edition: Mapped[Edition] = relationship(back_populates="questions")
