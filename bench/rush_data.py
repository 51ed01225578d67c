"""Data for bench/deadline_rush.py, made inside the server's environment (its database, its settings).

Applicants and their complete drafts go through the platform's own services, as the editor makes them;
their API tokens, or their logged-in sessions, are made directly (no password hashing: logins are measured
apart).
The catalogue's labelled challenges of a past edition are made in bulk, signed like real ones.
"""

from __future__ import annotations

import random
from datetime import timedelta
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.middleware.csrf import CSRF_SECRET_LENGTH
from django.utils import timezone
from django.utils.crypto import get_random_string
from rest_framework.authtoken.models import Token

from convergence.accounts.models import User
from convergence.applications import services
from convergence.applications.models import Application, Submission
from convergence.calls.models import Call
from convergence.calls.services import call_load
from convergence.labels import signing
from convergence.labels.models import Label
from convergence.labels.services import catalogue_entry

COUNTRIES = ["FR", "SN", "CI", "MA", "ET", "IN", "US", "CA", "GB", "PL", "DK", "DE"]
SUBJECTS = [
    ("Détection précoce des feux de forêt", "imagerie satellite et capteurs au sol"),
    ("Traduction automatique des langues peu dotées", "corpus ouverts et évaluation humaine"),
    ("Diagnostic du paludisme sur frottis", "microscopie et apprentissage profond"),
    ("Prévision de la production solaire", "données météorologiques ouvertes"),
    ("Tri des déchets par vision", "robots de centres de tri"),
    ("Mobilité partagée en zone rurale", "optimisation des trajets"),
]


def complete_changes(call: Call, index: int) -> dict:
    rng = random.Random(index)
    title, how = SUBJECTS[index % len(SUBJECTS)]
    themes = list(call.themes.all())
    return {
        "title": f"{title} ({index})",
        "summary": f"{title} : {how}.",
        "description": f"Le défi réunit des équipes autour de {how}, avec des données ouvertes et un protocole commun.",
        "format": call.formats.first(),
        "themes": rng.sample(themes, k=min(2, len(themes))),
        "domains": [rng.choice(list(call.domains.all()))],
        "trl": rng.randint(2, 8),
        "expected_results": "Un premier prototype évalué et un rapport public.",
        "carrier_name": f"Laboratoire {index}",
        "carrier_type": "research",
        "carrier_country": rng.choice(COUNTRIES),
        "contact_name": f"Contact {index}",
        "contact_email": f"contact{index}@rush.example",
        "partners": [
            {"organisation": f"Partenaire {index}", "organisation_type": "company", "country": rng.choice(COUNTRIES)}
        ],
        "datasets": [{"name": "Jeu ouvert", "origin_country": "FR", "licence": "Licence Ouverte 2.0"}],
        "claims": {call.criteria.order_by("position").first(): "Des partenaires de plusieurs pays."},
    }


def make_drafts(call: Call, count: int, offset: int) -> list[dict]:
    users = User.objects.bulk_create(
        [User(email=f"rush{offset + i}@rush.example", full_name=f"Porteur {offset + i}") for i in range(count)]
    )
    tokens = Token.objects.bulk_create([Token(key=Token.generate_key(), user=user) for user in users])
    drafts = []
    for i, (user, token) in enumerate(zip(users, tokens, strict=True)):
        application = services.application_create(call=call, user=user, changes=complete_changes(call, offset + i))
        drafts.append({"id": application.pk, "token": token.key})
    return drafts


