"""The dossier documents read back as a person would: the submission receipt (every answer, the
submission date in the edition's time zone and locale, the dossier digest and what changes
it), the candidate's feedback (the service's numbers as the web shows them, never a juror's
name), the juror's book (exactly their readable assignments, answers, the attached PDF
appended with its bookmark, blind editions) and the reasons each document may not exist;
hostile names print as text and nothing outside static/ is fetched."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from tests.factories import make_user
from tests.helpers import fr
from tests.pdf_support import pdf_info, pdf_text, pdf_tools, render_pages, words  # noqa: F401
from tests.services.test_dossiers import add_dossier, add_questions
from tests.services.test_palmares_service import feedback_world
from tests.services.test_results_service import JUROR_NAMES, build_jury, conflict
from trophies import documents, pdf
from trophies.documents import book, feedback, receipt
from trophies.domain.vocabulary import DossierStatus, Phase, SheetStatus
from trophies.models import Answer, Attachment, Founder, db
from trophies.services import audit, files, palmares
from trophies.services import results as results_service
from trophies.services.demo_pdf import pitch_deck_pdf
from trophies.web.formatting import score_filter

HOSTILE_COMPANY = '<img src="file:///etc/passwd">'
HOSTILE_PROJECT = '<script>alert("pwned")</script>'
SUBMITTED = datetime(2026, 3, 14, 23, 30, tzinfo=UTC)  # 15 March, 00:30 in Paris
ANSWERS = {"problem": "Les patients attendent trop longtemps leur rendez-vous.",
           "stage": "pilot", "goals": "odd3,odd10", "ce": "yes", "staff": "12"}


def produced(doc: documents.Doc) -> pdf.Rendered:
    """The rendered PDF, after the checks every document passes: nothing refused, nothing
    fetched but static files and data: URIs, tagged, A4, titled."""
    rendered = documents.produce(doc)
    assert rendered.refused == ()
    static = pdf.STATIC.as_uri() + "/"
    assert rendered.requested and all(u.startswith((static, "data:"))
                                      for u in rendered.requested), rendered.requested
    info = pdf_info(rendered.pdf)
    assert info["Tagged"] == "yes"
    assert info["Page size"].startswith("595.276 x 841.89")
    assert info["Title"] == doc.title
    assert int(info["Pages"]) == rendered.pages
    return rendered


def squeezed(data: bytes) -> str:
    """The text without any white space (a long hash may wrap in a table cell)."""
    return re.sub(r"\s+", "", pdf_text(data))


# --- the submission receipt --------------------------------------------------------------------


def receipt_world(**fields):
    jury = build_jury(phase=Phase.OPEN)
    questions = add_questions(jury.edition)
    dossier = add_dossier(jury.edition, questions=questions, answers=dict(ANSWERS),
                          files=[("deck-medilien.pdf", 5300)], submitted_at=SUBMITTED,
                          status=DossierStatus.SUBMITTED,
                          founders=(("Léa Martin", "Présidente"), ("Yacine Mansouri", "CTO")),
                          **fields)
    db.session.commit()
    return jury, questions, dossier


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_receipt_shows_every_answer_the_files_the_date_in_the_zone_and_the_digest(
        app, pdf_tools, lang):  # noqa: F811
    jury, questions, dossier = receipt_world(city="Nantes")
    doc = receipt.build(dossier, lang)
    assert doc.kind == "receipt" and doc.lang == lang and not doc.confidential
    assert doc.filename.endswith(f"{dossier.reference.lower()}.pdf")
    data = produced(doc).pdf
    text = words(data)
    yes = fr("Yes") if lang == "fr" else "Yes"
    shown = ([fr("Submission receipt"), "Pilote en cours", "ODD 3 : bonne santé",
              "ODD 10 : inégalités réduites", "Quel problème ?", "Salariés", "15 mars 2026",
              "00:30 (Europe/Paris)"] if lang == "fr" else
             ["Submission receipt", "Running pilot", "SDG 3: good health",
              "SDG 10: reduced inequalities", "What problem?", "Employees", "March 15, 2026",
              "12:30", "(Europe/Paris)"])
    for expected in [*shown, ANSWERS["problem"], yes, "12", dossier.reference,
                     dossier.company_name, dossier.project_title, "Léa Martin — Présidente",
                     "Yacine Mansouri — CTO", "deck-medilien.pdf", "Nantes",
                     dossier.candidate.full_name, dossier.candidate.email]:
        assert expected in text, expected
    assert "14 mars 2026" not in text and "March 14, 2026" not in text
    digest = receipt.dossier_digest(dossier)
    assert digest == doc.meta["digest"] and re.fullmatch(r"[0-9a-f]{64}", digest)
    assert digest in text  # printed whole in the digest box
    assert dossier.attachments[0].sha256 in squeezed(data)
    render_pages(data, f"receipt-{lang}")


def test_the_digest_covers_what_was_submitted_and_nothing_else(app):
    jury, questions, dossier = receipt_world()
    first = receipt.dossier_digest(dossier)
    payload = receipt.dossier_payload(dossier)
    assert first == results_service.digest_of(payload)
    assert payload["answers"] == ANSWERS and payload["submitted_at"] == "2026-03-14T23:30:00Z"
    assert [f["name"] for f in payload["files"]] == ["deck-medilien.pdf"]
    with documents.in_language("en"):
        assert receipt.dossier_digest(dossier) == first  # the language changes nothing

    answer = next(a for a in dossier.answers if a.question_id == questions["staff"].id)
    answer.value = "13"
    db.session.flush()
    changed = receipt.dossier_digest(dossier)
    assert changed != first
    assert changed in words(documents.produce(receipt.build(dossier, "fr")).pdf)
    answer.value = "12"
    db.session.flush()
    assert receipt.dossier_digest(dossier) == first
    dossier.founders[1].role_title = "Directeur technique"
    assert receipt.dossier_digest(dossier) != first
    dossier.founders[1].role_title = "CTO"
    dossier.attachments[0].sha256 = "0" * 64
    assert receipt.dossier_digest(dossier) != first


def test_there_is_no_receipt_for_a_draft_or_a_withdrawn_application(app):
    jury, questions, dossier = receipt_world()
    draft = add_dossier(jury.edition, status=DossierStatus.DRAFT)
    withdrawn = add_dossier(jury.edition, status=DossierStatus.WITHDRAWN)
    for item in (draft, withdrawn):
        with pytest.raises(documents.DocumentUnavailable) as refusal:
            receipt.build(item, "fr")
        assert refusal.value.reason == "not_submitted"
    assert receipt.subjects(jury.edition) == [dossier]


def test_the_submitter_is_whoever_submitted_else_the_candidate(app):
    jury, questions, dossier = receipt_world()
    assert receipt.submitter_of(dossier) == dossier.candidate
    partner = make_user(full_name="Yacine Mansouri")
    audit.record("dossier.submitted", actor=partner, edition=jury.edition, obj=dossier)
    db.session.flush()
    assert receipt.submitter_of(dossier) == partner
    assert "Yacine Mansouri (" in receipt.build(dossier, "en").html


def test_a_hostile_name_prints_as_text_in_the_receipt(app, pdf_tools):  # noqa: F811
    jury, questions, dossier = receipt_world(company=HOSTILE_COMPANY, project=HOSTILE_PROJECT)
    doc = receipt.build(dossier, "en")
    assert HOSTILE_COMPANY not in doc.html and "&lt;img src=" in doc.html
    text = words(produced(doc).pdf)
    assert HOSTILE_COMPANY in text and HOSTILE_PROJECT in text


# --- the candidate's feedback ------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_feedback_shows_the_services_numbers_as_the_web_does_and_no_jurors_name(
        app, pdf_tools, lang):  # noqa: F811
    jury, mine, rival, far = feedback_world()
    (expected,) = palmares.feedback_for(mine)
    doc = feedback.build(mine, lang)
    assert doc.kind == "feedback" and doc.meta["rounds"] == [1]
    data = produced(doc).pdf
    text = words(data)
    with documents.in_language(lang):
        shown = {key: score_filter(value) for key, value in (
            ("score", expected.score), ("category", expected.category_score))}
        for line in expected.criteria:
            row = (f"{line.criterion.localized('name', lang)} {score_filter(line.mine)} "
                   f"{score_filter(line.category)}")
            assert row in text, row
    assert shown == ({"score": "65,0", "category": "62,5"} if lang == "fr"
                     else {"score": "65.0", "category": "62.5"})
    assert f"{shown['score']} / 100" in text and f"{shown['category']} / 100" in text
    comments = ["Adoption encore faible", "très bon impact", "Équipe complète", "bravo",
                "Solide."]
    for comment in comments:
        assert comment in text, comment
    assert text.index("Adoption encore faible") < text.index("très bon impact")
    assert text.index("bravo") < text.index("Solide.")
    assert "brouillon" not in text and "conflit" not in text and "excellent" not in text
    everything = text + " ".join(pdf_info(data).values())
    for name in JUROR_NAMES + (jury.organizer.full_name,):
        for part in name.split():
            assert part not in everything, part
    render_pages(data, f"feedback-{lang}")


def test_the_feedback_is_refused_when_disabled_unpublished_or_unscored(app):
    jury, mine, rival, far = feedback_world(enabled=False)
    assert feedback.subjects(jury.edition) == []
    with pytest.raises(documents.DocumentUnavailable) as refusal:
        feedback.build(mine, "fr")
    assert refusal.value.reason == "feedback_disabled"

    jury.edition.is_feedback_enabled = True
    unjudged = jury.dossier()
    db.session.commit()
    assert feedback.subjects(jury.edition) == sorted([mine, rival, far],
                                                     key=lambda d: d.reference)
    with pytest.raises(documents.DocumentUnavailable) as refusal:
        feedback.build(unjudged, "fr")
    assert refusal.value.reason == "not_scored"
    assert feedback.build(mine, "fr").kind == "feedback"

    deliberating = build_jury()
    deliberating.edition.is_feedback_enabled = True
    scored = deliberating.dossier()
    deliberating.scored(scored, (4, 5))
    db.session.commit()
    with pytest.raises(documents.DocumentUnavailable) as refusal:
        feedback.build(scored, "fr")
    assert refusal.value.reason == "not_published"
    assert feedback.subjects(deliberating.edition) == []


def test_a_hostile_name_prints_as_text_in_the_feedback(app, pdf_tools):  # noqa: F811
    jury, mine, rival, far = feedback_world()
    mine.company_name, mine.project_title = HOSTILE_COMPANY, HOSTILE_PROJECT
    db.session.commit()
    text = words(produced(feedback.build(mine, "fr")).pdf)
    assert HOSTILE_COMPANY in text and HOSTILE_PROJECT in text


# --- the juror's book --------------------------------------------------------------------------


def fill(dossier, questions, answers, founders=(("Élodie Martin", "Présidente"),)):
    dossier.answers = [Answer(question_id=questions[k].id, value=v) for k, v in answers.items()]
    dossier.founders = [Founder(position=i, full_name=name, role_title=role)
                        for i, (name, role) in enumerate(founders)]
    db.session.flush()


def book_world(*, blind: bool = False, with_pdf: bool = True):
    """Alice's published assignments: `kept` (with the deck stored as a real PDF and a PNG
    listed) and `hostile`; also given to her but not readable: `conflicted` (confirmed
    conflict), `unpublished`, `withdrawn`; `elsewhere` is Bruno's only."""
    jury = build_jury(phase=Phase.JUDGING)
    jury.edition.is_blind = blind
    questions = add_questions(jury.edition)
    questions["problem"].is_hidden_when_blind = False
    questions["staff"].is_hidden_when_blind = True
    alice, bruno = jury.jurors[:2]
    kept = jury.dossier(project="Télésuivi frugal", city="Rennes", legal_form="SAS",
                        website="https://kinevia.example")
    kept.company_name = "Kinévia"
    fill(kept, questions, dict(ANSWERS), founders=(("Hugo Lefèvre", "Président"),))
    hostile = jury.dossier(project=HOSTILE_PROJECT)
    hostile.company_name = HOSTILE_COMPANY
    fill(hostile, questions, {"problem": "Un problème très bien posé."})
    conflicted = jury.dossier(project="Dossier en conflit")
    unpublished = jury.dossier(project="Dossier non publié")
    withdrawn = jury.dossier(project="Dossier retiré", status=DossierStatus.WITHDRAWN)
    elsewhere = jury.dossier(project="Dossier de Bruno")
    if with_pdf:
        deck = pitch_deck_pdf(company_name="Kinévia", project_title="Télésuivi frugal",
                              summary="Le suivi coûte cher. Nous le rendons sobre.",
                              city="Rennes", founders=["Hugo Lefèvre — Président"], year=2026)
        files.store_upload(kept, questions["deck"], filename="deck.pdf", data=deck)
    db.session.add(Attachment(dossier_id=kept.id, question_id=None, original_name="photo.png",
                              stored_name="f" * 32, content_type="image/png", size_bytes=2048,
                              sha256="b" * 64))
    for dossier in (kept, hostile, conflicted, withdrawn):
        jury.sheet(dossier, alice, status=None)
    jury.sheet(unpublished, alice, status=None, published=False)
    jury.sheet(elsewhere, bruno, status=None)
    jury.sheet(kept, bruno, 3, 4, status=SheetStatus.DRAFT)
    conflict(jury, alice, conflicted)
    db.session.commit()
    return jury, questions, kept, hostile, [conflicted, unpublished, withdrawn, elsewhere]


