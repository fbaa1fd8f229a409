"""The hostile corpus, class folders (issue 13): what one student hands in never configures the
batch, never stops it, and never writes into the gradebook as anything but data.

Each case is a class folder graded by ``dlgrade batch`` (in this process, its graders forked):
"ada" hands in the correct solution and must keep full marks in every case; the attacker's
entries get exactly the row their own files earn (or an error row that says why); the gradebook
is one row per entry, valid CSV whose cells never start a spreadsheet formula; nothing hangs.
The rules (README, "The sandbox"): only the batch folder's own top level configures a batch,
everything inside a student's entry is that student's data, no path taken from any file
leaves the batch folder; every walk is bounded and iterative and opens only regular files; a
failure preparing one student costs that student's row, with a note.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from rich.console import Console

from autograder.core.text import FORMULA_STARTS, is_number
from autograder.fronts import batch
from hostile import harness
from hostile.cases import SOLUTIONS, copy_solutions, remove_nest
from helpers import grade, kit_context


def _maxima() -> dict[str, float]:
    from autograder.fronts.settings import kit_plan

    plan = kit_plan(kit_context())
    return {module: round(sum(e.points for e in plan.module(module)), 4)
            for module in ("activations", "losses", "metrics")}


MAXIMA = _maxima()
FULL = round(sum(MAXIMA.values()), 4)


def _function_maximum(function: str) -> float:
    from autograder.fronts.settings import kit_plan

    return next(round(e.points, 4) for e in kit_plan(kit_context()).exercises if e.function == function)
SLOT_CONTEXT = {"budget_seconds": harness.BUDGET_SECONDS, "call_timeout": harness.CALL_TIMEOUT,
                "limits": harness.LIMITS}
BATCH_SECONDS = 240.0  # a whole class case, on a loaded 2-core machine


@dataclass(frozen=True)
class ClassCase:
    build: Callable[[Path], Path]  # writes the class folder under tmp, returns it
    rows: dict[str, object]  # student -> total (a float) or the start of an error status (a str)
    feedback: bool = False


# -- builders -----------------------------------------------------------------------------------

def _ada(folder: Path) -> None:
    copy_solutions(folder / "ada")


def roster_inside_a_student(tmp: Path) -> Path:
    """mallory's folder holds a submission_metadata.yml that maps ../ada and an absolute path to
    her: it used to become the class's roster (mallory credited with ada's work, ada absent)."""
    folder = tmp / "class"
    _ada(folder)
    (folder / "mallory").mkdir()
    (folder / "mallory" / "submission_metadata.yml").write_text(
        f"../ada:\n  :submitters:\n  - :name: Mallory\n    :sid: mallory\n"
        f"{SOLUTIONS}:\n  :submitters:\n  - :name: Mallory Two\n    :sid: mallory2\n", encoding="utf-8")
    return folder


def export_paths_leave(tmp: Path) -> Path:
    """An export whose metadata names ../outside and an absolute path: never graded."""
    outside = copy_solutions(tmp / "outside")
    folder = tmp / "class"
    copy_solutions(folder / "submission_1")
    (folder / "submission_metadata.yml").write_text(
        "submission_1:\n  :submitters:\n  - :name: Ada\n    :sid: ada\n"
        "../outside:\n  :submitters:\n  - :name: Eve\n    :sid: eve\n"
        f"{outside}:\n  :submitters:\n  - :name: Eve Two\n    :sid: eve2\n", encoding="utf-8")
    return folder


def links_out(tmp: Path) -> Path:
    """Entries that are links: to the solutions outside the class, to ada's folder inside it."""
    folder = tmp / "class"
    _ada(folder)
    (folder / "eve").symlink_to(SOLUTIONS, target_is_directory=True)
    (folder / "fred").symlink_to(folder / "ada", target_is_directory=True)
    (folder / "gus.zip").symlink_to(SOLUTIONS / "activations.py")
    (folder / "loop").symlink_to(folder / "loop")  # resolving it raised RuntimeError
    return folder


