"""Demo stage: realistic French e-health content for `flask trophies demo`, from a seed; standard library only.

Everything here is plain data: categories, the scoring grids of both rounds, application
questions, 72 (by default) startup dossiers and 12 jurors. `startups(seed)` is deterministic:
it draws from its own `random.Random(seed)`, never from the global generator. The first four
startups (`FIXED_STARTUP_KEYS`) are hand-written, identical for every seed, and carry the
real conflicts of interest listed in `CONFLICT_HINTS`. Web sites and e-mail addresses all use
the reserved `.example` top-level domain. The prose lives in `demo_texts`.
"""  # noqa: E501

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, replace

from trophies.services import demo_texts as texts

__all__ = [
    "CATEGORY_KEYS",
    "CONFLICT_HINTS",
    "FIXED_STARTUP_KEYS",
    "QUESTION_KINDS",
    "CategorySpec",
    "CriterionSpec",
    "FounderSpec",
    "JurorSpec",
    "LevelSpec",
    "QuestionSpec",
    "StartupSpec",
    "categories",
    "criteria",
    "jurors",
    "questions",
    "startups",
]

CATEGORY_KEYS: tuple[str, ...] = ("equite", "souverainete", "durabilite", "coup_de_coeur")
QUESTION_KINDS: tuple[str, ...] = (
    "short_text", "long_text", "single_choice", "multiple_choice", "number", "yes_no", "url",
    "file",
)


# --------------------------------------------------------------------------- categories


@dataclass(frozen=True)
class CategorySpec:
    key: str
    name_fr: str
    name_en: str
    description_fr: str
    description_en: str


def categories() -> list[CategorySpec]:
    """The four award categories, in display order."""
    return [
        CategorySpec(
            "equite",
            "Équité",
            "Equity",
            "Des solutions qui réduisent les inégalités d’accès aux soins : territoires "
            "sous-dotés, publics précaires, handicap, fracture numérique. Le prix récompense un "
            "service pensé pour toutes et tous, et d’abord pour celles et ceux qui en ont le plus "
            "besoin.",
            "Solutions that reduce inequalities in access to care: underserved areas, vulnerable "
            "people, disability, digital divide. The award rewards a service designed for "
            "everyone, starting with those who need it most.",
        ),
        CategorySpec(
            "souverainete",
            "Souveraineté",
            "Sovereignty",
            "Des solutions qui gardent les données de santé sous contrôle : hébergement certifié "
            "HDS dans l’Union européenne, standards ouverts, réversibilité et transparence envers "
            "les patients.",
            "Solutions that keep health data under control: certified health-data hosting within "
            "the European Union, open standards, reversibility and transparency towards patients.",
        ),
        CategorySpec(
            "durabilite",
            "Durabilité",
            "Sustainability",
            "Des solutions sobres, à faible empreinte environnementale et au modèle économique "
            "pérenne : écoconception, matériel durable, IA frugale, réduction du gaspillage.",
            "Sober solutions with a low environmental footprint and a lasting business model: "
            "eco-design, durable hardware, frugal AI, less waste.",
        ),
        CategorySpec(
            "coup_de_coeur",
            "Coup de cœur du jury",
            "Jury’s favourite",
            "Un projet qui a particulièrement touché le jury par son histoire, son engagement ou "
            "son originalité, quelle que soit sa thématique.",
            "A project that particularly moved the jury through its story, its commitment or its "
            "originality, whatever its theme.",
        ),
    ]


# --------------------------------------------------------------------------- criteria


@dataclass(frozen=True)
class LevelSpec:
    value: int
    label_fr: str
    label_en: str


@dataclass(frozen=True)
class CriterionSpec:
    key: str
    name_fr: str
    name_en: str
    description_fr: str
    description_en: str
    weight: int
    scale_min: int
    scale_max: int
    scale_step: int
    allows_na: bool
    levels: tuple[LevelSpec, ...]


_LEVEL_WORDS: tuple[tuple[str, str], ...] = (
    ("absent", "absent"), ("faible", "weak"), ("partiel", "partial"),
    ("satisfaisant", "satisfactory"), ("solide", "strong"), ("exemplaire", "exemplary"),
)


