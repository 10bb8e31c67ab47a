"""Models layer: every table, importable from one place (Alembic sees them all here)."""

from trophies.models.audit import AuditEvent
from trophies.models.base import db, utcnow
from trophies.models.documents import DeliberationMinutes, DocumentJob
from trophies.models.dossier import Answer, Attachment, Dossier, DossierMember, Founder
from trophies.models.edition import Category, Criterion, CriterionLevel, Edition, Question, Round
from trophies.models.jury import (
    Assignment,
    Conflict,
    JurorPreference,
    JurorProfile,
    juror_expertise,
)
from trophies.models.mail import OutboxMessage, RecoveredForm
from trophies.models.results import Decision, ResultSnapshot
from trophies.models.scoring import Mark, Reminder, ScoreSheet
from trophies.models.user import AccountToken, Membership, User

__all__ = [
    "AccountToken", "Answer", "Assignment", "Attachment", "AuditEvent", "Category", "Conflict",
    "Criterion", "CriterionLevel", "Decision", "DeliberationMinutes", "DocumentJob", "Dossier",
    "DossierMember", "Edition", "Founder",
    "JurorPreference", "JurorProfile", "Mark", "Membership", "OutboxMessage", "Question",
    "RecoveredForm", "Reminder",
    "ResultSnapshot", "Round", "ScoreSheet", "User", "db", "juror_expertise", "utcnow",
]
