"""HTML from our own templates to PDF: the only module that imports WeasyPrint.

Every document is tagged PDF/UA-1 (structure tree, title and language from the HTML's
<title> and lang), A4 (static/css/pdf.css), set in the Inter font shipped in static/fonts.

The URL fetcher serves files under static/ and inline images (data: URIs of PNG, JPEG or SVG,
used for logos we have sniffed ourselves); every other URL (http, https, ftp, file outside
static/, …) is refused and recorded, and nothing is fetched. Candidate text reaches the HTML
through Jinja's autoescape only, so a company named `<img src="file:///etc/passwd">` prints as
text.
"""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import mimetypes
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pypdf import PdfReader, PdfWriter

# WeasyPrint reports each step and page laid out on this logger at INFO (some already while it
# is imported). It stays out of the application's log; services.document_jobs listens to it for
# a job's progress.
PROGRESS = logging.getLogger("weasyprint.progress")
PROGRESS.setLevel(logging.INFO)
PROGRESS.propagate = False

from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

STATIC = Path(__file__).resolve().parent.parent / "static"
BASE_URL = STATIC.as_uri() + "/"
VARIANT = "pdf/ua-1"
DATA_TYPES = frozenset({"image/png", "image/jpeg", "image/svg+xml"})

# gc.disable() is process-wide: renders in several threads share one counter of paused renders.
_gc_lock = threading.Lock()
_gc_paused = 0
_gc_was_enabled = False


class StaticOnlyFetcher(URLFetcher):
    """Serves static/ and inline images; refuses and records everything else."""

    def __init__(self, root: Path = STATIC) -> None:
        super().__init__(timeout=1, allowed_protocols={"file", "data"}, allow_redirects=False)
        self.root = root.resolve()
        self.requested: list[str] = []
        self.refused: list[str] = []

    def _static_file(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        return path

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        self.requested.append(url)
        scheme = url.split(":", 1)[0].strip().lower()
        if scheme == "data":
            media = url[5:].split(",", 1)[0].split(";", 1)[0].strip().lower()
            if media in DATA_TYPES:
                return super().fetch(url, headers)
        elif (path := self._static_file(url)) is not None:
            media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": media})
        self.refused.append(url)
        raise ValueError(f"refused by the static-only fetcher: {url[:200]}")


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    requested: tuple[str, ...]
    refused: tuple[str, ...]


class _PausedGC:
    """Python's cyclic collector paused during a render (design.md §6: 20-29 % faster)."""

    def __enter__(self) -> None:
        global _gc_paused, _gc_was_enabled
        with _gc_lock:
            if _gc_paused == 0:
                _gc_was_enabled = gc.isenabled()
                gc.disable()
            _gc_paused += 1

    def __exit__(self, *exc: object) -> None:
        global _gc_paused
        with _gc_lock:
            _gc_paused -= 1
            if _gc_paused == 0 and _gc_was_enabled:
                gc.enable()


def render(html: str, *, appendices: Sequence[tuple[str, bytes]] = (),
           fetcher: StaticOnlyFetcher | None = None) -> Rendered:
    """The PDF of `html` (a whole document from templates/pdf/), then each appendix's pages
    (title, PDF bytes) with a bookmark of that title."""
    fetcher = fetcher or StaticOnlyFetcher()
    # gc.disable() holds for every thread: only a render on the main thread (the CLI, a
    # single-threaded worker) pauses the collector; a background job's thread does not.
    paused = _PausedGC() if threading.current_thread() is threading.main_thread() \
        else contextlib.nullcontext()
    with paused:
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
            pdf_variant=VARIANT)
        pages = len(document.pages)
        data = document.write_pdf(pdf_variant=VARIANT)
    if appendices:
        data, pages = _append(data, appendices)
    return Rendered(data, pages, tuple(fetcher.requested), tuple(fetcher.refused))


def _append(data: bytes, appendices: Sequence[tuple[str, bytes]]) -> tuple[bytes, int]:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for title, pdf in appendices:
        writer.append(PdfReader(io.BytesIO(pdf)), outline_item=title)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)
