"""Wall time of `dlgrade grade` on a correct and a buggy submission, and where it goes.

Prints, for each case, the median over RUNS runs of the whole command (start-up included),
with the sandbox at its strongest level and with DLGRADE_ISOLATION=none in the same run
(the cost of isolation), and the split reported by the engine (start-up, workers, modules).

With ``--baseline REF`` it compares this tree with an earlier commit instead: the two trees'
`dlgrade grade` run alternately on the same submissions in the same venv, and the medians of
wall and CPU seconds (the command and every process it waited for) are printed with their
ratio, so a load that comes and goes weighs on both sides alike.

Usage: python bench/bench_grade.py [RUNS] [--baseline REF]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DLGRADE = [sys.executable, "-m", "autograder.fronts.cli"]


def buggy_copy(folder: Path) -> Path:
    """solutions/ with tanh' as on the slide: 1 - σ(z)²."""
    for name in ("activations.py", "losses.py", "metrics.py"):
        shutil.copy(ROOT / "solutions" / name, folder / name)
    act = folder / "activations.py"
    text = act.read_text()
    marker = "def tanh_grad"
    start = text.index(marker)
    body = text.index("### BEGIN SOLUTION", start)
    end = text.index("### END SOLUTION", body)
    act.write_text(text[:body] + "### BEGIN SOLUTION\n    z = np.asarray(z, dtype=float)\n"
                   "    s = 1 / (1 + np.exp(-z))\n    return 1 - s**2\n    " + text[end:])
    return folder


def run(path: Path, env: dict, tree: Path = ROOT) -> tuple[float, dict]:
    wall, _, report = timed(path, env, tree)
    return wall, report


def timed(path: Path, env: dict, tree: Path = ROOT) -> tuple[float, float, dict]:
    """Wall and CPU seconds of `dlgrade grade PATH` run from ``tree``'s code, and its report."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    out = subprocess.run(DLGRADE + ["grade", str(path), "--format", "json"], cwd=tree, env=env,
                         capture_output=True, text=True, check=True).stdout
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, json.loads(out)


def against_baseline(runs: int, ref: str, cases: dict[str, Path]) -> None:
    """This tree against commit ``ref``, alternately, on each case: medians and ratios."""
    tmp = Path(tempfile.mkdtemp())
    baseline = tmp / "baseline"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(baseline), ref], check=True)
    env = dict(os.environ, PYTHONPATH="")  # each side imports the autograder of its own tree
    trees = {"baseline": baseline, "this tree": ROOT}
    try:
        for tree in trees.values():
            timed(ROOT / "solutions", env, tree)  # warm each tree's example bank
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True).stdout.strip()
        print(f"this tree ({head}) against {ref}: median of {runs} alternate runs, whole command; "
              f"load average {os.getloadavg()[0]:.2f}")
        for label, path in cases.items():
            figures: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
            scores = {}
            for _ in range(runs):
                for name, tree in trees.items():
                    wall, cpu, report = timed(path, env, tree)
                    figures[name].append((wall, cpu))
                    scores[name] = f"{report['score']:g}/{report['extra_data']['max_score']:g}"
            walls = {n: statistics.median(w for w, _ in f) for n, f in figures.items()}
            cpus = {n: statistics.median(c for _, c in f) for n, f in figures.items()}
            for name in trees:
                print(f"{label:<24} {name:<10} wall {walls[name]:6.2f} s   cpu {cpus[name]:6.2f} s   "
                      f"score {scores[name]}")
            print(f"{label:<24} ratio      wall x{walls['this tree'] / walls['baseline']:.2f}   "
                  f"cpu x{cpus['this tree'] / cpus['baseline']:.2f}")
        print(f"load average at the end {os.getloadavg()[0]:.2f}")
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(baseline)], check=False)
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="?", type=int, default=5)
    parser.add_argument("--baseline", metavar="REF", help="compare with this commit, alternately")
    options = parser.parse_args()
    runs = options.runs
    tmp = Path(tempfile.mkdtemp())
    cases = {"correct (solutions/)": ROOT / "solutions", "buggy (slide's tanh')": buggy_copy(tmp)}
    if options.baseline:
        against_baseline(runs, options.baseline, cases)
        shutil.rmtree(tmp)
        return
    base_env = dict(os.environ)
    levels = {"sandbox": base_env, "no isolation": dict(base_env, DLGRADE_ISOLATION="none")}
    run(cases["correct (solutions/)"], base_env)  # warm the example bank and the page cache
    print(f"median of {runs} runs, whole `dlgrade grade` command, start-up included")
    for label, path in cases.items():
        medians = {}
        for level, env in levels.items():
            walls, last = [], {}
            for _ in range(runs):
                wall, last = run(path, env)
                walls.append(wall)
            medians[level] = statistics.median(walls)
            data = last["extra_data"]
            print(f"{label:<24} {level:<13} {medians[level]:6.2f} s   score {last['score']:g}/"
                  f"{data['max_score']:g}   split {data['timing']}")
        print(f"{label:<24} isolation cost: x{medians['sandbox'] / medians['no isolation']:.2f}")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
