"""What the selection adds to an applicant's dossier page (listed in settings.APPLICATION_PANELS)."""

from __future__ import annotations

from django.template.loader import render_to_string

from .selectors import published_decision


def decision_panel(request, application) -> str:
    decision = published_decision(application)
    if decision is None:
        return ""
    return render_to_string("review/_decision_panel.html", {"decision": decision}, request=request)
