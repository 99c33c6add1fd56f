#!/usr/bin/env python3
"""Fail CI when a benchmark got slower: criterion itself never fails.

Two modes. `bench-gate.py paired --base-tree BASE --head-tree HEAD` (what the pull-request
workflow runs; `paired --help` and docs/benchmarks.md say how): base and head measured in
alternation, gated on the interval of the ratio, plus instruction counts. Without `paired`,
the saved-baseline mode below.

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
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

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
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "paired":
        return paired_main(argv[1:])
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


# ------------------------------------------------------------------------------------ paired
# `bench-gate.py paired`: the base's and the head's benchmark executables measured in
# alternation, the decision on the confidence interval of the ratio; instruction counts gated
# apart. See docs/benchmarks.md for the method and its measured error rates.

PAIRED_DOC = """Paired benchmark gate: base and head measured in alternation, gated on an interval.

    bench-gate.py paired --base-tree BASE --head-tree HEAD [--bench NAME]... [options]

Builds each tree's benchmark executables once (`cargo bench --no-run --message-format=json`),
then measures every criterion benchmark present in both, base and head in alternation (round r
runs base then head, round r+1 head then base: ABBA), each run a short criterion run in its own
CRITERION_HOME. Pair k gives the ratio head_k / base_k of the per-iteration medians; the estimate
is the median of the pair ratios, and its percentile-bootstrap interval (resampling pairs,
seeded) is printed beside it. A benchmark fails only when the whole interval lies above
--max-slowdown: drift of the machine between the halves of a run no longer reads as a slowdown.

The instruction-count benchmarks (--instructions-bench, iai-callgrind; deterministic) run once
per side and fail when head / base exceeds --max-instructions (default 1.02).

Exit codes as for the saved-baseline mode: 0 pass, 1 a benchmark slowed down, 2 nothing could
be measured (a build failed, no benchmark in both trees, an executable failed).
"""


def cargo_bench_executables(tree, benches, cargo_args, log, clean=False):
    """{bench target name: executable} of `tree`, for the requested targets that it has."""
    meta = subprocess.run(["cargo", "metadata", "--no-deps", "--format-version", "1"], cwd=tree,
                          check=True, capture_output=True, text=True).stdout
    targets = set()
    for pkg in json.loads(meta)["packages"]:
        if os.path.realpath(os.path.dirname(pkg["manifest_path"])) != os.path.realpath(tree):
            continue
        targets |= {t["name"] for t in pkg["targets"] if "bench" in t["kind"]}
    wanted = [b for b in benches if b in targets]
    for b in benches:
        if b not in targets:
            log(f"{tree}: no bench target {b!r}")
    if not wanted:
        return {}
    if clean:
        # The two trees' packages have one name and version, so with one target directory (as in
        # the workflow) their units share file names; and cargo judges freshness by the mtimes
        # of the files the *previous* build read: a head checked out before the base was built
        # would be taken as built, and the gate would measure the base twice. Found here: the
        # second tree's build "finished in 0.45 s" with the first's executables.
        for pkg in json.loads(meta)["packages"]:
            if os.path.realpath(os.path.dirname(pkg["manifest_path"])) == os.path.realpath(tree):
                log(f"{tree}: cargo clean --release -p {pkg['name']} (the other tree's build)")
                subprocess.run(["cargo", "clean", "--release", "-p", pkg["name"]], cwd=tree,
                               check=True, capture_output=True)
    cmd = ["cargo", "bench", "--locked", "--no-run", "--message-format=json", *cargo_args]
    for b in wanted:
        cmd += ["--bench", b]
    log(f"building in {tree}: {' '.join(cmd)}")
    out = subprocess.run(cmd, cwd=tree, stdout=subprocess.PIPE, text=True)
    exes = {}
    for line in out.stdout.splitlines():
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if (msg.get("reason") == "compiler-artifact" and msg.get("executable")
                and "bench" in msg["target"]["kind"]):
            exes[msg["target"]["name"]] = msg["executable"]
    if out.returncode != 0:
        raise RuntimeError(f"cargo bench --no-run failed in {tree} (exit {out.returncode})")
    return exes


def keep_copies(exes, dest):
    """Copies the executables aside: the base's and the head's builds may share a target dir
    (and file names), so the second build could replace the first's."""
    os.makedirs(dest, exist_ok=True)
    kept = {}
    for name, path in exes.items():
        copy = os.path.join(dest, name)
        shutil.copy2(path, copy)
        kept[name] = copy
    return kept


