#!/usr/bin/env python3
"""Runs the pull-request job of .github/workflows/quoteval.yml locally, end to end.

    scripts/simulate-ci.py [--base main] [--head HEAD] [--work DIR] [--skip-step NAME]...

It lays out what GitHub Actions lays out for a pull request and runs the workflow's own `run:`
scripts (read from the YAML, not copied), in order, with the workflow's `env`, `if:` conditions,
`working-directory`, step outputs ($GITHUB_OUTPUT), the environment steps add ($GITHUB_ENV)
and the step summary:

  WORK/origin.git          a bare clone of this repository (the "remote": `git fetch origin BASE`)
  WORK/workspace           $GITHUB_WORKSPACE: a clone with the head commit checked out
                           (fetch-depth 0, as the checkout step asks)
  WORK/runner-temp         $RUNNER_TEMP: the workflow puts the base worktree and the head's binary
                           here
  WORK/artifacts/NAME      what upload-artifact would upload
  WORK/outputs, summary    $GITHUB_OUTPUT per step, $GITHUB_STEP_SUMMARY

Environment (to reuse what is already on this machine instead of a cold run):
  CARGO_TARGET_DIR            the workflow's CARGO_TARGET_DIR (default WORK/workspace/target, as in
                              the workflow: a cold build)
  QUOTEVAL_SIM_LIBTORCH       a laid-out libtorch: restored as .libtorch (the libtorch cache hit)
  QUOTEVAL_SIM_MODELS_CACHE   a models/.cache with the base encoder (the download cache hit)
  QUOTEVAL_SIM_WHEELS_CACHE   a .cache with the libtorch wheels
  QUOTEVAL_SIM_VAR_<NAME>     repository variables (vars.<NAME>), e.g. QUOTEVAL_SIM_VAR_QUOTEVAL_GATES
  QUOTEVAL_SIM_ENV_<NAME>     replaces the workflow's env value NAME, e.g. QUOTEVAL_SIM_ENV_LIBTORCH
                              to build against the same libtorch path as an existing target dir
                              (torch-sys rebuilds when LIBTORCH changes)

What it cannot simulate, and says so when it reaches the step:
  - actions/checkout of the merge commit: the head commit itself is checked out;
  - dtolnay/rust-toolchain, actions/setup-python, Swatinem/rust-cache: the local toolchain and
    python3 are used, no cargo cache is restored;
  - actions/cache: only the restores given by the variables above; nothing is saved;
  - upload-artifact: files are copied to WORK/artifacts;
  - the sticky pull-request comment: not posted; its body (compare.md) is shown;
  - GitHub's runner image, network and permissions.
A step skipped with --skip-step did not run, so its outputs are empty, as on GitHub; a later step
that reads them (Gates reads the Benchmarks step's code) fails accordingly.

Exit status: 0 when the job would pass, 1 when a step failed (the output names it), 64 for a
wrong invocation.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKFLOW = os.path.join(ROOT, ".github", "workflows", "quoteval.yml")


def say(msg):
    print(f"simulate-ci: {msg}", file=sys.stderr, flush=True)


def git(*args, cwd=ROOT, capture=True):
    out = subprocess.run(
        ["git", *args], cwd=cwd, check=True, text=True, capture_output=capture
    )
    return out.stdout.strip() if capture else None


class Context:
    """The values `${{ ... }}` expressions read."""

    def __init__(self, workspace, runner_temp, base_ref, head_sha):
        self.workspace = workspace
        self.runner_temp = runner_temp
        self.base_ref = base_ref
        self.head_sha = head_sha
        self.steps = {}  # id -> {"outputs": {}, "outcome": ...}
        self.failed = False

    def lookup(self, name):
        parts = name.split(".")
        if parts[0] == "github":
            table = {
                "workspace": self.workspace,
                "event_name": "pull_request",
                "base_ref": self.base_ref,
                "ref": "refs/pull/1/merge",
                "sha": self.head_sha,
                "workflow": "quoteval",
                "event.pull_request.number": "1",
            }
            return table.get(".".join(parts[1:]), "")
        if parts[0] == "runner":
            return {"temp": self.runner_temp, "os": "Linux"}.get(parts[1], "")
        if parts[0] == "vars":
            return os.environ.get(f"QUOTEVAL_SIM_VAR_{parts[1]}", "")
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return self.steps.get(parts[1], {}).get("outputs", {}).get(parts[3], "")
        raise SystemExit(f"simulate-ci: unsupported expression value {name!r}")

    def evaluate(self, expr):
        """A small evaluator for what the workflow uses: literals, names, ==, !=, &&, ||,
        always(), success(), failure(). `||` and `&&` return operand values, as GitHub's do."""
        expr = expr.strip()
        for op in ("||", "&&"):
            parts = split_top(expr, op)
            if len(parts) > 1:
                if op == "||":
                    value = ""
                    for p in parts:
                        value = self.evaluate(p)
                        if truthy(value):
                            return value
                    return value
                value = True
                for p in parts:
                    value = self.evaluate(p)
                    if not truthy(value):
                        return value
                return value
        for op in ("==", "!="):
            parts = split_top(expr, op)
            if len(parts) == 2:
                a, b = (str(self.evaluate(p)).lower() for p in parts)
                return (a == b) if op == "==" else (a != b)
        if expr.startswith("'") and expr.endswith("'"):
            return expr[1:-1].replace("''", "'")
        if expr == "always()":
            return True
        if expr == "success()":
            return not self.failed
        if expr == "failure()":
            return self.failed
        if expr in ("true", "false"):
            return expr == "true"
        if re.fullmatch(r"[A-Za-z_][\w.-]*", expr):
            return self.lookup(expr)
        raise SystemExit(f"simulate-ci: unsupported expression {expr!r}")

    def substitute(self, text):
        def one(m):
            v = self.evaluate(m.group(1))
            return ("true" if v else "false") if isinstance(v, bool) else str(v)

        return re.sub(r"\$\{\{(.*?)\}\}", one, str(text), flags=re.S)


