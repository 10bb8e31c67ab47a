"""The organizer's list of dossiers: drafts left out, search, filters, sorts, pages, counts,
one dossier read in full, answers shown by their labels; query counts that do not grow."""

from __future__ import annotations

import hashlib
import itertools

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from tests.factories import make_edition, make_user
from tests.helpers import fr
from trophies.domain.vocabulary import DossierStatus, Phase, QuestionKind
from trophies.models import Answer, Attachment, Dossier, Edition, Founder, Question, db, utcnow
from trophies.services import dossiers

_seq = itertools.count(1)

CHOICES_STAGE = [
    {"value": "pilot", "label_fr": "Pilote en cours", "label_en": "Running pilot"},
    {"value": "market", "label_fr": "Sur le marché", "label_en": "On the market"},
]
CHOICES_GOALS = [
    {"value": "odd3", "label_fr": "ODD 3 : bonne santé", "label_en": "SDG 3: good health"},
    {"value": "odd10", "label_fr": "ODD 10 : inégalités réduites",
     "label_en": "SDG 10: reduced inequalities"},
]


# --- builders shared with the exports and web tests ------------------------------------------


def add_questions(edition: Edition) -> dict[str, Question]:
    """A small form with one question of each interesting kind."""
    specs = [
        ("problem", QuestionKind.LONG_TEXT, "Quel problème ?", "What problem?", []),
        ("stage", QuestionKind.SINGLE_CHOICE, "Stade atteint", "Stage reached", CHOICES_STAGE),
        ("goals", QuestionKind.MULTIPLE_CHOICE, "Objectifs visés", "Goals", CHOICES_GOALS),
        ("ce", QuestionKind.YES_NO, "Marquage CE ?", "CE marking?", []),
        ("staff", QuestionKind.NUMBER, "Salariés", "Employees", []),
        ("deck", QuestionKind.FILE, "Pitch deck", "Pitch deck", []),
    ]
    questions = {}
    for position, (key, kind, label_fr, label_en, choices) in enumerate(specs):
        question = Question(edition_id=edition.id, position=position, key=key, kind=kind,
                            label_fr=label_fr, label_en=label_en, choices=choices)
        db.session.add(question)
        questions[key] = question
    db.session.flush()
    return questions


def add_dossier(edition: Edition, *, company: str = "", project: str = "",
                reference: str | None = None, status=DossierStatus.ELIGIBLE,
                founders=(("Élodie Martin", "Présidente"),), answers: dict | None = None,
                questions: dict[str, Question] | None = None, files=(), category=None,
                submitted_at=None, **fields) -> Dossier:
    """A dossier with founders, answers (question key -> stored value) and files."""
    n = next(_seq)
    candidate = make_user()
    dossier = Dossier(
        edition_id=edition.id, category_id=(category or edition.categories[0]).id,
        candidate_id=candidate.id, reference=reference or f"D-{n:05d}",
        company_name=company or f"Société {n}", project_title=project or f"Projet {n}",
        status=status,
        submitted_at=None if status == DossierStatus.DRAFT else (submitted_at or utcnow()),
        **fields)
    dossier.founders = [Founder(position=i, full_name=name, role_title=role)
                        for i, (name, role) in enumerate(founders)]
    dossier.answers = [Answer(question_id=questions[key].id, value=value)
                       for key, value in (answers or {}).items()]
    dossier.attachments = [
        Attachment(question_id=questions["deck"].id if questions else None, original_name=name,
                   stored_name=hashlib.sha256(f"{n}-{name}".encode()).hexdigest()[:32],
                   content_type="application/pdf", size_bytes=size,
                   sha256=hashlib.sha256(name.encode()).hexdigest())
        for name, size in files]
    db.session.add(dossier)
    db.session.flush()
    return dossier


