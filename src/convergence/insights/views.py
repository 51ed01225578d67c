"""The organisers' dashboard of a call (page, CSV, chart files, reminders) and the public statistics page."""

from __future__ import annotations

from typing import Any

from csp.decorators import csp
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from convergence.accounts.access import user_is_organiser
from convergence.applications.access import access_application_for_owner
from convergence.applications.models import Application
from convergence.applications.reminders import draft_reminders_send
from convergence.calls.access import access_call_for_organiser
from convergence.core.selectors import tasks_waiting
from convergence.review.exports import table_response
from convergence.review.reminders import review_reminders_send

from . import public, selectors
from . import triage as triage_selectors
from .access import access_similar_for_reader
from .dashboard import CHARTS, COVERAGE, call_tables, chart_bytes
from .selectors import Table

# Matplotlib's SVG styles its shapes inline; the file is an image (no script can run in it).
CHART_POLICY = {"default-src": ["'none'"], "style-src": ["'unsafe-inline'"]}
CHART_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
# The triage page shows the closest pairs and pages the themes table (the API gives all).
TRIAGE_PAIRS_SHOWN = 30
TRIAGE_ROWS_PER_PAGE = 50
# Theme suggestions need a sentence or two to say anything; a pasted book is cut.
MIN_SUGGESTION_TEXT = 40
MAX_SUGGESTION_TEXT = 10_000


@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    call = access_call_for_organiser(user=request.user, slug=slug)
    at_risk = selectors.drafts_at_risk(call)
    tables = call_tables(call, at_risk=at_risk)
    context: dict[str, Any] = {
        "call": call,
        "tables": tables,
        "figures": {
            key: _figure(
                tables[spec.table],
                spec.description,
                reverse("insights:chart", args=[slug, key, "svg"]),
                reverse("insights:chart", args=[slug, key, "png"]),
                reverse("insights:csv", args=[slug, spec.table]),
            )
            for key, spec in CHARTS.items()
            if spec.table in tables
        },
        "at_risk": at_risk,
        "unreminded": sum(1 for draft in at_risk if draft.reminded_at is None),
        "late_members": sum(1 for row in tables["committee"].rows if row[3]),
        "previous": selectors.previous_edition(call),
        "waiting": tasks_waiting(),
        "totals": {
            "submitted": call.applications.filter(status=Application.Status.SUBMITTED).count(),
            "drafts": call.applications.filter(status=Application.Status.DRAFT).count(),
            "countries": len(tables["countries"].rows),
        },
    }
    context["coverage"] = [context["figures"][key] for key in COVERAGE]
    return render(request, "insights/dashboard.html", context)


def _figure(table: Table, description: object, svg: str, png: str, csv_url: str) -> dict:
    return {"table": table, "description": str(description), "svg": svg, "png": png, "csv": csv_url}


def table_csv(table: Table, filename: str) -> HttpResponse:
    return table_response(table.columns, [list(row) for row in table.rows], extension="csv", filename=filename)


