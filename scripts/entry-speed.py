#!/usr/bin/env python3
"""Paired throughput of models.toml entries on one corpus: each round runs every entry once, in
an order rotated round by round, and reads the extract time from its report; the throughput of
an entry against the first one is, per round, the first's time over its own (same articles), and
the median of those ratios is printed with their range.

  python3 scripts/entry-speed.py --gold DIR [--rounds 3] [ENTRY ...]

Default entries: quoteval-ner-minilm (the reference), quoteval-joint, quoteval-quote-hybrid.
Rotating the order and taking per-round ratios cancels machine drift slower than a round, which
matters on a shared 2-core machine (docs/benchmarks.md, "Why paired").
"""
import argparse
import json
import statistics
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", required=True, help="the corpus (a gold directory)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--quoteval", default=str(ROOT / "target/release/quoteval"))
    ap.add_argument("entries", nargs="*", default=["quoteval-ner-minilm", "quoteval-joint", "quoteval-quote-hybrid"])
    args = ap.parse_args()
    times = {e: [] for e in args.entries}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            k = r % len(args.entries)
            for e in args.entries[k:] + args.entries[:k]:
                out = Path(tmp) / f"{e}.json"
                subprocess.run([args.quoteval, "eval", "--gold", args.gold, "--model", e, "--json", "--out", str(out)],
                               check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                times[e].append(json.loads(out.read_text(encoding="utf-8"))["run"]["timing"]["extract_seconds"])
            print(f"round {r + 1}: " + ", ".join(f"{e} {times[e][-1]:.2f} s" for e in args.entries), flush=True)
    ref = times[args.entries[0]]
    for e in args.entries:
        ratios = [a / b for a, b in zip(ref, times[e])]
        print(f"{e}: median extract {statistics.median(times[e]):.2f} s; throughput against {args.entries[0]} "
              f"{statistics.median(ratios):.3f}x (rounds {min(ratios):.3f}-{max(ratios):.3f})")


if __name__ == "__main__":
    main()
