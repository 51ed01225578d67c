"""One place maps errors to HTTP answers for the API, in one shape whatever raised them (a rule of the platform,
a malformed request, a missing permission, a throttle): `{"detail": message, "code": code, "errors": {field:
[messages]}}` (`errors` only for invalid fields), in the caller's language; never a 5xx."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from convergence.core.errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"detail": str(exc.message), "code": str(exc.code)}
        if exc.field_errors:
            body["errors"] = {field: [str(m) for m in messages] for field, messages in exc.field_errors.items()}
        body.update(exc.details)
        return Response(body, status=exc.status)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": _("The data sent is not valid."), "code": "invalid", "errors": _fields(exc.detail)}
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        response.data = {
            "detail": str(exc.detail) if not isinstance(exc.detail, dict | list) else _("The request was refused."),
            "code": codes if isinstance(codes, str) else exc.default_code,
        }
    elif isinstance(response.data, dict):  # Django's Http404 and PermissionDenied, which DRF answers itself
        response.data.setdefault("code", CODES_BY_STATUS.get(response.status_code, "error"))
    return response


CODES_BY_STATUS = {401: "not_authenticated", 403: "permission_denied", 404: "not_found", 405: "method_not_allowed"}


def _fields(detail) -> dict[str, list]:
    """A validation error's details by field; an error of the whole body goes under `non_field_errors`."""
    if isinstance(detail, dict):
        return {
            str(field): messages if isinstance(messages, list) else [messages] for field, messages in detail.items()
        }
    return {"non_field_errors": detail if isinstance(detail, list) else [detail]}
