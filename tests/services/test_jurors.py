"""Jurors service: invite (one or a CSV), list, edit, resend, remove; invitations in the juror's
language, audited; removal frees only the assignments nobody started."""

from __future__ import annotations

import codecs

import pytest
from sqlalchemy import select

from tests.factories import add_role, make_dossier, make_edition, make_user
from tests.helpers import count, link_path, messages
from trophies.domain.errors import InvalidToken
from trophies.domain.vocabulary import Language, Role, SheetStatus
from trophies.models import (
    AccountToken,
    Assignment,
    AuditEvent,
    JurorProfile,
    OutboxMessage,
    Round,
    ScoreSheet,
    User,
    db,
    utcnow,
)
from trophies.services import accounts
from trophies.services import jurors as service
from trophies.services.jurors import (
    KEEP,
    ImportRejected,
    InvalidJurorDetails,
    InvitationAccepted,
    JurorWithdrawn,
    Outcome,
    Stage,
)
from trophies.services.jurors_csv import MAX_IMPORT_ROWS, parse_jurors_csv, read_upload

CATEGORIES = ("Équité", "Souveraineté", "Coup de cœur du jury")


@pytest.fixture
def setup(app):
    edition = make_edition("jury", categories=CATEGORIES)
    edition.categories[1].name_en = "Sovereignty"
    organizer = make_user("orga@example.org", full_name="Olga Organisatrice")
    add_role(organizer, edition, Role.ORGANIZER)
    db.session.commit()
    return edition, organizer


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def profile_of(email: str) -> JurorProfile:
    db.session.expire_all()
    return db.session.scalar(select(JurorProfile).join(User).where(User.email == email))


def invitation_token(email: str) -> str:
    message = messages(to=email, template="invitation")[-1]
    return link_path(message, "/account/invitation/").rsplit("/", 1)[1]


def accept(email: str, token: str | None = None) -> None:
    user = accounts.find_user(email)
    accounts.accept_invitation(token or invitation_token(email), user=user,
                               password="un velo bleu sous la neige")
    db.session.commit()


# --- invite ---------------------------------------------------------------------------------


def test_inviting_a_new_juror_prepares_the_account_sets_the_details_and_mails_in_english(setup):
    edition, organizer = setup
    result = service.invite_juror(
        edition, email=" Grace@Example.org ", full_name="Grace Hopper", language=Language.EN,
        actor=organizer, organisation="CHU de Nantes", expertise=[edition.categories[1]],
        capacity=7)
    db.session.commit()
    assert result.outcome is Outcome.INVITED
    profile = profile_of("grace@example.org")
    assert (profile.organisation, profile.organisation_key, profile.capacity) == (
        "CHU de Nantes", "chu nantes", 7)
    assert [c.name_fr for c in profile.expertise] == ["Souveraineté"]
    assert profile.user.language == Language.EN and profile.user.password_hash is None
    assert profile.accepted_at is None and service.stage_of(profile) is Stage.INVITED
    [mail] = messages(to="grace@example.org")
    assert mail.language == Language.EN
    assert mail.subject.startswith("Invitation to the jury of Trophies")
    assert "Olga Organisatrice invites you" in mail.body_text
    assert "confidentiality statement" in mail.body_text
    assert actions() == ["invitation.sent"]


def test_inviting_someone_already_on_the_jury_sends_nothing_and_only_updates_the_details(setup):
    edition, organizer = setup
    service.invite_juror(edition, email="jean@example.org", full_name="Jean", actor=organizer,
                         organisation="Inria", capacity=None)
    db.session.commit()
    again = service.invite_juror(edition, email="JEAN@example.org", full_name="Someone Else",
                                 language=Language.EN, actor=organizer, organisation="Inria",
                                 capacity=5)
    db.session.commit()
    assert again.outcome is Outcome.UPDATED and again.changed == ["capacity"]
    same = service.invite_juror(edition, email="jean@example.org", full_name="X",
                                actor=organizer, organisation="Inria", capacity=5)
    assert same.outcome is Outcome.UNCHANGED
    db.session.commit()
    profile = profile_of("jean@example.org")
    assert profile.capacity == 5
    assert profile.user.full_name == "Jean" and profile.user.language == Language.FR
    assert count(OutboxMessage) == 1
    assert actions() == ["invitation.sent", "juror.updated"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "juror.updated"))
    assert event.data["changed"] == ["capacity"] and event.data["capacity"] == 5


