"""The class as data: one table of (student, function, check) results, and what it says.

Read from a finished batch's records (``.dlgrade-batch/<gradebook>/*.json``: each holds the
whole report, messages as data) or from a folder of Gradescope ``results.json`` files (text
only: known mistakes and faults are recognised by their sentences, in either language).

What the class report shows is computed here, once, from that table:

- the failure rate of a check = students who lost points on it / students whose module was
  graded (a missing file or a module that did not import is a fault of the submission, counted
  in ``faults`` and in ``not_graded``, not a failure of each of its checks);
- a check's most frequent counterexample = the call (``for f(x): ...``) most students failed on;
- a known mistake = a hint key of ``core/checks/hints.py`` (the slides' errata first), counted
  once per student however many checks named it;
- faults = time-outs, crashes, budget used up (the sandbox's per-function faults), import
  errors and missing files (the submission's notes), and batch errors (no record at all).
"""

from __future__ import annotations

import json
import html
import re
import statistics
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from ..contract import ERRATA
from ..core.i18n import CATALOGUES
from ..core.messages import Message, render, title

FAULT_KINDS = ("timeout", "crashed", "budget", "import", "missing", "error")
# the submission's notes that mean "no module to grade" (missing files) or "it did not import"
MISSING_NOTES = ("missing_module", "does_not_exist", "unreadable_zip", "unreadable_file", "too_large",
                 "not_utf8", "unreadable_notebook")
IMPORT_NOTES = ("import_failed",)
# a known mistake that is one of the slides' errata -> the erratum's slide (contract.ERRATA)
ERRATUM_OF_HINT = {"hint_tanh_grad_sigmoid": "tanh", "hint_swish_grad_slide": "Swish",
                   "hint_elu_grad_drop_alpha": "ELU", "hint_softplus_grad_beta": "SoftPlus",
                   "hint_r2_missing_one_minus": "R²"}
assert set(ERRATUM_OF_HINT.values()) <= {e.slide for e in ERRATA}, "an erratum of ERRATUM_OF_HINT is not in ERRATA"
COUNTEREXAMPLE_CHARS = 300


@dataclass
class CheckRow:
    """One student's result on one check (the tidy CSV's row)."""

    student: str
    function: str
    check: str  # the check's stable name (records) or its shown title (results.json)
    title: str
    score: float
    max: float
    hint: str = ""  # the known mistake's key, "" when none
    hint_text: str = ""
    counterexample: str = ""  # the failing call (``for f(x): ...``), "" when the failure names none
    visibility: str = "public"
    failure: str = ""  # the failure's text (truncated): shown where no call failed
    graded: bool = True  # False: the module was missing or did not import (no call was made)

    @property
    def failed(self) -> bool:
        return self.score < self.max


@dataclass
class StudentView:
    student: str
    total: float
    max: float
    functions: dict[str, float] = field(default_factory=dict)  # module.function -> score
    seconds: float = 0.0
    isolation: str = ""
    faults: list[tuple[str, str]] = field(default_factory=list)  # (kind, where)
    notes: list[str] = field(default_factory=list)


