"""The verdict as PDF, read the way a person reads it (pdftotext, PNG pages): the procès-verbal
lists exactly the ticked jurors as present and the others as absent, the confirmed conflict,
every decision with its justification, the meeting's place and date, a draft marker before
the freeze and the latest snapshot's digest after; the palmarès names the right companies and
projects, embeds only logos we recognise (as data: URIs), says "not published" only before
publication; the certificates are landscape pages, one per laureate, mention and Coup de
cœur, filtered by reference; hostile names print as text and fetch nothing."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from flask import current_app
from PIL import Image
from sqlalchemy import select

from tests.factories import add_role, make_user
from tests.helpers import fr, is_translated
from tests.pdf_support import pdf_info, pdf_text, pdf_tools, render_pages, words  # noqa: F401
from tests.services.test_results_service import Ranked, build_jury, conflict, ranked
from trophies import documents, pdf
from trophies.documents import minutes, palmares, registry
from trophies.domain.vocabulary import DecisionKind, Phase, QuestionKind, Role
from trophies.models import Attachment, JurorProfile, Question, db, utcnow
from trophies.services import deliberation
from trophies.services import minutes as minutes_service
from trophies.services.deliberation import DecisionInput

HOSTILE_COMPANY = '<img src="file:///etc/passwd">'
HOSTILE_PROJECT = "<script>alert('x')</script> Dialyse"
STATIC = pdf.STATIC.as_uri() + "/"
A4_PORTRAIT, A4_LANDSCAPE = "595.276 x 841.89 pts (A4)", "841.89 x 595.276 pts (A4)"
JUSTIFY_E2 = "Le jury retient l’usage réel en EHPAD, décisif malgré un score inférieur."
JUSTIFY_E1 = "Solution excellente mais déjà primée ailleurs cette année."
NOTES = "Séance ouverte à 14 h par la présidente.\n\nLe jury a débattu du classement d’Équité."


def produce(doc: documents.Doc) -> tuple[bytes, pdf.Rendered]:
    rendered = documents.produce(doc)
    assert rendered.refused == ()
    assert all(u.startswith((STATIC, "data:")) for u in rendered.requested), rendered.requested
    return rendered.pdf, rendered


def flat(text: str) -> str:
    """Runs of white space, no-break spaces included, made one space (as `words` does)."""
    return re.sub(r"\s+", " ", text)


def page_texts(data: bytes) -> list[str]:
    pages = int(pdf_info(data)["Pages"])
    return [re.sub(r"\s+", " ", pdf_text(data, first=n, last=n)) for n in range(1, pages + 1)]


def between(text: str, start: str, end: str) -> str:
    """The text from the line `start` to the line `end` (headings)."""
    match = re.search(rf"^{re.escape(start)}$(.*?)^{re.escape(end)}$", text, re.S | re.M)
    assert match, f"no {start!r} … {end!r}"
    return match.group(1)


def png(colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 48), colour).save(out, "PNG")
    return out.getvalue()


def stored_logo(w: Ranked, dossier, data: bytes, content_type: str = "image/png") -> None:
    """`data` saved as the dossier's logo the way services.files stores uploads."""
    edition = w.jury.edition
    question = db.session.scalar(select(Question).where(Question.edition_id == edition.id,
                                                        Question.key == "logo"))
    if question is None:
        question = Question(edition_id=edition.id, position=9, key="logo",
                            kind=QuestionKind.FILE, label_fr="Logo")
        db.session.add(question)
        db.session.flush()
    name = f"{dossier.id:032x}"
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    db.session.add(Attachment(dossier_id=dossier.id, question_id=question.id,
                              original_name="logo.png", stored_name=name,
                              content_type=content_type, size_bytes=len(data), sha256="a" * 64))
    db.session.flush()


