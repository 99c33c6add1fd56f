#!/usr/bin/env python3
"""The README's benchmark table: every entry on the gold corpus and on PolNeAR dev with every
layer, each headline metric with its 95 % bootstrap interval over articles.

  python3 scripts/benchmark_table.py --polnear-dev ../shared/data/polnear/dev [--spacy-python PY]
      [--out README.md]

It imports PolNeAR dev with quoteval's layers (gold/polnear/dev), runs `quoteval eval --json` of
each entry on both corpora (reports kept in --work), and prints the Markdown table, or puts it
between the `<!-- benchmark-table:start -->` and `<!-- benchmark-table:end -->` lines of --out
(the README), leaving the rest of that file as it is. tests/readme.rs and tests/polnear_dev.rs
check the default's rows against fresh runs. The spaCy entry runs under --spacy-python (a Python with spaCy and
en_core_web_sm); without it that row is left out and the table says so.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRIES = [
    ("default (joint, one encoder)", "quoteval-joint", []),
    ("hybrid (two encoders)", "quoteval-quote-hybrid", []),
    ("rules", "quoteval-ner-minilm", []),
    ("tagger", "quoteval-quote-tagger", []),
    ("spaCy sm + rules", "spacy-sm", None),  # the command is set per run
]
METRICS = [
    ("entities.strict.f1", "entities strict F1"),
    ("quotes.0.3.f1", "quotes F1 @0.3"),
    ("quotes.0.3.speaker_by_name", "speaker accuracy"),
    ("speakers.f1", "speakers F1"),
    ("places.f1", "places F1"),
]


def run(args, **kw):
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, **kw)
    if done.returncode != 0:
        sys.exit(f"{' '.join(map(str, args))} failed ({done.returncode}):\n{done.stderr}")
    return done


def cpu():
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def value(report, metric):
    """The value and the interval of a metric, read from the report's JSON."""
    parts = metric.split(".")
    m = report["totals"]["metrics"]
    if parts[0] == "entities":
        v = m["entities"]["micro"]["strict"]["f1"]
    elif parts[0] == "quotes":
        v = m["quotes"][f"{parts[1]}.{parts[2]}"]
        v = v["all"][parts[3]]
    else:
        v = m[parts[0]]["f1"] if m.get(parts[0]) else None
    i = report["totals"].get("intervals", {}).get(metric)
    return v, i


def cell(v, i):
    if v is None:
        return "–"
    if i is None:
        return f"{v:.3f}"
    return f"{v:.3f} [{i['low']:.3f}, {i['high']:.3f}]"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--polnear-dev", required=True, help="PolNeAR's dev split (text/, attributions/)")
    ap.add_argument("--quoteval", default=str(ROOT / "target/release/quoteval"))
    ap.add_argument("--spacy-python", help="a Python with spaCy and en_core_web_sm")
    ap.add_argument("--work", default=str(ROOT / "target/benchmarks"))
    ap.add_argument("--out", help="write the Markdown here instead of stdout")
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    dev = work / "polnear-dev"
    run([args.quoteval, "gold", "import", "--format", "polnear", args.polnear_dev, "--layers",
         "gold/polnear/dev", "--out", str(dev), "--force"])
    corpora = [("gold (5 articles)", "gold"), ("PolNeAR dev (84 articles)", str(dev))]
    rows = []
    for label, entry, sets in ENTRIES:
        if sets is None:
            if not args.spacy_python:
                continue
            sets = ["--set", "ner.command=" + json.dumps(
                [args.spacy_python, "adapters/spacy_ner.py", "{input}", "{output}", "--model",
                 "en_core_web_sm"])]
        for corpus_label, corpus in corpora:
            out = work / f"{entry}-{Path(corpus).name}.json"
            run([args.quoteval, "eval", "--model", entry, "--gold", corpus, *sets, "--json",
                 "--out", str(out)])
            report = json.loads(out.read_text(encoding="utf-8"))
            rows.append((label, corpus_label, [value(report, m) for m, _ in METRICS]))
    lines = [
        "| entry | corpus | " + " | ".join(name for _, name in METRICS) + " |",
        "|---|---|" + "---:|" * len(METRICS),
    ]
    for label, corpus_label, values in rows:
        lines.append(f"| {label} | {corpus_label} | " + " | ".join(cell(v, i) for v, i in values)
                     + " |")
    note = [
        "",
        f"95 % percentile bootstrap intervals over articles (1,000 resamples). Quotes as the gold "
        f"reads them: speech only on the gold; PolNeAR's every attribution, read literally, with "
        f"each entry's settings as committed (speech_only = true). Measured on {cpu()}, "
        f"`python3 scripts/benchmark_table.py --polnear-dev DEV"
        + (" --spacy-python PY" if args.spacy_python else "") + "`.",
    ]
    if not args.spacy_python:
        note.append("spaCy sm not run (no --spacy-python).")
    text = "\n".join(lines + note) + "\n"
    if args.out:
        start, end = "<!-- benchmark-table:start -->", "<!-- benchmark-table:end -->"
        page = Path(args.out).read_text(encoding="utf-8")
        if start not in page or end not in page:
            sys.exit(f"{args.out}: no {start} ... {end} block to fill")
        head, rest = page.split(start, 1)
        _, tail = rest.split(end, 1)
        tmp = Path(args.out + ".tmp")
        tmp.write_text(f"{head}{start}\n{text}{end}{tail}", encoding="utf-8")
        os.replace(tmp, args.out)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