@dataclass
class ClassView:
    """The class: its students, every (student, check) row, and the figures derived from them."""

    students: list[StudentView]
    rows: list[CheckRow]
    language: str = "pt"

    @property
    def functions(self) -> list[str]:
        return list(dict.fromkeys(r.function for r in self.rows))

    def function_max(self) -> dict[str, float]:
        most: dict[str, float] = {}
        seen: set[tuple[str, str]] = set()
        for r in self.rows:
            if (r.function, r.check) not in seen:
                seen.add((r.function, r.check))
                most[r.function] = round(most.get(r.function, 0.0) + r.max, 4)
        return most

    def function_means(self) -> dict[str, float]:
        """Mean score of each function over the students (a student without it counts 0)."""
        count = max(1, len(self.students))
        return {f: round(sum(s.functions.get(f, 0.0) for s in self.students) / count, 4) for f in self.functions}

    def check_ranking(self) -> list[dict]:
        """Every check, most failed first: failure rate, the students, the most frequent counterexample."""
        table: dict[tuple[str, str], dict] = {}
        for r in self.rows:
            entry = table.setdefault((r.function, r.check), {"function": r.function, "check": r.check,
                                                            "title": r.title, "visibility": r.visibility,
                                                            "students": [], "counterexamples": Counter(),
                                                            "failures": Counter(), "not_graded": []})
            if not r.graded:
                entry["not_graded"].append(r.student)
            elif r.failed:
                entry["students"].append(r.student)
                if r.counterexample:
                    entry["counterexamples"][r.counterexample] += 1
                elif r.failure:
                    entry["failures"][r.failure] += 1
        ranked = []
        for entry in table.values():
            common, failure = entry.pop("counterexamples").most_common(1), entry.pop("failures").most_common(1)
            graded = len(self.students) - len(entry["not_graded"])
            entry.update(failed=len(entry["students"]), graded=graded,
                         rate=round(len(entry["students"]) / graded, 4) if graded else 0.0,
                         counterexample=common[0][0] if common else "", counterexample_count=common[0][1] if common else 0,
                         failure=failure[0][0] if failure else "", failure_count=failure[0][1] if failure else 0)
            ranked.append(entry)
        return sorted(ranked, key=lambda e: (-e["rate"], e["function"], e["check"]))

    def mistakes(self) -> list[dict]:
        """Known mistakes detected, most frequent first: key, text, students, functions, erratum."""
        found: dict[str, dict] = {}
        for r in self.rows:
            if r.hint:
                entry = found.setdefault(r.hint, {"key": r.hint, "text": r.hint_text, "students": [], "functions": [],
                                                  "erratum": ERRATUM_OF_HINT.get(r.hint, "")})
                if r.student not in entry["students"]:
                    entry["students"].append(r.student)
                if r.function not in entry["functions"]:
                    entry["functions"].append(r.function)
        for entry in found.values():
            entry["count"] = len(entry["students"])
        return sorted(found.values(), key=lambda e: (-e["count"], e["key"]))

    def faults(self) -> dict[str, list[dict]]:
        """Fault kind -> [{"student", "where"}], in FAULT_KINDS order (kinds with none left out)."""
        table: dict[str, list[dict]] = {}
        for s in self.students:
            for kind, where in s.faults:
                table.setdefault(kind, []).append({"student": s.student, "where": where})
        return {kind: table[kind] for kind in FAULT_KINDS if kind in table}

    def summary(self) -> dict:
        totals = [s.total for s in self.students]
        return {"students": len(self.students), "max": max((s.max for s in self.students), default=0.0),
                "mean": round(statistics.fmean(totals), 4) if totals else 0.0,
                "median": round(statistics.median(totals), 4) if totals else 0.0,
                "full_marks": sum(1 for s in self.students if s.max and s.total >= s.max),
                "isolation": sorted({s.isolation for s in self.students if s.isolation}),
                "seconds": round(sum(s.seconds for s in self.students), 3)}

    def to_json(self) -> dict:
        """class.json: the same figures as the page."""
        return {"language": self.language, "summary": self.summary(), "function_max": self.function_max(),
                "function_means": self.function_means(), "students": [asdict(s) for s in self.students],
                "checks": self.check_ranking(), "mistakes": self.mistakes(), "faults": self.faults()}


# -- from batch records --------------------------------------------------------------------------------

def _counterexample(output: Any, language: str) -> str:
    if isinstance(output, Message) and output.key == "failing_call":
        call = dict(output.values).get("call")
        if call:
            return render(call, language)[:COUNTEREXAMPLE_CHARS]
    return ""


def _graded(output: Any) -> bool:
    """Whether a failure's output is the check's own (not the submission's: no file, no import)."""
    return not (isinstance(output, Message) and output.key in MISSING_NOTES + IMPORT_NOTES)


def _faults_of_report(report: Any, language: str = "en") -> list[tuple[str, str]]:
    """(kind, where) of a report: its sandbox faults by function, its missing files, its import
    errors (with the error, as the student's code raised it: escaped where shown)."""
    faults = [(status, function) for function, status in sorted(report.faults.items()) if status in FAULT_KINDS]
    for note in report.notes:
        key = note.key if isinstance(note, Message) else ""
        values = dict(note.values) if isinstance(note, Message) else {}
        where = render(values.get("module") or values.get("name") or values.get("path") or "", "en")
        if key in MISSING_NOTES:
            faults.append(("missing", where or key))
        elif key in IMPORT_NOTES:
            problem = render(values.get("problem", ""), language)
            faults.append(("import", f"{where}.py: {problem}"[:COUNTEREXAMPLE_CHARS] if problem else where))
    return faults


@lru_cache(maxsize=4096)
def _title(check: str, language: str) -> str:
    """A check's title (the same few hundred for every student of a class)."""
    return title(check).text(language)


