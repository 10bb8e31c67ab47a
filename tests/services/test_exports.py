"""Exports of an edition's dossiers: one row per non-draft dossier and one column per question,
CSV / XLSX / JSON carrying the same cells, formulas neutralised, audited, and the CLI."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import openpyxl
import pytest
from sqlalchemy import select

from tests.factories import make_edition, make_user
from tests.helpers import count, fr
from tests.services.test_dossiers import add_dossier, add_questions, build_demo
from trophies.domain.vocabulary import DossierStatus
from trophies.models import AuditEvent, Question, db
from trophies.services import exports

FIXED = len(exports.FIXED_COLUMNS)


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 byte order mark expected"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def read_xlsx(content: bytes) -> tuple[openpyxl.Workbook, list[list[str]]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.active
    return workbook, [["" if v is None else v for v in row] for row in sheet.values]


@pytest.fixture
def demo(app, runner):
    return build_demo(runner)


@pytest.fixture
def small(app):
    """An edition in New York with the small form and two dossiers (and a draft)."""
    edition = make_edition(categories=("Équité", "Souveraineté"))
    edition.timezone = "America/New_York"
    questions = add_questions(edition)
    first = add_dossier(
        edition, reference="S-0001", company="Solen", project="Téléconsultation",
        legal_form="SAS", city="Brest", website="https://solen.example",
        founders=[("Aïcha Benali", "CEO"), ("Jean Dupont", "")],
        questions=questions, files=[("deck.pdf", 2048), ("annexe.pdf", 10)],
        submitted_at=datetime(2026, 3, 1, 17, 30, tzinfo=UTC),
        answers={"problem": "Ligne 1\nLigne 2, avec virgule", "stage": "market",
                 "goals": "odd3,odd10", "ce": "yes", "staff": "12"})
    second = add_dossier(edition, reference="S-0002", company="Mobilis", questions=questions,
                         category=edition.categories[1], status=DossierStatus.INELIGIBLE,
                         eligibility_reason="Trop grande.")
    add_dossier(edition, reference="S-0003", status=DossierStatus.DRAFT)
    db.session.commit()
    return edition, first, second


def test_rows_hold_the_fixed_columns_then_one_column_per_question(small):
    edition, first, second = small
    headers, rows = exports.dossier_rows(edition, language="fr")
    assert headers[FIXED:] == ["Quel problème ?", "Stade atteint", "Objectifs visés",
                               "Marquage CE ?", "Salariés", "Pitch deck"]
    assert headers[:FIXED] == [fr(m) for m in ("Reference", "Company", "Legal form", "City",
                                               "Website", "Project", "Category", "Status",
                                               "Submitted at", "Founders")]
    assert [r[0] for r in rows] == ["S-0001", "S-0002"]  # the draft is left out
    row = dict(zip(headers, rows[0], strict=True))
    assert rows[0][:FIXED] == [
        "S-0001", "Solen", "SAS", "Brest", "https://solen.example", "Téléconsultation",
        "Équité", fr("Eligible"), "2026-03-01T12:30:00-05:00",  # in the edition's zone
        "Aïcha Benali (CEO); Jean Dupont"]
    assert row["Stade atteint"] == "Sur le marché"
    assert row["Objectifs visés"] == "ODD 3 : bonne santé; ODD 10 : inégalités réduites"
    assert row["Marquage CE ?"] == fr("Yes")
    assert row["Pitch deck"] == "deck.pdf; annexe.pdf"
    assert row["Quel problème ?"] == "Ligne 1\nLigne 2, avec virgule"
    assert rows[1][6:8] == ["Souveraineté", fr("Not eligible")]
    assert rows[1][FIXED:] == ["", "", "", "", "", ""]


def test_english_exports_translate_headers_labels_and_values(small):
    edition, _first, _second = small
    headers, rows = exports.dossier_rows(edition, language="en")
    assert headers[:2] == ["Reference", "Company"]
    assert headers[FIXED + 1] == "Stage reached"
    row = dict(zip(headers, rows[0], strict=True))
    assert row["Stage reached"] == "On the market"
    assert row["CE marking?"] == "Yes"
    assert row["Status"] == "Eligible"


def test_the_demo_judging_edition_exports_72_rows_and_one_column_per_question(demo):
    edition = demo["judging"]
    questions = db.session.scalars(select(Question).where(Question.edition_id == edition.id)
                                   .order_by(Question.position)).all()
    exported = exports.export_dossiers(edition, "csv", language="fr", actor=None)
    table = read_csv(exported.content)
    headers, rows = table[0], table[1:]
    assert len(rows) == exported.count == 72
    assert headers[FIXED:] == [q.label_fr for q in questions]
    assert all(len(row) == len(headers) for row in rows)
    assert len({row[0] for row in rows}) == 72
    deck = headers.index("Pitch deck (PDF)")
    assert all(row[deck].startswith("pitch-deck-") for row in rows)
    odd = headers.index("Objectifs de développement durable (ODD) visés")
    assert not any("odd3" in row[odd] for row in rows)  # labels, not codes
    assert exported.filename.startswith(f"{edition.slug}-dossiers-")
    assert exported.filename.endswith(".csv")


def test_building_the_rows_takes_the_same_queries_for_2_or_12_dossiers(app, count_queries):
    edition = make_edition()
    questions = add_questions(edition)

    def grow(n):
        for _ in range(n):
            add_dossier(edition, questions=questions, files=[("deck.pdf", 1)],
                        founders=[("A", "x"), ("B", "y")], answers={"stage": "pilot"})
        db.session.commit()

    def queries():
        assert edition.id  # reloaded after the commit, not counted
        with count_queries() as counter:
            exports.dossier_rows(edition, language="fr")
        return counter.count

    grow(2)
    few = queries()
    grow(10)
    assert queries() == few == 5  # questions, dossiers + categories, founders, answers, files


# --- formula injection -----------------------------------------------------------------------

DANGEROUS = {"company": "=HYPERLINK(\"http://evil.example\",\"x\")", "project": "+1+1",
             "city": "-2+3", "legal_form": "@SUM(A1)", "website": "\tcmd"}


@pytest.fixture
def dangerous(app):
    edition = make_edition()
    questions = add_questions(edition)
    add_dossier(edition, reference="X-1", company=DANGEROUS["company"],
                project=DANGEROUS["project"], city=DANGEROUS["city"],
                legal_form=DANGEROUS["legal_form"], website=DANGEROUS["website"],
                founders=[("\tTab", "")], questions=questions,
                answers={"problem": "=1+2", "staff": "-5"})
    db.session.commit()
    return edition


def test_csv_and_xlsx_cells_that_look_like_formulas_are_neutralised(dangerous):
    headers, rows = exports.dossier_rows(dangerous, language="fr")
    expected = dict(zip(headers, [exports.neutralise(c) for c in rows[0]], strict=True))
    csv_rows = read_csv(exports.to_csv(headers, rows))
    workbook, xlsx_rows = read_xlsx(exports.to_xlsx(headers, rows))
    for table in (csv_rows, xlsx_rows):
        row = dict(zip(table[0], table[1], strict=True))
        assert row == expected
        assert row[fr("Company")] == "'" + DANGEROUS["company"]
        assert row[fr("Founders")] == "'\tTab"
        assert row["Quel problème ?"] == "'=1+2"
        assert row["Salariés"] == "'-5"
        assert row[fr("Reference")] == "X-1"
    assert all(cell.data_type == "s" for row in workbook.active.iter_rows() for cell in row
               if cell.value is not None)  # never a formula
    # JSON is data for programs: values are exact.
    document = json.loads(exports.to_json(dangerous, headers, rows))
    assert document["dossiers"][0]["company"] == DANGEROUS["company"]


def test_every_dangerous_first_character_is_neutralised():
    for first in ("=", "+", "-", "@", "\t", "\r"):
        assert exports.neutralise(first + "1") == "'" + first + "1"
    assert exports.neutralise("a=1") == "a=1"
    assert exports.neutralise("") == ""


def test_control_characters_and_line_ends_are_cleaned_so_every_format_holds_the_same_text(app):
    edition = make_edition()
    add_dossier(edition, reference="C-1", company="Bell\x07Co", project="\x01=cmd",
                city="\rBrest", legal_form="a\r\nb")
    headers, rows = exports.dossier_rows(edition, language="fr")
    assert rows[0][1:6] == ["BellCo", "a\nb", "\nBrest", "", "=cmd"]
    _workbook, table = read_xlsx(exports.to_xlsx(headers, rows))
    assert table == read_csv(exports.to_csv(headers, rows))
    assert table[1][5] == "'=cmd"


# --- the three formats -----------------------------------------------------------------------


def test_the_csv_is_rfc_4180_with_a_byte_order_mark(small):
    edition, _first, _second = small
    headers, rows = exports.dossier_rows(edition, language="fr")
    content = exports.to_csv(headers, rows)
    assert content.startswith(b"\xef\xbb\xbf" + fr("Reference").encode() + b",")
    assert b"\r\n" in content
    assert b'"Ligne 1\nLigne 2, avec virgule"' in content  # quoted only where needed
    assert read_csv(content) == [headers, *rows]


def test_the_xlsx_opens_with_the_same_cells_a_bold_frozen_header_and_fitted_widths(small):
    edition, _first, _second = small
    headers, rows = exports.dossier_rows(edition, language="fr")
    workbook, table = read_xlsx(exports.to_xlsx(headers, rows, title="Candidatures"))
    assert table == read_csv(exports.to_csv(headers, rows))
    sheet = workbook.active
    assert sheet.title == "Candidatures"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert not any(cell.font.bold for cell in sheet[2])
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(headers))}3"
    widths = {letter: dim.width for letter, dim in sheet.column_dimensions.items()}
    assert exports.XLSX_MIN_WIDTH <= widths["A"] < widths["E"] <= exports.XLSX_MAX_WIDTH


def test_sheet_titles_are_cleaned_for_excel():
    assert exports._sheet_title("Candidatures [2026]: a/b?") == "Candidatures  2026   a b"
    assert len(exports._sheet_title("x" * 40)) == 31
    assert exports._sheet_title("///") == "Dossiers"


def test_the_json_round_trips_with_stable_keys(small):
    edition, _first, _second = small
    headers, rows = exports.dossier_rows(edition, language="fr")
    when = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    content = exports.to_json(edition, headers, rows, language="fr", generated_at=when)
    document = json.loads(content.decode("utf-8"))
    assert set(document) == {"format", "version", "edition", "language", "generated_at",
                             "columns", "dossiers"}
    assert (document["format"], document["version"]) == ("trophies.dossiers", 1)
    assert (document["edition"], document["language"]) == (edition.slug, "fr")
    assert document["generated_at"] == "2026-05-01T08:00:00+00:00"
    keys = [c["key"] for c in document["columns"]]
    assert [c["label"] for c in document["columns"]] == headers
    assert [[d[k] for k in keys] for d in document["dossiers"]] == rows
    assert keys[:3] == ["reference", "company", "legal_form"]
    assert keys[FIXED:] == ["question.problem", "question.stage", "question.goals",
                            "question.ce", "question.staff", "question.deck"]
    english = json.loads(exports.to_json(edition, *exports.dossier_rows(edition, language="en")))
    assert [c["key"] for c in english["columns"]] == keys  # keys do not depend on the language
    with pytest.raises(ValueError):
        exports.to_json(edition, headers[:-1], rows)


def test_an_export_is_audited_with_its_actor_format_and_count(small):
    edition, _first, _second = small
    organizer = make_user()
    exported = exports.export_dossiers(edition, "json", language="en", actor=organizer)
    db.session.commit()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "dossiers.exported"))
    assert event.actor_id == organizer.id
    assert event.edition_id == edition.id
    assert event.data == {"format": "json", "count": 2, "language": "en"}
    assert exported.mimetype == "application/json"
    assert exported.count == 2
    with pytest.raises(ValueError):
        exports.export_dossiers(edition, "pdf", language="fr", actor=organizer)


# --- the command line ------------------------------------------------------------------------


def test_the_cli_writes_each_format_to_a_file_and_audits_it(small, runner, tmp_path):
    edition, _first, _second = small
    for fmt in exports.FORMATS:
        target = tmp_path / f"out.{fmt}"
        result = runner.invoke(args=["trophies", "export", edition.slug, "--what", "dossiers",
                                     "--format", fmt, "-o", str(target), "--language", "en"])
        assert result.exit_code == 0, result.output
        assert f"2 dossiers of {edition.slug}" in result.stderr
        content = target.read_bytes()
        if fmt == "csv":
            assert read_csv(content)[0][:2] == ["Reference", "Company"]
            assert len(read_csv(content)) == 3
        elif fmt == "xlsx":
            assert read_xlsx(content)[1][1][0] == "S-0001"
        else:
            assert len(json.loads(content)["dossiers"]) == 2
    db.session.expire_all()
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "dossiers.exported").order_by(AuditEvent.id)).all()
    assert [e.data["format"] for e in events] == list(exports.FORMATS)
    assert all(e.actor_id is None and e.edition_id == edition.id for e in events)


def test_the_cli_writes_text_formats_to_standard_output(small, runner):
    edition, _first, _second = small
    result = runner.invoke(args=["trophies", "export", edition.slug, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["edition"] == edition.slug
    assert "written to standard output" in result.stderr


def test_the_cli_refuses_an_unknown_edition_and_xlsx_without_a_file(app, runner):
    result = runner.invoke(args=["trophies", "export", "no-such-edition", "--format", "csv"])
    assert result.exit_code == 1
    assert "no edition 'no-such-edition'" in result.stderr
    edition = make_edition()
    db.session.commit()
    result = runner.invoke(args=["trophies", "export", edition.slug, "--format", "xlsx"])
    assert result.exit_code == 2
    assert "-o FILE" in result.stderr
    assert count(AuditEvent) == 0
