from django.conf import settings

from convergence.accounts.access import user_is_organiser
from convergence.web.navigation import landing_url, main_menu


def platform(request):
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "PUBLISHER_NAME": settings.PUBLISHER_NAME,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "is_organiser": bool(user and user_is_organiser(user)),
        "main_menu": main_menu(request) if user is not None else [],
        "landing_url": landing_url(user) if authenticated else "",
    }
