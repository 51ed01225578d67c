"""gunicorn settings shared by `make run` and deployments (read from the working directory).

Every value can be set by environment: WEB_CONCURRENCY (processes), WEB_THREADS, PORT/HOST or BIND,
WEB_TIMEOUT. Requests that arrive while every worker is busy wait in the listen queue (`backlog`)
instead of being refused: that queue is what holds the deadline night's last minute.
"""

import multiprocessing
import os

bind = os.environ.get("BIND") or f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("WEB_THREADS") or 1)
worker_class = "gthread" if threads > 1 else "sync"
backlog = int(os.environ.get("WEB_BACKLOG") or 2048)
timeout = int(os.environ.get("WEB_TIMEOUT") or 60)
graceful_timeout = 30
keepalive = 5
# Recycle a worker now and then: bounded memory over a long programme.
max_requests = 5000
max_requests_jitter = 500
# Load the application once in the master: workers start fast and share its memory.
preload_app = True
wsgi_app = "convergence.wsgi:application"
accesslog = os.environ.get("WEB_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
proc_name = "convergence"


def when_ready(server):
    """Before the first worker is forked: load what every first request would otherwise load (views,
    templates, translations), so that each worker inherits it and nobody waits a second for a cold one."""
    from django.db import connections
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    for language in ("fr", "en"):
        with translation.override(language):
            translation.gettext("Convergence")
    for name in ("base.html", "calls/detail.html", "labels/catalogue.html", "account/login.html"):
        try:
            get_template(name)
        except Exception as error:  # noqa: BLE001 (warming is an optimisation, never a reason not to start)
            server.log.warning("could not warm template %s: %s", name, error)
    connections.close_all()  # no connection is shared with the forked workers
