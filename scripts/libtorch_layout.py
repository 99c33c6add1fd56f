#!/usr/bin/env python3
"""Lays out a libtorch tree (include/, lib/) from PyPI wheels, for tch / torch-sys.

Used by scripts/setup-libtorch.sh; run it directly only to debug:

    python3 scripts/libtorch_layout.py --variant cpu --wheels .cache/wheels --dest .libtorch.tmp

Only the members that are needed are extracted (Python's zipfile; no pip install):
  cpu:  torch/include/**, torch/lib/{libtorch_cpu,libc10,libgomp-*}.so*, and libcudart.so.12 /
        libcupti.so.12 (libtorch_cpu.so in the PyPI wheel is linked against them) from the
        nvidia-cuda-runtime-cu12 / nvidia-cuda-cupti-cu12 wheels. libtorch.so is a symlink to
        libtorch_cpu.so so that libtorch_cuda.so is never linked.
  cuda: torch/include/**, every torch/lib/*.so* but libtorch_python, and the shared libraries of
        every nvidia-* wheel, all in one lib/ directory (the torch libraries find them through
        their $ORIGIN rpath).
Also writes build-version (torch-sys checks it) and libgomp.so (torch-sys links -lgomp; this makes
it the OpenMP runtime libtorch itself uses).
"""
import argparse
import hashlib
import os
import stat
import sys
import zipfile
from pathlib import Path

TORCH_VERSION = "2.4.0"
# sha256 of the wheels the CPU layout uses (as PyPI serves them); other wheels are checked by pip
# against the index's own hashes.
KNOWN_SHA256 = {
    "torch-2.4.0-cp311-cp311-manylinux1_x86_64.whl":
        "e743adadd8c8152bb8373543964551a7cb7cc20ba898dc8f9c0cdbe47c283de0",
    "nvidia_cuda_runtime_cu12-12.1.105-py3-none-manylinux1_x86_64.whl":
        "6e258468ddf5796e25f1dc591a31029fa317d97a0a94ed93468fc86301d61e40",
    "nvidia_cuda_cupti_cu12-12.1.105-py3-none-manylinux1_x86_64.whl":
        "e54fde3983165c624cb79254ae9818a456eb6e87a7fd4d56a2352c24ee542d7e",
}
CPU_TORCH_LIBS = ("libtorch_cpu.so", "libc10.so", "libgomp-")
CPU_NVIDIA_LIBS = ("libcudart.so.12", "libcupti.so.12")


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def extract(z: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path):
    target.parent.mkdir(parents=True, exist_ok=True)
    with z.open(info) as src, open(target, "wb") as dst:
        while True:
            block = src.read(1 << 22)
            if not block:
                break
            dst.write(block)
    mode = (info.external_attr >> 16) & 0o777
    os.chmod(target, mode or 0o644)
    if target.suffix == ".so" or ".so." in target.name:
        os.chmod(target, os.stat(target).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variant", choices=["cpu", "cuda"], required=True)
    ap.add_argument("--wheels", type=Path, required=True)
    ap.add_argument("--dest", type=Path, required=True)
    args = ap.parse_args()

    wheels = sorted(args.wheels.glob("*.whl"))
    torch_whl = [w for w in wheels if w.name.startswith(f"torch-{TORCH_VERSION}-")]
    if len(torch_whl) != 1:
        sys.exit(f"expected one torch {TORCH_VERSION} wheel in {args.wheels}, found {len(torch_whl)}")
    nvidia_whls = [w for w in wheels if w.name.startswith("nvidia_")]
    for w in [*torch_whl, *nvidia_whls]:
        want = KNOWN_SHA256.get(w.name)
        if want is not None and sha256(w) != want:
            sys.exit(f"{w}: sha256 mismatch (expected {want}); delete it and run the set-up again")

    dest = args.dest
    lib = dest / "lib"
    lib.mkdir(parents=True, exist_ok=True)
    gomp = None
    with zipfile.ZipFile(torch_whl[0]) as z:
        for info in z.infolist():
            name = info.filename
            if info.is_dir():
                continue
            if name.startswith("torch/include/"):
                extract(z, info, dest / name[len("torch/"):])
            elif name.startswith("torch/lib/"):
                base = name[len("torch/lib/"):]
                if args.variant == "cpu" and not base.startswith(CPU_TORCH_LIBS):
                    continue
                if base.startswith("libtorch_python"):  # needs libpython; tch never links it
                    continue
                if base.startswith("libgomp-"):
                    gomp = base
                extract(z, info, lib / base)
    if gomp is None:
        sys.exit("no bundled libgomp in the torch wheel")

    found = set()
    for w in nvidia_whls:
        with zipfile.ZipFile(w) as z:
            for info in z.infolist():
                base = os.path.basename(info.filename)
                if info.is_dir() or "/lib/" not in info.filename or ".so" not in base:
                    continue
                if args.variant == "cpu" and base not in CPU_NVIDIA_LIBS:
                    continue
                found.add(base)
                extract(z, info, lib / base)
    if args.variant == "cpu":
        missing = [n for n in CPU_NVIDIA_LIBS if n not in found]
        if missing:
            sys.exit(f"missing from the nvidia wheels: {', '.join(missing)}")
        (lib / "libtorch.so").unlink(missing_ok=True)
        os.symlink("libtorch_cpu.so", lib / "libtorch.so")
    (lib / "libgomp.so").unlink(missing_ok=True)
    os.symlink(gomp, lib / "libgomp.so")
    (dest / "build-version").write_text(f"{TORCH_VERSION}+{'cpu' if args.variant == 'cpu' else 'cu121'}\n")


if __name__ == "__main__":
    main()
