"""The fixed cast of personas and the Convergence IA call, open now (demo dates)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from reportlab.pdfgen import canvas
from rest_framework.test import APIClient

from convergence.accounts.models import User
from convergence.calls.services import call_load

CALL_FILE = Path(__file__).resolve().parent.parent / "calls" / "convergence-ia-2025.yaml"


def make_user(email: str, **fields) -> User:
    user = User.objects.create_user(email=email, password="correct horse battery", **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, as a newly deployed server does."""
    from django.core.cache import cache

    from convergence.review.selectors import _RANKINGS

    cache.clear()
    _RANKINGS.clear()  # the meeting's ranking kept in the process (a rolled-back test may reuse its ids)
    yield


class Broker:
    """Stands for the broker in tests: while `down`, every publish is refused as kombu refuses it (and counted)."""

    def __init__(self, monkeypatch):
        from celery.app.task import Task

        self.down = False
        self.refused: list[str] = []
        publish = Task.apply_async

        def apply_async(task, *args, **kwargs):
            if self.down:
                from kombu.exceptions import OperationalError

                self.refused.append(task.name)
                raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
            return publish(task, *args, **kwargs)

        monkeypatch.setattr(Task, "apply_async", apply_async)


@pytest.fixture(autouse=True)
def broker(monkeypatch):
    """The broker, up unless a test says `broker.down = True`; and no refusal remembered from another test."""
    from convergence.core import queueing

    monkeypatch.setattr(queueing, "_refused_at", None)
    return Broker(monkeypatch)


@pytest.fixture
def call(db):
    return call_load(text=CALL_FILE.read_text(encoding="utf-8"), source=str(CALL_FILE), demo=True)


@pytest.fixture
def real_dates_call(db):
    return call_load(text=CALL_FILE.read_text(encoding="utf-8"), source=str(CALL_FILE), demo=False)


@pytest.fixture
def applicant(db):
    return make_user("amina@example.org", full_name="Amina Porteuse")


@pytest.fixture
def other_applicant(db):
    return make_user("ben@example.com", full_name="Ben Carrier", preferred_language="en")


@pytest.fixture
def organiser(db):
    return make_user("olivia@example.gouv.fr", full_name="Olivia", is_organiser=True)


@pytest.fixture
def reviewer(db):
    return make_user("rita@example.edu", full_name="Rita", is_committee_member=True)


@pytest.fixture
def keep_test_connection():
    """For tests calling the WSGI application directly (schemathesis, a generated client): it would close the
    test's database connection after each request, as Django does between real requests; Django's own test
    client disconnects these signals too."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_client():
    return APIClient()


def pdf_bytes(text: str = "Convergence") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


@pytest.fixture
def complete_changes(call):
    return complete_changes_for(call)


def complete_changes_for(call) -> dict:
    """Everything a dossier needs to be submitted."""
    themes = list(call.themes.all())
    return {
        "title": "Détection précoce du paludisme",
        "summary": "Un diagnostic assisté par IA sur frottis sanguins.",
        "description": "Description complète du défi.",
        "themes": themes[:2],
        "domains": [call.domains.get(code="health")],
        "format": call.formats.get(number=1),
        "trl": 4,
        "already_launched": False,
        "expected_results": "Un prototype évalué sur 1 000 lames.",
        "carrier_name": "Institut Exemple",
        "carrier_type": "research",
        "carrier_country": "FR",
        "contact_name": "Amina Porteuse",
        "contact_email": "amina@example.org",
        "partners": [
            {"organisation": "Addis AI Lab", "organisation_type": "research", "country": "ET", "role": "data"},
            {"organisation": "Montreal Health", "organisation_type": "company", "country": "CA", "role": ""},
        ],
        "datasets": [{"name": "Lames annotées", "origin_country": "CI", "licence": "CC-BY 4.0"}],
        "claims": {call.criteria.get(number=1): "Partenaires en Éthiopie et au Canada."},
    }


@pytest.fixture
def draft(call, applicant):
    from convergence.applications.services import application_create

    return application_create(call=call, user=applicant)


@pytest.fixture
def complete_draft(call, applicant, complete_changes):
    from convergence.applications.services import application_create

    return application_create(call=call, user=applicant, changes=complete_changes)


def ready_dossier(call, email: str):
    """A complete draft of a new applicant, ready to submit: (dossier, its owner)."""
    from convergence.applications.services import application_create

    user = make_user(email)
    return application_create(call=call, user=user, changes=complete_changes_for(call)), user


@pytest.fixture
def real_broker():
    """Tasks go to the configured broker, as outside the tests (the suite otherwise runs them at once, eagerly)."""
    from convergence import celery_app

    celery_app.conf.task_always_eager = False
    try:
        yield celery_app
    finally:
        celery_app.conf.task_always_eager = True


def wait_for_coalesced_publishes() -> None:
    """Until the messages this process holds for a moment (core/queueing.py) have been published."""
    from convergence.core import queueing

    for timer in list(queueing._publish_due.values()):
        timer.join(timeout=10)


def pytest_sessionfinish(session, exitstatus):
    # In CI the services are there: a skipped test would hide a missing one, so it fails the run.
    if os.environ.get("CONVERGENCE_REQUIRE_SERVICES"):
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None and reporter.stats.get("skipped"):
            session.exitstatus = 1


@pytest.fixture
def completed_edition(db, organiser):
    """The demo's completed edition (its whole committee round, labels, reports and programme), seeded with the
    demo committee's accounts as create_demo_accounts makes them."""
    from convergence.accounts.services import DEMO_ACCOUNTS
    from convergence.execution.demo import seed_completed_edition

    for spec in DEMO_ACCOUNTS:
        if spec["email"].startswith("reviewer"):
            make_user(spec["email"], full_name=spec["full_name"], is_committee_member=True)
        if spec["email"].startswith("expert"):
            make_user(spec["email"], full_name=spec["full_name"])
    return seed_completed_edition(
        text=CALL_FILE.read_text(encoding="utf-8"),
        source=str(CALL_FILE),
        slug="convergence-ia-2024-2025",
        receipt_prefix="CIA-24E",
        organiser=organiser,
    )
