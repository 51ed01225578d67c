"""Deadline night: the last-hour rush of submissions, against the platform started as a user starts it.

Starts the production server (gunicorn with the project's gunicorn.conf.py) and a Celery worker beside it:
- embedded default (no DATABASE_URL): SQLite and the SQLite broker in a throw-away folder, as `make run`;
- with DATABASE_URL (PostgreSQL): a throw-away database `<name>_rush` on that server, and the broker of
  CELERY_BROKER_URL (Redis in CI) or the SQLite one.
Creates, for each concurrency level, N applicants holding complete drafts (tokens, no password hashing),
then fires their N submits at once from a bounded client on loopback (one connection per request, as N
browsers would), and counts the rows: every 2xx must have exactly one submission and one receipt, no
refused request may have left one. Then the same with N more applicants submitting from the review page
(a logged-in session, a CSRF token; accepted means the redirect to the dossier). In the same run it
measures a trivial authenticated GET (`/api/v1/calls/<slug>/`) at the same concurrency, a wave of logins
(passwords stored with Argon2id, and with PBKDF2 as before, upgraded at login), and the public pages alone
and under load. It reads /proc to tell how many CPU milliseconds each kind of process (gunicorn, worker,
database, broker, this client) spent per request. Prints tables and:

RESULT deadline-rush <server> conc=<c> submit_per_s=… p50_ms=… p99_ms=… errors=… lost=… duplicated=…
       get_per_s=… ratio=… submit_web_cpu_ms=… get_web_cpu_ms=… submit_cpu_ms=… get_cpu_ms=… cpu_ratio=…
       (ratio = submits/s ÷ GETs/s; cpu_ratio = a GET's CPU ÷ a submit's in the processes that answer them:
       the server, the database and the broker; the same comparison without the shared machine's noise)
RESULT deadline-rush <server> page-submit conc=<c> submit_per_s=… p50_ms=… p99_ms=… errors=… lost=… …
RESULT deadline-rush <server> receipts drain_seconds=… not_sent=…   (the worker emails every receipt after the rush)
RESULT deadline-rush <server> warm-up errors=… statuses=…   (the first requests, not measured, each answered)
RESULT deadline-rush <server> login=<hasher> conc=<c> logins_per_s=… p50_ms=… p99_ms=… errors=…
RESULT deadline-rush <server> page=<path> conc=<c> p50_ms=… p99_ms=… per_s=… errors=…

Usage: python bench/deadline_rush.py [--levels 50,100,200] [--dossiers 200] [--workers W] [--catalogue 1000]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from proc_stat import process_cpu_seconds  # bench/, this script's folder

ROOT = Path(__file__).resolve().parent.parent
CALL_FILE = ROOT / "calls" / "convergence-ia-2025.yaml"
PUBLIC_PAGES = ["/", "/catalogue/", "/open-data/challenges.json", "/programme/"]
WARM_SUBMITS = 20  # submitted before measuring: each server process loads the submit's code on its first one


def _environment(args) -> tuple[str, dict[str, str]]:
    """The server's environment: where its data lives, as `make run` or a deployment would set it."""
    var_dir = tempfile.mkdtemp(prefix="convergence-rush-")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "convergence.settings",
        "CONVERGENCE_DEMO": "1",
        "CONVERGENCE_VAR_DIR": var_dir,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    database_url = os.environ.get("DATABASE_URL")
    if database_url:
        parts = urlsplit(database_url)
        name = parts.path.lstrip("/") or "convergence"
        bench_name = f"{name}_rush"
        _recreate_postgres_database(urlunsplit(parts._replace(path="/postgres")), bench_name)
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{bench_name}"))
        server = "postgresql+" + ("redis" if os.environ.get("CELERY_BROKER_URL", "").startswith("redis") else "sqlite")
    else:
        env.pop("DATABASE_URL", None)
        env.pop("CELERY_BROKER_URL", None)
        server = "embedded"
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    return server, env


def _recreate_postgres_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _prepare(env: dict[str, str], levels: list[int], dossiers: int, catalogue: int) -> dict:
    """Migrate, load the call, create applicants with complete drafts; runs in a child with the server's env."""
    script = f"""
import json, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
sys.path.insert(0, {str(ROOT / "bench")!r})
from rush_data import prepare
print("PREPARED " + json.dumps(prepare({str(CALL_FILE)!r}, {levels!r}, {dossiers}, {catalogue}, warm={WARM_SUBMITS})))
"""
    output = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if output.returncode != 0:
        sys.exit(f"preparing the data failed:\n{output.stderr[-4000:]}")
    line = next(line for line in output.stdout.splitlines() if line.startswith("PREPARED "))
    return json.loads(line.removeprefix("PREPARED "))