@pytest.mark.parametrize("details", [{"capacity": -1}, {"capacity": 1001},
                                     {"organisation": "x" * 201}, {"foreign": True}])
def test_invalid_details_are_refused_before_anything_changes(setup, details):
    edition, organizer = setup
    if details.pop("foreign", False):
        details["expertise"] = [make_edition("other").categories[0]]
    with pytest.raises(InvalidJurorDetails):
        service.invite_juror(edition, email="new@example.org", full_name="New",
                             actor=organizer, **details)
    db.session.rollback()
    assert count(User, User.email == "new@example.org") == 0
    assert count(OutboxMessage) == 0


def test_update_juror_keeps_what_it_is_not_given(setup):
    edition, organizer = setup
    profile = service.invite_juror(edition, email="a@example.org", full_name="A",
                                   actor=organizer, organisation="Inria", capacity=3,
                                   expertise=[edition.categories[0]]).profile
    changed = service.update_juror(profile, actor=organizer, organisation=KEEP,
                                   expertise=[edition.categories[2], edition.categories[0]])
    assert changed == ["expertise"]
    assert profile.organisation == "Inria" and profile.capacity == 3
    assert [c.position for c in profile.expertise] == [0, 2]
    assert service.update_juror(profile, actor=organizer, capacity=None) == ["capacity"]
    assert profile.capacity is None


# --- the list -------------------------------------------------------------------------------


def assign(edition, juror: User, *, round_=None, published=False, started=False) -> Assignment:
    dossier = make_dossier(edition, make_user())
    assignment = Assignment(round_id=(round_ or edition.rounds[0]).id, dossier_id=dossier.id,
                            juror_id=juror.id, published_at=utcnow() if published else None)
    db.session.add(assignment)
    db.session.flush()
    if started:
        db.session.add(ScoreSheet(assignment_id=assignment.id, status=SheetStatus.DRAFT))
        db.session.flush()
    return assignment


def test_the_list_counts_each_stage_and_each_jurors_assignments_per_round(setup):
    edition, organizer = setup
    for email, name in (("b@example.org", "Béatrice"), ("a@example.org", "Zoé"),
                        ("c@example.org", "Albert"), ("d@example.org", "Denis")):
        service.invite_juror(edition, email=email, full_name=name, actor=organizer)
    db.session.commit()
    accept("a@example.org")
    accept("b@example.org")
    zoe, beatrice = profile_of("a@example.org"), profile_of("b@example.org")
    zoe.confidentiality_accepted_at = zoe.conflicts_declared_at = utcnow()
    beatrice.confidentiality_accepted_at = utcnow()
    second = Round(edition_id=edition.id, number=2, name_fr="Finale", name_en="Final")
    db.session.add(second)
    db.session.flush()
    assign(edition, zoe.user, published=True)
    assign(edition, zoe.user)
    assign(edition, zoe.user, round_=second)
    service.remove_juror(profile_of("d@example.org"), actor=organizer, notify=False)
    db.session.commit()

    listing = service.list_jurors(edition)
    assert [r.profile.user.full_name for r in listing.rows] == ["Albert", "Béatrice", "Zoé",
                                                                "Denis"]
    assert [r.stage for r in listing.rows] == [Stage.INVITED, Stage.STATEMENT_ACCEPTED,
                                               Stage.CONFLICTS_DECLARED, Stage.WITHDRAWN]
    assert listing.counts == {"invited": 3, "accepted": 2, "statement_accepted": 2,
                              "conflicts_declared": 1, "withdrawn": 1}
    zoe_row = listing.rows[2]
    assert zoe_row.load(edition.rounds[0].id) == service.RoundLoad(2, 1)
    assert zoe_row.load(second.id) == service.RoundLoad(1, 0)
    assert listing.rows[0].load(second.id) == service.RoundLoad(0, 0)


