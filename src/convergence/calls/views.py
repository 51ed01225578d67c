from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .access import access_call_for_organiser
from .models import Call
from .selectors import call_timeline, call_to_show
from .services import CallAlreadyClosed, call_close_now


def _call_page(request: HttpRequest, call: Call | None) -> HttpResponse:
    if call is None:
        return render(request, "calls/none.html", status=200)
    now = timezone.now()
    context = {
        "call": call,
        "timeline": call_timeline(call, now=now),
        "time_left": (call.closes_at - now) if call.is_open else None,
        "closes_at_local": timezone.localtime(call.closes_at, call.tz),
        "opens_at_local": timezone.localtime(call.opens_at, call.tz),
        "themes": call.themes.all(),
        "domains": call.domains.all(),
        "formats": call.formats.all(),
        "criteria": call.criteria.all(),
    }
    return render(request, "calls/detail.html", context)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return _call_page(request, call_to_show())


@require_GET
def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_to_show(slug)
    if call is None:
        raise Http404
    return _call_page(request, call)


@require_POST
def call_close(request: HttpRequest, slug: str) -> HttpResponse:
    call = access_call_for_organiser(user=request.user, slug=slug)
    try:
        call_close_now(call=call, user=request.user)
    except CallAlreadyClosed:
        messages.info(request, _("Applications are already closed."))
    else:
        messages.success(request, _("Applications are closed."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = call.get_absolute_url()
    return redirect(target)
