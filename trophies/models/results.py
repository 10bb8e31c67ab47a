"""Results: jury decisions and frozen result snapshots with their digest."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trophies.domain.vocabulary import DecisionKind
from trophies.models.base import JSONType, Model, UTCDateTime, str_enum, utcnow
from trophies.models.dossier import Dossier
from trophies.models.edition import Bilingual, Category


class Decision(Bilingual, Model):
    """Laureate, runner-up, special mention or Coup de cœur, with its justification."""

    __tablename__ = "decisions"
    __table_args__ = (
        UniqueConstraint("edition_id", "dossier_id", "kind"),
        CheckConstraint("position >= 1", name="position_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    #: NULL for an edition-wide decision (the Coup de cœur).
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    kind: Mapped[DecisionKind] = mapped_column(str_enum(DecisionKind, "decision_kind"))
    position: Mapped[int] = mapped_column(Integer, default=1)
    title_fr: Mapped[str] = mapped_column(String(200), default="")
    title_en: Mapped[str] = mapped_column(String(200), default="")
    justification: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    category: Mapped[Category | None] = relationship()
    dossier: Mapped[Dossier] = relationship()


class ResultSnapshot(Model):
    """A frozen ranking: canonical inputs and outputs, and their SHA-256 digest."""

    __tablename__ = "result_snapshots"
    __table_args__ = (
        UniqueConstraint("edition_id", "sequence"),
        CheckConstraint("length(digest) = 64", name="digest_length"),
        CheckConstraint("sequence >= 1", name="sequence_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"))
    sequence: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    #: Why this snapshot replaced the previous one (an amendment); empty for the first.
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
