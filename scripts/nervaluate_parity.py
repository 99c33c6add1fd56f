#!/usr/bin/env python3
"""Parity check of quoteval's entity counts against nervaluate 1.2.1.

quoteval counts each entity type on its own as nervaluate's `Evaluator.evaluate` does (gold and
prediction filtered to the type, each schema's greedy matching: src/score/nervaluate.rs); its
overall counts come from its one-to-one alignment (src/align.rs). This script scores the same
annotations with both and compares correct / incorrect / partial / missed / spurious for every
type and schema (strict, exact, partial, ent_type), and overall.

Needs nervaluate importable (e.g. `python3 -m venv .venv-parity &&
.venv-parity/bin/pip install nervaluate==1.2.1`, then run this script with that Python).

Commands:
  dirs GOLD PRED      compare on two corpus directories (articles *.txt and annotation files
                      *.json in GOLD, annotation files in PRED), e.g. the gold corpus and the
                      predictions `quoteval eval --save-predictions DIR` wrote.
  random              generate --articles random articles (with multi-byte text) and random,
                      overlapping gold and predicted mentions written by char offsets, and
                      compare on them (--seed, --rounds).

Exit status 1 on any per-type difference (overall differences are reported, and count only with
--strict-overall: the one-to-one alignment and nervaluate's greedy matching can pair
overlapping mentions differently).
"""

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TYPES = ["PERSON", "PLACE", "ORG"]  # quoteval's order, which its sort uses for ties
SCHEMAS = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}
FIELDS = ["correct", "incorrect", "partial", "missed", "spurious"]


