"""Jury stage: detection of likely conflicts of interest on plain values; standard library only.

Three rules, each a suggestion an organizer confirms or dismisses (never a verdict):
- same organisation: the juror's normalised organisation equals the dossier's company;
- same e-mail domain: the juror's domain is one of the dossier's people's (owner, founders,
  team members), public webmail providers excluded (PUBLIC_MAIL_*);
- mention: the juror's full name or organisation appears, as whole words, in the dossier's
  text (project, summary, answers, founders, company), compared on folded text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from trophies.domain.organisations import NOISE, normalise_organisation
from trophies.domain.text import fold
from trophies.domain.vocabulary import ConflictSource

#: Mail providers anyone can get an address from: a shared domain says nothing about a tie.
#: Exact domains here; PUBLIC_MAIL_PROVIDERS below covers a provider under every country suffix.
PUBLIC_MAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "msn.com", "icloud.com", "me.com", "mac.com", "aol.com",
    "aol.fr", "proton.me", "pm.me", "orange.fr", "wanadoo.fr", "free.fr", "sfr.fr",
    "neuf.fr", "cegetel.net", "club-internet.fr", "numericable.fr", "laposte.net", "bbox.fr",
    "aliceadsl.fr", "mail.ru", "zoho.com", "zohomail.eu", "fastmail.com", "fastmail.fm",
    "hey.com", "mailo.com", "netcourrier.com", "posteo.de", "posteo.net", "mailbox.org",
    "disroot.org", "riseup.net", "lilo.org", "ecomail.fr", "skynet.be", "telenet.be",
    "bluewin.ch", "sunrise.ch", "qq.com", "163.com", "126.com", "naver.com", "rediffmail.com",
    "ymail.com", "rocketmail.com",
})
#: Providers whose every country domain is public: yahoo.fr, hotmail.co.uk, gmx.de...
PUBLIC_MAIL_PROVIDERS = frozenset({
    "yahoo", "hotmail", "outlook", "live", "protonmail", "gmx", "yandex", "tutanota",
    "tuta", "web", "t-online", "libero", "virgilio", "seznam", "wp", "onet", "gmail",
})
#: An organisation (normalised) shorter than this is not looked for in the texts ("CHU").
MIN_ORGANISATION_LENGTH = 4
#: Organisation names too generic to point at anyone when they appear in a text.
GENERIC_ORGANISATIONS = frozenset({
    "independant", "independent", "independante", "freelance", "consultant", "consultante",
    "conseil", "consulting", "retraite", "retraitee", "retired", "aucune", "aucun", "none",
    "self employed", "auto entrepreneur", "autoentrepreneur", "entrepreneur", "etudiant",
    "etudiante", "student", "particulier", "benevole", "volunteer", "association", "startup",
    "start up", "societe", "entreprise", "company", "hopital", "hospital", "universite",
    "university", "ecole", "school", "clinique", "cabinet", "laboratoire", "ministere",
    "sante", "health", "innovation", "sans", "other", "autre",
})
#: A name must have at least this many words to be looked for (a first name alone is not).
MIN_NAME_WORDS = 2
#: Sources in the order a pair's single suggestion takes its source from.
PRIORITY = (ConflictSource.ORGANISATION, ConflictSource.EMAIL_DOMAIN, ConflictSource.MENTION)

_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class JurorFacts:
    """What detection knows about a juror: `juror_id` is the user's id."""

    juror_id: int
    full_name: str
    email: str
    organisation: str = ""


@dataclass(frozen=True)
class DossierFacts:
    """What detection knows about a dossier: its company, the e-mail addresses of the people
    behind it (owner, founders, team members) and its texts (answers, summary, founders...)."""

    dossier_id: int
    company_name: str
    emails: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """One reason to suspect a tie: the rule and what matched (an organisation, a domain, a
    name)."""

    source: ConflictSource
    matched: str


@dataclass(frozen=True)
class Suggestion:
    """A likely conflict for one juror x dossier pair, with every reason found."""

    juror_id: int
    dossier_id: int
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)

    @property
    def source(self) -> ConflictSource:
        """The strongest rule that matched (PRIORITY order)."""
        found = {e.source for e in self.evidence}
        return next(s for s in PRIORITY if s in found)


def email_domain(address: str | None) -> str:
    """"Marie@CHU-Nantes.fr " -> "chu-nantes.fr"; "" when there is no domain."""
    if not address or "@" not in address:
        return ""
    return address.strip().rsplit("@", 1)[1].strip().strip(".").lower()


def is_public_mail_domain(domain: str) -> bool:
    """True for webmail domains (gmail.com, yahoo.co.uk, gmx.de, orange.fr...) and for an
    empty domain: such a domain is shared by strangers."""
    domain = domain.lower().strip(".")
    if not domain:
        return True
    if domain in PUBLIC_MAIL_DOMAINS:
        return True
    return domain.split(".")[0] in PUBLIC_MAIL_PROVIDERS


