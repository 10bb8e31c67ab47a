"""Web layer: the candidate's area (their dossiers)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trophies.models import Dossier, db

bp = Blueprint("candidate", __name__)


@bp.get("/")
@login_required
def dossiers():
    items = db.session.scalars(
        select(Dossier).where(Dossier.candidate_id == current_user.id)
        .options(selectinload(Dossier.edition), selectinload(Dossier.category))
        .order_by(Dossier.created_at.desc())
    ).all()
    return render_template("candidate/dossiers.html", dossiers=items)
