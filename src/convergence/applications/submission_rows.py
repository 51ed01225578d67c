"""The rows a submit writes: the dossier marked submitted, the frozen version with its receipt number, the event.

On PostgreSQL the four writes (the receipt number, the dossier, the submission, the event) go to the database as
one statement. On the deadline night a submit's round trips cost the server and the database more than the work
they carry: one statement instead of four took a fifth off a submit's CPU in the server (bench/profile_requests.py,
README). SQLite writes one transaction at a time and has no statement that writes two tables: there the ORM
writes them one by one. Both ways write the same rows, and the suite runs each on its database.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.db import connection
from django.db.models import F, Field, Model

from convergence.calls.receipt_numbers import next_receipt_number, next_receipt_number_sql

from .models import Application, ApplicationEvent, Submission


def submission_rows_write(
    *,
    application: Application,
    user,
    now: datetime,
    number: int,
    content: dict[str, Any],
    digest: str,
    idempotency_key: str,
    unsubmitted_changes: bool,
) -> Submission:
    """Mark `application` submitted (one version more), store `content` as its submission number `number` with the
    call's next receipt number, and record the event. The caller holds the dossier's row lock."""
    dossier = {
        "status": Application.Status.SUBMITTED,
        "submitted_at": now,
        # Changes made before the deadline to fields no completion reopened stay unsubmitted.
        "has_unsubmitted_changes": unsubmitted_changes,
        "updated_at": now,
    }
    submission = Submission(
        application=application,
        number=number,
        submitted_at=now,
        submitted_by=user,
        content=content,
        digest=digest,
        idempotency_key=idempotency_key,
    )
    event = ApplicationEvent.build(
        ApplicationEvent.Kind.SUBMITTED,
        user,
        {"digest": digest},  # and the receipt number, once taken
        application=application,
        from_status=application.status,
        to_status=Application.Status.SUBMITTED,
    )
    if connection.vendor == "postgresql":
        _write_in_one_statement(application, dossier, submission, event)
    else:
        Application.objects.filter(pk=application.pk).update(version=F("version") + 1, **dossier)
        submission.receipt_number = next_receipt_number(application.call)
        submission.save(force_insert=True)
        event.details = {"receipt": submission.receipt_number, **event.details}
        event.save(force_insert=True)
    return submission


def _write_in_one_statement(
    application: Application, dossier: dict[str, Any], submission: Submission, event: ApplicationEvent
) -> None:
    receipt_sql, params = next_receipt_number_sql(application.call)
    assignments = ", ".join(f"{_column(Application, name)} = %s" for name in dossier)
    params += [_prepared(Application, name, value) for name, value in dossier.items()] + [application.pk]
    version = _column(Application, "version")
    submission_sql, submission_params = _insert(Submission, submission, {"receipt_number": "receipt.number"})
    event_sql, event_params = _insert(
        ApplicationEvent, event, {"details": "%s || jsonb_build_object('receipt', receipt.number)"}
    )
    sql = (
        f"WITH receipt (number) AS ({receipt_sql}),"  # noqa: S608 (the models' own tables and columns)
        f" dossier AS (UPDATE {Application._meta.db_table} SET {version} = {version} + 1, {assignments}"
        f" WHERE {_column(Application, 'id')} = %s),"
        f" submission AS ({submission_sql} RETURNING {_column(Submission, 'id')}),"
        f" event AS ({event_sql})"
        " SELECT submission.id, receipt.number FROM submission, receipt"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params + submission_params + event_params)
        submission.pk, submission.receipt_number = cursor.fetchone()
    submission._state.adding, submission._state.db = False, connection.alias  # as the ORM leaves a row it saved


def _insert(model: type[Model], row: Model, computed: dict[str, str]) -> tuple[str, list]:
    """INSERT of `row` (every concrete field but its id) that reads the statement's receipt: a field in
    `computed` takes that SQL (where a %s stands for its own value), the others their value as the ORM sends it
    (after the field's pre_save: an `auto_now_add` time is taken now, as when the ORM saves)."""
    columns, values, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(cast(str, field.column)))
        values.append(computed.get(field.name, "%s"))
        if "%s" in values[-1]:
            params.append(field.get_db_prep_save(field.pre_save(row, True), connection))
    return f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM receipt", params  # noqa: S608


def _column(model: type[Model], name: str) -> str:
    return connection.ops.quote_name(cast(str, _field(model, name).column))


def _prepared(model: type[Model], name: str, value: Any) -> Any:
    return _field(model, name).get_db_prep_save(value, connection)


def _field(model: type[Model], name: str) -> Field:
    return cast(Field, model._meta.get_field(name))
