#!/usr/bin/env bash
# Sets up the instruction-count benchmarks (benches/instructions.rs, iai-callgrind):
#
#   scripts/setup-iai.sh      # idempotent: does nothing when both are already there
#
#   - valgrind: Debian's package, installed only when missing and we are root (a CI container or
#     the project's machine); otherwise it says what to run and exits 1;
#   - iai-callgrind-runner of exactly the version of the iai-callgrind crate in Cargo.lock (the
#     bench harness refuses another), from crates.io with `cargo install --locked`, into
#     $CARGO_HOME/bin (on the PATH of a rustup install).
#
# Not part of `make test`: the instruction-count gate runs in the pull-request workflow's
# Benchmarks step (scripts/bench-gate.py --instructions); see docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
say() { echo "setup-iai: $*" >&2; }

if ! command -v valgrind >/dev/null; then
  if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    SUDO=sudo
  elif [ "$(id -u)" = "0" ]; then
    SUDO=
  else
    say "valgrind is missing and we are not root: run 'sudo apt-get install -y valgrind'"
    exit 1
  fi
  if ! command -v apt-get >/dev/null; then
    say "valgrind is missing and there is no apt-get: install valgrind (3.13 or later)"
    exit 1
  fi
  say "installing valgrind from Debian (apt-get update, then apt-get install -y valgrind)"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends valgrind
fi
valgrind --version >&2

# The version Cargo.lock pins for the iai-callgrind crate.
version=$(awk '/^name = "iai-callgrind"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$version" ]; then
  say "Cargo.lock has no iai-callgrind package"
  exit 1
fi
# (`iai-callgrind-runner --version` is no help: the runner expects to be started by a benchmark.)
have=$(cargo install --list | awk '$1 == "iai-callgrind-runner" { sub(/^v/, "", $2); sub(/:$/, "", $2); print $2 }')
if [ "$have" = "$version" ]; then
  exit 0
fi
say "installing iai-callgrind-runner $version (found: ${have:-none}) with cargo install --locked"
cargo install iai-callgrind-runner --version "$version" --locked
