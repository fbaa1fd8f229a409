"""Feedback to hand back (issue 16): per student, the student's version and the instructor's.

``dlgrade batch DIR --feedback FOLDER`` writes, per student, in ``FOLDER/<student>/``:

- ``feedback.html`` and ``feedback.txt``: the student's version (the feedback page of
  ``core/page/`` and the terminal report as text), in the batch's language. Public checks in
  full; hidden checks per the visibility policy, the vocabulary of the Gradescope zip
  (``gradescope.VISIBILITIES``: ``hidden``, ``after_due_date``, ``after_published``, ``visible``;
  default ``after_published``) with ``--publish`` saying the results are published (the due date
  passed). Until then (and always under ``hidden``) a hidden check appears only in one
  aggregate line, its points ("hidden checks: 12.5 points, shown after publication"): never its
  name, result, input, counterexample or hint, and the totals shown are the public checks'.
  Once shown, a hidden check shows its title, result and points (the page's ``student``
  audience): its inputs stay hidden.
- ``instructor.html``, ``instructor.txt`` and ``results.json`` (Gradescope's format, every row):
  everything, for the instructor.

``--feedback-zip FILE`` writes the student's files of every graded student in one zip for an LMS
bulk upload (``zip_entries``):

- Moodle (assignment, "Feedback files" on, "Upload multiple feedback files in a zip"): Moodle
  matches a path by its first part of the form ``<full name>_<participant id>_<plugin type>_
  <plugin name>[_]`` (``mod/assign/feedback/file/importziplib.php``), which is the folder name
  of each submission in Moodle's "Download all submissions" zip. A student whose submission
  folder has such a name (the class folder is Moodle's download, unzipped) gets that folder name
  in the zip, so Moodle attaches ``feedback.html`` and ``feedback.txt`` to them.
- Anything else (a Gradescope export, folders named by hand; Canvas, which has no bulk upload of
  feedback files: its "Re-upload submissions" takes back only the files of its own download,
  names unchanged): one folder per student, named by the student's key (the file-name-safe name
  of the gradebook), for handing out by hand or through Canvas's submission comments API.

Zip entry names are built only from the student key (``[A-Za-z0-9._-]``) or a folder name that
matches Moodle's pattern (no separator, no control character, not ``..``); dates are fixed, the
order sorted: the same records give the same bytes.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .gradescope import DEFAULT_HIDDEN_VISIBILITY, VISIBILITIES

STUDENT_FILES = ("feedback.html", "feedback.txt")
INSTRUCTOR_FILES = ("instructor.html", "instructor.txt", "results.json")
STAMP = ".dlgrade-feedback.json"  # what the files of a student folder were written for
# a Moodle submission folder: full name (underscores made spaces by Moodle), participant id,
# plugin type and name, and the trailing "_" of Moodle < 4.1
MOODLE_FOLDER = re.compile(r"^([^_/\\\x00-\x1f\x7f]+)_(\d+)_(assign(?:submission|feedback))_([a-z]+)_?$")


@dataclass(frozen=True)
class Policy:
    """When the hidden checks show in the student's version."""

    visibility: str = DEFAULT_HIDDEN_VISIBILITY
    published: bool = False  # the results are published (and the due date passed)

    def __post_init__(self) -> None:
        if self.visibility not in VISIBILITIES:
            raise ValueError(f"hidden visibility must be one of {', '.join(VISIBILITIES)}")

    @property
    def shown(self) -> bool:
        """Whether a student sees the hidden checks (by their results) now."""
        return self.visibility == "visible" or (self.published and self.visibility != "hidden")

    def withheld_key(self) -> str:
        """The message that says hidden checks are left out, and until when."""
        if self.visibility == "hidden":
            return "handback_withheld_never"
        return "handback_withheld_due" if self.visibility == "after_due_date" else "handback_withheld_published"


def student_report(report: Any, policy: Policy) -> tuple[Any, Any]:
    """(the report a student may read, the message for what it leaves out or None).

    Hidden checks shown: kept with their result only (no output, hint or counterexample).
    Not shown: left out, their points said in one message."""
    from dataclasses import replace

    from ..core.messages import say

    hidden = [r for r in report.results if r.visibility != "public"]
    if not hidden:
        return report, None
    if policy.shown:
        results = [r if r.visibility == "public" else replace(r, output=None, hint=None, evidence=None)
                   for r in report.results]
        return replace(report, results=results), None
    most = round(sum(r.max_score for r in hidden), 4)
    return (replace(report, results=[r for r in report.results if r.visibility == "public"]),
            say(policy.withheld_key(), max=f"{most:g}"))


