"""The demo committee: reviewer1…reviewer5@demo.test on the current call, with varied expertise."""

from __future__ import annotations

from django.db import transaction

from convergence.accounts.models import User
from convergence.calls.models import Call

from .models import CommitteeMember

DEMO_EXPERTISE = [
    (
        "Institut de recherche en santé",
        "santé, imagerie médicale, diagnostic, épidémiologie",
        "health, medical imaging",
    ),
    ("Climate Lab", "climat, hydrologie, transition écologique, énergie", "climate, energy, agriculture"),
    (
        "Centre de linguistique",
        "traitement automatique des langues, traduction, corpus",
        "NLP, translation, misinformation",
    ),
    ("Mobility Institute", "mobilités, transport, logistique, optimisation", "transport, logistics, robotics"),
    (
        "Observatoire du travail",
        "travail, emploi, formation, équité des algorithmes",
        "work, fairness, education, governance",
    ),
]


@transaction.atomic
def seed_demo_committee(*, call: Call, inviter: User) -> int:
    added = 0
    for index, (organisation, expertise, keywords) in enumerate(DEMO_EXPERTISE, start=1):
        user = User.objects.filter(email=f"reviewer{index}@demo.test").first()
        if user is None:
            continue
        _member, created = CommitteeMember.objects.get_or_create(
            call=call,
            user=user,
            defaults={
                "organisation": organisation,
                "expertise": expertise,
                "keywords": keywords,
                "invited_by": inviter,
            },
        )
        added += created
    return added
