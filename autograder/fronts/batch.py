"""Grade a class folder: one gradebook row per student, feedback files, resumable, in parallel.

``DIR`` holds one folder or ``.zip`` per student, or is a Gradescope "export submissions"
folder (``submission_metadata.yml`` mapping ``submission_<id>`` folders to their submitters).

How it runs: the parent process does the start-up work once (imports, the catalogue, the
isolation probe, the example bank), then forks ``--jobs`` grader processes ('fork' context).
Each takes the next student from a shared counter and grades it in its own main thread (the
sandbox's workers die with the thread that started them) with a ``GradingContext.slot`` of its own
(distinct sandbox uids). A finished student is recorded atomically as one JSON file in the
state folder ``.dlgrade-batch/<gradebook name>/`` next to the gradebook, keyed by a
fingerprint of the submission's bytes, the grading code and the settings: a batch interrupted
anyhow (Ctrl-C, SIGKILL, a reboot) and started again with the same arguments skips what is
finished. The parent alone writes the gradebook and the feedback files, atomically, after
every completion; a row per student is there from the start ("pending" until graded).

A grader process that dies or outlives the submission's budget is killed and replaced, and
that student's row says "error" (not recorded: a restart grades it again).

``shard`` (``--shard K/N``) grades one stable slice of the class and writes the shard's account
beside its records; ``merge.py`` joins the shards (``shards.py``).
"""

from __future__ import annotations

import csv
import ctypes
import hashlib
import io
import json
import multiprocessing
import multiprocessing.connection
import os
import re
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

STATE_FOLDER = ".dlgrade-batch"
METADATA = "submission_metadata.yml"
KIT_ROOT = Path(__file__).resolve().parent.parent.parent
# the code a grade depends on: a change to any of it makes recorded results stale
GRADING_CODE = ("autograder/core", "reference")
WATCHDOG_MARGIN = 60.0
# grader processes that die before taking a student: past this many in a row, the batch stops
# (a defect of the kit; replacing them forever kept a batch running with no end)
MAX_IDLE_DEATHS = 5  # seconds beyond the submission's budget before a grader is killed


@dataclass
class Student:
    """One submission to grade and the people (gradebook rows) it counts for."""

    key: str  # unique and file-name safe: state and feedback file names
    path: Path
    people: list[dict[str, str]] = field(default_factory=list)  # {"student", "name", "email"}
    problem: Any = None  # a Message: why this entry is not graded (its row says so)


# -- finding the students ---------------------------------------------------------------------------