class _SharedPainter:
    """A page painter whose plots are drawn once for the two versions of one report."""

    def __init__(self) -> None:
        from ..core.page.figures import Painter

        self.painter, self.drawn = Painter(), {}

    def svg(self, function: str, data: dict, language: str) -> str:
        key = (function, language)
        if key not in self.drawn:
            self.drawn[key] = self.painter.svg(function, data, language)
        return self.drawn[key]


def student_files(report: Any, policy: Policy, language: str, painter: Any = None) -> dict[str, str]:
    """The student's version: ``feedback.html`` and ``feedback.txt``."""
    from ..core.messages import render
    from ..core.page import page
    from .batch import feedback_text

    shown, withheld = student_report(report, policy)
    text = feedback_text(shown, language)
    if withheld is not None:
        text += "\n" + render(withheld, language) + "\n"
    return {"feedback.html": page(shown, language, "student", withheld=withheld, painter=painter),
            "feedback.txt": text}


def instructor_files(record: dict, report: Any, language: str, painter: Any = None) -> dict[str, str]:
    """The instructor's version: every check."""
    from ..core.page import page
    from ..core.report import dump_json
    from .batch import feedback_text

    return {"instructor.html": page(report, language, "instructor", painter=painter),
            "instructor.txt": feedback_text(report, language), "results.json": dump_json(record["results"])}


def _stamp(record: dict, policy: Policy, language: str) -> str:
    return json.dumps({"fingerprint": record.get("fingerprint"), "visibility": policy.visibility,
                       "published": policy.published, "language": language}, sort_keys=True)


def up_to_date(folder: Path, record: dict, policy: Policy, language: str) -> bool:
    """Whether ``folder/<key>/`` holds this record's files for this policy and language."""
    target = folder / record["key"]
    try:
        stamp = (target / STAMP).read_text(encoding="utf-8")
    except OSError:
        return False
    return stamp == _stamp(record, policy, language) and all(
        (target / name).is_file() for name in STUDENT_FILES + INSTRUCTOR_FILES)


def write_feedback(folder: Path, record: dict, language: str, policy: Policy) -> None:
    """Both versions of one student's feedback in ``folder/<key>/`` (the stamp written last)."""
    from ..core.report import Report, write_atomic

    report = Report.from_json(record["report"])
    painter = _SharedPainter()
    target = folder / record["key"]
    files = {**student_files(report, policy, language, painter), **instructor_files(record, report, language, painter)}
    for name, text in files.items():
        write_atomic(target / name, text)
    write_atomic(target / STAMP, _stamp(record, policy, language))


# -- the zip for an LMS bulk upload --------------------------------------------------------------------

def moodle_folder(name: str) -> str | None:
    """``name`` when it is a Moodle submission folder's name (``MOODLE_FOLDER``), else None."""
    from ..core.text import is_safe_line

    name = name[:-4] if name.lower().endswith(".zip") else name
    return name if MOODLE_FOLDER.fullmatch(name) and is_safe_line(name) else None


def zip_entries(students: Iterable[Any], records: dict[str, dict]) -> list[tuple[str, str, bool]]:
    """(folder name in the zip, student key, named for Moodle) of every graded student."""
    entries, taken = [], set()
    for student in students:
        if student.key not in records:
            continue
        moodle = moodle_folder(student.path.name)
        name = moodle if moodle is not None and moodle not in taken else student.key
        taken.add(name)
        entries.append((name, student.key, name == moodle))
    return sorted(entries)


def _add(archive: zipfile.ZipFile, name: str, text: str) -> None:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, text.encode("utf-8"))


def _student_files_of(record: dict, policy: Policy, language: str, folder: Path | None) -> dict[str, str]:
    """The student's files of ``record``: read from the feedback folder when written there for this
    policy and language, rendered otherwise."""
    from ..core.report import Report

    if folder is not None and up_to_date(folder, record, policy, language):
        return {name: (folder / record["key"] / name).read_text(encoding="utf-8") for name in STUDENT_FILES}
    return student_files(Report.from_json(record["report"]), policy, language)


def write_zip(out: Path, students: Iterable[Any], records: dict[str, dict], language: str,
              policy: Policy, folder: Path | None = None) -> tuple[int, int]:
    """The student's files of every graded student in ``out`` (``folder``: the batch's feedback
    folder, if any); returns (students, named for Moodle)."""
    from .gradebooks import _write_bytes

    entries = zip_entries(students, records)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, key, _ in entries:
            files = _student_files_of(records[key], policy, language, folder)
            for filename in STUDENT_FILES:
                _add(archive, f"{name}/{filename}", files[filename])
    _write_bytes(Path(out), buffer.getvalue())
    return len(entries), sum(1 for _, _, moodle in entries if moodle)