def _criterion(row: texts.CriterionRow, scale_max: int, level_step: int) -> CriterionSpec:
    key, name_fr, name_en, desc_fr, desc_en, weight, allows_na, descriptors = row
    levels = tuple(
        LevelSpec(
            value=index * level_step,
            label_fr=f"{word_fr} : {text_fr}",   # the page shows the value beside it
            label_en=f"{word_en}: {text_en}",
        )
        for index, ((word_fr, word_en), (text_fr, text_en)) in enumerate(
            zip(_LEVEL_WORDS, descriptors, strict=True)
        )
    )
    return CriterionSpec(
        key=key, name_fr=name_fr, name_en=name_en, description_fr=desc_fr,
        description_en=desc_en, weight=weight, scale_min=0, scale_max=scale_max, scale_step=1,
        allows_na=allows_na, levels=levels,
    )


def criteria(round_number: int) -> list[CriterionSpec]:
    """Round 1 (pré-sélection): 6 criteria on 0..5; round 2 (finale): 5 criteria on 0..10.

    Weights sum to 100 in each round. Round 1 has a level for every value; round 2 describes
    the even values 0, 2, …, 10 only. Only `souverainete_donnees` (round 1) allows N/A.
    """
    if round_number == 1:
        return [_criterion(row, scale_max=5, level_step=1) for row in texts.CRITERIA_ROUND_1]
    if round_number == 2:
        return [_criterion(row, scale_max=10, level_step=2) for row in texts.CRITERIA_ROUND_2]
    raise ValueError(f"the demo edition has rounds 1 and 2, not {round_number}")


# --------------------------------------------------------------------------- questions


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    kind: str  # one of QUESTION_KINDS
    label_fr: str
    label_en: str
    help_fr: str
    help_en: str
    required: bool
    max_length: int | None
    choices: tuple[tuple[str, str, str], ...]  # (value, label_fr, label_en)
    min_value: int | None
    max_value: int | None


MATURITY_CHOICES: tuple[tuple[str, str, str], ...] = (
    ("idee", "Idée", "Idea"),
    ("prototype", "Prototype", "Prototype"),
    ("pilote", "Pilote clinique", "Clinical pilot"),
    ("commercialise", "Commercialisé", "On the market"),
)
HOSTING_CHOICES: tuple[tuple[str, str, str], ...] = (
    ("hds_france", "Hébergeur certifié HDS en France", "Certified HDS host in France"),
    ("ue_hors_france", "Dans l’Union européenne, hors de France", "In the EU, outside France"),
    ("hors_ue", "Hors de l’Union européenne", "Outside the European Union"),
    ("aucune_donnee", "Pas de données de santé", "No health data"),
)
ODD_CHOICES: tuple[tuple[str, str, str], ...] = (
    ("odd3", "ODD 3 : bonne santé et bien-être", "SDG 3: good health and well-being"),
    ("odd5", "ODD 5 : égalité entre les sexes", "SDG 5: gender equality"),
    ("odd9", "ODD 9 : industrie, innovation et infrastructure",
     "SDG 9: industry, innovation and infrastructure"),
    ("odd10", "ODD 10 : inégalités réduites", "SDG 10: reduced inequalities"),
    ("odd11", "ODD 11 : villes et communautés durables",
     "SDG 11: sustainable cities and communities"),
    ("odd12", "ODD 12 : consommation et production responsables",
     "SDG 12: responsible consumption and production"),
    ("odd13", "ODD 13 : lutte contre le changement climatique", "SDG 13: climate action"),
    ("odd17", "ODD 17 : partenariats pour la réalisation des objectifs",
     "SDG 17: partnerships for the goals"),
)

