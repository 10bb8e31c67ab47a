"""Web layer: the juror's area (assigned dossiers per edition)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from trophies.domain.vocabulary import Role
from trophies.services import dashboard

bp = Blueprint("jury", __name__)


@bp.get("/")
@login_required
def assignments():
    boards = [b for b in dashboard.dashboard_for(current_user) if Role.JUROR in b.roles]
    return render_template("jury/assignments.html", boards=boards)
