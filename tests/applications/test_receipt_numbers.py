"""Receipt numbers: one series per call, none shared, and on PostgreSQL no lock that every submission waits on."""

import threading

import pytest
from django.db import connection, transaction

from convergence.applications import services
from convergence.calls.models import Call
from convergence.calls.receipt_numbers import receipt_sequence_name
from tests.conftest import ready_dossier


@pytest.mark.django_db
def test_a_call_that_gave_receipts_before_it_had_a_sequence_continues_its_series(call):
    # As a call from before sequences: 41 receipts counted in its row, no sequence yet (made at the first submit).
    Call.objects.filter(pk=call.pk).update(receipt_counter=41)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SEQUENCE " + receipt_sequence_name(call.pk))
    first, first_owner = ready_dossier(call, "first@example.org")
    second, second_owner = ready_dossier(call, "second@example.org")

    numbers = [
        services.application_submit(application_id=first.pk, user=first_owner).receipt_number,
        services.application_submit(application_id=second.pk, user=second_owner).receipt_number,
    ]

    assert numbers == ["CIA-2024-000042", "CIA-2024-000043"]


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_submission_does_not_wait_for_another_of_the_same_call_to_commit(call):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write at a time")
    first, first_owner = ready_dossier(call, "open@example.org")
    second, second_owner = ready_dossier(call, "meanwhile@example.org")
    first_submitted, second_done = threading.Event(), threading.Event()
    outcome = {}

    def submit_and_hold():
        try:
            with transaction.atomic():
                outcome["first"] = services.application_submit(application_id=first.pk, user=first_owner)
                first_submitted.set()
                second_done.wait(timeout=30)  # holds its transaction open, as a slow commit would
        finally:
            connection.close()

    holder = threading.Thread(target=submit_and_hold)
    holder.start()
    try:
        assert first_submitted.wait(timeout=30)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")  # waiting on the first one's lock fails here
            outcome["second"] = services.application_submit(application_id=second.pk, user=second_owner)
    finally:
        second_done.set()
        holder.join(timeout=30)

    assert outcome["first"].receipt_number == "CIA-2024-000001"
    assert outcome["second"].receipt_number == "CIA-2024-000002"
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM " + receipt_sequence_name(call.pk))  # noqa: S608 (an integer's name)
        assert cursor.fetchone() == (2,)
