"""Documents: the palmarès (public once published; organizers may preview it) and the award
certificates, both from the latest frozen snapshot's decisions, so nothing decided after it
shows. Logos are embedded as data: URIs of the stored bytes, only after we recognise PNG or
JPEG ourselves; never a URL to an upload. Imports models, the domain and the services; writes
nothing.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from trophies import documents
from trophies.documents import Doc, DocumentUnavailable
from trophies.domain.text import fold
from trophies.domain.vocabulary import DecisionKind
from trophies.models import Edition, ResultSnapshot
from trophies.services import deliberation, files, minutes
from trophies.services import palmares as palmares_service

#: A logo larger than this is left out (the upload form allows 2 MiB).
MAX_LOGO_BYTES = 4 * 1024 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
#: A mention title starting with these words (folded) is printed as the jury wrote it.
MENTION_WORDS = ("mention speciale", "special mention")


def award_label(kind: str, position: int = 1, title: str = "", *,
                numbered: bool = False) -> str:
    """An award in words, in the current language (call inside documents.in_language):
    "Laureate", "Runner-up no. 2", "Coup de cœur du jury", and for a mention its title as the
    jury wrote it when it already says "Special mention…" ("Mention spéciale accessibilité"),
    else "Special mention “Frugality”" (« » with no-break spaces in French)."""
    kind = DecisionKind(kind)
    if kind is DecisionKind.LAUREATE:
        return _("Laureate")
    if kind is DecisionKind.RUNNER_UP:
        label = _("Runner-up")
        if numbered or position > 1:
            return _("%(label)s no. %(position)d", label=label, position=position)
        return label
    if kind is DecisionKind.MENTION:
        if not title:
            return _("Special mention")
        if fold(title).startswith((fold(_("Special mention")), *MENTION_WORDS)):
            return title
        return _("Special mention “%(title)s”", title=title)
    return _("Coup de cœur du jury")


def sniffed_data_uri(data: bytes) -> str | None:
    """A data: URI of `data` if it is a PNG or a JPEG (by its magic bytes, whatever was
    recorded at upload) no larger than MAX_LOGO_BYTES; None otherwise."""
    if not data or len(data) > MAX_LOGO_BYTES:
        return None
    if data.startswith(PNG_MAGIC):
        media = "image/png"
    elif data.startswith(JPEG_MAGIC):
        media = "image/jpeg"
    else:
        return None
    return f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"


# --- the awards of the latest snapshot -------------------------------------------------------


@dataclass(frozen=True)
class Award:
    kind: str
    position: int
    label: str
    title: str
    reference: str
    company_name: str
    project_title: str
    summary: str
    website: str
    city: str
    category: str  # the category's name ("" for the Coup de cœur)
    logo: str | None  # a sniffed data: URI


@dataclass(frozen=True)
class CategoryAwards:
    name: str
    laureates: tuple[Award, ...]
    runners_up: tuple[Award, ...]
    mentions: tuple[Award, ...]


@dataclass(frozen=True)
class Awards:
    snapshot: ResultSnapshot
    categories: tuple[CategoryAwards, ...]
    coup_de_coeur: tuple[Award, ...]

    def all(self) -> list[Award]:
        return [a for c in self.categories for a in (*c.laureates, *c.runners_up, *c.mentions)
                ] + list(self.coup_de_coeur)


def _logos(edition: Edition, dossier_ids: set[int]) -> dict[int, str]:
    """Each dossier's logo (services.palmares' choice) as a sniffed data: URI."""
    found = palmares_service.logos_of(edition, dossier_ids)
    out = {}
    for dossier_id, attachment in found.items():
        try:
            uri = sniffed_data_uri(files.read(attachment))
        except (OSError, files.UnsafeStoredName):
            uri = None
        if uri is not None:
            out[dossier_id] = uri
    return out


def awards_of(edition: Edition, lang: str, *, logos: bool = True) -> Awards:
    """The awards of the latest snapshot (services.palmares.snapshot_palmares, without the
    publication check: the caller decides who may see them), in `lang`, labelled, with their
    logos as data: URIs. Raises DocumentUnavailable("not_frozen") without a snapshot. Call
    inside documents.in_language(lang)."""
    snapshot = deliberation.latest_snapshot(edition)
    if snapshot is None:
        raise DocumentUnavailable("not_frozen", _("The results have not been frozen yet."))
    shown = palmares_service.snapshot_palmares(edition, snapshot, lang)
    everyone = [a for c in shown.categories for a in (*c.laureates, *c.runners_up, *c.mentions)]
    if shown.coup_de_coeur is not None:
        everyone.append(shown.coup_de_coeur)
    images = _logos(edition, {a.dossier_id for a in everyone}) if logos else {}

    def labelled(a: palmares_service.Award, category: str, numbered: bool = False) -> Award:
        return Award(a.kind, a.position,
                     award_label(a.kind, a.position, a.title, numbered=numbered), a.title,
                     a.reference, a.company_name, a.project_title, a.summary, a.website,
                     a.city, category, images.get(a.dossier_id))

    categories = tuple(
        CategoryAwards(c.name, tuple(labelled(a, c.name) for a in c.laureates),
                       tuple(labelled(a, c.name, len(c.runners_up) > 1) for a in c.runners_up),
                       tuple(labelled(a, c.name) for a in c.mentions))
        for c in shown.categories)
    favourite = (labelled(shown.coup_de_coeur, ""),) if shown.coup_de_coeur else ()
    return Awards(snapshot, categories, favourite)


def _local_day(edition: Edition, instant: datetime) -> date:
    return instant.astimezone(ZoneInfo(edition.timezone or "Europe/Paris")).date()


# --- builders --------------------------------------------------------------------------------


def build_palmares(edition: Edition, lang: str, *, now: datetime | None = None) -> Doc:
    """The palmarès as a printable document. Raises DocumentUnavailable("not_frozen"). Before
    publication it carries a "Not published yet — confidential" banner (organizers preview it;
    the public route checks publication itself)."""
    lang = documents.language_of(edition, lang)
    published = palmares_service.is_published(edition)
    with documents.in_language(lang):
        awards = awards_of(edition, lang)
        name = edition.localized("name", lang)
        title = _("Winners of %(edition)s", edition=name)
        html = documents.render_html(
            "pdf/palmares.html", edition=edition, lang=lang, title=title, now=now,
            digest=awards.snapshot.digest, edition_name=name, awards=awards,
            published=published,
            published_on=_local_day(edition, edition.published_at)
            if published and edition.published_at else None)
        filename = documents.slug_filename(_("winners"), edition.slug)
    shown = awards.all()
    return Doc(kind="palmares", filename=filename, title=title, lang=lang, html=html,
               rows=len(shown) * 3 + len(awards.categories) + 5,
               meta={"published": published, "digest": awards.snapshot.digest,
                     "sequence": awards.snapshot.sequence, "awards": len(shown),
                     "logos": sum(1 for a in shown if a.logo)})


CERTIFIED = (DecisionKind.LAUREATE, DecisionKind.MENTION, DecisionKind.COUP_DE_COEUR)


def build_certificates(edition: Edition, lang: str, *, reference: str | None = None,
                       now: datetime | None = None) -> Doc:
    """One landscape page per winner, special mention and Coup de cœur of the latest snapshot
    (runners-up get none: the palmarès names them), or only those of the dossier `reference`.
    Dated the day of publication (else of the snapshot), signed by the jury's chair named in
    the minutes. Raises DocumentUnavailable("not_frozen"), ("unknown_dossier")."""
    lang = documents.language_of(edition, lang)
    with documents.in_language(lang):
        awards = awards_of(edition, lang, logos=False)
        chosen = [a for a in awards.all() if DecisionKind(a.kind) in CERTIFIED
                  and (reference is None or a.reference == reference.strip())]
        if not chosen:
            if reference is not None:
                raise DocumentUnavailable("unknown_dossier",
                                          _("This dossier received no award."))
            raise DocumentUnavailable("no_award", _("The frozen results name no award."))
        name = edition.localized("name", lang)
        title = _("Certificates — %(edition)s", edition=name)
        if reference is not None:
            title = f"{title} — {chosen[0].reference}"
        instant = edition.published_at if palmares_service.is_published(edition) \
            and edition.published_at else awards.snapshot.created_at
        html = documents.render_html(
            "pdf/certificates.html", edition=edition, lang=lang, title=title, now=now,
            edition_name=name, certificates=chosen, awarded_on=_local_day(edition, instant),
            chair=minutes.inputs_of(edition).chair_name)
        filename = documents.slug_filename(_("certificates"), edition.slug,
                                           chosen[0].reference if reference else "")
    return Doc(kind="certificates", filename=filename, title=title, lang=lang, html=html,
               rows=len(chosen) * 4,
               meta={"certificates": len(chosen), "references": [a.reference for a in chosen],
                     "sequence": awards.snapshot.sequence, "digest": awards.snapshot.digest,
                     "published": palmares_service.is_published(edition)})
