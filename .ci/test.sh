#!/usr/bin/env bash
# The whole test suite: content check, then every test group. Called by `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/tribewise content check
.venv/bin/pytest tests
