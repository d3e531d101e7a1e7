#!/usr/bin/env bash
# Install the Debian packages the test suite needs (PostgreSQL server, Chromium, Pango for
# the PDFs), only where they are missing. Needs root (as on CI and the development machines).
# `--documents`: only what making PDFs needs (for `make demo`).
set -euo pipefail

need=()
# WeasyPrint (the plan and letter PDFs) needs Pango and HarfBuzz's subsetter, and fonts.
ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || need+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p | grep -q 'libharfbuzz-subset.so.0' || need+=(libharfbuzz-subset0)
# Fonts so that the PDFs, screenshots and axe's contrast checks see real text.
[ -d /usr/share/fonts/truetype/liberation ] || need+=(fonts-liberation)
if [ "${1:-}" != "--documents" ]; then
  ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
  [ -x /usr/bin/chromium ] || need+=(chromium)
fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "These Debian packages are missing: ${need[*]}. Install them with: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
