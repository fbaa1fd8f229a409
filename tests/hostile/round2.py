"""Issue 13's built cases: submissions whose weapon is a file, an archive or a name, not code.

Each builder writes a submission under ``tmp`` and returns its path; each ``extra`` checks what
the honest outcome needs beyond the corpus's common checks (tests/hostile/harness.py). The
classes of weakness they cover (issue 13):

- class 2, one student stops everything: named pipes, devices and sockets where a module or a
  zip is expected; folders of more entries than any walk looks at;
- class 3, submission text interpreted by the report: hostile file names, notebook fields;
- class 5, archives read differently from the platform: duplicated names (the last member is
  graded, as unzip and Gradescope unpack it), case and Unicode variants (names are exact);
- class 4, the grader's memory: zip central directories of millions of entries, refused from
  their end records before ZipFile reads them.
"""

from __future__ import annotations

import io
import json
import os
import re
import socket
import stat
import struct
import warnings
import zipfile
from pathlib import Path

from autograder.core.report import summary_text
from autograder.core.text import is_safe_line

from hostile.cases import SOLUTIONS, copy_solutions


def _source(module: str) -> str:
    return (SOLUTIONS / f"{module}.py").read_text(encoding="utf-8")


BROKEN = "def sigmoid(z):\n    return 42\n\ndef mse_loss(*a, **k):\n    return 42\n"
IMPORT_FAILS = "raise SystemExit('this copy must not be graded')\n"


# -- class 3: notebooks and names -------------------------------------------------------------

def _notebook(cells: list) -> str:
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def notebook_source_not_text(tmp: Path) -> Path:
    """A code cell whose ``source`` is a number, a list of non-text: that module only."""
    folder = copy_solutions(tmp / "submission", ("metrics",))
    good = {"cell_type": "code", "source": _source("activations"), "metadata": {}, "outputs": []}
    (folder / "activations.ipynb").write_text(_notebook([good, {"cell_type": "code", "source": 123}]),
                                              encoding="utf-8")
    (folder / "losses.ipynb").write_text(_notebook([{"cell_type": "code", "source": ["x = 1\n", 5, None]},
                                                    {"cell_type": "code", "source": _source("losses")}]),
                                         encoding="utf-8")
    return folder


def notebook_odd_fields(tmp: Path) -> Path:
    """Lone surrogates in a cell (kept as escapes in the module the worker runs: a comment),
    a cell type that is a list, a markdown cell whose source is a number: the module is graded."""
    folder = copy_solutions(tmp / "submission", ("losses", "metrics"))
    cells = [{"cell_type": ["code"], "source": "raise SystemExit('a list is not a cell type')"},
             {"cell_type": "code", "source": _source("activations"), "metadata": {"x": [1] * 10}},
             {"cell_type": "markdown", "source": 7},
             {"cell_type": "code", "source": "# \ud800 lone surrogate \udfff\n"}]
    (folder / "activations.ipynb").write_text(json.dumps({"cells": cells}), encoding="utf-8")
    return folder


HOSTILE_NAMES = ("\x1b[2J\x1b[Hcleared.py", "Total: 999 \n999.py", "note\nSandbox: none.py", "[bold]x[-bold].py",
                 "[red]unclosed.py", "]][[.py", "=cmd|' -c calc'!A0.py", "+1+2.py", "@SUM(A1).py", "\u202eyp.evil.py",
                 "tab\there.py", "zero\u200bwidth.py")


def hostile_file_names(tmp: Path) -> Path:
    """Files (ignored: not modules) whose names are markup, ANSI, forged lines, formulas, bytes
    that are not UTF-8: listed in a note, as data."""
    folder = copy_solutions(tmp / "submission")
    for name in HOSTILE_NAMES:
        (folder / name).write_text("x = 1\n", encoding="utf-8")
    fd = os.open(os.fsencode(folder) + b"/not-utf8-\xff\xfe.py", os.O_WRONLY | os.O_CREAT, 0o644)
    os.close(fd)
    return folder


def names_are_data(outcome, tmp: Path) -> None:
    summary = outcome.results["output"]
    assert_one_summary(summary)
    notes = [line for line in summary_lines(summary) if line.startswith("Note:")]
    assert any("ignored files" in note for note in notes), notes
    for line in notes:
        assert is_safe_line(line), f"a note holds an unescaped control character: {line!r}"
    assert "\\x1b[2J" in "\n".join(summary_lines(summary)) and "\x1b" not in summary
    assert "\\udcff" in summary or "\\udcfe" in summary, "the non-UTF-8 name is not shown escaped"
    render_everywhere(outcome)


# -- class 2: what is not a regular file ----------------------------------------------------------

