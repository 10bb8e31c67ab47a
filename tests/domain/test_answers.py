"""Answers against their questions: limits always, required answers only to submit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from trophies.domain.answers import AnswerProblem, QuestionRule, check, check_all, normalise
from trophies.domain.vocabulary import QuestionKind as K

LONG = QuestionRule("probleme", K.LONG_TEXT, required=True, max_length=20)
NUMBER = QuestionRule("salaries", K.NUMBER, min_value=0, max_value=500)
SINGLE = QuestionRule("maturite", K.SINGLE_CHOICE, required=True, choices=("idee", "pilote"))
MULTI = QuestionRule("odd", K.MULTIPLE_CHOICE, choices=("odd3", "odd5", "odd10"))
URL = QuestionRule("site", K.URL)
FILE = QuestionRule("deck", K.FILE, required=True)


def test_a_required_answer_is_demanded_only_to_submit():
    assert check(LONG, "", to_submit=False) is None
    assert check(LONG, "", to_submit=True) is AnswerProblem.REQUIRED


def test_the_length_limit_holds_for_drafts_too_and_counts_a_line_break_once():
    assert check(LONG, "x" * 21, to_submit=False) is AnswerProblem.TOO_LONG
    text = normalise(LONG, "a" * 9 + "\r\n" + "b" * 10)
    assert len(text) == 20 and check(LONG, text, to_submit=True) is None


def test_numbers_must_be_whole_and_within_bounds():
    assert check(NUMBER, "12", to_submit=True) is None
    assert check(NUMBER, "douze", to_submit=True) is AnswerProblem.NOT_A_NUMBER
    assert check(NUMBER, "-1", to_submit=True) is AnswerProblem.TOO_SMALL
    assert check(NUMBER, "501", to_submit=True) is AnswerProblem.TOO_LARGE


def test_choices_must_be_among_the_question_codes():
    assert check(SINGLE, "pilote", to_submit=True) is None
    assert check(SINGLE, "forged", to_submit=False) is AnswerProblem.INVALID_CHOICE
    assert normalise(MULTI, ["odd10", "odd3"]) == "odd3,odd10"
    assert check(MULTI, normalise(MULTI, ["odd3", "evil"]), to_submit=False) is (
        AnswerProblem.INVALID_CHOICE)


def test_urls_must_be_http_or_https():
    assert check(URL, "https://medilien.example", to_submit=True) is None
    for bad in ("javascript:alert(1)", "medilien.example", "ftp://x.example", "https://a b"):
        assert check(URL, bad, to_submit=True) is AnswerProblem.INVALID_URL, bad


def test_a_required_file_counts_as_answered_once_uploaded():
    rules = [LONG, FILE]
    assert check_all(rules, {"probleme": "ok"}, files=set(), to_submit=True) == {
        "deck": AnswerProblem.REQUIRED}
    assert check_all(rules, {"probleme": "ok"}, files={"deck"}, to_submit=True) == {}
    assert check_all(rules, {}, files=set(), to_submit=False) == {}


@given(st.text(max_size=60))
def test_normalised_text_is_stable_and_never_longer(raw):
    once = normalise(LONG, raw)
    assert normalise(LONG, once) == once
    assert len(once) <= len(raw)
