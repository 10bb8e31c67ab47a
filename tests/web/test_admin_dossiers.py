"""Web, organizer area: an edition's dossiers (list with search, filters, sorts and pages; one
dossier in full; downloads), for its organizers only; query counts that do not grow."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from flask import url_for
from flask_babel import force_locale, ngettext
from sqlalchemy import select

from tests.factories import add_role, make_edition, make_user
from tests.helpers import fr, text
from tests.services.test_dossiers import add_dossier, add_questions, build_demo
from trophies.domain.vocabulary import DossierStatus, Role
from trophies.models import AuditEvent, User, db
from trophies.services import dossiers
from trophies.services.demo import ORGANIZER


@pytest.fixture
def client(isolated_client):
    return isolated_client


@pytest.fixture
def demo(app, runner, client, login_as):
    """The demo, with its organizer logged in; returns the judging edition."""
    editions = build_demo(runner)
    organizer = db.session.scalar(select(User).where(User.email == ORGANIZER[1]))
    login_as(organizer)
    return editions["judging"]


@pytest.fixture
def small(app, client, login_as):
    """Edition A (logged-in organizer, small form, three dossiers and a draft) and edition B."""
    edition = make_edition("edition-a", categories=("Équité", "Souveraineté"))
    edition.timezone = "America/New_York"
    other = make_edition("edition-b")
    organizer = make_user("orga@example.org")
    add_role(organizer, edition, Role.ORGANIZER)
    questions = add_questions(edition)
    full = add_dossier(
        edition, reference="A-0001", company="Solen Santé", project="Téléconsultation",
        website="https://solen.example", city="Brest",
        founders=[("Aïcha Benali", "Présidente"), ("Jean Dupont", "CTO")],
        questions=questions, files=[("deck-solen.pdf", 250_000)],
        submitted_at=datetime(2026, 3, 1, 17, 30, tzinfo=UTC),
        answers={"problem": "Premier paragraphe.\n\nSecond paragraphe.", "stage": "market",
                 "goals": "odd3,odd10", "ce": "yes", "staff": "12"})
    ineligible = add_dossier(edition, reference="A-0002", company="Mobilis",
                             category=edition.categories[1], status=DossierStatus.INELIGIBLE,
                             eligibility_reason="Effectif supérieur à 250 salariés.")
    plain = add_dossier(edition, reference="A-0003", company="Zéphyr")
    draft = add_dossier(edition, reference="A-0004", company="Brouillon SAS",
                        status=DossierStatus.DRAFT)
    elsewhere = add_dossier(other, reference="B-0001", company="Ailleurs")
    db.session.commit()
    login_as(organizer)
    return {"edition": edition, "other": other, "organizer": organizer, "full": full,
            "ineligible": ineligible, "plain": plain, "draft": draft, "elsewhere": elsewhere}


def links(response) -> list[str]:
    return [m.replace("&amp;", "&") for m in re.findall(r'href="([^"]+)"',
                                                        response.get_data(as_text=True))]


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# --- the list --------------------------------------------------------------------------------


def test_the_edition_page_links_to_its_applications(small, client):
    response = client.get("/admin/editions/edition-a")
    assert "/admin/editions/edition-a/dossiers" in links(response)


def test_the_list_shows_non_draft_dossiers_with_counts_and_drafts_apart(small, client, app):
    response = client.get("/admin/editions/edition-a/dossiers")
    assert response.status_code == 200
    page = text(response)
    for name in ("Solen Santé", "Mobilis", "Zéphyr", "Aïcha Benali, Jean Dupont"):
        assert name in page
    assert "Brouillon SAS" not in page and "A-0004" not in page and "Ailleurs" not in page
    with app.test_request_context(), force_locale("fr"):
        received = ngettext("application received", "applications received", 3)
        drafts = ngettext("draft in progress (not shown)", "drafts in progress (not shown)", 1)
    assert re.search(r"<strong>3</strong>\s*" + re.escape(received), page)
    assert re.search(r"<strong>1</strong>\s*" + re.escape(drafts), page)
    assert re.search(r'<strong>2</strong> <a href="[^"]*status=eligible"[^>]*>'
                     + re.escape(fr("Eligible")) + "</a>", page)
    assert re.search(r'<strong>1</strong> <a href="[^"]*status=ineligible"[^>]*>'
                     + re.escape(fr("Not eligible")) + "</a>", page)
    assert re.search(r"<strong>0</strong> " + re.escape(fr("Laureate")) + "</li>", page)
    assert re.search(r'<strong>1</strong> <a href="[^"]*category=\d+"[^>]*>Souveraineté</a>',
                     page)
    assert "/admin/editions/edition-a/dossiers/A-0001" in links(response)
    assert "01/03/2026 12:30" in page  # 17:30 UTC in New York


def test_the_search_form_is_a_labelled_get_form_that_works_without_javascript(small, client):
    response = client.get("/admin/editions/edition-a/dossiers?q=BENALI")
    page = response.get_data(as_text=True)
    assert re.search(r'<form method="get" action="/admin/editions/edition-a/dossiers" '
                     r'role="search"', page)
    assert '<label for="q">' in page and 'id="q" name="q" value="BENALI"' in page
    assert '<label for="category">' in page and '<label for="status">' in page
    shown = text(response)
    assert "Solen Santé" in shown and "Mobilis" not in shown
    assert fr("Clear the search and filters") in shown


def test_filters_come_from_the_selects_and_unknown_values_are_ignored(small, client):
    edition = small["edition"]
    sovereignty = edition.categories[1]
    page = text(client.get(f"/admin/editions/edition-a/dossiers?category={sovereignty.id}"))
    assert "Mobilis" in page and "Solen Santé" not in page
    assert f'<option value="{sovereignty.id}" selected>' in page
    page = text(client.get("/admin/editions/edition-a/dossiers?status=ineligible"))
    assert "Mobilis" in page and "Zéphyr" not in page
    for junk in ("status=draft", "status=bogus", "category=999999", "sort=candidate_id",
                 "page=-4", "per_page=100000", "page=abc", "order=sideways"):
        response = client.get(f"/admin/editions/edition-a/dossiers?{junk}")
        assert response.status_code == 200, junk
        assert "Zéphyr" in text(response) and "Brouillon SAS" not in text(response), junk


def test_column_headers_sort_and_announce_the_current_order(small, client):
    response = client.get("/admin/editions/edition-a/dossiers")
    page = response.get_data(as_text=True)
    assert page.count("aria-sort=") == 1
    assert re.search(r'<th scope="col" aria-sort="ascending">\s*<a href="[^"]*"[^>]*>'
                     + re.escape(fr("Reference")), page)
    company = next(u for u in links(response) if "sort=company" in u)
    response = client.get(company)
    assert re.search(r'aria-sort="ascending">\s*<a href="[^"]*"[^>]*>' + re.escape(fr("Company")),
                     response.get_data(as_text=True))
    names = re.findall(r"<td>(Solen Santé|Mobilis|Zéphyr)</td>", text(response))
    assert names == ["Mobilis", "Solen Santé", "Zéphyr"]
    toggle = re.search(r'aria-sort="ascending">\s*<a href="([^"]*)"',
                       response.get_data(as_text=True)).group(1).replace("&amp;", "&")
    assert query_of(toggle) == {"sort": ["company"], "order": ["desc"]}
    # The other links of the page keep the sort.
    assert query_of(next(u for u in links(response) if "status=eligible" in u)) == {
        "sort": ["company"], "status": ["eligible"]}
    response = client.get(toggle)
    assert 'aria-sort="descending"' in response.get_data(as_text=True)
    assert re.findall(r"<td>(Solen Santé|Mobilis|Zéphyr)</td>", text(response)) == [
        "Zéphyr", "Solen Santé", "Mobilis"]


def test_pagination_links_keep_the_search_filters_and_sort(demo, client):
    category = demo.categories[0]
    wanted = {"q": ["e"], "status": ["eligible"], "sort": ["company"], "order": ["desc"],
              "category": [str(category.id)]}
    expected = dossiers.list_dossiers(demo, search="e", status="eligible",
                                      category_id=category.id, per_page=10)
    assert expected.pages >= 2  # the demo is large enough for this test
    base = (f"/admin/editions/{demo.slug}/dossiers?q=e&status=eligible&category={category.id}"
            f"&sort=company&order=desc&per_page=10")
    first = client.get(base)
    assert first.status_code == 200
    next_url = re.search(r'href="([^"]+)" rel="next"', first.get_data(as_text=True)).group(1)
    assert query_of(next_url.replace("&amp;", "&")) == {**wanted, "per_page": ["10"],
                                                        "page": ["2"]}
    second = client.get(next_url.replace("&amp;", "&"))
    assert fr("Page %(page)d of %(pages)d", page=2, pages=expected.pages) in text(second)
    prev_url = re.search(r'href="([^"]+)" rel="prev"', second.get_data(as_text=True)).group(1)
    assert query_of(prev_url.replace("&amp;", "&")) == {**wanted, "per_page": ["10"]}


def test_the_demo_list_has_72_applications_on_three_pages(demo, client):
    page1 = text(client.get(f"/admin/editions/{demo.slug}/dossiers"))
    assert fr("Page %(page)d of %(pages)d", page=1, pages=3) in page1
    assert len(re.findall(r'<td><a href="/admin/editions/[^"]+/dossiers/', page1)) == 25
    page3 = text(client.get(f"/admin/editions/{demo.slug}/dossiers?page=3"))
    assert len(re.findall(r'<td><a href="/admin/editions/[^"]+/dossiers/', page3)) == 22
    wide = text(client.get(f"/admin/editions/{demo.slug}/dossiers?per_page=100"))
    assert len(re.findall(r'<td><a href="/admin/editions/[^"]+/dossiers/', wide)) == 72
    assert 'rel="next"' not in wide


def test_the_list_page_runs_the_same_queries_for_25_50_or_100_rows(demo, client,
                                                                   count_queries):
    counts = {}
    for per_page in (25, 50, 100):
        path = f"/admin/editions/{demo.slug}/dossiers?per_page={per_page}&sort=category"
        client.get(path)  # warm-up
        with count_queries() as counter:
            response = client.get(path)
        assert response.status_code == 200
        counts[per_page] = counter.count
    assert counts[25] == counts[50] == counts[100], counts
    assert counts[25] <= 12, counts


# --- one dossier -----------------------------------------------------------------------------


def test_the_dossier_page_shows_answers_by_their_labels_founders_and_files(small, client,
                                                                           app):
    response = client.get("/admin/editions/edition-a/dossiers/A-0001")
    assert response.status_code == 200
    page = text(response)
    for shown in ("Solen Santé", "Téléconsultation", "Aïcha Benali", "Présidente",
                  "Quel problème ?", "<p>Premier paragraphe.</p>", "<p>Second paragraphe.</p>",
                  "Stade atteint", "Sur le marché", "<li>ODD 3 : bonne santé</li>",
                  "<li>ODD 10 : inégalités réduites</li>", "Marquage CE ?", fr("Yes"),
                  "deck-solen.pdf", "Brest"):
        assert shown in page, shown
    for code in ("market", "odd3", "odd10", ">yes<"):
        assert code not in page, code
    assert "1 mars 2026 à 12:30 (America/New_York)" in page  # 17:30 UTC, the edition's zone
    assert '<a href="https://solen.example" rel="noopener noreferrer nofollow">solen.example</a>' \
        in page
    assert re.search(r"244\s?Ko|244\s?KB|" + re.escape(fr("%(size)s KB", size="244")), page)
    attachment = small["full"].attachments[0]
    with app.test_request_context():
        download = url_for("files.download", attachment_id=attachment.id)
    assert links(response).count(download) == 2  # under its question and in the file list


def test_the_dossier_page_in_english_uses_english_labels(small, client):
    client.post("/account/language", data={"lang": "en"})
    page = text(client.get("/admin/editions/edition-a/dossiers/A-0001"))
    assert "Stage reached" in page and "On the market" in page
    assert "<li>SDG 3: good health</li>" in page
    assert ">Yes<" in page
    assert re.search(r"Mar 1, 2026 at 12:30\sPM \(America/New_York\)", page)


def test_the_dossier_page_shows_the_eligibility_reason(small, client):
    page = text(client.get("/admin/editions/edition-a/dossiers/A-0002"))
    assert "Effectif supérieur à 250 salariés." in page
    assert fr("Not eligible") in page
    assert fr("Not answered.") in page


def test_only_web_addresses_become_links(small, client):
    edition = small["edition"]
    questions = {q.key: q for q in edition.questions}
    add_dossier(edition, reference="A-0020", website="javascript:alert(1)", questions=questions,
                company="<img src=x onerror=alert(1)>")
    db.session.commit()
    page = client.get("/admin/editions/edition-a/dossiers/A-0020").get_data(as_text=True)
    assert 'href="javascript' not in page
    assert "javascript:alert(1)" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_drafts_and_other_editions_dossiers_answer_404(small, client):
    assert client.get("/admin/editions/edition-a/dossiers/A-0004").status_code == 404
    assert client.get("/admin/editions/edition-a/dossiers/B-0001").status_code == 404
    assert client.get("/admin/editions/edition-a/dossiers/NOPE").status_code == 404


def test_the_dossier_page_runs_the_same_queries_for_few_or_many_founders_and_files(
        small, client, count_queries):
    edition = small["edition"]
    questions = {q.key: q for q in edition.questions}
    few = add_dossier(edition, reference="A-0010", questions=questions,
                      founders=[("Un", "x")], files=[("a.pdf", 1)], answers={"stage": "pilot"})
    many = add_dossier(edition, reference="A-0011", questions=questions,
                       founders=[(f"F{i}", "x") for i in range(8)],
                       files=[(f"f{i}.pdf", 1) for i in range(6)],
                       answers={"stage": "pilot", "goals": "odd3,odd10", "ce": "no",
                                "problem": "x", "staff": "3"})
    db.session.commit()
    numbers = []
    for dossier in (few, many):
        path = f"/admin/editions/edition-a/dossiers/{dossier.reference}"
        client.get(path)
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        numbers.append(counter.count)
    assert numbers[0] == numbers[1], numbers


# --- authorization ---------------------------------------------------------------------------

PATHS = ("/admin/editions/{slug}/dossiers", "/admin/editions/{slug}/dossiers/{ref}",
         "/admin/editions/{slug}/dossiers.csv", "/admin/editions/{slug}/dossiers.xlsx",
         "/admin/editions/{slug}/dossiers.json")


def test_another_editions_organizer_gets_404_on_every_page_and_download(small, client,
                                                                        login_as):
    outsider = make_user("outsider@example.org")
    add_role(outsider, small["other"], Role.ORGANIZER)
    db.session.commit()
    login_as(outsider)
    for path in PATHS:
        response = client.get(path.format(slug="edition-a", ref="A-0001"))
        assert response.status_code == 404, path
        assert "Solen" not in text(response)
    # ...while their own edition opens.
    assert client.get("/admin/editions/edition-b/dossiers/B-0001").status_code == 200
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "dossiers.exported")) is None


@pytest.mark.parametrize("role", [Role.JUROR, Role.CANDIDATE])
def test_jurors_and_candidates_of_the_edition_get_403(small, client, login_as, role):
    user = make_user()
    add_role(user, small["edition"], role)
    db.session.commit()
    login_as(user)
    for path in PATHS:
        assert client.get(path.format(slug="edition-a", ref="A-0001")).status_code == 403, path


def test_an_administrator_sees_every_edition(small, client, login_as):
    admin = make_user(is_admin=True)
    db.session.commit()
    login_as(admin)
    for path in PATHS:
        assert client.get(path.format(slug="edition-b", ref="B-0001")).status_code == 200, path


# --- downloads -------------------------------------------------------------------------------


def test_downloads_are_confidential_attachments_and_audited(small, client):
    expected = {"csv": "text/csv; charset=utf-8",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "json": "application/json"}
    for fmt, mimetype in expected.items():
        response = client.get(f"/admin/editions/edition-a/dossiers.{fmt}")
        assert response.status_code == 200, fmt
        assert response.headers["Content-Type"] == mimetype
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment; filename=edition-a-dossiers-"), disposition
        assert disposition.endswith(f".{fmt}")
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    csv_rows = list(csv.reader(io.StringIO(
        client.get("/admin/editions/edition-a/dossiers.csv").data.decode("utf-8-sig"))))
    assert [r[0] for r in csv_rows[1:]] == ["A-0001", "A-0002", "A-0003"]
    assert "Stade atteint" in csv_rows[0]  # the reader's language (French by default)
    workbook = openpyxl.load_workbook(io.BytesIO(
        client.get("/admin/editions/edition-a/dossiers.xlsx").data))
    assert workbook.active["A2"].value == "A-0001"
    document = json.loads(client.get("/admin/editions/edition-a/dossiers.json").data)
    assert [d["reference"] for d in document["dossiers"]] == ["A-0001", "A-0002", "A-0003"]
    db.session.expire_all()
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "dossiers.exported").order_by(AuditEvent.id)).all()
    assert len(events) == 6
    assert {e.actor_id for e in events} == {small["organizer"].id}
    assert {e.edition_id for e in events} == {small["edition"].id}
    assert events[0].data == {"format": "csv", "count": 3, "language": "fr"}


def test_an_unknown_download_format_is_404_and_not_audited(small, client):
    assert client.get("/admin/editions/edition-a/dossiers.pdf").status_code == 404
    assert client.get("/admin/editions/no-such-edition/dossiers.csv").status_code == 404
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "dossiers.exported")) is None


def test_the_list_offers_the_three_downloads(small, client):
    found = links(client.get("/admin/editions/edition-a/dossiers"))
    for fmt in ("xlsx", "csv", "json"):
        assert f"/admin/editions/edition-a/dossiers.{fmt}" in found