# key, kind, (label_fr, label_en), (help_fr, help_en), required, max_length, choices, bounds
_QUESTIONS: tuple[
    tuple[str, str, tuple[str, str], tuple[str, str], bool, int | None,
          tuple[tuple[str, str, str], ...], tuple[int, int] | None], ...
] = (
    ("probleme", "long_text",
     ("Quel problème de santé adressez-vous ?", "What health problem do you address?"),
     ("Décrivez le besoin, les personnes concernées et ce qui manque aujourd’hui.",
      "Describe the need, who is affected and what is missing today."),
     True, 1500, (), None),
    ("solution", "long_text",
     ("Quelle est votre solution ?", "What is your solution?"),
     ("Expliquez son fonctionnement, ce qui la distingue et où vous en êtes.",
      "Explain how it works, what sets it apart and where you stand."),
     True, 1500, (), None),
    ("public_cible", "long_text",
     ("Public cible et patients concernés", "Target users and patients"),
     ("Qui utilise la solution, qui en bénéficie, et combien de personnes sont concernées ?",
      "Who uses the solution, who benefits from it, and how many people are concerned?"),
     True, 800, (), None),
    ("maturite", "single_choice",
     ("Stade de maturité", "Maturity stage"),
     ("Choisissez le stade atteint à la date du dépôt.",
      "Choose the stage reached on the date you apply."),
     True, None, MATURITY_CHOICES, None),
    ("hebergement", "single_choice",
     ("Hébergement des données de santé", "Health data hosting"),
     ("Où sont hébergées les données de santé traitées par la solution ?",
      "Where is the health data processed by the solution hosted?"),
     True, None, HOSTING_CHOICES, None),
    ("salaries", "number",
     ("Nombre de salariés", "Number of employees"),
     ("Effectif salarié au dernier jour du mois précédent, fondateurs salariés compris.",
      "Headcount on the last day of the previous month, salaried founders included."),
     True, None, (), (0, 500)),
    ("annee_creation", "number",
     ("Année de création de la structure", "Year the organisation was founded"),
     ("Année d’immatriculation de la société ou de l’association.",
      "Year the company or association was registered."),
     True, None, (), (2000, 2026)),
    ("site_web", "url",
     ("Site web", "Website"),
     ("Adresse complète, commençant par https://", "Full address, starting with https://"),
     False, 300, (), None),
    ("marquage_ce", "yes_no",
     ("La solution est-elle un dispositif médical marqué CE ?",
      "Is the solution a CE-marked medical device?"),
     ("Répondez non si le marquage est seulement en cours.",
      "Answer no if the marking is still in progress."),
     True, None, (), None),
    ("odd", "multiple_choice",
     ("Objectifs de développement durable (ODD) visés",
      "Sustainable Development Goals (SDGs) addressed"),
     ("Cochez les objectifs auxquels le projet contribue directement.",
      "Tick the goals the project directly contributes to."),
     True, None, ODD_CHOICES, None),
    ("pitch_deck", "file",
     ("Pitch deck (PDF)", "Pitch deck (PDF)"),
     ("Une présentation de 10 pages au plus, au format PDF.",
      "A presentation of at most 10 pages, as a PDF."),
     True, None, (), None),
)


def questions() -> list[QuestionSpec]:
    """The application form of the demo edition, in display order."""
    return [
        QuestionSpec(
            key=key, kind=kind, label_fr=label[0], label_en=label[1], help_fr=help_[0],
            help_en=help_[1], required=required, max_length=max_length, choices=choices,
            min_value=bounds[0] if bounds else None, max_value=bounds[1] if bounds else None,
        )
        for key, kind, label, help_, required, max_length, choices, bounds in _QUESTIONS
    ]


# --------------------------------------------------------------------------- jurors


@dataclass(frozen=True)
class JurorSpec:
    key: str
    full_name: str
    email: str
    organisation: str
    expertise: tuple[str, ...]  # category keys
    language: str  # "fr" or "en"
    capacity: int | None


