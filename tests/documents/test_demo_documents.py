"""Every document of the demo competition, made by the CLI as an operator would, read back
with pdftotext and rendered page by page with pdftoppm (tests/pdf-pages/demo-*.png) so that a
person can look at every page."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.conftest import _truncate_all, make_app
from tests.pdf_support import (  # noqa: F401
    embedded_fonts,
    pdf_info,
    pdf_tools,
    render_pages,
    words,
)
from trophies.domain.vocabulary import DossierStatus
from trophies.models import AuditEvent, Dossier, Edition, db

PUBLISHED = "trophees-esante-2025"
JUDGING = "trophees-esante-2026"
JUROR = "claire.morvan@chu-nantes.example"
LAUREATE = "ES25-0001"  # Santé Commune, laureate in 2025


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory, pg_database):
    app = make_app(tmp_path_factory.mktemp("demo-documents"), pg_database)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["trophies", "demo"])
        assert result.exit_code == 0, result.output
        db.session.remove()
    yield app
    if pg_database:
        _truncate_all(app)
    else:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def make_pdf(demo_app, tmp_path, pdf_tools):  # noqa: F811
    def make(slug: str, kind: str, *extra: str) -> bytes:
        target = tmp_path / f"{kind}.pdf"
        with demo_app.app_context():
            result = demo_app.test_cli_runner().invoke(
                args=["trophies", "pdf", slug, "--doc", kind, *extra, "-o", str(target)])
            db.session.remove()
        assert result.exit_code == 0, result.output
        assert "pages" in result.output
        return target.read_bytes()

    return make


def _check(data: bytes, name: str, title_word: str, *, landscape: bool = False) -> str:
    info = pdf_info(data)
    assert info["Tagged"] == "yes"
    assert title_word.lower() in info["Title"].lower(), info["Title"]
    size = info["Page size"]
    assert size.startswith("841.89 x 595.276" if landscape else "595.276 x 841.89"), size
    assert embedded_fonts(data) <= {"Inter", "Inter-Bold", "Inter-Semi-Bold", "Inter-Italic"}, \
        "only the Inter shipped in static/fonts (no system font)"
    pngs = render_pages(data, f"demo-{name}")
    assert len(pngs) == int(info["Pages"])
    return words(data)


def test_the_results_report_of_the_demo_shows_the_frozen_scores(demo_app, make_pdf):
    text = _check(make_pdf(PUBLISHED, "results"), "results", "résultats")
    with demo_app.app_context():
        out = demo_app.test_cli_runner().invoke(args=["trophies", "results", PUBLISHED,
                                                      "--json"])
        payload = json.loads(out.output)
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "document.generated")).all()
        db.session.remove()
    assert payload["frozen"]["digest"] in text
    for item in payload["payload"]["dossiers"]:
        assert item["reference"] in text
    assert any(e.data.get("kind") == "results" for e in events), "confidential: audited"


def test_the_minutes_palmares_and_certificates_of_the_demo(make_pdf):
    minutes = _check(make_pdf(PUBLISHED, "minutes"), "minutes", "procès-verbal")
    assert "Santé Commune" in minutes
    palmares = _check(make_pdf(PUBLISHED, "palmares"), "palmares", "palmarès")
    assert "Santé Commune" in palmares
    english = _check(make_pdf(PUBLISHED, "palmares", "--lang", "en"), "palmares-en",
                     "winners")
    assert "Santé Commune" in english
    certificates = _check(make_pdf(PUBLISHED, "certificates"), "certificates", "",
                          landscape=True)
    assert "Santé Commune" in certificates


def test_the_feedback_and_receipt_of_a_laureate(make_pdf):
    feedback = _check(make_pdf(PUBLISHED, "feedback", "--for", LAUREATE), "feedback", "")
    assert LAUREATE in feedback or "Santé Commune" in feedback
    receipt = _check(make_pdf(PUBLISHED, "receipt", "--for", LAUREATE), "receipt", "")
    assert LAUREATE in receipt


def test_a_jurors_book_holds_their_dossiers_and_appended_files(demo_app, make_pdf):
    data = make_pdf(JUDGING, "book", "--for", JUROR)
    text = _check(data, "book", "")
    assert "Claire Morvan" in text


def test_every_receipt_at_once_one_file_per_submitted_dossier(demo_app, tmp_path, pdf_tools):  # noqa: F811
    target = tmp_path / "receipts"
    with demo_app.app_context():
        result = demo_app.test_cli_runner().invoke(
            args=["trophies", "pdf", PUBLISHED, "--doc", "receipt", "-o", str(target)])
        edition = db.session.scalar(select(Edition).where(Edition.slug == PUBLISHED))
        submitted = db.session.scalars(select(Dossier.reference).where(
            Dossier.edition_id == edition.id, Dossier.submitted_at.is_not(None),
            Dossier.status.not_in([DossierStatus.DRAFT, DossierStatus.WITHDRAWN]))).all()
        db.session.remove()
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in target.glob("*.pdf"))
    assert files == sorted(f"receipt-{ref}.pdf" for ref in submitted)
    assert f"{len(submitted)} files" in result.output


def test_an_unknown_subject_is_a_clear_error(make_pdf, demo_app, tmp_path):
    with demo_app.app_context():
        result = demo_app.test_cli_runner().invoke(
            args=["trophies", "pdf", PUBLISHED, "--doc", "feedback", "--for", "NOPE-1",
                  "-o", str(tmp_path / "x.pdf")])
        db.session.remove()
    assert result.exit_code == 1
    assert "Aucun dossier de cette référence" in result.output  # the default locale: French
    assert not (tmp_path / "x.pdf").exists()
