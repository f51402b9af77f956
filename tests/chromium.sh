#!/usr/bin/env bash
# Makes sure Debian's chromium is installed, for the wallboard's browser tests (Playwright drives it headless; no
# browser build is ever downloaded). Prints the executable's path.
#
#   tests/chromium.sh        installs the chromium package with apt when /usr/bin/chromium is missing
set -euo pipefail

executable="${OMNICHANNEL_TEST_CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$executable" ]]; then
    echo "chromium.sh: $executable not found; installing the chromium package" >&2
    elevate=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || { echo "chromium.sh: not root and no sudo: install the chromium package first" >&2; exit 1; }
        elevate=(sudo)
    fi
    "${elevate[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update >&2
    "${elevate[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >&2
fi
echo "$executable"
