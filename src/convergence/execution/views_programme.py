"""The showcase programme: built by the organiser, public as a page, an ICS calendar and a PDF."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from convergence.accounts.access import require_organiser
from convergence.calls.access import access_call_for_organiser
from convergence.calls.models import Call
from convergence.core.errors import DomainError

from . import showcase
from .forms import SessionForm, SlotForm
from .models import ShowcaseSlot


def programme_manage(request: HttpRequest, slug: str) -> HttpResponse:
    call = access_call_for_organiser(user=request.user, slug=slug)
    # Times typed and shown in the call's own zone (the Summit's), whatever the server's.
    with timezone.override(call.tz):
        return _programme_manage(request, call)


def _programme_manage(request: HttpRequest, call: Call) -> HttpResponse:
    slug = call.slug
    session_form = SessionForm(request.POST if "session" in request.POST else None, call=call, prefix="session")
    posted_session = request.POST.get("slot", "")
    # One form per session, each with its own prefix: element ids stay unique on the page.
    sessions = [
        (
            session,
            SlotForm(
                request.POST if posted_session == str(session.pk) else None, call=call, prefix=f"slot-{session.pk}"
            ),
        )
        for session in showcase.programme(call)
    ]
    try:
        if session_form.is_bound and session_form.is_valid():
            data = session_form.cleaned_data
            showcase.session_create(
                call=call,
                user=request.user,
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                room=data["room"],
                theme=call.themes.filter(pk=data["theme"]).first() if data["theme"] else None,
            )
            messages.success(request, _("Session added."))
            return redirect("execution:programme_manage", slug=slug)
        posted = next(((session, form) for session, form in sessions if form.is_bound), None)
        if posted is not None and posted[1].is_valid():
            session, slot_form = posted
            data = slot_form.cleaned_data
            showcase.slot_add(
                session=session,
                user=request.user,
                label=data["label"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
            )
            messages.success(request, _("Challenge placed in the programme."))
            return redirect("execution:programme_manage", slug=slug)
    except DomainError as error:  # the showcase's refusals (clashes, times) in the user's language
        messages.error(request, error.message)
    return render(
        request,
        "execution/programme_manage.html",
        {"call": call, "sessions": sessions, "session_form": session_form},
    )


@require_POST
def slot_remove(request: HttpRequest, pk: int) -> HttpResponse:
    require_organiser(request.user)
    slot = get_object_or_404(ShowcaseSlot.objects.select_related("session__call", "label"), pk=pk)
    showcase.slot_remove(slot=slot, user=request.user)
    messages.success(request, _("Slot removed."))
    return redirect("execution:programme_manage", slug=slot.session.call.slug)


def _programme_call(request: HttpRequest) -> Call | None:
    slug = request.GET.get("call", "")
    if slug:
        return Call.objects.filter(slug=slug[:80]).first()
    return showcase.programme_call()


@require_GET
def programme_public(request: HttpRequest) -> HttpResponse:
    call = _programme_call(request)
    if call is None:
        return render(request, "execution/programme.html", {"call": None, "sessions": []})
    with timezone.override(call.tz):  # the Summit's hours, as in the calendar and the PDF
        return render(request, "execution/programme.html", {"call": call, "sessions": showcase.programme(call)})


@require_GET
def programme_ics(request: HttpRequest) -> HttpResponse:
    call = _programme_call(request)
    body = showcase.programme_ics(call) if call else showcase.empty_ics()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="programme.ics"'
    return response


@require_GET
def programme_pdf(request: HttpRequest) -> HttpResponse:
    call = _programme_call(request)
    if call is None:
        return redirect("execution:programme")
    response = HttpResponse(showcase.programme_pdf(call), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="programme.pdf"'
    return response
