"""Dossiers (applications): founders, answers and attached files."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trophies.domain.vocabulary import DossierStatus
from trophies.models.base import Model, UTCDateTime, str_enum, utcnow
from trophies.models.edition import Category, Edition, Question
from trophies.models.user import User


class Dossier(Model):
    __tablename__ = "dossiers"
    __table_args__ = (
        CheckConstraint(
            "status NOT IN ('ineligible') OR eligibility_reason IS NOT NULL",
            name="ineligible_has_reason",
        ),
        CheckConstraint(
            "status = 'draft' OR status = 'withdrawn' OR submitted_at IS NOT NULL",
            name="submitted_has_date",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: Human reference shown to everyone, e.g. "ES26-0042".
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    company_name: Mapped[str] = mapped_column(String(200))
    legal_form: Mapped[str] = mapped_column(String(40), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    project_title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[DossierStatus] = mapped_column(
        str_enum(DossierStatus, "status"), default=DossierStatus.DRAFT, index=True
    )
    eligibility_reason: Mapped[str | None] = mapped_column(Text)
    eligibility_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    eligibility_decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Company, project, reference and founders folded (services.dossiers keeps it current).
    search_text: Mapped[str] = mapped_column(Text, default="")
    #: Incremented on every write; two people editing at once get a conflict, not an overwrite.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    edition: Mapped[Edition] = relationship()
    category: Mapped[Category] = relationship()
    candidate: Mapped[User] = relationship(foreign_keys=[candidate_id])
    founders: Mapped[list[Founder]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", order_by="Founder.position"
    )
    answers: Mapped[list[Answer]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", order_by="Attachment.id"
    )
    members: Mapped[list[DossierMember]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", order_by="DossierMember.id"
    )

    def can_edit(self, user_id: int) -> bool:
        """The candidate, or a co-founder who accepted the invitation (members loaded)."""
        return self.candidate_id == user_id or any(
            m.user_id == user_id and m.accepted_at is not None for m in self.members)


class Founder(Model):
    """A founder or team member named in a dossier (hidden from jurors in blind mode)."""

    __tablename__ = "founders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    full_name: Mapped[str] = mapped_column(String(200))
    role_title: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str | None] = mapped_column(String(254))

    dossier: Mapped[Dossier] = relationship(back_populates="founders")


class Answer(Model):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("dossier_id", "question_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    value: Mapped[str] = mapped_column(Text, default="")

    dossier: Mapped[Dossier] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()


class Attachment(Model):
    """A file stored under instance/uploads with a random name; served by an authorized view."""

    __tablename__ = "attachments"
    __table_args__ = (
        CheckConstraint("size_bytes >= 0", name="size_not_negative"),
        CheckConstraint("length(sha256) = 64", name="sha256_length"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id", ondelete="SET NULL")
    )
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    dossier: Mapped[Dossier] = relationship(back_populates="attachments")


class DossierMember(Model):
    """A co-founder invited to edit a dossier with its candidate (single-use hashed link)."""

    __tablename__ = "dossier_members"
    __table_args__ = (
        UniqueConstraint("dossier_id", "email"),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    #: SHA-256 of the invitation link's token; cleared once accepted (single use).
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    dossier: Mapped[Dossier] = relationship(back_populates="members")
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
