# Sourced by run.sh and test.sh: make .venv with Python 3.11 and install the given requirements file.
# Reinstalls only when the requirements file changes.
set -euo pipefail
requirements="$1"
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "Cần Python 3.11 (đang có: $("$PYTHON" --version 2>&1))." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    # Debian ships venv/ensurepip separately.
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
      rm -rf .venv && "$PYTHON" -m venv .venv
    else
      echo "Thiếu python3-venv: chạy 'sudo apt-get install python3-venv' rồi chạy lại." >&2
      exit 1
    fi
  fi
fi
stamp=".venv/.installed-$(sha256sum "$requirements" requirements.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  # (this machine's pip configuration warns about absent local indexes: those lines are dropped)
  .venv/bin/python -m pip install -q --upgrade pip 2>&1 | { grep -v "^WARNING: Location '" || true; }
  .venv/bin/python -m pip install -q -r "$requirements" 2>&1 | { grep -v "^WARNING: Location '" || true; }
  touch "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