def student_from_record(record: dict, language: str, name: str | None = None) -> tuple[StudentView, list[CheckRow]]:
    """A batch state record (``batch.grade_record``) as one student and their rows."""
    from ..core.report import Report

    report = Report.from_json(record["report"])
    student = name or str(record.get("key", ""))
    rows = [CheckRow(student, r.function, r.check, _title(r.check, language), r.score, r.max_score,
                     r.hint.key if isinstance(r.hint, Message) else "", render(r.hint, language),
                     "" if r.passed else _counterexample(r.output, language), r.visibility,
                     "" if r.passed else render(r.output, language)[:COUNTEREXAMPLE_CHARS],
                     r.passed or _graded(r.output))
            for r in report.results]
    view = StudentView(student, report.score, report.max_score,
                       {f: got for f, (got, _) in report.by_function().items()},
                       round(float(record.get("seconds", report.execution_time)), 3),
                       render(report.isolation, language).split(":")[0], _faults_of_report(report, language),
                       [render(n, language) for n in report.notes])
    return view, rows


def record_name(record: dict) -> str:
    """The name a record's student goes by: its people's (as in the gradebook), else its key."""
    people = record.get("people") if isinstance(record.get("people"), list) else []
    names = [str(p.get("student") or p.get("name") or "") for p in people if isinstance(p, dict)]
    return ", ".join(n for n in names if n) or str(record.get("key", ""))


def from_records(records: Iterable[dict], language: str = "pt", errors: dict[str, str] | None = None,
                 names: dict[str, str] | None = None) -> ClassView:
    """The class of batch records (``errors``: students the batch could not grade, key -> problem;
    ``names``: their names, key -> name)."""
    students, rows = [], []
    for record in sorted(records, key=lambda r: str(r.get("key", ""))):
        view, found = student_from_record(record, language, record_name(record))
        students.append(view)
        rows += found
    for key, problem in sorted((errors or {}).items()):
        students.append(StudentView((names or {}).get(key, key), 0.0, 0.0, faults=[("error", problem)]))
    return ClassView(students, rows, language)


# -- from Gradescope results.json files (text only) ------------------------------------------------------

def _template_pattern(template: str) -> re.Pattern:
    """A message template as a regular expression (``{name}`` -> a lazy group), found anywhere."""
    parts, seen, pattern = re.split(r"\{(\w+)(?:![rsa])?\}", template), set(), ""
    for i, part in enumerate(parts):
        if i % 2 == 0:
            pattern += re.escape(part)
        else:  # a value named twice ("{module}.py (or {module}.ipynb)") is the same text twice
            pattern += f"(?P={part})" if part in seen else f"(?P<{part}>.+?)"
            seen.add(part)
    return re.compile(pattern)


def _patterns(keys: Iterable[str]) -> list[tuple[str, re.Pattern]]:
    return [(key, _template_pattern(table[key])) for key in keys for table in CATALOGUES.values() if key in table]


_HINT_PATTERNS = _patterns(k for k in CATALOGUES["en"] if k.startswith("hint_") and k != "hint_label")
_FAULT_PATTERNS = [(kind, pattern) for kind, key in (("timeout", "call_timeout"), ("crashed", "call_crashed"),
                                                     ("budget", "call_budget"))
                   for _, pattern in _patterns([key])]
_NOTE_PATTERNS = ([("import", p) for _, p in _patterns(IMPORT_NOTES)]
                  + [("missing", p) for _, p in _patterns(["missing_module", "does_not_exist", "unreadable_zip"])])
_CALL_PATTERNS = [re.compile(p.pattern.replace("(?P<problem>.+?)", "")) for _, p in _patterns(["failing_call"])]


def _hint_in(text: str) -> str:
    for key, pattern in _HINT_PATTERNS:
        if pattern.search(text):
            return key
    return ""


def _call_in(text: str) -> str:
    for pattern in _CALL_PATTERNS:
        match = pattern.match(text)
        if match:
            return match.group("call")[:COUNTEREXAMPLE_CHARS]
    return ""


_ITEM = re.compile(r"^- (?:✅|❌) \*\*(?P<title>.*?)\*\* \((?P<word>[^,]*), (?P<score>[\d.]+) / (?P<max>[\d.]+)\)$")
_MD_ESCAPE = re.compile(r"\\([\\`*_\[\]#+\-=!|>~<.)])")


