from django.conf import settings

from convergence.accounts.access import user_is_organiser


def platform(request):
    user = getattr(request, "user", None)
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "is_organiser": bool(user and user_is_organiser(user)),
    }
