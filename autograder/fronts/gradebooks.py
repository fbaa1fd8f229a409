"""Gradebooks a school imports: the ``note`` column, .csv or .xlsx, Canvas and Moodle exports.

- ``note``: why a row is what it is (no files found, a file missing, an import failed, the
  time budget used up, calls that timed out or crashed, a grader error); empty when there is
  nothing to say. Written in the batch's language.
- The gradebook's format follows ``--out``'s extension: ``.csv`` or ``.xlsx`` (openpyxl); any
  other extension is refused before anything is graded (``UnknownFormat``).
- ``--export canvas``: ``<gradebook stem>.canvas.csv`` with the columns of Canvas's gradebook
  import: ``Student, ID, SIS User ID, SIS Login ID, Section``, then one column per assignment
  (Canvas Instructor Guide, "How do I import grades in the Gradebook?",
  https://community.canvaslms.com/t5/Instructor-Guide/How-do-I-import-grades-in-the-Gradebook/ta-p/807:
  the CSV needs the student name, ID, SIS User ID, SIS Login ID and Section columns, then the
  assignment columns; an assignment column without "(id)" creates a new assignment). Canvas
  matches a row by ID, else SIS User ID, else SIS Login ID: the kit fills SIS User ID with the
  student's id (Gradescope's sid, else the folder name) and SIS Login ID with the e-mail. The
  second row is Canvas's "Points Possible" row, as in a gradebook Canvas exports: its first
  cell ``    Points Possible`` (four spaces), the identifier cells empty, and the assignment's
  maximum score under its column (the points of an assignment the import creates).
- ``--export moodle``: ``<gradebook stem>.moodle.csv`` for Moodle's CSV grade import
  (MoodleDocs, "Grade import", https://docs.moodle.org/en/Grade_import: the import maps one
  identifier column of the file ("Map from") to a user field ("Map to": useremail, useridnumber,
  username) and each grade column to a grade item; feedback may go with the grade). Columns:
  ``Email address, ID number, Full name, <assignment>, Feedback``.

Cells from submissions (names, ids) that a spreadsheet would read as a formula (``=``, ``+``,
``-``, ``@``, tab, CR first) are written with a leading apostrophe in the exports, and as text in
.xlsx.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable

from ..core.messages import Message, render, say
from ..core.text import csv_cell
from .classview import IMPORT_NOTES, MISSING_NOTES

FORMATS = (".csv", ".xlsx")
EXPORTS = ("canvas", "moodle")
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_POINTS_POSSIBLE = "    Points Possible"  # the second row of a Canvas gradebook CSV (its first cell)
MOODLE_COLUMNS = ("Email address", "ID number", "Full name")


class UnknownFormat(ValueError):
    """A gradebook extension the kit does not write (``suffix``)."""

    def __init__(self, path: Path):
        super().__init__(f"{path}: unknown gradebook format {path.suffix or '(none)'}; use one of {', '.join(FORMATS)}")
        self.path = path


def check_format(path: str | Path) -> None:
    """Refuse (UnknownFormat) a gradebook path whose extension is not one of FORMATS."""
    if Path(path).suffix.lower() not in FORMATS:
        raise UnknownFormat(Path(path))


# -- the note column ---------------------------------------------------------------------------------

def _modules_of(notes: Iterable[Any], keys: tuple[str, ...]) -> list[str]:
    found = []
    for note in notes:
        if isinstance(note, Message) and note.key in keys:
            found.append(render(dict(note.values).get("module") or dict(note.values).get("name")
                                or dict(note.values).get("path") or "", "en"))
    return found


def note_of_report(report: Any, modules: int = 3) -> list[Message]:
    """Why a graded row is what it is (messages; none for a plain graded row)."""
    notes: list[Message] = []
    missing = [m for m in _modules_of(report.notes, ("missing_module",)) if m]
    failed = _modules_of(report.notes, IMPORT_NOTES)
    unreadable = [m for m in _modules_of(report.notes, MISSING_NOTES) if m and m not in missing]
    if len(missing) >= modules:  # an empty submission, a zip that cannot be read...
        notes.append(say("gradebook_note_no_files"))
    elif missing:
        notes.append(say("gradebook_note_missing", files=", ".join(f"{m}.py" for m in missing)))
    if unreadable and len(missing) < modules:
        notes.append(say("gradebook_note_unreadable", files=", ".join(unreadable)))
    if failed:
        notes.append(say("gradebook_note_import", modules=", ".join(f"{m}.py" for m in failed)))
    by_kind: dict[str, list[str]] = {}
    for function, status in sorted(report.faults.items()):
        by_kind.setdefault(status, []).append(function.split(".")[-1])
    if "budget" in by_kind:
        notes.append(say("gradebook_note_budget"))
    for kind in ("timeout", "crashed"):
        if kind in by_kind:
            notes.append(say(f"gradebook_note_{kind}", functions=", ".join(by_kind[kind])))
    return notes


def note_of_record(record: dict | None, problem: str = "", language: str = "pt") -> str:
    """The ``note`` cell of a student: their record's notes, or the batch's problem with them."""
    if problem:
        return say("gradebook_note_error", problem=problem).text(language)
    if record is None:
        return ""
    from ..core.report import Report

    return "; ".join(n.text(language) for n in note_of_report(Report.from_json(record["report"])))


_NOTES: dict[int, tuple[dict, str, str]] = {}  # id(record) -> (record, language, its note)


def _record_note(record: dict | None, problem: str, language: str) -> str:
    """``note_of_record``, computed once per record (the gradebook is rewritten after every student:
    reading every report again each time made a batch quadratic)."""
    if record is None or problem:
        return note_of_record(record, problem, language)
    known = _NOTES.get(id(record))
    if known is None or known[0] is not record or known[1] != language:
        known = _NOTES[id(record)] = (record, language, note_of_record(record, "", language))
    return known[2]


def add_notes(rows: list[dict], students: list[Any], records: dict[str, dict], errors: dict[str, str],
              language: str) -> list[dict]:
    """Fill each row's ``note`` (rows in ``batch._rows``'s order: students × their people)."""
    cache: dict[str, str] = {}
    index = 0
    for student in students:
        if student.key not in cache:
            cache[student.key] = _record_note(records.get(student.key), errors.get(student.key, ""), language)
        for _ in student.people:
            if index < len(rows):
                rows[index]["note"] = cache[student.key]
            index += 1
    return rows


# -- writing ----------------------------------------------------------------------------------------------

def safe_cell(value: Any) -> Any:
    """A text cell as ``core/text.csv_cell`` makes it (one line, a formula made inert by a leading
    apostrophe, plain numbers kept); numbers stay numbers."""
    return csv_cell(value) if isinstance(value, str) else value


def _write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _csv_text(columns: list[str], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([[safe_cell(row.get(c, "")) for c in columns] for row in rows])
    return buffer.getvalue()


def _number(text: Any) -> Any:
    try:
        return float(text) if isinstance(text, str) and text.strip() else text
    except ValueError:
        return text


def xlsx_bytes(columns: list[str], rows: list[dict], numeric: Iterable[str] = ()) -> bytes:
    """An .xlsx workbook of one sheet: the header, then the rows (``numeric`` columns as numbers,
    every other cell as text: never a formula)."""
    from openpyxl import Workbook

    numeric = set(numeric)
    book = Workbook()
    sheet = book.active
    sheet.title = "gradebook"
    sheet.append(list(columns))
    for r, row in enumerate(rows, start=2):
        for c, column in enumerate(columns, start=1):
            value = row.get(column, "")
            value = _number(value) if column in numeric else ("" if value is None else str(value))
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl reads a leading "=" as a formula otherwise
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_xlsx(out: Path, columns: list[str], rows: list[dict], numeric: Iterable[str] = ()) -> None:
    _write_bytes(Path(out), xlsx_bytes(columns, rows, numeric))


def export_path(out: Path, kind: str) -> Path:
    """Where ``--export kind`` goes: beside the gradebook, ``<stem>.<kind>.csv``."""
    return Path(out).with_name(f"{Path(out).stem}.{kind}.csv")


def points_possible(rows: list[dict]) -> str:
    """The assignment's maximum score (the rows' ``max``), as the gradebook writes numbers."""
    most = [float(row["max"]) for row in rows if str(row.get("max", "")).strip()]
    return f"{max(most):g}" if most else ""


def canvas_rows(rows: list[dict], assignment: str) -> tuple[list[str], list[dict]]:
    """The Canvas import's columns and rows: the "Points Possible" row first (as in Canvas's own
    export), then one row per student (graded rows only have a score)."""
    columns = [*CANVAS_COLUMNS, assignment]
    out = [{"Student": CANVAS_POINTS_POSSIBLE, assignment: points_possible(rows)}]
    out += [{"Student": row.get("name") or row.get("student", ""), "ID": "", "SIS User ID": row.get("student", ""),
             "SIS Login ID": row.get("email", ""), "Section": "", assignment: row.get("total", "")} for row in rows]
    return columns, out


def moodle_rows(rows: list[dict], assignment: str) -> tuple[list[str], list[dict]]:
    """The Moodle import's columns and rows: identifiers, the grade, the note as feedback."""
    columns = [*MOODLE_COLUMNS, assignment, "Feedback"]
    out = [{"Email address": row.get("email", ""), "ID number": row.get("student", ""),
            "Full name": row.get("name") or row.get("student", ""), assignment: row.get("total", ""),
            "Feedback": row.get("note", "")} for row in rows]
    return columns, out


def write_exports(out: Path, rows: list[dict], kinds: Iterable[str], assignment: str) -> list[Path]:
    """Write each ``--export`` beside the gradebook ``out``; the paths written."""
    from ..core.report import write_atomic

    written = []
    for kind in kinds:
        columns, table = (canvas_rows if kind == "canvas" else moodle_rows)(rows, assignment)
        path = export_path(out, kind)
        write_atomic(path, _csv_text(columns, table))
        written.append(path)
    return written
