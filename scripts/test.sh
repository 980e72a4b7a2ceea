#!/usr/bin/env bash
# Set up and run the whole test suite with lint. The database comes from DATABASE_URL (SQLite when unset).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh requirements-dev.txt
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else
    echo "Thiếu chromium: chạy 'sudo apt-get install chromium' rồi chạy lại." >&2
    exit 1
  fi
fi
echo "== ruff"
ruff check .
ruff format --check .
echo "== migrations"
python manage.py makemigrations --check --dry-run -v0
echo "== pytest (${DATABASE_URL:-SQLite})"
python -m pytest -q "$@"
