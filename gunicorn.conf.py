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
