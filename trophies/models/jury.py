"""The jury: juror profiles per edition, conflicts of interest, assignments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trophies.domain.vocabulary import (
    AssignmentSource,
    ConflictSource,
    ConflictStatus,
    PreferenceLevel,
)
from trophies.models.base import Model, UTCDateTime, str_enum, utcnow
from trophies.models.dossier import Dossier
from trophies.models.edition import Category, Edition, Round
from trophies.models.user import User

juror_expertise = Table(
    "juror_expertise",
    Model.metadata,
    Column(
        "juror_profile_id",
        ForeignKey("juror_profiles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("category_id", ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True),
)


class JurorProfile(Model):
    """A juror's standing in one edition: organisation, expertise, capacity, acceptances."""

    __tablename__ = "juror_profiles"
    __table_args__ = (
        UniqueConstraint("edition_id", "user_id"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    #: Normalised organisation name, compared to detect conflicts and apply the per-dossier cap.
    organisation_key: Mapped[str] = mapped_column(String(200), default="", index=True)
    capacity: Mapped[int | None] = mapped_column(Integer)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confidentiality_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the juror last confirmed their list of conflicts (possibly empty) for the edition.
    conflicts_declared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Set when the juror withdraws or an organizer removes them; they get no new assignment.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    edition: Mapped[Edition] = relationship()
    user: Mapped[User] = relationship()
    expertise: Mapped[list[Category]] = relationship(secondary=juror_expertise)


class Conflict(Model):
    """A juror x dossier pair that must never be assigned once confirmed."""

    __tablename__ = "conflicts"
    __table_args__ = (UniqueConstraint("juror_id", "dossier_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    juror_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[ConflictSource] = mapped_column(str_enum(ConflictSource, "source"))
    status: Mapped[ConflictStatus] = mapped_column(
        str_enum(ConflictStatus, "conflict_status"), default=ConflictStatus.SUGGESTED
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    juror: Mapped[User] = relationship(foreign_keys=[juror_id])
    dossier: Mapped[Dossier] = relationship()


class Assignment(Model):
    """One juror x one dossier x one round."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("juror_id", "dossier_id", "round_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    juror_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    is_pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[AssignmentSource] = mapped_column(
        str_enum(AssignmentSource, "assignment_source"), default=AssignmentSource.SOLVER
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    round: Mapped[Round] = relationship()
    dossier: Mapped[Dossier] = relationship()
    juror: Mapped[User] = relationship()


class JurorPreference(Model):
    """A juror's wish about one dossier (want / can / prefer not), when the edition asks."""

    __tablename__ = "juror_preferences"
    __table_args__ = (UniqueConstraint("juror_id", "dossier_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    juror_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[PreferenceLevel] = mapped_column(str_enum(PreferenceLevel, "preference_level"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    juror: Mapped[User] = relationship()
    dossier: Mapped[Dossier] = relationship()
