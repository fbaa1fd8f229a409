"""Write the class report: the page, the same figures as JSON, and the tidy table as CSV.

``--report class.html`` writes ``class.html``, ``class.json`` (``ClassView.to_json``) and
``class.checks.csv`` (one row per student and check: student, function, check, score, max,
hint; ``pandas.read_csv`` reads it as it is). ``dlgrade report RECORDS --out class.html`` builds
them again from a finished batch's records folder (or its gradebook), or from a folder of
Gradescope results.json files.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .classpage import render_page
from .classview import ClassView
from .gradebooks import safe_cell

TIDY_COLUMNS = ("student", "function", "check", "score", "max", "hint")


def report_paths(out: Path) -> tuple[Path, Path, Path]:
    """(page, json, tidy csv) for the page ``out``."""
    out = Path(out)
    return out, out.with_suffix(".json"), out.with_name(f"{out.stem}.checks.csv")


def tidy_csv(view: ClassView) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TIDY_COLUMNS)
    for r in view.rows:
        writer.writerow([safe_cell(r.student), r.function, r.check, f"{r.score:g}", f"{r.max:g}", r.hint])
    return buffer.getvalue()


def write_report(view: ClassView, out: Path, title: str = "") -> list[Path]:
    """Write the page, its JSON and its tidy CSV; the paths written."""
    from ..core.report import dump_json, write_atomic

    page, data, table = report_paths(out)
    write_atomic(page, render_page(view, title))
    write_atomic(data, dump_json(view.to_json()))
    write_atomic(table, tidy_csv(view))
    return [page, data, table]