def words(text: str) -> str:
    """Folded text as space-separated words (case, accents, punctuation ignored), padded with
    a space on each side so " word " finds whole words only."""
    return " " + " ".join(w for w in _NON_WORD.split(fold(text)) if w) + " "


def organisation_words(text: str) -> str:
    """Like `words`, with the organisation noise (legal forms, articles) removed, so that
    "la société Acme SAS" contains " acme "."""
    return " " + " ".join(w for w in words(text).split() if w not in NOISE) + " "


def searchable_organisation(organisation: str) -> str:
    """The organisation as looked for in texts, or "" when too short or generic to mean
    anything (under MIN_ORGANISATION_LENGTH characters, or in GENERIC_ORGANISATIONS)."""
    key = organisation_words(organisation).strip()
    if len(key.replace(" ", "")) < MIN_ORGANISATION_LENGTH or key in GENERIC_ORGANISATIONS:
        return ""
    return key


def searchable_name(full_name: str) -> str:
    """The person's name as looked for in texts, or "" when it has fewer than MIN_NAME_WORDS
    words (a lone first name would match strangers)."""
    key = words(full_name).strip()
    return key if len(key.split()) >= MIN_NAME_WORDS else ""


@dataclass(frozen=True)
class _Dossier:
    dossier_id: int
    organisation_key: str
    domains: frozenset[str]
    text: str          # words()
    org_text: str      # organisation_words()
    vocabulary: frozenset[str]


def _prepare(dossier: DossierFacts) -> _Dossier:
    text = words(" ".join((dossier.company_name, *dossier.texts)))
    return _Dossier(
        dossier_id=dossier.dossier_id,
        organisation_key=normalise_organisation(dossier.company_name),
        domains=frozenset(d for d in (email_domain(e) for e in dossier.emails)
                          if not is_public_mail_domain(d)),
        text=text, org_text=organisation_words(text), vocabulary=frozenset(text.split()))


@dataclass
class _Index:
    """The dossiers by organisation, by e-mail domain and by word: each juror is then compared
    only with the dossiers that share something with them, not with all of them."""

    by_organisation: dict[str, list[_Dossier]] = field(default_factory=dict)
    by_domain: dict[str, list[_Dossier]] = field(default_factory=dict)
    by_word: dict[str, list[_Dossier]] = field(default_factory=dict)

    def add(self, dossier: _Dossier) -> None:
        if dossier.organisation_key:
            self.by_organisation.setdefault(dossier.organisation_key, []).append(dossier)
        for domain in dossier.domains:
            self.by_domain.setdefault(domain, []).append(dossier)
        for word in dossier.vocabulary:
            self.by_word.setdefault(word, []).append(dossier)


def _evidence(juror: JurorFacts, index: _Index) -> dict[int, list[Evidence]]:
    """{dossier_id: evidence} for one juror, rules in PRIORITY order."""
    found: dict[int, list[Evidence]] = {}
    organisation_key = normalise_organisation(juror.organisation)
    if organisation_key:
        for dossier in index.by_organisation.get(organisation_key, ()):
            found.setdefault(dossier.dossier_id, []).append(
                Evidence(ConflictSource.ORGANISATION, juror.organisation.strip()))
    domain = email_domain(juror.email)
    if not is_public_mail_domain(domain):
        for dossier in index.by_domain.get(domain, ()):
            found.setdefault(dossier.dossier_id, []).append(
                Evidence(ConflictSource.EMAIL_DOMAIN, domain))
    name = searchable_name(juror.full_name)
    if name:
        for dossier in index.by_word.get(name.split()[0], ()):
            if f" {name} " in dossier.text:
                found.setdefault(dossier.dossier_id, []).append(
                    Evidence(ConflictSource.MENTION, juror.full_name.strip()))
    searched = searchable_organisation(juror.organisation)
    if searched:
        for dossier in index.by_word.get(searched.split()[0], ()):
            if dossier.organisation_key != organisation_key and f" {searched} " in dossier.org_text:
                found.setdefault(dossier.dossier_id, []).append(
                    Evidence(ConflictSource.MENTION, juror.organisation.strip()))
    return found


def detect(jurors: Iterable[JurorFacts], dossiers: Iterable[DossierFacts], *,
           known: Iterable[tuple[int, int]] = ()) -> list[Suggestion]:
    """Every juror x dossier pair that at least one rule flags, except the `known` pairs
    (juror_id, dossier_id) that already have a conflict row whatever its status (a dismissed
    suggestion stays dismissed). One Suggestion per pair with all its evidence; sorted by
    (juror_id, dossier_id) so the result does not depend on the input order. Each juror is
    compared with the dossiers sharing an organisation, a domain or a word with them only.
    """
    skip = set(known)
    index = _Index()
    for dossier in dossiers:
        index.add(_prepare(dossier))
    found = [Suggestion(juror.juror_id, dossier_id, tuple(evidence))
             for juror in jurors
             for dossier_id, evidence in _evidence(juror, index).items()
             if (juror.juror_id, dossier_id) not in skip]
    return sorted(found, key=lambda s: (s.juror_id, s.dossier_id))
