"""Receipt numbers: one series per call, never shared by two submissions, taken last in a submit's transaction.

SQLite runs one write at a time, so the call's row keeps the counter. On PostgreSQL that row would be the lock
every submission of the call queues on, from its number until its commit (the deadline night's last hour is
spent there); a sequence per call hands out numbers without a lock. A sequence does not roll back: a submit
whose transaction fails after taking its number leaves a gap in the series. A receipt number identifies a
submission; it does not count them.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

from .models import Call

# The sequences this process has seen committed. A call's sequence is made when the call is loaded (see
# call_load), or else by its first submit.
_sequences_made: set[str] = set()


def receipt_sequence_name(call_id: int) -> str:
    return f"calls_call_receipts_{int(call_id)}"


def next_receipt_number(call: Call) -> str:
    """The call's next receipt number, e.g. `CIA-2025-000042`."""
    postgresql = connection.vendor == "postgresql"
    counter = _next_from_sequence(call.pk) if postgresql else _next_from_counter(call.pk)
    return f"{call.receipt_prefix}-{counter:06d}"


def _next_from_counter(call_id: int) -> int:
    # The UPDATE holds the call's row until commit: two submissions never share a number.
    table = Call._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET receipt_counter = receipt_counter + 1 WHERE id = %s RETURNING receipt_counter",  # noqa: S608 (the model's own table name)
            [call_id],
        )
        (counter,) = cursor.fetchone()
    return counter


def receipt_series_ensure(call: Call) -> None:
    """Make the call's series ready, so that its first submissions do not wait on the one creating it."""
    if connection.vendor == "postgresql":
        _sequence_create(call.pk, receipt_sequence_name(call.pk))


def next_receipt_number_sql(call: Call) -> tuple[str, list]:
    """A query of one row and column, the call's next receipt number (PostgreSQL): for a statement that takes its
    number and writes it in one go. Gives what next_receipt_number gives."""
    return (
        "SELECT %s || '-' || lpad(n::text, greatest(6, length(n::text)), '0') FROM nextval(%s::regclass) AS n",
        [call.receipt_prefix, _sequence_ready(call.pk)],
    )


def _next_from_sequence(call_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s::regclass)", [_sequence_ready(call_id)])
        (counter,) = cursor.fetchone()
    return counter


def _sequence_ready(call_id: int) -> str:
    """The name of the call's sequence, made first if this process has not seen it."""
    name = receipt_sequence_name(call_id)
    if name not in _sequences_made:
        _sequence_create(call_id, name)
    return name


def _sequence_create(call_id: int, name: str) -> None:
    """Create the call's sequence if it is missing, starting after the numbers its counter gave (a call that
    took submissions before it had a sequence, or on SQLite, continues its series)."""
    given = Call.objects.filter(pk=call_id).values_list("receipt_counter", flat=True).get()
    try:
        # A savepoint: another process creating it at the same moment fails this one, not the submit.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {name} START WITH {given + 1}")  # integers only
    except IntegrityError:
        pass  # the other one made it
    # Known once committed: a rolled-back creation leaves no sequence behind.
    transaction.on_commit(lambda: _sequences_made.add(name))
