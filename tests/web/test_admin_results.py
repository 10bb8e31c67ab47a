"""Organizers read a round's results on one page: the ranking per category with scores computed
from the submitted sheets (checked by hand here), ties, sorting and the category filter without
JavaScript, charts, juror statistics; one application's sheets with the jurors' names and
comments; the shortlist into the next round (top N or by hand, e-mails if asked, audited).
Nobody but the edition's organizers learns the pages exist."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest

from tests.conftest import IsolatedClient
from tests.factories import add_role, make_dossier, make_edition, make_user
from tests.helpers import count, csrf_token, fr, frn, location_path, messages, text, value
from tests.services.test_progress import assign
from trophies.domain.vocabulary import DossierStatus, Phase, Role, SheetStatus
from trophies.models import (
    AuditEvent,
    Criterion,
    CriterionLevel,
    Dossier,
    Edition,
    Mark,
    Round,
    ScoreSheet,
    User,
    db,
    utcnow,
)

FEASIBILITY = "Faisabilité technique et économique"


def plural(singular: str, plural_: str, num: int, **values: object) -> str:
    """frn(), or the English form while the French catalog does not have the message yet."""
    try:
        return frn(singular, num, **values)
    except KeyError:
        return (singular if num == 1 else plural_) % {"num": num, **values}


@dataclass
class World:
    edition: Edition
    round: Round
    organizer: User
    jurors: dict[str, User]
    dossiers: dict[str, Dossier]
    criteria: tuple[Criterion, Criterion]

    def url(self, action: str = "/results") -> str:
        return f"/admin/editions/{self.edition.slug}/rounds/{self.round.number}{action}"

    def ref(self, key: str) -> str:
        return self.dossiers[key].reference


def sheet(world: World, dossier: str, juror: str, impact: int | None, feasibility: int | None,
          *, status=SheetStatus.SUBMITTED, comment: str = "", general: str = "") -> ScoreSheet:
    """A sheet of `juror` on `dossier` with its two marks (None: not applicable)."""
    item = assign(world.round, world.dossiers[dossier], world.jurors[juror], status)
    created = db.session.scalar(db.select(ScoreSheet).where(ScoreSheet.assignment_id == item.id))
    created.general_comment = general
    impact_c, feasibility_c = world.criteria
    db.session.add(Mark(sheet_id=created.id, criterion_id=impact_c.id, value=impact,
                        is_na=impact is None, comment=comment))
    db.session.add(Mark(sheet_id=created.id, criterion_id=feasibility_c.id, value=feasibility,
                        is_na=feasibility is None))
    db.session.flush()
    return created


def build(*, phase=Phase.JUDGING, closed: bool = False) -> World:
    """Two categories, two criteria (Impact: weight 2 on 0-5; Faisabilité: weight 1 on 0-10,
    so a sheet's total is (2 * 20 * impact + 10 * feasibility) / 3), jurors Alice, Bruno,
    Chloé (3+ sheets) and Denis (1 sheet, a draft elsewhere), a second round to shortlist
    into. Scores (by hand):
    Équité: d1 = (100 + 80 + 260/3) / 3 = 800/9 = 88.9; d2 = 60; d3 = (200/3 + 40 + 220/3) / 3
    = 60, tied with d2, spread 100/3 (disagreement). Souveraineté: d4 = (30 + 130/3) / 2
    = 36.7 (Denis's draft does not count); d5 = (250/3 + 70 + 100) / 3 = 84.4. Committed."""
    edition = make_edition(phase=phase, categories=("Équité", "Souveraineté"))
    round_ = edition.rounds[0]
    impact = round_.criteria[0]
    feasibility = Criterion(round_id=round_.id, position=1, key="faisabilite",
                            name_fr=FEASIBILITY, name_en="Technical and economic feasibility",
                            weight=1, scale_min=0, scale_max=10, scale_step=1)
    db.session.add(feasibility)
    db.session.add(CriterionLevel(criterion_id=impact.id, value=5, label_fr="Exemplaire",
                                  label_en="Exemplary"))
    db.session.add(Round(edition_id=edition.id, number=2, name_fr="Finale", name_en="Final"))
    organizer = make_user(full_name="Olga Organisatrice")
    add_role(organizer, edition, Role.ORGANIZER)
    jurors = {}
    for name in ("Alice Martin", "Bruno Petit", "Chloé Durand", "Denis Leroy"):
        jurors[name.split()[0]] = make_user(full_name=name)
        add_role(jurors[name.split()[0]], edition, Role.JUROR)
    equite, souverainete = edition.categories
    dossiers = {}
    for key, category in (("d1", equite), ("d2", equite), ("d3", equite),
                          ("d4", souverainete), ("d5", souverainete)):
        candidate = make_user(f"candidat-{key}-{edition.slug}@example.org")
        add_role(candidate, edition, Role.CANDIDATE)
        dossier = make_dossier(edition, candidate)
        dossier.category_id, dossier.status = category.id, DossierStatus.ELIGIBLE
        dossiers[key] = dossier
    db.session.flush()
    world = World(edition, round_, organizer, jurors, dossiers, (impact, feasibility))
    sheet(world, "d1", "Alice", 5, 10, comment="Très fort impact <b>mesuré</b>.",
          general="Dossier solide.")
    sheet(world, "d1", "Bruno", 4, 8)
    sheet(world, "d1", "Chloé", 4, 10)
    for juror in ("Alice", "Bruno", "Chloé"):
        sheet(world, "d2", juror, 3, 6)
    sheet(world, "d3", "Alice", 5, 0)
    sheet(world, "d3", "Bruno", 1, 8)
    sheet(world, "d3", "Chloé", 4, 6)
    sheet(world, "d4", "Alice", 1, 5)
    sheet(world, "d4", "Bruno", 2, 5)
    sheet(world, "d4", "Denis", 5, 5, status=SheetStatus.DRAFT)
    sheet(world, "d5", "Alice", 5, 5)
    sheet(world, "d5", "Bruno", 4, 5)
    sheet(world, "d5", "Denis", 5, 10)
    if closed:
        round_.closed_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    return world


def row(page: str, world: World, key: str) -> str:
    """The ranking table's row of dossier `key`."""
    match = re.search(rf'<tr id="line-{world.dossiers[key].id}"[^>]*>(.*?)</tr>', page, re.S)
    assert match, key
    return match.group(1)


def order(page: str, world: World, *keys: str) -> list[str]:
    """`keys` in the order their rows appear."""
    return sorted(keys, key=lambda k: page.index(f'id="line-{world.dossiers[k].id}"'))


def response_html(client, world: World, query: dict) -> str:
    return client.get(world.url(), query_string=query).get_data(as_text=True)


@pytest.fixture
def w(login_as):
    world = build()
    login_as(world.organizer)
    return world


# --- the page -------------------------------------------------------------------------------


def test_the_page_ranks_each_category_with_the_scores_computed_by_hand(client, w):
    response = client.get(w.url())
    assert response.status_code == 200
    page = text(response)
    assert "<caption" in page and '<th scope="row">' in page
    assert order(page, w, "d1", "d2", "d3") == ["d1", "d2", "d3"]  # equal scores: by id
    assert order(page, w, "d5", "d4") == ["d5", "d4"]
    assert page.index(w.ref("d3")) < page.index(w.ref("d5"))  # Équité first
    d1 = row(page, w, "d1")
    assert "<strong>88,9</strong>" in d1  # 800/9
    assert ">86,7<" in d1 and ">93,3<" in d1  # Impact (100, 80, 80), Faisabilité (100, 80, 100)
    assert "<strong>1</strong>" in d1
    assert "<strong>84,4</strong>" in row(page, w, "d5")
    assert "<strong>36,7</strong>" in row(page, w, "d4")  # Denis's draft does not count
    link = f'href="{w.url("/results/dossiers/" + w.ref("d1"))}"'
    assert link in d1


def test_ties_are_shown_with_their_shared_rank_and_disagreement_is_flagged(client, w):
    page = text(client.get(w.url()))
    d2, d3 = row(page, w, "d2"), row(page, w, "d3")
    for cells in (d2, d3):
        assert "<strong>60,0</strong>" in cells and "<strong>2</strong>" in cells
        assert fr("tied") in cells
    assert fr("tied") not in row(page, w, "d1")
    assert fr("disagreement") in d3 and fr("disagreement") not in d2  # 100/3 apart vs 0
    assert ">33,3<" in d3.replace("<br>", "<")
    assert fr("no tie-break rule is declared: ties stay tied, for the jury to decide.") in page


def test_a_declared_tie_break_is_stated_and_breaks_the_tie(client, w):
    w.edition.tie_break = [{"rule": "criterion", "key": "impact"}]
    db.session.commit()
    page = text(client.get(w.url()))
    assert fr("the higher average on “%(criterion)s”", criterion="Impact") in page
    # d3 has Impact (100 + 20 + 80) / 3 = 66.7, d2 60: d3 ranks 2nd, d2 3rd
    assert "<strong>2</strong>" in row(page, w, "d3")
    assert "<strong>3</strong>" in row(page, w, "d2")
    assert fr("broken by %(rule)s", rule=fr("the higher average on “%(criterion)s”",
                                            criterion="Impact")) in row(page, w, "d3")
    assert fr("tied") not in row(page, w, "d2")


def test_the_summary_states_what_the_figures_rest_on(client, w):
    page = text(client.get(w.url()))
    assert fr("Provisional results: the round is still open.") in page
    assert plural("%(num)d assigned score sheet is not submitted yet.",
                  "%(num)d assigned score sheets are not submitted yet.", 1) in page
    assert fr("the mean of its submitted sheets’ totals, out of 100") in page
    assert "k = 2,8" in page  # 14 sheets over 5 applications
    assert fr("Groups of jurors") in page
    w.round.closed_at = utcnow()
    w.edition.aggregation = "median"
    db.session.commit()
    page = text(client.get(w.url()))
    assert fr("Provisional results: the round is still open.") not in page
    assert fr("the median of its submitted sheets’ totals, out of 100") in page


def test_each_category_says_how_likely_the_first_is_the_laureate_and_draws_its_chart(client, w):
    page = text(client.get(w.url()))
    assert page.count(fr("Probability that the application ranked first is truly first: "
                         "%(percent)s.", percent="")[:30]) == 2
    assert page.count("<figure") == 2 and page.count("<figcaption>") == 2
    assert page.count('<svg') == 2 and 'role="img"' in page
    assert '<script' not in page.split("</main>")[0].split("<main")[1]
    assert ' style="' not in page
    assert page.count('role="region"') == 3  # two rankings and the jurors, each scrollable


def test_long_criterion_names_are_abbreviated_with_the_full_name_kept(client, w):
    page = text(client.get(w.url()))
    assert f'<abbr title="{FEASIBILITY}"' in page
    assert f'<span class="visually-hidden">{FEASIBILITY}</span>' in page
    assert "<abbr" not in page.split("Impact")[0][-200:]  # short: written out


def test_the_tables_sort_by_any_column_through_plain_links(client, w):
    page = text(client.get(w.url(), query_string={"sort": "score", "dir": "asc"}))
    assert order(page, w, "d1", "d2", "d3") == ["d2", "d3", "d1"]
    assert order(page, w, "d4", "d5") == ["d4", "d5"]
    assert 'aria-sort="ascending"' in page
    impact = w.criteria[0]
    page = text(client.get(w.url(), query_string={"sort": f"criterion-{impact.id}",
                                                  "category": w.edition.categories[0].id}))
    # Impact averages: d1 86.7, d3 66.7, d2 60, descending first
    assert order(page, w, "d1", "d2", "d3") == ["d1", "d3", "d2"]
    assert 'aria-sort="descending"' in page
    # the header links keep the filter and flip the direction of the sorted column
    assert (f'sort=criterion-{impact.id}&amp;dir=asc' in response_html(client, w, {
        "sort": f"criterion-{impact.id}", "category": w.edition.categories[0].id}))
    assert f"category={w.edition.categories[0].id}" in re.search(
        r'<a href="([^"]*sort=reference[^"]*)"', page).group(1)
    page = text(client.get(w.url(), query_string={"sort": "nonsense", "dir": "sideways"}))
    assert order(page, w, "d1", "d2", "d3") == ["d1", "d2", "d3"]


def test_the_category_filter_shows_one_category(client, w):
    souverainete = w.edition.categories[1]
    page = text(client.get(w.url(), query_string={"category": souverainete.id}))
    assert f'id="line-{w.dossiers["d5"].id}"' in page
    assert f'id="line-{w.dossiers["d1"].id}"' not in page
    assert f'<option value="{souverainete.id}" selected>' in page
    assert client.get(w.url(), query_string={"category": "x", "cut": "-3"}).status_code == 200


def test_a_cut_line_marks_the_applications_too_close_to_call(client, w):
    page = text(client.get(w.url(), query_string={"cut": 2}))
    assert 'value="2"' in page
    assert "stroke-dasharray" in page  # the cut line on the charts
    close = [k for k in ("d1", "d2", "d3", "d4", "d5")
             if fr("Too close to call") in row(page, w, k)]
    # the cut between 2nd and 3rd of Équité falls between two tied dossiers
    assert "d2" in close or "d3" in close


def test_the_juror_table_gives_each_jurors_figures(client, w):
    page = text(client.get(w.url()))
    section = page.split('id="jurors-title"')[1]
    for name in ("Alice Martin", "Bruno Petit", "Chloé Durand", "Denis Leroy"):
        assert f'<th scope="row">{name}</th>' in section
    denis = section.split("Denis Leroy")[1].split("</tr>")[0]
    assert plural("held at 0 (fewer than %(num)d sheet)",
                  "held at 0 (fewer than %(num)d sheets)", 3) in denis
    alice = section.split("Alice Martin")[1].split("</tr>")[0]
    # Alice's totals: 100, 60, 200/3, 30, 250/3: mean 68.0
    assert '<td class="num">5</td>' in alice and ">68,0<" in alice


def test_the_page_runs_a_constant_number_of_queries(client, w, count_queries):
    def measure() -> int:
        db.session.expire_all()
        with count_queries() as counter:
            assert client.get(w.url()).status_code == 200
        return counter.count

    before = measure()
    for n in range(len(w.dossiers)):  # double the applications, three sheets each
        dossier = make_dossier(w.edition, make_user())
        dossier.category_id = w.edition.categories[n % 2].id
        dossier.status = DossierStatus.ELIGIBLE
        w.dossiers[f"x{n}"] = dossier
        db.session.flush()
        for juror in ("Alice", "Bruno", "Chloé"):
            sheet(w, f"x{n}", juror, n % 6, 7)
    db.session.commit()
    assert measure() == before


# --- who may see it -------------------------------------------------------------------------


def test_only_the_editions_organizers_see_the_pages(client, w, login_as):
    other = build()
    paths = [w.url(), w.url(f"/results/dossiers/{w.ref('d1')}")]
    for person, want in ((other.organizer, 404), (w.jurors["Alice"], 403)):
        login_as(person)
        for path in paths:
            assert client.get(path).status_code == want, path
        assert client.post(w.url("/shortlist"), data={"mode": "top", "n": "1", "confirm": "y"}
                           ).status_code == want
    candidate = db.session.get(User, w.dossiers["d1"].candidate_id)
    login_as(candidate)
    assert client.get(w.url()).status_code == 403
    anonymous = IsolatedClient(client.application, client.application.response_class)
    response = anonymous.get(w.url())
    assert response.status_code == 302 and location_path(response) == "/account/login"
    login_as(w.organizer)
    assert client.get(f"/admin/editions/{w.edition.slug}/rounds/7/results").status_code == 404
    assert client.get(w.url("/results/dossiers/NO-SUCH")).status_code == 404
    # another edition's application is not found through this edition
    assert client.get(w.url(f"/results/dossiers/{other.ref('d1')}")).status_code == 404
    assert count(AuditEvent, AuditEvent.action == "shortlist.saved") == 0
    assert value(Dossier.status, w.dossiers["d1"].id) == DossierStatus.ELIGIBLE


def test_an_organizer_of_another_edition_who_is_a_juror_here_gets_404(client, w, login_as):
    other = build()
    add_role(other.organizer, w.edition, Role.JUROR)
    db.session.commit()
    login_as(other.organizer)
    assert client.get(w.url()).status_code == 404


# --- one application ------------------------------------------------------------------------


def test_the_dossier_page_shows_every_sheet_with_names_marks_levels_and_comments(client, w):
    response = client.get(w.url(f"/results/dossiers/{w.ref('d1')}"))
    assert response.status_code == 200
    raw = response.get_data(as_text=True)
    assert "&lt;b&gt;mesuré&lt;/b&gt;" in raw  # comments are escaped
    page = text(response)
    for name in ("Alice Martin", "Bruno Petit", "Chloé Durand"):
        assert fr("Sheet of %(name)s", name=name) in page
    assert "Très fort impact <b>mesuré</b>." in page and "Dossier solide." in page
    assert "Exemplaire" in page  # the level label of 5 on Impact
    assert "88,9" in page and "86,7" in page
    assert page.count("<svg") == 1 and "<figcaption>" in page
    assert f'href="{w.url()}#line-{w.dossiers["d1"].id}"' in page
    draft = text(client.get(w.url(f"/results/dossiers/{w.ref('d4')}")))
    assert "Denis Leroy" in draft and fr("(does not count)") in draft


def test_a_not_applicable_mark_is_shown_as_such(client, w):
    mark = db.session.scalar(db.select(Mark).join(ScoreSheet).where(
        ScoreSheet.id == sheet(w, "d2", "Denis", None, 4).id, Mark.is_na.is_(True)))
    assert mark is not None
    db.session.commit()
    page = text(client.get(w.url(f"/results/dossiers/{w.ref('d2')}")))
    assert fr("Not applicable") in page


def test_an_application_not_judged_in_the_round_has_no_results_page(client, w):
    candidate = make_user()
    late = make_dossier(w.edition, candidate)
    late.status = DossierStatus.ELIGIBLE
    db.session.commit()
    assert client.get(w.url(f"/results/dossiers/{late.reference}")).status_code == 404


# --- the shortlist --------------------------------------------------------------------------


@pytest.fixture
def closed(login_as):
    world = build(closed=True)
    login_as(world.organizer)
    return world


def statuses(world: World) -> dict[str, str]:
    return {key: value(Dossier.status, d.id) for key, d in world.dossiers.items()}


def test_shortlisting_the_top_n_marks_them_and_audits_ties_at_the_cut_included(client, closed):
    page = text(client.get(closed.url()))
    assert 'id="shortlist-form"' in page and 'form="shortlist-form"' in page
    response = client.post(closed.url("/shortlist"), data={"mode": "top", "n": "2",
                                                           "confirm": "y"})
    assert response.status_code == 302 and location_path(response) == closed.url()
    assert statuses(closed) == {"d1": "shortlisted", "d2": "shortlisted", "d3": "shortlisted",
                                "d4": "shortlisted", "d5": "shortlisted"}
    response = client.post(closed.url("/shortlist"), data={"mode": "top", "n": "1",
                                                           "confirm": "y"},
                           follow_redirects=True)
    assert plural("%(num)d application shortlisted for round %(round)d.",
                  "%(num)d applications shortlisted for round %(round)d.", 2, round=2) \
        in text(response)
    assert statuses(closed) == {"d1": "shortlisted", "d2": "eligible", "d3": "eligible",
                                "d4": "eligible", "d5": "shortlisted"}
    events = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.action == "shortlist.saved").order_by(AuditEvent.id)).all()
    assert len(events) == 2 and events[-1].actor_id == closed.organizer.id
    assert sorted(events[-1].data["dossiers"]) == sorted([closed.ref("d1"), closed.ref("d5")])
    assert messages(template="shortlisted") == []  # nobody told unless asked


