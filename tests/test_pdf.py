"""trophies.pdf: WeasyPrint behind a fetcher that serves static/ only; PDF/UA-1; appendices."""

from __future__ import annotations

import gc
import io

import pytest
from pypdf import PdfReader, PdfWriter

from tests.pdf_support import pdf_info, pdf_tools, require_pdf_tools, words  # noqa: F401

require_pdf_tools(module_level=True)

from trophies import pdf  # noqa: E402 - WeasyPrint needs Pango: checked just above

STYLE = '<link rel="stylesheet" href="css/pdf.css">'


def page(body: str, *, title: str = "Essai", lang: str = "fr", head: str = STYLE) -> str:
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{title}</title>{head}</head><body>{body}</body></html>")


def blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    f"{pdf.STATIC.as_uri()}/../pyproject.toml",
    f"{pdf.STATIC.as_uri()}/css/../../trophies/config.py",
    "file://evil.example/static/css/pdf.css",
    "http://127.0.0.1:9/x.png",
    "https://example.com/logo.png",
    "ftp://example.com/x",
    "data:text/html,<script>alert(1)</script>",
    "javascript:alert(1)",
])
def test_the_fetcher_refuses_anything_but_our_static_files(url):
    fetcher = pdf.StaticOnlyFetcher()
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_fetcher_serves_static_files_and_sniffed_inline_images():
    fetcher = pdf.StaticOnlyFetcher()
    css = fetcher.fetch(f"{pdf.STATIC.as_uri()}/css/pdf.css")
    assert b"@page" in css.read()
    assert css.content_type == "text/css"
    image = fetcher.fetch("data:image/png;base64,iVBORw0KGgo=")
    assert image.read() == b"\x89PNG\r\n\x1a\n"
    assert fetcher.refused == []


def test_raw_html_pointing_outside_is_not_fetched(pdf_tools):  # noqa: F811
    """Even HTML that escaped our templates' autoescape fetches nothing outside static/."""
    hostile = ('<img src="file:///etc/passwd" alt="x"><img src="http://127.0.0.1:9/a.png" alt="">'
               '<link rel="stylesheet" href="https://example.com/a.css">'
               '<p style="background: url(file:///etc/hostname)">Bonjour</p>')
    rendered = pdf.render(page(hostile, head=STYLE + '<link rel="stylesheet" '
                               'href="http://127.0.0.1:9/b.css">'))
    assert set(rendered.refused) == {"file:///etc/passwd", "http://127.0.0.1:9/a.png",
                                     "https://example.com/a.css", "http://127.0.0.1:9/b.css",
                                     "file:///etc/hostname"}
    assert all(u.startswith((pdf.STATIC.as_uri() + "/", "data:")) or u in rendered.refused
               for u in rendered.requested)
    assert "root:" not in words(rendered.pdf)


def test_a_document_is_tagged_a4_with_its_title_language_and_embedded_inter(pdf_tools):  # noqa: F811
    rendered = pdf.render(page("<h1>Palmarès</h1><p>« Équité » : ça marche !</p>",
                               title="Palmarès 2025", lang="fr"))
    info = pdf_info(rendered.pdf)
    assert info["Title"] == "Palmarès 2025"
    assert info["Tagged"] == "yes"
    assert info["Page size"].startswith("595.276 x 841.89")
    reader = PdfReader(io.BytesIO(rendered.pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr"
    assert "/StructTreeRoot" in root
    assert b"pdfuaid:part=\"1\"" in reader.xmp_metadata.stream.get_data()
    fonts = {str(font.get_object()["/BaseFont"]) for p in reader.pages
             for font in p["/Resources"]["/Font"].values()}
    assert fonts and all("Inter" in f for f in fonts), fonts
    assert "« Équité » : ça marche !" in words(rendered.pdf)
    assert rendered.refused == ()


def test_appendices_follow_the_html_pages_with_a_bookmark_each(pdf_tools):  # noqa: F811
    rendered = pdf.render(page("<p>Dossier</p>"),
                          appendices=[("ES-1 — deck.pdf", blank_pdf(2)),
                                      ("ES-2 — plan.pdf", blank_pdf(1))])
    assert rendered.pages == 4 == pdf.page_count(rendered.pdf)
    outline = [item.title for item in PdfReader(io.BytesIO(rendered.pdf)).outline
               if not isinstance(item, list)]
    assert "ES-1 — deck.pdf" in outline and "ES-2 — plan.pdf" in outline


def test_the_garbage_collector_is_paused_during_a_render_and_restored_after(monkeypatch):
    seen = []
    real = pdf.HTML

    class Spy(real):
        def render(self, *args, **kwargs):
            seen.append(gc.isenabled())
            return super().render(*args, **kwargs)

    monkeypatch.setattr(pdf, "HTML", Spy)
    assert gc.isenabled()
    pdf.render(page("<p>x</p>"))
    assert seen == [False]
    assert gc.isenabled()

    class Broken(real):
        def render(self, *args, **kwargs):
            raise RuntimeError("layout failed")

    monkeypatch.setattr(pdf, "HTML", Broken)
    with pytest.raises(RuntimeError):
        pdf.render(page("<p>x</p>"))
    assert gc.isenabled()
