#!/usr/bin/env python3
"""Annotator's tool for quoteval's layers over PolNeAR (entity mentions, speakers, places).

PolNeAR carries attributions only. quoteval's own layers over it are annotated by people (or
independent annotator agents) under gold/GUIDELINES.md, from the text and PolNeAR's attributions
only, never from a model's output. This tool does the bookkeeping around that work; it proposes
nothing.

  polnear_layers.py packet SPLIT_DIR ARTICLE
      The article text with the character offset of every line, and PolNeAR's attribution
      events (of the .ann file the import reads: the first by name), each with its Source, Cue
      and Content text. What the annotator reads.

  polnear_layers.py diff SPLIT_DIR A.json B.json
      Where two annotators' layer files of one article disagree, each case in context: mentions
      (span or type), the speakers linked to each attribution (names compared through each
      side's aliases) and the places. What an adjudicator reads.

  polnear_layers.py anchor SPLIT_DIR DRAFT.json --out LAYERS.json [--force]
      Turns an annotator's draft into a standoff layer file: mentions listed in document order
      as [TYPE, TEXT] (or [TYPE, TEXT, START] to pin one occurrence) are anchored to character
      offsets (each at the next whole-word occurrence after the previous mention); every
      attribution event must be linked to its speakers; every name is checked. Prints what it
      anchored, every problem, and each occurrence of a labelled form left unlabelled, for the
      annotator to review. Exit 1 on any problem (nothing written).

The standoff file (schema quoteval-layers/1) holds offsets, labels, names and mention texts,
keyed by the PolNeAR id and the sha256 of its text; never the article text itself.
`quoteval gold import --format polnear SPLIT_DIR --layers DIR` merges it with the attributions.
"""
import argparse
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

TYPES = ("PERSON", "PLACE", "ORG")
SPEAKER_TYPES = ("PERSON", "ORG", "OTHER")
SCHEMA = "quoteval-layers/1"


def read_text(path):
    # newline="" keeps "\r\n" as two characters, as the Rust import counts them.
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def first_ann(split, article):
    anns = sorted(p for p in (split / "attributions").glob(article + "_*.ann")
                  if p.stem.rsplit("_", 1)[0] == article)
    if not anns:
        sys.exit(f"{split}/attributions: no .ann file for {article}")
    return anns[0]


def parse_ann(path):
    """Text-bound spans {id: (type, [(s, e)], text)} and attribution events [(id, [(role, T)])]."""
    spans, events = {}, []
    for line in read_text(path).splitlines():
        if line.startswith("T"):
            tid, middle, text = line.split("\t", 2)
            kind, offsets = middle.split(" ", 1)
            frags = [tuple(int(x) for x in frag.split()) for frag in offsets.split(";")]
            spans[tid] = (kind, frags, text)
        elif line.startswith("E"):
            eid, args = line.split("\t", 1)
            pairs = [a.split(":", 1) for a in args.split()]
            if pairs and pairs[0][0].startswith("Attribution"):
                events.append((eid, pairs))
    return spans, events


def role_base(role):
    return role.rstrip("0123456789")


def packet(args):
    split = Path(args.split_dir)
    text = read_text(split / "text" / (args.article + ".txt"))
    ann = first_ann(split, args.article)
    spans, events = parse_ann(ann)
    print(f"# article {args.article} ({len(text)} characters; attributions from {ann.name})")
    print("# each line: [offset of its first character] text")
    offset = 0
    for line in text.split("\n"):
        print(f"[{offset}] {line}")
        offset += len(line) + 1
    print()
    print("# attribution events: link each to its speaker(s) in the draft's \"attributions\"")
    for eid, pairs in events:
        parts = []
        for role, tid in pairs:
            base = role_base(role)
            if base in ("Source", "Cue", "Content") and tid in spans:
                kind, frags, t = spans[tid]
                shown = t if len(t) <= 160 else t[:150] + " …"
                parts.append(f"{role}[{frags[0][0]}]={shown!r}")
        kind = pairs[0][0]
        print(f"{eid} ({kind}): " + " | ".join(parts))