def test_a_manual_shortlist_takes_the_ticked_rows_and_can_notify(client, closed):
    response = client.post(closed.url("/shortlist"), data={
        "mode": "manual", "dossier": [str(closed.dossiers["d3"].id),
                                      str(closed.dossiers["d4"].id)],
        "notify": "y", "confirm": "y"}, follow_redirects=True)
    assert response.status_code == 200
    assert fr("The shortlisted candidates will be told by e-mail.") in text(response)
    assert statuses(closed)["d3"] == "shortlisted" and statuses(closed)["d4"] == "shortlisted"
    assert statuses(closed)["d1"] == "eligible"
    recipients = sorted(m.recipient for m in messages(template="shortlisted"))
    expected = sorted(db.session.get(User, closed.dossiers[k].candidate_id).email
                      for k in ("d3", "d4"))
    assert recipients == expected
    page = client.get(closed.url()).get_data(as_text=True)  # the ticks show the shortlist
    assert re.findall(r'name="dossier" value="(\d+)"[^>]*checked', page) == [
        str(closed.dossiers["d3"].id), str(closed.dossiers["d4"].id)]


def test_a_shortlist_needs_the_confirmation_and_a_choice(client, closed):
    unconfirmed = client.post(closed.url("/shortlist"), data={"mode": "top", "n": "1"})
    assert unconfirmed.status_code == 400
    assert fr("Tick the box to confirm.") in text(unconfirmed)
    empty = client.post(closed.url("/shortlist"), data={"mode": "manual", "confirm": "y"})
    assert empty.status_code == 400
    assert fr("Tick at least one application in the tables.") in text(empty)
    no_n = client.post(closed.url("/shortlist"), data={"mode": "top", "n": "",
                                                       "confirm": "y"})
    assert no_n.status_code == 400
    foreign = client.post(closed.url("/shortlist"), data={
        "mode": "manual", "dossier": "999999", "confirm": "y"})
    assert foreign.status_code == 400
    assert fr("Only applications ranked in this round can be shortlisted.") in text(foreign)
    assert set(statuses(closed).values()) == {"eligible"}
    assert count(AuditEvent, AuditEvent.action == "shortlist.saved") == 0


