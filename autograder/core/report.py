"""One result model, rendered as Gradescope's results.json, plain text or a terminal report.

A ``Report`` keeps messages as data (``core/messages.py``): it is rendered in a language only
when shown, so a batch record can become the student's page in Portuguese and the instructor's
report in English. ``to_json`` / ``from_json`` keep a report whole (batch records).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .messages import Message, from_json, render, say, title
from .text import block, json_safe


@dataclass
class CheckResult:
    function: str  # "activations.sigmoid"
    check: str
    score: float
    max_score: float
    visibility: str  # "public" | "hidden"
    output: Any = None  # a Message (why it failed), or None
    hint: Any = None  # a Message (a known mistake), or None
    evidence: dict | None = None  # the counterexample as data (checks/compare.evidence)

    @property
    def passed(self) -> bool:
        return self.score >= self.max_score

    def to_json(self) -> dict:
        return {"function": self.function, "check": self.check, "score": self.score, "max_score": self.max_score,
                "visibility": self.visibility, "output": _json(self.output), "hint": _json(self.hint),
                "evidence": self.evidence}


@dataclass
class Report:
    results: list[CheckResult] = field(default_factory=list)
    notes: list[Any] = field(default_factory=list)  # Messages
    isolation: Any = None  # a Message: which isolation level graded
    execution_time: float = 0.0
    student_output: dict[str, str] = field(default_factory=dict)
    timing: dict[str, float] = field(default_factory=dict)  # seconds by phase (not graded)
    faults: dict[str, str] = field(default_factory=dict)  # "activations.relu": "timeout" | "crashed"
    restarts: int = 0  # how many times the submission's worker was replaced (a fault, an import failure)
    plots: dict[str, dict] = field(default_factory=dict)  # the page's plot values by function (core/plots.py)

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

    def to_json(self) -> dict:
        return {"results": [r.to_json() for r in self.results], "notes": [_json(n) for n in self.notes],
                "isolation": _json(self.isolation), "execution_time": self.execution_time,
                "student_output": dict(self.student_output), "timing": dict(self.timing),
                "faults": dict(self.faults), "restarts": self.restarts, "plots": dict(self.plots)}

    @classmethod
    def from_json(cls, data: dict) -> "Report":
        results = [CheckResult(r["function"], r["check"], r["score"], r["max_score"], r["visibility"],
                               _message(r.get("output")), _message(r.get("hint")), r.get("evidence"))
                   for r in data.get("results", [])]
        return cls(results, [from_json(n) for n in data.get("notes", [])], _message(data.get("isolation")),
                   data.get("execution_time", 0.0), dict(data.get("student_output", {})), dict(data.get("timing", {})),
                   dict(data.get("faults", {})), int(data.get("restarts", 0)), dict(data.get("plots", {})))


def _json(value: Any) -> Any:
    return value.to_json() if isinstance(value, Message) else value


def _message(value: Any) -> Any:
    return None if value in (None, "") else from_json(value)


def failure_text(result: CheckResult, language: str = "en") -> str:
    """What a failed check says: its output, then the hint."""
    text = render(result.output, language)
    if result.hint is not None:
        text += ("\n" if text else "") + say("hint_label", hint=result.hint).text(language)
    return text


def results_json(report: Report, hidden_visibility: str = "after_published", language: str = "en") -> dict:
    """Gradescope's results.json: top-level score, a summary counting what is visible, one test
    per function and visibility in Markdown (``core/gradescope_rows.py``)."""
    from .gradescope_rows import rows, summary

    return {
        "score": report.score,
        "execution_time": round(report.execution_time, 3),
        "output": summary(report, hidden_visibility, language),
        "output_format": "md",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": rows(report, hidden_visibility, language),
        "extra_data": {"isolation": render(report.isolation, language), "max_score": report.max_score,
                       "timing": report.timing,
                       "functions": {f: {"score": s, "max_score": m} for f, (s, m) in report.by_function().items()}},
    }


def summary_text(report: Report, language: str = "en") -> str:
    """Plain text: total, per-function scores, notes (deterministic: no timings)."""
    lines = [say("summary_total", score=f"{report.score:g}", max=f"{report.max_score:g}").text(language),
             say("summary_sandbox", level=report.isolation).text(language)]
    lines += [say("summary_note", note=n).text(language) for n in report.notes]
    lines.append("")
    for function, (got, most) in report.by_function().items():
        mark = "ok " if got >= most else "-- "
        lines.append(f"{mark}{function:<34} {got:>5g} / {most:g}")
    for module, text in report.student_output.items():
        # printed by the submission: every line prefixed, none can pass for the summary's own
        lines += ["", say("summary_output", module=module).text(language), block(text)]
    return "\n".join(lines)


def render_text(report: Report, console: Any = None, language: str = "en") -> None:
    """The terminal report: a per-function table, then each failure with its hint."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = console or Console()
    table = Table(title=say("table_title", score=f"{report.score:g}", max=f"{report.max_score:g}").text(language),
                  title_justify="left")
    table.add_column(say("column_function").text(language))
    table.add_column(say("column_score").text(language), justify="right")
    table.add_column(say("column_failed").text(language))
    failed_by_function: dict[str, list[str]] = {}
    for r in report.results:
        if not r.passed:
            failed_by_function.setdefault(r.function, []).append(title(r.check).text(language))
    for function, (got, most) in report.by_function().items():
        style = "green" if got >= most else ("red" if got == 0 else "yellow")
        table.add_row(escape(function), f"[{style}]{got:g} / {most:g}[/]",
                      escape(", ".join(failed_by_function.get(function, []))))
    console.print(table)
    console.print(say("summary_sandbox", level=report.isolation).text(language), markup=False, highlight=False)
    for note in report.notes:
        console.print(say("summary_note", note=note).text(language), markup=False, highlight=False)
    failures = [r for r in report.results if not r.passed]
    if failures:
        console.print("\n[bold]" + say("failures_title").text(language) + "[/]")
    shown = set()
    for r in failures:
        key = (r.function, render(r.output, language), render(r.hint, language))
        if key in shown:
            continue
        shown.add(key)
        console.print(f"[bold red]✗ {escape(r.function)}[/]: {escape(title(r.check).text(language))}", highlight=False)
        if r.output is not None:
            console.print(f"    {render(r.output, language)}", markup=False, highlight=False)
        if r.hint is not None:
            console.print("    " + say("hint_label", hint=r.hint).text(language), markup=False, highlight=False)


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def dump_json(data: dict) -> str:
    """JSON text that is always valid UTF-8 (lone surrogates escaped, core/text.py)."""
    return json.dumps(json_safe(data), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