def split_top(expr, op):
    """Splits on `op` outside quotes and parentheses."""
    parts, depth, quoted, start, i = [], 0, False, 0, 0
    while i < len(expr):
        c = expr[i]
        if c == "'":
            quoted = not quoted
        elif not quoted and c == "(":
            depth += 1
        elif not quoted and c == ")":
            depth -= 1
        elif not quoted and depth == 0 and expr.startswith(op, i):
            parts.append(expr[start:i])
            i += len(op)
            start = i
            continue
        i += 1
    parts.append(expr[start:])
    return parts


def truthy(v):
    return bool(v) and v not in ("false", "0")


def condition(ctx, step):
    cond = step.get("if")
    uses_status = isinstance(cond, str) and re.search(r"\b(always|failure|success)\(\)", cond)
    if cond is None:
        return not ctx.failed
    if isinstance(cond, bool):
        return cond and not ctx.failed
    cond = cond.strip()
    if cond.startswith("${{"):
        cond = cond[3:].rstrip("}").strip()
    value = truthy(ctx.evaluate(cond))
    # Without a status function GitHub adds success().
    return value if uses_status else value and not ctx.failed


def restore_cache(paths, workspace):
    sources = {
        ".libtorch": os.environ.get("QUOTEVAL_SIM_LIBTORCH"),
        "models/.cache": os.environ.get("QUOTEVAL_SIM_MODELS_CACHE"),
        ".cache": os.environ.get("QUOTEVAL_SIM_WHEELS_CACHE"),
    }
    for p in paths:
        src = sources.get(p)
        dest = os.path.join(workspace, p)
        if src and os.path.exists(src) and not os.path.exists(dest):
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            os.symlink(os.path.abspath(src), dest)
            say(f"  cache restored: {p} -> {src}")
        else:
            say(f"  cache miss: {p} (nothing given to restore)")