# --- resend ---------------------------------------------------------------------------------


def test_resending_mails_a_new_link_in_the_jurors_language_and_the_old_one_stops_working(setup):
    edition, organizer = setup
    service.invite_juror(edition, email="en@example.org", full_name="Ed", actor=organizer,
                         language=Language.EN)
    db.session.commit()
    first = invitation_token("en@example.org")
    service.resend_invitation(profile_of("en@example.org"), actor=organizer)
    db.session.commit()
    mails = messages(to="en@example.org", template="invitation")
    assert [m.language for m in mails] == [Language.EN, Language.EN]
    second = invitation_token("en@example.org")
    assert second != first
    with pytest.raises(InvalidToken):
        accounts.open_invitation(first)
    accept("en@example.org", second)
    assert profile_of("en@example.org").accepted_at is not None
    with pytest.raises(InvitationAccepted):
        service.resend_invitation(profile_of("en@example.org"), actor=organizer)
    assert actions().count("invitation.sent") == 2


# --- remove ---------------------------------------------------------------------------------


def test_removing_a_juror_frees_only_their_unstarted_assignments_and_keeps_started_sheets(setup):
    edition, organizer = setup
    service.invite_juror(edition, email="j@example.org", full_name="Juliette", actor=organizer,
                         language=Language.EN)
    db.session.commit()
    accept("j@example.org")
    profile = profile_of("j@example.org")
    juror = profile.user
    colleague = make_user()
    unstarted = [assign(edition, juror, published=True), assign(edition, juror)]
    started = assign(edition, juror, published=True, started=True)
    theirs = assign(edition, colleague)
    elsewhere = make_edition("elsewhere")
    add_role(juror, elsewhere, Role.JUROR)
    other_edition = assign(elsewhere, juror)
    db.session.commit()
    kept_ids = {started.id, theirs.id, other_edition.id}
    freed_ids = {a.id for a in unstarted}

    freed = service.remove_juror(profile, actor=organizer)
    db.session.commit()

    assert freed == 2
    remaining = set(db.session.scalars(select(Assignment.id)))
    assert remaining == kept_ids and not remaining & freed_ids
    assert count(ScoreSheet) == 1
    profile = profile_of("j@example.org")
    assert profile.withdrawn_at is not None
    assert service.stage_of(profile) is Stage.WITHDRAWN
    removed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "juror.removed"))
    assert removed.data["freed"] == 2 and removed.actor_id == organizer.id
    assert db.session.scalar(select(AuditEvent.data).where(
        AuditEvent.action == "assignments.freed"))["count"] == 2
    [notice] = messages(to="j@example.org", template="juror_removed")
    assert notice.language == Language.EN and "taken you off" in notice.body_text
    with pytest.raises(JurorWithdrawn):
        service.remove_juror(profile, actor=organizer)


def test_a_removed_jurors_pending_link_dies_and_they_can_be_invited_again(setup):
    edition, organizer = setup
    service.invite_juror(edition, email="k@example.org", full_name="Karim", actor=organizer,
                         organisation="Inria")
    db.session.commit()
    old = invitation_token("k@example.org")
    service.remove_juror(profile_of("k@example.org"), actor=organizer, notify=False)
    db.session.commit()
    assert messages(template="juror_removed") == []
    with pytest.raises(InvalidToken):
        accounts.open_invitation(old)
    again = service.invite_juror(edition, email="k@example.org", full_name="Karim",
                                 actor=organizer, capacity=2)
    db.session.commit()
    assert again.outcome is Outcome.REINVITED
    profile = profile_of("k@example.org")
    assert profile.withdrawn_at is None and profile.accepted_at is None
    assert (profile.organisation, profile.capacity) == ("Inria", 2)
    accept("k@example.org")
    assert profile_of("k@example.org").accepted_at is not None
    assert "juror.reinvited" in actions()