# full name, e-mail domain, organisation, expertise, language, capacity
_JURORS: tuple[tuple[str, str, str, tuple[str, ...], str, int | None], ...] = (
    ("Claire Morvan", "chu-nantes.example", "CHU de Nantes",
     ("souverainete", "equite"), "fr", 20),
    # Digital director of the hospital group (GHT) whose support hospital is the CHU.
    ("Thomas Guérin", "chu-nantes.example", "CHU de Nantes",
     ("souverainete", "durabilite"), "fr", None),
    ("Nadia Belkacem", "ars-pdl.example", "ARS Pays de la Loire",
     ("equite", "souverainete"), "fr", 25),
    ("Julien Marchand", "pulse-incubateur.example", "Pulse Incubateur Santé",
     ("durabilite", "coup_de_coeur"), "fr", None),
    ("Fatou Diop", "patients-ensemble.example", "Collectif Patients Ensemble",
     ("equite", "coup_de_coeur"), "fr", 15),
    ("Hélène Rouxel", "mutuelle-solidaire-atlantique.example", "Mutuelle Solidaire Atlantique",
     ("equite", "durabilite"), "fr", None),
    ("Vincent Lebrun", "armor-sante-capital.example", "Armor Santé Capital",
     ("souverainete", "coup_de_coeur"), "fr", 20),
    ("Sophie Phan", "asns.example", "Agence des systèmes numériques en santé",
     ("souverainete", "durabilite"), "fr", None),
    ("Mehdi Bensaïd", "sanus-lab.example", "Laboratoire SaNuS (Santé numérique et société)",
     ("equite", "durabilite", "souverainete"), "fr", 15),
    ("Anne-Sophie Le Bihan", "hexalia.example", "Groupe Hexalia",
     ("souverainete", "durabilite"), "fr", None),
    ("Isabelle Kerjean", "cabinet-kerjean.example", "Cabinet médical Kerjean",
     ("equite", "coup_de_coeur"), "fr", 12),
    ("Kristjan Tamm", "baltic-ehealth.example", "Baltic eHealth Institute",
     ("souverainete", "durabilite"), "en", 20),
)


def jurors() -> list[JurorSpec]:
    """Twelve jurors from eleven organisations: two work at the CHU de Nantes.

    Organisations other than the CHU de Nantes and the ARS are fictional: a health-tech
    incubator, a patients' collective, a mutual insurer, an investment fund, a national
    e-health agency, a research unit, a large company, a GP practice and an Estonian institute
    (whose expert works in English).
    """
    return [
        JurorSpec(_slug(name), name, _email(name, domain), organisation, expertise, language,
                  capacity)
        for name, domain, organisation, expertise, language, capacity in _JURORS
    ]


# --------------------------------------------------------------------------- startups


@dataclass(frozen=True)
class FounderSpec:
    full_name: str
    role_title: str
    email: str


@dataclass(frozen=True)
class StartupSpec:
    key: str
    company_name: str
    legal_form: str
    city: str
    founded_year: int
    employees: int
    website: str
    project_title: str
    summary_fr: str
    category_key: str
    founders: tuple[FounderSpec, ...]
    answers: dict[str, str]  # question key -> answer; the "file" question is left out


def _fixed_startups() -> list[StartupSpec]:
    """The hand-written dossiers of `demo_texts.FIXED_DOSSIERS`, present for every seed."""
    result = []
    for dossier in texts.FIXED_DOSSIERS:
        key = _slug(dossier.name)
        website = f"https://{key}.example"
        result.append(
            StartupSpec(
                key=key,
                company_name=dossier.name,
                legal_form=dossier.legal_form,
                city=dossier.city,
                founded_year=dossier.founded,
                employees=dossier.employees,
                website=website,
                project_title=dossier.title,
                summary_fr=dossier.summary,
                category_key=dossier.category,
                founders=tuple(
                    FounderSpec(name, role, _email(name, f"{key}.example"))
                    for name, role in dossier.founders
                ),
                answers={
                    **dossier.answers,
                    "salaries": str(dossier.employees),
                    "annee_creation": str(dossier.founded),
                    "site_web": website,
                },
            )
        )
    return result


#: Keys of the hand-written startups, always first in `startups(seed)`.
FIXED_STARTUP_KEYS: tuple[str, ...] = ("medilien", "sante-commune", "kinevia", "nephrocare-lyon")

