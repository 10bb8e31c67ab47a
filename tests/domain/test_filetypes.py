"""Domain: file kinds come from magic bytes; filenames sent back are safe to put in a header."""

from __future__ import annotations

import pytest

from trophies.domain.filetypes import (
    MAX_FILENAME_LENGTH,
    mime_type,
    safe_filename,
    sniff,
    with_extension,
)

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n"


@pytest.mark.parametrize(("data", "kind"), [(PDF, "pdf"), (PNG, "png"), (JPEG, "jpeg")])
def test_sniff_names_the_kind_from_the_leading_bytes(data, kind):
    assert sniff(data) == kind


def test_a_pdf_header_may_follow_up_to_1024_bytes_of_garbage_but_no_more():
    assert sniff(b"\n" * 1019 + b"%PDF-1.4\n") == "pdf"  # the header ends past 1024: still found
    assert sniff(b" " * 1024 + b"%PDF-1.4\n") is None


@pytest.mark.parametrize("data", [
    b"",
    b"<!doctype html><html><script>alert(1)</script></html>",
    b"PK\x03\x04 a zip or an office document",
    b"GIF89a",
    b"%PDF",  # too short to be a header
    b"\x89PNG\r\n",  # a truncated signature
    b"\xff\xd8",
])
def test_sniff_knows_nothing_else(data):
    assert sniff(data) is None


def test_each_kind_has_its_mime_type():
    assert [mime_type(k) for k in ("pdf", "png", "jpeg")] == [
        "application/pdf", "image/png", "image/jpeg"]
    with pytest.raises(KeyError):
        mime_type("html")


@pytest.mark.parametrize(("sent", "kept"), [
    ("Pitch deck 2026.pdf", "Pitch deck 2026.pdf"),
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\ada\\Desktop\\deck.PDF", "deck.PDF"),
    ("deck\r\nSet-Cookie: x=1.pdf", "deck Set-Cookie_ x=1.pdf"),
    ("invoice\u202efdp.exe", "invoicefdp.exe"),  # a right-to-left override disguising .exe
    ("mon\u00a0dossier\tfinal.pdf", "mon dossier final.pdf"),
    ("  ..hidden.pdf", "hidden.pdf"),
    ('a<b>:"c"|?*.pdf', "a_b___c____.pdf"),
    ("Présentation équipe.pdf", "Présentation équipe.pdf"),
    ("", "file"),
    ("\x00\x07", "file"),
    ("/", "file"),
    (".pdf", "pdf"),
])
def test_safe_filename_keeps_the_name_and_drops_paths_and_control_characters(sent, kept):
    assert safe_filename(sent) == kept


def test_a_long_filename_is_cut_to_120_characters_keeping_its_extension():
    name = safe_filename("x" * 300 + ".pdf")
    assert len(name) == MAX_FILENAME_LENGTH
    assert name.endswith("x.pdf")


def test_with_extension_makes_the_name_match_the_content():
    assert with_extension("deck.html", "pdf") == "deck.html.pdf"
    assert with_extension("deck.PDF", "pdf") == "deck.PDF"
    assert with_extension("photo.JPG", "jpeg") == "photo.JPG"
    assert with_extension("photo", "png") == "photo.png"
    long = with_extension("y" * MAX_FILENAME_LENGTH, "pdf")
    assert len(long) == MAX_FILENAME_LENGTH and long.endswith("y.pdf")
