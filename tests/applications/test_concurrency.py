"""Concurrent saves and submissions: every outcome is whole, none is lost or half-saved."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection

from convergence.applications import services
from convergence.applications.errors import ApplicationError
from convergence.applications.models import Application, Submission
from tests.conftest import complete_changes_for, make_user, ready_dossier


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
        return lambda: services.application_submit(application_id=application.pk, user=user)

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


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", ["no version", "same version", "same key"])
def test_a_doubled_submit_of_one_dossier_gives_one_receipt(call, how):
    application, user = ready_dossier(call, f"double-{how.replace(' ', '-')}@example.org")
    version = application.version

    def submit():
        return services.application_submit(
            application_id=application.pk,
            user=user,
            expected_version=version if how == "same version" else None,
            idempotency_key="retry-7f3a" if how == "same key" else "",
        )

    outcomes = run_together([submit, submit, submit])

    assert all(isinstance(outcome, Submission) for outcome in outcomes), outcomes
    assert sorted(outcome.replayed for outcome in outcomes) == [False, True, True]
    assert len({outcome.receipt_number for outcome in outcomes}) == 1
    assert Submission.objects.filter(application=application).count() == 1
    assert application.events.filter(kind="submitted").count() == 1


def _save_and_submit_together(call, email):
    application, user = ready_dossier(call, email)
    version = application.version

    def save():
        return services.application_update(
            application=Application.objects.get(pk=application.pk),
            user=user,
            expected_version=version,
            changes={
                "title": "Après",
                "partners": [{"organisation": "Après Lab", "organisation_type": "research", "country": "CA"}],
            },
        )

    def submit():
        return services.application_submit(application_id=application.pk, user=user)

    saved, submitted = run_together([save, submit])
    return application, saved, submitted


@pytest.mark.django_db(transaction=True)
def test_a_save_during_a_submit_never_mixes_two_contents(call):
    """The snapshot is either wholly before the save or wholly after it (title and partners together)."""
    for round_ in range(6):
        application, saved, submitted = _save_and_submit_together(call, f"mix{round_}@example.org")

        assert isinstance(submitted, Submission), submitted
        content = submitted.content
        partners = [partner["organisation"] for partner in content["partners"]]
        if content["title"] == "Après":
            assert partners == ["Après Lab"]
        else:
            assert "Après Lab" not in partners
        if isinstance(saved, Application):
            application.refresh_from_db()
            # The save after the submission leaves the dossier marked as changed; before it, nothing is pending.
            assert application.has_unsubmitted_changes == (content["title"] != "Après")
        else:
            assert saved.code == "stale_version"
            assert content["title"] != "Après"


@pytest.mark.django_db(transaction=True)
def test_a_withdrawal_outside_any_transaction_takes_its_own(call):
    # A view calls the service in autocommit: the service's own transaction is what lets it lock the dossier.
    application, user = ready_dossier(call, "withdraw@example.org")
    services.application_submit(application_id=application.pk, user=user)
    withdrawn = services.application_withdraw(application=Application.objects.get(pk=application.pk), user=user)
    assert withdrawn.status == Application.Status.WITHDRAWN