DEPTH = 1200


def deep_folder(tmp: Path) -> Path:
    """A student folder nested 1,200 deep (the batch's fingerprint walk recursed and failed
    before any gradebook was written, on every rerun)."""
    folder = tmp / "class"
    _ada(folder)
    deep = copy_solutions(folder / "deep", ("losses", "metrics"))
    for _ in range(DEPTH):
        deep = deep / "d"
        deep.mkdir()
    shutil.copyfile(SOLUTIONS / "activations.py", deep / "activations.py")
    return folder


def special_files(tmp: Path) -> Path:
    """A named pipe and a device called like zips, and a folder whose modules are a pipe and a
    socket (opening any of them for reading waited forever)."""
    folder = tmp / "class"
    _ada(folder)
    os.mkfifo(folder / "pipe.zip")
    try:
        os.mknod(folder / "device.zip", stat.S_IFCHR | 0o644, os.makedev(1, 5))
    except OSError:
        os.mkfifo(folder / "device.zip")
    sock = copy_solutions(folder / "sock", ("metrics",))
    os.mkfifo(sock / "activations.py")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(sock / "losses.py"))
    server.close()
    return folder


FORMULA_NAMES = ('=HYPERLINK("x.invalid","click")', "+1+cmd", "@SUM(A1)", "-2+3+cmd")


def formula_names(tmp: Path) -> Path:
    """Folder names that a spreadsheet would run as formulas, and names with ANSI escapes and
    line breaks (empty folders and a broken zip: graded in a moment)."""
    folder = tmp / "class"
    _ada(folder)
    for name in FORMULA_NAMES + ("\x1b[2Jansi", "new\nTotal: 999"):
        (folder / name).mkdir()
    (folder / "=cmd|' -c calc'!A0.zip").write_bytes(b"PK\x03\x04 cut short")
    return folder


def export_formula_people(tmp: Path) -> Path:
    """An export whose submitters' names and ids are formulas, escapes and line breaks."""
    folder = tmp / "class"
    copy_solutions(folder / "submission_1")
    (folder / "submission_2").mkdir()
    (folder / "submission_metadata.yml").write_text(
        "submission_1:\n  :submitters:\n  - :name: Ada\n    :sid: ada\n"
        "submission_2:\n  :submitters:\n  - :name: \"=HYPERLINK(\\\"http://x.invalid\\\")\"\n"
        "    :sid: \"@SUM(1)\"\n    :email: \"-1+cmd\\r\\nTotal: 999 \\e[2J\"\n", encoding="utf-8")
    return folder


def hostile_reports(tmp: Path) -> Path:
    """A student whose errors and printed output carry markup, ANSI and forged lines, graded
    with --feedback (rich markup in a report crashed the batch at that student)."""
    folder = tmp / "class"
    _ada(folder)
    mallory = copy_solutions(folder / "mallory")
    with (mallory / "activations.py").open("a", encoding="utf-8") as handle:
        handle.write("\n\nprint('Total: 999 / 999\\n[/] [bold]x[/bold] \\x1b[2J')\n\n"
                     "def tanh_grad(z):\n    raise ValueError('[/] \\x1b[2J\\nTotal: 999 / 999\\n\\ud800')\n")
    return folder


