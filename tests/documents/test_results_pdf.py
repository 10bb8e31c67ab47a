"""The confidential results report as a PDF, read the way a person reads it (pdftotext, PNG
pages): every score equals the one `flask trophies results --json` computes, names and criteria
are there, the cover says which snapshot it shows (digest) or that nothing is frozen, the
footer numbers every page, French and English print numbers their own way, a hostile company
name prints as text and fetches nothing, and there is no report without a submitted sheet."""

from __future__ import annotations

import json
import re
from fractions import Fraction

import pytest

from tests.pdf_support import pdf_info, pdf_text, pdf_tools, render_pages, words  # noqa: F401
from tests.services.test_deliberation import decide, tamper_mark
from tests.services.test_results_service import JUROR_NAMES, build_jury, ranked
from trophies import documents, pdf
from trophies.documents import results
from trophies.domain.scoring import display_score
from trophies.models import db
from trophies.services import deliberation
from trophies.web import charts

HOSTILE_COMPANY = '<img src="file:///etc/passwd">'
HOSTILE_PROJECT = "<script>alert('x')</script> Télésuivi"


def produce(doc: documents.Doc) -> tuple[bytes, pdf.Rendered]:
    rendered = documents.produce(doc)
    return rendered.pdf, rendered


def payload(runner, slug: str) -> dict:
    answer = runner.invoke(args=["trophies", "results", slug, "--json"])
    assert answer.exit_code == 0, answer.output
    return json.loads(answer.stdout)


def shown(score: str, separator: str) -> str:
    """The payload's exact "p/q" as the report prints it (domain.scoring.display_score)."""
    return str(display_score(Fraction(score))).replace(".", separator)


def row_scores(data: bytes, reference: str) -> list[str]:
    """The numbers with one decimal on the table line of `reference` (score first)."""
    for line in pdf_text(data, layout=True).splitlines():
        if re.search(rf"\b{re.escape(reference)}\b", line) and re.match(r"\s*\d+\s", line):
            return re.findall(r"(?<![\d.,])\d{1,3}[.,]\d(?![\d.,])", line)
    raise AssertionError(f"no table line for {reference}")


def page_texts(data: bytes) -> list[str]:
    pages = int(pdf_info(data)["Pages"])
    return [re.sub(r"\s+", " ", pdf_text(data, first=n, last=n)) for n in range(1, pages + 1)]


@pytest.mark.usefixtures("pdf_tools")
def test_every_score_printed_is_the_one_of_results_json_with_names_and_criteria(runner):
    w = ranked()
    decide(w)
    edition = w.jury.edition
    computed = payload(runner, edition.slug)
    doc = results.build(edition, "en")
    data, rendered = produce(doc)

    assert doc.kind == "results" and doc.confidential and doc.lang == "en"
    assert doc.filename == f"results-{edition.slug}-round-1.pdf"
    assert doc.rows == 3 * 6 + 3 + 2      # dossiers (three units each), jurors, criteria
    dossiers = computed["payload"]["dossiers"]
    assert len(dossiers) == 6
    for item in dossiers:
        assert row_scores(data, item["reference"])[0] == shown(item["score"], "."), item
    text = words(data)
    for dossier in (w.e1, w.e2, w.e3, w.e4, w.s1, w.s2):
        assert dossier.company_name in text and dossier.project_title in text
    for name in ("Impact", "Team", *JUROR_NAMES[:3]):
        assert name in text
    assert "56.7" in text and "56,7" not in text        # e3: 170/3
    assert "Not frozen" in text and "Snapshot digest" not in text
    assert "Laureate" in text and "Runner-up" in text and "Coup de cœur" in text

    info = pdf_info(data)
    assert info["Title"] == f"Results report — {edition.name_en}"
    assert info["Tagged"] == "yes" and "(A4)" in info["Page size"]
    pages = page_texts(data)
    assert len(pages) == rendered.pages == int(info["Pages"]) >= 5
    assert "page 1 /" not in pages[0]                   # the cover has no footer
    for number, page_text in enumerate(pages[1:], start=2):
        assert f"page {number} / {len(pages)}" in page_text, number
        assert "Results report — " in page_text
    assert len(render_pages(data, "results-small")) == len(pages)


