#!/usr/bin/env python3
"""quoteval command backend: entities, quotes, speakers and places from a language model behind
an OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, llama.cpp's server, Ollama, ...).

    [models.llm.ner]
    backend = "command"
    command = ["python3", "adapters/openai_chat.py", "{input}", "{output}",
               "--model", "gpt-4o-mini", "--save-raw", "llm-raw"]
    timeout = 3600
    [models.llm.quotes]
    backend = "command"
    command = [... the same ...]

The model answers by text only (quote text, entity strings, speaker names); this adapter writes
those texts as they are, and quoteval places them in the article (exact, after normalising marks
and spaces, or approximately) and counts what it cannot place as "not in the article". Nothing
is dropped or moved here.

- The prompt and a JSON schema for the answer (`response_format`, strict) are below; the
  endpoint's base URL comes from --base-url or OPENAI_BASE_URL, the key from the variable named
  by --api-key-env (default OPENAI_API_KEY).
- Each article is one request. A failed request (network error, HTTP 408/409/429/5xx) or an
  answer that is not the schema's JSON is retried, up to --retries times, with exponential
  backoff; other HTTP errors stop the run.
- Every raw answer (the endpoint's whole JSON response) is saved as RAW/<article>.json, RAW
  being --save-raw (default: <output>/raw, beside predictions.jsonl), so a run can be audited
  and re-scored without calling the model again: --replay RAW reads the saved answers instead
  of the network (a file may hold one response or a list, used in order, one per attempt).

Python standard library only. Article texts are read without newline translation.
"""
import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request

PROMPT = """You annotate a news article. Return JSON only, following the schema.
- mentions: every mention of a named person (PERSON), place (PLACE: countries, cities, regions,
  named facilities) or organisation (ORG), in the order they occur, each with the exact text as
  written (titles, a leading "the" and a possessive 's left out). Repeat a name each time it
  occurs.
- quotes: every report of what a source said or wrote. "text" is the reported content exactly as
  written in the article, without the quotation marks around a direct quote; a quote interrupted
  by its attribution ("A," he said, "B.") gives "fragments": ["A,", "B."] instead. "cue" is the
  speech verb as written ("said"), "speaker" the canonical name of who said it (resolve "he" to
  the person), or null.
- speakers: the distinct speakers of the quotes: canonical name (the most complete name used),
  type PERSON, ORG or OTHER, aliases (other names the article uses).
- places: the distinct places mentioned: canonical name and aliases.
Copy every text from the article; never paraphrase."""

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["mentions", "quotes", "speakers", "places"],
    "properties": {
        "mentions": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["type", "text"],
                "properties": {
                    "type": {"type": "string", "enum": ["PERSON", "PLACE", "ORG"]},
                    "text": {"type": "string"},
                },
            },
        },
        "quotes": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["text", "fragments", "cue", "speaker"],
                "properties": {
                    "text": {"type": ["string", "null"]},
                    "fragments": {"type": ["array", "null"], "items": {"type": "string"}},
                    "cue": {"type": ["string", "null"]},
                    "speaker": {"type": ["string", "null"]},
                },
            },
        },
        "speakers": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "type", "aliases"],
                "properties": {
                    "name": {"type": "string"},
                    "type": {"type": "string", "enum": ["PERSON", "ORG", "OTHER"]},
                    "aliases": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
        "places": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "aliases"],
                "properties": {
                    "name": {"type": "string"},
                    "aliases": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}

RETRIED_STATUS = {408, 409, 429, 500, 502, 503, 504}


class BadAnswer(Exception):
    """An answer that is not the schema's JSON: worth another attempt."""


def request_body(model, text):
    return {
        "model": model,
        "temperature": 0,
        "messages": [
            {"role": "system", "content": PROMPT},
            {"role": "user", "content": text},
        ],
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "quoteval_annotation", "strict": True, "schema": SCHEMA},
        },
    }


def post(url, key, body, timeout):
    data = json.dumps(body).encode("utf-8")
    req = urllib.request.Request(url, data=data, method="POST")
    req.add_header("Content-Type", "application/json")
    if key:
        req.add_header("Authorization", f"Bearer {key}")
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return json.loads(resp.read().decode("utf-8"))


class Replay:
    """Saved responses instead of the network: RAW/<article>.json, one response or a list."""

    def __init__(self, directory):
        self.directory = directory
        self.used = {}

    def __call__(self, article):
        path = os.path.join(self.directory, article + ".json")
        with open(path, encoding="utf-8") as f:
            saved = json.load(f)
        responses = saved if isinstance(saved, list) else [saved]
        k = self.used.get(article, 0)
        self.used[article] = k + 1
        if k >= len(responses):
            raise BadAnswer(f"{path}: no recorded response for attempt {k + 1}")
        return responses[k]