def named_pipe_as_module(tmp: Path) -> Path:
    folder = copy_solutions(tmp / "submission", ("losses", "metrics"))
    os.mkfifo(folder / "activations.py")
    os.mkfifo(folder / "other.zip")
    return folder


def named_pipe_as_zip(tmp: Path) -> Path:
    """The submission itself is a named pipe called submission.zip (opening it waited forever)."""
    path = tmp / "submission.zip"
    os.mkfifo(path)
    return path


def devices_and_sockets(tmp: Path) -> Path:
    """A character device (/dev/zero's numbers) and a listening socket named like modules."""
    folder = copy_solutions(tmp / "submission", ("metrics",))
    try:
        os.mknod(folder / "activations.py", stat.S_IFCHR | 0o644, os.makedev(1, 5))
    except (PermissionError, OSError):
        os.mkfifo(folder / "activations.py")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(folder / "losses.py"))
    server.close()  # the socket file stays
    return folder


def too_many_entries(tmp: Path) -> Path:
    """Modules at the top, and 12,000 files in a folder beside them: the walk is bounded, the
    modules (looked at first) graded."""
    folder = copy_solutions(tmp / "submission")
    junk = folder / "junk"
    junk.mkdir()
    for i in range(12_000):
        (junk / f"f{i:05d}.txt").touch()
    return folder


# -- class 5: archives ---------------------------------------------------------------------------

def _zip(path: Path, members: list[tuple[str, str]]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": that is the point
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in members:
                archive.writestr(name, text)
    return path


def zip_duplicate_names(tmp: Path) -> Path:
    """activations.py twice (broken, then correct) and metrics.py twice (correct, then failing):
    the last of each is graded, as unzip and Gradescope unpack it."""
    return _zip(tmp / "submission.zip", [
        ("activations.py", BROKEN), ("losses.py", _source("losses")), ("metrics.py", _source("metrics")),
        ("activations.py", _source("activations")), ("metrics.py", IMPORT_FAILS)])


def duplicates_noted(outcome, tmp: Path) -> None:
    with zipfile.ZipFile(tmp / "submission.zip") as archive:  # the platform's reading
        assert archive.read("activations.py").decode() == _source("activations")
    assert "more than one member named activations.py, metrics.py" in outcome.results["output"]


def zip_case_variants(tmp: Path) -> Path:
    """Activations.py (broken) beside activations.py; LOSSES.PY alone: not losses.py on Linux."""
    return _zip(tmp / "submission.zip", [
        ("Activations.py", BROKEN), ("activations.py", _source("activations")),
        ("LOSSES.PY", _source("losses")), ("metrics.py", _source("metrics")), ("METRICS.py", IMPORT_FAILS)])


def case_noted(outcome, tmp: Path) -> None:
    assert "LOSSES.PY is not graded" in outcome.results["output"]


def zip_unicode_variants(tmp: Path) -> Path:
    """Fullwidth and decomposed look-alikes: ａctivations.py (broken) beside activations.py;
    ｍetrics.py alone (NFKC gives metrics.py, the file system does not)."""
    return _zip(tmp / "submission.zip", [
        ("\uff41ctivations.py", BROKEN), ("activations.py", _source("activations")),
        ("losses.py", _source("losses")), ("lo\u0301sses.py", IMPORT_FAILS),
        ("\uff4detrics.py", _source("metrics"))])


def unicode_noted(outcome, tmp: Path) -> None:
    assert "\uff4detrics.py is not graded" in outcome.results["output"]


def _central_entry(name: bytes, offset: int = 0) -> bytes:
    return struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, 0, 0, 0, len(name), 0, 0, 0, 0,
                       0, offset) + name


def _solutions_zip() -> bytes:
    """The three solution modules as a plain zip's bytes (the cases then rewrite its end records)."""
    local = io.BytesIO()
    with zipfile.ZipFile(local, "w") as archive:
        for module in ("activations", "losses", "metrics"):
            archive.writestr(f"{module}.py", _source(module))
    return local.getvalue()


def zip_million_entries(tmp: Path) -> Path:
    """A 47 MB central directory of a million entries (read whole, it took 760 MB)."""
    data = _solutions_zip()
    end = data.rfind(b"PK\x05\x06")
    directory_at = struct.unpack("<L", data[end + 16:end + 20])[0]
    real = data[directory_at:end]
    fake = _central_entry(b"x") * 1_000_000
    directory = real + fake
    record = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, len(directory), directory_at, 0)
    path = tmp / "submission.zip"
    path.write_bytes(data[:directory_at] + directory + record)
    return path


