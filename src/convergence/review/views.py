"""Committee members' pages: conflicts, assigned dossiers, reviews."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from convergence.calls.models import Call
from convergence.core.errors import DomainError
from convergence.web.feedback import attempt

from . import services
from .access import access_application_for_member, access_assignment_for_member, membership
from .conflicts import conflict_reasons
from .forms import ConflictForm, ProfileForm, ReviewForm
from .models import CommitteeMember, Conflict
from .selectors import (
    latest_content,
    latest_contents,
    review_of,
    reviews_visible_to_member,
    selection_for,
    submitted_applications,
)


@login_required
def committee_home(request: HttpRequest) -> HttpResponse:
    memberships = (
        CommitteeMember.objects.filter(user=request.user.pk)
        .select_related("call", "call__selection")
        .order_by("-call__closes_at")
    )
    rows = []
    for member in memberships:
        assignments = list(member.assignments.select_related("application", "review").order_by("pk"))
        contents = latest_contents([a.application_id for a in assignments])
        rows.append(
            (member, [(a, getattr(a, "review", None), contents.get(a.application_id, {})) for a in assignments])
        )
    return render(request, "review/home.html", {"rows": rows})


def _member_or_404(request: HttpRequest, slug: str) -> CommitteeMember:
    call = get_object_or_404(Call, slug=slug)
    member = membership(user=request.user, call=call)
    if member is None:
        raise Http404
    return member


@login_required
def member_profile(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member_or_404(request, slug)
    form = ProfileForm(
        request.POST or None,
        initial={
            "organisation": member.organisation,
            "expertise": member.expertise,
            "keywords": member.keywords,
            "languages": member.languages,
            "publications": member.publications,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.member_profile_update(member=member, user=request.user, **form.cleaned_data)
        messages.success(request, _("Profile saved."))
        return redirect("review:home")
    return render(request, "review/profile.html", {"member": member, "form": form})


@login_required
def member_conflicts(request: HttpRequest, slug: str) -> HttpResponse:
    """Declare conflicts: the list shows titles, carriers and partners only, never a conflicted dossier's content."""
    member = _member_or_404(request, slug)
    applications = list(submitted_applications(member.call))
    contents = latest_contents([a.pk for a in applications])
    if request.method == "POST":
        form = ConflictForm(request.POST)
        if form.is_valid():
            application = next((a for a in applications if a.pk == form.cleaned_data["application"]), None)
            attempt(
                request,
                lambda: services.conflict_declare(
                    member=member,
                    user=request.user,
                    application=application,
                    organisation=form.cleaned_data["organisation"],
                    reason=form.cleaned_data["reason"],
                ),
                _("Conflict of interest recorded."),
            )
            return redirect("review:conflicts", slug=slug)
    conflicted = conflict_reasons([member], applications, contents)
    rows = [(a, contents[a.pk], conflicted.get((a.pk, member.pk))) for a in applications]
    context = {
        "member": member,
        "rows": rows,
        "declared": Conflict.objects.filter(member=member).select_related("application"),
        "form": ConflictForm(),
    }
    return render(request, "review/conflicts.html", context)


@login_required
def member_dossier(request: HttpRequest, pk: int) -> HttpResponse:
    application, member = access_application_for_member(user=request.user, application_id=pk)
    assignment = member.assignments.filter(application=application).first()
    context = {
        "application": application,
        "content": latest_content(application),
        "assignment": assignment,
        "own_review": review_of(assignment) if assignment else None,
        "other_reviews": reviews_visible_to_member(member=member, application=application),
        "call": application.call,
        "panels": [import_string(path)(request, application) for path in settings.READER_PANELS],
    }
    return render(request, "review/dossier.html", context)


@login_required
def review_edit(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = access_assignment_for_member(user=request.user, assignment_id=assignment_id)
    call = assignment.application.call
    review = review_of(assignment)
    locked = bool(selection_for(call).reviews_locked_at)
    form = ReviewForm(request.POST or None, call=call, initial=ReviewForm.initial_from(review))
    problems = {}
    if request.method == "POST" and not locked and form.is_valid():
        try:
            services.review_save(
                assignment=assignment, user=request.user, data=form.review_data(), submit="submit" in request.POST
            )
        except DomainError as error:
            messages.error(request, error.message)
            problems = error.field_errors
        else:
            messages.success(request, _("Review saved."))
            return redirect("review:dossier", pk=assignment.application_id)
    context = {
        "assignment": assignment,
        "application": assignment.application,
        "content": latest_content(assignment.application),
        "form": form,
        "review": review,
        "locked": locked,
        "problems": problems,
        "call": call,
    }
    return render(request, "review/review_form.html", context)


@login_required
@require_POST
def conflict_declare_for_dossier(request: HttpRequest, pk: int) -> HttpResponse:
    """From an assigned dossier's page: declare a conflict, which also withdraws the unreviewed assignment."""
    application, member = access_application_for_member(user=request.user, application_id=pk)
    services.conflict_declare(
        member=member, user=request.user, application=application, reason=request.POST.get("reason", "")
    )
    messages.success(request, _("Conflict of interest recorded."))
    return redirect("review:home")
