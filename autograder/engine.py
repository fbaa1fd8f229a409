"""Grade one submission: load it, start one sandboxed worker per module, run the catalogue.

The grader process never imports student code: it holds the catalogue, the reference and
the expected values; workers hold only the student's modules and send back plain arrays.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .checks import MODULE_ORDER, PUBLIC, Exercise, bank, catalogue
from .checks.base import Outcome
from .loader import load_submission
from .messages import say
from .report import CheckResult, Report
from .sandbox.client import Answer, Budget, ModuleWorker
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
    """The checks' view of one student module: calls go to its worker; a hang or crash of
    a function is remembered, so that one bad function costs one deadline, not one per example."""

    def __init__(self, worker: ModuleWorker):
        self.worker = worker
        self.faults: dict[str, Answer] = {}

    def call(self, function: str, *args: Any, **kwargs: Any) -> Answer:
        if function in self.faults:
            return self.faults[function]
        answer = self.worker.call(function, args, kwargs)
        if answer.status in ("timeout", "crashed"):
            self.faults[function] = answer
        return answer


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
    workers: dict[str, ModuleWorker] = {}
    try:
        for index, module in enumerate(MODULE_ORDER):
            if module not in submission.sources:
                continue
            slot = settings.slot * len(MODULE_ORDER) + index
            uid = worker_uid(slot) if level != "none" else None
            scratch = _prepare_scratch(root, submission.sources, uid)
            workers[module] = ModuleWorker(scratch, module, slot, Budget(budget.left()), settings.limits,
                                           call_timeout=settings.call_timeout)
        for worker in workers.values():
            worker.spawn()
        failures = {module: worker.start() for module, worker in workers.items()}
        timing["workers"] = time.monotonic() - started - timing["start-up"]
        to_grade = [m for m in MODULE_ORDER if m in workers and failures[m] is None
                    and m not in submission.problems]
        for module in MODULE_ORDER:
            problem = submission.problems.get(module)
            if module in failures and failures[module] is not None:
                failure = failures[module]
                problem = say("import_failed", module=module, problem=failure.describe())
            if problem:
                report.notes.append(problem)
            module_exercises = [e for e in exercises if e.module == module]
            if problem:
                _fail_all(report, module_exercises, problem, settings)
                continue
            # each module gets its share of what is left: a submission that is slow everywhere
            # cannot spend the time of the modules graded after it
            workers[module].budget.deadline = time.monotonic() + budget.left() / len(to_grade)
            to_grade.remove(module)
            student = WorkerStudent(workers[module])
            module_started = time.monotonic()
            for exercise in module_exercises:
                _grade_exercise(report, exercise, student, workers[module], settings)
            timing[module] = time.monotonic() - module_started
    finally:
        for module, worker in workers.items():
            worker.stop()
            output = "\n".join(worker.outputs).strip()
            if output:
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
                    worker: ModuleWorker, settings: Settings) -> None:
    if exercise.name not in (worker.functions or []):
        missing = say("missing_function", function=exercise.name, module=exercise.module)
        _fail_all(report, [exercise], missing, settings)
        return
    for check in _selected(exercise, settings):
        try:
            outcome = check.run(student)
        except Exception as exc:  # a defect of the kit must not cost the student silently
            outcome = Outcome(False, f"the grader could not run this check ({type(exc).__name__}: {exc})")
        score = check.points if outcome.passed else 0.0
        report.results.append(CheckResult(exercise.function, check.name, score, check.points,
                                          check.visibility, _check_output(outcome) if not outcome.passed else "",
                                          outcome.hint if not outcome.passed else ""))
