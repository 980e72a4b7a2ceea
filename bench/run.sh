#!/usr/bin/env bash
# Run every benchmark on PostgreSQL; results go to bench/results/*.json and docs/performance.md.
# Usage: bash bench/run.sh [--persons 1000000] [--cases 300000] [--import-rows 30000]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh requirements-dev.txt
export BENCH_DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/phongdich_bench}"
python bench/bench.py "$@"
