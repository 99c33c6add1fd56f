"""Shared pieces of the quoteval NER training and verification scripts.

Everything that the Rust inference side has to reproduce lives here:
case classes (token_type_ids), word-piece / CoNLL-token alignment, and the
sliding-window decoding.  See training/README.md for the written contract.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field

LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]
LABEL2ID = {l: i for i, l in enumerate(LABELS)}

# Window geometry (word pieces).  A window is [CLS] + up to WINDOW_PIECES pieces + [SEP].
MAX_LEN = 128
WINDOW_PIECES = MAX_LEN - 2  # 126
STRIDE = 63

# Case classes fed as token_type_ids.
CASE_SPECIAL = 0
CASE_NOLETTER = 1
CASE_LOWER = 2
CASE_TITLE = 3
CASE_UPPER = 4
CASE_MIXED = 5
NUM_CASE_CLASSES = 6

# Projections that carry LoRA adapters (names inside each encoder layer).
LORA_TARGETS = [
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
]


def read_conll(path: str):
    """Return a list of sentences, each a (tokens, tags) pair."""
    sents, toks, tags = [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if toks:
                    sents.append((toks, tags))
                    toks, tags = [], []
                continue
            parts = line.split()
            if parts[0] == "-DOCSTART-":
                continue
            toks.append(parts[0])
            tags.append(parts[-1])
    if toks:
        sents.append((toks, tags))
    return sents


def word_case_class(word: str) -> int:
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return CASE_NOLETTER
    ups = [c.isupper() for c in letters]  # letters that are not upper count as lowercase
    if not any(ups):
        return CASE_LOWER
    if ups[0] and not any(ups[1:]):
        return CASE_TITLE
    if all(ups) and len(letters) >= 2:
        return CASE_UPPER
    return CASE_MIXED


def piece_case_class(text: str, start: int, end: int) -> int:
    """Case class of the word piece spanning text[start:end] (character offsets).

    The span is extended to the enclosing word: if its first character is
    alphanumeric, extend left over alphanumeric characters; if its last
    character is alphanumeric, extend right over alphanumeric characters.
    A piece with no alphanumeric character at its edges stays its own word.
    """
    if end <= start:
        return CASE_NOLETTER
    s, e = start, end
    if text[s].isalnum():
        while s > 0 and text[s - 1].isalnum():
            s -= 1
    if text[e - 1].isalnum():
        while e < len(text) and text[e].isalnum():
            e += 1
    return word_case_class(text[s:e])


def start_run(args):
    """The start every training script shares: threads, seeds, OUT/, and a `say` that prints and
    appends to OUT/log.txt (the arguments first)."""
    import random

    import torch

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    log = open(os.path.join(args.out, "log.txt"), "a")

    def say(*a):
        s = " ".join(str(x) for x in a)
        print(s, flush=True)
        log.write(s + "\n")
        log.flush()

    say("args", json.dumps(vars(args)))
    return say


def load_tokenizer(base_dir: str):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(os.path.join(base_dir, "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    return tok


@dataclass
class Stream:
    """All sentences of one CoNLL file as one stream of word pieces."""

    ids: list = field(default_factory=list)  # piece ids
    types: list = field(default_factory=list)  # case classes
    labels: list = field(default_factory=list)  # label id on the first piece of a token, else -100
    tok_first_piece: list = field(default_factory=list)  # per CoNLL token: global piece index or -1
    tok_start: list = field(default_factory=list)  # per piece: True if it starts a CoNLL token
    sent_piece_range: list = field(default_factory=list)  # per sentence: (first piece, end piece)
    sents: list = field(default_factory=list)


def build_stream(sents, tokenizer) -> Stream:
    """Tokenize each sentence as the text of its tokens joined by single spaces.

    BertPreTokenizer splits on whitespace, so tokenizing a whole window (the
    tokens of several sentences joined by single spaces) yields exactly the
    concatenation of the per-sentence pieces; the case class of a piece never
    looks past a space either.  So windows are slices of this stream.
    """
    st = Stream(sents=sents)
    texts, starts_all = [], []
    for toks, _ in sents:
        starts, pos = [], 0
        for t in toks:
            starts.append(pos)
            pos += len(t) + 1
        texts.append(" ".join(toks))
        starts_all.append(starts)
    encs = tokenizer.encode_batch(texts, add_special_tokens=False)
    for (toks, tags), text, starts, enc in zip(sents, texts, starts_all, encs):
        first = len(st.ids)
        # map each token to the pieces whose start offset falls inside it
        ti = 0
        tok_first = [-1] * len(toks)
        for pid, (ps, pe) in zip(enc.ids, enc.offsets):
            while ti + 1 < len(toks) and ps >= starts[ti + 1]:
                ti += 1
            gidx = len(st.ids)
            st.ids.append(pid)
            st.types.append(piece_case_class(text, ps, pe))
            if tok_first[ti] == -1 and ps >= starts[ti]:
                tok_first[ti] = gidx
                st.labels.append(LABEL2ID[tags[ti]])
                st.tok_start.append(True)
            else:
                st.labels.append(-100)
                st.tok_start.append(False)
        st.tok_first_piece.append(tok_first)
        st.sent_piece_range.append((first, len(st.ids)))
    return st


def sliding_windows(n: int, width: int = WINDOW_PIECES, stride: int = STRIDE):
    """Windows [start, end) over n pieces: starts 0, stride, 2*stride, ...; the
    last window is the first one reaching the end."""
    wins = []
    start = 0
    while True:
        end = min(start + width, n)
        wins.append((start, end))
        if end >= n:
            break
        start += stride
    return wins


def owner_of_pieces(n: int, wins):
    """For each piece, the window whose nearer edge is farthest from it
    (maximise min(p - start, end - 1 - p)); ties go to the earlier window."""
    owner = [0] * n
    best = [-1] * n
    for k, (s, e) in enumerate(wins):
        for p in range(s, e):
            d = min(p - s, e - 1 - p)
            if d > best[p]:
                best[p] = d
                owner[p] = k
    return owner


def conll_chunks(tags):
    """Chunks as conlleval sees them (IOB, an I- after O or another type starts a chunk)."""
    chunks = []
    cur = None
    for i, t in enumerate(tags + ["O"]):
        if t == "O":
            typ, pre = None, "O"
        else:
            pre, typ = t.split("-", 1)
        if cur is not None:
            if pre == "B" or typ != cur[0] or pre == "O":
                chunks.append((cur[0], cur[1], i))
                cur = None
        if pre in ("B", "I") and cur is None:
            cur = (typ, i)
    return set(chunks)


def conlleval_f1(gold_seqs, pred_seqs):
    tp = ng = npred = 0
    per_type = {}
    for g, p in zip(gold_seqs, pred_seqs):
        gc, pc = conll_chunks(list(g)), conll_chunks(list(p))
        tp += len(gc & pc)
        ng += len(gc)
        npred += len(pc)
        for c in gc:
            per_type.setdefault(c[0], [0, 0, 0])[1] += 1
        for c in pc:
            per_type.setdefault(c[0], [0, 0, 0])[2] += 1
        for c in gc & pc:
            per_type[c[0]][0] += 1

    def prf(t, g, p):
        pr = t / p if p else 0.0
        rc = t / g if g else 0.0
        f = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
        return 100 * pr, 100 * rc, 100 * f

    res = {"all": prf(tp, ng, npred)}
    for k, (t, g, p) in sorted(per_type.items()):
        res[k] = prf(t, g, p)
    return res


def write_conll_predictions(path, sents, preds):
    with open(path, "w", encoding="utf-8") as f:
        for (toks, tags), pr in zip(sents, preds):
            for t, g, p in zip(toks, tags, pr):
                f.write(f"{t} {g} {p}\n")
            f.write("\n")


def model_config_dict(base_config: dict, labels=None) -> dict:
    """The exported config.json: the base config with the label set (default: the NER labels)."""
    labels = labels or LABELS
    cfg = dict(base_config)
    for k in ["_name_or_path", "transformers_version", "gradient_checkpointing"]:
        cfg.pop(k, None)
    cfg.update(
        {
            "architectures": ["BertForTokenClassification"],
            "model_type": "bert",
            "type_vocab_size": NUM_CASE_CLASSES,
            "id2label": {str(i): l for i, l in enumerate(labels)},
            "label2id": {l: i for i, l in enumerate(labels)},
            "num_labels": len(labels),
        }
    )
    return dict(sorted(cfg.items()))
