"""Scoring: one score sheet per assignment (optimistic version column) and its marks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trophies.domain.vocabulary import SheetStatus
from trophies.models.base import Model, UTCDateTime, str_enum, utcnow
from trophies.models.edition import Criterion, Round
from trophies.models.jury import Assignment
from trophies.models.user import User


class ScoreSheet(Model):
    __tablename__ = "score_sheets"
    __table_args__ = (
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint(
            "status <> 'submitted' OR submitted_at IS NOT NULL", name="submitted_has_date"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[SheetStatus] = mapped_column(
        str_enum(SheetStatus, "sheet_status"), default=SheetStatus.DRAFT, index=True
    )
    general_comment: Mapped[str] = mapped_column(Text, default="")
    #: Incremented on every write; a stale write raises StaleDataError -> HTTP 409.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reopen_reason: Mapped[str | None] = mapped_column(Text)

    assignment: Mapped[Assignment] = relationship()
    marks: Mapped[list[Mark]] = relationship(back_populates="sheet", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class Mark(Model):
    """An integer mark on one criterion, or N/A (value NULL, never counted as zero)."""

    __tablename__ = "marks"
    __table_args__ = (
        UniqueConstraint("sheet_id", "criterion_id"),
        CheckConstraint("NOT (is_na AND value IS NOT NULL)", name="na_has_no_value"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("score_sheets.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"))
    value: Mapped[int | None] = mapped_column(Integer)
    is_na: Mapped[bool] = mapped_column(Boolean, default=False)
    comment: Mapped[str] = mapped_column(Text, default="")

    sheet: Mapped[ScoreSheet] = relationship(back_populates="marks")
    criterion: Mapped[Criterion] = relationship()


class Reminder(Model):
    """A reminder e-mail sent to a juror about a round's unfinished sheets.

    `key` names the occasion: "before-7d" and "before-1d" for the automatic ones (unique per
    juror and round, so running the reminder command twice never sends one twice), "manual-"
    and the minute for those an organizer sends.
    """

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("round_id", "juror_id", "key"),
        CheckConstraint("pending >= 0", name="pending_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    #: How many sheets were unfinished when it was sent.
    pending: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    round: Mapped[Round] = relationship()
    juror: Mapped[User] = relationship(foreign_keys=[juror_id])
