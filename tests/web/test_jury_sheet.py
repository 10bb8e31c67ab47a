"""Web, the juror's score sheets: the dashboard of assigned dossiers (categories, states,
progress, deadline, per-juror order, search), the sheet beside the dossier (fieldsets, scales,
N/A, comments), saving with and without JavaScript, versions and two tabs, invalid input,
submission through the recap, read-only sheets, 404s, nothing lost when a session or a CSRF
token expires, "next application", recusal, peer totals and blind editions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from babel import dates as babel_dates
from sqlalchemy import select

from tests.conftest import IsolatedClient
from tests.factories import add_role, make_dossier, make_edition, make_user
from tests.helpers import count, csrf_token, fr, frn, location_path, messages, text
from tests.services.test_conflicts import assign, make_juror, second_round
from tests.web.test_jury import world  # noqa: F401  (the fixture, shared)
from trophies.domain import scoring as domain
from trophies.domain.vocabulary import (
    ConflictSource,
    ConflictStatus,
    DossierStatus,
    Phase,
    Role,
    SheetStatus,
)
from trophies.models import (
    Assignment,
    AuditEvent,
    Category,
    Conflict,
    Criterion,
    CriterionLevel,
    Dossier,
    Edition,
    JurorProfile,
    Mark,
    RecoveredForm,
    Round,
    ScoreSheet,
    User,
    db,
    utcnow,
)

PARIS = ZoneInfo("Europe/Paris")


# --- the scene: the `world` of test_jury with three criteria ---------------------------------


@dataclass
class Scene:
    """world's edition in judging, its juror Claire and her published dossier (Hélio Lumen SAS,
    founder Ada Martin), round 1 with three criteria:
    impact (the factory's: weight 2, 0..5, a description and level labels),
    team (weight 1, 0..10 by 2, N/A allowed), market (weight 1, 0..20: a number field)."""

    world: dict
    edition: Edition
    round: Round
    juror: User
    profile: JurorProfile
    dossier: Dossier
    assignment_id: int
    impact: int
    team: int
    market: int

    @property
    def slug(self) -> str:
        return self.edition.slug

    def url(self, dossier: Dossier | None = None, tail: str = "", number: int = 1) -> str:
        reference = (dossier or self.dossier).reference
        return f"/jury/{self.slug}/rounds/{number}/dossiers/{reference}{tail}"

    @property
    def home(self) -> str:
        return f"/jury/{self.slug}/"

    def marks(self, impact="4", team="6", market="14", **extra) -> dict[str, str]:
        """A complete form: 4/5 -> 80 (x2), 6/10 -> 60, 14/20 -> 70: total 72.5."""
        return {f"mark-{self.impact}": impact, f"mark-{self.team}": team,
                f"mark-{self.market}": market, **extra}


def add_criterion(round_, key, name, *, weight, minimum, maximum, step=1, allows_na=False,
                  position):
    criterion = Criterion(round_id=round_.id, position=position, key=key, name_fr=name,
                          name_en=name, weight=weight, scale_min=minimum, scale_max=maximum,
                          scale_step=step, allows_na=allows_na)
    db.session.add(criterion)
    db.session.flush()
    return criterion


@pytest.fixture
def scene(world) -> Scene:  # noqa: F811 (the imported fixture)
    round_ = world["round"]
    impact = round_.criteria[0]
    impact.description_fr = "L’effet mesurable du projet sur le climat."
    db.session.add_all([CriterionLevel(criterion_id=impact.id, value=v, label_fr=label)
                        for v, label in ((0, "Absent"), (4, "Fort"), (5, "Exemplaire"))])
    team = add_criterion(round_, "team", "Équipe", weight=1, minimum=0, maximum=10, step=2,
                         allows_na=True, position=1)
    market = add_criterion(round_, "market", "Marché", weight=1, minimum=0, maximum=20,
                           position=2)
    db.session.add(CriterionLevel(criterion_id=market.id, value=20, label_fr="Marché mondial"))
    assignment = db.session.scalar(select(Assignment).where(
        Assignment.round_id == round_.id, Assignment.dossier_id == world["dossier"].id,
        Assignment.juror_id == world["juror"].id))
    db.session.commit()
    return Scene(world, world["edition"], round_, world["juror"], world["profile"],
                 world["dossier"], assignment.id, impact.id, team.id, market.id)


# --- reading pages and the database --------------------------------------------------------


class _FormReader(HTMLParser):
    """The values a browser would send from a form, and every input's attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self.inputs: list[dict[str, str]] = []
        self._area: tuple[dict[str, str], list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        if tag == "input":
            self.inputs.append(attributes)
            kind = attributes.get("type", "text")
            if kind in ("radio", "checkbox") and "checked" not in attributes:
                return
            if kind not in ("submit", "button") and "name" in attributes:
                self.values.setdefault(attributes["name"], attributes.get("value", ""))
        elif tag == "textarea":
            self._area = (attributes, [])

    def handle_data(self, data):
        if self._area is not None:
            self._area[1].append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._area is not None:
            attributes, parts = self._area
            self._area = None
            self.inputs.append({**attributes, "tag": "textarea"})
            self.values.setdefault(attributes["name"], "".join(parts))


def sheet_form(body: str) -> _FormReader | None:
    """The score sheet form of a page (None: the page has none)."""
    match = re.search(r'<form id="sheet".*?</form>', body, re.S)
    if match is None:
        return None
    reader = _FormReader()
    reader.feed(match.group(0))
    return reader


def fieldset(body: str, criterion_id: int) -> str:
    match = re.search(rf'<fieldset[^>]*id="criterion-{criterion_id}".*?</fieldset>', body,
                      re.S)
    assert match, f"no fieldset for criterion {criterion_id}"
    return match.group(0)


def saved_at_pattern() -> re.Pattern:
    """The flash after a save, whatever the minute."""
    return re.compile(re.escape(fr("Saved at %(time)s.", time="TIME")).replace(
        "TIME", r"\d{1,2}:\d{2}"))


def plural(singular: str, plural_: str, num: int, **values) -> str:
    """frn while the French catalog has the message, else the English the page falls back to."""
    try:
        return frn(singular, num, **values)
    except KeyError:
        return (singular if num == 1 else plural_) % {"num": num, **values}


def sheet_of(assignment_id: int) -> ScoreSheet | None:
    db.session.expire_all()
    return db.session.scalar(select(ScoreSheet).where(ScoreSheet.assignment_id == assignment_id))


def marks_of(sheet: ScoreSheet) -> dict[int, tuple[int | str | None, str]]:
    return {m.criterion_id: ("na" if m.is_na else m.value, m.comment) for m in sheet.marks}


def assignment_id(round_, dossier, juror) -> int:
    return db.session.scalar(select(Assignment.id).where(
        Assignment.round_id == round_.id, Assignment.dossier_id == dossier.id,
        Assignment.juror_id == juror.id))


def add_sheet(assignment, entries: dict[int, int | str], *, status=SheetStatus.SUBMITTED):
    """A sheet written straight into the database (another juror's, or a finished one)."""
    sheet = ScoreSheet(assignment_id=assignment.id, status=status,
                       submitted_at=utcnow() if status == SheetStatus.SUBMITTED else None)
    db.session.add(sheet)
    db.session.flush()
    for criterion_id, value in entries.items():
        db.session.add(Mark(sheet_id=sheet.id, criterion_id=criterion_id,
                            value=None if value == "na" else value, is_na=value == "na"))
    db.session.flush()
    return sheet


def save(client, scene, *, version, action="save", autosave=False, url=None, **fields):
    headers = {"X-Autosave": "1"} if autosave else {}
    return client.post(url or scene.url(), headers=headers,
                       data={"version": str(version), "action": action, **fields})


def references_in_order(body: str, slug: str) -> list[str]:
    return re.findall(rf'href="/jury/{slug}/rounds/1/dossiers/([^"#/]+)"', body)


def board_row(body: str, reference: str) -> str:
    rows = [row for row in re.findall(r"<tr>.*?</tr>", body, re.S)
            if f'<td class="reference">{reference}</td>' in row]
    assert len(rows) == 1, reference
    return rows[0]


def captions(body: str) -> list[str]:
    return [re.sub(r"[ \t\n]+", " ", c).strip()
            for c in re.findall(r"<caption>(.*?)</caption>", body, re.S)]


# --- 1. the dashboard -----------------------------------------------------------------------


def test_the_dashboard_groups_the_dossiers_by_category_with_their_states_and_progress(
        client, login_as, scene):
    edition, round_, juror = scene.edition, scene.round, scene.juror
    climate = Category(edition_id=edition.id, position=1, name_fr="Climat", name_en="Climate")
    db.session.add(climate)
    db.session.flush()
    equity = [scene.dossier] + [make_dossier(edition, make_user()) for _ in range(2)]
    climate_dossiers = [make_dossier(edition, make_user()) for _ in range(2)]
    for dossier in climate_dossiers:
        dossier.category_id = climate.id
    assign(round_, equity[1], juror, sheet=SheetStatus.DRAFT)
    assign(round_, equity[2], juror)
    assign(round_, climate_dossiers[0], juror, sheet=SheetStatus.SUBMITTED)
    assign(round_, climate_dossiers[1], juror)
    db.session.commit()
    login_as(juror)

    response = client.get(scene.home)
    body = text(response)

    assert response.status_code == 200
    assert captions(body) == [
        f"Équité — {frn('%(num)d application', 3)}",
        f"Climat — {frn('%(num)d application', 2)}"]
    assert body.count('<table class="board">') == 2
    equity_table, climate_table = body.split("<caption>")[1:3]
    assert all(d.reference in equity_table for d in equity)
    assert all(d.reference in climate_table for d in climate_dossiers)
    assert fr("Not started") in board_row(body, scene.dossier.reference)
    assert fr("Draft") in board_row(body, equity[1].reference)
    assert fr("Submitted") in board_row(body, climate_dossiers[0].reference)
    assert fr("Not started") in board_row(body, climate_dossiers[1].reference)
    assert fr("Evaluations submitted: %(done)d of %(num)d", done=1, num=5) in body
    assert 'max="5" value="1"' in body  # the progress bar
    assert plural("%(num)d in progress", "%(num)d in progress", 1) in body
    assert plural("%(num)d not started", "%(num)d not started", 3) in body
    assert "Secret Pending" not in body  # the unpublished assignment


def _french_datetime(moment: datetime) -> str:
    local = moment.astimezone(PARIS)
    return fr("%(date)s at %(time)s",
              date=babel_dates.format_date(local.date(), format="long", locale="fr"),
              time=babel_dates.format_time(local, format="short", tzinfo=PARIS, locale="fr"))


def test_the_dashboard_shows_the_deadline_and_the_days_left(client, login_as, scene):
    today = utcnow().astimezone(PARIS).date()
    edition_deadline = datetime.combine(today + timedelta(days=3), time(12), tzinfo=PARIS)
    scene.edition.judging_deadline_at = edition_deadline
    db.session.commit()
    login_as(scene.juror)

    body = text(client.get(scene.home))
    assert fr("Deadline: %(date)s", date=_french_datetime(edition_deadline)) in body
    assert plural("%(num)d day left", "%(num)d days left", 3) in body

    round_deadline = datetime.combine(today + timedelta(days=10), time(12), tzinfo=PARIS)
    scene.round.ends_at = round_deadline  # the round's own end wins over the edition's
    db.session.commit()
    body = text(client.get(scene.home))
    assert fr("Deadline: %(date)s", date=_french_datetime(round_deadline)) in body
    assert plural("%(num)d day left", "%(num)d days left", 10) in body
    assert plural("%(num)d day left", "%(num)d days left", 3) not in body


def test_each_juror_sees_the_same_dossiers_in_their_own_stable_order(client, login_as, app,
                                                                       scene):
    edition, round_ = scene.edition, scene.round
    bernard, _profile = make_juror(edition, name="Bernard Vidal")
    dossiers = [scene.dossier] + [make_dossier(edition, make_user()) for _ in range(11)]
    for dossier in dossiers[1:]:
        assign(round_, dossier, scene.juror)
    for dossier in dossiers:
        assign(round_, dossier, bernard)
    db.session.commit()
    by_id = {d.id: d.reference for d in dossiers}

    login_as(scene.juror)
    first = references_in_order(text(client.get(scene.home)), scene.slug)
    again = references_in_order(text(client.get(scene.home)), scene.slug)
    other_client = IsolatedClient(app, app.response_class, use_cookies=True)
    login_as(bernard, other_client)
    theirs = references_in_order(text(other_client.get(scene.home)), scene.slug)

    assert len(first) == 12 and sorted(first) == sorted(theirs) == sorted(by_id.values())
    assert first == again                 # the same on every visit
    assert first != theirs                # different from one juror to the next
    assert first == [by_id[i] for i in domain.juror_order(scene.juror.id, round_.id, by_id)]
    assert theirs == [by_id[i] for i in domain.juror_order(bernard.id, round_.id, by_id)]


@pytest.fixture
def searchable(scene):
    """Six more dossiers for Claire (the search box shows beyond five)."""
    titles = ["Énergie Solaire", "Recyclage textile", "Mobilité douce", "Eau propre",
              "Agri urbaine", "Bâtiment passif"]
    extra = []
    for title in titles:
        dossier = make_dossier(scene.edition, make_user())
        dossier.project_title = title
        assign(scene.round, dossier, scene.juror)
        extra.append(dossier)
    db.session.commit()
    return extra


def test_the_search_box_filters_by_title_or_reference_ignoring_accents_and_case(
        client, login_as, scene, searchable):
    login_as(scene.juror)
    everything = text(client.get(scene.home))
    assert 'role="search"' in everything and 'name="q"' in everything
    assert len(references_in_order(everything, scene.slug)) == 7

    body = text(client.get(scene.home + "?q=ENERGIE"))
    assert references_in_order(body, scene.slug) == [searchable[0].reference]
    assert "Capteurs souples" not in body

    body = text(client.get(scene.home + "?q=" + searchable[3].reference.lower()))
    assert references_in_order(body, scene.slug) == [searchable[3].reference]

    body = text(client.get(scene.home + "?q=helio"))  # the company, outside blind editions
    assert references_in_order(body, scene.slug) == [scene.dossier.reference]

    body = text(client.get(scene.home + "?q=introuvable"))
    assert references_in_order(body, scene.slug) == []
    assert fr("No application matches “%(query)s”.", query="introuvable") in body


def test_in_a_blind_edition_the_company_neither_shows_nor_matches_on_the_dashboard(
        client, login_as, scene, searchable):
    scene.edition.is_blind = True
    db.session.commit()
    login_as(scene.juror)
    everything = text(client.get(scene.home))
    assert len(references_in_order(everything, scene.slug)) == 7
    assert "Hélio Lumen" not in everything
    assert not any(d.company_name in everything for d in searchable)

    body = text(client.get(scene.home + "?q=lumen"))
    assert references_in_order(body, scene.slug) == []
    assert fr("No application matches “%(query)s”.", query="lumen") in body
    assert "Hélio Lumen" not in body
    assert references_in_order(text(client.get(scene.home + "?q=capteurs")),
                               scene.slug) == [scene.dossier.reference]


def test_the_dashboard_runs_as_many_queries_for_15_assignments_as_for_3(
        client, login_as, scene, count_queries):
    edition, round_, juror = scene.edition, scene.round, scene.juror
    climate = Category(edition_id=edition.id, position=1, name_fr="Climat", name_en="Climate")
    db.session.add(climate)
    db.session.flush()

    def more(n):
        for i in range(n):
            dossier = make_dossier(edition, make_user())
            if i % 2:
                dossier.category_id = climate.id
            assign(round_, dossier, juror,
                   sheet=(None, SheetStatus.DRAFT, SheetStatus.SUBMITTED)[i % 3])
        db.session.commit()

    more(2)
    login_as(juror)
    url, slug = scene.home, scene.slug  # read now: the test's own session stays out of the count
    client.get(url)
    with count_queries() as few:
        body = text(client.get(url))
    assert len(references_in_order(body, slug)) == 3
    more(12)
    with count_queries() as many:
        body = text(client.get(url))
    assert len(references_in_order(body, slug)) == 15
    assert many.count == few.count


# --- 2. the sheet page ----------------------------------------------------------------------


def test_the_sheet_shows_a_fieldset_per_criterion_with_its_scale_levels_and_comments(
        client, login_as, scene):
    login_as(scene.juror)
    response = client.get(scene.url())
    body = text(response)
    assert response.status_code == 200
    assert body.count("<fieldset") == 3
    impact, team, market = (fieldset(body, c) for c in (scene.impact, scene.team, scene.market))

    assert re.search(r"<legend>Impact\b", impact)
    assert "L’effet mesurable du projet sur le climat." in impact
    assert "Fort" in impact and "Exemplaire" in impact and "Absent" in impact
    radios = re.findall(rf'type="radio" id="[^"]+" name="mark-{scene.impact}" value="(\w+)"',
                        impact)
    assert radios == ["0", "1", "2", "3", "4", "5"]
    assert f'name="comment-{scene.impact}"' in impact

    assert re.search(r"<legend>Équipe\b", team)
    assert re.findall(rf'name="mark-{scene.team}" value="(\w+)"', team) == [
        "0", "2", "4", "6", "8", "10", "na"]
    assert fr("Not applicable") in team

    assert re.search(r"<legend>Marché\b", market)
    assert 'type="radio"' not in market
    assert re.search(rf'type="number"[^>]*name="mark-{scene.market}"[^>]*min="0" max="20"',
                     market)
    assert "Marché mondial" in market
    # N/A only where the criterion allows it.
    assert 'value="na"' not in impact and 'value="na"' not in market
    assert f'name="na-{scene.market}"' not in market and fr("Not applicable") not in market

    form = sheet_form(body)
    assert form.values["version"] == "0"
    assert {f"comment-{c}" for c in (scene.impact, scene.team, scene.market)} <= set(
        form.values)
    general = next(i for i in form.inputs if i.get("name") == "general_comment")
    assert "required" not in general
    assert fr("(required)") not in body


def test_the_general_comment_is_marked_required_when_the_edition_requires_it(
        client, login_as, scene):
    scene.edition.is_general_comment_required = True
    db.session.commit()
    login_as(scene.juror)
    body = text(client.get(scene.url()))
    general = next(i for i in sheet_form(body).inputs if i.get("name") == "general_comment")
    assert "required" in general
    assert fr("(required)") in body


# --- 3. saving without JavaScript -----------------------------------------------------------


def test_saving_without_javascript_writes_version_1_then_2_and_shows_the_total(
        client, login_as, scene):
    login_as(scene.juror)
    response = save(client, scene, version=0, **scene.marks(), **{
        f"comment-{scene.impact}": "Effet solide.", "general_comment": "Bon dossier."})
    assert response.status_code == 302
    assert location_path(response) == scene.url()

    sheet = sheet_of(scene.assignment_id)
    assert (sheet.version, sheet.status) == (1, SheetStatus.DRAFT)
    assert marks_of(sheet) == {scene.impact: (4, "Effet solide."), scene.team: (6, ""),
                               scene.market: (14, "")}
    assert sheet.general_comment == "Bon dossier."

    body = text(client.get(scene.url()))
    assert saved_at_pattern().search(body)
    assert ">72,5</output>" in body  # 290 / 4, the French decimal comma
    form = sheet_form(body)
    assert form.values["version"] == "1"
    assert form.values[f"mark-{scene.impact}"] == "4"
    assert form.values[f"mark-{scene.market}"] == "14"
    assert form.values[f"comment-{scene.impact}"] == "Effet solide."

    again = save(client, scene, version=1, **scene.marks(team="", market="13"))
    assert again.status_code == 302
    sheet = sheet_of(scene.assignment_id)
    assert sheet.version == 2
    # A blank entry removes its mark; the comment left out of the form is blank too.
    assert marks_of(sheet) == {scene.impact: (4, ""), scene.market: (13, "")}
    assert ">75,0</output>" in text(client.get(scene.url()))  # (160 + 65) / 3: blanks left out

    assert save(client, scene, version=2, **scene.marks(market="13")).status_code == 302
    assert sheet_of(scene.assignment_id).version == 3
    # (160 + 60 + 65) / 4 = 71.25: halves away from zero (round() would give 71.2).
    assert ">71,3</output>" in text(client.get(scene.url()))


# --- 4. autosave ----------------------------------------------------------------------------


def test_autosave_answers_json_and_refuses_bad_marks_stale_versions_and_closed_sheets(
        client, login_as, scene):
    login_as(scene.juror)
    saved = save(client, scene, version=0, action="autosave", autosave=True, **scene.marks())
    assert saved.status_code == 200
    data = saved.get_json()
    assert set(data) == {"version", "saved_at", "total"}
    assert data["version"] == 1 and data["total"] == "72.5"
    assert re.fullmatch(r"\d{1,2}:\d{2}", data["saved_at"])

    invalid = save(client, scene, version=1, action="autosave", autosave=True,
                   **scene.marks(impact="7"))
    assert invalid.status_code == 400
    assert invalid.get_json() == {"error": "invalid", "problems": {
        str(scene.impact): fr("Enter a mark between %(min)s and %(max)s.", min=0, max=5)}}
    assert sheet_of(scene.assignment_id).version == 1

    stale = save(client, scene, version=0, action="autosave", autosave=True,
                 **scene.marks(impact="1"))
    assert stale.status_code == 409
    assert stale.get_json() == {"error": "stale", "version": 1}
    assert marks_of(sheet_of(scene.assignment_id))[scene.impact] == (4, "")

    assert save(client, scene, version=1, action="submit", **scene.marks()).status_code == 302
    assert client.post(scene.url(tail="/recap"), data={"version": "2"}).status_code == 302
    assert sheet_of(scene.assignment_id).status == SheetStatus.SUBMITTED
    closed = save(client, scene, version=3, action="autosave", autosave=True,
                  **scene.marks(impact="1"))
    assert closed.status_code == 409
    assert closed.get_json() == {"error": "closed"}


# --- 5. two tabs ----------------------------------------------------------------------------


def test_two_tabs_the_second_save_is_refused_with_its_marks_kept_until_saved_again(
        client, login_as, scene):
    login_as(scene.juror)
    assert save(client, scene, version=0, **scene.marks()).status_code == 302
    first_tab = sheet_form(text(client.get(scene.url())))
    second_tab = sheet_form(text(client.get(scene.url())))
    assert first_tab.values["version"] == second_tab.values["version"] == "1"

    mine = scene.marks(impact="5")
    assert save(client, scene, version=1, **mine).status_code == 302

    theirs = scene.marks(impact="2", market="10", **{f"comment-{scene.impact}": "Onglet 2"})
    refused = save(client, scene, version=1, **theirs)
    body = text(refused)
    assert refused.status_code == 409
    form = sheet_form(body)
    assert form.values[f"mark-{scene.impact}"] == "2"
    assert form.values[f"mark-{scene.market}"] == "10"
    assert form.values[f"mark-{scene.team}"] == "6"
    assert form.values[f"comment-{scene.impact}"] == "Onglet 2"
    assert form.values["version"] == "2"  # saving again now replaces the saved version
    assert fr("This sheet was changed in another window or tab") in body
    notice = re.search(r'<div class="conflict-notice".*?</table>', body, re.S).group(0)
    assert fr("Marks that differ") in notice
    rows = dict(re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', notice, re.S))
    assert set(rows) == {"Impact", "Marché"}
    assert re.match(r"<td>2 <span", rows["Impact"]) and rows["Impact"].endswith("<td>5</td>")
    assert rows["Marché"] == "<td>10</td><td>14</td>"
    # Nothing was overwritten.
    sheet = sheet_of(scene.assignment_id)
    assert sheet.version == 2
    assert marks_of(sheet)[scene.impact] == (5, "")
    assert marks_of(sheet)[scene.market] == (14, "")

    overwrite = save(client, scene, version=form.values["version"], **theirs)
    assert overwrite.status_code == 302
    sheet = sheet_of(scene.assignment_id)
    assert sheet.version == 3
    assert marks_of(sheet) == {scene.impact: (2, "Onglet 2"), scene.team: (6, ""),
                               scene.market: (10, "")}


def test_two_tabs_racing_for_the_first_save_never_overwrite_each_other(
        client, login_as, scene):
    login_as(scene.juror)
    assert sheet_form(text(client.get(scene.url()))).values["version"] == "0"
    assert save(client, scene, version=0, **scene.marks()).status_code == 302

    refused = save(client, scene, version=0, **scene.marks(impact="1"))

    assert refused.status_code == 409
    form = sheet_form(text(refused))
    assert form.values[f"mark-{scene.impact}"] == "1" and form.values["version"] == "1"
    sheet = sheet_of(scene.assignment_id)
    assert sheet.version == 1 and marks_of(sheet)[scene.impact] == (4, "")


# --- 6. invalid input -----------------------------------------------------------------------


INVALID = {
    "out_of_scale": ("impact", {"mark": "9"}, "Enter a mark between %(min)s and %(max)s.",
                     {"min": 0, "max": 5}),
    "off_step": ("team", {"mark": "3"},
                 "Enter a mark between %(min)s and %(max)s, in steps of %(step)s.",
                 {"min": 0, "max": 10, "step": 2}),
    "not_a_number": ("market", {"mark": "douze"}, "Enter a whole number.", {}),
    "na_radio": ("impact", {"mark": "na"},
                 "This criterion cannot be marked “not applicable”.", {}),
    "na_box": ("market", {"na": "1"}, "This criterion cannot be marked “not applicable”.", {}),
    "long_comment": ("impact", {"comment": "x" * (domain.MAX_COMMENT + 1)},
                     "The comment is too long (%(limit)s characters at most).",
                     {"limit": domain.MAX_COMMENT}),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_an_invalid_entry_is_refused_with_an_error_summary_and_the_typed_values_kept(
        client, login_as, scene, case):
    key, fields, msgid, values = INVALID[case]
    cid = getattr(scene, key)
    name = {"impact": "Impact", "team": "Équipe", "market": "Marché"}[key]
    posted = scene.marks(**{f"comment-{scene.team}": "Équipe soudée.",
                            "general_comment": "À revoir."})
    for field, typed in fields.items():
        posted[f"{field}-{cid}"] = typed
    login_as(scene.juror)

    response = save(client, scene, version=0, **posted)
    body = text(response)

    assert response.status_code == 400
    message = fr(msgid, **values)
    summary = re.search(r'<div class="error-summary".*?</div>', body, re.S).group(0)
    item = fr("%(label)s: %(error)s", label=name, error=message)
    assert f'<a href="#criterion-{cid}">{item}</a>' in summary
    assert summary.count("<li>") == 1
    wrong = fieldset(body, cid)
    assert 'aria-invalid="true"' in wrong and message in wrong
    assert f'aria-describedby="criterion-{cid}-error"' in wrong
    others = [c for c in (scene.impact, scene.team, scene.market) if c != cid]
    assert all('aria-invalid' not in fieldset(body, c) for c in others)
    form = sheet_form(body)
    for other in others:
        assert form.values[f"mark-{other}"] == posted[f"mark-{other}"]
    assert form.values[f"comment-{scene.team}"] == "Équipe soudée."
    assert form.values["general_comment"] == "À revoir."
    if case == "not_a_number":
        assert form.values[f"mark-{cid}"] == "douze"
    assert form.values["version"] == "0"
    assert count(ScoreSheet) == 0 and count(Mark) == 0


def test_a_general_comment_too_long_is_refused(client, login_as, scene):
    login_as(scene.juror)
    response = save(client, scene, version=0, **scene.marks(
        general_comment="y" * (domain.MAX_GENERAL_COMMENT + 1)))
    body = text(response)
    assert response.status_code == 400
    message = fr("The general comment is too long (%(limit)s characters at most).",
                 limit=domain.MAX_GENERAL_COMMENT)
    assert f'<a href="#general_comment">{message}</a>' in body
    assert re.search(r'<textarea id="general_comment"[^>]*aria-invalid="true"', body)
    assert count(ScoreSheet) == 0


def test_extra_posted_fields_are_ignored(client, login_as, scene):
    final = second_round(scene.edition)
    elsewhere = add_criterion(final, "final", "Finale", weight=1, minimum=0, maximum=5,
                              position=0)
    bernard, _profile = make_juror(scene.edition, name="Bernard Vidal")
    theirs = assign(scene.round, scene.world["other"], bernard)
    db.session.commit()
    login_as(scene.juror)

    response = save(client, scene, version=0, **scene.marks(**{
        f"mark-{elsewhere.id}": "3", "juror_id": str(bernard.id), "status": "submitted",
        "assignment_id": str(theirs.id), "submitted_at": "2020-01-01"}))

    assert response.status_code == 302
    sheet = sheet_of(scene.assignment_id)
    assert sheet.status == SheetStatus.DRAFT and sheet.submitted_at is None
    assert set(marks_of(sheet)) == {scene.impact, scene.team, scene.market}
    assert count(Mark, Mark.criterion_id == elsewhere.id) == 0
    assert count(ScoreSheet) == 1
    assert db.session.get(Assignment, sheet.assignment_id).juror_id == scene.juror.id


# --- 7. submitting --------------------------------------------------------------------------


def test_submitting_an_incomplete_sheet_lists_what_is_missing_and_keeps_the_draft(
        client, login_as, scene):
    login_as(scene.juror)
    response = save(client, scene, version=0, action="submit", **scene.marks(team="", market=""))
    body = text(response)
    assert response.status_code == 400
    summary = re.search(r'<div class="error-summary".*?</div>', body, re.S).group(0)
    team = fr("%(label)s: %(error)s", label="Équipe",
              error=fr("Choose a mark, or “not applicable”."))
    market = fr("%(label)s: %(error)s", label="Marché", error=fr("Choose a mark."))
    assert f'<a href="#criterion-{scene.team}">{team}</a>' in summary
    assert f'<a href="#criterion-{scene.market}">{market}</a>' in summary
    assert f"#criterion-{scene.impact}" not in summary
    assert sheet_form(body).values["version"] == "1"
    sheet = sheet_of(scene.assignment_id)  # the draft is saved all the same
    assert (sheet.version, sheet.status) == (1, SheetStatus.DRAFT)
    assert marks_of(sheet) == {scene.impact: (4, "")}
    assert count(AuditEvent, AuditEvent.action == "sheet.submitted") == 0


def test_a_required_general_comment_is_missing_on_submission(client, login_as, scene):
    scene.edition.is_general_comment_required = True
    db.session.commit()
    login_as(scene.juror)
    response = save(client, scene, version=0, action="submit", **scene.marks())
    assert response.status_code == 400
    message = fr("Write a general comment: this edition requires one.")
    assert f'<a href="#general_comment">{message}</a>' in text(response)
    assert sheet_of(scene.assignment_id).status == SheetStatus.DRAFT


def test_a_complete_sheet_goes_through_the_recap_and_is_submitted_once(
        client, login_as, scene):
    login_as(scene.juror)
    posted = scene.marks(**{f"comment-{scene.impact}": "Effet solide.",
                            "general_comment": "Bon dossier, équipe jeune."})
    response = save(client, scene, version=0, action="submit", **posted)
    assert response.status_code == 302
    assert location_path(response) == scene.url(tail="/recap")

    recap = client.get(scene.url(tail="/recap"))
    body = text(recap)
    assert recap.status_code == 200
    table = re.search(r'<table class="sheet-marks">.*?</table>', body, re.S).group(0)
    assert "<strong>4</strong> / 5 — Fort" in table
    assert "<strong>6</strong> / 10" in table and "<strong>14</strong> / 20" in table
    assert "Effet solide." in table
    assert "Bon dossier, équipe jeune." in body
    assert "<strong>72,5</strong> / 100" in body
    assert re.search(r'name="version" value="1"', body)

    confirmed = client.post(scene.url(tail="/recap"), data={"version": "1"})
    assert confirmed.status_code == 302 and location_path(confirmed) == scene.url()
    sheet = sheet_of(scene.assignment_id)
    assert sheet.status == SheetStatus.SUBMITTED and sheet.submitted_at is not None
    assert count(AuditEvent, AuditEvent.action == "sheet.submitted") == 1

    page = text(client.get(scene.url()))
    assert fr("Your evaluation is submitted. Thank you!") in page
    assert sheet_form(page) is None
    assert 'type="radio"' not in page and "<textarea" not in page
    assert 'type="number"' not in page
    assert "<strong>4</strong> / 5 — Fort" in page and "<strong>72,5</strong> / 100" in page

    twice = client.post(scene.url(tail="/recap"), data={"version": "1"})
    assert twice.status_code == 302 and location_path(twice) == scene.url()
    assert count(AuditEvent, AuditEvent.action == "sheet.submitted") == 1
    assert fr("This score sheet is already submitted.") in text(client.get(scene.url()))


def test_a_stale_version_on_the_recap_submits_nothing(client, login_as, scene):
    login_as(scene.juror)
    assert save(client, scene, version=0, action="submit", **scene.marks()).status_code == 302
    assert 'name="version" value="1"' in text(client.get(scene.url(tail="/recap")))
    # Meanwhile another tab changes a mark.
    assert save(client, scene, version=1, action="autosave", autosave=True,
                **scene.marks(impact="2")).status_code == 200

    response = client.post(scene.url(tail="/recap"), data={"version": "1"})

    assert response.status_code == 302
    assert location_path(response) == scene.url(tail="/recap")
    sheet = sheet_of(scene.assignment_id)
    assert sheet.status == SheetStatus.DRAFT and sheet.version == 2
    assert count(AuditEvent, AuditEvent.action == "sheet.submitted") == 0
    body = text(client.get(scene.url(tail="/recap")))
    assert fr("This score sheet was changed in another window or tab in the meantime. "
              "Check it below before submitting.") in body
    assert "<strong>2</strong> / 5" in body and 'name="version" value="2"' in body


# --- 8. read-only sheets --------------------------------------------------------------------


@pytest.mark.parametrize("case", ["submitted", "deliberation", "closed"])
def test_a_read_only_sheet_shows_no_form_and_refuses_every_save(client, login_as, scene, case):
    login_as(scene.juror)
    assert save(client, scene, version=0, **scene.marks()).status_code == 302
    if case == "submitted":
        assert client.post(scene.url(tail="/recap"), data={"version": "1"}).status_code == 302
    elif case == "deliberation":
        scene.edition.phase = Phase.DELIBERATION
    else:
        scene.round.closed_at = utcnow()
    db.session.commit()
    before = sheet_of(scene.assignment_id)
    version, marks = before.version, marks_of(before)

    page = text(client.get(scene.url()))
    assert sheet_form(page) is None and 'type="radio"' not in page
    assert "<strong>4</strong> / 5 — Fort" in page
    closed_notice = fr("This round is closed: the score sheets can no longer change.")
    assert (closed_notice in page) is (case != "submitted")

    refused = save(client, scene, version=version, **scene.marks(impact="1"))
    assert refused.status_code == 302 and location_path(refused) == scene.url()
    assert fr("This score sheet can no longer be changed.") in text(client.get(scene.url()))
    autosave = save(client, scene, version=version, action="autosave", autosave=True,
                    **scene.marks(impact="1"))
    assert autosave.status_code == 409 and autosave.get_json() == {"error": "closed"}
    after = sheet_of(scene.assignment_id)
    assert (after.version, marks_of(after)) == (version, marks)
    assert after.status == (SheetStatus.SUBMITTED if case == "submitted" else SheetStatus.DRAFT)


@pytest.mark.parametrize("case", ["submitted", "closed"])
def test_an_invalid_save_on_a_read_only_sheet_is_refused_like_any_other(
        client, login_as, scene, case):
    login_as(scene.juror)
    assert save(client, scene, version=0, **scene.marks()).status_code == 302
    if case == "submitted":
        assert client.post(scene.url(tail="/recap"), data={"version": "1"}).status_code == 302
    else:
        scene.round.closed_at = utcnow()
        db.session.commit()
    version = sheet_of(scene.assignment_id).version

    autosave = save(client, scene, version=version, action="autosave", autosave=True,
                    **scene.marks(impact="9"))
    assert autosave.status_code == 409 and autosave.get_json() == {"error": "closed"}
    refused = save(client, scene, version=version, **scene.marks(impact="9", market="1"))
    assert refused.status_code == 302 and location_path(refused) == scene.url()
    page = text(client.get(scene.url()))
    assert fr("This score sheet can no longer be changed.") in page
    assert "<strong>14</strong> / 20" in page and "<strong>1</strong> / 20" not in page
    assert sheet_of(scene.assignment_id).version == version


def test_a_form_kept_after_the_session_expired_is_never_shown_as_a_read_only_sheet(
        client, login_as, scene):
    login_as(scene.juror)
    assert save(client, scene, version=0, **scene.marks()).status_code == 302
    with client.session_transaction() as session:
        session.pop("_user_id")  # the session expires while the juror types
    kept = save(client, scene, version=1, **scene.marks(impact="1", market="2"))
    assert location_path(kept) == "/account/login"
    scene.round.closed_at = utcnow()  # meanwhile the organizers close the round
    db.session.commit()
    login_as(scene.juror)

    page = text(client.get(scene.url()))

    assert sheet_form(page) is None
    marks = re.search(r'<table class="sheet-marks">.*?</table>', page, re.S).group(0)
    assert "<strong>4</strong> / 5" in marks and "<strong>14</strong> / 20" in marks
    assert "<strong>1</strong> / 5" not in marks and "<strong>2</strong> / 20" not in marks
    assert "<strong>72,5</strong> / 100" in page
    assert marks_of(sheet_of(scene.assignment_id))[scene.impact] == (4, "")


def test_a_closed_round_is_said_closed_on_the_dashboard(client, login_as, scene):
    scene.round.closed_at = utcnow()
    db.session.commit()
    login_as(scene.juror)
    body = text(client.get(scene.home))
    assert fr("Scoring is closed for this round: your sheets can be read but no longer "
              "changed.") in body


# --- 9. access ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["unassigned", "unpublished", "unpublished_in_round",
                                  "another_jurors", "no_round", "other_round",
                                  "other_edition"])
def test_a_juror_gets_404_on_every_sheet_route_that_is_not_theirs(client, login_as, scene,
                                                                    case):
    shared = scene.world
    bernard, _profile = make_juror(scene.edition, name="Bernard Vidal")
    theirs = assign(scene.round, shared["other"], bernard)
    their_sheet = add_sheet(theirs, {scene.impact: 2}, status=SheetStatus.DRAFT)
    number, dossier, slug = 1, shared["other"], scene.slug
    if case == "unpublished":
        dossier = shared["unpublished"]
    elif case == "another_jurors":
        pass  # world["other"] is Bernard's, not Claire's
    elif case == "no_round":
        number, dossier = 9, scene.dossier
    elif case == "other_round":
        second_round(scene.edition)
        number, dossier = 2, scene.dossier
    elif case == "unpublished_in_round":  # readable through round 1, not yet given in round 2
        assign(second_round(scene.edition), scene.dossier, scene.juror, published=False)
        number, dossier = 2, scene.dossier
    elif case == "other_edition":
        elsewhere = make_edition("ailleurs", phase=Phase.JUDGING)
        add_role(scene.juror, elsewhere, Role.JUROR)
        profile = db.session.scalar(select(JurorProfile).where(
            JurorProfile.edition_id == elsewhere.id, JurorProfile.user_id == scene.juror.id))
        profile.confidentiality_accepted_at = utcnow()
        dossier = make_dossier(elsewhere, make_user())
        assign(elsewhere.rounds[0], dossier, scene.juror)
    db.session.commit()
    sheet_id, version = their_sheet.id, their_sheet.version
    login_as(scene.juror)
    base = f"/jury/{slug}/rounds/{number}/dossiers/{dossier.reference}"

    for path in (base, base + "/recap", base + "/recuse"):
        assert client.get(path).status_code == 404, path
    assert save(client, scene, url=base, version=version,
                **scene.marks(impact="5")).status_code == 404
    assert save(client, scene, url=base, version=version, action="autosave", autosave=True,
                **scene.marks(impact="5")).status_code == 404
    assert client.post(base + "/recap", data={"version": str(version)}).status_code == 404
    assert client.post(base + "/recuse", data={"reason": "Je veux voir."}).status_code == 404
    db.session.expire_all()
    sheet = db.session.get(ScoreSheet, sheet_id)
    assert (sheet.version, sheet.status, marks_of(sheet)) == (
        version, SheetStatus.DRAFT, {scene.impact: (2, "")})
    assert count(Conflict) == 0
    assert count(ScoreSheet) == 1
    if case == "other_edition":  # the same dossier is readable in its own edition
        assert client.get(f"/jury/ailleurs/rounds/1/dossiers/{dossier.reference}"
                          ).status_code == 200


def test_the_old_dossier_address_leads_to_the_latest_rounds_sheet(client, login_as, scene):
    final = second_round(scene.edition)
    later = assign(final, scene.dossier, scene.juror, published=False)
    db.session.commit()
    login_as(scene.juror)
    old = f"/jury/{scene.slug}/dossiers/{scene.dossier.reference}"
    assert location_path(client.get(old)) == scene.url(number=1)
    later.published_at = utcnow()
    db.session.commit()
    response = client.get(old)
    assert response.status_code == 302
    assert location_path(response) == scene.url(number=2)
    assert client.get(scene.url(number=2)).status_code == 200


# --- 10. never losing work ------------------------------------------------------------------


KEPT_COMMENTS = {"short": "Écrit avant l’expiration.",
                 # beyond what the session cookie holds: kept in the database
                 "long": "Une remarque longue sur l’impact. " * 130}


@pytest.mark.parametrize("size", sorted(KEPT_COMMENTS))
def test_a_save_after_the_session_expired_comes_back_after_logging_in(
        client, login_as, app, scene, size):
    comment = KEPT_COMMENTS[size]
    typed = scene.marks(**{f"comment-{scene.impact}": comment})

    response = save(client, scene, version=0, **typed)
    assert response.status_code == 302
    assert location_path(response) == "/account/login"
    assert count(ScoreSheet) == 0
    assert count(RecoveredForm) == (1 if size == "long" else 0)

    login_as(scene.juror)
    body = text(client.get(scene.url()))
    assert fr("What you typed before logging in again has been kept below. Save it to "
              "record it.") in body
    form = sheet_form(body)
    for name, value in typed.items():
        assert form.values[name] == value, name
    assert form.values["version"] == "0"
    # Kept once: the next visit shows the saved state.
    again = text(client.get(scene.url()))
    assert fr("What you typed before logging in again has been kept below. Save it to "
              "record it.") not in again
    assert f"mark-{scene.impact}" not in sheet_form(again).values
    # Saving the recovered form records it.
    assert save(client, scene, **{**form.values, "action": "save"}).status_code == 302
    assert marks_of(sheet_of(scene.assignment_id))[scene.impact] == (4, comment.strip())
    # The page's background save, logged out, answers JSON for the script to explain.
    anonymous = IsolatedClient(app, app.response_class, use_cookies=True)
    autosave = save(anonymous, scene, version=1, action="autosave", autosave=True, **typed)
    assert autosave.status_code == 401 and autosave.get_json()["error"] == "login"
    assert sheet_of(scene.assignment_id).version == 1  # nothing written


def test_a_save_with_an_expired_csrf_token_is_kept_for_the_sheet(app_factory, login_as, scene):
    protected = app_factory(WTF_CSRF_ENABLED=True)
    browser = IsolatedClient(protected, protected.response_class, use_cookies=True)
    login_as(scene.juror, browser)
    typed = scene.marks(**{f"comment-{scene.team}": "Équipe complète."})

    autosave = browser.post(scene.url(), data={"csrf_token": "stale", "version": "0",
                                               "action": "autosave", **typed},
                            headers={"X-Autosave": "1"})
    assert autosave.status_code == 400
    assert autosave.get_json()["error"] == "expired"

    refused = browser.post(scene.url(), data={"csrf_token": "stale", "version": "0",
                                              "action": "save", **typed})
    assert refused.status_code == 400
    assert fr("What you typed has been kept: go back to the page to send it again.") in text(
        refused)
    assert count(ScoreSheet) == 0

    page = browser.get(scene.url())
    body = text(page)
    assert fr("What you typed before logging in again has been kept below. Save it to "
              "record it.") in body
    form = sheet_form(body)
    for name, value in typed.items():
        assert form.values[name] == value, name
    accepted = browser.post(scene.url(), data={**form.values, "csrf_token": csrf_token(page),
                                               "action": "save"})
    assert accepted.status_code == 302
    sheet = sheet_of(scene.assignment_id)
    assert sheet.version == 1 and marks_of(sheet)[scene.team] == (6, "Équipe complète.")


# --- 11. next application -------------------------------------------------------------------


def test_save_and_next_goes_to_the_next_unfinished_dossier_in_the_jurors_order(
        client, login_as, scene):
    extra = [make_dossier(scene.edition, make_user()) for _ in range(3)]
    pairs = {d.reference: assign(scene.round, d, scene.juror) for d in extra}
    pairs[scene.dossier.reference] = db.session.get(Assignment, scene.assignment_id)
    db.session.commit()
    login_as(scene.juror)
    order = references_in_order(text(client.get(scene.home)), scene.slug)
    assert len(order) == 4
    by_reference = {d.reference: d for d in [scene.dossier, *extra]}
    first, second, third, fourth = (by_reference[r] for r in order)
    add_sheet(pairs[second.reference], {scene.impact: 3})  # submitted: skipped
    db.session.commit()

    page = text(client.get(scene.url(first)))
    assert 'name="action" value="next"' in page
    response = save(client, scene, url=scene.url(first), version=0, action="next",
                    **scene.marks())
    assert response.status_code == 302
    assert location_path(response) == scene.url(third)
    assert sheet_of(pairs[first.reference].id).version == 1
    assert saved_at_pattern().search(text(client.get(scene.url(third))))

    submitted = text(client.get(scene.url(second)))
    assert sheet_form(submitted) is None
    assert (f'<a class="button" href="{scene.url(third)}">{fr("Next application")}</a>'
            in submitted)

    for dossier in (third, fourth):
        add_sheet(pairs[dossier.reference], {scene.impact: 3})
    db.session.commit()
    last = save(client, scene, url=scene.url(first), version=1, action="next", **scene.marks())
    assert location_path(last) == scene.home  # nothing left: back to the list


# --- 12. recusal ----------------------------------------------------------------------------


def test_recusing_confirms_the_conflict_removes_the_dossier_and_tells_the_organizers(
        client, login_as, scene):
    organizers = [make_user(), make_user()]
    for organizer in organizers:
        add_role(organizer, scene.edition, Role.ORGANIZER)
    db.session.commit()
    login_as(scene.juror)
    assert save(client, scene, version=0, **scene.marks()).status_code == 302
    url = scene.url(tail="/recuse")

    form = client.get(url)
    assert form.status_code == 200 and 'name="reason"' in text(form)
    assert f'href="{url}"' in text(client.get(scene.url()))
    refused = client.post(url, data={"reason": "  "})
    assert refused.status_code == 400
    assert fr("Give the reason: the organizers need it.") in text(refused)
    assert count(Conflict) == 0

    response = client.post(url, data={"reason": "J’ai conseillé cette équipe."})
    assert response.status_code == 302 and location_path(response) == scene.home
    conflict = db.session.scalar(select(Conflict))
    assert (conflict.juror_id, conflict.dossier_id, conflict.status, conflict.source,
            conflict.reason) == (scene.juror.id, scene.dossier.id, ConflictStatus.CONFIRMED,
                                 ConflictSource.DECLARED, "J’ai conseillé cette équipe.")
    assert count(Assignment, Assignment.juror_id == scene.juror.id,
                 Assignment.dossier_id == scene.dossier.id) == 0
    assert count(ScoreSheet) == 0
    told = messages(template="juror_recused")
    assert sorted(m.recipient for m in told) == sorted(o.email for o in organizers)
    assert count(AuditEvent, AuditEvent.action == "juror.recused") == 1
    home = text(client.get(scene.home))
    assert fr("Your conflict of interest is recorded: this application is no longer on your "
              "list, and the organizers have been told.") in home
    assert scene.dossier.reference not in home
    assert client.get(scene.url()).status_code == 404


def test_a_recusal_gives_the_slot_to_a_juror_with_room_when_the_round_is_published(
        client, login_as, app):
    edition = make_edition("recusal", phase=Phase.JUDGING)
    round_ = edition.rounds[0]
    round_.jurors_per_dossier = 2
    organizer = make_user()
    add_role(organizer, edition, Role.ORGANIZER)
    leaving, _p1 = make_juror(edition, name="Claire Fontaine")
    staying, _p2 = make_juror(edition, name="Bernard Vidal")
    free, _p3 = make_juror(edition, name="Inès Roux")
    dossier = make_dossier(edition, make_user(), status=DossierStatus.ELIGIBLE)
    assign(round_, dossier, leaving)
    assign(round_, dossier, staying)
    db.session.commit()
    login_as(leaving)

    response = client.post(f"/jury/recusal/rounds/1/dossiers/{dossier.reference}/recuse",
                           data={"reason": "Ancien associé."})

    assert response.status_code == 302
    pairs = {a.juror_id: a for a in db.session.scalars(
        select(Assignment).where(Assignment.dossier_id == dossier.id)
        .execution_options(populate_existing=True))}
    assert set(pairs) == {staying.id, free.id}
    assert pairs[free.id].published_at is not None
    assert [m.recipient for m in messages(template="juror_recused")] == [organizer.email]


# --- 13. peer totals ------------------------------------------------------------------------


@pytest.fixture
def peers(scene):
    """Two other jurors submitted on Claire's dossier (100 and 47.5), a third has a draft."""
    for name, entries, status in (
            ("Bernard Vidal", {scene.impact: 5}, SheetStatus.SUBMITTED),
            ("Inès Roux", {scene.impact: 2, scene.team: 6, scene.market: 10},
             SheetStatus.SUBMITTED),
            ("Jeanne Morel", {scene.impact: 0}, SheetStatus.DRAFT)):
        juror, _profile = make_juror(scene.edition, name=name)
        add_sheet(assign(scene.round, scene.dossier, juror), entries, status=status)
    db.session.commit()


PEERS_TITLE = "The other jurors’ totals"


def submit(client, scene, version=0):
    assert save(client, scene, version=version, action="submit",
                **scene.marks()).status_code == 302
    assert client.post(scene.url(tail="/recap"),
                       data={"version": str(version + 1)}).status_code == 302


def test_the_other_jurors_totals_show_anonymously_once_the_juror_has_submitted(
        client, login_as, scene, peers):
    scene.edition.shows_peer_totals = True
    db.session.commit()
    login_as(scene.juror)
    assert fr(PEERS_TITLE) not in text(client.get(scene.url()))
    assert save(client, scene, version=0, **scene.marks(market="")).status_code == 302
    draft = text(client.get(scene.url()))  # a draft is not enough
    assert fr(PEERS_TITLE) not in draft and "47,5" not in draft

    submit(client, scene, version=1)
    body = text(client.get(scene.url()))
    assert fr(PEERS_TITLE) in body
    assert f"{fr('Anonymous, in ascending order:')} 47,5 · 100,0</p>" in body
    for name in ("Bernard Vidal", "Inès Roux", "Jeanne Morel"):
        assert name not in body


def test_the_other_jurors_totals_stay_hidden_when_the_edition_does_not_show_them(
        client, login_as, scene, peers):
    login_as(scene.juror)
    submit(client, scene)
    body = text(client.get(scene.url()))
    assert sheet_of(scene.assignment_id).status == SheetStatus.SUBMITTED
    assert fr(PEERS_TITLE) not in body
    assert "47,5" not in body and "100,0" not in body


def test_a_juror_who_never_submitted_sees_no_other_totals_once_the_round_is_closed(
        client, login_as, scene, peers):
    scene.edition.shows_peer_totals = True
    db.session.commit()
    login_as(scene.juror)
    assert save(client, scene, version=0, **scene.marks()).status_code == 302
    scene.round.closed_at = utcnow()
    db.session.commit()
    body = text(client.get(scene.url()))
    assert sheet_form(body) is None and "<strong>72,5</strong> / 100" in body
    assert fr(PEERS_TITLE) not in body and "47,5" not in body


# --- 14. blind editions ---------------------------------------------------------------------


def test_in_a_blind_edition_no_sheet_page_names_the_company_or_the_founders(
        client, login_as, scene):
    scene.edition.is_blind = True
    db.session.commit()
    login_as(scene.juror)
    hidden = ("Hélio Lumen", "Ada Martin", "ex-Polytechnique")
    pages = [client.get(scene.url()),
             save(client, scene, version=0, **scene.marks(impact="9")),       # 400
             client.get(scene.url(tail="/recuse"))]
    assert save(client, scene, version=0, **scene.marks(market="")).status_code == 302
    pages.append(save(client, scene, version=0, **scene.marks()))            # 409
    pages.append(save(client, scene, version=1, action="submit", **scene.marks()))
    pages.append(client.get(scene.url(tail="/recap")))
    assert client.post(scene.url(tail="/recap"), data={"version": "2"}).status_code == 302
    pages.append(client.get(scene.url()))                                    # read-only
    assert [p.status_code for p in pages] == [200, 400, 200, 409, 302, 200, 200]
    for response in pages:
        body = text(response)
        for secret in hidden:
            assert secret not in body
    assert "Capteurs souples" in text(pages[0]) and "Moins de pertes" in text(pages[0])
