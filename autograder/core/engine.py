"""Grade one submission: load it, start its sandboxed worker, run a plan of checks module by module.

The grader process never imports student code: it holds the checks, the oracles and the
expected values; the worker holds only the student's modules and sends back plain arrays. A
module is imported in the worker when its turn comes, so a module cannot disturb the grading of
the modules before it; a module that fails to import leaves the worker to a fresh process.

The public API the fronts use: ``plan(exercises, context)`` (the checks a grading runs, with its
functions and totals) and ``grade(path, context, plan)`` (a ``Report``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..contract import MODULES
from . import plots
from .checks.records import PUBLIC, Exercise, Outcome
from .checks.runner import run_check
from .context import GradingContext
from .loader import load_submission
from .messages import say
from .report import CheckResult, Report
from .sandbox.client import Answer, Budget, Worker
from .sandbox.isolation import lease_slot, worker_uid
from .sandbox.template import template_for
from .student import WorkerStudent


@dataclass(frozen=True)
class Plan:
    """The checks a grading runs, in report order."""

    exercises: tuple[Exercise, ...]

    @property
    def functions(self) -> list[str]:
        return [e.function for e in self.exercises]

    @property
    def max_score(self) -> float:
        return round(sum(e.points for e in self.exercises), 4)

    def module(self, module: str) -> list[Exercise]:
        return [e for e in self.exercises if e.module == module]


def plan(exercises: Any, context: GradingContext) -> Plan:
    """The exercises with the checks ``context``'s visibility policy runs (empty ones left out)."""
    chosen = []
    for exercise in exercises:
        checks = tuple(c for c in exercise.checks if not context.public_only or c.visibility == PUBLIC)
        if checks:
            chosen.append(Exercise(exercise.function, checks))
    return Plan(tuple(chosen))


def _prepare_scratch(root: Path, sources: dict[str, str], uid: int | None) -> Path:
    folder = Path(tempfile.mkdtemp(dir=root))
    for module, source in sources.items():
        (folder / f"{module}.py").write_text(source, encoding="utf-8")
    if uid is not None:
        os.chown(folder, uid, uid)
        os.chmod(folder, 0o700)
    return folder


def _start_worker(root: Path, sources: dict[str, str], context: GradingContext,
                  budget: Budget) -> tuple[Worker, int | None]:
    """The submission's worker, booting, and the lease of its slot (None at level 'none')."""
    slot, lease = context.slot * len(MODULES), None  # uids of their own per batch slot
    if context.isolation.level != "none":
        slot, lease = lease_slot(slot)  # and none another grading on this machine is using
    uid = worker_uid(slot) if context.isolation.level != "none" else None
    worker = Worker(_prepare_scratch(root, sources, uid), slot, budget, context.isolation,
                    context.limits, call_timeout=context.call_timeout, import_timeout=context.import_timeout,
                    environment=context.environment)
    worker.spawn()  # boots while the grader prepares
    return worker, lease


def grade(path: str | Path, context: GradingContext, checks: Plan) -> Report:
    """Grade the submission at ``path`` (folder, zip or notebooks) with ``checks``."""
    started = time.monotonic()
    submission = load_submission(path, context.language)
    timing = {"start-up": time.monotonic() - started}
    report = Report(notes=list(submission.notes), isolation=say(context.isolation.message_key))
    budget = Budget(context.budget_seconds)
    needs_worker = any(module in submission.sources for module in MODULES)
    # with a worker template (bubblewrap), the scratch folders live where it can bind them
    template = template_for(context.isolation, context.environment) if needs_worker else None
    root = Path(tempfile.mkdtemp(prefix="dlgrade-", dir=template.folder if template is not None else None))
    os.chmod(root, 0o711)
    worker: Worker | None = None
    lease: int | None = None
    try:
        if needs_worker:
            worker, lease = _start_worker(root, submission.sources, context, budget)
        to_grade = [m for m in MODULES if m in submission.sources and m not in submission.problems]
        for module in MODULES:
            module_started = time.monotonic()
            problem = submission.problems.get(module)
            if not problem and module in to_grade:
                # each module gets its share of what is left: a submission that is slow
                # everywhere cannot spend the time of the modules graded after it
                budget.share(len(to_grade))
                to_grade.remove(module)
                failure = worker.load(module)
                if failure is not None:
                    problem = say("import_failed", module=module, problem=failure.describe())
            if problem:
                report.notes.append(problem)
                _fail_all(report, checks.module(module), problem)
                continue
            if module not in submission.sources:
                continue
            student = WorkerStudent(worker, module)
            for exercise in checks.module(module):
                _grade_exercise(report, exercise, student, worker, context)
            report.faults.update({f"{module}.{name}": answer.status for name, answer in student.faults.items()})
            if context.plots:
                _collect_plots(report, checks.module(module), student, worker, context)
            timing[module] = time.monotonic() - module_started
    finally:
        if worker is not None:
            worker.stop()
            report.restarts = worker.restarts
            for module, texts in worker.outputs.items():
                output = "\n".join(texts).strip()
                if output and module:
                    report.student_output[module] = output[:4000]
        if lease is not None:
            os.close(lease)  # the slot is free for another grading
        shutil.rmtree(root, ignore_errors=True)
    context.bank.save()
    report.execution_time = time.monotonic() - started
    report.timing = {k: round(v, 3) for k, v in timing.items()}
    return report