def quoteval_counts(quoteval, gold, pred):
    out = subprocess.run(
        [quoteval, "score", str(gold), str(pred), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)["totals"]["counts"]["entities"]


def spans_of(path, text):
    """Mentions of an annotation file as (start, end, type), half-open char offsets."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    out = []
    for m in data.get("mentions", []):
        if "end" in m:
            out.append((m["start"], m["end"], m["type"]))
        else:
            # Anchored by text: quoteval writes "start" for every mention it saves.
            start = m["start"] if "start" in m else find_occurrence(text, m["text"], m.get("occurrence", 1))
            out.append((start, start + len(m["text"]), m["type"]))
    # quoteval sorts a document's mentions by (start, end, type): nervaluate sees that order.
    return sorted(set(out), key=lambda s: (s[0], s[1], TYPES.index(s[2])))


def find_occurrence(text, needle, k):
    start = -1
    for _ in range(k):
        start = text.find(needle, start + 1)
    return start


def nervaluate_counts(gold_docs, pred_docs):
    from nervaluate import Evaluator

    def entities(doc):
        # nervaluate's spans end inclusively.
        return [{"label": t, "start": s, "end": e - 1} for s, e, t in doc]

    true = [entities(d) for d in gold_docs]
    pred = [entities(d) for d in pred_docs]
    results = Evaluator(true, pred, tags=TYPES, loader="dict").evaluate()
    return results


def compare(ours, theirs, label):
    diffs = []
    for ty in TYPES:
        for schema, strategy in SCHEMAS.items():
            mine = ours["by_type"].get(ty, {}).get(schema, {})
            ref = theirs["entities"].get(ty, {}).get(strategy)
            for f in FIELDS:
                a = mine.get(f, 0)
                b = getattr(ref, f) if ref is not None else 0
                if a != b:
                    diffs.append(f"{label} {ty} {schema} {f}: quoteval {a}, nervaluate {b}")
    overall = []
    for schema, strategy in SCHEMAS.items():
        mine = ours["overall"][schema]
        ref = theirs["overall"][strategy]
        for f in FIELDS:
            if mine[f] != getattr(ref, f):
                overall.append(
                    f"{label} overall {schema} {f}: quoteval {mine[f]}, nervaluate {getattr(ref, f)}"
                )
    return diffs, overall


def run_dirs(args):
    gold, pred = Path(args.gold), Path(args.pred)
    gold_docs, pred_docs = [], []
    for g in sorted(gold.glob("*.json")):
        text = g.with_suffix(".txt").read_bytes().decode("utf-8")
        gold_docs.append(spans_of(g, text))
        p = pred / g.name
        pred_docs.append(spans_of(p, text) if p.exists() else [])
    ours = quoteval_counts(args.quoteval, gold, pred)
    return compare(ours, nervaluate_counts(gold_docs, pred_docs), str(pred))


WORDS = ["alpha", "Bravo", "café", "“quoted”", "naïve", "Zürich", "—", "Delhi’s", "x", "Ōsaka"]


def random_corpus(rng, root, n_articles):
    gold_dir, pred_dir = root / "gold", root / "pred"
    gold_dir.mkdir()
    pred_dir.mkdir()
    gold_docs, pred_docs = [], []
    for a in range(n_articles):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 80)))
        aid = f"r{a:03d}"
        (gold_dir / f"{aid}.txt").write_text(text, encoding="utf-8")

        def mentions(k):
            out = set()
            for _ in range(k):
                s = rng.randrange(0, len(text) - 1)
                e = min(len(text), s + rng.randint(1, 25))
                if text[s:e].strip():
                    out.add((s, e, rng.choice(TYPES)))
            return sorted(out, key=lambda m: (m[0], m[1], TYPES.index(m[2])))

        g = mentions(rng.randint(0, 8))
        # Predictions: some copies of gold (same or shifted span, same or other type), some noise.
        p = set()
        for s, e, t in g:
            r = rng.random()
            if r < 0.4:
                p.add((s, e, t))
            elif r < 0.55:
                p.add((s, e, rng.choice(TYPES)))
            elif r < 0.8:
                s2 = max(0, s + rng.randint(-3, 3))
                e2 = min(len(text), max(s2 + 1, e + rng.randint(-3, 3)))
                p.add((s2, e2, rng.choice([t, t, rng.choice(TYPES)])))
        p.update(mentions(rng.randint(0, 4)))
        p = sorted((m for m in p if text[m[0]:m[1]].strip()), key=lambda m: (m[0], m[1], TYPES.index(m[2])))
        for d, docs, items in ((gold_dir, gold_docs, g), (pred_dir, pred_docs, p)):
            doc = {
                "schema": "quoteval-annotation/2",
                "article": aid,
                "layers": ["mentions"],
                "mentions": [{"type": t, "start": s, "end": e} for s, e, t in items],
            }
            (d / f"{aid}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
            docs.append(items)
    return gold_dir, pred_dir, gold_docs, pred_docs


def run_random(args):
    diffs, overall = [], []
    for r in range(args.rounds):
        rng = random.Random(args.seed + r)
        with tempfile.TemporaryDirectory() as tmp:
            gold, pred, gd, pd = random_corpus(rng, Path(tmp), args.articles)
            ours = quoteval_counts(args.quoteval, gold, pred)
            d, o = compare(ours, nervaluate_counts(gd, pd), f"seed {args.seed + r}")
            diffs += d
            overall += o
    return diffs, overall


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quoteval", default=str(REPO / "target" / "release" / "quoteval"))
    ap.add_argument("--strict-overall", action="store_true")
    sub = ap.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dirs")
    d.add_argument("gold")
    d.add_argument("pred")
    r = sub.add_parser("random")
    r.add_argument("--articles", type=int, default=40)
    r.add_argument("--rounds", type=int, default=25)
    r.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    diffs, overall = run_dirs(args) if args.command == "dirs" else run_random(args)
    for line in diffs + overall:
        print(line)
    checked = "per type" + (" and overall" if args.strict_overall else "")
    bad = len(diffs) + (len(overall) if args.strict_overall else 0)
    print(
        f"nervaluate parity ({args.command}): {len(diffs)} per-type differences, "
        f"{len(overall)} overall differences; checked {checked}: {'FAIL' if bad else 'ok'}"
    )
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