def _count_rows(env: dict[str, str], application_ids: list[int]) -> dict[int, int]:
    script = f"""
import json
import django
django.setup()
from django.db.models import Count
from convergence.applications.models import Submission
ids = {application_ids!r}
rows = Submission.objects.filter(application_id__in=ids).values("application_id").annotate(n=Count("id"))
receipts = Submission.objects.filter(application_id__in=ids).values("receipt_number").distinct().count()
per_application = {{r["application_id"]: r["n"] for r in rows}}
print("COUNTS " + json.dumps({{"per_application": per_application, "receipts": receipts}}))
"""
    output = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    line = next(line for line in output.stdout.splitlines() if line.startswith("COUNTS "))
    counts = json.loads(line.removeprefix("COUNTS "))
    per_application = {int(key): value for key, value in counts["per_application"].items()}
    if counts["receipts"] != sum(per_application.values()):
        sys.exit("two submissions share a receipt number")
    return per_application


def _receipts_waiting(env: dict[str, str]) -> int:
    """Submissions whose receipt the worker has not emailed yet."""
    script = """
import django
django.setup()
from convergence.applications.models import Submission
print("WAITING", Submission.objects.filter(receipt_emailed_at__isnull=True).count())
"""
    output = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return int(next(line for line in output.stdout.splitlines() if line.startswith("WAITING ")).split()[1])


def _wait_for_receipts(env: dict[str, str], limit_seconds: float = 300) -> tuple[float, int]:
    """How long the worker took to email every receipt after the rush (the email never holds the request)."""
    started = time.monotonic()
    waiting = _receipts_waiting(env)
    while waiting and time.monotonic() - started < limit_seconds:
        time.sleep(1)
        waiting = _receipts_waiting(env)
    return time.monotonic() - started, waiting


