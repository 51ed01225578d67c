"""The rows a submit writes, the same on SQLite (one ORM write after another) and on PostgreSQL (one statement)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from convergence.applications import services
from convergence.applications.models import Application, ApplicationEvent, Submission
from convergence.calls.models import Call
from convergence.calls.receipt_numbers import receipt_sequence_name
from tests.conftest import ready_dossier

pytestmark = pytest.mark.django_db


def test_a_submit_writes_the_dossier_the_submission_and_the_event_as_it_answers_them(call):
    dossier, owner = ready_dossier(call, "rows@example.org")

    answered = services.application_submit(application_id=dossier.pk, user=owner, idempotency_key="first-try")

    stored = Submission.objects.get()
    assert stored.pk == answered.pk
    assert answered._state.adding is False
    assert (stored.receipt_number, stored.number, stored.submitted_by, stored.idempotency_key) == (
        "CIA-2024-000001",
        1,
        owner,
        "first-try",
    )
    assert (stored.content, stored.digest) == (answered.content, answered.digest)
    assert stored.digest == services.content_digest(stored.content)
    assert stored.submitted_at == answered.submitted_at
    assert stored.receipt_emailed_at is None  # for the worker, after the commit
    dossier_now = Application.objects.get(pk=dossier.pk)
    assert (dossier_now.status, dossier_now.version, dossier_now.has_unsubmitted_changes) == (
        Application.Status.SUBMITTED,
        dossier.version + 1,
        False,
    )
    assert dossier_now.submitted_at == dossier_now.updated_at == stored.submitted_at
    event = ApplicationEvent.objects.get(application=dossier, kind=ApplicationEvent.Kind.SUBMITTED)
    assert (event.actor, event.from_status, event.to_status) == (owner, "draft", "submitted")
    assert event.details == {"receipt": "CIA-2024-000001", "digest": stored.digest}
    assert event.at >= stored.submitted_at


def test_past_a_million_receipts_the_number_grows_a_digit_rather_than_wrapping(call):
    Call.objects.filter(pk=call.pk).update(receipt_counter=999_998)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER SEQUENCE {receipt_sequence_name(call.pk)} RESTART WITH 999999")
    numbers = []
    for email in ("a@example.org", "b@example.org"):
        dossier, owner = ready_dossier(call, email)
        numbers.append(services.application_submit(application_id=dossier.pk, user=owner).receipt_number)

    assert numbers == ["CIA-2024-999999", "CIA-2024-1000000"]
    assert set(ApplicationEvent.objects.filter(kind="submitted").values_list("details__receipt", flat=True)) == set(
        numbers
    )


def test_on_postgresql_a_submit_writes_its_rows_in_one_statement(call):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no statement that writes several tables")
    dossier, owner = ready_dossier(call, "one@example.org")

    with CaptureQueriesContext(connection) as queries:
        services.application_submit(application_id=dossier.pk, user=owner)

    writes = [
        sql for sql in (q["sql"] for q in queries) if sql.startswith("UPDATE") or "INSERT" in sql or "nextval" in sql
    ]
    assert len(writes) == 1
    assert Submission.objects.count() == 1 and ApplicationEvent.objects.filter(kind="submitted").count() == 1
