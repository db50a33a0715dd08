#!/usr/bin/env bash
# Fetch a second labelled identity set for measuring face grouping
# (`argus people eval --data DEST`): the "johns" example of dlib's Debian
# source package, five people with eleven photos each, into DEST:
#
#   scripts/fetch-johns.sh DEST
#
# DEST/images/<person>/<file> and DEST/labels.csv (file,person). Source: the
# Debian archive's dlib_19.24+dfsg.orig.tar.bz2 (bookworm; dlib's examples are
# public domain per Debian's copyright file, the photos are web images without
# licences of their own: evaluation data only, never shipped), pinned by
# sha256. The photos are 150×150 face crops (dlib's metric-learning example
# data). Idempotent (DEST/.complete).
set -euo pipefail

URL="https://deb.debian.org/debian/pool/main/d/dlib/dlib_19.24+dfsg.orig.tar.bz2"
SHA=66b4263822a2ff91a3e769e501c7d7927a13089e178c1427ec19cb0475823cf6

die() { echo "fetch-johns: error: $*" >&2; exit 1; }
[ $# -eq 1 ] && [ -n "$1" ] || die "usage: $0 DEST"
mkdir -p "$1" || die "cannot create $1"
DEST=$(cd "$1" && pwd)

exec 9>"$DEST/.lock"
flock 9 || die "cannot lock $DEST/.lock"
if [ -f "$DEST/.complete" ] && [ "$(cat "$DEST/.complete")" = "$SHA" ] && [ -f "$DEST/labels.csv" ]; then
  exit 0
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/fetch-johns.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
echo "fetch-johns: downloading dlib's Debian source (8.6 MB)" >&2
curl -fsSL --retry 3 -o "$WORK/dlib.tar.bz2" "$URL" || die "download of $URL failed"
[ "$(sha256sum "$WORK/dlib.tar.bz2" | cut -d' ' -f1)" = "$SHA" ] || die "sha256 mismatch for $URL"
tar -xjf "$WORK/dlib.tar.bz2" -C "$WORK" --wildcards '*/examples/johns/*'

rm -rf "$DEST/images" "$DEST/labels.csv" "$DEST/.complete"
mkdir -p "$DEST/images"
{
  echo "file,label"
  for f in "$WORK"/*/examples/johns/*/*.jpg; do
    person=$(basename "$(dirname "$f")")
    mkdir -p "$DEST/images/$person"
    cp "$f" "$DEST/images/$person/"
    echo "images/$person/$(basename "$f"),$person"
  done
} >"$DEST/labels.csv.tmp"
mv "$DEST/labels.csv.tmp" "$DEST/labels.csv"
echo "$SHA" >"$DEST/.complete"
echo "fetched $(($(wc -l <"$DEST/labels.csv") - 1)) labelled photos into $DEST" >&2
