"""Wall time of one Gradescope submission, cold and after setup.sh's warm-up (issue 10, point 5).

Builds the zip, extracts it into a simulated /autograder tree (as tests/test_gradescope_warm.py
does), and times ``run_autograder`` on the solutions: cold (the tree's bank removed before each
run, as every submission was graded before setup.sh warmed the bank) and warm (after ``python -m
autograder.fronts.gradescope warm``, as setup.sh runs it). Prints the medians of R runs each, in
the same run, and their ratio; checks that every run gave full marks.
Usage: python bench/bench_gradescope_warm.py [R]   (default: 5 runs of each)
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.fronts import gradescope  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
from helpers import gradescope_tree  # noqa: E402  (the tests' simulated /autograder)


def tree(folder: Path, archive: Path) -> Path:
    """A simulated /autograder with the solutions handed in."""
    return gradescope_tree(folder, archive, ROOT / "solutions")


def env(root: Path) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(root.parent), "DLGRADE_AUTOGRADER_ROOT": str(root),
            "DLGRADE_PYTHON": sys.executable}


def submit(root: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run([str(root / "source" / "run_autograder")], env=env(root), capture_output=True, text=True)
    seconds = time.perf_counter() - started
    results = json.loads((root / "results" / "results.json").read_text())
    full = sum(t["max_score"] for t in results["tests"])
    assert done.returncode == 0 and results["score"] == full > 0, (results["score"], full)
    return seconds


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as folder:
        archive = gradescope.build_zip(Path(folder) / "autograder.zip")
        cold_root, warm_root = tree(Path(folder) / "cold", archive), tree(Path(folder) / "warm", archive)
        started = time.perf_counter()
        warmed = subprocess.run([sys.executable, "-m", "autograder.fronts.gradescope", "warm", "--root", str(warm_root)],
                                cwd=warm_root / "source", env=env(warm_root), capture_output=True, text=True)
        assert warmed.returncode == 0, warmed.stderr[-2000:]
        warm_up = time.perf_counter() - started
        cold, warm = [], []
        for _ in range(runs):  # interleaved, so that the machine's load falls on both alike
            shutil.rmtree(cold_root / "bank", ignore_errors=True)
            cold.append(submit(cold_root))
            warm.append(submit(warm_root))
    print(f"warm-up (setup.sh, once): {warm_up:.1f} s")
    print(f"run_autograder, correct submission, median of {runs}: cold {statistics.median(cold):.2f} s, "
          f"warm {statistics.median(warm):.2f} s, ratio {statistics.median(cold) / statistics.median(warm):.1f}x")


if __name__ == "__main__":
    main()