def answer_of(response):
    """The annotation in a chat-completions response, checked against the schema's shape."""
    try:
        choice = response["choices"][0]
        content = choice["message"]["content"]
    except (KeyError, IndexError, TypeError) as e:
        raise BadAnswer(f"not a chat-completions response ({e!r})")
    if choice.get("finish_reason") not in (None, "stop"):
        raise BadAnswer(f"finish_reason {choice.get('finish_reason')!r}")
    try:
        answer = json.loads(content)
    except (TypeError, json.JSONDecodeError) as e:
        raise BadAnswer(f"content is not JSON ({e})")
    if not isinstance(answer, dict) or any(
            not isinstance(answer.get(k), list) for k in SCHEMA["required"]):
        raise BadAnswer("content lacks mentions, quotes, speakers or places")
    return answer


def prediction_line(article, answer):
    """The answer as a quoteval JSON Lines prediction: items by text, as the model wrote them."""
    quotes = []
    for q in answer["quotes"]:
        item = {}
        if q.get("fragments") and len(q["fragments"]) > 1:
            item["fragments"] = q["fragments"]
        elif q.get("text") or q.get("fragments"):
            item["text"] = q.get("text") or q["fragments"][0]
        else:
            continue
        if q.get("cue"):
            item["cue"] = q["cue"]
        if q.get("speaker"):
            item["speaker"] = q["speaker"]
        quotes.append(item)
    return {
        "article": article,
        "source": "openai_chat.py",
        "mentions": [{"type": m["type"], "text": m["text"]} for m in answer["mentions"]],
        "quotes": quotes,
        "speakers": [{"name": s["name"], "type": s["type"], "aliases": s.get("aliases", [])}
                     for s in answer["speakers"]],
        "places": [{"name": p["name"], "aliases": p.get("aliases", [])} for p in answer["places"]],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--model", default=os.environ.get("OPENAI_MODEL", "gpt-4o-mini"))
    ap.add_argument("--base-url",
                    default=os.environ.get("OPENAI_BASE_URL", "https://api.openai.com/v1"))
    ap.add_argument("--api-key-env", default="OPENAI_API_KEY")
    ap.add_argument("--retries", type=int, default=4)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per request")
    ap.add_argument("--save-raw", help="where to save every raw answer (default OUTPUT/raw)")
    ap.add_argument("--replay", help="read saved answers from this directory, not the network")
    args = ap.parse_args()

    raw_dir = args.save_raw or os.path.join(args.output, "raw")
    os.makedirs(raw_dir, exist_ok=True)
    url = args.base_url.rstrip("/") + "/chat/completions"
    key = os.environ.get(args.api_key_env, "")
    if not args.replay and not key and "api.openai.com" in url:
        sys.exit(f"openai_chat.py: set {args.api_key_env} (or --base-url for a local server)")
    replay = Replay(args.replay) if args.replay else None

    lines = []
    for name in sorted(os.listdir(args.input)):
        if not name.endswith(".txt"):
            continue
        article = name[:-4]
        with open(os.path.join(args.input, name), encoding="utf-8", newline="") as f:
            text = f.read()
        attempts, last_error = [], None
        for attempt in range(args.retries + 1):
            if attempt:
                time.sleep(0 if replay else min(60, 2 ** attempt))
            try:
                if replay:
                    response = replay(article)
                else:
                    response = post(url, key, request_body(args.model, text), args.timeout)
                attempts.append(response)
                answer = answer_of(response)
                break
            except urllib.error.HTTPError as e:
                detail = e.read().decode("utf-8", "replace")[:500]
                attempts.append({"http_status": e.code, "body": detail})
                last_error = f"HTTP {e.code}: {detail}"
                if e.code not in RETRIED_STATUS:
                    sys.exit(f"openai_chat.py: {article}: {last_error}")
            except (urllib.error.URLError, TimeoutError, BadAnswer) as e:
                last_error = str(e)
                print(f"openai_chat.py: {article}: attempt {attempt + 1}: {e}", file=sys.stderr)
        else:
            sys.exit(f"openai_chat.py: {article}: no usable answer after {args.retries + 1} "
                     f"attempts: {last_error}")
        with open(os.path.join(raw_dir, article + ".json"), "w", encoding="utf-8") as f:
            json.dump(attempts if len(attempts) > 1 else attempts[0], f, ensure_ascii=False,
                      indent=1)
        lines.append(prediction_line(article, answer))
    with open(os.path.join(args.output, "predictions.jsonl"), "w", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
