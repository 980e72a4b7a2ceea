#!/usr/bin/env bash
# Set everything up and run phongdich on SQLite with demo data: web server + task worker.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh requirements.txt
mkdir -p var/staticfiles
python manage.py migrate --noinput -v0
python manage.py seed_areas
python manage.py seed_demo
python manage.py seed_care
python manage.py seed_homecare
python manage.py seed_vaccination
python manage.py seed_contacts
python manage.py seed_hotline
python manage.py seed_support
# The seeds write some rows in bulk: the daily summary table is rebuilt once from them, then kept by the services.
python manage.py rebuild_tallies
python manage.py assess_levels --weeks 4
python manage.py db_worker --no-reload --interval 0.5 &
worker=$!
# Emergency alerts nobody has acted on, and citizen requests past their deadline, are escalated to the district:
# checked every minute.
( while sleep 60; do
    python manage.py escalate_alerts >/dev/null || true
    python manage.py escalate_requests >/dev/null || true
  done ) &
escalation=$!
trap 'kill "$worker" "$escalation" 2>/dev/null || true' EXIT INT TERM
port="${PORT:-8000}"
echo
echo "phongdich chạy tại http://127.0.0.1:${port}/  (Ctrl+C để dừng)"
python manage.py demo_logins
python manage.py runserver "127.0.0.1:${port}"