def read_env_file(path):
    """NAME=value lines and NAME<<DELIMITER ... DELIMITER blocks, as GitHub reads $GITHUB_ENV."""
    out, lines = {}, open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            j = i + 1
            while j < len(lines) and lines[j] != delim:
                j += 1
            out[name] = "\n".join(lines[i + 1 : j])
            i = j + 1
            continue
        if "=" in line:
            k, v = line.split("=", 1)
            out[k] = v
        i += 1
    return out


def run_step(ctx, step, env, workdir, outputs_dir, summary, artifacts, index):
    name = step.get("name") or step.get("uses") or step.get("run", "").split("\n")[0]
    uses = step.get("uses", "")
    if "run" not in step:
        action = uses.split("@")[0]
        if action == "actions/checkout":
            say("  done before the steps: the head commit is checked out (not a merge commit)")
        elif action in ("dtolnay/rust-toolchain", "actions/setup-python", "Swatinem/rust-cache"):
            say(f"  not simulated: {action} (the local toolchain and python3 are used)")
        elif action == "actions/cache":
            paths = [p.strip() for p in str(step["with"]["path"]).split("\n") if p.strip()]
            restore_cache(paths, ctx.workspace)
        elif action == "actions/upload-artifact":
            dest = os.path.join(artifacts, ctx.substitute(step["with"]["name"]))
            os.makedirs(dest, exist_ok=True)
            for p in str(ctx.substitute(step["with"]["path"])).split("\n"):
                p = p.strip()
                src = os.path.join(ctx.workspace, p)
                if p and os.path.isfile(src):
                    shutil.copy(src, dest)
            say(f"  artifacts copied to {dest}: {', '.join(sorted(os.listdir(dest)))}")
        elif action == "marocchino/sticky-pull-request-comment":
            body = os.path.join(ctx.workspace, ctx.substitute(step["with"]["path"]))
            say(f"  cannot simulate: posting the comment; its body ({body}):")
            if os.path.isfile(body):
                sys.stderr.write(open(body, encoding="utf-8").read() + "\n")
        else:
            say(f"  unknown action {uses}: not simulated")
        return 0
    script = ctx.substitute(step["run"])
    cwd = ctx.substitute(step.get("working-directory", ctx.workspace))
    out_file = os.path.join(outputs_dir, f"step{index}")
    open(out_file, "w").close()
    step_env = dict(env)
    step_env.update({k: ctx.substitute(v) for k, v in (step.get("env") or {}).items()})
    step_env["GITHUB_OUTPUT"] = out_file
    step_env["GITHUB_STEP_SUMMARY"] = summary
    env_file = os.path.join(outputs_dir, f"env{index}")
    open(env_file, "w").close()
    step_env["GITHUB_ENV"] = env_file
    started = time.time()
    rc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=step_env,
    ).returncode
    outputs = {}
    for line in open(out_file, encoding="utf-8"):
        if "=" in line:
            k, v = line.rstrip("\n").split("=", 1)
            outputs[k] = v
    if step.get("id"):
        ctx.steps[step["id"]] = {"outputs": outputs}
    # $GITHUB_ENV: what a step adds there is in the environment of the steps after it.
    added = read_env_file(env_file)
    env.update(added)
    if added:
        say(f"  environment for later steps: {added}")
    say(f"  exit {rc} after {time.time() - started:.0f} s; outputs {outputs}")
    return rc


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", default="main", help="the base branch (github.base_ref)")
    ap.add_argument("--head", default="HEAD", help="the pull request's head commit")
    ap.add_argument("--work", help="where to lay it out (default: a new temp dir)")
    ap.add_argument(
        "--skip-step",
        action="append",
        default=[],
        help="a step name to skip (said in the output; e.g. Benchmarks on a small machine)",
    )
    args = ap.parse_args()

    try:
        head_sha = git("rev-parse", "--verify", args.head + "^{commit}")
        git("rev-parse", "--verify", args.base + "^{commit}")
    except subprocess.CalledProcessError:
        say(f"unknown ref {args.head!r} or {args.base!r}")
        return 64
    work = os.path.abspath(args.work or tempfile.mkdtemp(prefix="quoteval-ci-"))
    os.makedirs(work, exist_ok=True)
    origin = os.path.join(work, "origin.git")
    workspace = os.path.join(work, "workspace")
    runner_temp = os.path.join(work, "runner-temp")
    outputs_dir = os.path.join(work, "outputs")
    artifacts = os.path.join(work, "artifacts")
    summary = os.path.join(work, "summary.md")
    for d in (origin, workspace, runner_temp):
        if os.path.exists(d):
            say(f"{d} exists; give an empty --work")
            return 64
    os.makedirs(runner_temp)
    os.makedirs(outputs_dir, exist_ok=True)
    open(summary, "w").close()

    say(f"laying out {work}: origin (bare), workspace at {head_sha[:12]}, base {args.base}")
    git("clone", "--quiet", "--bare", ROOT, origin)
    # The base branch under its own name in the remote, whatever it is called here.
    git("--git-dir", origin, "update-ref", f"refs/heads/{args.base}", git("rev-parse", args.base))
    git("clone", "--quiet", origin, workspace)
    git("checkout", "--quiet", "--detach", head_sha, cwd=workspace)

    wf = yaml.safe_load(open(WORKFLOW, encoding="utf-8"))
    ctx = Context(workspace, runner_temp, args.base, head_sha)
    env = dict(os.environ)
    env.update(
        {
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": workspace,
            "RUNNER_TEMP": runner_temp,
            "GITHUB_EVENT_NAME": "pull_request",
            "GITHUB_BASE_REF": args.base,
            "GITHUB_SHA": head_sha,
        }
    )
    target_override = os.environ.get("CARGO_TARGET_DIR")
    for k, v in (wf.get("env") or {}).items():
        env[k] = ctx.substitute(v)
    if target_override:
        env["CARGO_TARGET_DIR"] = target_override
        say(f"CARGO_TARGET_DIR={target_override} (given; the workflow's is {workspace}/target)")
    for k, v in os.environ.items():
        if k.startswith("QUOTEVAL_SIM_ENV_"):
            name = k[len("QUOTEVAL_SIM_ENV_"):]
            say(f"{name}={v} (given; the workflow's is {env.get(name, '')!r})")
            env[name] = v

    job_name, job = next(iter(wf["jobs"].items()))
    results = []
    for i, step in enumerate(job["steps"]):
        name = step.get("name") or step.get("uses") or f"step {i}"
        if not condition(ctx, step):
            results.append((name, "skipped (if)"))
            continue
        if name in args.skip_step:
            say(f"step {name!r}: skipped by --skip-step (NOT simulated)")
            results.append((name, "skipped by request"))
            continue
        say(f"step {name!r}")
        rc = run_step(ctx, step, env, workspace, outputs_dir, summary, artifacts, i)
        if rc != 0:
            if step.get("continue-on-error"):
                results.append((name, f"failed ({rc}), continue-on-error"))
            else:
                ctx.failed = True
                results.append((name, f"FAILED ({rc})"))
        else:
            results.append((name, "ok"))

    say(f"job {job_name}: " + ("FAILED" if ctx.failed else "passed"))
    for name, result in results:
        say(f"  {result:<34} {name}")
    if os.path.getsize(summary):
        say(f"step summary ({summary}):")
        sys.stderr.write(open(summary, encoding="utf-8").read() + "\n")
    say(f"left in {work} (delete it when done)")
    return 1 if ctx.failed else 0


if __name__ == "__main__":
    sys.exit(main())
