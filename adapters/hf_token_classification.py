#!/usr/bin/env python3
"""quoteval command backend: a Hugging Face transformers token-classification pipeline.

    [models.hf-ner.ner]
    backend = "command"
    command = ["python3", "adapters/hf_token_classification.py", "{input}", "{output}",
               "--model", "models/quoteval-ner-minilm"]
    labels = "conll2003"        # or "ontonotes", after the model's id2label

Reads every <article>.txt in INPUT and writes OUTPUT/predictions.jsonl: one article a line,
entity mentions by char offsets with the model's labels (B-/I- prefixes merged by the
pipeline's `aggregation_strategy`). The pipeline's offsets are Python str indices (Unicode code
points), which is what quoteval's offsets are. Long articles are cut into windows of whole
lines of at most --max-chars characters, so no mention is lost to the model's length limit.
`--model` is a local directory (nothing is downloaded). Needs torch and transformers.
"""
import argparse
import json
import os
import sys


def windows(text, max_chars):
    """(offset, chunk) pieces of whole lines, each at most max_chars long where lines allow."""
    start = 0
    while start < len(text):
        end = min(len(text), start + max_chars)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            if cut > start:
                end = cut + 1
        yield start, text[start:end]
        start = end


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("input", help="directory of <article>.txt files")
    ap.add_argument("output", help="directory to write predictions.jsonl into")
    ap.add_argument("--model", required=True, help="local model directory")
    ap.add_argument("--aggregation", default="simple", help="aggregation_strategy")
    ap.add_argument("--max-chars", type=int, default=1000)
    ap.add_argument("--device", default="cpu")
    args = ap.parse_args()
    try:
        from transformers import pipeline
    except ImportError:
        sys.exit("hf_token_classification.py: needs transformers and torch")
    ner = pipeline(
        "token-classification",
        model=args.model,
        aggregation_strategy=args.aggregation,
        device=args.device,
    )
    out = os.path.join(args.output, "predictions.jsonl")
    with open(out, "w", encoding="utf-8") as f:
        for name in sorted(n for n in os.listdir(args.input) if n.endswith(".txt")):
            with open(os.path.join(args.input, name), encoding="utf-8", newline="") as t:
                text = t.read()
            mentions = []
            for offset, chunk in windows(text, args.max_chars):
                if not chunk.strip():
                    continue
                for ent in ner(chunk):
                    start, end = offset + ent["start"], offset + ent["end"]
                    # The pipeline's span may include surrounding spaces; quoteval's may not.
                    while start < end and text[start].isspace():
                        start += 1
                    while end > start and text[end - 1].isspace():
                        end -= 1
                    if start < end:
                        mentions.append({"type": ent["entity_group"], "start": start, "end": end})
            line = {
                "article": name[: -len(".txt")],
                "source": f"transformers {args.model}",
                "layers": ["mentions"],
                "mentions": mentions,
            }
            f.write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
