"""What a dossier must hold to be submitted. Every problem is listed at once, field by field."""

from __future__ import annotations

import pycountry
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from convergence.calls.i18n import localize

from .models import Application
from .selectors import DossierLists, lists_of_dossier


def country_is_known(code: str) -> bool:
    return bool(code) and pycountry.countries.get(alpha_2=code.upper()) is not None


def application_problems(application: Application, lists: DossierLists | None = None) -> dict[str, list[str]]:
    """`lists`: the dossier's lists, if the caller has read them already."""
    if lists is None:
        lists = lists_of_dossier(application.pk)
    call = application.call
    problems: dict[str, list[str]] = {}

    def problem(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    required_texts = {
        "title": _("Give the challenge a title."),
        "summary": _("Write a short summary."),
        "description": _("Write the full description."),
        "expected_results": _("Say which results you expect by February."),
        "carrier_name": _("Name the carrier organisation."),
        "carrier_type": _("Choose the carrier organisation's type."),
        "carrier_country": _("Choose the carrier organisation's country."),
        "contact_name": _("Name the contact person."),
        "contact_email": _("Give the contact person's email."),
    }
    for field, message in required_texts.items():
        if not getattr(application, field).strip():
            problem(field, message)
    if len(application.summary) > call.summary_max_length:
        problem(
            "summary",
            _("The summary has %(length)d characters; the limit is %(limit)d.")
            % {"length": len(application.summary), "limit": call.summary_max_length},
        )
    if application.carrier_country and not country_is_known(application.carrier_country):
        problem("carrier_country", _("Unknown country code."))

    if not 1 <= len(lists.themes) <= call.max_themes:
        problem(
            "themes",
            ngettext("Choose %(max)d theme.", "Choose between 1 and %(max)d themes.", call.max_themes)
            % {"max": call.max_themes},
        )
    if not lists.domains:
        problem("domains", _("Choose at least one priority domain (or the closest one)."))
    if application.format_id is None:
        problem("format", _("Choose the challenge's format."))
    if application.trl is None:
        problem("trl", _("Choose the technology readiness level (TRL 1 to 9)."))
    if application.already_launched and application.launched_on is None:
        problem("launched_on", _("Give the date the challenge started."))

    justified = [claim for claim in lists.claims if claim["justification"].strip()]
    unjustified = [claim for claim in lists.claims if not claim["justification"].strip()]
    for claim in unjustified:
        criterion = localize(claim["name"])
        problem("claims", _("Justify the criterion “%(criterion)s” or untick it.") % {"criterion": criterion})
    if len(justified) < call.minimum_criteria:
        problem(
            "claims",
            ngettext(
                "Claim at least %(count)d selection criterion, with a justification.",
                "Claim at least %(count)d selection criteria, each with a justification.",
                call.minimum_criteria,
            )
            % {"count": call.minimum_criteria},
        )
    for partner in lists.partners:
        if not country_is_known(partner["country"]):
            problem("partners", _("Partner “%(name)s”: unknown country code.") % {"name": partner["organisation"]})
    return problems
