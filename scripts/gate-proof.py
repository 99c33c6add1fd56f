#!/usr/bin/env python3
"""Shows what the benchmark gate decides: A/A runs (the same commit on both sides) must pass,
A/B runs (the same commit, the head side with a known slowdown injected) must fail and name the
slowed benchmarks.

    scripts/gate-proof.py [--aa 10] [--ab 10] [--inject 0.15] [--out proof.json] [-- GATE ARGS]

Each run is the workflow's gate step, `scripts/bench-gate.py paired`, with this tree as base and
head (built once: cargo finds nothing to rebuild after the first run). A/B runs pass
`--head-env QUOTEVAL_BENCH_INJECT_SLOWDOWN=F`, which only bench code reads
(benches/common/inject.rs): the annotation and CoNLL scorers and the quote extractor repeat
about F of their work. `quotes/text` gets no extra work: it must pass in A/B too.
Arguments after `--` go to bench-gate.py (they replace the defaults below, which bound a run
to about 2 minutes on a loaded 2-core machine; docs/benchmarks.md has the figures).

Exit status 0 when every A/A run passed and every A/B run failed naming an injected benchmark
and no other; 1 otherwise. Python 3 standard library only.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GATE = os.path.join(ROOT, "scripts", "bench-gate.py")
INJECTED = ("annotation_scorer/", "conll_scorer/", "quotes/extract",
            "scorers/", "extractor/quotes_extract")
DEFAULT_GATE_ARGS = [
    "--cargo-args", "--no-default-features --features light",
    "--bench", "scoring", "--bench", "quotes",
    "--filter", r"^(annotation_scorer/gold_corpus|quotes/extract|quotes/text)$",
    "--rounds", "20", "--warm-up", "0.1", "--measurement", "0.3",
]


def gate_run(kind, i, inject, gate_args, work):
    out_json = os.path.join(work, f"{kind.replace('/', '')}-{i}.json")
    cmd = [sys.executable, GATE, "paired", "--base-tree", ROOT, "--head-tree", ROOT,
           "--json", out_json, *gate_args]
    if kind == "A/B":
        cmd += ["--head-env", f"QUOTEVAL_BENCH_INJECT_SLOWDOWN={inject}"]
    started = time.monotonic()
    res = subprocess.run(cmd, capture_output=True, text=True)
    took = time.monotonic() - started
    if res.returncode not in (0, 1) or not os.path.exists(out_json):
        sys.stderr.write(res.stderr)
        raise SystemExit(f"gate-proof: the gate could not run (exit {res.returncode})")
    with open(out_json, encoding="utf-8") as f:
        rows = json.load(f)
    failed = [r["id"] for r in rows["wall_clock"] if r["status"] == "SLOWER"]
    failed += [r["id"] for r in rows["instructions"] if r["status"] == "MORE"]
    return {"kind": kind, "run": i, "exit": res.returncode, "failed": failed, "seconds": took,
            "wall_clock": rows["wall_clock"], "instructions": rows["instructions"],
            "pairs_ns": rows.get("pairs_ns", {})}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--aa", type=int, default=10, help="A/A runs (default 10)")
    ap.add_argument("--ab", type=int, default=10, help="A/B runs (default 10)")
    ap.add_argument("--inject", type=float, default=0.15, help="injected work (default 0.15)")
    ap.add_argument("--out", help="write every run's rows here (JSON)")
    ap.add_argument("gate_args", nargs="*", help="after --: bench-gate.py paired arguments")
    args = ap.parse_args()
    gate_args = args.gate_args or DEFAULT_GATE_ARGS
    results = []
    with tempfile.TemporaryDirectory(prefix="gate-proof-") as work:
        # Alternate A/A and A/B so that both see the same machine over the whole proof.
        plan = [("A/A", i) for i in range(args.aa)] + [("A/B", i) for i in range(args.ab)]
        plan.sort(key=lambda p: (p[1], p[0]))
        for kind, i in plan:
            r = gate_run(kind, i + 1, args.inject, gate_args, work)
            results.append(r)
            ivals = ", ".join(f"{w['id']} {w['ratio']:.3f} [{w['low']:.3f}, {w['high']:.3f}]"
                              for w in r["wall_clock"] if w["ratio"] is not None)
            irs = ", ".join(f"{w['id'].split('/')[1]} {w['ratio']:.4f}"
                            for w in r["instructions"] if w["ratio"] is not None)
            print(f"{kind} run {i + 1}: exit {r['exit']} in {r['seconds']:.0f} s; "
                  f"failed: {', '.join(r['failed']) or 'none'}\n    {ivals}\n    instructions: "
                  f"{irs or '-'}", flush=True)
    aa = [r for r in results if r["kind"] == "A/A"]
    ab = [r for r in results if r["kind"] == "A/B"]
    aa_pass = sum(1 for r in aa if r["exit"] == 0)
    ab_fail = sum(1 for r in ab if r["exit"] == 1)
    named = sum(1 for r in ab if r["failed"]
                and all(any(f.startswith(p) for p in INJECTED) for f in r["failed"]))
    print(f"\nA/A: the gate passed {aa_pass} of {len(aa)} runs")
    print(f"A/B (+{args.inject:.0%} work in the scorers and the extractor): the gate failed "
          f"{ab_fail} of {len(ab)} runs, {named} naming injected benchmarks only")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump({"inject": args.inject, "gate_args": gate_args, "runs": results}, f,
                      indent=1)
    return 0 if aa_pass == len(aa) and ab_fail == len(ab) and named == len(ab) else 1


if __name__ == "__main__":
    sys.exit(main())