def list_criterion(exe, env):
    out = subprocess.run([exe, "--bench", "--list"], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{exe} --bench --list failed: {out.stderr.strip()[-500:]}")
    return [line[: -len(": benchmark")] for line in out.stdout.splitlines()
            if line.endswith(": benchmark")]


def run_criterion(exe, bench_id, env, opts, statistic):
    """One short criterion run of one benchmark in a fresh CRITERION_HOME: its estimate (ns)."""
    home = tempfile.mkdtemp(prefix="bench-gate-")
    try:
        run_env = dict(env, CRITERION_HOME=home)
        cmd = [exe, "--bench", "--exact", bench_id, "--noplot",
               "--warm-up-time", str(opts.warm_up), "--measurement-time", str(opts.measurement),
               "--sample-size", str(opts.sample_size)]
        out = subprocess.run(cmd, env=run_env, capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed: {out.stderr.strip()[-500:]}")
        found = find_benchmarks(home, "new")
        if len(found) != 1:
            raise RuntimeError(f"{exe} {bench_id}: expected one estimate, found {len(found)}")
        path = next(iter(found.values()))
        if statistic == "fastest":
            return fastest_sample(os.path.join(os.path.dirname(path), "sample.json"))
        return read_statistic(path, statistic)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def fastest_sample(path):
    """The fastest sample's time per iteration (ns) of criterion's sample.json: load on a
    shared machine only ever adds time, so the least disturbed sample varies least."""
    with open(path, encoding="utf-8") as f:
        sample = json.load(f)
    return min(t / n for t, n in zip(sample["times"], sample["iters"]))


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def bootstrap_interval(ratios, confidence, resamples, seed):
    """Median of the pair ratios and its percentile-bootstrap interval (pairs resampled with
    replacement, `resamples` times, random.Random(seed))."""
    rng = random.Random(seed)
    n = len(ratios)
    stats = sorted(median([ratios[rng.randrange(n)] for _ in range(n)]) for _ in range(resamples))
    alpha = (1 - confidence) / 2
    lo = stats[min(resamples - 1, int(alpha * resamples))]
    hi = stats[min(resamples - 1, int((1 - alpha) * resamples))]
    return median(ratios), lo, hi


def verdict(point, lo, hi, max_ratio):
    if lo > max_ratio:
        return "SLOWER"
    if hi < 1 / max_ratio:
        return "faster"
    return "ok"


def paired_measure(base_exes, head_exes, opts, log):
    """Rows for every criterion benchmark of both sides: (id, base ns, head ns, ratio, lo, hi,
    status, pairs)."""
    base_env = dict(os.environ, **opts.base_env)
    head_env = dict(os.environ, **opts.head_env)
    jobs = []  # (bench target, id)
    only = []
    for target in sorted(set(base_exes) & set(head_exes)):
        b_ids = list_criterion(base_exes[target], base_env)
        h_ids = list_criterion(head_exes[target], head_env)
        for i in h_ids:
            if i in b_ids and (not opts.filter or re.search(opts.filter, i)):
                jobs.append((target, i))
        only += [(i, "head") for i in h_ids if i not in b_ids]
        only += [(i, "base") for i in b_ids if i not in h_ids]
    pairs = {job: [] for job in jobs}
    opts.pairs = {}
    started = time.monotonic()
    for r in range(opts.rounds):
        if r >= opts.min_rounds and time.monotonic() - started > opts.budget:
            log(f"time budget of {opts.budget:.0f} s spent after {r} rounds")
            break
        for k, (target, bench_id) in enumerate(jobs):
            sides = [("base", base_exes, base_env), ("head", head_exes, head_env)]
            if (r + k) % 2:
                sides.reverse()
            got = {}
            for side, exes, env in sides:
                got[side] = run_criterion(exes[target], bench_id, env, opts, opts.statistic)
            pairs[(target, bench_id)].append((got["base"], got["head"]))
        log(f"round {r + 1}/{opts.rounds} done ({time.monotonic() - started:.0f} s)")
    rows = []
    for (target, bench_id), ps in pairs.items():
        ratios = [h / b for b, h in ps]
        point, lo, hi = bootstrap_interval(ratios, opts.confidence, opts.resamples, opts.seed)
        rows.append((bench_id, median([b for b, _ in ps]), median([h for _, h in ps]), point, lo,
                     hi, verdict(point, lo, hi, opts.max_slowdown), len(ps)))
        opts.pairs[bench_id] = ps
    for bench_id, side in only:
        rows.append((bench_id, None, None, None, None, None, f"only in {side}", 0))
    return rows


def instruction_counts(exe, env, home):
    """{benchmark id: instructions (Callgrind's Ir)} from one run of an iai-callgrind bench."""
    shutil.rmtree(home, ignore_errors=True)
    run_env = dict(env, IAI_CALLGRIND_HOME=home)
    cmd = [exe, "--bench", "--save-summary=json"]
    out = subprocess.run(cmd, env=run_env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{exe} --bench (iai-callgrind) failed (exit {out.returncode}; "
                           f"scripts/setup-iai.sh sets it up): {out.stderr.strip()[-800:]}")
    counts = {}
    for dirpath, _, filenames in os.walk(home):
        if "summary.json" not in filenames:
            continue
        with open(os.path.join(dirpath, "summary.json"), encoding="utf-8") as f:
            s = json.load(f)
        module = s["module_path"].split("::")[1:]
        name = "/".join(module + ([s["id"]] if s.get("id") else []))
        for profile in s["profiles"]:
            ir = profile["summaries"]["total"]["summary"].get("Callgrind", {}).get("Ir")
            if ir:
                metrics = ir["metrics"]
                value = metrics.get("Left") or metrics.get("Both", [None])[0]
                counts[name] = float(next(iter(value.values())))
    if not counts:
        raise RuntimeError(f"{exe}: no instruction counts under {home}")
    return counts


def instruction_rows(base_exe, head_exe, opts, work):
    """Rows (id, base, head, ratio, status): the median count of --instruction-runs runs per
    side, base and head alternating. The same executable gives counts within about 1.5 % of each
    other, not the same count: hash maps seeded at random (std's RandomState) change the work a
    little from run to run; the median of 3 keeps one such run from deciding."""
    runs = {"base": [], "head": []}
    for k in range(opts.instruction_runs):
        for side in (("base", "head") if k % 2 == 0 else ("head", "base")):
            exe, env = ((base_exe, opts.base_env) if side == "base" else (head_exe, opts.head_env))
            runs[side].append(instruction_counts(exe, dict(os.environ, **env),
                                                 os.path.join(work, f"iai-{side}")))
    base = {n: median([r[n] for r in runs["base"] if n in r]) for n in runs["base"][0]}
    head = {n: median([r[n] for r in runs["head"] if n in r]) for n in runs["head"][0]}
    rows = []
    for name in sorted(set(base) | set(head)):
        b, h = base.get(name), head.get(name)
        if b is None or h is None:
            rows.append((name, b, h, None, f"only in {'head' if b is None else 'base'}"))
            continue
        ratio = h / b
        status = ("MORE" if ratio > opts.max_instructions
                  else "fewer" if ratio < 1 / opts.max_instructions else "ok")
        rows.append((name, b, h, ratio, status))
    return rows


def render_table(heads, cells, markdown, left):
    """One table as Markdown (the first column as code, the last one's status marks) or as
    aligned text; `left`: the text columns, aligned left."""
    if markdown:
        align = ["---" if i in left else "---:" for i in range(len(heads))]
        lines = ["| " + " | ".join(heads) + " |", "|" + "|".join(align) + "|"]
        for c in cells:
            lines.append("| " + " | ".join([f"`{c[0]}`", *c[1:]]) + " |")
        return lines
    widths = [max(len(x) for x in col) for col in zip(heads, *cells)]
    return ["  ".join(f"{v:<{w}}" if i in left else f"{v:>{w}}"
                      for i, (v, w) in enumerate(zip(c, widths))).rstrip()
            for c in [heads] + cells]


def paired_report(rows, irows, opts, markdown):
    pct = f"{opts.confidence * 100:.0f} %"
    out = []
    heads = ("benchmark", "base (median)", "head (median)", "head/base", f"{pct} interval",
             "pairs", "")
    marks = {"SLOWER": "❌ slower", "faster": "✅ faster", "ok": "✅"} if markdown else {}
    cells = [(r[0], human(r[1]), human(r[2]), "-" if r[3] is None else f"{r[3]:.3f}",
              "-" if r[4] is None else f"[{r[4]:.3f}, {r[5]:.3f}]", str(r[7]),
              marks.get(r[6], r[6]))
             for r in rows]
    if markdown:
        out.append(f"Wall clock, paired (base and head in alternation; fails when the whole "
                   f"{pct} interval of head/base is above {opts.max_slowdown:.2f}):")
        out.append("")
    out.extend(render_table(heads, cells, markdown, left=(0, 4, 6) if markdown else (0, 6)))
    if irows is not None:
        out.append("")
        iheads = ("benchmark", "base", "head", "head/base", "")
        imarks = {"MORE": "❌ more", "fewer": "✅ fewer", "ok": "✅"} if markdown else {}
        icells = [(r[0], "-" if r[1] is None else f"{r[1]:,.0f}",
                   "-" if r[2] is None else f"{r[2]:,.0f}",
                   "-" if r[3] is None else f"{r[3]:.4f}", imarks.get(r[4], r[4]))
                  for r in irows]
        if markdown:
            out.append(f"Instructions (Callgrind, deterministic; fails above "
                       f"{opts.max_instructions:.2f}):")
            out.append("")
        else:
            out.append("instructions:")
        out.extend(render_table(iheads, icells, markdown, left=(0, 4)))
    return "\n".join(out) + "\n"


def env_pairs(items):
    env = {}
    for item in items:
        if "=" not in item:
            raise argparse.ArgumentTypeError(f"not NAME=VALUE: {item!r}")
        k, v = item.split("=", 1)
        env[k] = v
    return env


def paired_parser():
    p = argparse.ArgumentParser(prog="bench-gate.py paired", description=PAIRED_DOC.split("\n")[0],
                                epilog=PAIRED_DOC, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base-tree", required=True, help="the base's checkout (built there)")
    p.add_argument("--head-tree", default=".", help="the head's checkout (default: .)")
    p.add_argument("--bench", action="append", default=[],
                   help="criterion bench target (repeat; default: scoring and quotes)")
    p.add_argument("--instructions-bench", default="instructions",
                   help="the iai-callgrind bench target ('' for none; default: instructions)")
    p.add_argument("--cargo-args", default="",
                   help="extra `cargo bench` arguments, e.g. '--no-default-features --features light'")
    p.add_argument("--filter", help="only the benchmark ids this regular expression finds")
    p.add_argument("--rounds", type=int, default=20, help="pairs per benchmark (default: 20)")
    p.add_argument("--min-rounds", type=int, default=5,
                   help="rounds run even past --budget (default: 5)")
    p.add_argument("--budget", type=float, default=1800,
                   help="seconds after which no new round starts (default: 1800)")
    p.add_argument("--warm-up", type=float, default=0.1, help="criterion warm-up s (default 0.1)")
    p.add_argument("--measurement", type=float, default=0.3,
                   help="criterion measurement s per run (default 0.3)")
    p.add_argument("--sample-size", type=int, default=10, help="criterion samples (default 10)")
    p.add_argument("--statistic", choices=STATISTICS + ("fastest",), default="median",
                   help="per run: criterion's estimate (default: median) or the fastest sample's "
                        "time per iteration (noisier here: measured, docs/benchmarks.md)")
    p.add_argument("--max-slowdown", type=float, default=1.10,
                   help="fail when the interval's lower bound exceeds it (default: 1.10)")
    p.add_argument("--max-instructions", type=float, default=1.02,
                   help="fail when head/base instructions exceed it (default: 1.02)")
    p.add_argument("--instruction-runs", type=int, default=3,
                   help="instruction-count runs per side, median taken (default: 3)")
    p.add_argument("--confidence", type=float, default=0.95, help="interval level (default 0.95)")
    p.add_argument("--resamples", type=int, default=2000, help="bootstrap resamples (default 2000)")
    p.add_argument("--seed", type=int, default=28, help="bootstrap seed (default 28)")
    p.add_argument("--base-env", action="append", default=[], metavar="NAME=VALUE",
                   help="environment of the base's runs only")
    p.add_argument("--head-env", action="append", default=[], metavar="NAME=VALUE",
                   help="environment of the head's runs only (gate-proof.py's injected slowdown)")
    p.add_argument("--work", help="where executables are kept (default: a temporary directory)")
    p.add_argument("--json", dest="json_out", help="also write the rows as JSON here")
    p.add_argument("--markdown", action="store_true", help="print Markdown tables")
    return p


def paired_main(argv):
    opts = paired_parser().parse_args(argv)
    log = lambda m: print(f"bench-gate: {m}", file=sys.stderr, flush=True)
    try:
        opts.base_env = env_pairs(opts.base_env)
        opts.head_env = env_pairs(opts.head_env)
    except argparse.ArgumentTypeError as e:
        log(str(e))
        return 2
    if opts.max_slowdown < 1.0 or opts.max_instructions < 1.0 or opts.rounds < 2:
        log("--max-slowdown and --max-instructions must be at least 1.0, --rounds at least 2")
        return 2
    benches = opts.bench or ["scoring", "quotes"]
    wanted = benches + ([opts.instructions_bench] if opts.instructions_bench else [])
    cargo_args = opts.cargo_args.split()
    work = opts.work or tempfile.mkdtemp(prefix="bench-gate-")
    try:
        same = os.path.realpath(opts.base_tree) == os.path.realpath(opts.head_tree)
        base = keep_copies(cargo_bench_executables(opts.base_tree, wanted, cargo_args, log,
                                                   clean=not same),
                           os.path.join(work, "base"))
        head = base if same else keep_copies(
            cargo_bench_executables(opts.head_tree, wanted, cargo_args, log, clean=True),
            os.path.join(work, "head"))
        crit_base = {k: v for k, v in base.items() if k in benches}
        crit_head = {k: v for k, v in head.items() if k in benches}
        rows = paired_measure(crit_base, crit_head, opts, log)
        irows = None
        ib = opts.instructions_bench
        if ib and ib in base and ib in head:
            irows = instruction_rows(base[ib], head[ib], opts, work)
        elif ib:
            log(f"instruction counts not compared: {ib!r} is "
                f"{'only in the head' if ib in head else 'only in the base' if ib in base else 'in neither tree'}")
    except (OSError, ValueError, KeyError, RuntimeError, subprocess.CalledProcessError) as e:
        log(str(e))
        return 2
    finally:
        if not opts.work:
            shutil.rmtree(work, ignore_errors=True)
    return paired_finish(rows, irows, opts, log)


def paired_finish(rows, irows, opts, log):
    sys.stdout.write(paired_report(rows, irows, opts, opts.markdown))
    if opts.json_out:
        with open(opts.json_out, "w", encoding="utf-8") as f:
            json.dump({"wall_clock": [dict(zip(("id", "base_ns", "head_ns", "ratio", "low", "high",
                                                "status", "pairs"), r)) for r in rows],
                       "instructions": [dict(zip(("id", "base", "head", "ratio", "status"), r))
                                        for r in irows or []],
                       "pairs_ns": getattr(opts, "pairs", {}),
                       "max_slowdown": opts.max_slowdown,
                       "max_instructions": opts.max_instructions,
                       "confidence": opts.confidence}, f, indent=1)
    compared = [r for r in rows if r[3] is not None] + [r for r in irows or [] if r[3] is not None]
    if not compared:
        log("no benchmark is in both trees: nothing to gate")
        return 2
    failures = []
    for r in rows:
        if r[6] == "SLOWER":
            failures.append(f"{r[0]} slowed down {r[3]:.3f}x ({human(r[1])} -> {human(r[2])}), "
                            f"{opts.confidence * 100:.0f} % interval [{r[4]:.3f}, {r[5]:.3f}] "
                            f"wholly above {opts.max_slowdown:.2f}x")
    for r in irows or []:
        if r[4] == "MORE":
            failures.append(f"{r[0]} runs {r[3]:.4f}x the instructions ({r[1]:,.0f} -> "
                            f"{r[2]:,.0f}), more than {opts.max_instructions:.2f}x allowed")
    for f in failures:
        log(f)
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

        self_test_paired(tmp, check, run)
        self_test_build(tmp, check)

    failed = [what for ok, what in checks if not ok]
    for what in failed:
        print(f"bench-gate self-test FAILED: {what}", file=sys.stderr)
    if not failed:
        print(f"bench-gate self-test: {len(checks)} checks ok")
    return 1 if failed else 0


def self_test_build(tmp, check):
    """Two trees of one package built into one target directory, the head checked out before
    the base is built (as in the workflow): each side must get its own executable."""
    if shutil.which("cargo") is None:
        check(False, "cargo is needed for the build check")
        return
    trees = {}
    for side in ("base", "head"):
        tree = os.path.join(tmp, "probe-" + side)
        os.makedirs(os.path.join(tree, "benches"))
        with open(os.path.join(tree, "Cargo.toml"), "w", encoding="utf-8") as f:
            f.write('[package]\nname = "gate-probe"\nversion = "0.1.0"\nedition = "2021"\n\n'
                    '[[bench]]\nname = "probe"\nharness = false\n')
        with open(os.path.join(tree, "Cargo.lock"), "w", encoding="utf-8") as f:
            f.write('version = 3\n\n[[package]]\nname = "gate-probe"\nversion = "0.1.0"\n')
        with open(os.path.join(tree, "benches", "probe.rs"), "w", encoding="utf-8") as f:
            f.write(f'fn main() {{ println!("{side}"); }}\n')
        trees[side] = tree
    saved = os.environ.get("CARGO_TARGET_DIR")
    os.environ["CARGO_TARGET_DIR"] = os.path.join(tmp, "probe-target")
    try:
        got = {}
        for side in ("base", "head"):
            exes = keep_copies(cargo_bench_executables(trees[side], ["probe"], [], lambda m: None,
                                                       clean=True),
                               os.path.join(tmp, "probe-exes", side))
            got[side] = subprocess.run([exes["probe"]], capture_output=True,
                                       text=True).stdout.strip()
    except (RuntimeError, subprocess.CalledProcessError, KeyError) as e:
        got = {"error": str(e)}
    finally:
        if saved is None:
            del os.environ["CARGO_TARGET_DIR"]
        else:
            os.environ["CARGO_TARGET_DIR"] = saved
    check(got == {"base": "base", "head": "head"},
          f"one target dir, two trees: each side runs its own build ({got})")


FAKE_CRITERION = r'''#!{python}
# A stand-in for a criterion bench executable (bench-gate.py --self-test).
import json, os, random, sys
ids = ["score/corpus", "quotes/extract"]
if "--list" in sys.argv:
    print("\n".join(f"{{i}}: benchmark" for i in ids + os.environ.get("FAKE_EXTRA", "").split()))
    sys.exit(0)
bench = sys.argv[sys.argv.index("--exact") + 1]
counter = os.environ["FAKE_COUNTER"]
n = int(open(counter).read()) if os.path.exists(counter) else 0
open(counter, "w").write(str(n + 1))
with open(os.environ["FAKE_LOG"], "a") as f:
    f.write(os.environ.get("FAKE_SIDE", "?") + " " + bench + "\n")
rng = random.Random(n * 7919 + 1)
drift = 1 + float(os.environ.get("FAKE_DRIFT", "0")) * n   # the machine slows as it runs
factor = float(os.environ.get("FAKE_FACTOR_" + bench.replace("/", "_"), "1"))
noise = float(os.environ.get("FAKE_NOISE", "0.03"))
v = 1e6 * factor * drift * (1 + rng.uniform(-noise, noise))
d = os.path.join(os.environ["CRITERION_HOME"], *bench.split("/"), "new")
os.makedirs(d)
est = {{"point_estimate": v}}
json.dump({{"median": est, "mean": est}}, open(os.path.join(d, "estimates.json"), "w"))
'''

FAKE_IAI = r'''#!{python}
# A stand-in for an iai-callgrind bench executable (bench-gate.py --self-test).
import json, os
for name, ir in json.loads(os.environ["FAKE_IR"]).items():
    group, fn, bench_id = name.split("/")
    d = os.path.join(os.environ["IAI_CALLGRIND_HOME"], "instructions", group, fn + "." + bench_id)
    os.makedirs(d)
    json.dump({{"module_path": "instructions::" + group + "::" + fn, "id": bench_id,
               "profiles": [{{"summaries": {{"total": {{"summary": {{"Callgrind": {{
                   "Ir": {{"metrics": {{"Left": {{"Int": ir}}}}}}}}}}}}}}}}]}},
              open(os.path.join(d, "summary.json"), "w"))
'''


def self_test_paired(tmp, check, run):
    """The paired mode on stand-in executables: pairing cancels drift, the interval decides."""
    import contextlib
    import io

    exe = os.path.join(tmp, "fake-criterion")
    iai = os.path.join(tmp, "fake-iai")
    for path, text in ((exe, FAKE_CRITERION), (iai, FAKE_IAI)):
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.format(python=sys.executable))
        os.chmod(path, 0o755)
    log_path = os.path.join(tmp, "runs.log")

    def gate(base_env=None, head_env=None, env=None, rounds=10, irs=None, **kw):
        """Runs the paired gate on the stand-ins; (exit code, stdout, stderr, log lines)."""
        for p in (log_path, os.path.join(tmp, "counter")):
            if os.path.exists(p):
                os.remove(p)
        opts = paired_parser().parse_args(["--base-tree", tmp, "--rounds", str(rounds),
                                           "--markdown"])
        opts.base_env = dict({"FAKE_SIDE": "base"}, **(base_env or {}))
        opts.head_env = dict({"FAKE_SIDE": "head"}, **(head_env or {}))
        for k, v in kw.items():
            setattr(opts, k, v)
        saved = dict(os.environ)
        os.environ.update({"FAKE_COUNTER": os.path.join(tmp, "counter"), "FAKE_LOG": log_path},
                          **(env or {}))
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                log = lambda m: print(f"bench-gate: {m}", file=sys.stderr)
                rows = paired_measure({"b": exe}, {"b": exe}, opts, log)
                irows = None
                if irs:
                    opts.base_env["FAKE_IR"] = json.dumps(irs[0])
                    opts.head_env["FAKE_IR"] = json.dumps(irs[1])
                    irows = instruction_rows(iai, iai, opts, tmp)
                code = paired_finish(rows, irows, opts, log)
        finally:
            os.environ.clear()
            os.environ.update(saved)
        with open(log_path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        return code, out.getvalue(), err.getvalue(), [x for x in lines if x]

    # A/A on a machine that slows 2 % per run (40 % over the gate): unpaired medians would
    # read as a slowdown; the pairs cancel it.
    code, out, err, lines = gate(env={"FAKE_DRIFT": "0.02"})
    check(code == 0, f"A/A under drift passes (exit {code}): {err}")
    check(len(lines) == 2 * 2 * 10, f"10 rounds x 2 benchmarks x 2 sides ({len(lines)} runs)")
    firsts = [lines[i].split()[0] for i in range(0, len(lines), 2)]
    check(firsts[:4] == ["base", "head", "head", "base"], f"ABBA order {firsts[:4]}")
    check(all(lines[i].split()[0] != lines[i + 1].split()[0] for i in range(0, len(lines), 2)),
          "each pair is one base run and one head run")
    check("| `score/corpus` |" in out and "[0." in out and "| 10 |" in out,
          "the Markdown row shows the interval and the pairs")

    # A 30 % slowdown of one benchmark, same drift: it fails, named, with its interval.
    code, out, err, _ = gate(env={"FAKE_DRIFT": "0.02"},
                             head_env={"FAKE_FACTOR_score_corpus": "1.30"})
    check(code == 1, f"a 1.30x slowdown fails (exit {code})")
    check("score/corpus slowed down" in err and "quotes/extract slowed" not in err,
          f"the failure names the slowed benchmark only: {err}")
    check("❌ slower" in out and "wholly above 1.10x" in err, "verdict and reason")

    # 1.12x with 3 % noise: the interval reaches below 1.10 or not, but 1.05x never fails.
    code, _, err, _ = gate(head_env={"FAKE_FACTOR_score_corpus": "1.05"})
    check(code == 0, f"a 1.05x change does not fail at 1.10 (exit {code}): {err}")
    code, _, _, _ = gate(head_env={"FAKE_FACTOR_score_corpus": "1.30"}, max_slowdown=1.40)
    check(code == 0, "--max-slowdown 1.40 allows 1.30")
    code, out, _, _ = gate(head_env={"FAKE_FACTOR_quotes_extract": "0.5"})
    check(code == 0 and "✅ faster" in out, "a faster benchmark passes, marked faster")

    # Benchmarks of one side only are listed, not gated.
    code, out, _, _ = gate(head_env={"FAKE_EXTRA": "new/bench"}, rounds=2)
    check(code == 0 and "only in head" in out and "`new/bench`" in out, "only-in-head listed")
    code, out, _, lines = gate(rounds=3, filter="^quotes/")
    check(len(lines) == 6 and "score/corpus" not in out, "--filter keeps the ids it finds")

    # The bootstrap: seeded (same interval twice), and it brackets the median.
    ratios = [1.0 + 0.01 * i for i in range(10)]
    a = bootstrap_interval(ratios, 0.95, 2000, 28)
    check(a == bootstrap_interval(ratios, 0.95, 2000, 28), "the bootstrap is seeded")
    check(a[1] <= a[0] <= a[2] and a[1] >= 1.0 and a[2] <= 1.09, f"interval {a}")
    check(verdict(1.2, 1.11, 1.3, 1.10) == "SLOWER" and verdict(1.2, 1.09, 1.3, 1.10) == "ok",
          "only a lower bound above the limit fails")

    # Instruction counts: 2 % by default.
    ir_base = {"scorers/annotation_scorer/gold_corpus": 1_000_000,
               "extractor/quotes_extract/gold_corpus": 2_000_000}
    ir_head = {"scorers/annotation_scorer/gold_corpus": 1_010_000,
               "extractor/quotes_extract/gold_corpus": 2_100_000,
               "reports/report_html/html": 5}
    code, out, err, _ = gate(rounds=2, irs=(ir_base, ir_head))
    check(code == 1 and "extractor/quotes_extract/gold_corpus runs 1.0500x" in err,
          f"5 % more instructions fail: {err}")
    check("annotation_scorer" not in err and "1.0100" in out and "only in head" in out,
          "1 % more passes; an instruction benchmark of one side is listed")
    code, _, _, _ = gate(rounds=2, irs=(ir_base, ir_base))
    check(code == 0, "equal instruction counts pass")


if __name__ == "__main__":
    sys.exit(main())
