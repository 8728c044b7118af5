# Shared set-up for scripts/serve and scripts/test (sourced, not run).
# Creates .venv with Python 3.11+ and installs the project when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

setup_venv() {
  local extras=${1:-}
  if [ ! -x .venv/bin/python ]; then
    local py
    py=$(find_python) || { echo "Python 3.11 or newer is needed (apt-get install python3)." >&2; exit 1; }
    if ! "$py" -m venv --help >/dev/null 2>&1; then
      echo "The venv module is missing: apt-get install python3-venv" >&2; exit 1
    fi
    say "Creating the virtual environment in .venv with $("$py" --version)"
    "$py" -m venv .venv
  fi
  local stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)${extras:+-$extras}"
  if [ ! -f "$stamp" ]; then
    say "Installing Samen Offline and its pinned dependencies${extras:+ (with $extras extras)}"
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".${extras:+[$extras]}"
    touch "$stamp"
  else
    say "Dependencies are up to date (.venv)"
  fi
}