def deliberated(*, hostile: bool = False) -> Ranked:
    """`ranked()` with a verdict departing from the ranking in Équité (e2 laureate, e1
    runner-up, both justified), a mention for e3, s1 laureate and s2 Coup de cœur; Farid has a
    confirmed conflict on e3, Gaston withdrew; the minutes name four of six jurors present."""
    w = ranked()
    jury, organizer = w.jury, w.jury.organizer
    if hostile:
        w.s2.company_name, w.s2.project_title = HOSTILE_COMPANY, HOSTILE_PROJECT
    conflict(jury, jury.jurors[5], w.e3)
    gaston = make_user(full_name="Gaston Leclerc")
    add_role(gaston, jury.edition, Role.JUROR)
    db.session.scalar(select(JurorProfile).where(JurorProfile.user_id == gaston.id)
                      ).withdrawn_at = utcnow()
    deliberation.save_decisions(jury.edition, w.equite, [
        DecisionInput(DecisionKind.LAUREATE, w.e2.id, justification=JUSTIFY_E2),
        DecisionInput(DecisionKind.RUNNER_UP, w.e1.id, justification=JUSTIFY_E1),
        DecisionInput(DecisionKind.MENTION, w.e3.id, title_fr="Sobriété numérique",
                      title_en="Digital frugality")], actor=organizer)
    deliberation.save_decisions(jury.edition, w.souverainete,
                                [DecisionInput(DecisionKind.LAUREATE, w.s1.id)], actor=organizer)
    deliberation.save_decisions(jury.edition, None,
                                [DecisionInput(DecisionKind.COUP_DE_COEUR, w.s2.id)],
                                actor=organizer)
    alice, bruno, chloe, _denis, emma, _farid = jury.jurors
    minutes_service.save_inputs(jury.edition, minutes_service.MinutesInput(
        date(2025, 5, 27), "Hôtel de Région, Nantes", "Alice Martin",
        frozenset({alice.id, bruno.id, chloe.id, emma.id}), NOTES), actor=organizer)
    db.session.commit()
    return w


def freeze(w: Ranked, *, publish: bool = False) -> None:
    deliberation.freeze(w.jury.edition, actor=w.jury.organizer)
    if publish:
        deliberation.publish(w.jury.edition, actor=w.jury.organizer)
    db.session.commit()


# --- the procès-verbal -------------------------------------------------------------------------


@pytest.mark.usefixtures("pdf_tools")
def test_the_draft_minutes_list_attendance_conflicts_and_decisions_without_a_digest(app):
    w = deliberated()
    doc = minutes.build(w.jury.edition, "en")
    data, rendered = produce(doc)
    text, raw = words(data), pdf_text(data)

    assert doc.kind == "minutes" and doc.confidential and doc.meta["draft"] is True
    assert doc.filename == f"minutes-{w.jury.edition.slug}.pdf"
    assert "DRAFT — RESULTS NOT FROZEN" in text                # the banner, in capitals
    assert "Draft — results not frozen page" in text          # and in every page's footer
    assert doc.meta["digest"] is None
    assert "Snapshot digest" not in text and "SHA-256" not in text
    present = between(raw, "Present", "Absent or excused")
    absent = between(raw, "Absent or excused", "Withdrew from the jury")
    names = ("Alice Martin", "Bruno Petit", "Chloé Durand", "Denis Leroy", "Emma Roux",
             "Farid Benali")
    assert [n for n in names if n in present] == ["Alice Martin", "Bruno Petit", "Chloé Durand",
                                                  "Emma Roux"]
    assert [n for n in names if n in absent] == ["Denis Leroy", "Farid Benali"]
    assert "Gaston" not in present + absent and "Gaston Leclerc" in text
    assert "4 of the 6 members of the jury were present." in text
    assert re.search(rf"Farid Benali {w.e3.reference} {re.escape(w.e3.company_name)} "
                     r"did not score this application", text)
    for dossier in (w.e1, w.e2, w.e3, w.s1, w.s2):
        assert dossier.reference in text and dossier.project_title in text
    assert w.e4.reference not in text                      # no decision, no line
    assert JUSTIFY_E1 in text and JUSTIFY_E2 in text
    assert text.count("departs from the ranking") == 2
    assert "Special mention “Sobriété numérique”" not in text     # English title in English
    assert "Special mention “Digital frugality”" in text
    assert "Hôtel de Région, Nantes" in text and "May 27, 2025" in text
    assert "Done at Hôtel de Région, Nantes on May 27, 2025." in text
    assert "Séance ouverte à 14 h par la présidente." in text
    assert pdf_info(data)["Title"] == doc.title
    assert pdf_info(data)["Tagged"] == "yes" and pdf_info(data)["Page size"] == A4_PORTRAIT
    render_pages(data, "minutes-draft")


