"""Demo stage: `flask trophies demo` builds three editions of a French e-health competition.

One edition is open for applications, one is being judged (72 dossiers, 12 jurors, part of the
sheets submitted), one is published with its winners. Content comes from demo_content (seeded);
running it again adds nothing: editions are found by slug, users by e-mail.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from trophies.domain.organisations import normalise_organisation
from trophies.domain.vocabulary import (
    AssignmentSource,
    ConflictSource,
    ConflictStatus,
    DecisionKind,
    DossierStatus,
    Language,
    Phase,
    QuestionKind,
    Role,
    SheetStatus,
)
from trophies.models import (
    Answer,
    Assignment,
    Attachment,
    Category,
    Conflict,
    Criterion,
    CriterionLevel,
    Dossier,
    Edition,
    Founder,
    JurorProfile,
    Mark,
    Membership,
    Question,
    Round,
    ScoreSheet,
    User,
    db,
    utcnow,
)
from trophies.services import audit, deliberation, minutes
from trophies.services import demo_content as content
from trophies.services import results as results_service
from trophies.services.accounts import hasher
from trophies.services.assignment import run_assignment
from trophies.services.deliberation import DecisionInput
from trophies.services.demo_pdf import pitch_deck_pdf

ORGANIZER = ("Claire Dumas-Lefèvre", "organisation@trophees-esante.example")
ADMIN = ("Administrateur de la plateforme", "admin@trophees-esante.example")
PASSWORDS = {
    "admin": "Demo-Admin-2026",
    "organizer": "Demo-Orga-2026",
    "juror": "Demo-Jury-2026",
    "candidate": "Demo-Candidat-2026",
}
DEMO_JUROR = content.jurors()[0]
DEMO_CANDIDATE_STARTUP = "medilien"


def _demo_candidate_email() -> str:
    fixed = next(s for s in content.startups(0) if s.key == DEMO_CANDIDATE_STARTUP)
    return fixed.founders[0].email


#: role -> (e-mail, password) of the account shown in the demo's printed logins.
DEMO_ACCOUNTS: dict[str, tuple[str, str]] = {
    "admin": (ADMIN[1], PASSWORDS["admin"]),
    "organizer": (ORGANIZER[1], PASSWORDS["organizer"]),
    "juror": (DEMO_JUROR.email, PASSWORDS["juror"]),
    "candidate": (_demo_candidate_email(), PASSWORDS["candidate"]),
}


@dataclass
class DemoSummary:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)


class _Builder:
    """Holds what the three editions share: users (by e-mail), password hashes, the RNG."""

    def __init__(self, seed: int, now: datetime, progress: Callable[[str], None]) -> None:
        self.seed = seed
        self.now = now
        self.progress = progress
        self.users: dict[str, User] = {}
        self.memberships: set[tuple[int, int, Role]] = set()
        self.hashes = {role: hasher().hash(pw) for role, pw in PASSWORDS.items()}
        self.upload_dir = Path(current_app.config["UPLOAD_FOLDER"])
        self.upload_dir.mkdir(parents=True, exist_ok=True)

    # -- people ---------------------------------------------------------------------------
    def user(self, email: str, name: str, role_key: str, *, language: str = "fr",
             is_admin: bool = False) -> User:
        email = email.lower()
        if email in self.users:
            return self.users[email]
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, full_name=name, language=Language(language),
                        password_hash=self.hashes[role_key], email_verified_at=self.now,
                        password_changed_at=self.now, is_admin=is_admin)
            db.session.add(user)
            db.session.flush()
        self.users[email] = user
        return user

    def member(self, user: User, edition: Edition, role: Role) -> None:
        if (user.id, edition.id, role) not in self.memberships:
            self.memberships.add((user.id, edition.id, role))
            db.session.add(Membership(user_id=user.id, edition_id=edition.id, role=role))

    # -- set-up ---------------------------------------------------------------------------
    def edition(self, slug: str, year: int, phase: Phase, *, opens: datetime) -> Edition:
        self.year = year
        edition = Edition(
            slug=slug, phase=phase,
            name_fr=f"Trophées de l’innovation e-santé {year}",
            name_en=f"E-health Innovation Trophies {year}",
            description_fr=(
                "Les Trophées de l’innovation e-santé récompensent des start-up dont les "
                "solutions numériques rendent la santé plus juste, plus souveraine et plus "
                "sobre.\n\nQuatre prix : Équité, Souveraineté, Durabilité et le Coup de cœur du "
                "jury. Les lauréats sont présentés lors de la journée régionale de l’e-santé."),
            description_en=(
                "The E-health Innovation Trophies reward startups whose digital solutions make "
                "health care fairer, more sovereign and more sustainable.\n\nFour prizes: Equity, "
                "Sovereignty, Sustainability and the Jury's Favourite. The winners are presented "
                "at the regional e-health day."),
            rules_fr=(
                "Peuvent candidater les entreprises immatriculées en France ou dans l’Union "
                "européenne depuis moins de dix ans, de moins de 250 salariés.\n\nChaque "
                "candidature est évaluée par trois membres du jury sans conflit d’intérêts, selon "
                "des critères pondérés publiés à l’avance. Les dossiers ne doivent contenir "
                "aucune donnée de patient."),
            rules_en=(
                "Companies registered in France or in the European Union for less than ten "
                "years, with fewer than 250 employees, may apply.\n\nEach application is scored "
                "by three jurors without conflict of interest, against weighted criteria "
                "published in advance. Applications must not contain any patient data."),
            privacy_notice_fr=(
                "Vos données servent uniquement à l’instruction de votre candidature. Elles sont "
                "hébergées en France et conservées 36 mois."),
            privacy_notice_en=(
                "Your data is used only to assess your application. It is hosted in France and "
                "kept for 36 months."),
            call_opens_at=opens, call_closes_at=opens + timedelta(days=75),
            judging_deadline_at=opens + timedelta(days=120),
            publication_at=opens + timedelta(days=150),
            max_jurors_per_organisation=1, is_feedback_enabled=True,
            tie_break=[{"rule": "criterion", "key": "impact_besoin"}, {"rule": "median"}],
            eligibility_rules=[
                {"question": "annee_creation", "rule": "between", "min": year - 10, "max": year},
                {"question": "salaries", "rule": "between", "max": 249},
                {"question": "probleme", "rule": "present"},
            ],
        )
        db.session.add(edition)
        db.session.flush()
        self.categories = {}
        for position, spec in enumerate(content.categories()):
            category = Category(edition_id=edition.id, position=position, name_fr=spec.name_fr,
                                name_en=spec.name_en, description_fr=spec.description_fr,
                                description_en=spec.description_en)
            db.session.add(category)
            self.categories[spec.key] = category
        self.rounds = {}
        for number, (fr, en, k) in enumerate(
                (("Pré-sélection", "Pre-selection", 3), ("Finale", "Final", 12)), start=1):
            round_ = Round(edition_id=edition.id, number=number, name_fr=fr, name_en=en,
                           jurors_per_dossier=k,
                           starts_at=opens + timedelta(days=80 + 45 * (number - 1)),
                           ends_at=opens + timedelta(days=120 + 25 * (number - 1)))
            db.session.add(round_)
            db.session.flush()
            for position, spec in enumerate(content.criteria(number)):
                criterion = Criterion(
                    round_id=round_.id, position=position, key=spec.key, name_fr=spec.name_fr,
                    name_en=spec.name_en, description_fr=spec.description_fr,
                    description_en=spec.description_en, weight=spec.weight,
                    scale_min=spec.scale_min, scale_max=spec.scale_max,
                    scale_step=spec.scale_step, allows_na=spec.allows_na)
                criterion.levels = [CriterionLevel(value=lv.value, label_fr=lv.label_fr,
                                                   label_en=lv.label_en) for lv in spec.levels]
                db.session.add(criterion)
            self.rounds[number] = round_
        self.questions = {}
        for position, spec in enumerate(content.questions()):
            question = Question(
                edition_id=edition.id, position=position, key=spec.key,
                kind=QuestionKind(spec.kind), label_fr=spec.label_fr, label_en=spec.label_en,
                help_fr=spec.help_fr, help_en=spec.help_en, is_required=spec.required,
                max_length=spec.max_length, min_value=spec.min_value, max_value=spec.max_value,
                choices=[{"value": v, "label_fr": fr, "label_en": en}
                         for v, fr, en in spec.choices],
                file_types=["pdf"] if spec.kind == "file" else [],
                max_file_bytes=20 * 1024 * 1024 if spec.kind == "file" else None)
            db.session.add(question)
            self.questions[spec.key] = question
        self.questions["logo"] = Question(
            edition_id=edition.id, position=len(self.questions), key="logo",
            kind=QuestionKind.FILE, label_fr="Logo de la structure", label_en="Company logo",
            help_fr="PNG ou JPEG, sur fond clair ; publié avec le palmarès si vous êtes lauréat.",
            help_en="PNG or JPEG, on a light background; published with the winners if you win.",
            is_required=False, file_types=["png", "jpeg"], max_file_bytes=2 * 1024 * 1024)
        db.session.add(self.questions["logo"])
        db.session.flush()
        for round_ in self.rounds.values():
            db.session.refresh(round_)
        self.member(self.user(ORGANIZER[1], ORGANIZER[0], "organizer"), edition, Role.ORGANIZER)
        return edition

    def jury(self, edition: Edition) -> dict[str, JurorProfile]:
        profiles = {}
        for spec in content.jurors():
            user = self.user(spec.email, spec.full_name, "juror", language=spec.language)
            self.member(user, edition, Role.JUROR)
            profile = JurorProfile(
                edition_id=edition.id, user_id=user.id, organisation=spec.organisation,
                organisation_key=normalise_organisation(spec.organisation),
                capacity=spec.capacity, invited_at=edition.call_opens_at,
                accepted_at=edition.call_opens_at + timedelta(days=3),
                confidentiality_accepted_at=edition.call_opens_at + timedelta(days=3),
                conflicts_declared_at=edition.call_opens_at + timedelta(days=4))
            profile.expertise = [self.categories[key] for key in spec.expertise]
            db.session.add(profile)
            profiles[spec.key] = profile
        db.session.flush()
        return profiles

    # -- dossiers -------------------------------------------------------------------------
    def dossier(self, edition: Edition, spec: content.StartupSpec, number: int,
                status: DossierStatus, submitted_at: datetime | None) -> Dossier:
        founder = spec.founders[0]
        candidate = self.user(founder.email, founder.full_name, "candidate")
        self.member(candidate, edition, Role.CANDIDATE)
        dossier = Dossier(
            edition_id=edition.id, category_id=self.categories[spec.category_key].id,
            candidate_id=candidate.id,
            reference=f"ES{self.year % 100:02d}-{number:04d}",
            company_name=spec.company_name, legal_form=spec.legal_form, city=spec.city,
            website=spec.website, project_title=spec.project_title, summary=spec.summary_fr,
            status=status, submitted_at=submitted_at,
            created_at=(submitted_at or self.now) - timedelta(days=6))
        dossier.founders = [Founder(position=i, full_name=f.full_name, role_title=f.role_title,
                                    email=f.email) for i, f in enumerate(spec.founders)]
        dossier.answers = [Answer(question_id=self.questions[key].id, value=value)
                           for key, value in spec.answers.items() if key in self.questions]
        if status != DossierStatus.DRAFT:
            deck = pitch_deck_pdf(company_name=spec.company_name,
                                  project_title=spec.project_title, summary=spec.summary_fr,
                                  city=spec.city, year=self.year,
                                  founders=[f"{f.full_name} — {f.role_title}"
                                            for f in spec.founders])
            stored = secrets.token_hex(16)
            (self.upload_dir / stored).write_bytes(deck)
            dossier.attachments = [Attachment(
                question_id=self.questions["pitch_deck"].id,
                original_name=f"pitch-deck-{spec.key}.pdf", stored_name=stored,
                content_type="application/pdf", size_bytes=len(deck),
                sha256=hashlib.sha256(deck).hexdigest(), uploaded_at=submitted_at)]
        db.session.add(dossier)
        return dossier

    # -- judging --------------------------------------------------------------------------
    def solve(self, round_: Round) -> list[Assignment]:
        """The round's optimal assignment by the assignment service (seeded by the demo's
        seed: confirmed conflicts forbidden, k jurors per dossier, at most one per
        organisation), published at the round's start; in a stable order (reference, juror
        e-mail) so that what is drawn next does not depend on database ids."""
        run_assignment(round_, seed=self.seed, actor=None, now=round_.starts_at)
        rows = db.session.scalars(
            select(Assignment).join(Dossier, Assignment.dossier_id == Dossier.id)
            .join(User, Assignment.juror_id == User.id)
            .where(Assignment.round_id == round_.id).order_by(Dossier.reference, User.email)
        ).all()
        for assignment in rows:
            assignment.published_at = round_.starts_at
        db.session.flush()
        return list(rows)

    def everyone(self, round_: Round, dossiers: list[Dossier],
                 profiles: dict[str, JurorProfile]) -> list[Assignment]:
        """A finale where every juror scores every finalist (no solver needed)."""
        result = []
        for dossier in dossiers:
            for profile in profiles.values():
                assignment = Assignment(round_id=round_.id, dossier_id=dossier.id,
                                        juror_id=profile.user_id, source=AssignmentSource.MANUAL,
                                        created_at=round_.starts_at, published_at=round_.starts_at)
                db.session.add(assignment)
                result.append(assignment)
        db.session.flush()
        return result

    def score(self, assignment: Assignment, round_: Round, quality: float, severity: float,
              rng: random.Random, status: SheetStatus, when: datetime) -> ScoreSheet:
        sheet = ScoreSheet(assignment_id=assignment.id, status=status, created_at=when,
                           updated_at=when, submitted_at=when if status == "submitted" else None)
        criteria = round_.criteria
        if status == SheetStatus.DRAFT:
            criteria = criteria[: rng.randint(1, len(criteria) - 1)]
        for criterion in criteria:
            span = criterion.scale_max - criterion.scale_min
            if criterion.allows_na and rng.random() < 0.08:
                sheet.marks.append(Mark(criterion_id=criterion.id, value=None, is_na=True,
                                        comment="Sans objet : pas de données de santé traitées."))
                continue
            raw = (quality + severity + rng.gauss(0, 0.12)) * span + criterion.scale_min
            value = int(min(criterion.scale_max, max(criterion.scale_min, round(raw))))
            sheet.marks.append(Mark(criterion_id=criterion.id, value=value))
        if status == SheetStatus.SUBMITTED:
            sheet.general_comment = rng.choice(COMMENTS)
        db.session.add(sheet)
        return sheet


COMMENTS = (
    "Projet solide, équipe crédible ; le modèle économique reste à consolider.",
    "Impact réel pour les patients, mais la preuve clinique est encore mince.",
    "Très bonne prise en compte de l’accessibilité et de l’hébergement des données.",
    "Innovation réelle ; attention à la dépendance à un fournisseur cloud hors UE.",
    "Dossier clair et convaincant, pilote terrain bien documenté.",
    "Intéressant mais la cible est mal définie ; le passage à l’échelle n’est pas démontré.",
    "Démarche de sobriété exemplaire, à encourager.",
)


def _build_published(b: _Builder, year: int, summary: DemoSummary) -> None:
    slug = f"trophees-esante-{year}"
    opens = b.now.replace(month=1, day=8, hour=9, minute=0, second=0, microsecond=0)
    opens = opens.replace(year=year)
    # Built in the judging phase (assignments are computed then), published at the end.
    edition = b.edition(slug, year, Phase.JUDGING, opens=opens)
    profiles = b.jury(edition)
    rng = random.Random(b.seed * 31 + year)
    specs = [s for s in content.startups(b.seed + year, count=36)
             if s.key != DEMO_CANDIDATE_STARTUP][:32]
    dossiers = [b.dossier(edition, s, i + 1, DossierStatus.ELIGIBLE,
                          opens + timedelta(days=20 + i)) for i, s in enumerate(specs)]
    db.session.flush()
    quality = {d.id: rng.uniform(0.35, 0.85) for d in dossiers}
    severity = {p.user_id: rng.gauss(0, 0.07) for p in profiles.values()}
    r1, r2 = b.rounds[1], b.rounds[2]
    done = opens + timedelta(days=110)
    for a in b.solve(r1):
        b.score(a, r1, quality[a.dossier_id], severity[a.juror_id], rng, SheetStatus.SUBMITTED,
                done)
    db.session.flush()
    organizer = b.users[ORGANIZER[1]]
    r1.closed_at = r1.ends_at
    chosen = {dossier_id for ids in deliberation.top_n(results_service.round_report(r1), 3)
              .values() for dossier_id in ids}
    deliberation.shortlist(r1, chosen, notify=False, actor=organizer, now=done)
    finalists = [d for d in dossiers if d.id in chosen]
    finale = b.everyone(r2, finalists, profiles)
    for a in finale:
        b.score(a, r2, quality[a.dossier_id], severity[a.juror_id], rng, SheetStatus.SUBMITTED,
                done + timedelta(days=25))
    db.session.flush()
    decided = done + timedelta(days=28)
    for round_ in (r1, r2):
        round_.closed_at = round_.ends_at
    edition.phase = Phase.DELIBERATION
    db.session.flush()
    # The verdict through the real services: the final's ranking, decisions that follow it
    # (and one mention beyond it), the frozen snapshot, the publication.
    report = results_service.round_report(r2)
    mention = None
    for section in report.categories:
        ranked = [line.dossier for line in section.lines if line.result.rank is not None]
        if not ranked:
            continue
        entries = [DecisionInput(kind, dossier.id, position=1)
                   for kind, dossier in zip((DecisionKind.LAUREATE, DecisionKind.RUNNER_UP),
                                            ranked, strict=False)]
        if mention is None and len(ranked) > 2:
            mention = ranked[2]
            entries.append(DecisionInput(
                DecisionKind.MENTION, mention.id, title_fr="Mention spéciale accessibilité",
                title_en="Special mention for accessibility",
                justification="Le jury salue une démarche d’accessibilité exemplaire (RGAA), "
                              "au-delà du classement."))
        deliberation.save_decisions(edition, section.category, entries, actor=organizer,
                                    now=decided)
    # The meeting's facts for the procès-verbal: all the jury attended but one member.
    jury = minutes.jurors_of(edition)
    minutes.save_inputs(edition, minutes.MinutesInput(
        held_on=decided.date(), place="Nantes, Cité des congrès — salle Loire",
        chair_name=jury[0].full_name, attendee_ids=frozenset(u.id for u in jury[:-1]),
        notes="Le jury a délibéré à huis clos\u202f; les membres en conflit d’intérêts "
              "déclaré sont sortis lors de l’examen des dossiers concernés."), actor=organizer)
    deliberation.freeze(edition, actor=organizer, now=done + timedelta(days=29))
    deliberation.publish(edition, actor=organizer, now=done + timedelta(days=30))
    audit.record("demo.edition_built", actor=None, edition=edition, obj=edition, phase="published")
    summary.created.append(slug)


def _build_judging(b: _Builder, year: int, summary: DemoSummary) -> None:
    slug = f"trophees-esante-{year}"
    opens = b.now - timedelta(days=100)
    edition = b.edition(slug, year, Phase.JUDGING, opens=opens)
    edition.judging_deadline_at = b.now + timedelta(days=12)
    b.rounds[1].ends_at = edition.judging_deadline_at
    profiles = b.jury(edition)
    rng = random.Random(b.seed * 17 + year)
    specs = content.startups(b.seed, count=72)
    dossiers = []
    ineligible = {7, 23, 41, 58}
    for i, spec in enumerate(specs):
        status = DossierStatus.INELIGIBLE if i in ineligible else DossierStatus.ELIGIBLE
        dossier = b.dossier(edition, spec, i + 1, status, opens + timedelta(days=30 + i % 40))
        if status == DossierStatus.INELIGIBLE:
            dossier.eligibility_reason = rng.choice((
                "Entreprise immatriculée depuis plus de dix ans.",
                "Effectif supérieur à 250 salariés.",
                "Pitch deck manquant malgré la relance.",
            ))
        dossiers.append(dossier)
    db.session.flush()
    by_key = {s.key: d for s, d in zip(specs, dossiers, strict=True)}
    organizer = b.users[ORGANIZER[1]]
    conflicts: set[tuple[int, int]] = set()
    for juror_key, startup_key, reason in content.CONFLICT_HINTS:
        dossier, profile = by_key[startup_key], profiles[juror_key]
        db.session.add(Conflict(
            edition_id=edition.id, juror_id=profile.user_id, dossier_id=dossier.id,
            source=ConflictSource.DECLARED, status=ConflictStatus.CONFIRMED, reason=reason,
            created_by_id=profile.user_id, decided_by_id=organizer.id,
            decided_at=opens + timedelta(days=78)))
        conflicts.add((profile.user_id, dossier.id))
    db.session.flush()
    eligible = [d for d in dossiers if d.status == DossierStatus.ELIGIBLE]
    assignments = b.solve(b.rounds[1])
    taken = conflicts | {(a.juror_id, a.dossier_id) for a in assignments}
    for profile in profiles.values():   # detected since, not yet confirmed: a suggestion
        match = next((d for d in dossiers if profile.organisation_key and
                      profile.organisation_key in normalise_organisation(
                          " ".join(a.value for a in d.answers))
                      and (profile.user_id, d.id) not in taken), None)
        if match is not None:
            db.session.add(Conflict(
                edition_id=edition.id, juror_id=profile.user_id, dossier_id=match.id,
                source=ConflictSource.MENTION, status=ConflictStatus.SUGGESTED,
                reason=f"« {profile.organisation} » est cité dans la candidature."))
            break
    quality = {d.id: rng.uniform(0.3, 0.85) for d in eligible}
    severity = {p.user_id: rng.gauss(0, 0.08) for p in profiles.values()}
    diligence = {p.user_id: rng.uniform(0.25, 0.9) for p in profiles.values()}
    diligence[profiles[DEMO_JUROR.key].user_id] = 0.5
    for assignment in assignments:
        draw = rng.random()
        if draw < diligence[assignment.juror_id]:
            status = SheetStatus.SUBMITTED
        elif draw < diligence[assignment.juror_id] + 0.15:
            status = SheetStatus.DRAFT
        else:
            continue
        b.score(assignment, b.rounds[1], quality[assignment.dossier_id],
                severity[assignment.juror_id], rng, status,
                b.now - timedelta(days=rng.randint(0, 9), hours=rng.randint(0, 12)))
    audit.record("demo.edition_built", actor=None, edition=edition, obj=edition, phase="judging")
    summary.created.append(slug)


def _build_open(b: _Builder, year: int, summary: DemoSummary) -> None:
    slug = f"trophees-esante-{year}"
    opens = b.now - timedelta(days=14)
    edition = b.edition(slug, year, Phase.OPEN, opens=opens)
    edition.call_closes_at = b.now + timedelta(days=75)
    specs = content.startups(b.seed + year, count=12)
    fixed = next(s for s in content.startups(b.seed) if s.key == DEMO_CANDIDATE_STARTUP)
    specs = [fixed] + [s for s in specs if s.key != DEMO_CANDIDATE_STARTUP][:11]
    for i, spec in enumerate(specs):
        draft = i == 0 or i % 3 == 1
        b.dossier(edition, spec, i + 1, DossierStatus.DRAFT if draft else DossierStatus.SUBMITTED,
                  None if draft else opens + timedelta(days=1 + i))
    audit.record("demo.edition_built", actor=None, edition=edition, obj=edition, phase="open")
    summary.created.append(slug)


def build_demo(seed: int = 2026, *, progress: Callable[[str], None] | None = None,
               now: datetime | None = None) -> DemoSummary:
    """Create the three demo editions that do not exist yet (found by slug); flush only.

    Deterministic content for a seed; dates are relative to `now` so the open edition is open
    and the judging deadline is ahead whenever the demo is built.
    """
    now = (now or utcnow()).replace(hour=11, minute=0, second=0, microsecond=0)
    report = progress or (lambda _message: None)
    b = _Builder(seed, now, report)
    b.user(ADMIN[1], ADMIN[0], "admin", is_admin=True)
    summary = DemoSummary()
    year = now.year
    for build, edition_year in ((_build_published, year - 1), (_build_judging, year),
                                (_build_open, year + 1)):
        slug = f"trophees-esante-{edition_year}"
        if db.session.scalar(select(Edition.id).where(Edition.slug == slug)) is not None:
            summary.existing.append(slug)
            report(f"{slug}: already present, left as it is")
            continue
        report(f"{slug}: building…")
        build(b, edition_year, summary)
        db.session.flush()
    return summary


def describe(summary: DemoSummary, *, base_url: str) -> str:
    """The text printed after the demo is built: where to go and how to log in."""
    lines = [
        "",
        "Trophies demo ready" + (f" (created: {', '.join(summary.created)})"
                                 if summary.created else " (nothing new to create)"),
        f"Open {base_url}/ and log in at {base_url}/account/login with:",
        "",
    ]
    labels = {"admin": "administrator", "organizer": "organizer", "juror": "juror",
              "candidate": "candidate"}
    for role, (email, password) in DEMO_ACCOUNTS.items():
        lines.append(f"  {labels[role]:<14} {email:<46} {password}")
    lines += ["", "Every juror and candidate of the demo shares its role's password.",
              "E-mails are not sent without SMTP: administrators read them at "
              f"{base_url}/admin/mail", ""]
    return "\n".join(lines)
