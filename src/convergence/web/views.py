"""The site's own pages (site map, accessibility statement, legal notice, personal data) and its error pages."""

from __future__ import annotations

import datetime

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from drf_spectacular.views import SpectacularSwaggerSplitView

from convergence.web.pages import AUDIENCES, PAGES, pages_by_audience

# The date of the last check of the statement; the automated part runs on every change (make test).
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 11, 30)
AXE_VERSION = "4.12"


@require_GET
def site_map(request: HttpRequest) -> HttpResponse:
    return render(request, "web/site_map.html", {"groups": pages_by_audience(site_map_only=True)})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/accessibility.html",
        {
            "groups": pages_by_audience(),
            "page_count": len(PAGES),
            "audience_count": len(AUDIENCES),
            "statement_date": ACCESSIBILITY_STATEMENT_DATE,
            "axe_version": AXE_VERSION,
        },
    )


@require_GET
def legal_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "web/legal_notice.html")


@require_GET
def personal_data(request: HttpRequest) -> HttpResponse:
    return render(request, "web/personal_data.html")


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    # Someone following a link from an e-mail is often not logged in yet: send them to log in, then back here.
    user = getattr(request, "user", None)
    if request.method == "GET" and user is not None and not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if request.path.startswith("/api/"):  # an address no API operation has: the API's refusal, not a page
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: no context processor, no database, since the error may come from them.
    page = loader.get_template("500.html").render({"LANGUAGE_CODE": get_language() or "fr"})
    return HttpResponseServerError(page)


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI under our Content Security Policy: its start-up script is a separate file, and no inline style."""

    template_name = "web/api_docs.html"