def _safe_key(name: str, taken: set[str]) -> str:
    key = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "student"
    candidate, n = key, 2
    while candidate in taken:
        candidate, n = f"{key}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _load_yaml(text: str) -> Any:
    """Gradescope's metadata with a safe loader; Ruby tags (``!ruby/object:BigDecimal``) kept as
    plain values. Without PyYAML, a reader for the simple layout Gradescope writes."""
    try:
        import yaml
    except ImportError:
        return _parse_metadata_simple(text)

    class Loader(yaml.SafeLoader):
        pass

    def untagged(loader, suffix, node):
        if isinstance(node, yaml.MappingNode):
            return loader.construct_mapping(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        return loader.construct_scalar(node)

    Loader.add_multi_constructor("!", untagged)
    return yaml.load(text, Loader=Loader)  # noqa: S506 (a SafeLoader subclass)


def _parse_metadata_simple(text: str) -> dict:
    """``submission_<id>:`` blocks, each with a ``:submitters:`` list of ``- :name: ...`` items."""
    data: dict[str, dict] = {}
    current: dict | None = None
    person: dict | None = None
    list_indent = -1  # indentation of the ':submitters:' key while inside its list
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        line = raw.strip()
        if indent == 0:
            current = data.setdefault(line.rstrip(":").strip("'\""), {":submitters": []})
            person, list_indent = None, -1
            continue
        if current is None:
            continue
        item = line.startswith("- ")
        if list_indent >= 0 and (indent > list_indent or (item and indent == list_indent)):
            if item:
                person = {}
                current[":submitters"].append(person)
                line = line[2:].strip()
            key, _, value = line.partition(":")[2].partition(":")
            if person is not None:
                person[f":{key.strip()}"] = value.strip().strip("'\"")
            continue
        list_indent, person = -1, None
        if line.rstrip(":").strip() == ":submitters":
            list_indent = indent
    return data


def _resolved(path: Path) -> Path:
    """``path`` resolved; a link loop (RuntimeError before Python 3.13) stays as it is."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _plain_name(name: str) -> bool:
    """One entry of a folder: no separator, no '..', not absolute, nothing a path could follow."""
    return bool(name) and name not in (".", "..") and not any(c in name for c in "/\\\0") \
        and not Path(name).is_absolute()


def _entry_problem(path: Path, name: str) -> Any:
    """Why ``path`` (an entry of the batch folder) is not graded, or None."""
    from ..core.messages import say

    if path.is_symlink():
        return say("batch_link", name=name)
    return None


def _from_metadata(folder: Path, metadata: Path) -> list[Student]:
    from ..core.messages import say

    data = _load_yaml(metadata.read_text(encoding="utf-8")) or {}
    data = data if isinstance(data, dict) else {}
    students, taken = [], set()
    for name in sorted(data, key=str):
        entry = data[name] if isinstance(data[name], dict) else {}
        problem = None
        if not _plain_name(str(name)):  # no path taken from a file leaves the batch folder
            path, problem = folder / _safe_key(str(name), set()), say("batch_outside", name=name)
        else:
            path = folder / str(name)
            if not path.exists() and not path.is_symlink() and (folder / f"{name}.zip").exists():
                path = folder / f"{name}.zip"
            problem = _entry_problem(path, str(name))
        people = []
        for submitter in entry.get(":submitters") or entry.get("submitters") or []:
            if not isinstance(submitter, dict):
                continue
            get = lambda k: str(submitter.get(f":{k}") or submitter.get(k) or "")  # noqa: E731
            people.append({"student": get("sid") or get("email") or get("name") or str(name),
                           "name": get("name"), "email": get("email")})
        students.append(Student(_safe_key(str(name), taken), path,
                                people or [{"student": str(name), "name": "", "email": ""}], problem))
    return students


def discover(folder: str | Path, skip: Iterable[Path] = ()) -> list[Student]:
    """The students of a class folder (see the module's docstring), sorted by name."""
    from ..core.files import is_regular

    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(folder)  # the command line says it in the user's language
    skipped = {_resolved(Path(p)) for p in skip}
    entries = [p for p in sorted(folder.iterdir())
               if not p.name.startswith((".", "_")) and _resolved(p) not in skipped]
    metadata = folder / METADATA
    if not metadata.is_file():
        # an export unzipped into a folder of its own: that folder ALONE in the batch folder. A
        # roster inside one student's folder among others is that student's data, never the
        # class's (it credited one student with another's work)
        if len(entries) == 1 and entries[0].is_dir() and not entries[0].is_symlink() \
                and is_regular(entries[0] / METADATA):
            folder, metadata = entries[0], entries[0] / METADATA
    if metadata.is_file():
        return _from_metadata(folder, metadata)
    students, taken = [], set()
    for path in entries:
        if path.is_symlink() or path.is_dir() or path.suffix.lower() == ".zip":
            name = path.name[:-4] if path.suffix.lower() == ".zip" else path.name
            students.append(Student(_safe_key(name, taken), path,
                                    [{"student": name, "name": "", "email": ""}], _entry_problem(path, path.name)))
    return students


# -- fingerprints and the state folder -------------------------------------------------------------

def _hash_tree(h: "hashlib._Hash", path: Path) -> None:
    """The bytes of a file, or of the regular files of a folder (a bounded, iterative walk that
    opens nothing but regular files: core/files.py), with their paths."""
    from ..core.files import hash_regular, walk

    if path.is_symlink():
        h.update(b"<link>")
        return
    if path.is_file():
        hash_regular(path, h)
        return
    if not path.is_dir():
        h.update(b"<missing>")
        return
    for item in sorted(walk(path)):
        if "__pycache__" not in item.parts:
            h.update(item.relative_to(path).as_posix().encode("utf-8", "surrogateescape") + b"\0")
            inner = hashlib.sha256()
            hash_regular(item, inner)
            h.update(inner.digest())


def kit_fingerprint(context: Any) -> str:
    """The grading code and the context: results recorded under another fingerprint are stale."""
    h = hashlib.sha256(context.fingerprint().encode())
    for name in GRADING_CODE:
        _hash_tree(h, KIT_ROOT / name)
    return h.hexdigest()[:20]


def submission_fingerprint(path: Path, kit: str) -> str:
    h = hashlib.sha256(kit.encode())
    _hash_tree(h, path)
    return h.hexdigest()[:24]


class State:
    """One JSON record per finished student, written atomically."""

    def __init__(self, out: Path):
        self.folder = out.resolve().parent / STATE_FOLDER / out.name

    def clean(self) -> None:
        """Remove what a killed run may have left half-written (never read: names start with '.')."""
        for leftover in self.folder.glob(".*.json.*") if self.folder.is_dir() else []:
            leftover.unlink(missing_ok=True)

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def load(self, student: Student, fingerprint: str) -> dict | None:
        try:
            record = json.loads(self.path(student.key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return record if isinstance(record, dict) and record.get("fingerprint") == fingerprint else None

    def save(self, record: dict) -> None:
        from ..core.report import dump_json, write_atomic
        write_atomic(self.path(record["key"]), dump_json(record))


# -- one student -------------------------------------------------------------------------------------

def feedback_text(report: Any, language: str = "en") -> str:
    """The terminal report, as plain text."""
    from rich.console import Console

    from ..core.report import render_text

    buffer = io.StringIO()
    render_text(report, Console(file=buffer, width=110, color_system=None, force_terminal=False,
                                emoji=False, highlight=False), language)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def grade_record(student: Student, fingerprint: str, context: Any, checks: Any) -> dict:
    """Grade one student (from the calling process's main thread) into a state record.

    The record keeps the report itself; its text is rendered only where feedback files are
    written (rendering every report cost ~5% of a batch that asked for no feedback)."""
    from ..core.engine import grade
    from ..core.report import results_json

    report = grade(student.path, context, checks)
    return {"key": student.key, "fingerprint": fingerprint, "submission": str(student.path),
            "results": results_json(report, language=context.language), "report": report.to_json(),
            "seconds": round(report.execution_time, 3), "people": student.people}


def record_text(record: dict, language: str = "en") -> str:
    """The text report of a state record."""
    from ..core.report import Report

    return feedback_text(Report.from_json(record["report"]), language)


def scores(results: dict) -> tuple[float, float, dict[str, float]]:
    """(total, max, score per module.function) from a results.json."""
    per_function: dict[str, float] = {}
    maximum = 0.0
    for test in results.get("tests", []):
        function = test["name"].split(":")[0]
        per_function[function] = round(per_function.get(function, 0.0) + test["score"], 4)
        maximum += test["max_score"]
    return round(results.get("score", 0.0), 4), round(maximum, 4), per_function


# -- the grader processes --------------------------------------------------------------------------

def _die_with_parent(parent: int) -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


def _grader(slot: int, students: list[Student], fingerprints: list[str], counter: Any,
            conn: Any, context: Any, checks: Any, state: State, parent: int) -> None:
    """A forked grader: take the next student, grade it, record it, tell the parent."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)
    mine = context.with_(slot=slot)
    while True:
        with counter.get_lock():
            index = counter.value
            counter.value += 1
        if index >= len(students):
            break
        conn.send(("start", index))
        try:
            state.save(grade_record(students[index], fingerprints[index], mine, checks))
            conn.send(("done", index, ""))
        except Exception as exc:  # a defect of the kit: that row says so, the batch goes on
            conn.send(("error", index, f"{type(exc).__name__}: {exc}"[:300]))
    conn.close()
    from ..core.sandbox.template import close_templates
    close_templates()  # a forked process ends with os._exit: no atexit


@dataclass
class _Job:
    process: Any
    conn: Any
    slot: int
    current: int | None = None
    since: float = 0.0


def _drain(job: _Job, finish) -> None:
    """Handle every message the grader has sent so far (never blocks)."""
    try:
        while job.conn.poll():
            message = job.conn.recv()
            if message[0] == "start":
                job.current, job.since = message[1], time.monotonic()
            else:
                finish(job, message[1], message[2])
    except (EOFError, OSError):
        pass


# -- the batch ---------------------------------------------------------------------------------------

@dataclass
class BatchResult:
    rows: list[dict]
    graded: int  # graded by this run
    resumed: int  # found finished in the state folder
    errors: int
    regraded: list = field(default_factory=list)  # regrade.changes: students whose scores moved


def _columns(functions: list[str]) -> list[str]:
    return ["student", "name", "email", "submission", "total", "max", *functions, "status", "note"]


_SCORES: dict[int, tuple[dict, tuple]] = {}  # id(record) -> (record, its scores)


def _record_scores(record: dict) -> tuple[float, float, dict[str, float]]:
    """``scores`` of a record, computed once (the gradebook is rewritten after every student)."""
    known = _SCORES.get(id(record))
    if known is None or known[0] is not record:
        known = _SCORES[id(record)] = (record, scores(record["results"]))
    return known[1]


def _rows(students: list[Student], records: dict[str, dict], errors: dict[str, str],
          functions: list[str], max_score: float) -> list[dict]:
    rows = []
    for student in students:
        record = records.get(student.key)
        for person in student.people:
            row = {**person, "submission": student.path.name}
            if record is not None:
                total, most, per_function = _record_scores(record)
                row.update(total=f"{total:g}", max=f"{most:g}", status="graded")
                row.update({f: f"{per_function.get(f, 0.0):g}" for f in functions})
            elif student.key in errors:
                row.update(total="0", max=f"{max_score:g}", status=f"error: {errors[student.key]}")
                row.update({f: "0" for f in functions})
            else:
                row.update(total="", max=f"{max_score:g}", status="pending")
            rows.append(row)
    return rows


def write_gradebook(out: Path, rows: list[dict], functions: list[str]) -> None:
    from ..core.report import write_atomic

    from ..core.text import csv_cell

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_columns(functions), extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    # names, folder names and error texts may come from a submission: one line, no formula
    writer.writerows({key: csv_cell(value) for key, value in row.items()} for row in rows)
    write_atomic(out, buffer.getvalue())


def gradebook_rows(students: list[Student], records: dict[str, dict], errors: dict[str, str],
                   functions: list[str], max_score: float, language: str) -> list[dict]:
    """The gradebook's rows, the note column filled (issue 16)."""
    from .gradebooks import add_notes

    return add_notes(_rows(students, records, errors, functions, max_score), students, records, errors, language)


def write_book(out: Path, rows: list[dict], functions: list[str]) -> None:
    """The gradebook ``out`` as .csv or .xlsx (issue 16: gradebooks.py writes the other formats)."""
    if out.suffix.lower() == ".xlsx":
        from .gradebooks import write_xlsx
        write_xlsx(out, _columns(functions), rows, numeric=["total", "max", *functions])
        return
    write_gradebook(out, rows, functions)


def write_feedback(folder: Path, record: dict, language: str = "en", policy: Any = None) -> None:
    """The student's and the instructor's feedback of one record (``handback.write_feedback``;
    ``policy``: when hidden checks show, default ``after_published``, not published)."""
    from .handback import Policy, write_feedback as write_both

    write_both(folder, record, language, policy or Policy())


def _startup(context: Any) -> Any:
    """The once-per-batch work, inherited by every grader: imports, the plan of checks (and the
    example bank, loaded with the context)."""
    from ..core.engine import grade  # noqa: F401  (the whole grading path, imported before forking)
    from .settings import kit_plan

    return kit_plan(context)


class _Batch:
    """One run of ``run_batch``: the class, what is recorded, and the grader processes."""

    def __init__(self, folder: Path, out: Path, feedback: Path | None, context: Any, console: Any,
                 policy: Any = None, feedback_zip: Path | None = None, shard: Any = None):
        from .handback import Policy

        self.folder, self.out, self.feedback, self.context, self.console = folder, out, feedback, context, console
        self.policy, self.feedback_zip = policy or Policy(), feedback_zip
        self.students = discover(folder, skip=[p for p in (out, feedback, feedback_zip, out.parent / STATE_FOLDER) if p])
        self.class_keys = [s.key for s in self.students]  # the whole class, even when one shard is graded
        self.shard = shard  # shards.Shard: only its slice of the class is graded
        self.places = [i for i, s in enumerate(self.students) if shard is None or shard.holds(s.key)]
        self.students = [self.students[i] for i in self.places]
        self.checks = _startup(context)
        self.kit = kit = kit_fingerprint(context)
        self.state = State(out)
        self.records: dict[str, dict] = {}
        self.errors: dict[str, str] = {}
        self.fingerprints = [self.prepare(s, kit) for s in self.students]

    def prepare(self, student: Student, kit: str) -> str:
        """The submission's fingerprint; a failure costs that student's row only, with a note."""
        from ..core.messages import say

        if student.problem is None:
            try:
                return submission_fingerprint(student.path, kit)
            except Exception as exc:  # noqa: BLE001  (an unreadable file, a link swapped in...)
                student.problem = say("batch_prepare_failed", error=f"{type(exc).__name__}: {exc}")
        self.errors[student.key] = student.problem.text(self.context.language)
        return ""

    def say(self, key: str, **values: Any) -> str:
        """A console line or a gradebook status in the batch's language."""
        from ..core.messages import say

        return say(key, **values).text(self.context.language)

    def resume(self) -> int:
        """Load what an earlier run recorded; returns how many students that was (their feedback
        written again where it was written for another policy or language)."""
        from .handback import up_to_date

        self.state.clean()
        for leftover in self.out.parent.glob(f".{self.out.name}.*"):
            leftover.unlink(missing_ok=True)
        for student, fingerprint in zip(self.students, self.fingerprints):
            record = self.state.load(student, fingerprint)
            if record is not None:
                self.records[student.key] = record
                if self.feedback and not up_to_date(self.feedback, record, self.policy, self.context.language):
                    write_feedback(self.feedback, record, self.context.language, self.policy)
        self.write()
        return len(self.records)

    def rows(self) -> list[dict]:
        return gradebook_rows(self.students, self.records, self.errors, self.checks.functions,
                              self.checks.max_score, self.context.language)

    def write(self) -> None:
        write_book(self.out, self.rows(), self.checks.functions)

    def write_manifest(self) -> None:
        """A shard's account of itself, for ``merge`` (``shards.py``)."""
        from . import shards

        shards.write_manifest(self.state.folder, shards.manifest(
            self.shard, self.kit, self.checks, self.context.language, self.class_keys,
            list(zip(self.places, self.students, self.fingerprints)), self.errors))

    def record(self, student: Student, fingerprint: str, problem: str) -> None:
        """A student finished (or failed with ``problem``): record it, rewrite the gradebook."""
        if problem:
            self.errors[student.key] = problem
        else:
            record = self.state.load(student, fingerprint)
            if record is None:
                self.errors[student.key] = self.say("batch_unreadable_record")
            else:
                self.records[student.key] = record
                if self.feedback:
                    write_feedback(self.feedback, record, self.context.language, self.policy)
        self.write()


class _Graders:
    """The forked grader processes working through ``todo``, watched and replaced."""

    def __init__(self, batch: _Batch, todo: list[int], jobs: int, watchdog: float, progress: Any):
        self.batch, self.watchdog, self.progress = batch, watchdog, progress
        self.todo = [batch.students[i] for i in todo]
        self.fingerprints = [batch.fingerprints[i] for i in todo]
        self.forking = multiprocessing.get_context("fork")
        self.counter = self.forking.Value("i", 0)
        self.parent, self.next_slot = os.getpid(), 1  # slot 0 is left to a concurrent `dlgrade grade`
        self.task = progress.add_task(batch.say("batch_progress"), total=len(self.todo))
        self.finished = self.idle_deaths = 0
        self.live = [self.start() for _ in range(max(1, min(jobs, len(self.todo))))]

    def start(self) -> _Job:
        receiver, sender = self.forking.Pipe(duplex=False)
        slot, self.next_slot = self.next_slot, self.next_slot + 1
        process = self.forking.Process(target=_grader, name=f"dlgrade-grader-{slot}", daemon=False,
                                       args=(slot, self.todo, self.fingerprints, self.counter, sender,
                                             self.batch.context, self.batch.checks, self.batch.state, self.parent))
        process.start()
        sender.close()
        return _Job(process, receiver, slot)

    def finish(self, job: _Job, index: int, problem: str) -> None:
        job.current = None
        self.finished += 1
        self.progress.update(self.task, completed=self.finished)
        if problem:
            self.progress.console.print(self.batch.say("batch_error", student=self.todo[index].key, problem=problem),
                                        style="red", markup=False, highlight=False)
        self.batch.record(self.todo[index], self.fingerprints[index], problem)

    def run(self) -> None:
        """Until every student is done: wait for news, take it, replace graders that ended."""
        while self.live:
            self.progress.refresh()
            multiprocessing.connection.wait([j.conn for j in self.live] + [j.process.sentinel for j in self.live],
                                            timeout=0.5)
            for job in list(self.live):
                _drain(job, self.finish)
                overdue = job.current is not None and time.monotonic() - job.since > self.watchdog
                if overdue or not job.process.is_alive():
                    self.replace(job, overdue)

    def replace(self, job: _Job, overdue: bool) -> None:
        if overdue:
            job.process.kill()
        job.process.join()
        _drain(job, self.finish)  # what it sent before it ended
        job.conn.close()
        self.live.remove(job)
        if job.current is not None:
            self.finish(job, job.current, self.batch.say("batch_too_long") if overdue
                        else self.batch.say("batch_grader_died", status=job.process.exitcode))
            self.idle_deaths = 0
        else:
            self.idle_deaths += 1
        if self.idle_deaths > MAX_IDLE_DEATHS:
            raise RuntimeError(f"{self.idle_deaths} grader processes died before grading anyone "
                               f"(last exit status {job.process.exitcode}): a defect of the kit")
        if self.counter.value < len(self.todo):
            self.live.append(self.start())

    def stop(self) -> None:
        for job in self.live:
            job.process.kill()
            job.process.join()


def _progress(console: Any, say: Any) -> Any:
    from rich.markup import escape
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)

    return Progress(TextColumn("[bold]" + escape(say("batch_progress"))), BarColumn(), MofNCompleteColumn(),
                    TextColumn(escape(say("batch_elapsed"))), TimeElapsedColumn(), TextColumn(escape(say("batch_left"))),
                    TimeRemainingColumn(), console=console, auto_refresh=False, transient=False)


def run_batch(folder: str | Path, out: str | Path, jobs: int = 1, feedback: str | Path | None = None,
              context: Any = None, console: Any = None, watchdog: float | None = None,
              report: str | Path | None = None, exports: tuple[str, ...] = (), assignment: str = "dlgrade",
              hidden_visibility: str | None = None, published: bool = False,
              feedback_zip: str | Path | None = None, shard: Any = None) -> BatchResult:
    """Grade every student of ``folder`` into the gradebook ``out`` (see the module docstring).

    ``watchdog``: seconds after which a grader still on one student is killed (default: the
    submission's budget + WATCHDOG_MARGIN). Call from the main thread. Returns when every
    student has a row. ``report``: the class report's page (``classreport``); ``exports``:
    ``canvas``, ``moodle`` (``gradebooks``, the ``assignment``'s column); a regrade says what
    changed (``regrade``). ``hidden_visibility``, ``published``: when the student's version of the
    feedback shows hidden checks; ``feedback_zip``: the student's files for an LMS bulk upload
    (``handback``). ``shard`` (``shards.Shard``): grade only that slice of the class and write the
    shard's account for ``merge`` beside its records.
    """
    from rich.console import Console

    from . import regrade
    from .gradebooks import check_format
    from .gradescope import DEFAULT_HIDDEN_VISIBILITY
    from .handback import Policy
    from .settings import context as default_context

    check_format(out)  # before anything is graded: an unknown extension is refused
    context = context or default_context()
    console = console or Console(stderr=True)
    policy = Policy(hidden_visibility or DEFAULT_HIDDEN_VISIBILITY, published)  # a wrong one refused before grading
    batch = _Batch(Path(folder), Path(out), Path(feedback) if feedback else None, context, console, policy,
                   Path(feedback_zip) if feedback_zip else None, shard)
    from .shards import MANIFEST

    (batch.state.folder / MANIFEST).unlink(missing_ok=True)  # written again when this run finishes
    resumed = batch.resume()
    regrade.keep_previous(batch.state, batch.students, batch.fingerprints, set(batch.records))
    console.print(batch.say("batch_resumed" if resumed else "batch_students", count=len(batch.students),
                            folder=batch.folder, resumed=resumed, state=batch.state.folder), markup=False, highlight=False)
    pending = [i for i, s in enumerate(batch.students) if s.key not in batch.records and s.key not in batch.errors]
    if pending:
        progress = _progress(console, batch.say)
        graders = _Graders(batch, pending, jobs, watchdog if watchdog is not None
                           else context.budget_seconds + WATCHDOG_MARGIN, progress)
        progress.start()
        try:
            graders.run()
        except KeyboardInterrupt:
            graders.stop()
            progress.stop()
            batch.write()
            console.print(batch.say("batch_interrupted", graded=len(batch.records), total=len(batch.students)),
                          markup=False, highlight=False)
            raise
        progress.refresh()
        progress.stop()
    batch.write()
    if shard is not None:
        batch.write_manifest()
    rows = batch.rows()
    console.print(batch.say("batch_done_feedback" if batch.feedback else "batch_done", out=batch.out, rows=len(rows),
                            graded=len(batch.records) - resumed, resumed=resumed, errors=len(batch.errors),
                            feedback=batch.feedback), markup=False, highlight=False)
    from .afterbatch import after_batch  # issue 16: regrade, exports, class report

    changed = after_batch(batch, rows, report=report, exports=exports, assignment=assignment)
    return BatchResult(rows, len(batch.records) - resumed, resumed, len(batch.errors), changed)
