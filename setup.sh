#!/usr/bin/env bash
# One-time set-up on a fresh Debian machine with Python 3.11: system packages, a venv in .venv, and rra.
# Safe to run again: it skips what is already there, and says so. One line per step.
set -euo pipefail
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive
say() { printf 'setup: %s\n' "$*"; }

need=()
command -v dot >/dev/null 2>&1 || need+=(graphviz)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  say "installing system packages: ${need[*]} fonts-dejavu-core (apt-get)"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need[@]}" fonts-dejavu-core fonts-liberation >/dev/null
else
  say "system packages: graphviz and chromium are there"
fi

PY=${PYTHON:-python3}
if [ -x .venv/bin/python ]; then
  say "virtual environment: .venv is there"
else
  say "creating the virtual environment .venv with $("$PY" --version 2>&1)"
  "$PY" -m venv .venv
fi

if .venv/bin/python -c "import rra, z3, pytest, hypothesis, xdist, fontTools, pypdfium2" >/dev/null 2>&1; then
  say "rra and its test dependencies are installed in .venv"
else
  say "installing rra (editable) and its test dependencies into .venv (pip)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[test]'
fi
# pip compiles what it installs, but not an editable install's sources; compiled once here, every `rra` process
# starts without compiling them again (0.25 -> 0.18 s for `rra coverage` where PYTHONDONTWRITEBYTECODE is set)
say "compiling rra's modules to bytecode (python -m compileall)"
.venv/bin/python -m compileall -q rra spec solver visualize >/dev/null
say "done: $(.venv/bin/rra --version)"
