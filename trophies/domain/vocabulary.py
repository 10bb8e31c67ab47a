"""All stages: the glossary's closed vocabularies as StrEnums; standard library only.

The values are stored as strings in the database (CHECK constraints list them), so renaming a
value needs a migration.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CANDIDATE = "candidate"
    JUROR = "juror"
    ORGANIZER = "organizer"


class Phase(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    SCREENING = "screening"
    JUDGING = "judging"
    DELIBERATION = "deliberation"
    FROZEN = "frozen"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class DossierStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    SHORTLISTED = "shortlisted"
    LAUREATE = "laureate"


class QuestionKind(StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    NUMBER = "number"
    YES_NO = "yes_no"
    URL = "url"
    FILE = "file"


class ConflictSource(StrEnum):
    DECLARED = "declared"          # by the juror
    ORGANISATION = "organisation"  # detected: same organisation
    EMAIL_DOMAIN = "email_domain"  # detected: same e-mail domain
    MENTION = "mention"            # detected: juror or organisation named in the dossier
    MANUAL = "manual"              # added by an organizer


class ConflictStatus(StrEnum):
    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class AssignmentSource(StrEnum):
    SOLVER = "solver"
    MANUAL = "manual"
    IMPORT = "import"


class PreferenceLevel(StrEnum):
    """A juror's wish to evaluate a dossier, when the edition collects preferences."""

    WANT = "want"
    CAN = "can"
    PREFER_NOT = "prefer_not"


class SheetStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VOIDED = "voided"


class Aggregation(StrEnum):
    MEAN = "mean"
    MEDIAN = "median"


class DecisionKind(StrEnum):
    LAUREATE = "laureate"
    RUNNER_UP = "runner_up"
    MENTION = "mention"
    COUP_DE_COEUR = "coup_de_coeur"


class TokenPurpose(StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"  # noqa: S105  (a purpose name, not a secret)
    INVITATION = "invitation"
    CHANGE_EMAIL = "change_email"


class MailStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    LOGGED = "logged"   # no SMTP configured: written to the log and listed for administrators


class Language(StrEnum):
    FR = "fr"
    EN = "en"