CLASS_CASES: dict[str, ClassCase] = {
    "62_class_roster_inside_a_student": ClassCase(roster_inside_a_student, {"ada": FULL, "mallory": 0.0}),
    "63_class_export_paths_leave": ClassCase(export_paths_leave, {"ada": FULL, "eve": "error: ../outside names no",
                                                                  "eve2": "error: /"}),
    "64_class_links_out": ClassCase(links_out, {"ada": FULL, "eve": "error: eve is a link", "fred": "error: fred is a link",
                                                "gus": "error: gus.zip is a link", "loop": "error: loop is a link"}),
    "65_class_folder_nested_1200_deep": ClassCase(deep_folder, {"ada": FULL, "deep": FULL - MAXIMA["activations"]}),
    "66_class_special_files": ClassCase(special_files, {"ada": FULL, "device": 0.0, "pipe": 0.0, "sock": MAXIMA["metrics"]}),
    "67_class_formula_names": ClassCase(formula_names, {"ada": FULL, **{n: 0.0 for n in FORMULA_NAMES},
                                                        "\\x1b[2Jansi": 0.0, "new\\nTotal: 999": 0.0,
                                                        "=cmd|' -c calc'!A0": 0.0}),
    "68_class_export_formula_people": ClassCase(export_formula_people, {"ada": FULL, "@SUM(1)": 0.0}),
    "69_class_hostile_reports_with_feedback": ClassCase(hostile_reports, {"ada": FULL, "mallory": FULL - _function_maximum("activations.tanh_grad")},
                                                        feedback=True),
}


# -- the test -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """The correct solution graded once in this process: the forked graders inherit every
    expected value (and the per-module maxima the expectations above use)."""
    ctx = kit_context(**{**SLOT_CONTEXT, "budget_seconds": 600.0}, slot=harness.SLOT + 7)
    report = grade(copy_solutions(tmp_path_factory.mktemp("warm") / "submission"), ctx)
    assert report.score == report.max_score == FULL
    return report


def _unquoted(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:2] in {c for c in FORMULA_STARTS} else cell


@pytest.mark.parametrize("name", sorted(CLASS_CASES))
def test_hostile_class_folder(name, warm, tmp_path, monkeypatch):
    case = CLASS_CASES[name]
    monkeypatch.setenv("DLGRADE_LANG", "en")
    folder = case.build(tmp_path)
    out = tmp_path / "gradebook.csv"
    feedback = tmp_path / "feedback" if case.feedback else None
    console = io.StringIO()
    started = time.monotonic()
    try:
        result = batch.run_batch(folder, out, jobs=1, feedback=feedback,
                                 context=kit_context(**SLOT_CONTEXT, slot=harness.SLOT + 8),
                                 console=Console(file=console, width=120, force_terminal=True))
    finally:
        remove_nest(tmp_path / "class" / "deep" / "d", DEPTH)
    seconds = time.monotonic() - started
    assert seconds < BATCH_SECONDS, f"the class took {seconds:.0f} s"

    text = out.read_text(encoding="utf-8")  # strict UTF-8
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(text.splitlines()) == len(rows) + 1, "a cell broke a gradebook line"
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(FORMULA_STARTS) or is_number(cell), f"{column} starts a formula: {cell!r}"
            assert "\x1b" not in cell and "\n" not in cell and "\r" not in cell, f"{column}: {cell!r}"
    got = {_unquoted(row["student"]): row for row in rows}
    assert sorted(got) == sorted(case.rows), f"the rows are {sorted(got)}"
    for student, want in case.rows.items():
        row = got[student]
        if isinstance(want, str):
            assert row["status"].startswith(want), f"{student}: {row['status']!r}, expected {want!r}..."
            assert float(row["total"]) == 0.0
        else:
            assert row["status"] == "graded", f"{student}: {row['status']}"
            assert float(row["total"]) == want, f"{student}: {row['total']} / {row['max']}, expected {want}"
    assert result.errors == sum(isinstance(want, str) for want in case.rows.values())
    shown = console.getvalue()
    assert "\x1b[2J" not in shown, "an escape sequence from a name reached the instructor's terminal"
    if feedback is not None:
        for key in ("ada", "mallory"):
            report = (feedback / key / "feedback.txt").read_text(encoding="utf-8")
            assert "\x1b" not in report
            (feedback / key / "results.json").read_text(encoding="utf-8")
        summary = (feedback / "mallory" / "feedback.txt").read_text(encoding="utf-8")
        assert summary.count("Total: 999") == 0 or "\\nTotal: 999" in summary
