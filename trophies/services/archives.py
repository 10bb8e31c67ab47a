"""Eligibility stage: every file of an edition's applications in one ZIP, organised by category
and application; written to a temporary file (never held in memory)."""

from __future__ import annotations

import tempfile
import zipfile
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trophies.domain.filetypes import safe_filename
from trophies.domain.vocabulary import DossierStatus
from trophies.models import Dossier, Edition, User
from trophies.models import db as _db
from trophies.services import audit, files


def _folder(text: str) -> str:
    return safe_filename(text.replace("/", "-"), default="sans-nom").rstrip(". ")[:80]


def files_archive(edition: Edition, *, language: str, actor: User | None) -> tuple[IO[bytes], int]:
    """A temporary file holding the ZIP (position 0) and the number of files in it.

    Layout: "<category>/<reference> - <company>/<file name>"; drafts are left out. PDFs and
    images are already compressed, so entries are stored, not deflated. Audited as a
    confidential export.
    """
    dossiers = _db.session.scalars(
        select(Dossier).where(Dossier.edition_id == edition.id,
                              Dossier.status != DossierStatus.DRAFT)
        .options(selectinload(Dossier.attachments), selectinload(Dossier.category))
        .order_by(Dossier.reference)).all()
    archive = tempfile.TemporaryFile()  # noqa: SIM115  (returned open; send_file closes it)
    count = 0
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as zipped:
        for dossier in dossiers:
            folder = (f"{_folder(dossier.category.localized('name', language))}/"
                      f"{_folder(f'{dossier.reference} - {dossier.company_name}')}")
            used: set[str] = set()
            for attachment in dossier.attachments:
                name = safe_filename(attachment.original_name)
                if name in used:
                    name = f"{attachment.id}-{name}"
                used.add(name)
                zipped.write(files.path_of(attachment), f"{folder}/{name}")
                count += 1
    archive.seek(0)
    audit.record("files.exported", actor=actor, edition=edition, obj=edition, files=count)
    return archive, count
