#!/usr/bin/env bash
# Start-up cost of the commands that run no model: the median wall time (s) and peak RSS (KB) of
# RUNS runs each (GNU time's %e and %M), as in README "Figures".
#
#   scripts/startup-bench.sh [QUOTEVAL] [CONLL_FILE]
#
# QUOTEVAL defaults to $CARGO_TARGET_DIR/release/quoteval (or target/release/quoteval);
# CONLL_FILE (e.g. ../shared/data/conll2003/test.txt) is scored against itself; without it the
# CoNLL row is left out. RUNS (default 15).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BIN="${1:-${CARGO_TARGET_DIR:-target}/release/quoteval}"
CONLL="${2:-}"
RUNS="${RUNS:-15}"
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "startup-bench: needs GNU time at $TIME" >&2; exit 1; }
[ -x "$BIN" ] || { echo "startup-bench: no binary at $BIN (make build)" >&2; exit 1; }

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

measure() {
  local label="$1"; shift
  local log; log="$(mktemp)"
  # Once unmeasured: the command must succeed, and the files are in the page cache.
  "$@" > /dev/null 2>&1 || { echo "startup-bench: failed: $*" >&2; exit 1; }
  for _ in $(seq "$RUNS"); do
    "$TIME" -f '%e %M' -a -o "$log" "$@" > /dev/null 2>&1 || true
  done
  printf '%-28s median %6.3f s  %7d KB  (%s runs)\n' "$label" \
    "$(awk '{ print $1 }' "$log" | median)" "$(awk '{ print $2 }' "$log" | median)" "$RUNS"
  rm -f "$log"
}

measure "--help" "$BIN" --help
measure "gold check gold" "$BIN" gold check gold
if [ -n "$CONLL" ]; then
  measure "score --conll (self)" "$BIN" score --conll "$CONLL" "$CONLL"
fi
