#!/usr/bin/env python3
"""Checks the Rust rust-bert backend against transformers, window by window.

    training/.venv/bin/python scripts/bert_parity.py [--model models/quoteval-ner-minilm]
        [--articles gold] [--dump FILE] [--no-case]

Unless --dump names an existing dump, runs
`cargo test --release --test bert_backend -- --ignored dump_windows_for_parity`, which writes
every window the backend feeds the model (piece ids, char spans, token types, the model's argmax
labels and probabilities) and the mentions it decodes. Then, independently of the Rust code:

1. pieces: the model's tokenizer.json (truncation and padding off, no special tokens) over the
   article text gives the same ids and char offsets;
2. case classes: training/ner_common.py's `piece_case_class` over the original text gives the
   same token types (all 0 with --no-case);
3. forward pass: transformers' BertForTokenClassification on [CLS] + ids + [SEP] with those token
   types gives the same argmax label for every piece, probabilities within 1e-4;
4. windows: the cores partition each article's pieces; every window fits 126 pieces.

Needs torch and transformers (the training venv: training/.venv). Exits 1 on any mismatch.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "training"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="models/quoteval-ner-minilm")
    ap.add_argument("--articles", default="gold")
    ap.add_argument("--dump", help="read (or, when missing, write) the Rust dump here")
    ap.add_argument("--no-case", action="store_true", help="the model takes no case classes")
    ap.add_argument("--extra", default="", help="extra settings for the dump, ';'-separated")
    ap.add_argument("--tolerance", type=float, default=1e-4)
    args = ap.parse_args()

    import torch
    from tokenizers import Tokenizer
    from transformers import BertForTokenClassification
    from ner_common import piece_case_class

    dump = Path(args.dump) if args.dump else Path(tempfile.mkdtemp()) / "parity.jsonl"
    if not dump.exists():
        env = dict(os.environ, QUOTEVAL_PARITY_OUT=str(dump.resolve()),
                   QUOTEVAL_PARITY_MODEL=str(Path(args.model).resolve()),
                   QUOTEVAL_PARITY_ARTICLES=str(Path(args.articles).resolve()),
                   QUOTEVAL_PARITY_CASE="false" if args.no_case else "true",
                   QUOTEVAL_PARITY_EXTRA=args.extra)
        subprocess.run(["cargo", "test", "--release", "--test", "bert_backend", "--", "--ignored",
                        "--exact", "model::dump_windows_for_parity"], cwd=ROOT, env=env, check=True)

    model_dir = Path(args.model)
    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    torch.set_num_threads(2)
    model = BertForTokenClassification.from_pretrained(model_dir).eval()

    records = [json.loads(line) for line in dump.read_text().splitlines()]
    texts, encodings = {}, {}
    problems = []
    windows = defaultdict(list)
    pieces_checked = label_diff = 0
    max_prob_diff = 0.0
    for r in records:
        a = r["article"]
        if a not in texts:
            texts[a] = (Path(args.articles) / f"{a}.txt").read_bytes().decode("utf-8")
            encodings[a] = tok.encode(texts[a], add_special_tokens=False)
        if "mentions" in r:
            print(f"{a}: {len(r['mentions'])} mentions: "
                  + "; ".join(f"{t} {x!r}" for _, _, t, x in r["mentions"][:12])
                  + (" ..." if len(r["mentions"]) > 12 else ""))
            for s, e, _, x in r["mentions"]:
                if texts[a][s:e] != x:
                    problems.append(f"{a}: mention {s}..{e} is {texts[a][s:e]!r}, dump says {x!r}")
            continue
        text, enc = texts[a], encodings[a]
        start, end, core_start, core_end = r["window"]
        windows[a].append((start, end, core_start, core_end))
        if end - start > 126:
            problems.append(f"{a}: window {start}..{end} has {end - start} pieces")
        if enc.ids[start:end] != r["ids"]:
            problems.append(f"{a}: window {start}..{end}: ids differ from tokenizer.json")
        offsets = [list(o) for o in enc.offsets[start:end]]
        if offsets != r["spans"]:
            problems.append(f"{a}: window {start}..{end}: char offsets differ")
        want_types = [0 if args.no_case else piece_case_class(text, s, e) for s, e in offsets]
        if want_types != r["types"]:
            bad = [i for i, (x, y) in enumerate(zip(want_types, r["types"])) if x != y][:5]
            problems.append(f"{a}: window {start}..{end}: case classes differ at {bad}")
        ids = torch.tensor([[cls] + r["ids"] + [sep]])
        types = torch.tensor([[0] + r["types"] + [0]])
        with torch.inference_mode():
            logits = model(input_ids=ids, token_type_ids=types, attention_mask=torch.ones_like(ids)).logits[0, 1:-1]
        probs, labels = logits.softmax(-1).max(-1)
        for i, (l, p) in enumerate(zip(labels.tolist(), probs.tolist())):
            pieces_checked += 1
            max_prob_diff = max(max_prob_diff, abs(p - r["probs"][i]))
            if l != r["labels"][i]:
                label_diff += 1
                if abs(p - r["probs"][i]) > args.tolerance or label_diff <= 3:
                    problems.append(f"{a}: piece {start + i}: transformers says label {l} ({p:.5f}), "
                                    f"rust-bert {r['labels'][i]} ({r['probs'][i]:.5f})")
    for a, ws in windows.items():
        cores = sorted((cs, ce) for _, _, cs, ce in ws)
        n = len(encodings[a].ids)
        covered = 0
        for cs, ce in cores:
            if cs != covered:
                problems.append(f"{a}: cores do not partition the pieces at {covered}")
            covered = ce
        if covered != n:
            problems.append(f"{a}: cores end at {covered} of {n} pieces")
    print(f"{len(windows)} articles, {sum(len(w) for w in windows.values())} windows, {pieces_checked} pieces: "
          f"{label_diff} label differences, max probability difference {max_prob_diff:.2e}")
    if max_prob_diff > args.tolerance:
        problems.append(f"probabilities differ by up to {max_prob_diff:.2e} (tolerance {args.tolerance})")
    for p in problems:
        print("MISMATCH", p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
