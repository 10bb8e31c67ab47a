"""All stages: text folded for comparison and search; standard library only."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lowercase, accents and ligatures removed, blanks collapsed: "Élodie  ŒUVRE" -> "elodie
    oeuvre". Used on both sides of a search so it ignores case and accents on every database."""
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())
