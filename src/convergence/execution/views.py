"""Execution pages: carriers report, the committee and organisers follow and comment, the public reads results."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from convergence.accounts.access import require_organiser
from convergence.calls.models import Call
from convergence.labels.access import access_label_for_carrier
from convergence.labels.selectors import label_verification
from convergence.web.feedback import attempt

from . import services
from .access import (
    access_report,
    can_comment,
    may_follow,
    may_publish_results,
    require_follow_up_reader,
    writes_reports,
)
from .forms import CommentForm, ReportForm
from .models import ProgressReport


def report_edit(request: HttpRequest, identifier: str, milestone: str) -> HttpResponse:
    label = access_label_for_carrier(user=request.user, identifier=identifier)
    milestone_obj = get_object_or_404(label.call.milestones.exclude(report=""), code=milestone)
    report = services.report_for(label=label, milestone=milestone_obj)
    is_carrier = writes_reports(user=request.user, label=label)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "text": report.text,
            "key_figures": ReportForm.figures_text(report.key_figures),
            "links": "\n".join(report.links),
        },
    )
    if request.method == "POST" and is_carrier and form.is_valid():
        submit = "submit" in request.POST
        saved = attempt(
            request,
            lambda: services.report_save(
                report=report,
                user=request.user,
                text=form.cleaned_data["text"],
                key_figures=form.cleaned_figures(),
                links=form.cleaned_links(),
                submit=submit,
            ),
            _("Report submitted to the committee.") if submit else _("Report saved."),
        )
        upload = form.cleaned_data.get("attachment")
        if saved and upload:
            attempt(
                request,
                lambda: services.report_attachment_add(report=report, user=request.user, upload=upload),
                _("Attachment added."),
            )
        return redirect("execution:report", identifier=identifier, milestone=milestone)
    report.refresh_from_db()
    return render(
        request,
        "execution/report_edit.html",
        {
            "label": label,
            "milestone": milestone_obj,
            "report": report,
            "form": form,
            "is_carrier": is_carrier,
            "comments": report.comments.select_related("author"),
        },
    )


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_report(user=request.user, report_id=pk)
    form = CommentForm(request.POST if "comment" in request.POST else None)
    if form.is_bound and form.is_valid():
        attempt(
            request,
            lambda: services.report_comment(report=report, user=request.user, text=form.cleaned_data["text"]),
            _("Comment added; the carrier sees it."),
        )
        return redirect("execution:report_detail", pk=pk)
    return render(
        request,
        "execution/report_detail.html",
        {
            "report": report,
            "form": form,
            "may_comment": can_comment(user=request.user, report=report),
            "may_publish": may_publish_results(user=request.user, report=report),
            "comments": report.comments.select_related("author"),
        },
    )


@require_POST
def results_publish(request: HttpRequest, pk: int) -> HttpResponse:
    require_organiser(request.user)
    report = get_object_or_404(ProgressReport.objects.select_related("label", "milestone"), pk=pk)
    attempt(
        request,
        lambda: services.final_results_publish(report=report, user=request.user),
        _("Results published on the challenge's public page."),
    )
    return redirect("execution:report_detail", pk=pk)


def follow_up(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(Call, slug=slug)
    require_follow_up_reader(user=request.user, call=call)
    rows = [row for row in services.follow_up_rows(call) if may_follow(user=request.user, label=row[0])]
    return render(
        request,
        "execution/follow_up.html",
        {"call": call, "rows": rows, "milestones": list(services.report_milestones(call)), "now": timezone.now()},
    )


@require_GET
def results_public(request: HttpRequest, identifier: str) -> HttpResponse:
    verification = label_verification(identifier)
    if verification.status != "valid":
        raise Http404
    report = (
        ProgressReport.objects.filter(label=verification.label, milestone__report="final", published_at__isnull=False)
        .select_related("milestone")
        .first()
    )
    if report is None:
        raise Http404
    return render(request, "execution/results.html", {"label": verification.label, "report": report})
