#!/usr/bin/env bash
# Ensures the tools the pasted quick start uses (curl, openssl; bash and coreutils are
# always there): installs them with apt-get if missing. Idempotent. Progress on stderr only.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
say() { echo "shell tools: $*" >&2; }

missing=()
for tool in curl openssl; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -eq 0 ]; then
  say "present"
  exit 0
fi
say "installing ${missing[*]} with apt-get"
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
say "installed"
