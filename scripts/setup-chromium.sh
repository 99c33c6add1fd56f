#!/usr/bin/env bash
# Installs Debian's `chromium` for the browser test of the HTML report (tests/html_report.rs).
#
#   scripts/setup-chromium.sh     # idempotent: does nothing when chromium is already there
#
# Only installs when the browser is missing and we are root (a CI container or the project's
# machine); otherwise it says what to run and leaves the system alone. The browser test fails,
# never skips, when chromium is missing.
set -euo pipefail

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
say() { echo "setup-chromium: $*" >&2; }

if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  say "$CHROMIUM is missing and we are not root: run 'sudo apt-get install -y chromium'"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  say "$CHROMIUM is missing and there is no apt-get: install Chromium and set CHROMIUM=/path/to/it"
  exit 0
fi
say "installing chromium from Debian (apt-get update, then apt-get install -y chromium)"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium
"$CHROMIUM" --version >&2
