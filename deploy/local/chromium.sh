#!/usr/bin/env bash
# Ensures Debian's headless-capable Chromium for the board's real-browser test: installs it
# with apt-get if /usr/bin/chromium is missing. Idempotent. Prints progress on stderr only.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
say() { echo "chromium: $*" >&2; }

if [ -x /usr/bin/chromium ]; then
  say "present ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi
say "installing Chromium with apt-get"
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
say "installed ($(/usr/bin/chromium --version 2>/dev/null))"
