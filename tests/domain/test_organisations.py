"""Domain: organisation names compared the same way everywhere (conflicts, per-dossier cap)."""

from __future__ import annotations

import pytest

from trophies.domain.organisations import normalise_organisation


def test_case_spacing_and_filler_words_do_not_distinguish_organisations():
    assert normalise_organisation("CHU de Nantes") == normalise_organisation("chu  NANTES")
    assert normalise_organisation("CHU de Nantes") == "chu nantes"


def test_accents_are_folded():
    assert normalise_organisation("Hôpital Européen Georges-Pompidou") == normalise_organisation(
        "HOPITAL EUROPEEN GEORGES POMPIDOU")
    assert normalise_organisation("Hôpital Européen") == "hopital europeen"


@pytest.mark.parametrize("name", ["Acme SAS", "ACME SARL", "Acme SA", "acme sasu", "The Acme Ltd",
                                  "Acme GmbH", "Acme, Inc.", "ACME"])
def test_legal_forms_are_ignored(name):
    assert normalise_organisation(name) == "acme"


def test_elided_articles_and_punctuation_are_ignored():
    assert normalise_organisation("L'Hôpital d'Instruction des Armées") == normalise_organisation(
        "hopital instruction armees")


def test_different_organisations_stay_different():
    assert normalise_organisation("CHU de Nantes") != normalise_organisation("CHU de Rennes")
    assert normalise_organisation("Acme Santé") != normalise_organisation("Acme")


def test_an_empty_or_noise_only_name_normalises_to_the_empty_string():
    assert normalise_organisation("") == ""
    assert normalise_organisation("  SAS  ") == ""


def test_dotted_legal_forms_are_ignored_too():
    assert normalise_organisation("Doctolib S.A.S.") == normalise_organisation("Doctolib")
