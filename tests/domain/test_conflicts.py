"""Domain: the rules that suggest conflicts of interest (organisation, e-mail domain, mention)."""

from __future__ import annotations

import random

import pytest

from trophies.domain.conflicts import (
    DossierFacts,
    JurorFacts,
    detect,
    email_domain,
    is_public_mail_domain,
    searchable_name,
    searchable_organisation,
)
from trophies.domain.vocabulary import ConflictSource


def juror(juror_id=1, *, name="Claire Fontaine", email="claire@example.org", organisation=""):
    return JurorFacts(juror_id=juror_id, full_name=name, email=email, organisation=organisation)


def dossier(dossier_id=10, *, company="Start-up quelconque", emails=(), texts=()):
    return DossierFacts(dossier_id=dossier_id, company_name=company, emails=tuple(emails),
                        texts=tuple(texts))


def sources(suggestions):
    return [(s.juror_id, s.dossier_id, [e.source for e in s.evidence]) for s in suggestions]


# --- same organisation ----------------------------------------------------------------------


def test_a_juror_from_the_company_that_applied_is_suggested_with_names_normalised():
    found = detect([juror(organisation="Santé Connectée SAS")],
                   [dossier(company="SANTE CONNECTEE"), dossier(11, company="Autre SARL")])
    assert sources(found) == [(1, 10, [ConflictSource.ORGANISATION])]
    assert found[0].source is ConflictSource.ORGANISATION
    assert found[0].evidence[0].matched == "Santé Connectée SAS"


def test_a_juror_without_organisation_is_never_matched_on_it():
    assert detect([juror(organisation="")], [dossier(company="SAS")]) == []


# --- same e-mail domain ---------------------------------------------------------------------


def test_a_shared_professional_domain_with_a_founder_or_team_member_is_suggested():
    found = detect([juror(email="claire@CHU-Nantes.fr")],
                   [dossier(emails=["owner@startup.io", "Paul@chu-nantes.fr"]),
                    dossier(11, emails=["owner@other.io"])])
    assert sources(found) == [(1, 10, [ConflictSource.EMAIL_DOMAIN])]
    assert found[0].evidence[0].matched == "chu-nantes.fr"


@pytest.mark.parametrize("domain", ["gmail.com", "googlemail.com", "yahoo.fr", "yahoo.co.uk",
                                    "hotmail.com", "hotmail.fr", "outlook.fr", "live.com",
                                    "msn.com", "icloud.com", "me.com", "mac.com", "aol.com",
                                    "proton.me", "protonmail.com", "protonmail.ch", "gmx.de",
                                    "gmx.fr", "orange.fr", "wanadoo.fr", "free.fr", "sfr.fr",
                                    "laposte.net", "bbox.fr", "neuf.fr", "yandex.ru",
                                    "mail.ru", "zoho.com", "tutanota.com"])
def test_public_webmail_domains_never_make_a_suggestion(domain):
    assert is_public_mail_domain(domain)
    assert detect([juror(email=f"claire@{domain}")],
                  [dossier(emails=[f"someone@{domain.upper()}"])]) == []


@pytest.mark.parametrize("domain", ["chu-nantes.fr", "inserm.fr", "doctolib.com",
                                    "live-sante.fr", "outlookhealth.io"])
def test_professional_domains_are_not_public(domain):
    assert not is_public_mail_domain(domain)


def test_email_domain_reads_the_part_after_the_last_at_sign():
    assert email_domain(" Marie@Example.ORG ") == "example.org"
    assert email_domain("no-at-sign") == ""
    assert email_domain(None) == ""
    assert is_public_mail_domain("")


# --- mentions -------------------------------------------------------------------------------


def test_the_jurors_name_in_an_answer_is_found_ignoring_case_and_accents():
    found = detect([juror(name="Hélène Dupré-Martin")],
                   [dossier(texts=["Notre conseillère, HELENE DUPRE MARTIN, nous a aidés."]),
                    dossier(11, texts=["Hélène nous a aidés."])])
    assert sources(found) == [(1, 10, [ConflictSource.MENTION])]
    assert found[0].evidence[0].matched == "Hélène Dupré-Martin"


def test_mentions_match_whole_words_only():
    jurors = [juror(1, name="Ana Lise", organisation="Medicalis")]
    texts = ["Une analyse fine de Medicalisation et de Banalise."]
    assert detect(jurors, [dossier(texts=texts)]) == []
    found = detect(jurors, [dossier(texts=["Partenaire : Medicalis (Lyon)."])])
    assert sources(found) == [(1, 10, [ConflictSource.MENTION])]
    assert found[0].evidence[0].matched == "Medicalis"


def test_the_organisation_is_found_in_a_text_without_its_legal_form_or_articles():
    found = detect([juror(organisation="L'Hôpital Saint-Joseph SA")],
                   [dossier(texts=["Pilote mené avec l’hôpital Saint Joseph de Paris."])])
    assert sources(found) == [(1, 10, [ConflictSource.MENTION])]


@pytest.mark.parametrize("organisation", ["CHU", "AP", "Indépendant", "Freelance", "Retraitée",
                                          "Université", "S.A.S."])
def test_short_or_generic_organisations_are_not_looked_for_in_texts(organisation):
    assert searchable_organisation(organisation) == ""
    assert detect([juror(name="X", organisation=organisation)],
                  [dossier(texts=[f"Travail avec {organisation} et l'université."])]) == []


def test_a_single_word_name_is_not_looked_for():
    assert searchable_name("Claire") == ""
    assert searchable_name("  Claire   Fontaine ") == "claire fontaine"
    assert detect([juror(name="Claire")], [dossier(texts=["Claire est notre CTO."])]) == []


def test_a_juror_who_is_a_founder_is_found_through_the_founders_names():
    found = detect([juror(name="Paul Girard")],
                   [dossier(texts=["Paul Girard", "CEO"])])
    assert sources(found) == [(1, 10, [ConflictSource.MENTION])]


# --- one suggestion per pair ----------------------------------------------------------------


def test_every_reason_for_a_pair_is_kept_and_the_strongest_gives_the_source():
    found = detect([juror(name="Paul Girard", email="paul@medicalis.fr",
                          organisation="Medicalis")],
                   [dossier(company="Medicalis SAS", emails=["ceo@medicalis.fr"],
                            texts=["Fondé par Paul Girard."])])
    assert len(found) == 1
    assert [e.source for e in found[0].evidence] == [
        ConflictSource.ORGANISATION, ConflictSource.EMAIL_DOMAIN, ConflictSource.MENTION]
    assert found[0].source is ConflictSource.ORGANISATION


def test_known_pairs_are_skipped_whatever_their_status():
    jurors = [juror(1, organisation="Medicalis"), juror(2, organisation="Medicalis")]
    dossiers = [dossier(10, company="Medicalis")]
    assert [s.juror_id for s in detect(jurors, dossiers, known={(1, 10)})] == [2]


def test_the_result_does_not_depend_on_the_input_order():
    jurors = [juror(i, name=f"Juré Numéro{i}", email=f"j{i}@org{i % 3}.fr",
                    organisation=f"Organisation {i % 4}") for i in range(1, 9)]
    dossiers = [dossier(100 + i, company=f"Organisation {i % 4}", emails=[f"x@org{i % 5}.fr"],
                        texts=[f"Avec Juré Numéro{i % 9}"]) for i in range(12)]
    expected = detect(jurors, dossiers)
    assert expected
    rng = random.Random(4)
    for _ in range(5):
        rng.shuffle(jurors)
        rng.shuffle(dossiers)
        assert detect(jurors, dossiers) == expected
