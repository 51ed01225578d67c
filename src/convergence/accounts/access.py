"""Who is who: the roles every stage asks about."""

from django.core.exceptions import PermissionDenied


def user_is_organiser(user) -> bool:
    return bool(user.is_authenticated and (user.is_organiser or user.is_superuser))


def require_organiser(user) -> None:
    """Refuse anyone but an organiser (an anonymous visitor is then sent to log in)."""
    if not user_is_organiser(user):
        raise PermissionDenied