@pytest.mark.usefixtures("app", "pdf_tools")
def test_the_french_report_speaks_french_and_writes_french_numbers():
    w = ranked()
    data, _rendered = produce(results.build(w.jury.edition, "fr"))
    text = words(data)
    assert "56,7" in text and "93,3" in text and "56.7" not in text
    for french in ("Candidature", "Pondération", "Indicatif", "Grilles d’évaluation remises",
                   "Jurés", "Équipe"):
        assert french in text, french
    assert "Standard deviation" not in text
    assert pdf_info(data)["Tagged"] == "yes"


@pytest.mark.usefixtures("pdf_tools")
def test_once_frozen_the_cover_and_every_footer_print_the_snapshots_digest(runner):
    w = ranked()
    decide(w)
    edition = w.jury.edition
    snapshot = deliberation.freeze(edition, actor=w.jury.organizer)
    db.session.commit()
    assert payload(runner, edition.slug)["frozen"]["digest"] == snapshot.digest

    doc = results.build(edition, "en")
    data, _rendered = produce(doc)
    assert doc.meta["digest"] == snapshot.digest and doc.meta["frozen"]
    pages = page_texts(data)
    assert "Not frozen" not in " ".join(pages)
    assert "snapshot no. 1" in pages[0]
    for page_text in pages:  # a digest may wrap: compare without spaces
        assert snapshot.digest in page_text.replace(" ", "")
    assert "no longer give its digest" not in pages[0]

    tamper_mark(w.jury, w.e3, 5)
    text = words(produce(results.build(edition, "en"))[0])
    assert "no longer give its digest" in text and snapshot.digest in text.replace(" ", "")


@pytest.mark.usefixtures("app", "pdf_tools")
def test_a_hostile_company_name_prints_as_text_and_nothing_outside_static_is_fetched():
    w = ranked()
    hostile = w.jury.dossier(project=HOSTILE_PROJECT)
    hostile.company_name = HOSTILE_COMPANY
    w.jury.scored(hostile, (4, 4), (3, 3), (4, 5))
    db.session.commit()
    doc = results.build(w.jury.edition, "en")
    assert HOSTILE_COMPANY not in doc.html                # escaped in the HTML
    data, rendered = produce(doc)
    text = words(data)
    assert HOSTILE_COMPANY in text and "<script>alert('x')</script>" in text
    assert rendered.refused == ()
    static = pdf.STATIC.as_uri() + "/"
    assert rendered.requested and all(url.startswith((static, "data:"))
                                      for url in rendered.requested)


@pytest.mark.usefixtures("app")
def test_there_is_no_report_without_a_submitted_sheet_or_for_an_unknown_round():
    jury = build_jury()
    dossier = jury.dossier()
    jury.sheet(dossier, jury.jurors[0], 3, 4, status=None)      # assigned, nothing submitted
    db.session.commit()
    with pytest.raises(documents.DocumentUnavailable) as refused:
        results.build(jury.edition, "fr")
    assert refused.value.reason == "no_results"
    jury.sheet(dossier, jury.jurors[1], 3, 4)
    db.session.commit()
    assert results.build(jury.edition, "fr").meta["sheets"] == 1
    with pytest.raises(documents.DocumentUnavailable) as refused:
        results.build(jury.edition, "fr", round_number=7)
    assert refused.value.reason == "unknown_round"


@pytest.mark.usefixtures("app")
def test_a_chart_is_never_taller_than_its_page_and_big_ones_get_a_page_of_their_own():
    def chart(n: int):
        points = [charts.Point(f"R-{i:04d}", 40 + i % 50) for i in range(n)]
        return charts.distribution(points, title="t", description="d", id_prefix="c")

    small, tall, histogram = chart(4), chart(40), chart(125)
    assert results.chart_layout(small) == (110, False)
    width, own_page = results.chart_layout(tall)
    assert own_page and 60 <= width <= 110
    for markup in (small, tall, histogram):
        width, own_page = results.chart_layout(markup)
        w, h = map(float, re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', markup).groups())
        limit = results.TALL_CHART[1] if own_page else results.WIDE_CHART[1]
        assert width * h / w <= limit
    assert 'font-family="Inter, sans-serif"' in documents.in_our_font(small)
