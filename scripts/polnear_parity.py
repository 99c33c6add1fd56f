#!/usr/bin/env python3
"""Parity of quoteval's quote scores with the independent PolNeAR scorer, on the same predictions.

The reference is `polnear_quotes_score.py` (../shared/tools/ in this project's workspace), which
reads PolNeAR's own .ann files directly. quoteval's side: the split imported literally
(`quoteval gold import --format polnear`), scored with `quoteval score`. Both see the same
predictions: quoteval's prediction files (from `quoteval eval --save-predictions`, or given with
--predictions) are converted here into the reference scorer's JSONL (`start`/`end` or
`fragments`, `speaker_start`/`speaker_end`).

For each PARC kind (direct, mixed, indirect, quoted = direct + mixed) and for all attributions,
at overlap thresholds 0.3 and 0.8, the script compares precision, recall, F1 and speaker
accuracy (by mention) rounded to three decimals, prints both, and exits 1 on any disagreement.
The reference scorer is never a test dependency: this script is run by hand.

    python3 scripts/polnear_parity.py ../shared/data/polnear/dev \\
        --scorer ../shared/tools/polnear_quotes_score.py [--predictions DIR] [--work DIR] \\
        [--model NAME] [--models FILE] [--set quotes.speech_only=false]

Without --predictions it runs `quoteval eval --gold <imported split> --save-predictions` first
(the default model of models.toml, or --model). Nothing is written into the repository.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KINDS = ["direct", "mixed", "indirect", "quoted", "all"]
THRESHOLDS = ["0.3", "0.8"]


def run(cmd):
    print("+", " ".join(str(c) for c in cmd), file=sys.stderr)
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(map(str, cmd))}\n{done.stderr}")
    return done.stdout


def occurrences(text, needle):
    out, i = [], text.find(needle)
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def span_of(text, anchor):
    """(start, end) in chars of an anchor of an annotation file: `start` when the tool wrote it,
    else the given (or only) occurrence of `text`."""
    t = anchor["text"]
    if anchor.get("start") is not None:
        s = anchor["start"]
    else:
        found = occurrences(text, t)
        s = found[anchor.get("occurrence", 1) - 1]
    if text[s:s + len(t)] != t:
        sys.exit(f"anchor {t!r} does not match the article at {s}")
    return s, s + len(t)


def to_jsonl(corpus_dir, pred_dir, out):
    """quoteval prediction files -> the reference scorer's JSONL."""
    lines = 0
    with open(out, "w", encoding="utf-8") as fh:
        for f in sorted(Path(pred_dir).glob("*.json")):
            doc = json.loads(f.read_text(encoding="utf-8"))
            text = (Path(corpus_dir) / f"{doc['article']}.txt").read_bytes().decode("utf-8")
            quotes = []
            for q in doc.get("quotes", []):
                frs = [span_of(text, a) for a in q["fragments"]] if q.get("fragments") else [span_of(text, q)]
                item = {"fragments": [list(x) for x in frs]}
                sm = q.get("speaker_mention")
                if sm:
                    item["speaker_start"], item["speaker_end"] = span_of(text, sm)
                quotes.append(item)
            fh.write(json.dumps({"article": doc["article"], "quotes": quotes}) + "\n")
            lines += 1
    return lines


def reference(scorer, split, jsonl, kind, work):
    out = Path(work) / f"reference.{kind}.json"
    cmd = [sys.executable, scorer, split, jsonl, "--threshold", "0.3", "0.8", "--json", out]
    if kind != "all":
        cmd += ["--parc-kind", kind]
    run(cmd)
    res = json.loads(out.read_text())["thresholds"]
    return {
        t: {
            "precision": res[str(float(t))]["precision"],
            "recall": res[str(float(t))]["recall"],
            "f1": res[str(float(t))]["f1"],
            "speaker": res[str(float(t))]["speaker_acc"] if res[str(float(t))]["tp"] else None,
            "tp": res[str(float(t))]["tp"],
        }
        for t in THRESHOLDS
    }


def ours(report, kind):
    metrics = report["totals"]["metrics"]["quotes"]
    counts = report["totals"]["counts"]["quotes"]
    out = {}
    for t in THRESHOLDS:
        m, c = metrics[t], counts[t]
        # Report schema quoteval-report/3: each scope's metrics and counts under its name.
        out[t] = {
            "precision": m[kind]["precision"],
            "recall": m[kind]["recall"],
            "f1": m[kind]["f1"],
            "speaker": m[kind]["speaker_by_mention"],
            "tp": c[kind]["tally"]["tp"],
        }
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("split", help="a PolNeAR split directory (text/, attributions/)")
    ap.add_argument("--scorer", default=str(REPO.parent / "shared/tools/polnear_quotes_score.py"))
    ap.add_argument("--quoteval", default=str(REPO / "target/release/quoteval"))
    ap.add_argument("--predictions", help="quoteval prediction files (else run quoteval eval)")
    ap.add_argument("--model", help="models.toml entry for quoteval eval (default: its default)")
    ap.add_argument("--models", help="the models.toml to read (default: quoteval's, models.toml)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="passed to quoteval eval --set (e.g. quotes.speech_only=false)")
    ap.add_argument("--work", help="keep the intermediate files here (default: a temporary dir)")
    args = ap.parse_args()

    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="polnear-parity-"))
    work.mkdir(parents=True, exist_ok=True)
    gold = work / "gold"
    run([args.quoteval, "gold", "import", "--format", "polnear", args.split, "--out", gold, "--force"])
    preds = Path(args.predictions) if args.predictions else work / "pred"
    if not args.predictions:
        cmd = [args.quoteval, "eval", "--gold", gold, "--save-predictions", preds, "--force",
               "--json", "--out", work / "eval.json"]
        if args.model:
            cmd += ["--model", args.model]
        if args.models:
            cmd += ["--models", args.models]
        for assignment in args.set:
            cmd += ["--set", assignment]
        run(cmd)
    run([args.quoteval, "score", gold, preds, "--json", "--out", work / "score.json"])
    report = json.loads((work / "score.json").read_text())
    jsonl = work / "predictions.jsonl"
    n = to_jsonl(gold, preds, jsonl)
    print(f"{n} prediction files; work files in {work}")

    bad = 0
    print(f"{'kind':9} {'thr':>4} {'measure':>9} {'quoteval':>9} {'reference':>9}")
    for kind in KINDS:
        ref, mine = reference(args.scorer, args.split, jsonl, kind, work), ours(report, kind)
        for t in THRESHOLDS:
            for measure in ["precision", "recall", "f1", "speaker", "tp"]:
                a, b = mine[t][measure], ref[t][measure]
                fmt = (lambda v: "-" if v is None else (f"{v:d}" if isinstance(v, int) else f"{v:.3f}"))
                same = (a is None and b is None) or (
                    a is not None and b is not None and round(a, 3) == round(b, 3))
                bad += not same
                print(f"{kind:9} {t:>4} {measure:>9} {fmt(a):>9} {fmt(b):>9}{'' if same else '   DIFFERS'}")
    if bad:
        print(f"{bad} figure(s) differ", file=sys.stderr)
        sys.exit(1)
    print("all figures agree to the third decimal")


if __name__ == "__main__":
    main()
