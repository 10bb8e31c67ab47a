"""Trophies: the application factory; everything else is registered from here."""

from __future__ import annotations

from typing import Any


def create_app(config: dict[str, Any] | None = None, *, instance_path: str | None = None):
    """Build a configured Flask application.

    `config` overrides every other source (tests pass their database and flags here);
    `instance_path` overrides TROPHIES_INSTANCE_PATH and the ./instance default.
    """
    from trophies.app import build_app

    return build_app(config, instance_path=instance_path)