@pytest.mark.usefixtures("pdf_tools")
def test_the_frozen_minutes_carry_the_latest_snapshots_digest_and_no_draft_marker(app):
    w = deliberated()
    freeze(w)
    first = deliberation.latest_snapshot(w.jury.edition)
    deliberation.save_decisions(w.jury.edition, None, [], actor=w.jury.organizer,
                                reason="Le Coup de cœur est retiré : dossier incomplet.")
    db.session.commit()
    latest = deliberation.latest_snapshot(w.jury.edition)
    assert latest.sequence == 2 and latest.digest != first.digest

    doc = minutes.build(w.jury.edition, "en")
    data, _ = produce(doc)
    text = words(data)
    assert "Draft" not in text and doc.meta["draft"] is False
    assert doc.meta["digest"] == latest.digest and latest.digest in text
    assert first.digest not in text
    assert "Snapshot no. 2" in text and "Le Coup de cœur est retiré" in text
    assert w.s2.reference not in text                     # the amended verdict, not the first
    assert JUSTIFY_E2 in text and "Alice Martin" in text
    render_pages(data, "minutes-frozen")


@pytest.mark.usefixtures("pdf_tools")
def test_the_french_minutes_read_as_a_french_proces_verbal(app):
    w = deliberated()
    freeze(w)
    doc = minutes.build(w.jury.edition, "fr")
    data, _ = produce(doc)
    text = words(data)
    assert doc.lang == "fr" and pdf_info(data)["Title"] == doc.title
    assert fr("Minutes of the jury deliberation") in text
    assert "27 mai 2025" in text and "Hôtel de Région, Nantes" in text
    assert flat(fr("Done at %(place)s on %(date)s.", place="Hôtel de Région, Nantes",
                   date="27 mai 2025")) in text
    assert flat(fr("did not score this application")) in text
    mention = fr("Special mention “%(title)s”", title="Sobriété numérique")
    assert flat(mention) in text
    if is_translated("Special mention “%(title)s”"):   # no-break spaces inside « »
        assert "Mention spéciale «\u00a0Sobriété numérique\u00a0»" in doc.html
    assert deliberation.latest_snapshot(w.jury.edition).digest in text


def test_minutes_without_a_deliberation_or_without_sheets_do_not_exist(app):
    judging = build_jury(phase=Phase.JUDGING)
    empty = build_jury()
    db.session.commit()
    for edition in (judging.edition, empty.edition):
        with pytest.raises(documents.DocumentUnavailable) as refused:
            minutes.build(edition, "fr")
        assert refused.value.reason == "no_results"


@pytest.mark.usefixtures("pdf_tools")
def test_a_minutes_form_left_blank_prints_lines_to_fill_and_boxes_to_tick(app):
    w = ranked()
    deliberation.save_decisions(w.jury.edition, w.equite,
                                [DecisionInput(DecisionKind.LAUREATE, w.e1.id)],
                                actor=w.jury.organizer)
    db.session.commit()
    data, _ = produce(minutes.build(w.jury.edition, "en"))
    text = words(data)
    assert "Attendance was not recorded on the platform: tick the members present." in text
    assert "Present" not in text and "Absent or excused" not in text
    assert all(name in text for name in ("Alice Martin", "Farid Benali"))
    assert "No conflict of interest was confirmed." in text
    assert "Done at on ." in text and "Name:" in text


# --- the palmarès ------------------------------------------------------------------------------


def test_the_palmares_needs_a_snapshot(app):
    w = deliberated()
    for build in (palmares.build_palmares, palmares.build_certificates):
        with pytest.raises(documents.DocumentUnavailable) as refused:
            build(w.jury.edition, "en")
        assert refused.value.reason == "not_frozen"


