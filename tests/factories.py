"""Plain factory functions: they add rows and flush, never commit."""

from __future__ import annotations

import itertools
from datetime import timedelta

from trophies.domain.vocabulary import DossierStatus, Language, Phase, Role
from trophies.models import (
    Category,
    Criterion,
    Dossier,
    Edition,
    JurorProfile,
    Membership,
    Round,
    User,
    db,
    utcnow,
)
from trophies.services.accounts import hasher

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


def make_user(email: str | None = None, *, password: str | None = PASSWORD, verified=True,
              language=Language.FR, is_admin=False, full_name: str | None = None) -> User:
    n = next(_seq)
    user = User(email=(email or f"user{n}@example.org").lower(),
                full_name=full_name or f"Utilisatrice {n}", language=language, is_admin=is_admin,
                email_verified_at=utcnow() if verified else None)
    if password is not None:
        user.password_hash = hasher().hash(password)
    db.session.add(user)
    db.session.flush()
    return user


def make_edition(slug: str | None = None, *, phase=Phase.OPEN, categories=("Équité",)) -> Edition:
    n = next(_seq)
    now = utcnow()
    edition = Edition(slug=slug or f"edition-{n}", name_fr=f"Trophées {n}",
                      name_en=f"Trophies {n}", description_fr="Description.",
                      description_en="Description.", phase=phase,
                      call_opens_at=now - timedelta(days=10),
                      call_closes_at=now + timedelta(days=20))
    db.session.add(edition)
    db.session.flush()
    for position, name in enumerate(categories):
        db.session.add(Category(edition_id=edition.id, position=position, name_fr=name,
                                name_en=name))
    round_ = Round(edition_id=edition.id, number=1, name_fr="Pré-sélection",
                   name_en="Pre-selection", jurors_per_dossier=3)
    db.session.add(round_)
    db.session.flush()
    db.session.add(Criterion(round_id=round_.id, position=0, key="impact", name_fr="Impact",
                             name_en="Impact", weight=2, scale_min=0, scale_max=5, scale_step=1))
    db.session.flush()
    return edition


def add_role(user: User, edition: Edition, role: Role, organisation: str = "") -> Membership:
    membership = Membership(user_id=user.id, edition_id=edition.id, role=role)
    db.session.add(membership)
    if role is Role.JUROR:
        db.session.add(JurorProfile(edition_id=edition.id, user_id=user.id,
                                    organisation=organisation, accepted_at=utcnow()))
    db.session.flush()
    return membership


def make_dossier(edition: Edition, candidate: User, *, status=DossierStatus.SUBMITTED) -> Dossier:
    n = next(_seq)
    dossier = Dossier(edition_id=edition.id, category_id=edition.categories[0].id,
                      candidate_id=candidate.id, reference=f"T-{n:05d}",
                      company_name=f"Start-up {n}", project_title=f"Projet {n}", status=status,
                      submitted_at=None if status == DossierStatus.DRAFT else utcnow())
    db.session.add(dossier)
    db.session.flush()
    return dossier