def is_word(c):
    return c.isalnum()


def whole_word(text, start, end):
    if start > 0 and is_word(text[start]) and is_word(text[start - 1]):
        return False
    if end < len(text) and is_word(text[end - 1]) and is_word(text[end]):
        return False
    return True


def find_from(text, needle, cursor):
    at = text.find(needle, cursor)
    while at != -1 and not whole_word(text, at, at + len(needle)):
        at = text.find(needle, at + 1)
    return at


def context(text, start, end, width=40):
    left = text[max(0, start - width):start].replace("\n", " ")
    right = text[end:end + width].replace("\n", " ")
    return f"…{left}[[{text[start:end]}]]{right}…"


def entity_names(entities, key, noun, problems):
    """{name or alias: canonical name} of a speakers or places list, each entry checked: a
    name, aliases as a list of names, and no name that belongs to two entries."""
    names = {}
    for i, e in enumerate(entities):
        if not (isinstance(e, dict) and isinstance(e.get("name"), str) and e["name"].strip()):
            problems.append(f"{key}[{i}]: needs a \"name\"")
            continue
        aliases = e.get("aliases", [])
        if not (isinstance(aliases, list) and all(isinstance(a, str) for a in aliases)):
            problems.append(f"{key}[{i}] {e['name']!r}: aliases must be a list of names")
            aliases = []
        for n in [e["name"], *aliases]:
            if n in names and names[n] != e["name"]:
                problems.append(f"{key}[{i}]: {n!r} already names {noun} {names[n]!r}")
            names[n] = e["name"]
    return names


