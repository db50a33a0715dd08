#!/usr/bin/env bash
# Every test: the front end's unit tests (Vitest, ui/), then all Rust tests of the workspace — the
# library and CLI (real photos, real models) and the desktop app, whose end-to-end test drives the real
# window (tauri-driver + WebKitWebDriver under Xvfb) — beside a throw-away PostgreSQL server
# (scripts/with-postgres.sh): first every test on the embedded engine (SQLite; the team tests, workers
# and migration, use the server), then every test again with each test catalogue on PostgreSQL
# (ARGUS_TEST_ENGINE=postgres).
#
# First it installs what the tests need (scripts/setup.sh: asks once on a terminal; pass --yes to
# install unattended). A test that cannot run here (shared evaluation data absent, no root) is
# reported as "ignored (skipped: why)", never "ok"; with ARGUS_E2E_REQUIRED set (CI) the end-to-end
# test fails instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh "$@" test
[ -d ui/node_modules ] || npm ci --prefix ui --no-audit --no-fund
npm run check --prefix ui   # type check: the UI against ui/src/lib/bindings.ts (the Rust types)
npm test --prefix ui
# The second run selects the same test targets of the same build (same packages and features:
# nothing is compiled again) with every test catalogue on the server — the library's, the CLI's and
# the app's end-to-end walk. The team tests use the server in both runs.
scripts/with-postgres.sh bash -c '
  set -e
  cargo test --workspace --features argus/dev
  echo "== every test again, each test catalogue on PostgreSQL (ARGUS_TEST_ENGINE=postgres)" >&2
  ARGUS_TEST_ENGINE=postgres cargo test --workspace --features argus/dev
'
