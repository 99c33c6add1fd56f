#!/usr/bin/env bash
# Lays out libtorch 2.4.0 (what tch / torch-sys 0.17 and rust-bert 0.23 need) in .libtorch/, from
# PyPI wheels only: no download from download.pytorch.org, no pip install, no Python torch needed.
#
#   scripts/setup-libtorch.sh                     # CPU build (default), about 530 MB on disk
#   QUOTEVAL_TORCH=cuda scripts/setup-libtorch.sh # CUDA 12.1 build for a GPU machine (about 4 GB)
#
# Environment:
#   QUOTEVAL_TORCH          cpu (default) | cuda. Switching variant re-lays .libtorch/; then run
#                           `cargo clean -p torch-sys` so that the new libraries are linked.
#   QUOTEVAL_LIBTORCH_DIR   where to lay it out (default: <repo>/.libtorch; .cargo/config.toml
#                           points LIBTORCH there; set LIBTORCH yourself for another directory).
#   QUOTEVAL_WHEELS_DIR     the wheel cache (default: <repo>/.cache/wheels; git-ignored).
#   PYTHON                  the Python 3 that runs pip and the layout helper (default: python3).
#
# Idempotent: .libtorch/.stamp records the variant, the wheel pins and the size of every file laid
# out; when it matches, the script exits at once. The wheels (about 810 MB for CPU) are kept in the
# cache so that a re-layout needs no network; delete .cache/wheels to reclaim the space.
#
# Building: .cargo/config.toml sets LIBTORCH=.libtorch and LIBTORCH_CXX11_ABI=0 (the PyPI wheels
# use the pre-C++11 string ABI), and build.rs gives every binary an rpath to .libtorch/lib, so
# `cargo build`, `cargo test`, `cargo bench` and the bare binary need no LD_LIBRARY_PATH.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VARIANT="${QUOTEVAL_TORCH:-cpu}"
DEST="${QUOTEVAL_LIBTORCH_DIR:-$ROOT/.libtorch}"
WHEELS="${QUOTEVAL_WHEELS_DIR:-$ROOT/.cache/wheels}"
PYTHON="${PYTHON:-python3}"
LAYOUT_VERSION=2

case "$VARIANT" in
  cpu)
    PINS=(torch==2.4.0 nvidia-cuda-runtime-cu12==12.1.105 nvidia-cuda-cupti-cu12==12.1.105) ;;
  cuda)
    # torch 2.4.0's own CUDA 12.1 requirements (its wheel metadata), plus nvJitLink for cuSPARSE.
    PINS=(torch==2.4.0
          nvidia-cuda-runtime-cu12==12.1.105 nvidia-cuda-cupti-cu12==12.1.105
          nvidia-cuda-nvrtc-cu12==12.1.105 nvidia-cublas-cu12==12.1.3.1 nvidia-cudnn-cu12==9.1.0.70
          nvidia-cufft-cu12==11.0.2.54 nvidia-curand-cu12==10.3.2.106
          nvidia-cusolver-cu12==11.4.5.107 nvidia-cusparse-cu12==12.1.0.106
          nvidia-nccl-cu12==2.20.5 nvidia-nvtx-cu12==12.1.105 nvidia-nvjitlink-cu12==12.1.105) ;;
  *)
    echo "setup-libtorch: QUOTEVAL_TORCH must be cpu or cuda, not '$VARIANT'" >&2
    exit 2 ;;
esac

KEY="layout=$LAYOUT_VERSION variant=$VARIANT pins=${PINS[*]}"
STAMP="$DEST/.stamp"

# The manifest: "size path" for every regular file under DEST (stamp excluded), sorted.
manifest() {
  (cd "$1" && find . -type f ! -name .stamp -printf '%s %p\n' | LC_ALL=C sort)
}

if [[ -f "$STAMP" ]] && [[ "$(head -n 1 "$STAMP")" == "$KEY" ]] \
   && [[ "$(tail -n +2 "$STAMP")" == "$(manifest "$DEST")" ]]; then
  echo "libtorch ($VARIANT) is up to date in $DEST"
  exit 0
fi

command -v "$PYTHON" >/dev/null || { echo "setup-libtorch: needs $PYTHON (with pip)" >&2; exit 1; }

# Wheels for CPython 3.11 on manylinux x86_64, whatever Python runs pip (they are only unzipped).
mkdir -p "$WHEELS"
echo "setup-libtorch: fetching wheels into $WHEELS: ${PINS[*]}"
PIP_DISABLE_PIP_VERSION_CHECK=1 "$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: \
  --python-version 3.11 --implementation cp --abi cp311 \
  --platform manylinux1_x86_64 --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 \
  --dest "$WHEELS" "${PINS[@]}"

# Only the pinned wheels go into the layout (the cache may hold wheels of the other variant).
STAGE_WHEELS="$(mktemp -d "${TMPDIR:-/tmp}/quoteval-wheels.XXXXXX")"
TMP="$DEST.$$.tmp"
trap 'rm -rf "$STAGE_WHEELS" "$TMP"' EXIT
for pin in "${PINS[@]}"; do
  name="${pin%%==*}"; version="${pin##*==}"
  file_prefix="${name//-/_}-$version-"
  found=("$WHEELS/$file_prefix"*.whl)
  [[ -e "${found[0]}" ]] || { echo "setup-libtorch: no wheel for $pin in $WHEELS" >&2; exit 1; }
  ln -s "$(cd "$(dirname "${found[0]}")" && pwd)/$(basename "${found[0]}")" "$STAGE_WHEELS/"
done

echo "setup-libtorch: laying out libtorch ($VARIANT) in $DEST"
rm -rf "$TMP"
"$PYTHON" "$ROOT/scripts/libtorch_layout.py" --variant "$VARIANT" --wheels "$STAGE_WHEELS" --dest "$TMP"
{ echo "$KEY"; manifest "$TMP"; } > "$TMP/.stamp"
rm -rf "$DEST"
mv "$TMP" "$DEST"
echo "setup-libtorch: done ($(du -sh "$DEST" | cut -f1)); LIBTORCH=$DEST LIBTORCH_CXX11_ABI=0"
