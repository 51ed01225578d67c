"""Service calls from pages: a refusal becomes messages in the user's language, never an error page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest

from convergence.core.errors import DomainError


def attempt(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """Run `action`; say `success` or why it was refused. `success` is filled from the outcome: %(count)d when the
    action returns a number, the keys of a summary when it returns a dict."""
    try:
        outcome = action()
    except DomainError as error:
        messages.error(request, error.message)
        for problems in error.field_errors.values():
            messages.error(request, " ".join(str(problem) for problem in problems))
        return False
    if isinstance(outcome, dict):
        messages.success(request, success % outcome)
    elif isinstance(outcome, int) and not isinstance(outcome, bool) and "%(count)" in success:
        messages.success(request, success % {"count": outcome})
    else:
        messages.success(request, success)
    return True
