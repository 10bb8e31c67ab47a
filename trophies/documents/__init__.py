"""PDF documents of a competition, built from our templates (templates/pdf/) and rendered by
trophies.pdf.

A builder gathers what a document shows through the services, renders its template in the
document's language (flask_babel.force_locale: translations, dates and numbers of that
locale) and returns a Doc; `produce` turns a Doc into PDF bytes. Builders never check who asks:
the web views and the CLI do (see trophies/web/documents.py).

Kinds: results, minutes, palmares, certificates, feedback, book, receipt.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from flask import current_app, render_template
from flask_babel import force_locale
from markupsafe import Markup

from trophies.models import Edition

if TYPE_CHECKING:
    from trophies import pdf

KINDS = ("results", "minutes", "palmares", "certificates", "feedback", "book", "receipt")
# Only organizers see these; every download of one is audited.
CONFIDENTIAL = frozenset({"results", "minutes", "book"})
#: Confidential too until the edition is published (Doc.meta["published"]).
VERDICT = frozenset({"palmares", "certificates"})
#: Table rows or sections per page, for estimates (services.document_jobs' progress too).
ROWS_PER_PAGE = 30


class DocumentUnavailable(Exception):  # noqa: N818 - a refusal, not a failure
    """The document does not exist (yet) for this subject: not published, no results, feedback
    disabled, not submitted… `reason` is a short code; `message` is for people."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Doc:
    kind: str
    filename: str  # ASCII, e.g. "resultats-trophees-esante-2025.pdf"
    title: str
    lang: str
    html: str
    appendices: tuple[tuple[str, bytes], ...] = ()
    rows: int = 0  # table rows and sections, to estimate the render time
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def confidential(self) -> bool:
        """Audited when downloaded: the results, the minutes, the books, and the verdict's
        documents (palmarès, certificates) as long as it is not published."""
        return self.kind in CONFIDENTIAL or (
            self.kind in VERDICT and not self.meta.get("published", False))

    @property
    def estimated_pages(self) -> int:
        """About how long the PDF will be: our pages (ROWS_PER_PAGE rows each) and the
        appended files' own pages."""
        import io

        from pypdf import PdfReader

        appended = sum(len(PdfReader(io.BytesIO(data)).pages) for _, data in self.appendices)
        return max(1, -(-self.rows // ROWS_PER_PAGE)) + appended


def language_of(edition: Edition, lang: str | None) -> str:
    """The language asked for if we have it, else the edition's."""
    languages = current_app.config["LANGUAGES"]
    if lang in languages:
        return str(lang)
    return str(getattr(edition.language, "value", edition.language) or "fr")


@contextmanager
def in_language(lang: str) -> Iterator[None]:
    with force_locale(lang):
        yield


def render_html(template: str, *, edition: Edition, lang: str, title: str,
                digest: str | None = None, now: datetime | None = None, **context: Any) -> str:
    """A templates/pdf/ template, in `lang` (call inside `in_language(lang)`), with what
    pdf/base.html needs: title and language metadata, the footer (title, generation date in
    the edition's time zone, snapshot digest) and the translated word "page"."""
    return render_template(
        template, doc_lang=lang, doc_title=title, edition=edition, digest=digest,
        doc_author=current_app.config["PLATFORM_NAME"], edition_zone=edition.timezone,
        generated_at=now or datetime.now(UTC), **context)


def produce(doc: Doc, fetcher: pdf.StaticOnlyFetcher | None = None) -> pdf.Rendered:
    """The PDF of `doc` (WeasyPrint is imported here, on first use, not when the app starts)."""
    from trophies import pdf

    return pdf.render(doc.html, appendices=doc.appendices, fetcher=fetcher)


def in_our_font(chart: Markup) -> Markup:
    """A chart of trophies.web.charts with its text set in Inter (static/fonts, declared by
    pdf.css) rather than the system's sans-serif, which WeasyPrint would embed from the system:
    only the root's attribute, which charts.py writes itself (text from people is escaped
    there, so it cannot hold this attribute's quotes)."""
    return Markup(str(chart).replace(' font-family="sans-serif"',  # noqa: S704 - our markup
                                     ' font-family="Inter, sans-serif"', 1))


def slug_filename(*parts: str) -> str:
    """An ASCII file name: ("Résultats", "trophees-2025") -> "resultats-trophees-2025.pdf"."""
    text = "-".join(p for p in parts if p)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return f"{text[:120] or 'document'}.pdf"
