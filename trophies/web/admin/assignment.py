"""Web layer: organizers' assignment pages (issue 4, in progress)."""

from __future__ import annotations

from trophies.web.admin.views import bp  # noqa: F401
