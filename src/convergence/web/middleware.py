"""Refuse NUL characters in query strings at the door: PostgreSQL cannot store or compare them, and no honest
request carries one. Form fields and API bodies are already checked field by field by Django and DRF."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class RejectNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            message = _("The address contains a NUL character.")
            if request.path.startswith("/api/"):  # the API's refusals have one shape (web/api_errors.py)
                return JsonResponse({"detail": message, "code": "invalid"}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain")
        return self.get_response(request)
