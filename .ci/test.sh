#!/usr/bin/env bash
# The whole test suite, called by `make test`: content check, every test on SQLite, the browser
# tests (real server, Debian's chromium), then every database-backed test again on a throwaway
# PostgreSQL server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/system-packages.sh
.venv/bin/tribewise content check
.venv/bin/pytest tests
.venv/bin/pytest e2e
bash .ci/with-postgres.sh .venv/bin/pytest tests/integration
