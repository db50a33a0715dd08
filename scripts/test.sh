#!/usr/bin/env bash
# Every test: the front end's unit tests (Vitest, ui/), then all Rust tests of the workspace — the
# library and CLI (real photos, real models) and the desktop app, whose end-to-end test drives the real
# window (tauri-driver + WebKitWebDriver under Xvfb; it says what is missing and skips without them,
# unless ARGUS_E2E_REQUIRED is set, as CI does).
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d ui/node_modules ] || npm ci --prefix ui --no-audit --no-fund
npm test --prefix ui
cargo test --workspace
