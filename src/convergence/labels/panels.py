"""What the label adds to the carrier's dossier page (listed in settings.APPLICATION_PANELS)."""

from __future__ import annotations

from django.template.loader import render_to_string

from .models import Label


def label_panel(request, application) -> str:
    label = Label.objects.filter(application=application).first()
    if label is None:
        return ""
    return render_to_string("labels/_label_panel.html", {"label": label}, request=request)