#: (juror_key, startup_key, reason_fr): real conflicts present in the data for every seed.
CONFLICT_HINTS: list[tuple[str, str, str]] = [
    ("claire-morvan", "medilien",
     "Claire Morvan est l’investigatrice principale du pilote de Médilien au CHU de Nantes, où "
     "la présidente de Médilien a exercé comme cardiologue."),
    ("helene-rouxel", "sante-commune",
     "La Mutuelle Solidaire Atlantique, qui emploie Hélène Rouxel, est sociétaire de la SCIC "
     "Santé Commune et siège à son conseil d’administration."),
    ("julien-marchand", "kinevia",
     "Kinévia est incubée par Pulse Incubateur Santé, où Julien Marchand accompagne l’équipe "
     "depuis 2023."),
    ("vincent-lebrun", "nephrocare-lyon",
     "Armor Santé Capital, le fonds de Vincent Lebrun, est actionnaire de NephroCare Lyon "
     "depuis la levée d’amorçage de 2022 ; Vincent Lebrun siège à son comité stratégique."),
]

_MATURITY_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("idee", 10), ("prototype", 25), ("pilote", 35), ("commercialise", 30),
)
_FOUNDED: dict[str, tuple[int, int]] = {
    "idee": (2024, 2025), "prototype": (2021, 2025), "pilote": (2018, 2024),
    "commercialise": (2012, 2021),
}
_EMPLOYEES: dict[str, tuple[int, int]] = {
    "idee": (0, 2), "prototype": (1, 6), "pilote": (3, 18), "commercialise": (8, 60),
}
_REACH: dict[str, tuple[int, int]] = {  # people reached in a pilot; x12 once on the market
    "établissements": (3, 12), "blocs opératoires": (4, 15), "services numériques": (5, 20),
    "chercheurs": (20, 80), "médecins": (20, 90), "soignants": (60, 400),
}
_DEFAULT_REACH = (40, 450)
_CATEGORY_ODD = {"equite": "odd10", "souverainete": "odd9", "durabilite": "odd12"}


def startups(seed: int, count: int = 72) -> list[StartupSpec]:
    """`count` startup dossiers, deterministic for `seed`; names and keys are unique.

    The hand-written `FIXED_STARTUP_KEYS` come first (so `count` should be at least 4 for
    `CONFLICT_HINTS` to hold); the others combine `demo_texts` fragments. About 10 % of
    the dossiers compete in "coup_de_coeur".
    """
    rng = random.Random(seed)
    fixed = _fixed_startups()
    if count <= len(fixed):
        return fixed[:count]
    generated = count - len(fixed)
    wanted_cdc = max(0, round(count * 0.1) - sum(s.category_key == "coup_de_coeur" for s in fixed))
    cdc_slots = set(rng.sample(range(generated), min(wanted_cdc, generated)))

    slots: list[tuple[texts.Theme, texts.Angle]] = []
    while len(slots) < generated:
        batch = [(theme, angle) for theme in texts.THEMES for angle in theme.angles]
        rng.shuffle(batch)
        slots.extend(batch)

    used_names = {s.company_name for s in fixed}
    used_people = {f.full_name for s in fixed for f in s.founders}
    # Founders never share a surname with a juror: the only conflicts are the intended ones.
    juror_surnames = frozenset(j.full_name.split(" ", 1)[1] for j in jurors())
    result = list(fixed)
    titles = {s.project_title for s in fixed}
    counts: dict[str, int] = {}
    for s in fixed:
        counts[s.category_key] = counts.get(s.category_key, 0) + 1
    for index, (theme, angle) in enumerate(slots[:generated]):
        name = _pick_name(rng, theme, used_names)
        if index in cdc_slots:
            category = "coup_de_coeur"
        else:
            category = _pick_category(rng, theme, counts)
            counts[category] = counts.get(category, 0) + 1
        startup = _generate(rng, theme, angle, name, category, used_people, juror_surnames)
        if startup.project_title in titles:  # an angle used twice: anchor it in its region
            region = next(r for c, r in texts.CITIES if c == startup.city)
            comma = "," if "," in angle.title else ""
            startup = replace(startup, project_title=f"{angle.title}{comma} {region}")
        titles.add(startup.project_title)
        result.append(startup)
    return result


