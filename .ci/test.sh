#!/usr/bin/env bash
# The whole test suite, called by `make test`: ruff (lint and format) and import-linter (the layers),
# the content check, every test on SQLite, the browser
# tests (real server, Debian's chromium), then every database-backed test again on a throwaway
# PostgreSQL server. Every phase runs even when an earlier one fails (a failure in one says nothing
# about the others); the end prints each phase's result and wall time, and the exit status is
# non-zero if any phase failed. Each pytest phase lists its 15 slowest tests and runs on two workers
# (pytest-xdist): a test file stays on one worker (--dist loadfile), in order, so module fixtures are
# built once; each worker has its own temporary folders, ports and PostgreSQL databases.
set -uo pipefail
cd "$(dirname "$0")/.."

# Many Hypothesis examples here, few locally (tests/conftest.py); bytecode outside the repository.
export HYPOTHESIS_PROFILE=ci
export PYTHONPYCACHEPREFIX="${TMPDIR:-/tmp}/tribewise-pycache"
PYTEST=(.venv/bin/pytest --durations=15 --numprocesses="${TRIBEWISE_TEST_WORKERS:-2}" --dist=loadfile)

names=() results=() times=()
failed=0

phase() {
  local name=$1 start status
  shift
  echo
  echo "=== $name: $*"
  start=$SECONDS
  "$@"
  status=$?
  names+=("$name") times+=($((SECONDS - start)))
  if [ "$status" = 0 ]; then results+=(ok); else results+=("FAILED ($status)"); failed=1; fi
}

phase "system packages" bash .ci/system-packages.sh
phase "lint (ruff)" .venv/bin/ruff check backend tests e2e bench
phase "format (ruff)" .venv/bin/ruff format --check backend tests e2e bench
phase "layers (import-linter)" .venv/bin/lint-imports
phase "content check" .venv/bin/tribewise content check
phase "tests (SQLite)" "${PYTEST[@]}" tests
phase "browser (e2e)" "${PYTEST[@]}" e2e
phase "integration (PostgreSQL)" bash .ci/with-postgres.sh "${PYTEST[@]}" tests/integration

echo
printf '%-26s %-12s %9s\n' phase result "wall time"
for i in "${!names[@]}"; do
  printf '%-26s %-12s %6d:%02d\n' "${names[$i]}" "${results[$i]}" $((times[i] / 60)) $((times[i] % 60))
done
printf '%-26s %-12s %6d:%02d\n' total "$([ "$failed" = 0 ] && echo ok || echo FAILED)" $((SECONDS / 60)) $((SECONDS % 60))
exit "$failed"