def _collect_plots(report: Report, exercises: list[Exercise], student: WorkerStudent, worker: Worker,
                   context: GradingContext) -> None:
    """The feedback page's plot values of the module's functions the student defined (not those
    that hung or crashed: they would cost another deadline), within the module's budget and
    ``plots.SECONDS`` (a slow function's curve is left out, not waited for)."""
    wanted = [e.function for e in exercises
              if e.name in worker.functions.get(e.module, []) and e.name not in student.faults]
    if wanted:
        report.plots.update(plots.collect(worker, exercises[0].module, wanted, context.oracles))


def _fail_all(report: Report, exercises: list[Exercise], problem: Any) -> None:
    for exercise in exercises:
        for check in exercise.checks:
            report.results.append(CheckResult(exercise.function, check.name, 0.0, check.points,
                                              check.visibility, problem))


def _run(check: Any, student: Any, context: GradingContext) -> Outcome:
    try:
        return run_check(check, student, context.oracles, context.bank)
    except Exception as exc:  # a defect of the kit must not cost the student silently
        return Outcome(False, say("check_crashed", error=f"{type(exc).__name__}: {exc}"))


def _result(exercise: Exercise, check: Any, outcome: Outcome) -> CheckResult:
    if outcome.passed:
        return CheckResult(exercise.function, check.name, check.points, check.points, check.visibility)
    detail = outcome.detail
    if detail is not None and "NotImplementedError" in detail:
        detail = say("not_implemented")
    return CheckResult(exercise.function, check.name, 0.0, check.points, check.visibility, detail, outcome.hint,
                       outcome.evidence)


def grade_exercise(exercise: Exercise, student: Any, context: GradingContext) -> list[CheckResult]:
    """Run every check of ``exercise`` against ``student`` (a sandboxed worker's module, or
    functions in a notebook kernel); one result per check.

    A ``WorkerStudent`` is told the calls each check made on a passing submission (banked), so
    that it sends them ahead, and records them the first time."""
    results: dict[int, CheckResult] = {}
    scripted = isinstance(student, WorkerStudent)
    order = _watching_last(exercise.checks)
    if scripted:
        # the calls of every check of the exercise, in order: those of the checks to come are
        # sent ahead with this one's (fewer, larger batches; answers are kept by input)
        student.expect(context.bank.scripts(tuple(check.title for _, check in order)))
    for index, check in order:
        if scripted:
            student.made = [] if context.bank.script(check.title) is None else None
        outcome = _run(check, student, context)
        if scripted:
            if outcome.passed and student.made:
                context.bank.record_calls(check.title, student.made)
            student.made = None
        results[index] = _result(exercise, check, outcome)
    return [results[index] for index in range(len(exercise.checks))]


def _watching_last(checks: tuple) -> list[tuple[int, Any]]:
    """(index, check) in the order to run them: the "inputs not modified" checks last, since they
    also judge every call the function's other checks made (results keep the report's order)."""
    watching = [all(step.prop == "unchanged" for step in c.steps) for c in checks]
    return ([(i, c) for i, c in enumerate(checks) if not watching[i]]
            + [(i, c) for i, c in enumerate(checks) if watching[i]])


def _grade_exercise(report: Report, exercise: Exercise, student: WorkerStudent, worker: Worker,
                    context: GradingContext) -> None:
    if exercise.name not in worker.functions.get(exercise.module, []):
        _fail_all(report, [exercise], say("missing_function", function=exercise.name, module=exercise.module))
        return
    report.results.extend(grade_exercise(exercise, student, context))


__all__ = ["Plan", "plan", "grade", "grade_exercise", "Answer"]
