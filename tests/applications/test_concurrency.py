"""Concurrent saves and submissions: every outcome is whole, none is lost or half-saved."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection

from convergence.applications import services
from convergence.applications.errors import ApplicationError
from convergence.applications.models import Application, Submission
from tests.conftest import complete_changes_for, make_user


def run_together(functions):
    barrier = threading.Barrier(len(functions))
    outcomes = [None] * len(functions)

    def worker(index, function):
        try:
            barrier.wait()
            outcomes[index] = function()
        except ApplicationError as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_tabs_saving_the_same_version_one_wins_one_is_told(call):
    applicant = make_user("tabs@example.org")
    application = services.application_create(call=call, user=applicant)
    version = application.version

    def save(title):
        return lambda: services.application_update(
            application=Application.objects.get(pk=application.pk),
            user=applicant,
            expected_version=version,
            changes={"title": title},
        )

    outcomes = run_together([save("tab A"), save("tab B")])
    winners = [o for o in outcomes if isinstance(o, Application)]
    refused = [o for o in outcomes if isinstance(o, ApplicationError)]
    assert len(winners) == 1 and len(refused) == 1
    assert refused[0].code == "stale_version"
    assert Application.objects.get(pk=application.pk).title == winners[0].title


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_at_the_deadline_are_whole(call):
    applications = []
    for index in range(8):
        user = make_user(f"rush{index}@example.org")
        applications.append(
            (services.application_create(call=call, user=user, changes=complete_changes_for(call)), user)
        )

    def submit(application, user):
        return lambda: services.application_submit(application=application, user=user)

    with time_machine.travel(call.closes_at - timedelta(seconds=1), tick=True):
        outcomes = run_together([submit(a, u) for a, u in applications])

    for (application, _user), outcome in zip(applications, outcomes, strict=True):
        application.refresh_from_db()
        if isinstance(outcome, Submission):
            assert application.status == "submitted"
            assert application.submissions.count() == 1
        else:
            assert outcome.code == "deadline_passed", outcome
            assert application.status == "draft"
            assert not application.submissions.exists()
    numbers = sorted(Submission.objects.values_list("receipt_number", flat=True))
    assert len(numbers) == len(set(numbers))
    assert numbers == [f"CIA-2024-{n:06d}" for n in range(1, len(numbers) + 1)]
    assert numbers, "at least the first submissions fall before the deadline"
