"""Web layer: what each answer problem code means, in the reader's language."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _


def problem_message(code: str) -> str:
    texts = {
        "required": _("This answer is required."),
        "too_long": _("This answer is too long."),
        "not_a_number": _("Enter a whole number."),
        "too_small": _("This number is too small."),
        "too_large": _("This number is too large."),
        "invalid_choice": _("Choose one of the options."),
        "invalid_url": _("Enter a full web address starting with https://."),
        "file_empty": _("The file is empty."),
        "file_too_large": _("The file is too large."),
        "file_wrong_type": _("This type of file is not accepted here (the content is checked, "
                             "not the name)."),
        "file_encrypted": _("The PDF is protected (encrypted): export it again without "
                            "protection."),
        "file_scripted": _("The PDF contains scripts or automatic actions: export it again "
                           "as a plain PDF."),
        "file_malformed": _("The file is damaged or not readable."),
    }
    if code not in texts:
        current_app.logger.warning("no message for answer problem %r", code)
    return texts.get(code, _("This answer is not valid."))


def problem_messages(problems: dict[str, str]) -> dict[str, str]:
    return {key: problem_message(str(code)) for key, code in problems.items()}


def identity_labels() -> dict[str, str]:
    """Labels of the dossier's own fields (services.submissions.IDENTITY)."""
    return {"company_name": _("Company name"), "project_title": _("Project title"),
            "summary": _("Project summary"), "legal_form": _("Legal form"), "city": _("City"),
            "website": _("Website")}


def field_labels(edition, language: str) -> dict[str, str]:
    """Every field and question label by key, for error summaries."""
    labels = identity_labels()
    labels.update({q.key: q.localized("label", language) for q in edition.questions})
    labels["category_id"] = _("Category")
    return labels
