"""Wall time of `dlgrade grade` on a correct and a buggy submission, and where it goes.

Prints, for each case, the median over RUNS runs of the whole command (start-up included),
with the sandbox at its strongest level and with DLGRADE_ISOLATION=none in the same run
(the cost of isolation), and the split reported by the engine (start-up, workers, modules).
Usage: python bench/bench_grade.py [RUNS]
"""

from __future__ import annotations

import json
import os
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


def run(path: Path, env: dict) -> tuple[float, dict]:
    started = time.perf_counter()
    out = subprocess.run(DLGRADE + ["grade", str(path), "--format", "json"], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout
    wall = time.perf_counter() - started
    return wall, json.loads(out)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    tmp = Path(tempfile.mkdtemp())
    cases = {"correct (solutions/)": ROOT / "solutions", "buggy (slide's tanh')": buggy_copy(tmp)}
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
