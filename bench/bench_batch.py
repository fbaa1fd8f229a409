"""Wall time of grading a class: `dlgrade batch --jobs 1`, `--jobs 2`, and `dlgrade grade` one by one.

Works on a snapshot of the kit (autograder/, reference/, solutions/ copied to a temporary
folder), so that edits made while it runs cannot skew it. Builds a class folder of N
submissions (default 100) there, generated from
solutions/ with simple mutations: correct ones (folders and zips), buggy ones (one function
replaced by a classic mistake) and hostile ones (exits at import, infinite loop, endless
printing, memory bomb, empty). Grades the same class three ways in the same run and prints the
figures (batch: the median of R runs, each from an empty state folder) and ratios; checks that
every way and every run agree on every total.
Then the class report (issue 16): the same finished class resumed (nothing graded again) with
and without ``--report class.html``, R times each; the difference of the medians is the page's
extra time (aim: under 5 s for 100 students).
Usage: python bench/bench_batch.py [N] [R] [--report-only]   (defaults: 100 submissions, 3 runs
of each batch; --report-only: grade the class once, then only the report's figure)
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DLGRADE = [sys.executable, "-m", "autograder.fronts.cli"]
KIT = ROOT  # replaced by the snapshot in main()
MODULES = ("activations", "losses", "metrics")

# (module, replacement appended to the module: the later definition wins)
BUGS = [
    ("activations", "def tanh_grad(z):\n    s = 1 / (1 + np.exp(-np.asarray(z, dtype=float)))\n    return 1 - s**2\n"),
    ("activations", "def sigmoid(z):\n    z = np.asarray(z, dtype=float)\n    return np.exp(z) / (1 + np.exp(z))\n"),
    ("activations", "def softmax(z, axis=-1):\n    e = np.exp(np.asarray(z, dtype=float))\n"
                    "    return e / e.sum(axis=axis, keepdims=True)\n"),
    ("activations", "def relu_grad(z):\n    return (np.asarray(z) >= 0).astype(float)\n"),
    ("activations", "def elu_grad(z, alpha=1.0):\n    z = np.asarray(z, dtype=float)\n"
                    "    return np.where(z > 0, 1.0, alpha * np.expm1(np.minimum(z, 0)))\n"),
    ("metrics", "def r2_score(y_true, y_pred):\n    y_true, y_pred = np.asarray(y_true, float), np.asarray(y_pred, float)\n"
                "    return np.sum((y_true - y_pred) ** 2) / np.sum((y_true - y_true.mean()) ** 2)\n"),
]
HOSTILE = [
    ("losses", "import os\nos._exit(0)\n", True),
    ("activations", "def linear(z):\n    while True:\n        pass\n", False),
    ("activations", "while True:\n    print('spam' * 1000)\n", True),
    ("metrics", "hog = bytearray(8 << 30)\n", True),
    (None, "", True),  # an empty submission
]


def _solution() -> dict[str, str]:
    return {m: (KIT / "solutions" / f"{m}.py").read_text() for m in MODULES}


def make_class(folder: Path, n: int) -> list[str]:
    """n students: half correct, a third buggy, the rest hostile; returns their names."""
    folder.mkdir(parents=True)
    solution = _solution()
    names = []
    for i in range(n):
        files = dict(solution)
        kind = ("correct", "correct", "correct", "buggy", "buggy", "hostile")[i % 6]
        if kind == "buggy":
            module, text = BUGS[i % len(BUGS)]
            files[module] += "\n\n" + text
        elif kind == "hostile":
            module, text, replace = HOSTILE[i % len(HOSTILE)]
            if module is None:
                files = {}
            elif replace:
                files[module] = text
            else:
                files[module] += "\n\n" + text
        name = f"s{i:03d}-{kind}"
        names.append(name)
        if i % 4 == 1:  # some arrive as zips
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as z:
                for module, text in files.items():
                    z.writestr(f"{name}/{module}.py", text)
            (folder / f"{name}.zip").write_bytes(buffer.getvalue())
        else:
            (folder / name).mkdir()
            for module, text in files.items():
                (folder / name / f"{module}.py").write_text(text)
    return names


def timed(command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=KIT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode not in (0,):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return wall, done.stdout


def totals(gradebook: Path) -> dict[str, float]:
    with gradebook.open(newline="") as handle:
        return {row["student"]: float(row["total"]) for row in csv.DictReader(handle)}


def report_figure(folder: Path, out: Path, repeat: int) -> None:
    """The class report's extra time: the finished class resumed with and without --report."""
    timed(DLGRADE + ["batch", str(folder), "--out", str(out), "--jobs", "2"])  # graded (or resumed) once
    plain, report = [], []
    for _ in range(repeat):
        plain.append(timed(DLGRADE + ["batch", str(folder), "--out", str(out), "--jobs", "2"])[0])
        report.append(timed(DLGRADE + ["batch", str(folder), "--out", str(out), "--jobs", "2",
                                       "--report", str(out.with_name("class.html"))])[0])
    extra = statistics.median(report) - statistics.median(plain)
    size = out.with_name("class.html").stat().st_size
    print(f"class report: resumed batch {statistics.median(plain):.2f} s without --report, "
          f"{statistics.median(report):.2f} s with it (runs {', '.join(f'{w:.2f}' for w in report)}): "
          f"the page's extra time {extra:.2f} s (aim < 5 s); page {size / 1024:.0f} KiB")


