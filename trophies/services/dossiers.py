"""Screening stage, the organizer's view: list, search, count and read an edition's dossiers.

Imports models, SQLAlchemy and Flask-Babel (for translated values); never the request. A
candidate's draft is private: it is never listed, read or exported here, only counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil
from typing import Any, TypedDict

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, event, func, inspect, select
from sqlalchemy.orm import Session, contains_eager, joinedload, selectinload

from trophies.domain.text import fold
from trophies.domain.vocabulary import DossierStatus, QuestionKind
from trophies.models import Answer, Attachment, Category, Dossier, Edition, Founder, Question, db

#: Sort keys a caller may ask for (anything else is refused).
SORT_KEYS = ("reference", "company", "project", "category", "status", "submitted_at")
#: Statuses the organizer sees, in pipeline order (drafts are the candidate's own business).
LISTED_STATUSES = tuple(s for s in DossierStatus if s is not DossierStatus.DRAFT)
PER_PAGE_CHOICES = (10, 25, 50, 100)
#: Longest search accepted; longer input is cut (a search is a few words, not a document).
MAX_SEARCH_LENGTH = 200

STATUS_LABELS = {
    DossierStatus.DRAFT: _l("Draft"),
    DossierStatus.SUBMITTED: _l("Submitted"),
    DossierStatus.WITHDRAWN: _l("Withdrawn"),
    DossierStatus.ELIGIBLE: _l("Eligible"),
    DossierStatus.INELIGIBLE: _l("Not eligible"),
    DossierStatus.SHORTLISTED: _l("Shortlisted"),
    DossierStatus.LAUREATE: _l("Laureate"),
}


def status_label(status: DossierStatus | str) -> str:
    """The status in the current locale (wrap in `force_locale` outside a request)."""
    return str(STATUS_LABELS[DossierStatus(status)])


@dataclass(frozen=True)
class DossierPage:
    """One page of a list: `items` with their category and founders loaded, and where it is."""

    items: list[Dossier]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return ceil(self.total / self.per_page) if self.total else 0

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None


class DossierCounts(TypedDict):
    by_category: dict[int, int]
    by_status: dict[str, int]
    total: int
    drafts: int


def _listed(edition: Edition) -> list[Any]:
    return [Dossier.edition_id == edition.id, Dossier.status != DossierStatus.DRAFT]


def _search_condition(search: str) -> Any | None:
    """Every word must appear in the company, the project, the reference or a founder's name,
    ignoring case and accents ("elodie" finds "Élodie") on every database: both sides are
    folded the same way (domain.text.fold; `search_text` is kept current on every flush).
    LIKE wildcards typed by the user are escaped.
    """
    words = fold(search[:MAX_SEARCH_LENGTH]).split()
    if not words:
        return None
    return and_(*(Dossier.search_text.contains(word, autoescape=True) for word in words))


#: The dossier's own columns the search reads (founders' names come on top).
SEARCHED = ("company_name", "project_title", "reference", "founders")


def search_text_of(dossier: Dossier) -> str:
    """What the organizers' search looks into, folded."""
    parts = [dossier.company_name, dossier.project_title, dossier.reference]
    parts += [f.full_name for f in dossier.founders]
    return fold(" ".join(p or "" for p in parts))


@event.listens_for(Session, "before_flush")
def _keep_search_text_current(session: Session, _context: Any, _instances: Any) -> None:
    """Every write path (candidates, organizers, the demo, imports) keeps `search_text` right
    without having to remember it: dossiers and founders being written are re-indexed."""
    touched = {o for o in session.new if isinstance(o, Dossier)}
    touched |= {o for o in session.dirty if isinstance(o, Dossier) and any(
        inspect(o).attrs[name].history.has_changes() for name in SEARCHED)}
    touched |= {o.dossier for o in (*session.new, *session.dirty, *session.deleted)
                if isinstance(o, Founder) and o.dossier is not None}
    for dossier in touched:
        text = search_text_of(dossier)
        if dossier.search_text != text:
            dossier.search_text = text


def _order_by(sort: str, descending: bool) -> list[Any]:
    status_order = case({s.value: i for i, s in enumerate(DossierStatus)}, value=Dossier.status)
    key = {
        "reference": Dossier.reference,
        "company": func.lower(Dossier.company_name),
        "project": func.lower(Dossier.project_title),
        "category": Category.position,
        "status": status_order,
        "submitted_at": Dossier.submitted_at,
    }[sort]
    primary = key.desc() if descending else key.asc()
    if sort == "submitted_at":
        primary = primary.nulls_last()
    # The reference is unique: equal keys keep one order from page to page.
    return [primary] if sort == "reference" else [primary, Dossier.reference.asc()]


