#!/usr/bin/env bash
# Ensures promtool (Debian's prometheus package) for the test that checks the alert rules:
# installs it with apt-get if it is missing. Idempotent. Prints progress on stderr only.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
say() { echo "promtool: $*" >&2; }

if command -v promtool >/dev/null 2>&1; then
  say "present"
  exit 0
fi
say "installing Debian's prometheus package (for promtool) with apt-get"
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
# The package starts a server where an init system runs; the tests need only promtool.
as_root systemctl disable --now prometheus >/dev/null 2>&1 || true
say "installed"
