"""What triage adds to other stages' pages (listed in settings): the "similar challenges" sections."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from convergence.web.public_cache import cached_public

from .triage import similar_in_catalogue


def similar_dossier_panel(request, application) -> str:
    """On the dossier page of organisers and committee members: loaded after the page (the comparison reads the
    whole call), from an address that checks the reader again (insights.access)."""
    if application.status != application.Status.SUBMITTED:
        return ""
    return render_to_string("insights/_similar_panel.html", {"application": application}, request=request)


def similar_catalogue_panel(request, label) -> str:
    """On a labelled challenge's public page: the closest labelled challenges, kept until the catalogue changes."""
    name = f"similar:{settings.TRIAGE_TEXT_MODEL}:{label.identifier}"
    similar = cached_public("catalogue", name, lambda: similar_in_catalogue(label.identifier))
    if not similar:
        return ""
    return render_to_string(
        "insights/_similar_catalogue_panel.html", {"similar": similar, "for_public": True}, request=request
    )


def theme_suggestions_panel(request, application) -> str:
    """Under the themes of step 1: a button that asks the model which themes the text being typed suggests."""
    return render_to_string("insights/_theme_suggestions_panel.html", {"application": application}, request=request)
