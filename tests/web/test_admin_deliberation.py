"""Organizers deliberate on one page: the ranked applications per category, the laureate,
runners-up and mentions with a justification wherever a choice departs from the ranking, the
edition-wide Coup de cœur; they freeze the verdict (a snapshot with its digest), amend it with
a reason (a new snapshot, the history kept), verify it against a recomputation, and publish it
now or at a time in the edition's zone. Nobody else learns the pages exist."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from tests.conftest import IsolatedClient
from tests.factories import add_role, make_dossier, make_edition, make_user
from tests.helpers import count, csrf_token, fr, text, value
from trophies.domain.vocabulary import DecisionKind, DossierStatus, Phase, Role, SheetStatus
from trophies.models import (
    Assignment,
    AuditEvent,
    Decision,
    Dossier,
    Edition,
    Mark,
    ResultSnapshot,
    ScoreSheet,
    User,
    db,
    utcnow,
)

#: Marks (0-5) given by the three jurors: d1 > d2 > d3 in Équité, d4 > d5 in Souveraineté.
MARKS = {"d1": (5, 5, 4), "d2": (4, 4, 3), "d3": (2, 3, 2), "d4": (5, 4, 4), "d5": (1, 2, 1)}


@dataclass
class Deliberation:
    edition: Edition
    organizer: User
    jurors: list[User]
    candidate: User
    dossiers: dict[str, Dossier]

    @property
    def equite(self):
        return self.edition.categories[0]

    @property
    def souverainete(self):
        return self.edition.categories[1]

    def url(self, action: str = "/deliberation") -> str:
        return f"/admin/editions/{self.edition.slug}{action}"

    def save_url(self, category) -> str:
        return self.url(f"/deliberation/categories/{category.id}")

    def id(self, key: str) -> str:
        return str(self.dossiers[key].id)


def build(phase: Phase = Phase.DELIBERATION) -> Deliberation:
    """An edition in `phase` whose only round is closed, three jurors having submitted a sheet
    on each of the five applications. Committed."""
    edition = make_edition(phase=phase, categories=("Équité", "Souveraineté"))
    edition.timezone = "Europe/Paris"
    round_ = edition.rounds[0]
    round_.closed_at = utcnow() - timedelta(hours=1)
    criterion = round_.criteria[0]
    organizer = make_user(full_name="Olga Organisatrice")
    add_role(organizer, edition, Role.ORGANIZER)
    jurors = []
    for name in ("Alice Martin", "Bruno Petit", "Chloé Durand"):
        jurors.append(make_user(full_name=name))
        add_role(jurors[-1], edition, Role.JUROR)
    candidate = make_user(full_name="Camille Candidate")
    add_role(candidate, edition, Role.CANDIDATE)
    equite, souverainete = edition.categories
    dossiers = {}
    for key, marks in MARKS.items():
        dossier = make_dossier(edition, candidate)
        dossier.status = DossierStatus.ELIGIBLE
        dossier.category_id = (equite if key in ("d1", "d2", "d3") else souverainete).id
        dossier.project_title = f"Projet {key}"
        dossiers[key] = dossier
        db.session.flush()
        for juror, mark in zip(jurors, marks, strict=True):
            pair = Assignment(round_id=round_.id, dossier_id=dossier.id, juror_id=juror.id,
                              published_at=utcnow() - timedelta(days=5))
            db.session.add(pair)
            db.session.flush()
            sheet = ScoreSheet(assignment_id=pair.id, status=SheetStatus.SUBMITTED,
                               submitted_at=utcnow() - timedelta(days=2))
            db.session.add(sheet)
            db.session.flush()
            db.session.add(Mark(sheet_id=sheet.id, criterion_id=criterion.id, value=mark))
    db.session.commit()
    return Deliberation(edition, organizer, jurors, candidate, dossiers)


@pytest.fixture
def f(login_as):
    built = build()
    login_as(built.organizer)
    return built


def decisions() -> list[Decision]:
    return list(db.session.scalars(select(Decision).order_by(Decision.kind, Decision.position)
                                   .execution_options(populate_existing=True)))


def snapshots(f) -> list[ResultSnapshot]:
    return list(db.session.scalars(
        select(ResultSnapshot).where(ResultSnapshot.edition_id == f.edition.id)
        .order_by(ResultSnapshot.sequence).execution_options(populate_existing=True)))


def field_tag(page: str, field_id: str) -> str:
    """The opening tag of the form control whose id is `field_id`."""
    match = re.search(rf'<(?:select|textarea|input)[^>]*\bid="{re.escape(field_id)}"[^>]*>', page)
    assert match, field_id
    return match.group(0)


def record_laureate(client, f, **extra) -> None:
    response = client.post(f.save_url(f.equite), data={"laureate": f.id("d1"), **extra})
    assert response.status_code == 302, text(response)


def frozen(client, f) -> ResultSnapshot:
    record_laureate(client, f)
    response = client.post(f.url("/freeze"), data={"confirm": "y"})
    assert response.status_code == 302, text(response)
    return snapshots(f)[-1]


# --- the page ---------------------------------------------------------------------------------


def test_the_page_shows_each_categorys_ranking_and_a_labelled_form(client, f):
    response = client.get(f.url())
    assert response.status_code == 200
    page = text(response)
    for key in ("d1", "d2", "d3", "d4", "d5"):
        assert f'id="line-{f.id(key)}"' in page
    assert page.index(f'id="line-{f.id("d1")}"') < page.index(f'id="line-{f.id("d2")}"') \
        < page.index(f'id="line-{f.id("d3")}"')
    assert "93,3" in page and "73,3" in page  # 100, 100, 80 and 80, 80, 60: one decimal
    for category in (f.equite, f.souverainete):
        assert f'action="{f.save_url(category)}"' in page
        for name in ("laureate", "runner_up-1", "runner_up-2", "mention-1",
                     "laureate-justification"):
            assert f'<label for="c{category.id}-{name}">' in page, name
    assert f'action="{f.url("/deliberation/coup-de-coeur")}"' in page
    assert '<label for="cdc-coup_de_coeur">' in page
    # the Coup de cœur is chosen among every category's applications
    cdc = page[page.index('id="cdc-coup_de_coeur"'):]
    cdc = cdc[:cdc.index("</select>")]
    assert all(f'value="{f.id(key)}"' in cdc for key in MARKS)
    assert 'name="confirm"' in page and 'name="reason"' not in page  # not frozen: no amendment
    assert f'href="{f.url("/snapshots")}"' in page


def test_before_the_last_round_is_closed_the_page_only_explains(client, login_as):
    early = build(Phase.JUDGING)
    login_as(early.organizer)
    response = client.get(early.url())
    assert response.status_code == 200
    page = text(response)
    assert 'name="laureate"' not in page and 'name="confirm"' not in page  # nothing to submit
    assert fr("Deliberation opens when the last round is closed: close it on its scoring "
              "progress page, and the edition moves to the “%(phase)s” phase.",
              phase=fr("Deliberation")) in page
    response = client.post(early.save_url(early.equite), data={"laureate": early.id("d1")})
    assert response.status_code == 302
    assert count(Decision) == 0


# --- decisions ------------------------------------------------------------------------------------


def test_a_laureate_and_runner_up_that_follow_the_ranking_are_saved_and_audited(client, f):
    response = client.post(f.save_url(f.equite), data={
        "laureate": f.id("d1"), "runner_up-1": f.id("d2"), "runner_up-2": ""})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#category-{f.equite.id}")
    saved = decisions()
    assert [(d.kind, d.dossier_id, d.position, d.category_id) for d in saved] == [
        (DecisionKind.LAUREATE, f.dossiers["d1"].id, 1, f.equite.id),
        (DecisionKind.RUNNER_UP, f.dossiers["d2"].id, 1, f.equite.id)]
    assert all(d.decided_by_id == f.organizer.id and d.justification == "" for d in saved)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "decisions.saved"))
    assert event is not None and event.actor_id == f.organizer.id
    page = text(client.get(f.url()))
    assert fr("The decisions for “%(name)s” are recorded.", name="Équité") in page
    assert "Olga Organisatrice" in page  # who recorded them
    assert f'<option value="{f.id("d1")}" selected>' in page


def test_a_laureate_not_ranked_first_needs_a_justification(client, f):
    response = client.post(f.save_url(f.equite), data={
        "laureate": f.id("d2"), "runner_up-1": f.id("d1")})
    assert response.status_code == 400
    assert count(Decision) == 0
    page = text(response)
    prefix = f"c{f.equite.id}"
    message = fr("This choice departs from the ranking: explain it in a justification.")
    assert message in page
    summary = page[page.index('class="error-summary"'):]
    summary = summary[:summary.index("</div>")]
    links = re.findall(r'href="#([^"]+)"', summary)
    assert links == [f"{prefix}-laureate-justification", f"{prefix}-runner_up-1-justification"]
    tag = field_tag(page, f"{prefix}-laureate-justification")
    assert 'aria-invalid="true"' in tag and f"{prefix}-laureate-justification-error" in tag
    assert f'id="{prefix}-laureate-justification-error"' in page
    assert f'<option value="{f.id("d2")}" selected>' in page  # what was typed is kept

    response = client.post(f.save_url(f.equite), data={
        "laureate": f.id("d2"), "laureate-justification": "Impact démontré en 2026.",
        "runner_up-1": f.id("d1"), "runner_up-1-justification": "Moins mûr."})
    assert response.status_code == 302
    laureate = next(d for d in decisions() if d.kind == DecisionKind.LAUREATE)
    assert laureate.dossier_id == f.dossiers["d2"].id
    assert laureate.justification == "Impact démontré en 2026."
    page = text(client.get(f.url()))
    assert fr("departs from the ranking") in page
    assert "Impact démontré en 2026." in page


def test_a_special_mention_has_a_title(client, f):
    response = client.post(f.save_url(f.souverainete), data={
        "laureate": f.id("d4"), "mention-1": f.id("d5"), "mention-1-title_fr": ""})
    assert response.status_code == 400
    prefix = f"c{f.souverainete.id}"
    page = text(response)
    assert fr("Give the mention a title in French.") in page
    assert 'aria-invalid="true"' in field_tag(page, f"{prefix}-mention-1-title_fr")
    assert count(Decision) == 0
    response = client.post(f.save_url(f.souverainete), data={
        "laureate": f.id("d4"), "mention-1": f.id("d5"),
        "mention-1-title_fr": "Mention spéciale « Territoires »",
        "mention-1-title_en": "Special mention “Territories”"})
    assert response.status_code == 302
    mention = next(d for d in decisions() if d.kind == DecisionKind.MENTION)
    assert (mention.dossier_id, mention.title_fr, mention.title_en) == (
        f.dossiers["d5"].id, "Mention spéciale « Territoires »",
        "Special mention “Territories”")
    page = text(client.get(f.url()))
    assert "Mention spéciale « Territoires »" in page
    # one more mention slot is offered after the recorded ones
    assert f'id="{prefix}-mention-2"' in page


def test_a_choice_outside_the_category_is_refused_and_tied_to_its_field(client, f):
    response = client.post(f.save_url(f.equite), data={"laureate": f.id("d4")})
    assert response.status_code == 400
    page = text(response)
    assert fr("This application is not among those ranked in this category.") in page
    assert 'aria-invalid="true"' in field_tag(page, f"c{f.equite.id}-laureate")
    assert client.post(f.save_url(f.equite), data={"laureate": "x"}).status_code == 400
    other = build()
    assert client.post(f.save_url(other.equite), data={"laureate": f.id("d1")}
                       ).status_code == 404
    assert count(Decision) == 0


def test_the_coup_de_coeur_is_one_application_of_the_whole_edition(client, f):
    response = client.post(f.url("/deliberation/coup-de-coeur"), data={
        "coup_de_coeur": f.id("d5"), "coup_de_coeur-justification": "Le public a adoré."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#coup-de-coeur")
    [saved] = decisions()
    assert (saved.kind, saved.category_id, saved.dossier_id) == (
        DecisionKind.COUP_DE_COEUR, None, f.dossiers["d5"].id)
    page = text(client.get(f.url()))
    assert fr("The decisions for “%(name)s” are recorded.",
              name=fr("Coup de cœur du jury")) in page
    assert "Le public a adoré." in page
    # clearing it
    assert client.post(f.url("/deliberation/coup-de-coeur"),
                       data={"coup_de_coeur": ""}).status_code == 302
    assert count(Decision) == 0


# --- freezing, amending, verifying ------------------------------------------------------------


def test_freezing_needs_the_confirmation_then_makes_snapshot_1_with_its_digest(client, f):
    record_laureate(client, f)
    response = client.post(f.url("/freeze"), data={})
    assert response.status_code == 400
    assert fr("Tick the box to confirm.") in text(response)
    assert value(Edition.phase, f.edition.id) == Phase.DELIBERATION
    response = client.post(f.url("/freeze"), data={"confirm": "y"})
    assert response.status_code == 302
    assert value(Edition.phase, f.edition.id) == Phase.FROZEN
    [snapshot] = snapshots(f)
    assert snapshot.sequence == 1 and re.fullmatch(r"[0-9a-f]{64}", snapshot.digest)
    page = text(client.get(f.url()))
    assert f'<code class="digest">{snapshot.digest}</code>' in page
    assert fr("The verdict is frozen: snapshot %(sequence)d, digest %(digest)s.", sequence=1,
              digest=snapshot.digest) in page
    assert 'name="reason"' in page  # any change is now an amendment


def test_freezing_without_any_decision_is_refused(client, f):
    response = client.post(f.url("/freeze"), data={"confirm": "y"}, follow_redirects=True)
    assert fr("Record at least one decision before freezing the verdict.") in text(response)
    assert value(Edition.phase, f.edition.id) == Phase.DELIBERATION
    assert count(ResultSnapshot) == 0


def test_an_amendment_needs_a_reason_and_makes_a_new_snapshot_kept_in_the_history(client, f):
    first = frozen(client, f)
    response = client.post(f.save_url(f.equite), data={
        "laureate": f.id("d1"), "runner_up-1": f.id("d2")})
    assert response.status_code == 400
    page = text(response)
    assert fr("Give the reason for the amendment.") in page
    assert 'aria-invalid="true"' in field_tag(page, f"c{f.equite.id}-reason")
    assert len(snapshots(f)) == 1 and len(decisions()) == 1

    response = client.post(f.save_url(f.equite), data={
        "laureate": f.id("d1"), "runner_up-1": f.id("d2"),
        "reason": "Oubli du premier accessit lors de la séance."}, follow_redirects=True)
    assert response.status_code == 200
    first_, second = snapshots(f)
    assert second.sequence == 2 and second.digest != first.digest
    assert second.reason == "Oubli du premier accessit lors de la séance."
    assert second.created_by_id == f.organizer.id
    assert fr("The decisions for “%(name)s” are amended: snapshot %(sequence)d was made "
              "(digest %(digest)s…).", name="Équité", sequence=2,
              digest=second.digest[:12]) in text(response)
    history = text(client.get(f.url("/snapshots")))
    assert first.digest in history and second.digest in history
    assert history.index(second.digest) < history.index(first.digest)  # newest first
    assert "Oubli du premier accessit lors de la séance." in history
    assert f"flask --app wsgi trophies results {f.edition.slug} --verify" in history


def test_an_amendment_refused_for_its_reason_also_names_the_missing_justifications(client, f):
    frozen(client, f)
    response = client.post(f.save_url(f.equite), data={"laureate": f.id("d3")})
    assert response.status_code == 400
    page = text(response)
    summary = page[page.index('class="error-summary"'):]
    summary = summary[:summary.index("</div>")]
    prefix = f"c{f.equite.id}"
    assert re.findall(r'href="#([^"]+)"', summary) == [f"{prefix}-laureate-justification",
                                                        f"{prefix}-reason"]
    assert len(snapshots(f)) == 1


def test_the_verification_matches_then_shows_what_was_tampered_with(client, f):
    snapshot = frozen(client, f)
    page = text(client.get(f.url("/snapshots/verify")))
    assert fr("The snapshot matches a recomputation from the raw marks.") in page

    sheet = db.session.scalar(select(ScoreSheet).join(Assignment).where(
        Assignment.dossier_id == f.dossiers["d3"].id).limit(1))
    db.session.execute(update(Mark).where(Mark.sheet_id == sheet.id).values(value=5))
    db.session.commit()
    page = text(client.get(f.url("/snapshots/verify")))
    assert fr("The snapshot does not match a recomputation from the raw marks.") in page
    assert f.dossiers["d3"].reference in page  # the differences name what changed
    assert fr("The stored snapshot no longer matches its own digest: it was altered after "
              "it was made.") not in page

    payload = dict(snapshot.payload)
    payload["policy"] = {**payload["policy"], "seed": payload["policy"]["seed"] + 1}
    db.session.execute(update(ResultSnapshot).where(ResultSnapshot.id == snapshot.id)
                       .values(payload=payload))
    db.session.commit()
    page = text(client.get(f.url("/snapshots/verify")))
    assert fr("The stored snapshot no longer matches its own digest: it was altered after "
              "it was made.") in page
    assert "policy.seed" in page


def test_verifying_before_any_freeze_says_there_is_nothing_to_verify(client, f):
    page = text(client.get(f.url("/snapshots/verify")))
    assert fr("Nothing to verify: the results are not frozen yet.") in page


# --- publication ----------------------------------------------------------------------------------


def test_publishing_now_makes_the_winners_public(client, f):
    frozen(client, f)
    response = client.post(f.url("/publish"), data={"mode": "now"})
    assert response.status_code == 302, text(response)
    assert value(Edition.phase, f.edition.id) == Phase.PUBLISHED
    assert value(Edition.published_at, f.edition.id) is not None
    page = text(client.get(f.url()))
    assert fr("The results are published: the palmarès is public and every candidate was "
              "sent an e-mail.") in page
    assert f'href="/editions/{f.edition.slug}/palmares"' in page  # the public palmarès


def test_a_scheduled_publication_waits_in_the_frozen_phase_and_can_be_cancelled(client, f):
    frozen(client, f)
    local = (datetime.now(UTC) + timedelta(days=3)).astimezone(ZoneInfo("Europe/Paris"))
    typed = local.strftime("%Y-%m-%dT%H:%M")
    response = client.post(f.url("/publish"), data={"mode": "scheduled", "at": typed})
    assert response.status_code == 302, text(response)
    stored = value(Edition.publish_at, f.edition.id)
    expected = local.replace(second=0, microsecond=0).astimezone(UTC)
    assert stored is not None and stored.astimezone(UTC) == expected
    assert value(Edition.phase, f.edition.id) == Phase.FROZEN
    assert value(Edition.published_at, f.edition.id) is None
    page = text(client.get(f.url()))
    assert "(Europe/Paris)" in page and f'action="{f.url("/publish/cancel")}"' in page

    assert client.post(f.url("/publish/cancel")).status_code == 302
    assert value(Edition.publish_at, f.edition.id) is None
    assert value(Edition.phase, f.edition.id) == Phase.FROZEN


def test_a_publication_time_in_the_past_or_missing_is_refused(client, f):
    frozen(client, f)
    past = (datetime.now(UTC) - timedelta(hours=2)).astimezone(ZoneInfo("Europe/Paris"))
    response = client.post(f.url("/publish"), data={"mode": "scheduled",
                                                    "at": past.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 400
    page = text(response)
    assert fr("Choose a moment in the future.") in page
    assert 'aria-invalid="true"' in field_tag(page, "at")
    response = client.post(f.url("/publish"), data={"mode": "scheduled", "at": ""})
    assert response.status_code == 400
    assert fr("Enter the date and time of publication.") in text(response)
    assert value(Edition.publish_at, f.edition.id) is None
    assert value(Edition.phase, f.edition.id) == Phase.FROZEN


def test_publishing_before_the_verdict_is_frozen_is_refused(client, f):
    record_laureate(client, f)
    response = client.post(f.url("/publish"), data={"mode": "now"}, follow_redirects=True)
    assert fr("This is not possible in the “%(phase)s” phase.",
              phase=fr("Deliberation")) in text(response)
    assert value(Edition.phase, f.edition.id) == Phase.DELIBERATION


# --- who may ------------------------------------------------------------------------------------


GETS = ("/deliberation", "/snapshots", "/snapshots/verify")


def posts(f) -> dict[str, dict]:
    return {f"/deliberation/categories/{f.equite.id}": {"laureate": f.id("d1")},
            "/deliberation/coup-de-coeur": {"coup_de_coeur": f.id("d1")},
            "/freeze": {"confirm": "y"}, "/publish": {"mode": "now"},
            "/publish/cancel": {}}


def test_only_the_editions_organizers_see_or_change_anything(client, f, login_as):
    record_laureate(client, f)
    other = build()
    for person in (other.organizer, f.jurors[0], f.candidate):
        login_as(person)
        want = 404 if person is other.organizer else 403
        for action in GETS:
            assert client.get(f.url(action)).status_code == want, (person, action)
        for action, data in posts(f).items():
            assert client.post(f.url(action), data=data).status_code == want, (person, action)
    assert value(Edition.phase, f.edition.id) == Phase.DELIBERATION
    assert len(decisions()) == 1 and count(ResultSnapshot) == 0
    login_as(f.organizer)
    assert client.get("/admin/editions/no-such-edition/deliberation").status_code == 404


def test_an_organizer_of_another_edition_who_is_a_juror_here_gets_404(client, f, login_as):
    other = build()
    add_role(other.organizer, f.edition, Role.JUROR)
    db.session.commit()
    login_as(other.organizer)
    assert client.get(f.url()).status_code == 404


def test_every_post_needs_a_csrf_token(app_factory, f, login_as):
    protected = app_factory(WTF_CSRF_ENABLED=True)
    client = IsolatedClient(protected, protected.response_class, use_cookies=True)
    login_as(f.organizer, client)
    for action, data in posts(f).items():
        assert client.post(f.url(action), data=data).status_code == 400, action
    assert count(Decision) == 0 and value(Edition.phase, f.edition.id) == Phase.DELIBERATION
    token = csrf_token(client.get(f.url()))
    response = client.post(f.save_url(f.equite), data={"laureate": f.id("d1"),
                                                       "csrf_token": token})
    assert response.status_code == 302 and count(Decision) == 1
