#!/usr/bin/env bash
# Every test: the front end's unit tests (Vitest, ui/), then all Rust tests of the workspace — the
# library and CLI (real photos, real models) and the desktop app, whose end-to-end test drives the real
# window (tauri-driver + WebKitWebDriver under Xvfb).
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
cargo test --workspace --features argus/dev
