"""PDF documents on the web: the organizers' Documents page (what each document is, whether it
exists now and why not, the minutes' inputs, recent background jobs), downloads through
authorized views only (organizers of the edition; a juror their own book; a candidate their
dossier's receipt and feedback; the published palmarès for everyone), download headers, the
audit of confidential downloads, long documents generated in the background (job page,
progress, file for the requester only), and the public palmarès PDF rendered once per
snapshot and language.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import IsolatedClient
from tests.factories import add_role, make_edition, make_user
from tests.helpers import count, csrf_token, fr, location_path, text
from tests.pdf_support import pdf_info, pdf_tools, render_pages, words  # noqa: F401
from tests.services.test_results_service import ranked
from tests.web.test_palmares import build_world, published_world, state
from trophies import documents
from trophies.domain.vocabulary import ConflictSource, ConflictStatus, Role
from trophies.models import (
    AuditEvent,
    Conflict,
    DeliberationMinutes,
    DocumentJob,
    DossierMember,
    JurorProfile,
    db,
    utcnow,
)
from trophies.services import deliberation
from trophies.services import document_jobs as jobs


def admin_url(edition, suffix: str = "") -> str:
    return f"/admin/editions/{edition.slug}/documents{suffix}"


def downloads() -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "document.downloaded").order_by(AuditEvent.id)))


def assert_pdf(response, *, cache: str = "no-store") -> bytes:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    assert re.fullmatch(r'attachment; filename=[\w.-]+\.pdf', response.headers[
        "Content-Disposition"]), response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == cache
    assert response.data.startswith(b"%PDF")
    return response.data


@pytest.fixture
def started(monkeypatch):
    """Jobs the web started, not run: the test runs them with run_now (deterministic)."""
    ids: list[str] = []
    monkeypatch.setattr(jobs, "start", lambda app, job_id: ids.append(job_id))
    return ids


def publish(w) -> None:
    deliberation.publish(w.edition, actor=w.organizer)
    db.session.commit()


def accepted_juror(w):
    """The first juror of `ranked()`, who has accepted the confidentiality statement."""
    juror = w.jury.jurors[0]
    db.session.scalar(select(JurorProfile).where(JurorProfile.user_id == juror.id)
                      ).confidentiality_accepted_at = utcnow()
    db.session.commit()
    return juror


def run_now(app, job_id: str) -> None:
    with app.app_context():
        jobs.run(job_id)


# --- the Documents page -----------------------------------------------------------------------


def test_the_documents_page_lists_each_document_with_whether_it_exists_now(client, login_as):
    w = ranked()
    edition = w.jury.edition
    login_as(w.jury.organizer)
    response = client.get(admin_url(edition))
    assert response.status_code == 200
    page = text(response)
    assert fr("Results report, round %(number)d: %(name)s", number=1, name="Pré-sélection") in page
    assert f"/admin/editions/{edition.slug}/documents/results?lang=fr&for=1" in page
    assert f"/admin/editions/{edition.slug}/documents/minutes?lang=fr" in page
    # not frozen: no palmarès nor certificates yet, with the reason and no link
    assert fr("The results have not been frozen yet.") in page
    assert "/documents/palmares?" not in page and "/documents/certificates?" not in page
    for juror in w.jury.jurors[:3]:  # the books: one row per juror with assignments
        assert re.search(rf'<th scope="row">{juror.full_name}</th>\s*<td class="num">1</td>\s*'
                         r'<td class="num">6</td>', page)
        assert f"documents/book?lang=fr&for={juror.id}" in page
    assert f'<th scope="row">{w.jury.jurors[3].full_name}</th>' not in page  # nothing to read
    assert 'name="attendees"' in page and "Alice Martin" in page
    english = text(client.get(admin_url(edition, "?lang=en")))
    assert "/documents/results?lang=en&for=1" in english
    for source in (f"/admin/editions/{edition.slug}", f"/admin/editions/{edition.slug}"
                   "/deliberation", f"/admin/editions/{edition.slug}/rounds/1/results"):
        assert f'href="{admin_url(edition)}"' in client.get(source).get_data(as_text=True)


def test_a_broken_document_does_not_hide_the_others(client, login_as, monkeypatch, caplog):
    w = ranked()
    original = documents.registry.build

    def build(edition, kind, *args, **kwargs):
        if kind == "minutes":
            raise RuntimeError("template exploded")
        return original(edition, kind, *args, **kwargs)

    monkeypatch.setattr(documents.registry, "build", build)
    login_as(w.jury.organizer)
    response = client.get(admin_url(w.jury.edition))
    assert response.status_code == 200
    page = text(response)
    assert fr("This document cannot be prepared because of an error, which has been "
              "logged.") in page
    assert "documents/results?lang=fr&for=1" in page and "documents/minutes?" not in page
    assert "template exploded" in caplog.text and "template exploded" not in page


def test_only_the_editions_organizers_reach_its_documents(client, login_as, started):
    w = ranked()
    edition = w.jury.edition
    other = make_edition()
    stranger = make_user()
    add_role(stranger, other, Role.ORGANIZER)
    db.session.commit()
    gets = [admin_url(edition), admin_url(edition, "/results?for=1"),
            admin_url(edition, "/minutes")]
    posts = [admin_url(edition, "/minutes"), admin_url(edition, "/results/jobs")]
    for url in gets + posts:
        response = client.get(url) if url in gets else client.post(url)
        assert location_path(response) == "/account/login", url
    for user, status in ((stranger, 404), (w.jury.jurors[0], 403), (w.jury.candidates[0], 403)):
        login_as(user)
        for url in gets:
            assert client.get(url).status_code == status, (url, user.full_name)
        for url in posts:
            assert client.post(url, data={"for": "1"}).status_code == status, url
    assert downloads() == [] and count(DocumentJob) == 0 and started == []
    login_as(w.jury.organizer)
    assert client.get(admin_url(edition, "/nonsense")).status_code == 404
    assert client.post(admin_url(edition, "/nonsense/jobs")).status_code == 404


# --- downloads and the audit ------------------------------------------------------------------


def test_the_results_report_downloads_in_the_language_asked_and_is_audited(
        client, login_as, pdf_tools):  # noqa: F811
    w = ranked()
    edition = w.jury.edition
    login_as(w.jury.organizer)
    english = assert_pdf(client.get(admin_url(edition, "/results?for=1&lang=en")))
    french = assert_pdf(client.get(admin_url(edition, "/results?for=1&lang=fr")))
    assert pdf_info(english)["Title"] == f"Results report — {edition.name_en}"
    assert edition.name_fr in pdf_info(french)["Title"]
    assert "Télésuivi frugal" in words(english)
    render_pages(english, "web-results-en")
    first, second = downloads()
    assert first.actor_id == w.jury.organizer.id and first.edition_id == edition.id
    assert first.data == {"kind": "results", "lang": "en", "subject": "1",
                          "pages": int(pdf_info(english)["Pages"]), "digest": None}
    assert second.data["lang"] == "fr"


def test_a_document_that_cannot_exist_yet_sends_the_organizer_back_with_the_reason(
        client, login_as):
    w = ranked()
    edition = w.jury.edition
    login_as(w.jury.organizer)
    response = client.get(admin_url(edition, "/palmares?lang=en"))
    assert location_path(response) == admin_url(edition)
    assert fr("The results have not been frozen yet.") in text(client.get(admin_url(edition)))
    response = client.get(admin_url(edition, f"/receipt?for={w.e1.reference}x"))
    assert location_path(response) == f"/admin/editions/{edition.slug}/dossiers/" \
                                      f"{w.e1.reference}x"
    assert downloads() == []


def test_receipts_from_the_admin_dossier_page_are_not_audited(client, login_as, pdf_tools):  # noqa: F811
    w = ranked()
    edition = w.jury.edition
    login_as(w.jury.organizer)
    page = text(client.get(f"/admin/editions/{edition.slug}/dossiers/{w.e1.reference}"))
    link = f"/admin/editions/{edition.slug}/documents/receipt?lang=fr&for={w.e1.reference}"
    assert link in page
    assert w.e1.reference in words(assert_pdf(client.get(link)))
    assert downloads() == []


# --- the minutes' inputs ----------------------------------------------------------------------


def test_the_minutes_details_are_saved_and_refused_values_come_back_typed(client, login_as):
    w = ranked()
    edition = w.jury.edition
    alice, bruno = w.jury.jurors[:2]
    login_as(w.jury.organizer)
    bad = {"held_on": "2025-06-31", "place": "Nantes", "chair_name": "x" * 201,
           "attendees": [str(alice.id), str(w.jury.organizer.id)], "notes": "Débat <b>vif</b>"}
    response = client.post(admin_url(edition, "/minutes"), data=bad)
    assert response.status_code == 400
    page = text(response)
    assert 'class="error-summary"' in page
    assert 'href="#held_on"' in page and 'href="#chair_name"' in page
    assert 'href="#attendees"' in page
    assert 'value="Nantes"' in page and "Débat &lt;b&gt;vif&lt;/b&gt;" in response.get_data(
        as_text=True)
    assert re.search(rf'<input[^>]*checked[^>]*value="{alice.id}"|<input[^>]*value="'
                     rf'{alice.id}"[^>]*checked', page)
    assert count(DeliberationMinutes) == 0
    good = {"held_on": "2025-06-30", "place": "Nantes", "chair_name": "Dr Anne Martin",
            "attendees": [str(alice.id), str(bruno.id)], "notes": "Débat vif."}
    response = client.post(admin_url(edition, "/minutes"), data=good)
    assert location_path(response) == admin_url(edition)
    row = db.session.scalar(select(DeliberationMinutes))
    assert (row.place, row.chair_name, sorted(row.attendee_ids)) == (
        "Nantes", "Dr Anne Martin", sorted([alice.id, bruno.id]))
    assert str(row.held_on) == "2025-06-30"
    page = text(client.get(admin_url(edition)))
    assert fr("The minutes’ details are saved.") in page and 'value="Dr Anne Martin"' in page
    assert count(AuditEvent, AuditEvent.action == "minutes.saved") == 1


def test_the_minutes_form_needs_its_csrf_token(app_factory, login_as):
    w = ranked()
    protected = app_factory(WTF_CSRF_ENABLED=True)
    client = IsolatedClient(protected, protected.response_class, use_cookies=True)
    login_as(w.jury.organizer, client)
    url = admin_url(w.jury.edition, "/minutes")
    assert client.post(url, data={"place": "Nantes"}).status_code == 400
    token = csrf_token(client.get(admin_url(w.jury.edition)))
    response = client.post(url, data={"place": "Nantes", "csrf_token": token})
    assert response.status_code == 302
    assert db.session.scalar(select(DeliberationMinutes.place)) == "Nantes"


# --- long documents: in the background --------------------------------------------------------


def test_a_long_document_is_generated_in_the_background_for_its_requester_only(
        app, client, login_as, started, pdf_tools):  # noqa: F811
    app.config["PDF_INLINE_ROWS"] = 0
    w = ranked()
    edition = w.jury.edition
    colleague = make_user()
    add_role(colleague, edition, Role.ORGANIZER)
    db.session.commit()
    login_as(w.jury.organizer)
    offer = client.get(admin_url(edition, "/results?for=1&lang=en"))
    assert offer.status_code == 200 and b"%PDF" not in offer.data
    assert f'action="{admin_url(edition, "/results/jobs")}"' in text(offer)
    assert 'name="for" value="1"' in text(offer) and 'name="lang" value="en"' in text(offer)
    response = client.post(admin_url(edition, "/results/jobs"), data={"for": "1", "lang": "en"})
    [job_id] = started
    job_url = f"/documents/jobs/{job_id}"
    assert location_path(response) == job_url
    waiting = client.get(job_url)
    assert waiting.status_code == 200 and waiting.headers["Refresh"] == "2"
    page = text(waiting)
    assert '<progress id="job-progress" max="100" value="0"' in page
    assert 'aria-live="polite"' in page and "<script" not in page.split("<main", 1)[1]
    assert "Refresh" not in client.get(job_url + "?auto=0").headers
    run_now(app, job_id)
    ready = client.get(job_url)
    assert "Refresh" not in ready.headers
    assert f'href="{job_url}/file"' in text(ready)
    data = assert_pdf(client.get(job_url + "/file"))
    assert pdf_info(data)["Title"] == f"Results report — {edition.name_en}"
    [event] = downloads()
    assert event.data["job"] == job_id and event.data["kind"] == "results"
    assert event.data["pages"] == int(pdf_info(data)["Pages"]) and event.data["subject"] == "1"
    listed = text(client.get(admin_url(edition)))
    assert f'href="{job_url}"' in listed and w.jury.organizer.full_name in listed
    login_as(colleague)  # another organizer of the same edition: not their job
    for url in (job_url, job_url + "/file"):
        assert client.get(url).status_code == 404
    assert client.post(job_url + "/retry").status_code == 404
    assert f'href="{job_url}"' not in text(client.get(admin_url(edition)))
    assert len(downloads()) == 1


def test_the_job_page_shows_the_progress_then_why_it_failed_with_a_retry(
        app, client, login_as, started):
    w = ranked()
    edition = w.jury.edition
    job = jobs.create(edition, "results", "fr", "1", actor=w.jury.organizer)
    job.status, job.started_at, job.progress = "running", utcnow(), 45
    db.session.commit()
    login_as(w.jury.organizer)
    running = client.get(f"/documents/jobs/{job.id}")
    assert running.headers["Refresh"] == "2"
    assert '<progress id="job-progress" max="100" value="45"' in text(running)
    assert fr("Generated so far: %(percent)s.", percent=fr("%(num)d%%", num=45)) in text(running)
    job.started_at = utcnow() - timedelta(minutes=20)  # its process died long ago
    db.session.commit()
    failed = client.get(f"/documents/jobs/{job.id}")
    assert "Refresh" not in failed.headers
    page = text(failed)
    assert fr("The generation was interrupted (the server restarted). Try again.") in page
    assert client.get(f"/documents/jobs/{job.id}/file").status_code == 404
    response = client.post(f"/documents/jobs/{job.id}/retry")
    [new_id] = started
    assert new_id != job.id and location_path(response) == f"/documents/jobs/{new_id}"
    assert db.session.get(DocumentJob, new_id).status == "queued"


# --- the juror's book -------------------------------------------------------------------------


def test_a_juror_downloads_their_own_book_only_and_it_is_audited(
        client, login_as, pdf_tools):  # noqa: F811
    w = ranked()
    edition = w.jury.edition
    alice, bruno, denis = w.jury.jurors[0], w.jury.jurors[1], w.jury.jurors[3]
    for profile in db.session.scalars(select(JurorProfile).where(
            JurorProfile.user_id.in_([alice.id, denis.id]))):
        profile.confidentiality_accepted_at = utcnow()
    db.session.commit()
    url = f"/jury/{edition.slug}/book.pdf"
    login_as(alice)
    assert url in text(client.get(f"/jury/{edition.slug}/"))
    data = assert_pdf(client.get(f"{url}?lang=en&for={bruno.id}"))  # `for` is ignored
    assert alice.full_name in pdf_info(data)["Title"]
    [event] = downloads()
    assert event.actor_id == alice.id and event.data["subject"] == str(alice.id)
    assert event.data["kind"] == "book" and event.data["lang"] == "en"
    login_as(bruno)  # has not accepted the confidentiality statement
    assert location_path(client.get(url)) == f"/jury/{edition.slug}/confidentiality"
    login_as(denis)  # no assignment: back to the jury page with the reason
    assert location_path(client.get(url)) == f"/jury/{edition.slug}/"
    for user in (w.jury.candidates[0], w.jury.organizer):
        login_as(user)
        assert client.get(url).status_code == 404
    assert len(downloads()) == 1


def test_a_long_book_goes_to_the_background_and_only_its_juror_follows_it(
        app, client, login_as, started):
    app.config["PDF_INLINE_ROWS"] = 0
    w = ranked()
    edition = w.jury.edition
    alice = accepted_juror(w)
    login_as(alice)
    offer = text(client.get(f"/jury/{edition.slug}/book.pdf"))
    assert f'action="/jury/{edition.slug}/book/jobs"' in offer
    response = client.post(f"/jury/{edition.slug}/book/jobs", data={"for": "999"})
    [job_id] = started
    assert location_path(response) == f"/documents/jobs/{job_id}"
    job = db.session.get(DocumentJob, job_id)
    assert (job.kind, job.subject, job.requested_by_id) == ("book", str(alice.id), alice.id)
    assert f'href="/jury/{edition.slug}/"' in text(client.get(f"/documents/jobs/{job_id}"))
    login_as(w.jury.organizer)
    assert client.get(f"/documents/jobs/{job_id}").status_code == 404


def test_a_stored_book_is_withdrawn_once_a_dossier_in_it_is_no_longer_the_jurors(
        app, client, login_as, started, pdf_tools):  # noqa: F811
    """A conflict confirmed after the book was made: its stored file is no longer served."""
    app.config["PDF_INLINE_ROWS"] = 0
    w = ranked()
    edition = w.jury.edition
    alice = accepted_juror(w)
    login_as(alice)
    client.post(f"/jury/{edition.slug}/book/jobs")
    [job_id] = started
    run_now(app, job_id)
    file_url = f"/documents/jobs/{job_id}/file"
    data = assert_pdf(client.get(file_url))
    assert w.e1.reference in words(data)
    db.session.add(Conflict(edition_id=edition.id, juror_id=alice.id, dossier_id=w.e1.id,
                            source=ConflictSource.DECLARED, status=ConflictStatus.CONFIRMED))
    db.session.commit()
    assert client.get(file_url).status_code == 404
    assert client.get(f"/documents/jobs/{job_id}").status_code == 404


def test_an_interrupted_job_stays_failed_when_its_old_thread_finishes(app):
    w = ranked()
    job = jobs.create(w.jury.edition, "results", "en", "1", actor=w.jury.organizer)
    job.status, job.started_at = jobs.RUNNING, utcnow() - timedelta(hours=1)
    db.session.commit()
    assert jobs.current(job).status == jobs.FAILED  # counted as interrupted when read
    db.session.commit()
    jobs._finish(job.id, status=jobs.DONE, progress=100)
    db.session.expire_all()
    assert db.session.get(DocumentJob, job.id).status == jobs.FAILED


def test_the_unpublished_verdict_is_audited_when_downloaded(client, login_as, pdf_tools):  # noqa: F811
    w = build_world()
    state(w, "frozen")
    login_as(w.organizer)
    for kind in ("palmares", "certificates"):
        assert_pdf(client.get(admin_url(w.edition, f"/{kind}")))
    assert [e.data["kind"] for e in downloads()] == ["palmares", "certificates"]
    publish(w)
    assert_pdf(client.get(admin_url(w.edition, "/palmares")))
    assert len(downloads()) == 2, "a published palmarès is public: not audited"


# --- the candidate's receipt and feedback -----------------------------------------------------


def test_the_receipt_is_for_the_dossiers_team_only(client, login_as, pdf_tools):  # noqa: F811
    w = ranked()
    dossier, owner = w.e1, w.jury.candidates[0]
    partner = make_user("associee@startup.example")
    db.session.add(DossierMember(dossier_id=dossier.id, email=partner.email, user_id=partner.id,
                                 expires_at=utcnow() + timedelta(days=1), accepted_at=utcnow()))
    db.session.commit()
    url = f"/candidate/dossiers/{dossier.reference}/receipt.pdf"
    assert location_path(client.get(url)) == "/account/login"
    login_as(owner)
    assert url in text(client.get(f"/candidate/dossiers/{dossier.reference}"))
    for user in (owner, partner):
        login_as(user)
        assert dossier.reference in words(assert_pdf(client.get(url + "?lang=en")))
    for user in (w.jury.candidates[1], w.jury.jurors[0], w.jury.organizer):
        login_as(user)
        assert client.get(url).status_code == 404
    assert downloads() == []


def test_the_feedback_pdf_exists_once_published_for_the_candidate_only(
        client, login_as, pdf_tools):  # noqa: F811
    w = build_world()
    state(w, "frozen")
    p2 = w.dossiers["p2"]
    url = f"/candidate/dossiers/{p2.reference}/feedback.pdf"
    login_as(w.candidates["p2"])
    assert client.get(url).status_code == 404
    publish(w)
    assert url in text(client.get(f"/candidate/dossiers/{p2.reference}/feedback"))
    assert "Audace" in words(assert_pdf(client.get(url)))
    login_as(w.candidates["p1"])
    assert client.get(url).status_code == 404
    assert downloads() == []


# --- the public palmarès PDF ------------------------------------------------------------------


@pytest.fixture
def renders(monkeypatch):
    calls: list[str] = []
    original = documents.produce

    def counting(doc, *args, **kwargs):
        calls.append(doc.kind)
        return original(doc, *args, **kwargs)

    monkeypatch.setattr(documents, "produce", counting)
    return calls


def test_the_public_palmares_pdf_waits_for_publication_then_renders_once_per_language(
        client, renders, pdf_tools):  # noqa: F811
    w = build_world()
    state(w, "frozen")
    url = f"/editions/{w.slug}/palmares.pdf"
    assert client.get(url).status_code == 404
    assert client.get("/editions/nope/palmares.pdf").status_code == 404
    assert renders == []
    publish(w)
    published = w
    assert url in text(client.get(f"/editions/{w.slug}/palmares"))
    public = "public, max-age=300"
    first = assert_pdf(client.get(url + "?lang=fr"), cache=public)
    again = assert_pdf(client.get(url + "?lang=fr"), cache=public)
    assert first == again and renders == ["palmares"]
    english = assert_pdf(client.get(url + "?lang=en"), cache=public)
    assert renders == ["palmares", "palmares"]
    assert pdf_info(english)["Title"] == f"Winners of {published.edition.name_en}"
    assert published.edition.name_fr in pdf_info(first)["Title"]
    assert "MédiLien" in words(first) and "Oubliée SAS" not in words(first)
    assert downloads() == []


def test_the_public_palmares_pdf_is_rate_limited(app, app_factory, pdf_tools):  # noqa: F811
    w = published_world()
    limited = app_factory(RATELIMIT_ENABLED=True, PALMARES_PDF_LIMITS="2 per minute")
    client = IsolatedClient(limited, limited.response_class, use_cookies=True)
    url = f"/editions/{w.slug}/palmares.pdf"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