def _pick_name(rng: random.Random, theme: texts.Theme, used: set[str]) -> str:
    for pool in (theme.names, texts.GENERIC_NAMES):
        free = [n for n in pool if n not in used]
        if free:
            name = rng.choice(free)
            break
    else:
        base = rng.choice(theme.names)
        number = 2
        while f"{base} {number}" in used:
            number += 1
        name = f"{base} {number}"
    used.add(name)
    return name


def _pick_category(rng: random.Random, theme: texts.Theme, counts: dict[str, int]) -> str:
    """The theme's preferred categories, nudged towards the ones with fewer dossiers."""
    preference = (6, 3, 1)[: len(theme.categories)]
    weights = [
        weight / (1 + counts.get(category, 0))
        for weight, category in zip(preference, theme.categories, strict=True)
    ]
    return rng.choices(theme.categories, weights=weights)[0]


def _generate(
    rng: random.Random,
    theme: texts.Theme,
    angle: texts.Angle,
    name: str,
    category: str,
    used_people: set[str],
    juror_surnames: frozenset[str],
) -> StartupSpec:
    key = _slug(name)
    city, region = rng.choice(texts.CITIES)
    maturity = rng.choices([m for m, _ in _MATURITY_WEIGHTS], [w for _, w in _MATURITY_WEIGHTS])[0]
    founded = rng.randint(*_FOUNDED[maturity])
    employees = rng.randint(*_EMPLOYEES[maturity])
    if maturity == "commercialise" and rng.random() < 0.08:
        employees = rng.randint(80, 140)
    founders = _founders(rng, key, used_people, juror_surnames)
    legal_form = _legal_form(rng, category, len(founders))
    fill = {
        "name": name,
        "region": region,
        "Region": region[0].upper() + region[1:],
        "de_city": _de(city),
        "k": str(rng.randint(25, 80)),
        "users": angle.users,
    }
    fill["partner"] = rng.choice(theme.partners).format(**fill)

    low, high = _REACH.get(angle.users, _DEFAULT_REACH)
    reach = rng.randint(low, high) * (12 if maturity == "commercialise" else 1)
    fill["n"] = _thousands(reach)
    fill["months"] = str(rng.randint(3, 18))
    fill["since"] = str(min(2025, founded + rng.randint(1, 3)))
    fill["pop"] = _thousands(rng.randint(8, 120) * 500)

    if angle.medical_device and maturity in ("pilote", "commercialise"):
        ce = rng.random() < (0.6 if maturity == "pilote" else 0.9)
    else:
        ce = False

    problem = [angle.problem]
    problem += rng.sample(texts.CONSEQUENCES, rng.choice((1, 1, 2)))
    differentiators = _differentiators(rng, theme, category, angle)
    tail = [rng.choice(texts.MATURITY_SENTENCES[maturity])]
    if angle.medical_device and maturity != "idee":
        tail.append(texts.CE_MARKED if ce else texts.CE_PENDING)
    while True:  # keep the answer within 1200 characters (the field allows 1500)
        solution = " ".join([angle.solution, *differentiators, *tail]).format(**fill)
        if len(solution) <= 1200 or not differentiators:
            break
        differentiators.pop()
    hosting = _hosting(rng, angle, category, solution)
    extras = rng.sample(texts.TARGET_EXTRAS, len(texts.TARGET_EXTRAS))
    target = [theme.targets[angle.target], extras.pop()]
    while len(" ".join(target)) < 330 and extras:  # keep "public cible" within 300..800
        target.append(extras.pop())

    odd = {"odd3", *theme.odd}
    if category in _CATEGORY_ODD:
        odd.add(_CATEGORY_ODD[category])
    if rng.random() < 0.15:
        odd.add("odd17")
    answers = {
        "probleme": " ".join(problem).format(**fill),
        "solution": solution,
        "public_cible": " ".join(target).format(**fill),
        "maturite": maturity,
        "hebergement": hosting,
        "salaries": str(employees),
        "annee_creation": str(founded),
        "marquage_ce": "yes" if ce else "no",
        "odd": ",".join(value for value, _, _ in ODD_CHOICES if value in odd),
    }
    if maturity != "idee" or rng.random() < 0.5:
        answers["site_web"] = f"https://{key}.example"
    summary = " ".join((angle.hook, angle.pitch, texts.SUMMARY_MATURITY[maturity]))
    return StartupSpec(
        key=key,
        company_name=name,
        legal_form=legal_form,
        city=city,
        founded_year=founded,
        employees=employees,
        website=f"https://{key}.example",
        project_title=angle.title,
        summary_fr=summary.format(**fill),
        category_key=category,
        founders=founders,
        answers=answers,
    )


