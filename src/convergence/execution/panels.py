"""What execution adds to other stages' pages (see settings.LABEL_PANELS and settings.CATALOGUE_PANELS)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from convergence.labels.models import Label

from .models import ProgressReport, ShowcaseSlot
from .services import milestone_state, report_milestones


def label_reports_panel(request, label: Label) -> str:
    if not label.is_valid:
        return ""
    reports = {report.milestone_id: report for report in ProgressReport.objects.filter(label=label)}
    now = timezone.now()
    rows = [
        (milestone, reports.get(milestone.pk), milestone_state(reports.get(milestone.pk), milestone, now))
        for milestone in report_milestones(label.call)
    ]
    slots = ShowcaseSlot.objects.filter(label=label).select_related("session")
    return render_to_string(
        "execution/_label_reports.html", {"label": label, "rows": rows, "slots": slots}, request=request
    )


def catalogue_results_panel(request, label: Label) -> str:
    results = ProgressReport.objects.filter(label=label, milestone__report="final", published_at__isnull=False).exists()
    slots = ShowcaseSlot.objects.filter(label=label).select_related("session")
    if not results and not slots:
        return ""
    return render_to_string(
        "execution/_catalogue_panel.html", {"label": label, "results": results, "slots": slots}, request=request
    )
