#!/usr/bin/env bash
# Install the browser the board's tests drive (tests/board/): Debian's chromium and a colour
# emoji font (work logs write ✅ and ⏳; the README's screenshots show them), when missing. Playwright's Python package drives it (executable_path); its
# own browser downloads are never used. Prints chromium=PATH on stdout; apt's output goes to stderr.
#
#   .ci/browser.sh
set -euo pipefail

CHROMIUM=/usr/bin/chromium
EMOJI=/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf

missing() {
    [[ ! -x "$CHROMIUM" || ! -f "$EMOJI" ]]
}

if missing; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "error: $CHROMIUM or $EMOJI is missing and there is no apt-get; install Chromium there and retry" >&2
        exit 2
    fi
    sudo=""
    if [[ "$(id -u)" != 0 ]]; then
        sudo="sudo -n"
    fi
    if command -v flock >/dev/null 2>&1; then
        exec 9>"${TMPDIR:-/tmp}/devlore-browser.lock"
        flock -w 900 9  # CI and a test session at once install one after the other
    fi
    if missing; then
        echo "browser: apt-get install chromium fonts-noto-color-emoji" >&2
        export DEBIAN_FRONTEND=noninteractive
        $sudo apt-get update -qq >&2
        $sudo apt-get install -y -q chromium fonts-noto-color-emoji >&2
    fi
fi
echo "chromium=$CHROMIUM"
