#!/usr/bin/env bash
# The whole test suite, called by `make test`: content check, every test on SQLite,
# then every database-backed test again on a throwaway PostgreSQL server.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/tribewise content check
.venv/bin/pytest tests
bash .ci/with-postgres.sh .venv/bin/pytest tests/integration