class Server:
    """gunicorn and a Celery worker (niced: it yields the CPU to requests), started and stopped as `make run` does."""

    def __init__(self, env: dict[str, str], port: int, *, worker: bool = True):
        self.env = {**env, "PORT": str(port), "HOST": "127.0.0.1"}
        self.port = port
        self.worker = worker
        self.processes: list[subprocess.Popen] = []

    def __enter__(self) -> Server:
        venv_bin = Path(sys.executable).parent
        try:
            request(self.port, "GET", "/")
            sys.exit(f"port {self.port} already answers (another bench still running?): use --port")
        except OSError:
            pass  # free, as it must be: otherwise the requests would measure that other server
        # As make run: the queues are declared before the first processes publish.
        subprocess.run([sys.executable, "manage.py", "prepare_broker"], env=self.env, cwd=ROOT, check=True)
        self.processes.append(
            subprocess.Popen(
                [str(venv_bin / "gunicorn"), "--config", "gunicorn.conf.py"],
                env=self.env,
                cwd=ROOT,
                process_group=0,
            )
        )
        if self.worker:
            self.processes.append(
                subprocess.Popen(
                    ["nice", "-n", "10", str(venv_bin / "celery"), "-A", "convergence", "worker", "--pool=solo"]
                    + ["--loglevel=WARNING"],
                    env=self.env,
                    cwd=ROOT,
                    process_group=0,
                    stdout=subprocess.DEVNULL,
                )
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if request(self.port, "GET", "/")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        sys.exit("the server did not answer within 60 s")

    def __exit__(self, *exc) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


CPU_KINDS = {"gunicorn": "web", "celery": "worker", "postgres": "database", "redis": "broker"}


def cpu_seconds() -> dict[str, float]:
    """CPU seconds used so far by each kind of process on this machine (the client is this process), from /proc:
    where the 2 cores go during a level."""
    used = dict.fromkeys([*CPU_KINDS.values(), "client"], 0.0)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            kind = "client" if int(entry.name) == os.getpid() else None
            kind = kind or next((name for marker, name in CPU_KINDS.items() if marker in command), None)
            if kind:
                used[kind] += process_cpu_seconds(entry.name, reaped_children=True)
        except OSError:
            continue  # the process ended while we read
    return used


def serving_cpu_ms(used: dict[str, float]) -> float:
    """CPU a request cost the processes that answer it. Not the client (it stands for the browsers), nor the
    worker: it sends receipts whenever the cores are free, those of one level while the next one runs."""
    return used["web"] + used["database"] + used["broker"]


def request(port: int, method: str, path: str, headers: dict | None = None, body: bytes | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body, headers={"Connection": "close", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def fire(port: int, concurrency: int, calls: list[tuple[str, str, dict, bytes | None]]) -> tuple[list, float]:
    """Send every call, `concurrency` at a time, all starting together; (status or error, seconds) each."""
    barrier = threading.Barrier(concurrency)

    def one(index: int):
        if index < concurrency:
            barrier.wait()
        method, path, headers, body = calls[index]
        start = time.perf_counter()
        try:
            status = request(port, method, path, headers, body)[0]
        except OSError as error:
            status = type(error).__name__
        return status, time.perf_counter() - start

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        outcomes = list(pool.map(one, range(len(calls))))
    return outcomes, time.perf_counter() - started


def submit_call(draft: dict) -> tuple[str, str, dict, bytes]:
    headers = {"Authorization": f"Token {draft['token']}", "Content-Type": "application/json"}
    return "POST", f"/api/v1/applications/{draft['id']}/submit/", headers, b"{}"


def page_submit_call(draft: dict, cookies: dict) -> tuple[str, str, dict, bytes]:
    """The review page's "Submit" button, sent by a logged-in browser: its session and CSRF cookies, the token."""
    headers = {
        "Cookie": f"{cookies['session']}={draft['session']}; {cookies['csrf']}={draft['csrf']}",
        "X-CSRFToken": draft["csrf"],
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return "POST", f"/dossiers/{draft['id']}/edit/review/", headers, f"version={draft['version']}".encode()


def fire_measured(port: int, concurrency: int, calls: list) -> tuple[list, float, dict[str, float]]:
    """`fire`, and the CPU milliseconds each kind of process spent per call meanwhile."""
    before = cpu_seconds()
    outcomes, seconds = fire(port, concurrency, calls)
    after = cpu_seconds()
    return outcomes, seconds, {kind: 1000 * (after[kind] - before[kind]) / len(calls) for kind in after}


def rush(env: dict, port: int, level: int, drafts: list[dict], calls: list, accepted_statuses: tuple) -> dict:
    """Fire one submit per draft, `level` at a time, then count the rows each left: what was accepted must be
    there exactly once, what was refused must have left nothing."""
    outcomes, seconds, cpu_ms = fire_measured(port, level, calls)
    per_application = _count_rows(env, [draft["id"] for draft in drafts])
    answered = list(zip(drafts, outcomes, strict=True))
    accepted = [draft["id"] for draft, (status, _) in answered if status in accepted_statuses]
    refused = [draft["id"] for draft, (status, _) in answered if status not in accepted_statuses]
    latencies = [duration for _, duration in outcomes]
    return {
        "submit_per_s": len(drafts) / seconds,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * percentile(latencies, 0.99),
        "errors": len(refused),
        "lost": sum(1 for pk in accepted if per_application.get(pk, 0) == 0),
        "duplicated": sum(1 for count in per_application.values() if count > 1),
        "left_rows": sum(1 for pk in refused if per_application.get(pk, 0) > 0),
        "cpu_ms": cpu_ms,
    }


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--levels", default="50,100,200")
    parser.add_argument("--dossiers", type=int, default=200, help="submits fired at each level")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn processes (default: gunicorn.conf.py)")
    parser.add_argument("--catalogue", type=int, default=1000, help="labelled challenges in the public catalogue")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="no Celery worker on this machine (as a deployment with workers on other hosts): receipts wait",
    )
    args = parser.parse_args()
    levels = [int(level) for level in args.levels.split(",")]

    server, env = _environment(args)
    if args.no_worker:
        server += "-no-worker"
    print(f"preparing {server}: {args.dossiers} complete drafts per level, {args.catalogue} catalogue entries …")
    data = _prepare(env, levels, args.dossiers, args.catalogue)
    results = []
    with Server(env, args.port, worker=not args.no_worker):
        # Every server process loads its code on its first requests: warm them up before measuring.
        warm_token = data["levels"][str(levels[-1])][0]["token"]
        warm_calls = [("GET", f"/api/v1/calls/{data['call']}/", {"Authorization": f"Token {warm_token}"}, None)] * 50
        for path in PUBLIC_PAGES:
            warm_calls += [("GET", path, {}, None)] * 20
        # Not measured, but counted: a first request that fails is a failure too.
        warm_errors = [
            f"{method} {path.split('/')[1]} {status}"
            for calls in (
                warm_calls,
                [submit_call(draft) for draft in data["warm"]],
                [page_submit_call(draft, data["cookies"]) for draft in data["warm_pages"]],
            )
            for (method, path, _headers, _body), (status, _seconds) in zip(
                calls, fire(args.port, 10, calls)[0], strict=True
            )
            if status not in (200, 201, 302)
        ]
        # A process publishes its receipts' message a moment after its submits (QUEUE_COALESCE_MILLISECONDS); its
        # first publish opens its broker connection, which belongs to the warm-up too.
        time.sleep(1)
        for level in levels:
            drafts = data["levels"][str(level)]
            row = {"conc": level, **rush(env, args.port, level, drafts, [submit_call(d) for d in drafts], (200, 201))}
            # The same rush through the review page, as most applicants submit: a session, a CSRF token, a redirect.
            pages = data["pages"][str(level)]
            calls = [page_submit_call(draft, data["cookies"]) for draft in pages]
            row["page"] = rush(env, args.port, level, pages, calls, (302,))

            token = drafts[0]["token"]
            gets = [("GET", f"/api/v1/calls/{data['call']}/", {"Authorization": f"Token {token}"}, None)] * len(drafts)
            get_outcomes, get_seconds, row["get_cpu_ms"] = fire_measured(args.port, level, gets)
            row["get_per_s"] = len(gets) / get_seconds
            row["get_p50_ms"] = 1000 * statistics.median(duration for _, duration in get_outcomes)
            row["get_errors"] = sum(1 for status, _ in get_outcomes if status != 200)
            row["ratio"] = row["submit_per_s"] / row["get_per_s"]
            results.append(row)

        drain_seconds, receipts_not_sent = _wait_for_receipts(env) if not args.no_worker else (0.0, 0)

        logins = []
        for hasher, emails in data["logins"].items():
            calls = [
                (
                    "POST",
                    "/api/v1/auth/token/",
                    {"Content-Type": "application/json"},
                    json.dumps({"email": email, "password": data["password"]}).encode(),
                )
                for email in emails
            ]
            outcomes, seconds = fire(args.port, levels[0], calls)
            latencies = [duration for _, duration in outcomes]
            logins.append(
                {
                    "hasher": hasher,
                    "per_s": len(calls) / seconds,
                    "p50_ms": 1000 * statistics.median(latencies),
                    "p99_ms": 1000 * percentile(latencies, 0.99),
                    "errors": sum(1 for status, _ in outcomes if status != 200),
                }
            )

        pages = []
        for path in PUBLIC_PAGES:
            # One visitor at a time gives the page's own cost; the first level gives what the server holds.
            for concurrency in (1, levels[0]):
                outcomes, seconds = fire(args.port, concurrency, [("GET", path, {}, None)] * args.dossiers)
                latencies = [duration for _, duration in outcomes]
                pages.append(
                    {
                        "page": path,
                        "conc": concurrency,
                        "p50_ms": 1000 * statistics.median(latencies),
                        "p99_ms": 1000 * percentile(latencies, 0.99),
                        "per_s": len(outcomes) / seconds,
                        "errors": sum(1 for status, _ in outcomes if status != 200),
                    }
                )

    if args.no_worker:
        print("\nNo worker on this machine: the receipts wait in the broker for the workers of other hosts")
    else:
        print(
            f"\nEvery receipt emailed by the worker {drain_seconds:.1f} s after the last level "
            f"({receipts_not_sent} not sent)"
        )
    print(f"\nLogins, {levels[0]} at a time, {args.dossiers} each (POST /api/v1/auth/token/)")
    print("| stored hash | logins/s | p50 ms | p99 ms | errors |")
    print("| --- | --- | --- | --- | --- |")
    for login in logins:
        print(
            f"| {login['hasher']} | {login['per_s']:.1f} | {login['p50_ms']:.0f} | {login['p99_ms']:.0f} "
            f"| {login['errors']} |"
        )
    print(f"\nDeadline rush on {server} ({os.cpu_count()} cores), {args.dossiers} submits per level")
    print("| concurrent | submits/s | p50 ms | p99 ms | errors | lost | duplicated | GET/s | GET p50 ms | ratio |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in results:
        print(
            f"| {row['conc']} | {row['submit_per_s']:.1f} | {row['p50_ms']:.0f} | {row['p99_ms']:.0f} "
            f"| {row['errors']} | {row['lost']} | {row['duplicated']} | {row['get_per_s']:.1f} "
            f"| {row['get_p50_ms']:.0f} | {row['ratio']:.2f} |"
        )
    print("\nThe same rush through the review page (logged-in session, CSRF token, answered by a redirect)")
    print("| concurrent | submits/s | p50 ms | p99 ms | errors | lost | duplicated |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for row in results:
        page = row["page"]
        print(
            f"| {row['conc']} | {page['submit_per_s']:.1f} | {page['p50_ms']:.0f} | {page['p99_ms']:.0f} "
            f"| {page['errors']} | {page['lost']} | {page['duplicated']} |"
        )
    print(f"\nCPU per request (ms), by kind of process, {os.cpu_count()} cores shared")
    kinds = list(results[0]["cpu_ms"]) if results else []
    print("| request | concurrent | " + " | ".join(kinds) + " | total |")
    print("| --- | --- |" + " --- |" * (len(kinds) + 1))
    for row in results:
        for name, used in (
            ("API submit", row["cpu_ms"]),
            ("page submit", row["page"]["cpu_ms"]),
            ("trivial GET", row["get_cpu_ms"]),
        ):
            cells = " | ".join(f"{used[kind]:.1f}" for kind in kinds)
            print(f"| {name} | {row['conc']} | {cells} | {sum(used.values()):.1f} |")
    print(f"\nPublic pages, anonymous visitors, {args.dossiers} requests each")
    print("| page | concurrent | p50 ms | p99 ms | requests/s | errors |")
    print("| --- | --- | --- | --- | --- | --- |")
    for page in pages:
        print(
            f"| {page['page']} | {page['conc']} | {page['p50_ms']:.0f} | {page['p99_ms']:.0f} | {page['per_s']:.1f} "
            f"| {page['errors']} |"
        )
    print()
    for row in results:
        print(
            f"RESULT deadline-rush {server} conc={row['conc']} submit_per_s={row['submit_per_s']:.2f} "
            f"p50_ms={row['p50_ms']:.1f} p99_ms={row['p99_ms']:.1f} errors={row['errors']} lost={row['lost']} "
            f"duplicated={row['duplicated']} left_rows={row['left_rows']} get_per_s={row['get_per_s']:.2f} "
            f"get_errors={row['get_errors']} ratio={row['ratio']:.3f} "
            f"submit_web_cpu_ms={row['cpu_ms']['web']:.2f} get_web_cpu_ms={row['get_cpu_ms']['web']:.2f} "
            f"submit_cpu_ms={serving_cpu_ms(row['cpu_ms']):.2f} get_cpu_ms={serving_cpu_ms(row['get_cpu_ms']):.2f} "
            f"cpu_ratio={serving_cpu_ms(row['get_cpu_ms']) / serving_cpu_ms(row['cpu_ms']):.3f}"
        )
    for row in results:
        page = row["page"]
        print(
            f"RESULT deadline-rush {server} page-submit conc={row['conc']} submit_per_s={page['submit_per_s']:.2f} "
            f"p50_ms={page['p50_ms']:.1f} p99_ms={page['p99_ms']:.1f} errors={page['errors']} lost={page['lost']} "
            f"duplicated={page['duplicated']} left_rows={page['left_rows']} web_cpu_ms={page['cpu_ms']['web']:.2f}"
        )
    for page in pages:
        print(
            f"RESULT deadline-rush {server} page={page['page']} conc={page['conc']} p50_ms={page['p50_ms']:.1f} "
            f"p99_ms={page['p99_ms']:.1f} per_s={page['per_s']:.2f} errors={page['errors']}"
        )
    print(f"RESULT deadline-rush {server} receipts drain_seconds={drain_seconds:.1f} not_sent={receipts_not_sent}")
    warm_statuses = ",".join(sorted(set(warm_errors))).replace(" ", "_") or "-"
    print(f"RESULT deadline-rush {server} warm-up errors={len(warm_errors)} statuses={warm_statuses}")
    for login in logins:
        print(
            f"RESULT deadline-rush {server} login={login['hasher']} conc={levels[0]} logins_per_s={login['per_s']:.2f} "
            f"p50_ms={login['p50_ms']:.1f} p99_ms={login['p99_ms']:.1f} errors={login['errors']}"
        )
    failed = (
        receipts_not_sent
        or warm_errors
        or any(run["lost"] or run["duplicated"] or run["left_rows"] for row in results for run in (row, row["page"]))
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