def _differentiators(
    rng: random.Random, theme: texts.Theme, category: str, angle: texts.Angle
) -> list[str]:
    if category == "coup_de_coeur":
        return [
            rng.choice(texts.DIFFERENTIATORS["coup_de_coeur"]),
            *_differentiators(rng, theme, theme.categories[0], angle)[:1],
        ]
    if category == "souverainete":
        pool = texts.DIFFERENTIATORS["souverainete_open"]
        if angle.health_data and "HDS" not in angle.solution:
            pool = pool + texts.DIFFERENTIATORS["souverainete"]
        return [rng.choice(pool)]
    return rng.sample(texts.DIFFERENTIATORS[category], rng.choice((1, 2)))


def _hosting(rng: random.Random, angle: texts.Angle, category: str, solution: str) -> str:
    """The hosting answer, consistent with what the solution text claims."""
    if not angle.health_data:
        return "aucune_donnee"
    if category == "souverainete" or "HDS" in solution or "en France" in solution:
        return "hds_france"
    if "européen" in solution:
        return rng.choices(("hds_france", "ue_hors_france"), weights=(80, 20))[0]
    return rng.choices(("hds_france", "ue_hors_france", "hors_ue"), weights=(75, 17, 8))[0]


def _legal_form(rng: random.Random, category: str, founders: int) -> str:
    if founders == 1:
        return "SASU"
    draw = rng.random()
    if category in ("equite", "coup_de_coeur") and draw < 0.15:
        return "SCIC"
    return "SARL" if draw > 0.92 else "SAS"


def _founders(
    rng: random.Random, key: str, used: set[str], blocked_surnames: frozenset[str]
) -> tuple[FounderSpec, ...]:
    size = rng.choices((1, 2, 3), weights=(25, 50, 25))[0]
    roles = rng.sample(texts.TEAM_ROLES, size - 1)
    lead = rng.choice(texts.SOLE_ROLES if size == 1 else texts.LEAD_ROLES)
    people: list[FounderSpec] = []
    for position in range(size):
        feminine = rng.random() < 0.5
        first_pool = texts.FIRST_NAMES_F if feminine else texts.FIRST_NAMES_M
        while True:
            last = rng.choice(texts.LAST_NAMES)
            full = f"{rng.choice(first_pool)} {last}"
            if full not in used and last not in blocked_surnames:
                break
        used.add(full)
        role = (lead if position == 0 else roles[position - 1])[1 if feminine else 0]
        people.append(FounderSpec(full, role, _email(full, f"{key}.example")))
    return tuple(people)


# --------------------------------------------------------------------------- helpers


def _ascii(text: str) -> str:
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return (
        "".join(c for c in decomposed if not unicodedata.combining(c))
        .encode("ascii", "ignore")
        .decode("ascii")
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _ascii(text).lower()).strip("-")


def _email(full_name: str, domain: str) -> str:
    first, last = full_name.split(" ", 1)
    return f"{_slug(first)}.{_slug(last)}@{domain}"


def _de(place: str) -> str:
    """French "de" before a place name, with elision: "de Rennes", "d’Angers"."""
    return f"d’{place}" if _ascii(place[:1]).upper() in "AEIOUYH" else f"de {place}"


def _thousands(number: int) -> str:
    """French digit grouping with a non-breaking space: 12 000."""
    return f"{number:,}".replace(",", "\u00a0")