def list_dossiers(
    edition: Edition,
    *,
    search: str = "",
    category_id: int | None = None,
    status: str | None = None,
    sort: str = "reference",
    descending: bool = False,
    page: int = 1,
    per_page: int = 25,
) -> DossierPage:
    """One page of the edition's non-draft dossiers matching the search and filters.

    Three queries whatever the page size: the count, the page (with its categories joined)
    and the founders of its dossiers. A page past the end gives the last page.
    Raises ValueError for an unknown sort key or status, or a draft status (never listed).
    """
    if sort not in SORT_KEYS:
        raise ValueError(f"unknown sort key: {sort!r}")
    if per_page < 1:
        raise ValueError("per_page must be positive")
    conditions = _listed(edition)
    if category_id is not None:
        conditions.append(Dossier.category_id == category_id)
    if status is not None:
        wanted = DossierStatus(status)
        if wanted is DossierStatus.DRAFT:
            raise ValueError("drafts are private to their candidate")
        conditions.append(Dossier.status == wanted)
    matches = _search_condition(search)
    if matches is not None:
        conditions.append(matches)

    total = db.session.scalar(select(func.count()).select_from(Dossier).where(*conditions)) or 0
    pages = ceil(total / per_page) if total else 0
    page = min(max(page, 1), max(pages, 1))
    stmt = (
        select(Dossier)
        .join(Dossier.category)
        .where(*conditions)
        .options(contains_eager(Dossier.category), selectinload(Dossier.founders))
        .order_by(*_order_by(sort, descending))
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    items = list(db.session.scalars(stmt))
    return DossierPage(items=items, total=total, page=page, per_page=per_page)


def counts(edition: Edition) -> DossierCounts:
    """Non-draft dossiers by category and by status, their total, and drafts in progress.

    Two grouped queries. Statuses and categories without dossiers are absent (read with .get).
    """
    by_status: dict[str, int] = {
        str(status): n
        for status, n in db.session.execute(
            select(Dossier.status, func.count())
            .where(Dossier.edition_id == edition.id)
            .group_by(Dossier.status)
        )
    }
    drafts = by_status.pop(DossierStatus.DRAFT.value, 0)
    by_category: dict[int, int] = dict(db.session.execute(
        select(Dossier.category_id, func.count())
        .where(*_listed(edition))
        .group_by(Dossier.category_id)
    ).all())
    return {"by_category": by_category, "by_status": by_status,
            "total": sum(by_status.values()), "drafts": drafts}


def get_dossier(edition: Edition, reference: str, *, content: bool = True) -> Dossier | None:
    """The edition's non-draft dossier with this reference, or None (another edition's too).

    Category, founders, answers with their questions and attachments come loaded, unless
    `content` is False (a score sheet being saved needs only the dossier's row).
    """
    query = select(Dossier).where(Dossier.edition_id == edition.id,
                                  Dossier.reference == reference,
                                  Dossier.status != DossierStatus.DRAFT)
    if content:
        query = query.options(
            joinedload(Dossier.category),
            selectinload(Dossier.founders),
            selectinload(Dossier.answers).joinedload(Answer.question),
            selectinload(Dossier.attachments),
        )
    return db.session.scalar(query)


def questions_of(edition: Edition) -> list[Question]:
    """The edition's application questions in form order (one query)."""
    return list(db.session.scalars(
        select(Question).where(Question.edition_id == edition.id)
        .order_by(Question.position, Question.id)
    ))


def choice_label(question: Question, code: str, language: str) -> str:
    """A choice shown by its label in `language` (French as fallback, the code if unknown)."""
    for choice in question.choices or ():
        if isinstance(choice, dict) and choice.get("value") == code:
            return str(choice.get(f"label_{language}") or choice.get("label_fr") or code)
    return code


def display_values(question: Question, value: str, files: list[Attachment],
                   language: str) -> list[str]:
    """An answer as the texts a reader sees: choice labels (several for a multiple choice,
    stored comma-separated), Yes/No in the current locale, file names, or the text itself.
    An empty list means "not answered".
    """
    kind = QuestionKind(question.kind)
    if kind is QuestionKind.FILE:
        return [a.original_name for a in files]
    value = (value or "").strip()
    if not value:
        return []
    if kind is QuestionKind.SINGLE_CHOICE:
        return [choice_label(question, value, language)]
    if kind is QuestionKind.MULTIPLE_CHOICE:
        return [choice_label(question, code.strip(), language)
                for code in value.split(",") if code.strip()]
    if kind is QuestionKind.YES_NO:
        return [{"yes": _("Yes"), "no": _("No")}.get(value.lower(), value)]
    return [value]


@dataclass(frozen=True)
class AnswerLine:
    """One question of the form with the dossier's answer, ready to show."""

    question: Question
    label: str
    values: list[str]
    files: list[Attachment] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return str(self.question.kind)


def answer_lines(dossier: Dossier, questions: list[Question], *,
                 language: str) -> list[AnswerLine]:
    """Every question in form order with the dossier's answer (unanswered ones included).

    Uses what `get_dossier` loaded: no query.
    """
    answers = {a.question_id: a.value for a in dossier.answers}
    files: dict[int | None, list[Attachment]] = {}
    for attachment in dossier.attachments:
        files.setdefault(attachment.question_id, []).append(attachment)
    return [
        AnswerLine(
            question=q,
            label=q.localized("label", language),
            values=display_values(q, answers.get(q.id, ""), files.get(q.id, []), language),
            files=files.get(q.id, []) if q.kind == QuestionKind.FILE else [],
        )
        for q in questions
    ]