def outline_titles(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    found: list[str] = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append(item.title)

    walk(reader.outline)
    return found


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_book_holds_the_jurors_readable_dossiers_their_answers_and_the_attached_pdf(
        app, pdf_tools, lang):  # noqa: F811
    jury, questions, kept, hostile, others = book_world()
    alice = jury.jurors[0]
    doc = book.build(jury.edition, alice, lang)
    assert doc.kind == "book" and doc.confidential
    assert set(doc.meta["dossiers"]) == {kept.reference, hostile.reference}
    assert [title for title, _data in doc.appendices] == [f"{kept.reference} — deck.pdf"]
    rendered = produced(doc)
    html_only = documents.produce(replace(doc, appendices=()))
    assert rendered.pages == html_only.pages + 4  # the demo deck has four pages
    text = words(rendered.pdf)
    for expected in [kept.reference, "Kinévia", "Télésuivi frugal", "Hugo Lefèvre — Président",
                     ANSWERS["problem"], "12", "Rennes", "deck.pdf", "photo.png",
                     hostile.reference, HOSTILE_COMPANY, HOSTILE_PROJECT,
                     "Un problème très bien posé.", alice.full_name, "Impact"]:
        assert expected in text, expected
    for other in others:
        assert other.reference not in text and other.project_title not in text
    tail = pdf_text(rendered.pdf, first=html_only.pages + 1)  # the appended pages
    assert "Le problème" in tail and "Notre solution" in tail and "Kinévia" in tail
    assert kept.reference not in tail
    titles = outline_titles(rendered.pdf)
    assert f"{kept.reference} — deck.pdf" in titles
    assert any(t.startswith(kept.reference) and "Télésuivi frugal" in t for t in titles)
    deck_sha = next(a.sha256 for a in kept.attachments if a.original_name == "deck.pdf")
    assert deck_sha[:16] in text
    render_pages(rendered.pdf, f"book-{lang}")


def test_a_blind_book_hides_who_applied_as_the_jurors_page_does(app, pdf_tools):  # noqa: F811
    jury, questions, kept, hostile, others = book_world(blind=True, with_pdf=False)
    doc = book.build(jury.edition, jury.jurors[0], "en")
    data = produced(doc).pdf
    text = words(data)
    for hidden in ["Kinévia", "Hugo Lefèvre", "kinevia.example", "photo.png", "Employees",
                   HOSTILE_COMPANY]:
        assert hidden not in text, hidden
    for shown in [kept.reference, "Télésuivi frugal", ANSWERS["problem"], "Rennes", "File 1",
                  HOSTILE_PROJECT]:
        assert shown in text, shown
    assert doc.appendices == ()
    render_pages(data, "book-blind")


def test_no_book_without_readable_assignments_and_the_subjects_are_the_jurors_with_some(app):
    jury, questions, kept, hostile, others = book_world(with_pdf=False)
    alice, bruno, chloe = jury.jurors[:3]
    jury.sheet(others[0], chloe, status=None)
    conflict(jury, chloe, others[0])  # her only assignment is in conflict
    db.session.commit()
    assert book.subjects(jury.edition) == sorted([alice, bruno], key=lambda u: u.full_name)
    assert book.subjects(jury.edition, round_number=2) == []
    for juror, number in ((chloe, None), (make_user(), None), (alice, 2)):
        with pytest.raises(documents.DocumentUnavailable) as refusal:
            book.build(jury.edition, juror, "fr", round_number=number)
        assert refusal.value.reason == "no_assignments"
    assert set(book.build(jury.edition, bruno, "fr").meta["dossiers"]) == {
        kept.reference, others[3].reference}


def test_the_book_is_of_the_jurors_latest_round_unless_another_is_asked_for(app):
    jury, questions, kept, hostile, others = book_world(with_pdf=False)
    alice = jury.jurors[0]
    final = jury.second_round()
    jury.sheet(hostile, alice, status=None, round_=final)
    db.session.commit()
    latest = book.build(jury.edition, alice, "en")
    assert (latest.meta["round"], latest.meta["dossiers"]) == (2, [hostile.reference])
    assert "Final" in latest.html and "Pre-selection" not in latest.html
    first = book.build(jury.edition, alice, "en", round_number=1)
    assert first.meta["round"] == 1
    assert set(first.meta["dossiers"]) == {kept.reference, hostile.reference}
    assert book.subjects(jury.edition, round_number=2) == [alice]