@pytest.mark.usefixtures("pdf_tools")
def test_the_palmares_names_the_awards_embeds_sniffed_logos_and_warns_before_publication(app):
    w = deliberated(hostile=True)
    w.e2.city, w.e2.website = "Lyon", "https://pansements.example"
    w.e2.summary = "Des pansements qui signalent l’infection."
    stored_logo(w, w.e2, png())
    stored_logo(w, w.s1, b"GIF89a" + png()[8:])          # recorded as PNG, is not one
    freeze(w)
    doc = palmares.build_palmares(w.jury.edition, "en")
    data, rendered = produce(doc)
    text = words(data)

    # before publication the verdict is confidential: downloads are audited
    assert doc.kind == "palmares" and doc.confidential and doc.meta["published"] is False
    assert "NOT PUBLISHED YET — CONFIDENTIAL" in text          # set in capitals
    for dossier in (w.e1, w.e2, w.e3, w.s1):
        assert dossier.company_name in text and dossier.project_title in text
    assert HOSTILE_COMPANY in text and HOSTILE_PROJECT in text
    assert w.e4.company_name not in text
    assert "Lyon · https://pansements.example" in text and "signalent l’infection" in text
    assert "Special mention “Digital frugality”" in text and "Coup de cœur du jury" in text
    assert [u[:22] for u in rendered.requested if u.startswith("data:")] == [
        "data:image/png;base64,"]
    images = subprocess.run(["pdfimages", "-list", "-"], input=data, capture_output=True,
                            check=True).stdout.decode().splitlines()[2:]
    assert len(images) == 1 and " 48    48 " in images[0]
    assert deliberation.latest_snapshot(w.jury.edition).digest in text
    render_pages(data, "palmares-preview")

    deliberation.publish(w.jury.edition, actor=w.jury.organizer)
    db.session.commit()
    published = palmares.build_palmares(w.jury.edition, "fr")
    text = words(produce(published)[0])
    assert published.meta["published"] is True
    assert fr("Not published yet — confidential").upper() not in text
    assert fr("Winners") in text and w.e2.company_name in text
    if is_translated("Special mention “%(title)s”"):
        assert "Mention spéciale « Sobriété numérique »" in text   # \s+ made one space


# --- the certificates --------------------------------------------------------------------------


@pytest.mark.usefixtures("pdf_tools")
def test_one_landscape_certificate_per_laureate_mention_and_coup_de_coeur(app):
    w = deliberated(hostile=True)
    freeze(w, publish=True)
    doc = palmares.build_certificates(w.jury.edition, "en")
    data, rendered = produce(doc)
    info = pdf_info(data)
    assert doc.kind == "certificates" and info["Pages"] == "4"
    assert info["Page size"] == A4_LANDSCAPE and info["Tagged"] == "yes"
    pages = page_texts(data)
    expected = [(w.e2, "Prize winner", "“Équité” category"),
                (w.e3, "Special mention “Digital frugality”", "“Équité” category"),
                (w.s1, "Prize winner", "“Souveraineté” category"),
                (w.s2, "Coup de cœur du jury", None)]
    for page, (dossier, award, category) in zip(pages, expected, strict=True):
        assert dossier.company_name in page and award in page
        assert f"for the project “{dossier.project_title}”" in page
        assert category is None or category in page
        assert "Alice Martin" in page and "Chair of the jury" in page
        assert "Snapshot digest" not in page
    assert w.e1.company_name not in " ".join(pages)      # a runner-up gets no certificate
    assert HOSTILE_COMPANY in pages[3]
    assert any(u == STATIC + "img/logo.svg" for u in rendered.requested)
    render_pages(data, "certificates")


@pytest.mark.usefixtures("pdf_tools")
def test_certificates_for_one_dossier_and_in_french(app):
    w = deliberated()
    freeze(w, publish=True)
    doc = registry.build(w.jury.edition, "certificates", "fr", subject=w.e3.reference)
    data, _ = produce(doc)
    (page,) = page_texts(data)
    assert doc.meta["references"] == [w.e3.reference] and w.e3.reference.lower() in doc.filename
    assert w.e3.company_name in page and w.e2.company_name not in page
    assert flat(fr("Special mention “%(title)s”", title="Sobriété numérique")) in page
    assert flat(fr("“%(category)s” category", category="Équité")) in page
    assert fr("Chair of the jury") in page
    for reference in (w.e1.reference, "NOPE-0000"):      # a runner-up; no such dossier
        with pytest.raises(documents.DocumentUnavailable) as refused:
            palmares.build_certificates(w.jury.edition, "fr", reference=reference)
        assert refused.value.reason == "unknown_dossier"