def main() -> None:
    global KIT
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if len(args) > 0 else 100
    repeat = int(args[1]) if len(args) > 1 else 3
    tmp = Path(tempfile.mkdtemp(prefix="dlgrade-bench-"))
    try:
        KIT = tmp / "kit"
        for name in ("autograder", "reference", "solutions"):
            shutil.copytree(ROOT / name, KIT / name, ignore=shutil.ignore_patterns("__pycache__"))
        folder = tmp / "class"
        names = make_class(folder, n)
        timed(DLGRADE + ["grade", str(KIT / "solutions"), "--format", "json"])  # warm the bank and caches
        print(f"{n} submissions ({sum('correct' in s for s in names)} correct, "
              f"{sum('buggy' in s for s in names)} buggy, {sum('hostile' in s for s in names)} hostile); "
              f"{len(os.sched_getaffinity(0))} cores")
        if "--report-only" in sys.argv:
            report_figure(folder, tmp / "gradebook-report.csv", repeat)
            return
        figures, books, runs = {}, {}, {}
        for jobs in (1, 2):
            walls = []
            for run in range(repeat):
                out = tmp / f"gradebook-jobs{jobs}-run{run}.csv"
                wall, _ = timed(DLGRADE + ["batch", str(folder), "--out", str(out), "--jobs", str(jobs)])
                walls.append(wall)
                book = totals(out)
                if books.setdefault(jobs, book) != book:
                    print(f"batch --jobs {jobs}: run {run + 1} gave other totals than run 1")
            figures[f"batch --jobs {jobs}"] = statistics.median(walls)
            runs[f"batch --jobs {jobs}"] = walls
        started = time.perf_counter()
        alone = {}
        for name in names:
            path = folder / name if (folder / name).exists() else folder / f"{name}.zip"
            _, stdout = timed(DLGRADE + ["grade", str(path), "--format", "json"])
            alone[name] = float(json.loads(stdout)["score"])
        figures["grade, one by one"] = time.perf_counter() - started
        print(f"{'way':<22} {'wall (s)':>9} {'per student (s)':>16}  runs (s)")
        for label, wall in figures.items():
            each = ", ".join(f"{w:.1f}" for w in runs.get(label, [wall]))
            print(f"{label:<22} {wall:>9.1f} {wall / n:>16.2f}  {each}")
        one_by_one, jobs1, jobs2 = (figures["grade, one by one"], figures["batch --jobs 1"],
                                    figures["batch --jobs 2"])
        print(f"ratios: one by one / batch --jobs 1 = {one_by_one / jobs1:.2f}; "
              f"batch --jobs 1 / --jobs 2 = {jobs1 / jobs2:.2f}; one by one / batch --jobs 2 = {one_by_one / jobs2:.2f}")
        disagree = [s for s in names if not (books[1][s] == books[2][s] == alone[s])]
        print("totals agree across the three ways" if not disagree
              else f"totals DISAGREE for {len(disagree)}: " + ", ".join(
                  f"{s} ({books[1][s]}, {books[2][s]}, {alone[s]})" for s in disagree[:10]))
        report_figure(folder, tmp / "gradebook-jobs2-run0.csv", repeat)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
