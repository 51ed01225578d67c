"""Where the time of a request goes: the deadline night's requests profiled through Django's whole stack.

Builds a throw-away SQLite database (or uses DATABASE_URL's server, in a database `<name>_profile`), then
sends each request R times through the WSGI handler (middleware included, no network) and prints, per
request: median milliseconds, SQL queries, CPU milliseconds spent in this process (Django, the ORM, the
driver, the broker's client) and, on PostgreSQL, in the database's own process for this connection (read
from /proc, so the database must run on this machine), and with --profile the pyinstrument call tree of
one run. CPU time varies much less than wall time on a shared machine: compare requests by it.

RESULT profile-requests <request> ms=… queries=… cpu_ms=… db_cpu_ms=…
Usage: python bench/profile_requests.py [--repeat R] [--profile] [--catalogue N] [--only NAME,NAME]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from proc_stat import process_cpu_seconds  # noqa: E402
from throwaway import use_throwaway_platform  # noqa: E402

use_throwaway_platform("profile", eager_tasks=False)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rush_data import make_drafts, prepare  # noqa: E402

from convergence.applications.models import Application  # noqa: E402
from convergence.calls.models import Call  # noqa: E402


def _database_cpu_seconds() -> float | None:
    """CPU seconds the PostgreSQL backend of this connection has used so far, or None (SQLite, or a remote server)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        return process_cpu_seconds(pid)
    except OSError:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", action="store_true", help="print pyinstrument's call tree of each request")
    parser.add_argument("--catalogue", type=int, default=1000)
    parser.add_argument("--only", default="", help="the requests to measure, e.g. api-call-detail,api-submit")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    data = prepare(str(ROOT / "calls" / "convergence-ia-2025.yaml"), [1], args.repeat + 10, args.catalogue)
    drafts = data["levels"]["1"]
    client = Client()
    token = {"HTTP_AUTHORIZATION": f"Token {drafts[0]['token']}"}
    submits = iter(drafts)
    # Most applicants submit through the review page, logged in with a session (opened beforehand: logging in
    # is not part of the submit's cost).
    page_drafts = []
    call = Call.objects.get(slug=data["call"])
    owned = [draft["id"] for draft in make_drafts(call, args.repeat + 10, offset=10**6)]
    for draft in Application.objects.select_related("owner").filter(pk__in=owned):
        page_client = Client()
        page_client.handler = client.handler  # one middleware chain, loaded once, as in a server process
        page_client.force_login(draft.owner)
        page_drafts.append((page_client, draft))
    page_submits = iter(page_drafts)

    def submit():
        draft = next(submits)
        return client.post(
            f"/api/v1/applications/{draft['id']}/submit/",
            "{}",
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {draft['token']}",
        )

    def page_submit():
        page_client, draft = next(page_submits)
        return page_client.post(f"/dossiers/{draft.pk}/edit/review/", {"version": draft.version})

    requests = {
        "api-call-detail": lambda: client.get(f"/api/v1/calls/{data['call']}/", **token),
        "api-submit": submit,
        "page-submit": page_submit,
        "page-call": lambda: client.get("/"),
        "page-catalogue": lambda: client.get("/catalogue/"),
        "open-data-json": lambda: client.get("/open-data/challenges.json"),
        "page-programme": lambda: client.get("/programme/"),
    }
    print(
        f"{'request':<18} {'median ms':>10} {'queries':>8} {'CPU ms':>8} {'db CPU ms':>10}"
        f"   ({args.repeat} runs, {connection.vendor})"
    )
    chosen = set(args.only.split(",")) if args.only else set(requests)
    if chosen - set(requests):
        parser.error(f"unknown request(s): {', '.join(sorted(chosen - set(requests)))}; known: {', '.join(requests)}")
    for name, send in requests.items():
        if name not in chosen:
            continue
        assert send().status_code in (200, 201, 302), name  # warm: code loaded, caches filled
        durations = []
        database_before, cpu_before = _database_cpu_seconds(), time.process_time()
        for _ in range(args.repeat - 1):
            start = time.perf_counter()
            response = send()
            durations.append(time.perf_counter() - start)
            assert response.status_code in (200, 201, 302), (name, response.status_code)
        cpu_ms = 1000 * (time.process_time() - cpu_before) / (args.repeat - 1)
        database_after = _database_cpu_seconds()
        database_ms = (
            1000 * (database_after - database_before) / (args.repeat - 1)
            if database_before is not None and database_after is not None
            else float("nan")
        )
        with CaptureQueriesContext(connection) as queries:
            send()
        median = 1000 * statistics.median(durations)
        print(f"{name:<18} {median:>10.2f} {len(queries):>8} {cpu_ms:>8.2f} {database_ms:>10.2f}")
        print(
            f"RESULT profile-requests {name} ms={median:.3f} queries={len(queries)}"
            f" cpu_ms={cpu_ms:.3f} db_cpu_ms={database_ms:.3f}"
        )
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            with profiler:
                for _ in range(5):
                    send()
            print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
