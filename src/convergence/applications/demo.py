"""Varied, realistic demo dossiers in French and English, made through the real services."""

from __future__ import annotations

import random
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from faker import Faker

from convergence.accounts.models import User
from convergence.calls.models import Call

from . import services
from .models import OrganisationType

# Countries from every continent, weighted towards those of the real programme.
PARTNER_COUNTRIES = [
    "FR",
    "FR",
    "FR",
    "ET",
    "CI",
    "MA",
    "SN",
    "KE",
    "NG",
    "ZA",
    "IN",
    "JP",
    "SG",
    "KR",
    "US",
    "CA",
    "BR",
    "MX",
    "CL",
    "GB",
    "PL",
    "DK",
    "DE",
    "IT",
    "ES",
    "NL",
    "AU",
    "NZ",
]
SUBJECTS = {
    "fr": [
        (
            "Détection précoce du paludisme par imagerie",
            "diagnostic assisté par apprentissage profond sur frottis sanguins",
        ),
        ("Prévision des crues par IA frugale", "modèles légers de prévision hydrologique pour les collectivités"),
        (
            "Hackathon de traduction des langues africaines",
            "corpus ouverts et modèles de traduction pour des langues peu dotées",
        ),
        ("Optimisation des tournées de bus à la demande", "optimisation en temps réel des mobilités rurales"),
        ("Assistant pour l'inspection du travail", "priorisation des contrôles par analyse de signalements"),
        ("Évaluation de la robustesse des modèles de langue", "banc d'essai ouvert d'attaques et de défenses"),
        ("Restauration d'archives sonores du patrimoine", "débruitage et transcription d'enregistrements anciens"),
        ("Suivi satellitaire de la déforestation", "segmentation d'images satellite et alertes aux communautés"),
    ],
    "en": [
        ("Early sepsis prediction in intensive care", "explainable risk scores from bedside monitoring data"),
        ("Open benchmark for energy-efficient inference", "measuring the carbon cost of model serving"),
        ("AI tutor for vocational training", "adaptive exercises for workers changing jobs"),
        ("Crop disease detection from smartphone photos", "a mobile model that works offline for smallholders"),
        ("Traffic safety from dash-cam video", "detecting dangerous intersections from crowd-sourced video"),
        ("Auditing hiring algorithms for bias", "a toolkit and competition for fair recruitment models"),
        ("Multilingual misinformation detection", "shared task on claim verification across languages"),
        ("Digital twin of a port's logistics", "reinforcement learning for berth and crane scheduling"),
    ],
}


def _account(faker: Faker, index: int, language: str) -> User:
    email = f"carrier{index:04d}@demo.test"
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": faker.name(), "preferred_language": language}
    )
    if created:
        user.set_password("demo")
        user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


@transaction.atomic
def seed_demo_applications(*, call: Call, count: int, seed: int = 2024) -> dict[str, int]:
    """Create `count` dossiers: about three quarters submitted, the rest drafts at various stages."""
    rng = random.Random(seed)
    outcome = {"submitted": 0, "draft": 0}
    items = services.call_items_by_code(call)
    existing = call.applications.filter(owner__email__startswith="carrier").count()
    for index in range(existing, existing + count):
        language = "fr" if rng.random() < 0.6 else "en"
        faker = Faker("fr_FR" if language == "fr" else "en_GB")
        faker.seed_instance(seed + index)
        user = _account(faker, index, language)
        title, pitch = rng.choice(SUBJECTS[language])
        country = rng.choice(PARTNER_COUNTRIES)
        partners = [
            {
                "organisation": faker.company(),
                "organisation_type": rng.choice(OrganisationType.values),
                "country": rng.choice(PARTNER_COUNTRIES),
                "role": faker.sentence(nb_words=6),
            }
            for _ in range(rng.randint(0, 4))
        ]
        criteria = rng.sample(list(items["criteria"].values()), rng.randint(1, len(items["criteria"])))
        launched = rng.random() < 0.3
        changes = {
            "title": f"{title} — {faker.city()}",
            "summary": f"{pitch.capitalize()}. {faker.paragraph(nb_sentences=3)}",
            "description": "\n\n".join(faker.paragraphs(nb=4)),
            "themes": rng.sample(list(items["themes"].values()), rng.randint(1, min(2, call.max_themes))),
            "domains": rng.sample(list(items["domains"].values()), rng.randint(1, 2)) if items["domains"] else [],
            "format": rng.choice(list(items["formats"].values())),
            "trl": rng.randint(1, 9),
            "already_launched": launched,
            "launched_on": date(2024, 1, 1) + timedelta(days=rng.randint(0, 300)) if launched else None,
            "expected_results": faker.paragraph(nb_sentences=2),
            "carrier_name": faker.company(),
            "carrier_type": rng.choice(OrganisationType.values),
            "carrier_country": country,
            "contact_name": user.full_name,
            "contact_email": user.email,
            "partners": partners,
            "datasets": [
                {
                    "name": f"{faker.word().capitalize()} dataset",
                    "origin_country": rng.choice(PARTNER_COUNTRIES),
                    "licence": rng.choice(["CC-BY 4.0", "ODbL", "proprietary", "Etalab 2.0"]),
                }
                for _ in range(rng.randint(0, 2))
            ],
            "claims": {criterion: faker.paragraph(nb_sentences=2) for criterion in criteria},
        }
        if rng.random() < 0.25:
            # An incomplete draft: some sections never filled in.
            for field in rng.sample(["description", "expected_results", "carrier_name", "claims", "format"], 2):
                changes[field] = {} if field == "claims" else (None if field == "format" else "")
            services.application_create(call=call, user=user, changes=changes)
            outcome["draft"] += 1
        else:
            application = services.application_create(call=call, user=user, changes=changes)
            services.application_submit(application=application, user=user)
            outcome["submitted"] += 1
    return outcome
