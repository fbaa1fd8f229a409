"""Grade one submission: load it, start its sandboxed worker, run the catalogue module by module.

The grader process never imports student code: it holds the catalogue, the reference and
the expected values; the worker holds only the student's modules and sends back plain arrays.
A module is imported in the worker when its turn comes, so a module cannot disturb the
grading of the modules before it; a module that fails to import leaves the worker to a fresh
process.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import bank
from .checks import MODULE_ORDER, PUBLIC, Exercise, catalogue
from .checks.base import Outcome
from .loader import load_submission
from .messages import say
from .report import CheckResult, Report
from .sandbox.client import Answer, Budget, Worker
from .sandbox.isolation import LEVEL_DESCRIPTIONS, Limits, detect_level, worker_uid


@dataclass(frozen=True)
class Settings:
    """How a submission is graded."""

    public_only: bool = False
    budget_seconds: float = 120.0
    call_timeout: float = 2.0
    limits: Limits = Limits()
    slot: int = 0  # distinguishes concurrent graders (batch jobs): own uids per slot


class WorkerStudent:
    """The checks' view of one student module: calls go to the submission's worker.

    A hang or crash of a function is remembered, so that one bad function costs one deadline,
    not one per example. Answers are kept by input, so the same call is made once (the worker
    seeds numpy's and Python's generators before every call: an answer depends only on its
    input). When the calls a check will make are known (``expect``: banked from a passing
    run), a call the check asks for is sent together with the next ones, pipelined, in chunks
    that double (per function) while the answers are ordinary and fast and fall back to one
    at a time after an error; a check that stops early wastes at most ``AHEAD_SECONDS`` of
    calls.
    """

    AHEAD_SECONDS = 0.2

    def __init__(self, worker: Worker, module: str):
        self.worker, self.module = worker, module
        self.faults: dict[str, Answer] = {}
        self.answers: dict[bytes, Answer] = {}
        self.made: list[tuple[str, tuple, dict]] | None = None  # the calls asked for, when recording
        self._script: list[tuple[bytes, tuple[str, tuple, dict]]] = []
        self._where: dict[bytes, int] = {}
        self._chunk: dict[str, int] = {}  # per function: how many calls to send at once

    def expect(self, calls: list[tuple[str, tuple, dict]]) -> None:
        """The calls the next check is expected to make, in order (a list the bank keeps)."""
        known = _SCRIPTS.get(id(calls))
        if known is None or known[0] is not calls:  # keyed once per process, not per student
            where: dict[bytes, int] = {}
            script = [(_call_key(*call), call) for call in calls]
            for index, (key, _) in enumerate(script):
                where.setdefault(key, index)
            known = _SCRIPTS[id(calls)] = (calls, script, where)
        _, self._script, self._where = known

    def call(self, function: str, *args: Any, **kwargs: Any) -> Answer:
        if self.made is not None:
            self.made.append((function, args, kwargs))
        if function in self.faults:
            return self.faults[function]
        key = _call_key(function, args, kwargs)
        answer = self.answers.get(key)
        if answer is None and key in self._where:
            self._send_ahead(self._where[key])
            answer = self.answers.get(key)
        if answer is None:
            answer = self.worker.call(self.module, function, args, kwargs)
            if answer.status != "budget":
                self.answers[key] = answer
        if answer.status in ("timeout", "crashed"):
            self.faults[function] = answer
        return answer

    def _send_ahead(self, start: int) -> None:
        """Make the expected calls from ``start`` on, a chunk of them, pipelined.

        A fault among them is kept as that call's answer, not yet as the function's: it counts
        only if the check asks for that very call, as it would have without sending ahead."""
        function = self._script[start][1][0]
        size = self._chunk.get(function, 1)
        chunk: dict[bytes, tuple[str, tuple, dict]] = {}
        for key, call in self._script[start:]:
            if len(chunk) >= size:
                break
            if key not in self.answers and call[0] not in self.faults:
                chunk.setdefault(key, call)
        began = time.monotonic()
        answers = self.worker.call_many(self.module, list(chunk.values()))
        each = (time.monotonic() - began) / max(len(chunk), 1)
        for key, answer in zip(chunk, answers):
            if answer is not None and answer.status != "budget":
                self.answers[key] = answer
        ordinary = all(a is not None and a.ok for a in answers)
        self._chunk[function] = (max(1, min(2 * size, int(self.AHEAD_SECONDS / max(each, 1e-6))))
                                 if ordinary else 1)


# banked call lists (kept alive here, so their ids stay theirs) -> (list, keyed script, first
# index of each key)
_SCRIPTS: dict[int, tuple[list, list, dict]] = {}


def _call_key(function: str, args: tuple, kwargs: dict) -> bytes:
    """The same bytes for equal calls (types, dtypes, shapes and values), fast; a rare
    difference for equal calls (one object passed twice) only costs a call to the worker."""
    return pickle.dumps((function, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)


def _prepare_scratch(root: Path, sources: dict[str, str], uid: int | None) -> Path:
    folder = Path(tempfile.mkdtemp(dir=root))
    for module, source in sources.items():
        (folder / f"{module}.py").write_text(source, encoding="utf-8")
    if uid is not None:
        os.chown(folder, uid, uid)
        os.chmod(folder, 0o700)
    return folder


def _check_output(outcome: Outcome) -> str:
    text = outcome.detail
    if "NotImplementedError" in text:
        return say("not_implemented")
    return text


def grade(path: str | Path, settings: Settings = Settings()) -> Report:
    """Grade the submission at ``path`` (folder, zip or notebooks) and return the report."""
    started = time.monotonic()
    level = detect_level()
    submission = load_submission(path)
    exercises = list(catalogue())
    timing = {"start-up": time.monotonic() - started}
    report = Report(notes=list(submission.notes), isolation=f"{level}: {LEVEL_DESCRIPTIONS[level]}")
    budget = Budget(settings.budget_seconds)
    root = Path(tempfile.mkdtemp(prefix="dlgrade-"))
    os.chmod(root, 0o711)
    worker: Worker | None = None
    try:
        if any(module in submission.sources for module in MODULE_ORDER):
            slot = settings.slot * len(MODULE_ORDER)  # uids of their own per batch slot
            uid = worker_uid(slot) if level != "none" else None
            worker = Worker(_prepare_scratch(root, submission.sources, uid), slot, Budget(budget.left()),
                            settings.limits, call_timeout=settings.call_timeout)
            worker.spawn()  # boots while the catalogue is prepared
        to_grade = [m for m in MODULE_ORDER if m in submission.sources and m not in submission.problems]
        for module in MODULE_ORDER:
            module_started = time.monotonic()
            module_exercises = [e for e in exercises if e.module == module]
            problem = submission.problems.get(module)
            if not problem and module in to_grade:
                # each module gets its share of what is left: a submission that is slow
                # everywhere cannot spend the time of the modules graded after it
                worker.budget.deadline = time.monotonic() + budget.left() / len(to_grade)
                to_grade.remove(module)
                failure = worker.load(module)
                if failure is not None:
                    problem = say("import_failed", module=module, problem=failure.describe())
            if problem:
                report.notes.append(problem)
                _fail_all(report, module_exercises, problem, settings)
                continue
            if module not in submission.sources:
                continue
            student = WorkerStudent(worker, module)
            for exercise in module_exercises:
                _grade_exercise(report, exercise, student, worker, settings)
            timing[module] = time.monotonic() - module_started
    finally:
        if worker is not None:
            worker.stop()
            for module, texts in worker.outputs.items():
                output = "\n".join(texts).strip()
                if output and module:
                    report.student_output[module] = output[:4000]
        shutil.rmtree(root, ignore_errors=True)
    bank.current().save()
    report.execution_time = time.monotonic() - started
    report.timing = {k: round(v, 3) for k, v in timing.items()}
    return report


def _selected(exercise: Exercise, settings: Settings):
    return [c for c in exercise.checks if not settings.public_only or c.visibility == PUBLIC]


def _fail_all(report: Report, exercises: list[Exercise], problem: str, settings: Settings) -> None:
    for exercise in exercises:
        for check in _selected(exercise, settings):
            report.results.append(CheckResult(exercise.function, check.name, 0.0, check.points,
                                              check.visibility, problem))


def _grade_exercise(report: Report, exercise: Exercise, student: WorkerStudent,
                    worker: Worker, settings: Settings) -> None:
    if exercise.name not in worker.functions.get(exercise.module, []):
        missing = say("missing_function", function=exercise.name, module=exercise.module)
        _fail_all(report, [exercise], missing, settings)
        return
    store = bank.current()
    for check in _selected(exercise, settings):
        banked = store.calls.get(check.title)
        student.expect(banked or [])
        student.made = [] if banked is None else None
        try:
            outcome = check.run(student)
        except Exception as exc:  # a defect of the kit must not cost the student silently
            outcome = Outcome(False, f"the grader could not run this check ({type(exc).__name__}: {exc})")
        if outcome.passed and student.made:
            store.record_calls(check.title, student.made)
        student.made = None
        score = check.points if outcome.passed else 0.0
        report.results.append(CheckResult(exercise.function, check.name, score, check.points,
                                          check.visibility, _check_output(outcome) if not outcome.passed else "",
                                          outcome.hint if not outcome.passed else ""))
