"""One result model, rendered as Gradescope's results.json or as a terminal report."""

from __future__ import annotations

import json
import os
import tempfile
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class CheckResult:
    function: str  # "activations.sigmoid"
    check: str
    score: float
    max_score: float
    visibility: str  # "public" | "hidden"
    output: str = ""
    hint: str = ""

    @property
    def passed(self) -> bool:
        return self.score >= self.max_score


@dataclass
class Report:
    results: list[CheckResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    isolation: str = ""
    execution_time: float = 0.0
    student_output: dict[str, str] = field(default_factory=dict)
    timing: dict[str, float] = field(default_factory=dict)  # seconds by phase (not graded)

    @property
    def score(self) -> float:
        return round(sum(r.score for r in self.results), 4)

    @property
    def max_score(self) -> float:
        return round(sum(r.max_score for r in self.results), 4)

    def by_function(self) -> "OrderedDict[str, tuple[float, float]]":
        table: OrderedDict[str, tuple[float, float]] = OrderedDict()
        for r in self.results:
            got, most = table.get(r.function, (0.0, 0.0))
            table[r.function] = (round(got + r.score, 4), round(most + r.max_score, 4))
        return table


def results_json(report: Report, hidden_visibility: str = "after_published") -> dict:
    """Gradescope's results.json: top-level score, a summary, one test per check."""
    tests = []
    for number, r in enumerate(report.results, 1):
        text = r.output + (f"\nHint: {r.hint}" if r.hint else "")
        tests.append({
            "name": f"{r.function}: {r.check}",
            "number": str(number),
            "score": r.score,
            "max_score": r.max_score,
            "status": "passed" if r.passed else "failed",
            "output": text,
            "visibility": "visible" if r.visibility == "public" else hidden_visibility,
            "tags": [r.function.split(".")[0], r.function],
        })
    return {
        "score": report.score,
        "execution_time": round(report.execution_time, 3),
        "output": summary_text(report),
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {"isolation": report.isolation, "max_score": report.max_score,
                       "timing": report.timing,
                       "functions": {f: {"score": s, "max_score": m}
                                     for f, (s, m) in report.by_function().items()}},
    }


def summary_text(report: Report) -> str:
    """Plain text: total, per-function scores, notes (deterministic: no timings)."""
    lines = [f"Total: {report.score:g} / {report.max_score:g}", f"Sandbox: {report.isolation}"]
    lines += [f"Note: {n}" for n in report.notes]
    lines.append("")
    for function, (got, most) in report.by_function().items():
        mark = "ok " if got >= most else "-- "
        lines.append(f"{mark}{function:<34} {got:>5g} / {most:g}")
    for module, text in report.student_output.items():
        lines += ["", f"Output printed by {module}.py (truncated):", text]
    return "\n".join(lines)


def render_text(report: Report, console=None) -> None:
    """The terminal report: a per-function table, then each failure with its hint."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    table = Table(title=f"Score {report.score:g} / {report.max_score:g}", title_justify="left")
    table.add_column("function")
    table.add_column("score", justify="right")
    table.add_column("failed checks")
    failed_by_function: dict[str, list[str]] = {}
    for r in report.results:
        if not r.passed:
            failed_by_function.setdefault(r.function, []).append(r.check)
    for function, (got, most) in report.by_function().items():
        style = "green" if got >= most else ("red" if got == 0 else "yellow")
        table.add_row(function, f"[{style}]{got:g} / {most:g}[/]",
                      ", ".join(failed_by_function.get(function, []))[:80])
    console.print(table)
    console.print(f"Sandbox: {report.isolation}")
    for note in report.notes:
        console.print(f"[yellow]Note:[/] {note}", markup=True, highlight=False)
    failures = [r for r in report.results if not r.passed]
    if failures:
        console.print("\n[bold]Failures[/]")
    shown = set()
    for r in failures:
        key = (r.function, r.output, r.hint)
        if key in shown:
            continue
        shown.add(key)
        console.print(f"[bold red]✗ {r.function}[/]: {r.check}", highlight=False)
        if r.output:
            console.print(f"    {r.output}", markup=False, highlight=False)
        if r.hint:
            console.print(f"    [cyan]Hint:[/] {r.hint}", highlight=False)


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def dump_json(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