def test_the_shortlist_waits_for_the_round_to_close(client, w):
    page = text(client.get(w.url()))
    assert fr("Close the round first (scoring progress page): the shortlist is made from "
              "final results.") in page
    assert "<fieldset class=\"group\" disabled>" in page
    refused = client.post(w.url("/shortlist"), data={"mode": "top", "n": "1", "confirm": "y"})
    assert refused.status_code == 409
    assert set(statuses(w).values()) == {"eligible"}


def test_the_shortlist_is_refused_once_the_next_round_is_published(client, closed):
    final = db.session.scalar(db.select(Round).where(Round.edition_id == closed.edition.id,
                                                     Round.number == 2))
    closed.dossiers["d1"].status = DossierStatus.SHORTLISTED
    assign(final, closed.dossiers["d1"], closed.jurors["Alice"])
    db.session.commit()
    refused = client.post(closed.url("/shortlist"), data={"mode": "top", "n": "1",
                                                          "confirm": "y"})
    assert refused.status_code == 409
    assert fr("The next round’s assignment is published: the shortlist can no longer "
              "change.") in text(refused)


def test_the_last_round_offers_no_shortlist(client, closed):
    db.session.delete(db.session.scalar(db.select(Round).where(
        Round.edition_id == closed.edition.id, Round.number == 2)))
    db.session.commit()
    page = text(client.get(closed.url()))
    assert 'id="shortlist-form"' not in page and 'form="shortlist-form"' not in page


def test_the_shortlist_post_needs_a_csrf_token(app_factory, closed, login_as):
    protected = app_factory(WTF_CSRF_ENABLED=True)
    client = IsolatedClient(protected, protected.response_class, use_cookies=True)
    login_as(closed.organizer, client)
    response = client.post(closed.url("/shortlist"), data={"mode": "top", "n": "1",
                                                           "confirm": "y"})
    assert response.status_code == 400
    assert set(statuses(closed).values()) == {"eligible"}
    token = csrf_token(client.get(closed.url()))
    response = client.post(closed.url("/shortlist"), data={
        "csrf_token": token, "mode": "top", "n": "1", "confirm": "y"})
    assert response.status_code == 302
    assert statuses(closed)["d1"] == "shortlisted"


def test_the_edition_and_progress_pages_link_to_the_results(client, w):
    link = f'href="{w.url()}"'
    assert link in client.get(f"/admin/editions/{w.edition.slug}").get_data(as_text=True)
    assert link in client.get(w.url("/progress")).get_data(as_text=True)
