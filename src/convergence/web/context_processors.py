from django.conf import settings


def platform(request):
    user = getattr(request, "user", None)
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "is_organiser": bool(user and user.is_authenticated and (user.is_organiser or user.is_superuser)),
    }