def build_demo(runner) -> dict[str, Edition]:
    """The demo competition, by phase ("open", "judging", "published")."""
    result = runner.invoke(args=["trophies", "demo"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return {str(e.phase): e for e in db.session.scalars(select(Edition))}


@pytest.fixture
def demo(app, runner) -> dict[str, Edition]:
    return build_demo(runner)


def references(page) -> list[str]:
    return [d.reference for d in page.items]


# --- drafts, pages, counts -------------------------------------------------------------------


def test_drafts_are_neither_listed_nor_read_but_counted_apart(app):
    edition = make_edition()
    shown = [add_dossier(edition) for _ in range(3)]
    drafts = [add_dossier(edition, status=DossierStatus.DRAFT) for _ in range(2)]
    page = dossiers.list_dossiers(edition)
    assert sorted(references(page)) == sorted(d.reference for d in shown)
    counts = dossiers.counts(edition)
    assert counts["total"] == 3
    assert counts["drafts"] == 2
    assert "draft" not in counts["by_status"]
    assert dossiers.get_dossier(edition, drafts[0].reference) is None
    assert dossiers.get_dossier(edition, shown[0].reference) is not None
    with pytest.raises(ValueError):
        dossiers.list_dossiers(edition, status="draft")


def test_the_demo_judging_edition_lists_its_72_dossiers_on_three_pages(demo):
    edition = demo["judging"]
    pages = [dossiers.list_dossiers(edition, page=n, per_page=25) for n in (1, 2, 3)]
    assert [p.total for p in pages] == [72, 72, 72]
    assert [p.pages for p in pages] == [3, 3, 3]
    assert [len(p.items) for p in pages] == [25, 25, 22]
    seen = [r for p in pages for r in references(p)]
    assert len(set(seen)) == 72
    assert seen == sorted(seen)
    assert (pages[0].has_prev, pages[0].has_next, pages[2].has_next) == (False, True, False)
    assert (pages[1].prev_num, pages[1].next_num) == (1, 3)


def test_a_page_past_the_end_gives_the_last_page_and_an_empty_list_has_no_page(demo):
    page = dossiers.list_dossiers(demo["judging"], page=99, per_page=50)
    assert (page.page, len(page.items)) == (2, 22)
    empty = dossiers.list_dossiers(demo["judging"], search="no such thing anywhere")
    assert (empty.total, empty.pages, empty.page, empty.items) == (0, 0, 1, [])


def test_the_demo_counts_agree_with_the_list(demo):
    edition = demo["judging"]
    counts = dossiers.counts(edition)
    assert counts["total"] == 72
    assert counts["drafts"] == 0
    assert counts["by_status"] == {"eligible": 68, "ineligible": 4}
    assert sum(counts["by_category"].values()) == 72
    for category in edition.categories:
        listed = dossiers.list_dossiers(edition, category_id=category.id, per_page=100)
        assert listed.total == counts["by_category"].get(category.id, 0)
    open_counts = dossiers.counts(demo["open"])
    assert open_counts["drafts"] > 0
    assert open_counts["total"] == dossiers.list_dossiers(demo["open"]).total


def test_counts_run_two_grouped_queries(demo, count_queries):
    with count_queries() as counter:
        dossiers.counts(demo["judging"])
    assert counter.count == 2


# --- search and filters ----------------------------------------------------------------------


def test_search_ignores_case_over_company_project_reference_and_founders(app):
    edition = make_edition()
    solen = add_dossier(edition, company="Solen Santé", project="Téléconsultation rurale",
                        reference="ES26-0042", founders=[("Aïcha Benali", "CEO")])
    other = add_dossier(edition, company="Mobilis", project="Transport adapté",
                        reference="ES26-0007", founders=[("Jean Dupont", "CTO")])

    def found(term):
        return references(dossiers.list_dossiers(edition, search=term))

    assert found("SOLEN") == [solen.reference]
    assert found("rurale") == [solen.reference]
    assert found("es26-0042") == [solen.reference]
    assert found("benali") == [solen.reference]
    assert found("dupont") == [other.reference]
    assert found("  ") == sorted([solen.reference, other.reference])
    # Every word must match somewhere (here one word in the company, one in a founder).
    assert found("solen aïcha") == [solen.reference]
    assert found("solen dupont") == []


def test_search_treats_like_wildcards_as_plain_characters(app):
    edition = make_edition()
    percent = add_dossier(edition, company="Santé à 100%")
    add_dossier(edition, company="Santé plus")
    underscore = add_dossier(edition, project="projet_alpha")
    add_dossier(edition, project="projetXalpha")
    assert references(dossiers.list_dossiers(edition, search="100%")) == [percent.reference]
    assert references(dossiers.list_dossiers(edition, search="%")) == [percent.reference]
    assert references(dossiers.list_dossiers(edition, search="t_a")) == [underscore.reference]


def test_filters_by_category_and_status_combine_with_the_search(app):
    edition = make_edition(categories=("Équité", "Souveraineté"))
    equity, sovereignty = edition.categories
    a = add_dossier(edition, company="Alpha", category=equity)
    b = add_dossier(edition, company="Alpha bis", category=sovereignty,
                    status=DossierStatus.INELIGIBLE, eligibility_reason="Trop grande.")
    c = add_dossier(edition, company="Gamma", category=sovereignty)
    assert references(dossiers.list_dossiers(edition, category_id=sovereignty.id)) == sorted(
        [b.reference, c.reference])
    assert references(dossiers.list_dossiers(edition, status="ineligible")) == [b.reference]
    assert references(dossiers.list_dossiers(edition, search="alpha",
                                             status="eligible")) == [a.reference]
    assert references(dossiers.list_dossiers(edition, search="alpha",
                                             category_id=sovereignty.id)) == [b.reference]


def test_another_editions_dossiers_never_appear(app):
    mine, theirs = make_edition(), make_edition()
    add_dossier(mine, company="Mienne")
    other = add_dossier(theirs, company="Autre")
    assert dossiers.list_dossiers(mine, search="autre").total == 0
    assert dossiers.counts(mine)["total"] == 1
    assert dossiers.get_dossier(mine, other.reference) is None


# --- sorting ---------------------------------------------------------------------------------


def test_every_sort_key_orders_the_whole_list_both_ways(demo):
    edition = demo["judging"]
    position = {c.id: c.position for c in edition.categories}
    order = list(dossiers.DossierStatus)
    keys = {
        "reference": lambda d: d.reference,
        "company": lambda d: d.company_name.lower(),
        "project": lambda d: d.project_title.lower(),
        "category": lambda d: position[d.category_id],
        "status": lambda d: order.index(d.status),
        "submitted_at": lambda d: d.submitted_at,
    }
    assert set(keys) == set(dossiers.SORT_KEYS)
    for sort, key in keys.items():
        up = dossiers.list_dossiers(edition, sort=sort, per_page=100).items
        down = dossiers.list_dossiers(edition, sort=sort, descending=True, per_page=100).items
        assert [key(d) for d in up] == sorted(key(d) for d in up), sort
        assert [key(d) for d in down] == sorted((key(d) for d in down), reverse=True), sort
        assert len(up) == len(down) == 72, sort
    # Equal keys are ordered by reference, so pages never overlap.
    by_category = dossiers.list_dossiers(edition, sort="category", per_page=100).items
    assert by_category == sorted(by_category, key=lambda d: (position[d.category_id],
                                                             d.reference))


def test_an_unknown_sort_key_or_status_is_refused(app):
    edition = make_edition()
    with pytest.raises(ValueError):
        dossiers.list_dossiers(edition, sort="candidate_id")
    with pytest.raises(ValueError):
        dossiers.list_dossiers(edition, status="accepted")


# --- query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("per_page", [25, 50, 100])
def test_a_page_takes_three_queries_whatever_its_size(demo, count_queries, per_page):
    edition = demo["judging"]
    with count_queries() as counter:
        page = dossiers.list_dossiers(edition, search="e", sort="category", per_page=per_page)
        for dossier in page.items:  # what the list page shows
            assert dossier.category.name_fr
            assert [f.full_name for f in dossier.founders]
    assert len(page.items) == min(per_page, page.total)
    assert counter.count == 3, counter.statements


def test_get_dossier_loads_what_the_page_shows_up_front(app, count_queries):
    edition = make_edition()
    questions = add_questions(edition)
    dossier = add_dossier(edition, questions=questions, answers={"stage": "pilot", "ce": "yes"},
                          founders=[("A", "x"), ("B", "y")], files=[("deck.pdf", 10)])
    reference = dossier.reference
    db.session.commit()
    db.session.expire_all()
    assert edition.id  # reloaded here, not counted below
    with count_queries() as counter:
        loaded = dossiers.get_dossier(edition, reference)
    loaded_queries = counter.count
    with count_queries() as counter:
        assert loaded.category.name_fr
        assert [f.full_name for f in loaded.founders] == ["A", "B"]
        assert {a.question.key for a in loaded.answers} == {"stage", "ce"}
        assert [a.original_name for a in loaded.attachments] == ["deck.pdf"]
    assert counter.count == 0
    assert loaded_queries == 4  # dossier and category, founders, answers and questions, files


# --- answers as a reader sees them -----------------------------------------------------------


def test_answers_show_labels_in_the_readers_language_not_codes(app):
    edition = make_edition(phase=Phase.JUDGING)
    questions = add_questions(edition)
    dossier = add_dossier(edition, questions=questions, files=[("deck.pdf", 2048)], answers={
        "problem": "Les déserts médicaux.", "stage": "market", "goals": "odd3,odd10",
        "ce": "no", "staff": "12"})
    items = dossiers.questions_of(edition)
    with app.test_request_context(), force_locale("fr"):
        lines = {line.question.key: line
                 for line in dossiers.answer_lines(dossier, items, language="fr")}
        assert lines["stage"].label == "Stade atteint"
        assert lines["stage"].values == ["Sur le marché"]
        assert lines["goals"].values == ["ODD 3 : bonne santé", "ODD 10 : inégalités réduites"]
        assert lines["ce"].values == [fr("No")]
        assert lines["staff"].values == ["12"]
        assert lines["problem"].values == ["Les déserts médicaux."]
        assert lines["deck"].values == ["deck.pdf"]
        assert [a.original_name for a in lines["deck"].files] == ["deck.pdf"]
    with app.test_request_context(), force_locale("en"):
        lines = {line.question.key: line
                 for line in dossiers.answer_lines(dossier, items, language="en")}
        assert lines["stage"].label == "Stage reached"
        assert lines["stage"].values == ["On the market"]
        assert lines["goals"].values == ["SDG 3: good health", "SDG 10: reduced inequalities"]
        assert lines["ce"].values == ["No"]
    assert [line.question.key for line in dossiers.answer_lines(dossier, items, language="fr")
            ] == ["problem", "stage", "goals", "ce", "staff", "deck"]


def test_unanswered_questions_and_unknown_codes_stay_visible(app):
    edition = make_edition()
    questions = add_questions(edition)
    dossier = add_dossier(edition, questions=questions, answers={"stage": "retired"})
    with app.test_request_context():
        lines = {line.question.key: line for line in dossiers.answer_lines(
            dossier, dossiers.questions_of(edition), language="fr")}
    assert lines["stage"].values == ["retired"]  # a code no longer offered is shown as is
    assert lines["problem"].values == []
    assert lines["deck"].values == [] and lines["deck"].files == []


def test_search_ignores_accents_and_ligatures_and_follows_renames(app):
    edition = make_edition()
    oeuvre = add_dossier(edition, company="Œuvre Santé", project="Télésuivi",
                         founders=[("Élodie Kerdraon", "Présidente")])
    add_dossier(edition, company="Autre", founders=[("Jean Dupont", "CTO")])

    def found(term):
        return references(dossiers.list_dossiers(edition, search=term))

    assert found("elodie") == found("ÉLODIE") == found("Elodie kerdraon") == [oeuvre.reference]
    assert found("oeuvre") == found("télé") == found("TELE") == [oeuvre.reference]
    oeuvre.company_name = "Nouvelle Marque"
    oeuvre.founders[0].full_name = "Zoé Kerdraon"
    db.session.flush()
    assert found("oeuvre") == [] and found("zoe") == found("marque") == [oeuvre.reference]
