"""Services: uploads are checked by content (real files: renamed HTML, encrypted and scripted
PDFs, truncated ones), stored under random names, and follow the transaction on disk."""

from __future__ import annotations

import hashlib
import io
import re
import stat
import zlib
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject
from sqlalchemy import select

from tests.factories import make_dossier, make_edition, make_user
from trophies.domain.vocabulary import QuestionKind
from trophies.models import Attachment, Question, db
from trophies.services import files
from trophies.services.demo_pdf import pitch_deck_pdf
from trophies.services.files import FileRejected, check_upload

ROOT = Path(__file__).resolve().parents[2]
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00"
       b"\x00:~\x9bU\x00\x00\x00\nIDATx\x9cc\xf8\x0f\x00\x01\x01\x01\x00\x18\xdd\x8d\xb4"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def deck(company: str = "Hélio Lumen") -> bytes:
    return pitch_deck_pdf(company_name=company, project_title="Capteurs solaires souples",
                          summary="Nos capteurs se posent sur tout toit. Ils coûtent moitié moins.",
                          city="Lyon", founders=["Ada Martin", "Léo Durand"], year=2026)


def rewritten(change) -> bytes:
    """The demo deck read and written again by pypdf after `change(writer)`."""
    writer = PdfWriter(clone_from=io.BytesIO(deck()))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def name(value: str) -> NameObject:
    return NameObject(value)


def action(kind: str, **entries) -> DictionaryObject:
    result = DictionaryObject({name("/S"): name(kind)})
    for key, value in entries.items():
        result[name(f"/{key}")] = TextStringObject(value)
    return result


def with_open_action_script(writer: PdfWriter) -> None:
    writer.root_object[name("/OpenAction")] = action("/JavaScript", JS="app.alert('hi')")


def with_launch_link(writer: PdfWriter) -> None:
    link = DictionaryObject({
        name("/Type"): name("/Annot"), name("/Subtype"): name("/Link"),
        name("/Rect"): ArrayObject([NumberObject(0)] * 4),
        name("/A"): action("/Launch", F="calc.exe"),
    })
    writer.pages[0][name("/Annots")] = ArrayObject([writer._add_object(link)])


def with_page_open_action(writer: PdfWriter) -> None:
    writer.pages[1][name("/AA")] = DictionaryObject({name("/O"): action("/Named", N="NextPage")})


def pdf_with_object_stream(catalog_extra: bytes) -> bytes:
    """A PDF 1.5 whose catalog, pages and page sit in a Flate-compressed object stream, so the
    catalog's names never appear in the file's bytes."""
    objects = [b"<< /Type /Catalog /Pages 3 0 R " + catalog_extra + b" >>",
               b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 200 200] >>"]
    header, body, offset = b"", b"", 0
    for number, text in zip((2, 3, 4), objects, strict=True):
        header += b"%d %d " % (number, offset)
        body += text + b"\n"
        offset += len(text) + 1
    packed = zlib.compress(header + body)
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    objstm_at = out.tell()
    out.write(b"1 0 obj\n<< /Type /ObjStm /N 3 /First %d /Length %d /Filter /FlateDecode >>\n"
              b"stream\n" % (len(header), len(packed)) + packed + b"\nendstream\nendobj\n")
    xref_at = out.tell()
    rows = [(0, 0, 65535), (1, objstm_at, 0), (2, 1, 0), (2, 1, 1), (2, 1, 2), (1, xref_at, 0)]
    table = b"".join(bytes([kind]) + field.to_bytes(4, "big") + gen.to_bytes(2, "big")
                     for kind, field, gen in rows)
    out.write(b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 2 0 R /Length %d >>\nstream\n"
              % len(table) + table + b"\nendstream\nendobj\n")
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref_at)
    return out.getvalue()


