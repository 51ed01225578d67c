"""A throw-away platform for an in-process benchmark: demo settings, a temporary var/ directory (SQLite), or,
when DATABASE_URL is set, a fresh database `<name>_<suffix>` on that server. Call before django.setup()."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def use_throwaway_platform(suffix: str, *, eager_tasks: bool) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "convergence.settings"
    os.environ["CONVERGENCE_DEMO"] = "1"
    os.environ["CONVERGENCE_VAR_DIR"] = tempfile.mkdtemp(prefix=f"convergence-{suffix}-")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    if eager_tasks:
        os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    else:
        os.environ.pop("CELERY_TASK_ALWAYS_EAGER", None)  # tasks go to the broker, as in production
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if os.environ.get("DATABASE_URL"):
        parts = urlsplit(os.environ["DATABASE_URL"])
        name = f"{parts.path.lstrip('/') or 'convergence'}_{suffix}"
        import psycopg

        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