def test_free_unstarted_assignments_without_any_returns_zero_and_audits_nothing(setup):
    edition, organizer = setup
    profile = service.invite_juror(edition, email="z@example.org", full_name="Z",
                                   actor=organizer).profile
    assert service.free_unstarted_assignments(profile, actor=organizer) == 0
    assert "assignments.freed" not in actions()


# --- import ---------------------------------------------------------------------------------

FRENCH_EXCEL = (
    "Courriel;Prénom;Nom;Structure;Catégories;Capacité;Langue\r\n"
    "alice@example.org;Alice;Martin;CHU de Nantes;\"equite; SOVEREIGNTY\";12;fr\r\n"
    "bob@example.org;Bob;Smith;Health Lab;coup de coeur du jury;;EN\r\n"
    ";;;;;;\r\n"
    "carla@example.org;Carla;Diaz;;;;\r\n"
)


def test_a_french_excel_export_with_bom_and_semicolons_invites_everyone(setup):
    edition, organizer = setup
    text = read_upload(codecs.BOM_UTF8 + FRENCH_EXCEL.encode("utf-8"))
    report = service.import_jurors(edition, text, actor=organizer)
    db.session.commit()
    assert (report.invited, report.updated, report.unchanged) == (3, 0, 0)
    alice = profile_of("alice@example.org")
    assert alice.user.full_name == "Alice Martin" and alice.capacity == 12
    assert {c.name_fr for c in alice.expertise} == {"Équité", "Souveraineté"}
    assert alice.organisation_key == "chu nantes"
    bob = profile_of("bob@example.org")
    assert [c.name_fr for c in bob.expertise] == ["Coup de cœur du jury"]
    assert bob.capacity is None and bob.user.language == Language.EN
    assert {m.recipient: m.language for m in messages(template="invitation")} == {
        "alice@example.org": "fr", "bob@example.org": "en", "carla@example.org": "fr"}
    assert actions().count("invitation.sent") == 3
    assert actions().count("jurors.imported") == 1


def test_an_import_with_any_problem_imports_nothing_and_lists_every_problem_by_line(setup):
    edition, organizer = setup
    text = ("email,name,expertise,capacity,language\n"
            "ok@example.org,Ok,Équité,3,fr\n"
            "not-an-address,Bad,,,\n"
            "x@example.org,X,Astronomie|Équité,,\n"
            "y@example.org,Y,,beaucoup,\n"
            "ok@example.org,Twice,,,\n"
            "z@example.org,,,,\n"
            "w@example.org,W,,,de\n")
    with pytest.raises(ImportRejected) as rejected:
        service.import_jurors(edition, text, actor=organizer)
    db.session.rollback()
    assert [(e.line, e.code, e.value) for e in rejected.value.errors] == [
        (3, "invalid_email", "not-an-address"),
        (4, "unknown_category", "Astronomie"),
        (5, "bad_capacity", "beaucoup"),
        (6, "duplicate_email", "ok@example.org"),
        (7, "name_required", "z@example.org"),
        (8, "bad_language", "de"),
    ]
    assert count(JurorProfile) == 0 and count(OutboxMessage) == 0 and actions() == []


