"""The database connection as settings build it: prepared statements on PostgreSQL, unless a pooler forbids them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from convergence.calls.models import Call

SRC = Path(__file__).resolve().parents[2] / "src"


def _database_options(**environment: str) -> dict:
    """DATABASES["default"]["OPTIONS"] as the settings module builds it in a process started with `environment`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DATABASE_PREPARED_STATEMENTS", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(PYTHONPATH=str(SRC), DJANGO_SECRET_KEY="test", DJANGO_DEBUG="1", **environment)
    script = (
        "import json; from convergence import settings;"
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
    )
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_postgresql_connections_send_parameters_apart_and_prepare_repeated_statements():
    options = _database_options(DATABASE_URL="postgres://someone@db.example:5432/convergence")
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5


def test_prepared_statements_can_be_turned_off_for_a_pooler_that_cannot_keep_them():
    options = _database_options(
        DATABASE_URL="postgres://someone@db.example:5432/convergence", DATABASE_PREPARED_STATEMENTS="0"
    )
    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options


def test_sqlite_keeps_its_own_options():
    options = _database_options()
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "server_side_binding" not in options


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
@pytest.mark.django_db
def test_a_statement_run_again_and_again_is_planned_once_by_postgresql(call):
    for _ in range(6):
        assert Call.objects.filter(pk=call.pk).values_list("slug", flat=True).first() == call.slug
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any(Call._meta.db_table in statement and '"slug"' in statement for statement in prepared), prepared
