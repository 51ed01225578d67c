#!/usr/bin/env bash
# Serve the platform on its embedded defaults with the Convergence IA call in demo mode.
# Idempotent: a second run keeps the data (the call is updated, demo dossiers are seeded once).
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH=src
export CONVERGENCE_DEMO=1
export DJANGO_SETTINGS_MODULE=convergence.settings
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

$PY manage.py migrate --noinput
$PY manage.py prepare_broker  # before the worker and the server: their first publishes would race to declare the queues
$PY manage.py compilemessages -l fr >/dev/null 2>&1 || true
$PY manage.py load_call calls/convergence-ia-2025.yaml --demo
$PY manage.py create_demo_accounts
$PY manage.py seed_demo --if-empty
# The committee has started an early review of the dossiers already submitted (reviewer1 has some to write).
$PY manage.py seed_committee --early-review
# A completed edition with the real 2024–2025 dates: labels, reports, results and the Summit programme.
$PY manage.py seed_completed_edition calls/convergence-ia-2025.yaml --if-empty
$PY manage.py seed_demo_competition --if-empty
# Static files are collected once and served by whitenoise, as in a deployment.
$PY manage.py collectstatic --noinput >/dev/null

# -B runs the periodic tasks (milestone reminders) inside the worker: enough for one embedded process.
# nice: on one machine, background work (receipts, scoring) yields the CPU to people's requests.
# The schedule file lives with the data (CONVERGENCE_VAR_DIR): beat dies at start when its folder is missing.
nice -n 10 .venv/bin/celery -A convergence worker -Q celery,scoring -B --schedule "${CONVERGENCE_VAR_DIR:-var}/celerybeat-schedule" --loglevel=INFO --concurrency=1 --pool=solo &
WORKER=$!
trap 'kill "$WORKER" 2>/dev/null || true' EXIT INT TERM

echo "Convergence: http://$HOST:$PORT/  (demo accounts: organiser@demo.test, applicant@demo.test … password: demo)"
# The production server, configured by gunicorn.conf.py (the same file a deployment uses).
HOST=$HOST PORT=$PORT .venv/bin/gunicorn --config gunicorn.conf.py
