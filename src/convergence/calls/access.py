"""Who may work on a call: its organisers (back-office pages, exports and endpoints that name a call)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from convergence.accounts.access import user_is_organiser

from .models import Call


def access_call_for_organiser(*, user, slug: str) -> Call:
    """The call named in the address, for an organiser; anyone else is refused (an anonymous visitor is then
    sent to log in), whether or not the call exists."""
    if not user_is_organiser(user):
        raise PermissionDenied
    return get_object_or_404(Call, slug=slug)
