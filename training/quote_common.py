"""PolNeAR reading and BIO labelling for the quote tagger (`train_quotes.py`).

The Rust side (`src/extract/tagger/`) reproduces the inference half of this contract: word
pieces of the verbatim article with char offsets, case classes as token_type_ids (the NER
model's, `ner_common.piece_case_class`), paragraphs (lines) packed whole into windows of at most
WINDOW_PIECES pieces, and one BIO label per piece over Content / Source / Cue.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from ner_common import piece_case_class

QUOTE_LABELS = ["O", "B-CONTENT", "I-CONTENT", "B-SOURCE", "I-SOURCE", "B-CUE", "I-CUE"]
QUOTE_LABEL2ID = {l: i for i, l in enumerate(QUOTE_LABELS)}

# [CLS] + up to WINDOW_PIECES pieces + [SEP] = 256 model tokens (models.toml `window = 256`).
QUOTE_MAX_LEN = 256
QUOTE_WINDOW_PIECES = QUOTE_MAX_LEN - 2

# Where two span types cover one character, the label goes to the smaller, inner part of an
# attribution: a nested attribution's Source and Cue sit inside the outer one's Content.
PRIORITY = {"CUE": 3, "SOURCE": 2, "CONTENT": 1}


def parse_fragments(spec):
    return [tuple(int(x) for x in part.split()) for part in spec.split(";")]


def read_ann(path):
    """Spans bound by an Attribution event: list of (type, span_id, [(start, end), ...]).

    Only T lines named by an E line count (unbound Discard / Discuss spans do not); a
    discontinuous span keeps its id on every fragment so its pieces are one attribution part.
    """
    tb, events = {}, []
    with open(path, encoding="utf-8", newline="") as fh:
        for line in fh:
            line = line.rstrip("\n").rstrip("\r")
            if line.startswith("T") and "\t" in line:
                tid, meta, *_ = line.split("\t")
                typ, spec = meta.split(" ", 1)
                tb[tid] = (typ, parse_fragments(spec))
            elif line.startswith("E") and "\t" in line:
                body = line.split("\t")[1]
                events.append([a.split(":", 1) for a in body.split()])
    spans, seen = [], set()
    for args in events:
        if not args[0][0].startswith("Attribution"):
            continue
        for role, t in args[1:]:
            for typ in ("Content", "Source", "Cue"):
                if role.startswith(typ) and t in tb and t not in seen:
                    seen.add(t)
                    spans.append((typ.upper(), t, tb[t][1]))
    return spans


def articles(split_dir):
    """(name, text, ann path) per article; with two annotators the .ann whose name sorts first,
    as `polnear_quotes_score.py` scores."""
    anns = {}
    for f in sorted(os.listdir(os.path.join(split_dir, "attributions"))):
        if f.endswith(".ann"):
            anns.setdefault(f.rsplit("_", 1)[0], os.path.join(split_dir, "attributions", f))
    out = []
    for f in sorted(os.listdir(os.path.join(split_dir, "text"))):
        if not f.endswith(".txt"):
            continue
        name = f[:-4]
        with open(os.path.join(split_dir, "text", f), encoding="utf-8", newline="") as fh:
            text = fh.read()
        out.append((name, text, anns.get(name)))
    return out


@dataclass
class Doc:
    name: str
    text: str
    ids: list = field(default_factory=list)
    types: list = field(default_factory=list)
    labels: list = field(default_factory=list)
    offsets: list = field(default_factory=list)
    para: list = field(default_factory=list)  # paragraph (line) index per piece


def char_labels(text, spans):
    """Per char: (type, span id) of the covering span with the highest priority; among Content
    spans the longest (an outer quote stays one piece)."""
    lab = [None] * len(text)
    rank = [(-1, 0)] * len(text)
    for typ, sid, frs in spans:
        size = sum(e - s for s, e in frs)
        key = (PRIORITY[typ], size if typ == "CONTENT" else -size)
        for s, e in frs:
            for c in range(max(0, s), min(e, len(text))):
                if key > rank[c]:
                    rank[c] = key
                    lab[c] = (typ, sid)
    return lab


def build_doc(name, text, ann_path, tokenizer) -> Doc:
    enc = tokenizer.encode(text, add_special_tokens=False)
    lab = char_labels(text, read_ann(ann_path) if ann_path else [])
    # paragraph index of every char
    line_of, ln = [0] * (len(text) + 1), 0
    for i, ch in enumerate(text):
        line_of[i] = ln
        if ch == "\n":
            ln += 1
    d = Doc(name=name, text=text)
    prev = None
    for pid, (s, e) in zip(enc.ids, enc.offsets):
        d.ids.append(pid)
        d.offsets.append((s, e))
        d.types.append(piece_case_class(text, s, e))
        d.para.append(line_of[s] if s < len(text) else ln)
        cur = lab[s] if s < len(lab) else None
        if cur is None:
            d.labels.append(QUOTE_LABEL2ID["O"])
        else:
            bi = "I" if prev is not None and prev == cur else "B"
            d.labels.append(QUOTE_LABEL2ID[f"{bi}-{cur[0]}"])
        prev = cur
    return d


def doc_windows(d: Doc, width: int = QUOTE_WINDOW_PIECES):
    """Paragraphs packed whole into windows of at most `width` pieces; a longer paragraph is cut
    into consecutive chunks (training and the quick dev check; the Rust engine adds context on
    both sides of such a chunk)."""
    paras = []
    for i, p in enumerate(d.para):
        if paras and paras[-1][0] == p:
            paras[-1][2] = i + 1
        else:
            paras.append([p, i, i + 1])
    wins, cur = [], None
    for _, s, e in paras:
        if e - s > width:
            if cur:
                wins.append(tuple(cur))
                cur = None
            for k in range(s, e, width):
                wins.append((k, min(k + width, e)))
            continue
        if cur and e - cur[0] <= width:
            cur[1] = e
        else:
            if cur:
                wins.append(tuple(cur))
            cur = [s, e]
    if cur:
        wins.append(tuple(cur))
    return wins
