#!/usr/bin/env bash
# Run every benchmark on PostgreSQL; results go to bench/results/*.json and docs/performance.md.
# Usage: bash bench/run.sh [--suite all|registry|homecare|vaccination|contacts|reports] [--persons 1000000] [--import-rows 30000]
#        [home-care options, see python bench/homecare.py --help, e.g. --reuse-fixture --duration 20]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh requirements-dev.txt
export BENCH_DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/phongdich_bench}"
export BENCH_HOMECARE_DATABASE_URL="${BENCH_HOMECARE_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/phongdich_bench_homecare}"
python bench/bench.py "$@"