def anchor(args):
    split = Path(args.split_dir)
    draft_path = Path(args.draft)
    try:
        draft = json.loads(read_text(draft_path))
    except (OSError, json.JSONDecodeError) as e:
        sys.exit(f"{draft_path}: {e}")
    article = draft.get("article")
    if not isinstance(article, str):
        sys.exit(f"{draft_path}: \"article\" (the PolNeAR id) is missing")
    text = read_text(split / "text" / (article + ".txt"))
    ann = first_ann(split, article)
    spans, events = parse_ann(ann)
    problems = []

    mentions, cursor = [], 0
    for i, item in enumerate(draft.get("mentions", [])):
        if not (isinstance(item, list) and len(item) in (2, 3) and item[0] in TYPES
                and isinstance(item[1], str) and item[1]):
            problems.append(f"mentions[{i}]: {item!r} is not [TYPE, TEXT] or [TYPE, TEXT, START]"
                            f" with TYPE one of {TYPES}")
            continue
        kind, needle = item[0], item[1]
        if needle != needle.strip():
            problems.append(f"mentions[{i}]: {needle!r} has surrounding whitespace")
            continue
        if len(item) == 3:
            start = item[2]
            if not isinstance(start, int) or text[start:start + len(needle)] != needle:
                problems.append(f"mentions[{i}]: {needle!r} is not at {start}")
                continue
        else:
            start = find_from(text, needle, cursor)
            if start == -1:
                near = context(text, cursor, cursor)
                problems.append(f"mentions[{i}]: {needle!r} ({kind}) does not occur as a whole "
                                f"word after offset {cursor} {near}: is the list out of order?")
                continue
        end = start + len(needle)
        if mentions and start < mentions[-1]["end"] and end > mentions[-1]["start"]:
            problems.append(f"mentions[{i}]: {needle!r} at {start} overlaps the previous mention "
                            f"{mentions[-1]['text']!r} at {mentions[-1]['start']}")
            continue
        mentions.append({"type": kind, "start": start, "end": end, "text": needle})
        cursor = end
    mentions.sort(key=lambda m: (m["start"], m["end"]))
    for a, b in zip(mentions, mentions[1:]):
        if b["start"] < a["end"]:
            problems.append(f"mentions {a['text']!r} at {a['start']} and {b['text']!r} at "
                            f"{b['start']} overlap")

    speakers = draft.get("speakers", [])
    names = entity_names(speakers, "speakers", "speaker", problems)
    for i, s in enumerate(speakers):
        if not isinstance(s, dict) or not isinstance(s.get("name"), str):
            continue
        if s.get("type") not in SPEAKER_TYPES:
            problems.append(f"speakers[{i}] {s['name']!r}: type must be one of {SPEAKER_TYPES}")
        if not isinstance(s.get("named"), bool):
            problems.append(f"speakers[{i}] {s['name']!r}: \"named\" must be true or false")

    places = draft.get("places", [])
    place_names = entity_names(places, "places", "place", problems)
    place_forms = {m["text"] for m in mentions if m["type"] == "PLACE"}
    for form in sorted(place_forms - set(place_names)):
        problems.append(f"PLACE mention {form!r} belongs to no place (add it as a name or alias)")

    links = draft.get("attributions", {})
    if not isinstance(links, dict):
        problems.append("attributions must map each event id (E1, …) to a list of speaker names")
        links = {}
    event_ids = [e for e, _ in events]
    out_links, used = [], set()
    for eid in event_ids:
        who = links.get(eid)
        if who is None:
            problems.append(f"attributions: event {eid} is not linked (use [] when no speaker "
                            f"can be resolved)")
            continue
        if not (isinstance(who, list) and all(isinstance(w, str) for w in who)):
            problems.append(f"attributions[{eid}]: a list of speaker names")
            continue
        for w in who:
            if w not in names:
                problems.append(f"attributions[{eid}]: {w!r} is no speaker's name or alias")
            else:
                used.add(names[w])
        out_links.append({"event": eid, "speakers": [names.get(w, w) for w in who]})
    for eid in sorted(set(links) - set(event_ids)):
        problems.append(f"attributions: {eid} is not an attribution event of {ann.name}")
    for s in speakers:
        if isinstance(s, dict) and s.get("name") and s["name"] not in used:
            problems.append(f"speaker {s['name']!r} speaks in no attribution (the speakers of an "
                            f"article are those of its attributions)")

    # Occurrences of a labelled form left unlabelled: the annotator decides, the tool only shows.
    covered = [(m["start"], m["end"]) for m in mentions]
    review = []
    for form in sorted({m["text"] for m in mentions}):
        at = find_from(text, form, 0)
        while at != -1:
            end = at + len(form)
            if not any(s <= at and end <= e for s, e in covered):
                review.append(f"  unlabelled {form!r} at {at}: {context(text, at, end)}")
            at = find_from(text, form, at + 1)

    for m in mentions:
        print(f"{m['type']:6} {m['start']:5} {context(text, m['start'], m['end'], 25)}")
    if review:
        print("review (other occurrences of labelled forms, not labelled):")
        print("\n".join(review))
    if problems:
        print(f"{draft_path}: {len(problems)} problem(s), nothing written:", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        sys.exit(1)

    layers = {
        "schema": SCHEMA,
        "corpus": "polnear",
        "article": article,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "annotation": ann.name,
        "annotator": draft.get("annotator", ""),
        "layers": ["mentions", "speakers", "places"],
        "mentions": mentions,
        "speakers": [{"name": s["name"], "type": s["type"], "aliases": s.get("aliases", []),
                      "named": s["named"]} for s in speakers],
        "places": [{"name": p["name"], "aliases": p.get("aliases", [])} for p in places],
        "attributions": out_links,
        "notes": [n for n in draft.get("notes", []) if isinstance(n, str)],
    }
    out = Path(args.out)
    if out.exists() and not out.is_file():
        # Never rename over a device or a directory (`--out /dev/null` would replace it).
        sys.exit(f"{out}: not a regular file")
    if out.exists() and not args.force:
        sys.exit(f"{out}: exists (pass --force to replace it)")
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=out.name, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(layers, f, ensure_ascii=False, indent=1)
        f.write("\n")
    os.replace(tmp, out)
    print(f"wrote {out}: {len(mentions)} mentions, {len(speakers)} speakers, {len(places)} "
          f"places, {len(out_links)} attributions linked")


def norm(name):
    return " ".join(name.replace("’", "'").split()).lower()


def name_sets(entities):
    """{canonical: set of normalised names} of a speakers or places list."""
    return {e["name"]: {norm(n) for n in [e["name"], *e.get("aliases", [])]} for e in entities}


def same_entity(a_names, b_names):
    return bool(a_names & b_names)


def diff(args):
    split = Path(args.split_dir)
    a = json.loads(read_text(Path(args.a)))
    b = json.loads(read_text(Path(args.b)))
    if a["article"] != b["article"]:
        sys.exit("the two files annotate different articles")
    text = read_text(split / "text" / (a["article"] + ".txt"))
    print(f"# {a['article']}: A = {args.a}, B = {args.b}")
    am = {(m["start"], m["end"]): m["type"] for m in a["mentions"]}
    bm = {(m["start"], m["end"]): m["type"] for m in b["mentions"]}
    rows = []
    for span in sorted(set(am) | set(bm)):
        ta, tb = am.get(span), bm.get(span)
        if ta != tb:
            rows.append((span[0], f"mention {context(text, span[0], span[1], 30)}  A={ta or '-'}"
                                  f"  B={tb or '-'}"))
    print(f"## mentions: {len(rows)} disagreement(s) of {len(set(am) | set(bm))} spans")
    for _, r in sorted(rows):
        print("  " + r)
    sa, sb = name_sets(a["speakers"]), name_sets(b["speakers"])
    la = {l["event"]: l["speakers"] for l in a["attributions"]}
    lb = {l["event"]: l["speakers"] for l in b["attributions"]}
    spans, events = parse_ann(split / "attributions" / a["annotation"])
    source_of = {}
    for eid, pairs in events:
        for role, tid in pairs:
            if role_base(role) == "Source" and tid in spans:
                source_of[eid] = spans[tid][2]
    def agree(x, y):
        if len(x) != len(y):
            return False
        return all(any(same_entity(sa.get(n, {norm(n)}), sb.get(m, {norm(m)})) for m in y)
                   for n in x)
    bad = [e for e in la if not agree(la[e], lb.get(e, []))]
    print(f"## attributions: {len(bad)} disagreement(s) of {len(la)}")
    for e in bad:
        print(f"  {e} source={source_of.get(e, '-')!r}  A={la[e]}  B={lb.get(e)}")
    def entity_rows(kind, xa, xb):
        only_a = [n for n, ns in xa.items() if not any(same_entity(ns, ms) for ms in xb.values())]
        only_b = [n for n, ns in xb.items() if not any(same_entity(ns, ms) for ms in xa.values())]
        print(f"## {kind}: only A {only_a}; only B {only_b}")
    entity_rows("speakers", sa, sb)
    for s_ in a["speakers"]:
        for t in b["speakers"]:
            if same_entity(sa[s_["name"]], sb[t["name"]]) and (
                    s_["type"] != t["type"] or s_["named"] != t["named"] or s_["name"] != t["name"]):
                print(f"  speaker A {s_['name']!r} {s_['type']} named={s_['named']} / "
                      f"B {t['name']!r} {t['type']} named={t['named']}")
    entity_rows("places", name_sets(a["places"]), name_sets(b["places"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("packet", help="what the annotator reads")
    p.add_argument("split_dir")
    p.add_argument("article")
    p.set_defaults(run=packet)
    d = sub.add_parser("diff", help="two annotators' disagreements on one article")
    d.add_argument("split_dir")
    d.add_argument("a")
    d.add_argument("b")
    d.set_defaults(run=diff)
    a = sub.add_parser("anchor", help="a draft to a standoff layer file")
    a.add_argument("split_dir")
    a.add_argument("draft")
    a.add_argument("--out", required=True)
    a.add_argument("--force", action="store_true")
    a.set_defaults(run=anchor)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