def _plain(markdown: str) -> str:
    """Literal text written by ``core/gradescope_rows.md_text``, back as it was."""
    return html.unescape(_MD_ESCAPE.sub(r"\1", markdown))


def _checks_of(test: dict) -> list[dict]:
    """A results.json row as its checks: a grouped Markdown row (``module.function: public
    checks``, one list item per check, ``core/gradescope_rows.py``) gives one entry per item;
    any other row is one check itself."""
    function = str(test.get("name", "")).partition(": ")[0]
    if test.get("output_format") != "md":
        return [test]
    checks: list[dict] = []
    for line in str(test.get("output") or "").splitlines():
        item = _ITEM.match(line.rstrip())
        if item:
            checks.append({"name": f"{function}: {_plain(item['title'])}", "score": float(item["score"]),
                           "max_score": float(item["max"]), "visibility": test.get("visibility", "visible"),
                           "output": ""})
        elif checks and line.strip():
            checks[-1]["output"] += _plain(line.strip()) + "\n"
    return checks or [test]


def student_from_results(results: dict, student: str, language: str) -> tuple[StudentView, list[CheckRow]]:
    """A Gradescope results.json (grouped Markdown rows of ``core/gradescope_rows.py``, or tests
    named ``module.function: title``) as one student."""
    rows, faults = [], []
    for test in (check for row in results.get("tests", []) for check in _checks_of(row)):
        function, _, shown = str(test.get("name", "")).partition(": ")
        output = str(test.get("output") or "")
        score, most = float(test.get("score") or 0.0), float(test.get("max_score") or 0.0)
        hint = _hint_in(output) if score < most else ""
        submission_level = any(pattern.search(output) for _, pattern in _NOTE_PATTERNS)  # not this call's fault
        rows.append(CheckRow(student, function, shown, shown, score, most, hint,
                             render(Message(hint), language) if hint else "",
                             _call_in(output) if score < most else "",
                             "public" if test.get("visibility", "visible") == "visible" else "hidden",
                             output.splitlines()[0][:COUNTEREXAMPLE_CHARS] if score < most and output else "",
                             not (score < most and submission_level)))
        for kind, pattern in _FAULT_PATTERNS:
            if score < most and not submission_level and pattern.search(output) and (kind, function) not in faults:
                faults.append((kind, function))
    summary = str(results.get("output") or "")
    for kind, pattern in _NOTE_PATTERNS:
        for match in pattern.finditer(summary):
            where = match.groupdict().get("module") or match.groupdict().get("path") or match.groupdict().get("name", "")
            if (kind, where) not in faults:
                faults.append((kind, where))
    per_function: dict[str, float] = {}
    for r in rows:
        per_function[r.function] = round(per_function.get(r.function, 0.0) + r.score, 4)
    extra = results.get("extra_data") or {}
    view = StudentView(student, round(float(results.get("score", sum(r.score for r in rows))), 4),
                       round(sum(r.max for r in rows), 4), per_function, float(results.get("execution_time") or 0.0),
                       str(extra.get("isolation") or "").split(":")[0], faults)
    return view, rows


# -- reading a folder -------------------------------------------------------------------------------------

class NotARecordsFolder(ValueError):
    """The folder holds neither batch records nor results.json files."""


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def load(folder: str | Path, language: str = "pt") -> ClassView:
    """The class of a batch's records folder, of a gradebook (its ``.dlgrade-batch`` records), or of
    a folder of Gradescope results (``<student>/results.json`` or ``<student>.json``)."""
    folder = Path(folder)
    if folder.is_file() and folder.suffix in (".csv", ".xlsx"):  # the gradebook: its state folder
        from .batch import State
        folder = State(folder).folder
    records, results = [], []
    for path in sorted(folder.glob("*.json")) + sorted(folder.glob("*/results.json")) if folder.is_dir() else []:
        data = _read_json(path)
        if isinstance(data, dict) and isinstance(data.get("report"), dict) and "key" in data:
            records.append(data)
        elif isinstance(data, dict) and isinstance(data.get("tests"), list):
            results.append((path.parent.name if path.name == "results.json" else path.stem, data))
    if records:
        return from_records(records, language)
    if results:
        students, rows = [], []
        for name, data in sorted(results):
            view, found = student_from_results(data, name, language)
            students.append(view)
            rows += found
        return ClassView(students, rows, language)
    raise NotARecordsFolder(str(folder))
