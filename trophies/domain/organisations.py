"""Jury stage: organisation names compared the same way everywhere; standard library only."""

from __future__ import annotations

import re
import unicodedata

#: Legal forms and filler words that do not distinguish two organisations.
NOISE = frozenset({
    "sa", "sas", "sasu", "sarl", "scic", "eurl", "gie", "inc", "ltd", "gmbh", "bv", "the", "le",
    "la", "les", "l", "de", "du", "des", "d", "et", "and", "of",
})


def normalise_organisation(name: str) -> str:
    """Fold accents, case, punctuation and legal forms: "CHU de Nantes" == "chu  NANTES"."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    folded = folded.replace(".", "")  # "S.A.S." is "SAS"
    words = [w for w in re.split(r"[^a-z0-9]+", folded) if w and w not in NOISE]
    return " ".join(words)
