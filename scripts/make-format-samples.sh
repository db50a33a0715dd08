#!/usr/bin/env bash
# Make HEIC, AVIF, JPEG XL and DNG twins of known sample photos, for the format tests and
# `argus dev bench index --format`:
#
#   scripts/make-format-samples.sh DEST [SAMPLE_DIR]
#
# The inputs are the sample library's photos (scripts/fetch-sample.sh, pinned by sha256; SAMPLE_DIR
# defaults to target/sample-photos); the tools are pinned too: Debian's heif-enc (libheif-examples,
# x265 and libaom encoders, keeps the JPEG's EXIF), Debian's cjxl (libjxl-tools: a lossless JPEG
# recompression, EXIF kept in a Brotli-compressed box) and PyPI's pidng 4.0.9 in a throw-away venv
# (scripts/make_dng.py), so a face found in the JPEG can be checked in its HEIC, AVIF, JXL and DNG.
#
#   portrait.heic / .avif / .jxl   fr_obama.jpg (a portrait with EXIF date and camera)
#   portrait.dng            the same, a Bayer DNG stored landscape with Orientation 6 (portrait)
#   group.heic              faceapi_sample1.jpg (EXIF with GPS) with a 320 px embedded thumbnail
#   group.dng               faceapi_sample1.jpg as a landscape DNG
#   burst.heic              faceapi_sample2.jpg + faceapi_sample3.jpg: two top-level images
#
# Idempotent: DEST/.complete (the list of files, written last) marks a finished run; concurrent
# runs serialise on flock(DEST/.lock).
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "make-format-samples: error: $*" >&2; exit 1; }
[ $# -ge 1 ] && [ -n "$1" ] || die "usage: $0 DEST [SAMPLE_DIR]"
DEST=$1
SAMPLES=${2:-target/sample-photos}
PIDNG="pidng==4.0.9 numpy==2.4.6 pillow==12.0.0"
FILES="portrait.heic portrait.avif portrait.jxl portrait.dng group.heic group.dng burst.heic"

for tool in flock heif-enc cjxl python3; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found: run scripts/setup.sh test"
done
mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd)
exec 9>"$DEST/.lock"
flock 9 || die "cannot lock $DEST/.lock"
if [ -f "$DEST/.complete" ] && [ "$(cat "$DEST/.complete")" = "$FILES" ]; then
  exit 0
fi
rm -f "$DEST/.complete"

bash scripts/fetch-sample.sh "$SAMPLES"
SAMPLES=$(cd "$SAMPLES" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/format-samples.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

echo "make-format-samples: HEIC and AVIF with heif-enc" >&2
heif-enc -q 80 "$SAMPLES/fr_obama.jpg" -o "$DEST/portrait.heic" >/dev/null
heif-enc -A -q 80 "$SAMPLES/fr_obama.jpg" -o "$DEST/portrait.avif" >/dev/null
heif-enc -q 80 -t 320 "$SAMPLES/faceapi_sample1.jpg" -o "$DEST/group.heic" >/dev/null
heif-enc -q 70 "$SAMPLES/faceapi_sample2.jpg" "$SAMPLES/faceapi_sample3.jpg" -o "$DEST/burst.heic" >/dev/null

echo "make-format-samples: JPEG XL with cjxl" >&2
cjxl "$SAMPLES/fr_obama.jpg" "$DEST/portrait.jxl" >/dev/null 2>&1 || die "cjxl failed"

echo "make-format-samples: DNG with pidng (throw-away venv)" >&2
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
python3 -m venv "$WORK/venv"
# shellcheck disable=SC2086
"$WORK/venv/bin/pip" install -q $PIDNG >"$WORK/pip.log" 2>&1 \
  || { tail -n 15 "$WORK/pip.log" >&2; die "pip install $PIDNG failed"; }
"$WORK/venv/bin/python" scripts/make_dng.py "$SAMPLES/fr_obama.jpg" "$DEST/portrait.dng" --orientation 6
"$WORK/venv/bin/python" scripts/make_dng.py "$SAMPLES/faceapi_sample1.jpg" "$DEST/group.dng"

for f in $FILES; do
  [ -s "$DEST/$f" ] || die "$f was not made"
done
echo "$FILES" >"$DEST/.complete"
