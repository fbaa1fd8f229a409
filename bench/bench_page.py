"""What the feedback page costs: `dlgrade grade` with and without `--format html`, and its parts.

For a correct submission (solutions/) and the bundled sample (autograder/samples/student: the
slide's tanh' and R²), prints the median over RUNS runs of
- the whole command, `--format json` (no page) and `--format html --out page.html`, interleaved
  in the same run, and their difference (the page's cost, as a user waits for it);
- in one process: grading without and with the plot values (the student's curves are computed
  in the worker), and rendering the page from the report (matplotlib imported before the first
  run, whose time is printed apart).
Usage: python bench/bench_page.py [RUNS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DLGRADE = [sys.executable, "-m", "autograder.fronts.cli"]
CASES = {"correct (solutions/)": ROOT / "solutions", "sample (slide's tanh', R²)": ROOT / "autograder/samples/student"}


def command(path: Path, *options: str) -> float:
    started = time.perf_counter()
    subprocess.run(DLGRADE + ["grade", str(path), *options], cwd=ROOT, env=os.environ, capture_output=True, check=True)
    return time.perf_counter() - started


def timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    value = function(*args, **kwargs)
    return time.perf_counter() - started, value


def in_process(path: Path, runs: int) -> dict[str, float]:
    from autograder.core.engine import grade
    from autograder.core.page import page
    from autograder.fronts.settings import context, kit_plan

    ctx = context()
    plan = kit_plan(ctx)
    first, _ = timed(page, grade(path, ctx.with_(plots=True), plan), ctx.language)  # imports matplotlib
    plain, plotted, rendered = [], [], []
    for _ in range(runs):
        plain.append(timed(grade, path, ctx, plan)[0])
        seconds, report = timed(grade, path, ctx.with_(plots=True), plan)
        plotted.append(seconds)
        rendered.append(timed(page, report, ctx.language)[0])
    return {"grade": statistics.median(plain), "grade + plot values": statistics.median(plotted),
            "render page": statistics.median(rendered), "first render (imports)": first}


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    out = Path(tempfile.mkdtemp()) / "page.html"
    for path in CASES.values():
        command(path, "--format", "json")  # warm the example bank and the page cache
    print(f"median of {runs} runs; load {os.getloadavg()[0]:.1f}")
    for label, path in CASES.items():
        json_walls, html_walls = [], []
        for _ in range(runs):  # interleaved: the machine's load hits both alike
            json_walls.append(command(path, "--format", "json"))
            html_walls.append(command(path, "--format", "html", "--out", str(out)))
        without, with_page = statistics.median(json_walls), statistics.median(html_walls)
        print(f"{label:<28} command: no page {without:5.2f} s, with the page {with_page:5.2f} s "
              f"(page +{with_page - without:.2f} s, x{with_page / without:.2f}; {out.stat().st_size // 1024} KiB)")
        parts = in_process(path, runs)
        print(f"{'':<28} in process: " + ", ".join(f"{k} {v:.2f} s" for k, v in parts.items())
              + f"; page's own cost {parts['grade + plot values'] - parts['grade'] + parts['render page']:.2f} s")


if __name__ == "__main__":
    main()