@require_GET
def dashboard_csv(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    call = access_call_for_organiser(user=request.user, slug=slug)
    tables = call_tables(call, frozenset([key]))
    if key not in tables:
        raise Http404
    return table_csv(tables[key], f"{call.slug}-{key}")


@require_GET
@csp(CHART_POLICY)  # type: ignore[arg-type]  # django-csp types a view as taking the request alone
def dashboard_chart(request: HttpRequest, slug: str, key: str, fmt: str) -> HttpResponse:
    call = access_call_for_organiser(user=request.user, slug=slug)
    if key not in CHARTS:
        raise Http404
    table = call_tables(call, frozenset([CHARTS[key].table]))[CHARTS[key].table]
    response = HttpResponse(chart_bytes(call, key, fmt, table), content_type=CHART_TYPES[fmt])
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{call.slug}-{key}.{fmt}"'
    return response


@require_POST
def remind_drafts(request: HttpRequest, slug: str) -> HttpResponse:
    call = access_call_for_organiser(user=request.user, slug=slug)
    drafts = [draft.application for draft in selectors.drafts_at_risk(call)]
    sent = draft_reminders_send(call=call, user=request.user, applications=drafts)
    messages.success(request, _("Reminder sent to %(count)d owners of drafts at risk.") % {"count": sent})
    return redirect("insights:dashboard", slug=slug)


@require_POST
def remind_reviewers(request: HttpRequest, slug: str) -> HttpResponse:
    call = access_call_for_organiser(user=request.user, slug=slug)
    sent = review_reminders_send(call=call, user=request.user)
    messages.success(request, _("Reminder sent to %(count)d committee members.") % {"count": sent})
    return redirect("insights:dashboard", slug=slug)


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    edition = public.completed_edition()
    tables = public.edition_tables(edition) if edition else {}
    figures = {
        key: _figure(
            tables[key],
            CHARTS[key].description,
            reverse("insights:statistics_chart", args=[key, "svg"]),
            reverse("insights:statistics_chart", args=[key, "png"]),
            reverse("insights:statistics_csv", args=[key]),
        )
        for key in public.PUBLIC_CHARTS
        if edition
    }
    labelled = sum(row[2] for row in tables["countries"].rows) if edition else 0
    context = {"edition": edition, "figures": figures, "labelled": labelled}
    return render(request, "insights/statistics.html", context)


@require_GET
@csp(CHART_POLICY)  # type: ignore[arg-type]  # django-csp types a view as taking the request alone
def statistics_chart(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    edition = public.completed_edition()
    if edition is None or key not in public.PUBLIC_CHARTS:
        raise Http404
    tables = public.edition_tables(edition)
    return HttpResponse(
        chart_bytes(edition, key, fmt, tables[public.PUBLIC_CHARTS[key]]), content_type=CHART_TYPES[fmt]
    )


@require_GET
def statistics_csv(request: HttpRequest, key: str) -> HttpResponse:
    edition = public.completed_edition()
    if edition is None:
        raise Http404
    tables = public.edition_tables(edition)
    if key not in tables:
        raise Http404
    return table_csv(tables[key], f"{edition.slug}-{key}")


@require_GET
def triage(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisers' triage of a call: probable duplicates, themes the text suggests otherwise."""
    call = access_call_for_organiser(user=request.user, slug=slug)
    only_differing = request.GET.get("themes") != "all"
    dossiers = triage_selectors.call_dossiers(call)  # read once for the three sections
    suggestions = triage_selectors.theme_review(call, dossiers=dossiers)
    duplicates, duplicates_total = triage_selectors.near_duplicates_counted(
        call, dossiers=dossiers, limit=TRIAGE_PAIRS_SHOWN
    )
    rows = [row for row in suggestions if row.differs] if only_differing else suggestions
    return render(
        request,
        "insights/triage.html",
        {
            "call": call,
            "duplicates": duplicates,
            "duplicates_total": duplicates_total,
            "threshold": settings.TRIAGE_DUPLICATE_THRESHOLD,
            "themes": Paginator(rows, TRIAGE_ROWS_PER_PAGE).get_page(request.GET.get("page")),
            "differing": sum(row.differs for row in suggestions),
            "total": len(suggestions),
            "only_differing": only_differing,
            "call_map": _figure(
                triage_selectors.call_map(call, dossiers=dossiers),
                CHARTS["call_map"].description,
                reverse("insights:chart", args=[slug, "call_map", "svg"]),
                reverse("insights:chart", args=[slug, "call_map", "png"]),
                reverse("insights:csv", args=[slug, "call_map"]),
            ),
        },
    )


@require_GET
def similar_to_dossier(request: HttpRequest, pk: int) -> HttpResponse:
    """The "similar challenges" panel of a dossier, for organisers and for members not in conflict with it (a
    member never sees through it a dossier they are in conflict with)."""
    application, may_read = access_similar_for_reader(user=request.user, application_id=pk)
    return render(
        request,
        "insights/_similar.html",
        {
            "similar": triage_selectors.similar_to_dossier(application, may_read=may_read),
            "for_public": False,
            "for_organiser": user_is_organiser(request.user),
        },
    )


@require_GET
def theme_suggestions_for_applicant(request: HttpRequest, pk: int) -> HttpResponse:
    """The themes an applicant's text suggests, on step 1 of their dossier: from the text as it stands in the
    form (not saved yet), else as saved; the examples are the public catalogue's. Suggestions only: nothing is
    ticked for them."""
    application = access_application_for_owner(user=request.user, application_id=pk)
    text = triage_selectors.challenge_text(
        {
            name: (request.GET.get(name) or getattr(application, name) or "")[:MAX_SUGGESTION_TEXT]
            for name in ("title", "summary", "description")
        }
    )
    suggestions = (
        triage_selectors.theme_suggestions(text, application.call, examples=triage_selectors.public_labelled())
        if len(text) >= MIN_SUGGESTION_TEXT
        else []
    )
    return render(
        request,
        "insights/_theme_suggestions.html",
        {"suggestions": suggestions[:2], "too_short": len(text) < MIN_SUGGESTION_TEXT},
    )


@require_GET
def duplicates_fragment(request: HttpRequest, slug: str) -> HttpResponse:
    """The probable duplicates of a call, as the meeting page shows them: each dossier opens its meeting row."""
    call = access_call_for_organiser(user=request.user, slug=slug)
    return render(
        request,
        "insights/_meeting_duplicates.html",
        {"call": call, "duplicates": triage_selectors.near_duplicates(call, limit=TRIAGE_PAIRS_SHOWN)},
    )