def test_importing_again_updates_existing_jurors_only_for_the_columns_present(setup):
    edition, organizer = setup
    service.import_jurors(edition, "email,name,organisation,capacity\n"
                                   "a@example.org,Ann,Inria,4\n", actor=organizer)
    make_user("b@example.org", full_name="Béa", language=Language.EN)  # has an account
    db.session.commit()
    report = service.import_jurors(edition, "e-mail;expertise\n"
                                            "a@example.org;Équité\n"
                                            "b@example.org;\n", actor=organizer)
    db.session.commit()
    assert (report.invited, report.updated) == (1, 1)
    assert messages(to="b@example.org")[0].language == Language.EN
    a = profile_of("a@example.org")
    assert (a.organisation, a.capacity) == ("Inria", 4)
    assert [c.name_fr for c in a.expertise] == ["Équité"]


def test_an_import_brings_back_a_removed_juror(setup):
    edition, organizer = setup
    service.invite_juror(edition, email="r@example.org", full_name="R", actor=organizer)
    service.remove_juror(profile_of("r@example.org"), actor=organizer, notify=False)
    report = service.import_jurors(edition, "email\nr@example.org\n", actor=organizer)
    db.session.commit()
    assert report.reinvited == 1
    assert profile_of("r@example.org").withdrawn_at is None
    assert len(messages(to="r@example.org", template="invitation")) == 2


# --- reading the file -----------------------------------------------------------------------


def test_uploads_are_read_as_utf8_with_or_without_bom_utf16_or_windows_1252():
    text = "courriel;nom\nélodie@example.org;Élodie Œuvre\n"
    assert read_upload(text.encode("utf-8")) == text
    assert read_upload(codecs.BOM_UTF8 + text.encode("utf-8")) == text
    assert read_upload(text.encode("utf-16")) == text
    assert read_upload(text.encode("cp1252")) == text
    with pytest.raises(ImportRejected) as rejected:
        read_upload(b"x" * 1_000_001)
    assert rejected.value.errors[0].code == "too_large"


def test_the_reader_accepts_english_headers_pipes_quotes_and_sets_extra_columns_aside(setup):
    edition, _ = setup
    parsed = parse_jurors_csv(
        "E-mail,Full name,Organization,Categories,Phone\n"
        "a@example.org,Ann Lee,\"Lab, Inc.\",Équité | souveraineté,0102\n", edition.categories)
    assert parsed.errors == [] and parsed.ignored == ["Phone"]
    [row] = parsed.rows
    assert (row.email, row.full_name, row.organisation) == ("a@example.org", "Ann Lee",
                                                            "Lab, Inc.")
    assert [c.name_fr for c in row.expertise] == ["Équité", "Souveraineté"]
    assert row.columns == {"email", "name", "organisation", "expertise"}


@pytest.mark.parametrize(("text", "code"), [
    ("", "empty"),
    ("nom;organisation\nAnn;Inria\n", "missing_email_column"),
    ("email;courriel\na@example.org;b@example.org\n", "duplicate_column"),
    ("email\n", "no_rows"),
    ("email\n" + "a@example.org\n" * (MAX_IMPORT_ROWS + 1), "too_many_rows"),
])
def test_the_reader_reports_problems_of_the_whole_file(setup, text, code):
    edition, _ = setup
    parsed = parse_jurors_csv(text, edition.categories)
    assert [e.code for e in parsed.errors] == [code] and parsed.rows == []


def test_pending_invitation_tokens_of_other_editions_survive_a_resend(setup):
    edition, organizer = setup
    other = make_edition("other-jury")
    for target in (edition, other):
        service.invite_juror(target, email="m@example.org", full_name="M", actor=organizer)
    db.session.commit()
    service.resend_invitation(profile_of_edition("m@example.org", edition), actor=organizer)
    db.session.commit()
    pending = db.session.scalars(select(AccountToken.edition_id).where(
        AccountToken.used_at.is_(None))).all()
    assert sorted(pending) == sorted([edition.id, other.id])


def profile_of_edition(email: str, edition) -> JurorProfile:
    return db.session.scalar(select(JurorProfile).join(User).where(
        User.email == email, JurorProfile.edition_id == edition.id))
