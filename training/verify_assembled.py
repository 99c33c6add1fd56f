#!/usr/bin/env python3
"""Checks an ASSEMBLED model directory (written by the Rust assembly) with plain transformers.

  training/.venv/bin/python training/verify_assembled.py \
      --model models/quoteval-ner-minilm --data /work/shared/data/conll2003 \
      --split valid --reference training/runs/final/valid.conll

Loads model.safetensors + config.json with BertForTokenClassification.from_pretrained, feeds
token_type_ids = case classes, decodes with the same sliding windows as training, scores with
conlleval rules and compares every predicted tag with the training-time prediction file.
Exit status 1 if the F1 differs from the reference file's F1 by more than --tolerance.
"""
from __future__ import annotations

import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ner_common import build_stream, conlleval_f1, load_tokenizer, read_conll, write_conll_predictions  # noqa: E402
from train import predict_stream  # noqa: E402


def read_pred_file(path):
    sents, cur = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if cur:
                    sents.append(cur)
                cur = []
                continue
            cur.append(line.split(" "))
    if cur:
        sents.append(cur)
    return sents


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--split", default="valid")
    ap.add_argument("--reference", help="training-time TOKEN GOLD PRED file to compare with")
    ap.add_argument("--out", help="write this run's TOKEN GOLD PRED file here")
    ap.add_argument("--mode", default="context", choices=["context", "sentence"])
    ap.add_argument("--tolerance", type=float, default=0.05)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    from transformers import BertForTokenClassification

    model = BertForTokenClassification.from_pretrained(args.model)
    assert model.config.type_vocab_size == 6, model.config.type_vocab_size
    tok = load_tokenizer(args.model)
    st = build_stream(read_conll(os.path.join(args.data, f"{args.split}.txt")), tok)
    preds = predict_stream(model, st, args.mode, True)
    res = conlleval_f1([t for _, t in st.sents], preds)
    print(f"assembled model, {args.split}: F1 {res['all'][2]:.2f} (P {res['all'][0]:.2f} R {res['all'][1]:.2f})")
    if args.out:
        write_conll_predictions(args.out, st.sents, preds)
    if args.reference:
        ref = read_pred_file(args.reference)
        assert len(ref) == len(preds), (len(ref), len(preds))
        ref_preds = [[r[2] for r in s] for s in ref]
        diff = sum(1 for a, b in zip(ref_preds, preds) for x, y in zip(a, b) if x != y)
        ntok = sum(len(s) for s in preds)
        ref_res = conlleval_f1([[r[1] for r in s] for s in ref], ref_preds)
        print(f"reference {args.reference}: F1 {ref_res['all'][2]:.2f}; tags that differ: {diff} of {ntok}")
        if abs(ref_res["all"][2] - res["all"][2]) > args.tolerance:
            print("MISMATCH")
            sys.exit(1)
        print("OK")


if __name__ == "__main__":
    main()
