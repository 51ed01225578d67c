"""What the organisers' and the committee's pages cost: the dashboard, its charts, the meeting table, the public
statistics, on a call of N dossiers under early review and a completed edition with its whole round.

Builds a throw-away SQLite database (or uses DATABASE_URL's server, in a database `<name>_insights`), then sends
each request R times through Django's whole stack (no network) and prints the median milliseconds and the SQL
queries of each, with a trivial page (the site map) measured in the same process as the baseline.

RESULT insights <request> ms=… queries=… ratio=…   (ratio = median ÷ the baseline's median)
Usage: python bench/insights.py [--repeat R] [--dossiers N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from throwaway import use_throwaway_platform  # noqa: E402

use_throwaway_platform("insights", eager_tasks=True)

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from convergence.accounts.models import User  # noqa: E402
from convergence.calls.selectors import call_current  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--dossiers", type=int, default=300, help="dossiers in the open call")
    parser.add_argument("--profile", action="append", default=[], help="print pyinstrument's call tree of REQUEST")
    args = parser.parse_args()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    calls = ROOT / "calls" / "convergence-ia-2025.yaml"
    call_command("load_call", str(calls), "--demo", verbosity=0)
    call_command("create_demo_accounts", verbosity=0)
    call_command("seed_demo", "--applications", str(args.dossiers), verbosity=0)
    call_command("seed_committee", "--early-review", verbosity=0)
    call_command("seed_completed_edition", str(calls), verbosity=0)
    current = call_current()
    first_submitted = current.applications.filter(status="submitted").order_by("pk").first().pk
    print(f"seeded {args.dossiers} dossiers and a completed edition in {time.perf_counter() - started:.0f} s")
    client = Client()
    client.force_login(User.objects.get(email="organiser@demo.test"))
    dashboard = f"/backoffice/calls/{current.slug}/insights/"
    past = "convergence-ia-2024-2025"

    def chart_cold():
        cache.clear()
        return client.get(f"{dashboard}countries.svg")

    requests = {
        "baseline-site-map": lambda: client.get("/site-map/"),
        "dashboard": lambda: client.get(dashboard),
        "chart-map-cached": lambda: client.get(f"{dashboard}countries.svg"),
        "chart-map-cold": chart_cold,
        "api-insights": lambda: client.get(f"/api/v1/calls/{current.slug}/insights/"),
        "meeting-open-call": lambda: client.get(f"/selection/{current.slug}/meeting/"),
        "meeting-edition": lambda: client.get(f"/selection/{past}/meeting/?dossier=1"),
        "statistics": lambda: client.get("/statistics/"),
        "triage-open-call": lambda: client.get(f"/backoffice/calls/{current.slug}/triage/"),
        "similar-dossier": lambda: client.get(f"/insights/dossiers/{first_submitted}/similar/"),
    }
    baseline = None
    print(f"{'request':<20} {'median ms':>10} {'queries':>8} {'ratio':>7}   ({args.repeat} runs, {connection.vendor})")
    for name, send in requests.items():
        assert send().status_code == 200, name
        durations = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            response = send()
            durations.append(time.perf_counter() - start)
            assert response.status_code == 200, (name, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            send()
        median = 1000 * statistics.median(durations)
        baseline = baseline or median
        print(f"{name:<20} {median:>10.2f} {len(queries):>8} {median / baseline:>7.1f}")
        print(f"RESULT insights {name} ms={median:.3f} queries={len(queries)} ratio={median / baseline:.2f}")
        if name in args.profile:
            from pyinstrument import Profiler

            with Profiler(interval=0.0005) as profiler:
                send()
            print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
