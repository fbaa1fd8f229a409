"""Grade the same solved notebooks with otter, nbgrader and dlgrade; medians of 3 runs, ratios.

    python bench/bench_notebook_graders.py [--runs 3] [--modules activations,losses,metrics]

What is timed, per run, for one student who hands in the solved notebooks:

- ``otter run``: one ``otter run -a autograder.zip`` per notebook (otter grades one notebook per
  call), sequentially; the ``otter assign`` that builds the zips is done once, untimed;
- ``nbgrader autograde``: one ``nbgrader autograde <assignment> --student <id> --force`` over the
  student's notebooks (``generate_assignment`` done once, untimed);
- ``dlgrade grade``: one ``dlgrade grade <folder>`` over the same notebooks, as a fresh process
  (imports included), and ``grade()`` in an already warm process (what ``dlgrade batch`` pays per
  student once start-up work is shared).

Every grader must give the solved notebooks full marks, or the benchmark stops. The numbers
depend on the machine's load: run it on an idle machine, and read the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.fronts.assign import NBGRADER_ASSIGNMENT, parse_solution, render  # noqa: E402
from autograder.fronts.package import build_grader  # noqa: E402

ENV = dict(os.environ)
ENV["PATH"] = str(Path(sys.executable).parent) + os.pathsep + ENV.get("PATH", "")
ENV["PYTHONPATH"] = str(ROOT) + (os.pathsep + ENV["PYTHONPATH"] if ENV.get("PYTHONPATH") else "")
for _name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    ENV[_name] = "1"


def tool(name: str) -> str:
    found = shutil.which(name, path=ENV["PATH"])
    if not found:
        sys.exit(f"{name} is not installed (pip install -e '.[dev]')")
    return found


def run(command: list, cwd: Path) -> float:
    started = time.monotonic()
    result = subprocess.run([str(c) for c in command], cwd=cwd, env=ENV, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(map(str, command))} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return seconds


def fill(source: Path, target: Path, module: str) -> None:
    """The released notebook with every stubbed function replaced by its worked solution."""
    texts = {p.name: p.text for p in parse_solution(ROOT / "solutions" / f"{module}.py").functions}
    notebook = nbformat.read(source, as_version=4)
    for cell in notebook.cells:
        match = re.match(r"def (\w+)\(", cell.source) if cell.cell_type == "code" else None
        if match and match.group(1) in texts:
            cell.source = texts[match.group(1)]
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--modules", default="activations,losses,metrics")
    options = parser.parse_args()
    modules = options.modules.split(",")
    work = Path(tempfile.mkdtemp(prefix="bench-notebooks-"))
    print(f"work folder: {work}; modules: {', '.join(modules)}; runs: {options.runs}")

    # -- untimed preparation: the notebooks `dlgrade assign` writes, the releases, the zips -------
    generated = work / "assignments"
    for relative, text in render(ROOT).items():
        (generated / relative).parent.mkdir(parents=True, exist_ok=True)
        (generated / relative).write_text(text, encoding="utf-8")
    course = work / "course"
    shutil.copytree(generated / "nbgrader", course)
    run([tool("nbgrader"), "generate_assignment", NBGRADER_ASSIGNMENT, "--force"], course)
    submitted = course / "submitted" / "bench" / NBGRADER_ASSIGNMENT
    for module in modules:
        fill(course / "release" / NBGRADER_ASSIGNMENT / f"{module}.ipynb", submitted / f"{module}.ipynb", module)
    otter = work / "otter"
    shutil.copytree(generated / "otter", otter)
    build_grader(otter / "wheels")  # `dlgrade package --out wheels`: the zip ships the grader wheel
    zips = {}
    for module in modules:
        run([tool("otter"), "assign", f"{module}.ipynb", f"dist-{module}"], otter)
        zips[module] = Path(glob.glob(str(otter / f"dist-{module}" / "autograder" / "*.zip"))[0])
        fill(otter / f"dist-{module}" / "student" / f"{module}.ipynb", otter / "submission" / f"{module}.ipynb",
             module)

    from autograder.core.engine import grade
    from autograder.fronts.settings import context, kit_plan
    ctx = context()
    checks = kit_plan(ctx)
    grade(submitted, ctx, checks)  # warm: imports, catalogue, reference

    times: dict[str, list[float]] = {"otter run": [], "nbgrader autograde": [], "dlgrade grade (process)": [],
                                     "dlgrade grade() (warm)": []}
    for number in range(1, options.runs + 1):
        seconds = 0.0
        for module in modules:
            out = work / f"otter-out-{number}-{module}"
            out.mkdir()
            seconds += run([tool("otter"), "run", "-a", zips[module], "-o", out,
                            otter / "submission" / f"{module}.ipynb"], otter)
            results = json.loads((out / "results.json").read_text())
            got = sum(t.get("score") or 0 for t in results["tests"])
            most = sum(t.get("max_score") or 0 for t in results["tests"])
            if got != most:
                sys.exit(f"otter: {module} scored {got} / {most}")
        times["otter run"].append(seconds)

        times["nbgrader autograde"].append(run([tool("nbgrader"), "autograde", NBGRADER_ASSIGNMENT,
                                                "--student", "bench", "--force"], course))
        from nbgrader.api import Gradebook
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
            submission = gradebook.find_submission(NBGRADER_ASSIGNMENT, "bench")
            if submission.score != submission.max_score:
                sys.exit(f"nbgrader: {submission.score} / {submission.max_score}")

        out = work / f"dlgrade-{number}.json"
        times["dlgrade grade (process)"].append(run([sys.executable, "-m", "autograder.fronts.cli", "grade", submitted,
                                                     "--format", "json", "--out", out], ROOT))
        data = json.loads(out.read_text())
        graded = {f: v for f, v in data["extra_data"]["functions"].items() if f.split(".")[0] in modules}
        if any(v["score"] != v["max_score"] for v in graded.values()):
            sys.exit(f"dlgrade: not full marks: {graded}")

        started = time.monotonic()
        report = grade(submitted, ctx, checks)
        times["dlgrade grade() (warm)"].append(time.monotonic() - started)
        print(f"run {number}: " + ", ".join(f"{k} {v[-1]:.1f} s" for k, v in times.items()), flush=True)

    medians = {k: statistics.median(v) for k, v in times.items()}
    base = medians["dlgrade grade (process)"]
    print(f"\nmedians of {options.runs} runs, one student, notebooks: {', '.join(modules)} "
          f"(report score {report.score:g} / {report.max_score:g} over all modules)")
    print(f"{'grader':<26}{'median':>10}{'vs dlgrade grade':>20}")
    for name, value in medians.items():
        print(f"{name:<26}{value:>9.1f}s{value / base:>19.2f}x")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