def make_page_drafts(call: Call, count: int, offset: int) -> list[dict]:
    """Complete drafts whose owners are logged in, as in a browser: a session (made as `login` makes it, without
    hashing a password) and a CSRF token, to submit from the review page."""
    engine = import_module(settings.SESSION_ENGINE)
    ids = [draft["id"] for draft in make_drafts(call, count, offset)]
    drafts = []
    for application in Application.objects.select_related("owner").filter(pk__in=ids).order_by("pk"):
        session = engine.SessionStore()
        session[SESSION_KEY] = str(application.owner.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = application.owner.get_session_auth_hash()
        session.create()
        drafts.append(
            {
                "id": application.pk,
                "version": application.version,
                "session": session.session_key,
                "csrf": get_random_string(CSRF_SECRET_LENGTH),
            }
        )
    return drafts


def make_catalogue(call_file: str, count: int) -> None:
    """A past edition with `count` labelled challenges, as the public catalogue shows them."""
    text = Path(call_file).read_text(encoding="utf-8")
    past = call_load(text=text, source=call_file, demo=False, slug="rush-past-edition", receipt_prefix="PAST")
    organiser = User.objects.create(email="organiser@rush.example", is_organiser=True)
    owners = User.objects.bulk_create([User(email=f"past{i}@rush.example") for i in range(count)])
    applications = Application.objects.bulk_create(
        [Application(call=past, owner=owner, status=Application.Status.SUBMITTED) for owner in owners]
    )
    awarded_at = past.closes_at + timedelta(days=5)
    submissions, labels = [], []
    for index, application in enumerate(applications):
        changes = complete_changes(past, index)
        content = {
            **{key: value for key, value in changes.items() if isinstance(value, str | int)},
            "themes": [{"code": theme.code, "name": theme.name} for theme in changes["themes"]],
            "domains": [{"code": domain.code, "name": domain.name} for domain in changes["domains"]],
            "format": {
                "code": changes["format"].code,
                "name": changes["format"].name,
                "number": changes["format"].number,
            },
            "partners": changes["partners"],
            "datasets": changes["datasets"],
        }
        submissions.append(
            Submission(
                application=application,
                number=1,
                receipt_number=f"PAST-{index + 1:06d}",
                submitted_at=past.closes_at - timedelta(hours=1),
                submitted_by=application.owner,
                content=content,
                digest=services.content_digest(content),
                receipt_emailed_at=awarded_at,
            )
        )
        entry = catalogue_entry(content)
        payload = {
            "identifier": f"PAST-L{index + 1:04d}",
            "call": past.slug,
            "call_title": past.title,
            "title": entry["title"],
            "carrier": entry["carrier_name"],
            "carrier_country": entry["carrier_country"],
            "partner_countries": entry["partner_countries"],
            "awarded_on": awarded_at.date().isoformat(),
            "issuer": "Convergence",
            "key_id": signing.key_id(),
        }
        labels.append(
            Label(
                call=past,
                application=application,
                identifier=payload["identifier"],
                payload=payload,
                signature=signing.sign(payload),
                key_id=payload["key_id"],
                catalogue=entry,
                awarded_at=awarded_at,
                awarded_by=organiser,
            )
        )
    Submission.objects.bulk_create(submissions)
    Label.objects.bulk_create(labels)


LOGIN_PASSWORD = "deadline night 23:59"  # noqa: S105 (a throw-away bench account)


def make_login_accounts(count: int) -> dict[str, list[str]]:
    """Accounts whose password is stored with Argon2id (the platform's hasher) or with PBKDF2 (Django's default,
    as before): logging in with the second also upgrades the stored hash, as it does for a real user."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    accounts: dict[str, list[str]] = {}
    for hasher in ("argon2", "pbkdf2_sha256"):
        stored = make_password(LOGIN_PASSWORD, hasher=hasher)
        users = User.objects.bulk_create(
            [User(email=f"login-{hasher}-{i}@rush.example", password=stored) for i in range(count)]
        )
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users]
        )
        accounts[hasher] = [user.email for user in users]
    return accounts


def prepare(call_file: str, levels: list[int], dossiers: int, catalogue: int, *, warm: int = 0) -> dict:
    """The call, `dossiers` complete drafts for each level, `warm` more to warm the server up, the catalogue and
    the login accounts."""
    text = Path(call_file).read_text(encoding="utf-8")
    call = call_load(text=text, source=call_file, demo=True)
    assert call.accepts_changes_at(timezone.now())
    if catalogue:
        make_catalogue(call_file, catalogue)
    return {
        "call": call.slug,
        "levels": {str(level): make_drafts(call, dossiers, offset=n * dossiers) for n, level in enumerate(levels)},
        "warm": make_drafts(call, warm, offset=len(levels) * dossiers),
        "pages": {
            str(level): make_page_drafts(call, dossiers, offset=(len(levels) + n) * dossiers + warm)
            for n, level in enumerate(levels)
        },
        "warm_pages": make_page_drafts(call, warm, offset=2 * len(levels) * dossiers + warm),
        "cookies": {"session": settings.SESSION_COOKIE_NAME, "csrf": settings.CSRF_COOKIE_NAME},
        "logins": make_login_accounts(dossiers),
        "password": LOGIN_PASSWORD,
    }
