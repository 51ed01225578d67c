"""Demo dossiers written by hand (demo_dossiers/*.yaml), made through the real services.

The same services as a real applicant's are used, then timestamps are set back so that the dossiers arrive
over the weeks of the call as they do in a real programme (a few early, most in the last days)."""

from __future__ import annotations

import random
import unicodedata
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

import yaml
from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from convergence.accounts.models import User
from convergence.accounts.services import DEMO_ACCOUNTS
from convergence.calls.models import Call

from . import services
from .models import Application, ApplicationEvent, Submission

DOSSIERS_DIR = Path(__file__).resolve().parent / "demo_dossiers"
POOLS = ("current", "edition")


@cache
def demo_dossiers(pool: str) -> tuple[dict, ...]:
    """The hand-written dossiers of one pool: "current" (the call open now) or "edition" (the completed one)."""
    if pool not in POOLS:
        raise ValueError(f"unknown demo pool {pool!r}")
    with (DOSSIERS_DIR / f"{pool}.yaml").open(encoding="utf-8") as handle:
        return tuple(yaml.safe_load(handle))


def _email_of(name: str, cycle: int) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    local = ".".join(part for part in plain.replace("'", " ").split() if part.isalnum())
    return f"{local}{f'.{cycle}' if cycle else ''}@demo.test"


def _account(name: str, language: str, cycle: int) -> User:
    email = _email_of(name, cycle)
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": name, "preferred_language": language}
    )
    if created:
        user.set_password("demo")
        user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _changes(dossier: dict, items: dict, user: User, cycle: int) -> dict:
    """The dossier as an applicant's save sends it. Beyond the pool's size (benchmarks ask for hundreds),
    the same texts come back with a numbered title."""
    launched_on = dossier.get("launched_on")
    return {
        "title": dossier["title"] if not cycle else f"{dossier['title']} ({cycle + 1})",
        "summary": dossier["summary"],
        "description": dossier["description"].strip(),
        "expected_results": dossier["expected_results"],
        "themes": [items["themes"][code] for code in dossier["themes"]],
        "domains": [items["domains"][code] for code in dossier["domains"] if code in items["domains"]],
        "format": items["formats"].get(dossier["format"]) if dossier["format"] else None,
        "trl": dossier["trl"],
        "already_launched": launched_on is not None,
        "launched_on": launched_on,
        "carrier_name": dossier["carrier"]["name"],
        "carrier_type": dossier["carrier"]["type"],
        "carrier_country": dossier["carrier"]["country"],
        "contact_name": user.full_name,
        "contact_email": user.email,
        "partners": [
            {"organisation": name, "organisation_type": kind, "country": country, "role": role}
            for name, kind, country, role in dossier["partners"]
        ],
        "datasets": [
            {"name": name, "origin_country": country, "licence": licence}
            for name, country, licence in dossier["datasets"]
        ],
        "claims": {items["criteria"][code]: text for code, text in dossier["claims"].items()},
    }


def _backdate(application: Application, created: datetime, submitted: datetime | None) -> None:
    Application.objects.filter(pk=application.pk).update(created_at=created, updated_at=submitted or created)
    ApplicationEvent.objects.filter(application=application, kind=ApplicationEvent.Kind.CREATED).update(at=created)
    ApplicationEvent.objects.filter(application=application).exclude(kind=ApplicationEvent.Kind.CREATED).update(
        at=submitted or created
    )
    if submitted is not None:
        Application.objects.filter(pk=application.pk).update(submitted_at=submitted)
        Submission.objects.filter(application=application).update(submitted_at=submitted)


def _arrival_times(rng: random.Random, start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """When a dossier was started and submitted: starts spread over the call, submissions late (as in
    every call, most dossiers arrive in the last days)."""
    span = (end - start).total_seconds()
    created = start + timedelta(seconds=span * rng.betavariate(1.2, 1.6))
    submitted = created + timedelta(seconds=(end - created).total_seconds() * rng.betavariate(2.5, 1.2))
    return created, submitted


@transaction.atomic
def seed_demo_applications(
    *, call: Call, count: int, seed: int = 2024, pool: str = "current", arrivals_until: datetime | None = None
) -> dict[str, int]:
    """Create `count` dossiers from the pool, in order; drafts of the pool stay drafts. They arrive between the
    call's opening and `arrivals_until` (by default now, or the deadline if it has passed)."""
    rng = random.Random(seed)
    dossiers = demo_dossiers(pool)
    items = services.call_items_by_code(call)
    outcome = {"submitted": 0, "draft": 0}
    window_end = arrivals_until or min(timezone.now(), call.closes_at)
    staff = [spec["email"] for spec in DEMO_ACCOUNTS]
    first = call.applications.exclude(owner__email__in=staff).count()
    for index in range(first, first + count):
        dossier = dossiers[index % len(dossiers)]
        cycle = index // len(dossiers)
        user = _account(dossier["contact"], dossier["language"], cycle)
        application = services.application_create(call=call, user=user, changes=_changes(dossier, items, user, cycle))
        created, submitted = _arrival_times(rng, call.opens_at, window_end)
        if dossier.get("draft"):
            _backdate(application, created, None)
            outcome["draft"] += 1
            continue
        services.application_submit(application_id=application.pk, user=user)
        _backdate(application, created, submitted)
        outcome["submitted"] += 1
    return outcome
