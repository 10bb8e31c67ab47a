"""Documents: the organizer's inputs to the jury minutes, and PDFs generated in the background."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trophies.models.base import JSONType, Model, UTCDateTime, utcnow
from trophies.models.edition import Edition
from trophies.models.user import User


class DeliberationMinutes(Model):
    """What only the organizer knows about the deliberation meeting: when and where it was
    held, who attended, who chaired (printed in the procès-verbal)."""

    __tablename__ = "deliberation_minutes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), unique=True
    )
    held_on: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    chair_name: Mapped[str] = mapped_column(String(200), default="")
    #: users.id of the jurors ticked as present.
    attendee_ids: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    edition: Mapped[Edition] = relationship()


class DocumentJob(Model):
    """A PDF generated in the background; its file lives under instance/documents/."""

    __tablename__ = "document_jobs"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status_known"),
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress_percent"),
    )

    #: Random, unguessable (secrets.token_urlsafe); also the stored file's name.
    id: Mapped[str] = mapped_column(String(43), primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    lang: Mapped[str] = mapped_column(String(5))
    #: What the document is for: a round number, a juror's id, a dossier reference, or "".
    subject: Mapped[str] = mapped_column(String(80), default="")
    requested_by_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default="queued")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(String(300), default="")
    filename: Mapped[str] = mapped_column(String(160), default="")
    pages: Mapped[int | None] = mapped_column(Integer)
    size: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    edition: Mapped[Edition] = relationship()
    requested_by: Mapped[User] = relationship()
