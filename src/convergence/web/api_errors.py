"""One place maps domain errors to HTTP answers for the API: 4xx with a field-by-field body, never a 5xx."""

from __future__ import annotations

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
    return drf_exception_handler(exc, context)
