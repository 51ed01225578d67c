"""Login rate limiting glue between django-axes, django-allauth and the API token view."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def username_from_credentials(request: HttpRequest, credentials: dict | None) -> str | None:
    # allauth authenticates with "email", the admin and the API with "username" or "email".
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if value is None and request is not None and request.method == "POST":
        value = request.POST.get("login") or request.POST.get("email") or request.POST.get("username")
    return value.strip().lower() if isinstance(value, str) else value


def lockout_response(request: HttpRequest, original_response=None, credentials=None, *args, **kwargs) -> HttpResponse:
    message = _("Too many failed login attempts. Please try again in a few minutes.")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "login_locked"}, status=429)
    return render(request, "account/lockout.html", {"message": message}, status=429)
