from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction

from .models import User

DEMO_PASSWORD = "demo"  # noqa: S105 (demo mode only, documented in the README)
DEMO_ACCOUNTS: list[dict] = [
    {"email": "organiser@demo.test", "full_name": "Olivia Organisatrice", "is_organiser": True, "is_staff": True},
    {"email": "applicant@demo.test", "full_name": "Amina Porteuse", "organisation": "Institut Pasteur"},
    {
        "email": "applicant2@demo.test",
        "full_name": "Ben Carrier",
        "organisation": "Addis AI Lab",
        "preferred_language": "en",
    },
    *[
        {"email": f"reviewer{n}@demo.test", "full_name": name, "is_committee_member": True}
        for n, name in enumerate(
            ["Hélène Aubry", "Kwame Mensah", "Ingrid Sørensen", "Rachid Benali", "Claire Vautrin"], start=1
        )
    ],
    # An outside expert the organisers ask for an opinion on one dossier (not a committee member).
    {"email": "expert@demo.test", "full_name": "Mariam Diallo", "organisation": "Université Cheikh Anta Diop"},
]


class DemoModeRequired(Exception):
    pass


@transaction.atomic
def demo_accounts_ensure() -> list[User]:
    """Create the demo accounts with a verified email; leaves existing ones as they are."""
    if not settings.DEMO_MODE:
        raise DemoModeRequired("Demo accounts exist only in demo mode (CONVERGENCE_DEMO=1).")
    users = []
    for spec in DEMO_ACCOUNTS:
        fields = {key: value for key, value in spec.items() if key != "email"}
        user, created = User.objects.get_or_create(email=spec["email"], defaults=fields)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        users.append(user)
    return users
