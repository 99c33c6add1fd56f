#!/usr/bin/env python3
"""Fail CI when a criterion benchmark got slower: criterion itself never fails.

Reads criterion's saved estimates for two baselines,

    <criterion-dir>/<benchmark id>/<baseline>/estimates.json

(the benchmark id may span several directories: group/function/parameter), compares one
statistic (the median by default) of every benchmark present in both, prints a table of the
values and their ratios (candidate / base), and exits 1 when any ratio exceeds --max-slowdown.

Typical use (CRITERION_HOME points both runs at one directory):

    (cd base-worktree && CRITERION_HOME=$PWD/../target/criterion cargo bench -- --save-baseline main)
    cargo bench                       # the latest run lands in <id>/new/
    scripts/bench-gate.py --base main --candidate new --max-slowdown 1.10

Exit codes: 0 no benchmark slowed down too much (or none to compare), 1 at least one did,
2 the criterion directory is missing or holds neither baseline.
Python 3 standard library only. `--self-test` checks the script on a synthetic layout.
"""

import argparse
import json
import os
import sys
import tempfile

STATISTICS = ("median", "mean", "slope")


def find_benchmarks(root, baseline):
    """{benchmark id: path of its estimates.json} for one baseline."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        if os.path.basename(dirpath) == baseline and "estimates.json" in filenames:
            bench_dir = os.path.dirname(dirpath)
            rel = os.path.relpath(bench_dir, root).replace(os.sep, "/")
            name = rel
            meta = os.path.join(dirpath, "benchmark.json")
            try:
                with open(meta, encoding="utf-8") as f:
                    name = json.load(f).get("full_id") or rel
            except (OSError, ValueError):
                pass
            found[name] = os.path.join(dirpath, "estimates.json")
    return found


def read_statistic(path, statistic):
    """The point estimate (nanoseconds) of one statistic; the median when the slope is absent."""
    with open(path, encoding="utf-8") as f:
        estimates = json.load(f)
    value = estimates.get(statistic)
    if value is None and statistic == "slope":
        value = estimates.get("median")
    if value is None:
        raise ValueError(f"{path}: no {statistic!r} estimate")
    return float(value["point_estimate"])


def human(ns):
    if ns is None:
        return "-"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3f} {unit}"
    return f"{ns:.1f} ns"


def compare(root, base, candidate, statistic, max_slowdown):
    """Rows (id, base ns, candidate ns, ratio, status) and the failure lines."""
    base_paths = find_benchmarks(root, base)
    cand_paths = find_benchmarks(root, candidate)
    rows, failures = [], []
    for bench in sorted(set(base_paths) | set(cand_paths)):
        b = read_statistic(base_paths[bench], statistic) if bench in base_paths else None
        c = read_statistic(cand_paths[bench], statistic) if bench in cand_paths else None
        ratio = c / b if b and c is not None else None
        if b is None:
            status = f"only in {candidate}"
        elif c is None:
            status = f"only in {base}"
        elif ratio > max_slowdown:
            status = "SLOWER"
            failures.append(
                f"{bench} slowed down {ratio:.3f}x ({human(b)} -> {human(c)}, {statistic}), "
                f"more than {max_slowdown:.2f}x allowed"
            )
        elif ratio < 1 / max_slowdown:
            status = "faster"
        else:
            status = "ok"
        rows.append((bench, b, c, ratio, status))
    return rows, failures, len(base_paths), len(cand_paths)


def table(rows, base, candidate, statistic, markdown):
    heads = ("benchmark", f"{base} ({statistic})", f"{candidate} ({statistic})", "ratio", "")
    cells = [(r[0], human(r[1]), human(r[2]), "-" if r[3] is None else f"{r[3]:.3f}", r[4]) for r in rows]
    if markdown:
        out = ["| " + " | ".join(heads) + " |", "|---|---:|---:|---:|---|"]
        for c in cells:
            mark = {"SLOWER": "❌ slower", "faster": "✅ faster", "ok": "✅"}.get(c[4], c[4])
            out.append(f"| `{c[0]}` | {c[1]} | {c[2]} | {c[3]} | {mark} |")
        return "\n".join(out) + "\n"
    widths = [max(len(x) for x in col) for col in zip(heads, *cells)]
    line = lambda c: (f"{c[0]:<{widths[0]}}  {c[1]:>{widths[1]}}  {c[2]:>{widths[2]}}  "
                      f"{c[3]:>{widths[3]}}  {c[4]}").rstrip()
    return "\n".join([line(heads)] + [line(c) for c in cells]) + "\n"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--criterion-dir", default=os.environ.get("CRITERION_HOME", "target/criterion"),
                   help="criterion's output directory (default: $CRITERION_HOME or target/criterion)")
    p.add_argument("--base", "--baseline", dest="base", default="main",
                   help="the saved baseline to compare against (default: main)")
    p.add_argument("--candidate", default="new",
                   help="the candidate baseline (default: new, criterion's latest run)")
    p.add_argument("--max-slowdown", type=float, default=1.10,
                   help="fail when candidate / base exceeds this ratio (default: 1.10)")
    p.add_argument("--statistic", choices=STATISTICS, default="median",
                   help="which estimate to compare (default: median)")
    p.add_argument("--markdown", action="store_true", help="print a Markdown table")
    p.add_argument("--self-test", action="store_true", help="check this script and exit")
    args = p.parse_args(argv)
    if args.self_test:
        return self_test()
    if args.max_slowdown < 1.0:
        print("bench-gate: --max-slowdown must be at least 1.0", file=sys.stderr)
        return 2
    if not os.path.isdir(args.criterion_dir):
        print(f"bench-gate: no criterion directory at {args.criterion_dir} "
              "(run `cargo bench -- --save-baseline NAME` first)", file=sys.stderr)
        return 2
    try:
        rows, failures, n_base, n_cand = compare(args.criterion_dir, args.base, args.candidate,
                                                 args.statistic, args.max_slowdown)
    except (OSError, ValueError, KeyError) as e:
        print(f"bench-gate: {e}", file=sys.stderr)
        return 2
    if n_base == 0 and n_cand == 0:
        print(f"bench-gate: neither baseline {args.base!r} nor {args.candidate!r} under "
              f"{args.criterion_dir}", file=sys.stderr)
        return 2
    sys.stdout.write(table(rows, args.base, args.candidate, args.statistic, args.markdown))
    compared = sum(1 for r in rows if r[3] is not None)
    if compared == 0:
        print(f"bench-gate: no benchmark is in both {args.base!r} ({n_base}) and "
              f"{args.candidate!r} ({n_cand}): nothing to gate", file=sys.stderr)
    for f in failures:
        print(f"bench-gate: {f}", file=sys.stderr)
    return 1 if failures else 0


def self_test():
    """Runs main() on a synthetic criterion layout; returns 0 when every check holds."""
    import contextlib
    import io

    def bench(root, bench_id, baseline, median, slope=None):
        d = os.path.join(root, *bench_id.split("/"), baseline)
        os.makedirs(d, exist_ok=True)
        est = lambda v: {"confidence_interval": {"confidence_level": 0.95, "lower_bound": v * 0.98,
                                                 "upper_bound": v * 1.02},
                         "point_estimate": v, "standard_error": v * 0.01}
        with open(os.path.join(d, "estimates.json"), "w", encoding="utf-8") as f:
            json.dump({"mean": est(median * 1.01), "median": est(median), "median_abs_dev": est(1.0),
                       "slope": est(slope) if slope else None, "std_dev": est(2.0)}, f)
        with open(os.path.join(d, "benchmark.json"), "w", encoding="utf-8") as f:
            json.dump({"full_id": bench_id, "directory_name": bench_id}, f)

    def run(*argv):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
        return code, out.getvalue(), err.getvalue()

    checks = []

    def check(ok, what):
        checks.append((ok, what))

    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "criterion")
        bench(root, "score/corpus", "main", 1_000.0)
        bench(root, "score/corpus", "new", 1_080.0)            # 1.08: within 1.10
        bench(root, "align/quotes/64", "main", 2_000_000.0)
        bench(root, "align/quotes/64", "new", 2_400_000.0, slope=2_000_000.0)  # 1.20: too slow
        bench(root, "eval/article", "main", 5e9)
        bench(root, "eval/article", "new", 4e9)                # faster
        bench(root, "only/in/new", "new", 10.0)
        os.makedirs(os.path.join(root, "report"))             # criterion's HTML, ignored

        code, out, err = run("--criterion-dir", root)
        check(code == 1, f"a 1.20x slowdown fails at 1.10 (exit {code})")
        check("align/quotes/64" in out and "1.200" in out and "SLOWER" in out, "the table names it")
        check("score/corpus" in out and "1.080" in out, "the table lists the others")
        check("only in new" in out, "a benchmark of one baseline is listed, not gated")
        check("2.000 ms" in out and "5.000 s" in out, "durations are readable")
        check(err.count("slowed down") == 1 and "align/quotes/64 slowed down 1.200x" in err, err)

        code, _, _ = run("--criterion-dir", root, "--baseline", "main", "--max-slowdown", "1.25")
        check(code == 0, "1.25 allows 1.20 (--baseline is --base)")
        code, _, _ = run("--criterion-dir", root, "--statistic", "slope")
        check(code == 0, "by slope, align/quotes/64 did not slow down")
        code, out, _ = run("--criterion-dir", root, "--markdown")
        check(code == 1 and "| `align/quotes/64` |" in out and "❌ slower" in out, "Markdown")
        code, _, err = run("--criterion-dir", root, "--base", "nope", "--candidate", "also-nope")
        check(code == 2, "missing baselines: exit 2")
        code, _, err = run("--criterion-dir", root, "--base", "nope")
        check(code == 0 and "nothing to gate" in err, "no common benchmark: warn, exit 0")
        code, _, _ = run("--criterion-dir", os.path.join(tmp, "missing"))
        check(code == 2, "missing directory: exit 2")

    failed = [what for ok, what in checks if not ok]
    for what in failed:
        print(f"bench-gate self-test FAILED: {what}", file=sys.stderr)
    if not failed:
        print(f"bench-gate self-test: {len(checks)} checks ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
