#!/usr/bin/env bash
# Launch benchmark of the desktop app: time from process start to the first painted grid cells and to
# their thumbnails, and the memory in use then, on a generated catalogue of N photos (default 10 000)
# whose thumbnails are real JPEGs in the cache (made from the sample photos).
#
#   scripts/bench-app.sh [N] [RUNS]      # runs under Xvfb (xvfb-run) when there is no display
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-10000}
RUNS=${2:-3}
WORK="$PWD/target/bench-app/$N"
mkdir -p "$WORK"

bash scripts/fetch-sample.sh target/sample-photos
cargo build --release --quiet -p argus --features argus/dev -p argus-app
argus() { ./target/release/argus "$@"; }

# The catalogue: N photos with faces, people, labels and EXIF (argus dev bench search writes it once).
argus dev bench search --photos "$N" --faces $((N * 3)) --labels $((N * 10)) --repeats 1 \
  --dir "$WORK" >"$WORK/generate.log" 2>&1
CATALOG="$WORK/search-bench.db"

# Real thumbnails: the sample photos' thumbnails, hard-linked under every generated photo's hash.
SAMPLE_CACHE="$WORK/sample-cache"
if [ ! -d "$SAMPLE_CACHE/thumbs" ]; then
  ARGUS_CATALOG="$WORK/sample.db" ARGUS_CACHE="$SAMPLE_CACHE" argus library add target/sample-photos >/dev/null
  ARGUS_CATALOG="$WORK/sample.db" ARGUS_CACHE="$SAMPLE_CACHE" argus scan --no-analysis >/dev/null
fi
CACHE="$WORK/cache"
if [ ! -d "$CACHE/thumbs" ]; then
  ARGUS_CATALOG="$CATALOG" argus photos --json --limit "$N" | python3 -c '
import json, os, sys, glob
cache, sample = sys.argv[1], sys.argv[2]
sources = {size: sorted(glob.glob(f"{sample}/thumbs/*/*-{size}.jpg")) for size in (256, 512)}
for n, photo in enumerate(json.load(sys.stdin)):
    h = photo["hash"]
    folder = os.path.join(cache, "thumbs", h[:2])
    os.makedirs(folder, exist_ok=True)
    for size, files in sources.items():
        os.link(files[n % len(files)], os.path.join(folder, f"{h}-{size}.jpg"))
' "$CACHE" "$SAMPLE_CACHE"
fi

run_app() {
  if [ -n "${DISPLAY:-}" ]; then "$@"; else xvfb-run -a -s "-screen 0 1440x900x24" "$@"; fi
}

echo "argus-app on $N photos ($(du -sh "$CATALOG" | cut -f1) catalogue), $RUNS launches:"
for run in $(seq "$RUNS"); do
  REPORT="$WORK/report-$run.json"
  rm -f "$REPORT"
  run_app env ARGUS_CATALOG="$CATALOG" ARGUS_CACHE="$CACHE" ARGUS_MODELS="$WORK/no-models" \
    ARGUS_APP_STARTUP_REPORT="$REPORT" ARGUS_APP_EXIT_AFTER_PAINT=1 \
    ./target/release/argus-app 2>/dev/null
  python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
grid, thumbs = r["first_grid_paint_ms"], r["first_thumbnails_paint_ms"]
app, web = r["app_rss_kib"] / 1024, r["webview_rss_kib"] / 1024
print(f"  run {sys.argv[2]}: grid painted {grid:.0f} ms, thumbnails {thumbs:.0f} ms after launch; "
      f"memory {app:.0f} MiB app + {web:.0f} MiB web views")
' "$REPORT" "$run"
done
