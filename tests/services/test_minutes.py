"""Minutes inputs: empty until saved; the jury is the edition's accepted, not withdrawn jurors
by name (accents ignored); only they can be ticked present; lengths are bounded; a save is
audited with the fields that changed (nothing when nothing changed) and never commits."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from tests.factories import add_role, make_user
from tests.helpers import count
from tests.services.test_results_service import build_jury
from trophies.domain.vocabulary import Role
from trophies.models import AuditEvent, DeliberationMinutes, JurorProfile, db, utcnow
from trophies.services import minutes as service
from trophies.services.minutes import InvalidMinutes, MinutesInput


def saved_events() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "minutes.saved")
                                   .order_by(AuditEvent.id)))


def withdraw(user, edition) -> None:
    profile = db.session.scalar(select(JurorProfile).where(
        JurorProfile.user_id == user.id, JurorProfile.edition_id == edition.id))
    profile.withdrawn_at = utcnow()
    db.session.flush()


def test_inputs_are_empty_until_saved(app):
    jury = build_jury()
    assert service.inputs_of(jury.edition) == MinutesInput(None, "", "", frozenset(), "")


def test_the_jury_is_the_accepted_jurors_still_serving_by_name(app):
    jury = build_jury()
    elodie = make_user(full_name="Élodie Zola")
    add_role(elodie, jury.edition, Role.JUROR)
    gone = make_user(full_name="Gaston Leclerc")
    add_role(gone, jury.edition, Role.JUROR)
    withdraw(gone, jury.edition)
    invited = make_user(full_name="Ivan Invité")          # invited, never accepted: no membership
    db.session.add(JurorProfile(edition_id=jury.edition.id, user_id=invited.id))
    other = build_jury()                                  # another edition's jurors
    db.session.flush()

    names = [u.full_name for u in service.jurors_of(jury.edition)]
    assert names == ["Alice Martin", "Bruno Petit", "Chloé Durand", "Denis Leroy",
                     "Élodie Zola", "Emma Roux", "Farid Benali"]
    assert jury.organizer.full_name not in names
    assert [u.full_name for u in service.withdrawn_jurors_of(jury.edition)] == ["Gaston Leclerc"]
    assert not {u.id for u in service.jurors_of(jury.edition)} & {u.id for u in other.jurors}


def test_saving_stores_clean_inputs_and_audits_the_changed_fields(app):
    jury = build_jury()
    alice, bruno = jury.jurors[:2]
    data = MinutesInput(date(2025, 5, 27), "  Hôtel de Région, Nantes ", "Alice Martin",
                        frozenset({alice.id, bruno.id}), "Séance ouverte à 14 h.\n")
    service.save_inputs(jury.edition, data, actor=jury.organizer)
    db.session.commit()

    assert service.inputs_of(jury.edition) == MinutesInput(
        date(2025, 5, 27), "Hôtel de Région, Nantes", "Alice Martin",
        frozenset({alice.id, bruno.id}), "Séance ouverte à 14 h.")
    (event,) = saved_events()
    assert event.actor_id == jury.organizer.id and event.edition_id == jury.edition.id
    assert event.data["changed"] == ["attendee_ids", "chair_name", "held_on", "notes", "place"]
    assert event.data["held_on"] == "2025-05-27"
    assert event.data["attendee_ids"] == sorted([alice.id, bruno.id])
    assert event.data["notes_length"] == len("Séance ouverte à 14 h.")

    service.save_inputs(jury.edition, MinutesInput(
        date(2025, 5, 27), "Nantes", "Alice Martin", frozenset({alice.id, bruno.id}),
        "Séance ouverte à 14 h."), actor=jury.organizer)
    db.session.commit()
    assert saved_events()[-1].data == {"changed": ["place"], "place": "Nantes"}

    service.save_inputs(jury.edition, service.inputs_of(jury.edition), actor=jury.organizer)
    db.session.commit()
    assert len(saved_events()) == 2                       # nothing changed: nothing audited
    assert count(DeliberationMinutes) == 1


@pytest.mark.parametrize(("field", "data"), [
    ("place", MinutesInput(place="x" * 201)),
    ("chair_name", MinutesInput(chair_name="x" * 201)),
    ("notes", MinutesInput(notes="x" * 5001)),
    ("held_on", MinutesInput(held_on=datetime(2025, 5, 27, 14))),
])
def test_values_out_of_bounds_are_refused_and_nothing_is_written(app, field, data):
    jury = build_jury()
    with pytest.raises(InvalidMinutes) as refused:
        service.save_inputs(jury.edition, data, actor=jury.organizer)
    assert refused.value.details["field"] == field
    assert str(refused.value)                             # a message for people
    assert count(DeliberationMinutes) == 0 and saved_events() == []


def test_the_longest_allowed_values_are_kept(app):
    jury = build_jury()
    service.save_inputs(jury.edition, MinutesInput(place="p" * 200, chair_name="c" * 200,
                                                   notes="n" * 5000), actor=jury.organizer)
    kept = service.inputs_of(jury.edition)
    assert (len(kept.place), len(kept.chair_name), len(kept.notes)) == (200, 200, 5000)


def test_only_the_editions_serving_jurors_can_be_ticked_present(app):
    jury = build_jury()
    other = build_jury()
    gone = jury.jurors[5]
    withdraw(gone, jury.edition)
    for stranger in (other.jurors[0], gone, jury.organizer):
        with pytest.raises(InvalidMinutes) as refused:
            service.save_inputs(jury.edition, MinutesInput(
                attendee_ids=frozenset({jury.jurors[0].id, stranger.id})), actor=jury.organizer)
        assert refused.value.details == {"field": "attendee_ids", "unknown": [stranger.id]}
    assert count(DeliberationMinutes) == 0


def test_saving_does_not_commit(app):
    jury = build_jury()
    db.session.commit()
    service.save_inputs(jury.edition, MinutesInput(place="Nantes"), actor=jury.organizer)
    db.session.rollback()
    assert service.inputs_of(jury.edition) == MinutesInput()
    assert saved_events() == []