def zip64_directory_claims(tmp: Path) -> Path:
    """End records that claim 2**40 entries in a directory of 2**40 bytes (zip64)."""
    data = _solutions_zip()
    end = data.rfind(b"PK\x05\x06")
    body = data[:end]
    zip64_at = len(body)
    zip64 = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, 1 << 40, 1 << 40, 1 << 40, 0)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, zip64_at, 1)
    record = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    path = tmp / "submission.zip"
    path.write_bytes(body + zip64 + locator + record)
    return path


LARGE_ANSWERS_PEAK_MB = 160  # the README's figure: ~90 MB measured with 30 MiB answers


def memory_bounded(outcome, tmp: Path) -> None:
    """The grader's resident memory grew by less than LARGE_ANSWERS_PEAK_MB (VmHWM)."""
    assert outcome.peak_mb is not None, "the grader's peak memory could not be measured here"
    assert outcome.peak_mb < LARGE_ANSWERS_PEAK_MB, f"the grader's memory grew by {outcome.peak_mb:.0f} MB"


def directory_refused(outcome, tmp: Path) -> None:
    assert "members or a directory too large to read" in outcome.results["output"], outcome.results["output"]
    memory_bounded(outcome, tmp)


# -- class 3: every rendering of a report ---------------------------------------------------------

def summary_lines(summary: str) -> list[str]:
    """results.json's summary (Markdown: ``core/gradescope_rows.summary``) as the lines a student
    reads: list marks, bold and backslash escapes taken off."""
    lines = []
    for line in summary.splitlines():
        line = line.strip()
        line = line[2:] if line.startswith("- ") else line
        lines.append(re.sub(r"\\(.)", r"\1", line.strip("*")))
    return lines


def assert_one_summary(summary: str) -> None:
    """The summary's own lines appear once each, and only the kit writes them (the visible total:
    ``Total:``, or ``Public checks:`` while hidden checks wait for publication)."""
    for line in summary.splitlines():
        assert "\x1b" not in line and "\r" not in line, f"a control character in the summary: {line!r}"
    lines = summary_lines(summary)
    assert sum(line.startswith(("Total:", "Public checks:")) for line in lines) == 1, "a forged Total: line"
    assert sum(line.startswith("Sandbox:") for line in lines) == 1, "a forged Sandbox: line"


def render_everywhere(outcome) -> None:
    """The report renders as the terminal table (rich, markup on), as the batch's feedback text,
    and as results.json in strict UTF-8; no control character reaches any of them."""
    from rich.console import Console

    from autograder.core.report import render_text
    from autograder.fronts.batch import feedback_text

    outcome.text.encode("utf-8")  # strict: a lone surrogate raises
    json.loads(outcome.text)
    if outcome.report is None:
        return
    for language in ("en", "pt"):
        buffer = io.StringIO()
        render_text(outcome.report, Console(file=buffer, width=120, force_terminal=True, color_system="truecolor"),
                    language)
        shown = buffer.getvalue()
        # rich's own colours are ESC [ ... m; anything else (2J, H, ]0;) came from the submission
        stripped = __import__("re").sub(r"\x1b\[[0-9;]*m", "", shown)
        assert "\x1b" not in stripped, f"an escape sequence reached the terminal: {stripped[:300]!r}"
        text = feedback_text(outcome.report, language)
        assert "\x1b" not in text
        summary = summary_text(outcome.report, language)
        summary.encode("utf-8")
        for line in summary.splitlines():
            assert "\x1b" not in line


FORGED_STARTS = ("Total:", "Sandbox:", "Note:", "ok ", "-- ")


def text_is_data(outcome, tmp: Path) -> None:
    assert_one_summary(outcome.results["output"])
    for test in outcome.results["tests"]:
        assert "\x1b" not in test["output"] and "\u202e" not in test["output"], test["output"][:200]
        for line in test["output"].splitlines():  # the student's words stay on the kit's line
            assert not line.startswith(FORGED_STARTS), f"a forged line in {test['name']}: {line!r}"
    render_everywhere(outcome)


def output_is_data(outcome, tmp: Path) -> None:
    """Printed output is kept, each line prefixed: nothing printed passes for the summary's."""
    text_is_data(outcome, tmp)
    summary = outcome.results["output"]
    printed = summary[summary.index("Total: 999"):] if "Total: 999" in summary else ""
    assert printed, "the printed output was not kept"
    for line in summary.splitlines():
        assert not line.startswith(("Total: 999", "Sandbox: none", "ok activations.sigmoid 7")), line
    # results.json's Markdown marks each printed line with "│ " (core/gradescope_rows.summary)
    assert "│ Total: 999 / 999" in summary and "│ Sandbox: none" in summary
