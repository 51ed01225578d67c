"""What triage adds to other stages' pages (listed in settings): the "similar challenges" sections."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from convergence.web.public_cache import cached_public

from .triage import call_dossiers, public_labelled, search, similar_in_catalogue


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


def related_in_catalogue_panel(request, filters, matching) -> str:
    """Under the catalogue's keyword results: the labelled challenges close in meaning to the query, in any
    language, among those the other filters keep."""
    from dataclasses import replace

    from convergence.labels.selectors import catalogue

    kept = {item.entry["identifier"] for item in catalogue(replace(filters, query=""))}
    candidates = [entry for entry in public_labelled() if entry.reference in kept]
    related = search(filters.query, candidates, exclude={item.entry["identifier"] for item in matching})
    return render_to_string(
        "insights/_related_panel.html", {"related": related, "query": filters.query}, request=request
    )


def related_in_call_panel(request, call, query: str, matching) -> str:
    """Under the back-office's keyword results: the call's submitted dossiers close in meaning to the query."""
    shown = set(matching.values_list("pk", flat=True))
    related = search(query, [dossier for dossier in call_dossiers(call) if dossier.pk not in shown])
    return render_to_string(
        "insights/_related_dossiers_panel.html", {"related": related, "query": query}, request=request
    )


def meeting_duplicates_panel(request, call) -> str:
    """On the committee's meeting page: the probable duplicates, loaded after the page (they compare the whole
    call) from an address for organisers only."""
    return render_to_string("insights/_meeting_duplicates_panel.html", {"call": call}, request=request)
