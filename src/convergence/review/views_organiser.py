"""Organiser's pages of the selection round: committee, eligibility, assignment, meeting, decisions, exports."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from convergence.applications.models import Application
from convergence.calls.access import access_call_for_organiser
from convergence.web.feedback import attempt

from . import services
from .exports import decisions_table, reviews_table, table_response
from .forms import AffinityForm, AssignForm, DecisionForm, InviteForm, OverrideForm, SettingsForm
from .models import Assignment, CommitteeMember, Eligibility, SelectionEvent
from .selectors import (
    MEETING_VIEWS,
    committee,
    eligible_applications_query,
    latest_content,
    latest_contents,
    meeting_ranking,
    review_progress,
    reviews_side_by_side,
    selection_for,
    submitted_applications,
)

# The long tables of the round (eligibility, assignments, meeting) show this many dossiers a page: a committee of
# thousands of dossiers gets pages that answer at once, the order and filters kept from page to page.
TABLE_PAGE_SIZE = 50


def _number(value: str | None) -> int:
    """An id from a form; anything else finds nothing (404) rather than failing the request."""
    return int(value) if value and value.isdigit() else 0


def selection_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    call = access_call_for_organiser(user=request.user, slug=slug)
    selection = selection_for(call)
    invite = InviteForm(request.POST if "invite" in request.POST else None)
    if invite.is_bound and invite.is_valid():
        attempt(
            request,
            lambda: services.committee_member_invite(call=call, invited_by=request.user, **invite.cleaned_data),
            _("Member invited."),
        )
        return redirect("review:selection", slug=slug)
    settings_form = SettingsForm(
        request.POST if "settings" in request.POST else None,
        initial={
            "reviewers_per_dossier": selection.reviewers_per_dossier,
            "min_load": selection.min_load,
            "max_load": selection.max_load,
            "fairness_first": selection.fairness_first,
            "affinity_model": selection.affinity_model,
        },
    )
    if settings_form.is_bound and settings_form.is_valid():
        services.selection_settings_update(call=call, user=request.user, **settings_form.cleaned_data)
        messages.success(request, _("Settings saved."))
        return redirect("review:selection", slug=slug)
    context = {
        "call": call,
        "selection": selection,
        "members": committee(call),
        "invite": invite,
        "settings_form": settings_form,
        "submitted": submitted_applications(call).count(),
        "eligible": Eligibility.objects.filter(application__call=call).count(),
        "assignments": Assignment.objects.filter(application__call=call).count(),
        "progress": review_progress(call),
    }
    return render(request, "review/selection.html", context)


@require_POST
def eligibility_run(request: HttpRequest, slug: str) -> HttpResponse:
    call = access_call_for_organiser(user=request.user, slug=slug)
    attempt(
        request,
        lambda: services.eligibility_check(call=call, user=request.user, early=request.POST.get("early") == "1"),
        _("Eligibility checked: %(eligible)d eligible, %(ineligible)d not eligible."),
    )
    return redirect("review:eligibility", slug=slug)


def eligibility_list(request: HttpRequest, slug: str) -> HttpResponse:
    call = access_call_for_organiser(user=request.user, slug=slug)
    if request.method == "POST":
        application = get_object_or_404(Application, pk=_number(request.POST.get("application")), call=call)
        form = OverrideForm(request.POST)
        if form.is_valid():
            attempt(
                request,
                lambda: services.eligibility_override(
                    application=application,
                    user=request.user,
                    eligible=form.cleaned_data["eligible"],
                    rationale=form.cleaned_data["rationale"],
                ),
                _("Eligibility decision recorded."),
            )
        else:
            messages.error(request, _("Give the rationale of your decision."))
        return redirect(f"{request.get_full_path()}#eligibility-{application.pk}")  # back to the same page
    rows = (
        Eligibility.objects.filter(application__call=call)
        .select_related("application", "decided_by")
        .order_by("is_eligible_by_rules", "application__pk")
    )
    page = Paginator(rows, TABLE_PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.application.call = call  # for its reference; joining the call would decode its definition on every row
    counts = rows.aggregate(
        total=Count("pk"),
        by_rules=Count("pk", filter=Q(is_eligible_by_rules=True)),
        overridden=Count("pk", filter=Q(override__isnull=False)),
    )
    return render(request, "review/eligibility.html", {"call": call, "page_obj": page, "counts": counts})


@require_POST
def assignment_run(request: HttpRequest, slug: str) -> HttpResponse:
    call = access_call_for_organiser(user=request.user, slug=slug)
    attempt(
        request,
        lambda: services.assignment_run(call=call, user=request.user),
        _(
            "Assignment done: %(assignments)d reviews for %(dossiers)d dossiers and %(members)d members, "
            "total affinity %(objective)s."
        ),
    )
    return redirect("review:assignments", slug=slug)


def assignment_list(request: HttpRequest, slug: str) -> HttpResponse:
    call = access_call_for_organiser(user=request.user, slug=slug)
    if request.method == "POST":
        if "remove" in request.POST:
            assignment = get_object_or_404(Assignment, pk=_number(request.POST["remove"]), application__call=call)
            attempt(
                request,
                lambda: services.assignment_remove(assignment=assignment, user=request.user),
                _("Assignment removed."),
            )
        else:
            form = AssignForm(request.POST)
            application = get_object_or_404(Application, pk=_number(request.POST.get("application")), call=call)
            member = (
                CommitteeMember.objects.filter(call=call, user__email__iexact=form.cleaned_data["member"]).first()
                if form.is_valid()
                else None
            )
            if member is None:
                messages.error(request, _("Choose a member of the committee by their e-mail address."))
            else:
                attempt(
                    request,
                    lambda: services.assignment_add(application=application, member=member, user=request.user),
                    _("Assignment added."),
                )
        return redirect(request.get_full_path())  # back to the same page of the table
    # One page of dossiers: its contents and assignments only (the affinities are the run's, kept on each row).
    page = Paginator(eligible_applications_query(call), TABLE_PAGE_SIZE).get_page(request.GET.get("page"))
    pks = [application.pk for application in page.object_list]
    assignments: dict[int, list[Assignment]] = {}
    for assignment in Assignment.objects.filter(application__in=pks).select_related("member__user", "review"):
        assignments.setdefault(assignment.application_id, []).append(assignment)
    contents = latest_contents(pks)
    rows = [(a, contents.get(a.pk, {}), assignments.get(a.pk, [])) for a in page.object_list]
    context = {"call": call, "rows": rows, "page_obj": page, "members": committee(call)}
    return render(request, "review/assignments.html", context)


def affinity_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    call = access_call_for_organiser(user=request.user, slug=slug)
    application = get_object_or_404(Application, pk=pk, call=call)
    if request.method == "POST":
        form = AffinityForm(request.POST)
        if form.is_valid():
            member = get_object_or_404(CommitteeMember, pk=form.cleaned_data["member"], call=call)
            attempt(
                request,
                lambda: services.affinity_set(
                    member=member, application=application, score=form.cleaned_data["score"], user=request.user
                ),
                _("Affinity saved."),
            )
        else:
            messages.error(request, _("An affinity is between 0 and 1."))
        return redirect("review:affinity", slug=slug, pk=pk)
    table = services.affinity_table(call)
    row = next((i for i, a in enumerate(table.applications) if a.pk == pk), None)
    members = [
        (member, float(table.scores[row, j]) if row is not None else None, table.conflicts.get((pk, member.pk)))
        for j, member in enumerate(table.members)
    ]
    return render(
        request,
        "review/affinity.html",
        {"call": call, "application": application, "content": latest_content(application), "members": members},
    )


def meeting(request: HttpRequest, slug: str) -> HttpResponse:
    """The committee's table: one row per dossier; the chosen dossier's reviews side by side, and its decision."""
    call = access_call_for_organiser(user=request.user, slug=slug)
    if request.method == "POST":
        application = get_object_or_404(Application, pk=_number(request.POST.get("application")), call=call)
        form = DecisionForm(request.POST)
        query = request.GET.copy()
        if form.is_valid():
            attempt(
                request,
                lambda: services.decision_record(application=application, user=request.user, **form.cleaned_data),
                _("Decision recorded."),
            )
            if request.POST.get("then") and request.POST["then"].isdigit():
                query["dossier"] = request.POST["then"]
        else:
            messages.error(request, _("Choose a decision."))
        return redirect(f"{request.path}?{query.urlencode()}#panel")
    filters = {key: request.GET.get(key, "") for key in ("theme", "format", "domain", "country")}
    view = request.GET.get("view", "all")
    view = view if view in MEETING_VIEWS else "all"
    rows = meeting_ranking(call, filters=filters, view=view)
    chosen = request.GET.get("dossier", "")
    current = next((row for row in rows if str(row.application.pk) == chosen), None)
    position = rows.index(current) if current is not None else None
    following = None
    if position is not None:
        following = next((row for row in rows[position + 1 :] if row.eligible and row.decision is None), None)
    paginator = Paginator(rows, TABLE_PAGE_SIZE)
    # The chosen dossier's page, when the one asked for does not hold it (the next undecided may be further on).
    page = paginator.get_page(request.GET.get("page"))
    if position is not None and not page.start_index() <= position + 1 <= page.end_index():
        page = paginator.get_page(position // TABLE_PAGE_SIZE + 1)
    query = request.GET.copy()
    query.pop("dossier", None)
    query["page"] = str(page.number)
    context = {
        "call": call,
        "selection": selection_for(call),
        "rows": rows,
        "page_obj": page,
        "current": current,
        "following": following,
        "comparison": reviews_side_by_side(call, current.reviews) if current else [],
        "filters": filters,
        "view": view,
        "query": query.urlencode(),
        "counts": {
            "ranked": sum(1 for row in rows if row.rank),
            "disputed": sum(1 for row in rows if row.disagreement),
            "undecided": sum(1 for row in rows if row.eligible and row.decision is None),
        },
        "progress": review_progress(call),
        "decision_form": DecisionForm(),
        "panels": [import_string(path)(request, call) for path in settings.MEETING_PANELS],
    }
    return render(request, "review/meeting.html", context)


@require_POST
def reviews_lock(request: HttpRequest, slug: str) -> HttpResponse:
    call = access_call_for_organiser(user=request.user, slug=slug)
    attempt(request, lambda: services.reviews_lock(call=call, user=request.user), _("Reviews locked."))
    return redirect("review:selection", slug=slug)


@require_POST
def decisions_publish(request: HttpRequest, slug: str) -> HttpResponse:
    call = access_call_for_organiser(user=request.user, slug=slug)
    attempt(
        request,
        lambda: services.decisions_publish(call=call, user=request.user),
        _("Decisions published; applicants are being notified."),
    )
    return redirect("review:meeting", slug=slug)


@require_GET
def selection_export(request: HttpRequest, slug: str, what: str, extension: str) -> HttpResponse:
    call = access_call_for_organiser(user=request.user, slug=slug)
    header, rows = reviews_table(call) if what == "reviews" else decisions_table(call)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return table_response(header, rows, extension=extension, filename=f"{call.slug}-{what}-{stamp}")


@require_GET
def selection_audit(request: HttpRequest, slug: str) -> HttpResponse:
    call = access_call_for_organiser(user=request.user, slug=slug)
    events = (
        SelectionEvent.objects.filter(call=call)
        .select_related("actor", "application", "member__user")
        .order_by("-at", "-pk")[:1000]
    )
    return render(request, "review/audit.html", {"call": call, "events": events})