def pdf_without_pages() -> bytes:
    """A well-formed PDF whose page tree is empty."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, text in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + text + b"\nendobj\n")
    xref_at = out.tell()
    out.write(b"xref\n0 3\n0000000000 65535 f \n"
              + b"".join(b"%010d 00000 n \n" % o for o in offsets)
              + b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref_at)
    return out.getvalue()


def reason(data: bytes, *, allowed=("pdf",), max_bytes: int = 20 * 1024 * 1024) -> dict:
    with pytest.raises(FileRejected) as caught:
        check_upload(data, allowed=list(allowed), max_bytes=max_bytes)
    assert caught.value.code == "file_rejected"
    return caught.value.details


# --- checking -----------------------------------------------------------------------------


def test_a_real_pitch_deck_is_accepted_as_a_pdf():
    assert check_upload(deck(), allowed=["pdf"], max_bytes=1_000_000) == "pdf"


def test_pdfs_rewritten_by_a_library_and_pages_in_object_streams_are_accepted():
    assert check_upload(rewritten(lambda w: None), allowed=["pdf"], max_bytes=10**6) == "pdf"
    assert check_upload(pdf_with_object_stream(b""), allowed=["pdf"], max_bytes=10**6) == "pdf"


def test_images_are_accepted_where_the_question_allows_them():
    assert check_upload(PNG, allowed=["pdf", "png"], max_bytes=10**6) == "png"
    assert check_upload(JPEG, allowed=["jpeg"], max_bytes=10**6) == "jpeg"


def test_an_empty_file_is_refused():
    assert reason(b"") == {"reason": "empty"}


def test_a_pdf_over_the_limit_is_refused_with_the_limit():
    data = deck()
    assert reason(data, max_bytes=len(data) - 1) == {"reason": "too_large", "limit": len(data) - 1}
    assert check_upload(data, allowed=["pdf"], max_bytes=len(data)) == "pdf"


def test_an_html_page_renamed_pdf_is_refused_as_the_wrong_type():
    html = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
    assert reason(html) == {"reason": "wrong_type", "allowed": ["pdf"]}


def test_a_png_is_refused_where_only_pdf_is_allowed():
    assert reason(PNG) == {"reason": "wrong_type", "allowed": ["pdf"]}


def test_a_pdf_is_refused_where_only_images_are_allowed():
    assert reason(deck(), allowed=("png", "jpeg"))["reason"] == "wrong_type"


@pytest.mark.parametrize("password", ["secret", ""])
def test_an_encrypted_pdf_is_refused_even_without_a_password_to_open_it(password):
    assert reason(rewritten(lambda w: w.encrypt(password))) == {"reason": "encrypted"}


@pytest.mark.parametrize("change", [
    with_open_action_script,
    lambda w: w.add_open_action(JavaScript("app.alert('document-level')")),
    lambda w: w.add_attachment("invoice.exe", b"MZ\x90\x00"),
    with_launch_link,
    with_page_open_action,
], ids=["open-action-javascript", "names-tree-javascript", "embedded-file", "launch-link",
        "page-additional-actions"])
def test_a_pdf_that_can_run_something_is_refused_as_scripted(change):
    assert reason(rewritten(change)) == {"reason": "scripted"}


def test_a_script_hidden_in_a_compressed_object_stream_is_found():
    data = pdf_with_object_stream(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    assert b"JavaScript" not in data
    assert reason(data) == {"reason": "scripted"}


def test_a_script_named_with_hex_escapes_is_found():
    data = rewritten(with_open_action_script)
    assert b"/S /JavaScript\n/JS" in data
    disguised = data.replace(b"/S /JavaScript\n/JS", b"/S/J#61vaScript/JS")  # offsets hold
    assert len(disguised) == len(data) and b"JavaScript" not in disguised
    assert reason(disguised) == {"reason": "scripted"}


TEMPLATE_WITH_SCRIPT = (b"/Names << /Templates << /Names [(t) << /Type /Template "
                        b"/AA << /O << /S /JavaScript /JS (app.alert(1)) >> >> >>] >> >>")


def with_template_script(writer: PdfWriter) -> None:
    page_script = DictionaryObject({name("/O"): action("/JavaScript", JS="app.alert(1)")})
    template = DictionaryObject({name("/Type"): name("/Template"), name("/AA"): page_script})
    writer.root_object[name("/Names")] = DictionaryObject({name("/Templates"): DictionaryObject(
        {name("/Names"): ArrayObject([TextStringObject("t"), writer._add_object(template)])})})


def test_a_script_where_the_structure_walk_does_not_look_is_found_by_the_byte_scan():
    # Page templates are not walked; the scan of the bytes (and of object streams) sees them.
    plain = rewritten(with_template_script)
    escaped = plain.replace(b"/S /JavaScript\n/JS", b"/S/J#61vaScript/JS")
    compressed = pdf_with_object_stream(TEMPLATE_WITH_SCRIPT)
    assert len(escaped) == len(plain) and b"JavaScript" not in escaped + compressed
    for data in (plain, escaped, compressed):
        assert reason(data) == {"reason": "scripted"}


def test_an_open_action_that_only_shows_the_first_page_is_fine():
    def open_at_first_page(writer: PdfWriter) -> None:
        writer.root_object[name("/OpenAction")] = ArrayObject(
            [writer.pages[0].indirect_reference, name("/Fit")])

    assert check_upload(rewritten(open_at_first_page), allowed=["pdf"], max_bytes=10**6) == "pdf"


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.95])
def test_a_truncated_pdf_is_refused_as_malformed(cut):
    data = deck()
    assert reason(data[: int(len(data) * cut)]) == {"reason": "malformed"}


@pytest.mark.parametrize("data", [
    b"%PDF-1.7\n" + bytes(range(256)) * 8,
    b"%PDF-1.4\n<html><body>not a pdf at all</body></html>",
    pdf_without_pages(),
], ids=["binary-garbage", "html-with-a-pdf-header", "no-pages"])
def test_a_pdf_that_does_not_parse_or_has_no_pages_is_refused_as_malformed(data):
    assert reason(data) == {"reason": "malformed"}


def test_a_png_without_its_header_chunk_is_refused_as_malformed():
    assert reason(PNG[:12] + b"JUNK" + PNG[16:], allowed=("png",)) == {"reason": "malformed"}


# --- storing ------------------------------------------------------------------------------


def make_file_question(edition, **columns) -> Question:
    question = Question(edition_id=edition.id, key=columns.pop("key", "deck"),
                        kind=QuestionKind.FILE, label_fr="Présentation", **columns)
    db.session.add(question)
    db.session.flush()
    return question


@pytest.fixture
def dossier(app):
    edition = make_edition()
    return make_dossier(edition, make_user())


@pytest.fixture
def question(dossier):
    return make_file_question(dossier.edition)


def stored_files(app) -> set[str]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def test_a_valid_pdf_is_stored_under_a_random_name_with_its_hash(app, dossier, question):
    data = deck()
    attachment = files.store_upload(dossier, question, filename="../Pitch deck.pdf", data=data)
    db.session.commit()

    assert re.fullmatch(r"[0-9a-f]{32}", attachment.stored_name)
    path = files.path_of(attachment)
    assert path.read_bytes() == data == files.read(attachment)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert (attachment.size_bytes, attachment.content_type) == (len(data), "application/pdf")
    assert attachment.original_name == "Pitch deck.pdf"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not path.resolve().is_relative_to((ROOT / "static").resolve())
    assert path.parent == Path(app.config["UPLOAD_FOLDER"])
    other = files.store_upload(make_dossier(dossier.edition, make_user()), question,
                               filename="deck.pdf", data=data)
    assert other.stored_name != attachment.stored_name


def test_the_content_type_and_extension_come_from_the_content_not_the_name(dossier):
    question = make_file_question(dossier.edition, file_types=["pdf", "png"])
    attachment = files.store_upload(dossier, question, filename="logo.pdf", data=PNG)
    assert (attachment.content_type, attachment.original_name) == ("image/png", "logo.pdf.png")


def test_the_question_decides_the_types_and_the_size(app, dossier):
    images = make_file_question(dossier.edition, key="logo", file_types=["png"],
                                max_file_bytes=len(PNG))
    photos = make_file_question(dossier.edition, key="photo", file_types=["jpg", "docx"])
    with pytest.raises(FileRejected) as caught:
        files.store_upload(dossier, photos, filename="deck.pdf", data=deck())
    assert caught.value.details == {"reason": "wrong_type", "allowed": ["jpeg"]}
    with pytest.raises(FileRejected) as caught:
        files.store_upload(dossier, images, filename="big.png", data=PNG + b"\x00")
    assert caught.value.details == {"reason": "too_large", "limit": len(PNG)}
    assert stored_files(app) == set()


def test_without_a_limit_on_the_question_the_configured_default_applies(app_factory):
    app = app_factory(FILE_MAX_BYTES_DEFAULT=1000)
    with app.app_context():
        dossier = make_dossier(make_edition(), make_user())
        question = make_file_question(dossier.edition)
        with pytest.raises(FileRejected) as caught:
            files.store_upload(dossier, question, filename="deck.pdf", data=deck())
        assert caught.value.details == {"reason": "too_large", "limit": 1000}


def test_replacing_an_attachment_removes_the_old_file_only_after_commit(app, dossier, question):
    first = files.store_upload(dossier, question, filename="v1.pdf", data=deck("Version un"))
    db.session.commit()
    old_path = files.path_of(first)

    second = files.store_upload(dossier, question, filename="v2.pdf", data=deck("Version deux"))
    assert old_path.exists(), "removed before the transaction committed"
    db.session.commit()

    assert not old_path.exists()
    assert files.path_of(second).exists()
    rows = db.session.scalars(select(Attachment).where(Attachment.dossier_id == dossier.id)).all()
    assert [a.stored_name for a in rows] == [second.stored_name]
    assert stored_files(app) == {second.stored_name}


def test_a_rollback_leaves_no_new_file_and_keeps_the_old_one(app, dossier, question):
    first = files.store_upload(dossier, question, filename="v1.pdf", data=deck("Version un"))
    db.session.commit()
    kept = first.stored_name

    files.store_upload(dossier, question, filename="v2.pdf", data=deck("Version deux"))
    assert len(stored_files(app)) == 2
    db.session.rollback()

    assert stored_files(app) == {kept}
    assert db.session.scalars(select(Attachment.stored_name)).all() == [kept]


def test_a_session_closed_without_commit_leaves_no_file(app, dossier, question):
    files.store_upload(dossier, question, filename="deck.pdf", data=deck())
    db.session.remove()
    assert stored_files(app) == set()


def test_a_rolled_back_savepoint_removes_only_its_own_files(app, dossier, question):
    other = make_file_question(dossier.edition, key="annex")
    kept = files.store_upload(dossier, question, filename="deck.pdf", data=deck())
    with pytest.raises(RuntimeError), db.session.begin_nested():
        files.store_upload(dossier, other, filename="annex.pdf", data=deck("Annexe"))
        raise RuntimeError("the rest of the form failed")
    db.session.commit()
    assert stored_files(app) == {kept.stored_name}


def test_deleting_an_attachment_removes_its_file_after_commit(app, dossier, question):
    attachment = files.store_upload(dossier, question, filename="deck.pdf", data=deck())
    db.session.commit()
    path = files.path_of(attachment)
    files.delete_attachment(attachment)
    db.session.flush()
    assert path.exists()
    db.session.commit()
    assert not path.exists()
    assert db.session.scalars(select(Attachment)).all() == []


@pytest.mark.parametrize("stored_name", [
    "../../../etc/passwd", "/etc/passwd", "..", "0123456789abcdef0123456789abcde/",
    "0123456789ABCDEF0123456789ABCDEF", "0123456789abcdef0123456789abcdef.pdf", "",
])
def test_a_stored_name_that_is_not_32_hex_characters_is_never_opened(app, stored_name):
    attachment = Attachment(stored_name=stored_name)
    with pytest.raises(files.UnsafeStoredName):
        files.path_of(attachment)
    with pytest.raises(files.UnsafeStoredName):
        files.read(attachment)
