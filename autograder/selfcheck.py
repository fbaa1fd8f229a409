"""The student's local check: the public checks on the files in a folder, in seconds.

``dlgrade check [PATH]`` in the kit, ``python check.py [PATH]`` in the released assignment
(where the catalogue holds only the public checks, rebuilt from the example bank shipped with
it: no reference, no hidden check). Same engine, same sandbox, same feedback as the grader.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def run_check(path: str | Path = ".", console=None):
    """Grade ``path`` with the public checks and print the report; returns the Report."""
    from rich.console import Console

    from .engine import Settings, grade
    from .report import render_text

    console = console or Console()
    path = Path(path)
    console.print(f"Public checks on [bold]{path.resolve()}[/]", highlight=False)
    report = grade(path, Settings(public_only=True))
    render_text(report, console)
    passed = sum(1 for r in report.results if r.passed)
    console.print(f"\n{passed} of {len(report.results)} public checks pass "
                  f"({report.score:g} / {report.max_score:g} points). The hidden checks (numerical "
                  "stability at extreme inputs, consistency with PyTorch and scikit-learn, other "
                  "parameters) run only when you submit.", highlight=False)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="check", description="Run the public checks on your files.")
    parser.add_argument("path", nargs="?", default=".", type=Path,
                        help="the folder (or .zip) with activations, losses, metrics (.py or .ipynb); "
                             "default: the current folder")
    options = parser.parse_args(argv)
    report = run_check(options.path)
    return 0 if all(r.passed for r in report.results) else 1


if __name__ == "__main__":
    sys.exit(main())
