#!/usr/bin/env bash
# The whole test suite, called by `make test`: content check, every test on SQLite,
# then every database-backed test again on a throwaway PostgreSQL server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/system-packages.sh
.venv/bin/tribewise content check
.venv/bin/pytest tests
bash .ci/with-postgres.sh .venv/bin/pytest tests/integration
