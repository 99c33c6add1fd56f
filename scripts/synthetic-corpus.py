#!/usr/bin/env python3
"""A corpus of one long article for memory and scaling measurements of `quoteval eval`: the gold
articles' texts repeated (separated by blank lines, as benches/common/synthetic.rs builds them) up
to SIZE bytes, with an empty annotation file, so that eval runs the model and the quote extractor
over the whole text (every prediction then counts as a false positive; the gold's anchors name
their occurrence in one article, so they are not repeated).

    python3 scripts/synthetic-corpus.py 5M /tmp/synthetic-5m [--gold gold]
    /usr/bin/time -v quoteval eval --gold /tmp/synthetic-5m
"""
import argparse
import json
import sys
from pathlib import Path


def parse_size(s):
    mul = {"K": 1_000, "M": 1_000_000}.get(s[-1].upper(), 1)
    return int(float(s[:-1] if mul > 1 else s) * mul)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("size", help="bytes, with an optional K or M suffix")
    ap.add_argument("out", type=Path, help="the corpus directory to write (must not exist)")
    ap.add_argument("--gold", type=Path, default=Path(__file__).resolve().parent.parent / "gold")
    args = ap.parse_args()
    size = parse_size(args.size)
    texts = [p.read_text(encoding="utf-8") + "\n\n" for p in sorted(args.gold.glob("*.txt"))]
    if not texts:
        sys.exit(f"no articles in {args.gold}")
    parts, nbytes = [], 0
    while nbytes < size:
        for t in texts:
            if nbytes >= size:
                break
            parts.append(t)
            nbytes += len(t.encode("utf-8"))
    args.out.mkdir(parents=True)
    (args.out / "synthetic.txt").write_text("".join(parts), encoding="utf-8")
    doc = {
        "schema": "quoteval-annotation/2",
        "article": "synthetic",
        "status": "reviewed",
        "source": f"synthetic: the texts of {args.gold} repeated to {size} bytes, no items",
        "mentions": [],
        "quotes": [],
        "speakers": [],
        "places": [],
    }
    (args.out / "synthetic.json").write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    print(f"{args.out}: one article of {nbytes} bytes")


if __name__ == "__main__":
    main()
