"""Where a student's grading time goes, per kind of student (correct, buggy, hostile).

Grades the mixed class of ``bench_batch.py`` (N submissions, default 12) one student at a time in
this process, with the kit's own context and plan, as a batch grader does, and splits each
student's wall time into:

- start: the worker's start and stop (bubblewrap or the uid sandbox, the interpreter, numpy, the
  student's imports: ``Worker.spawn``, ``load``, ``stop``, restarts after a fault);
- calls: waiting on the worker for answers (``Worker.call_many`` that ended normally);
- deadlines: waiting that ended in a timeout or the budget (hangs: a call or an import that never
  answered);
- checks: the grader's own work (reading the submission, generating inputs, the oracles,
  comparing): the rest of ``engine.grade``;
- render: the record's results.json, the report's JSON and the feedback text (``batch.grade_record``
  and ``batch.record_text``).

The split comes from timers wrapped around those methods in this process only (each interval is
charged to the innermost one: a stop inside a timed-out call is start, not deadlines); grading
itself is unchanged, and the totals are printed to compare with ``dlgrade grade``. CPU seconds
per student are this process's and its finished children's (the workers), from getrusage.

Usage: python bench/bench_profile.py [N]   (default 12; 30 give every hostile kind; run it under ``nice``; say the load average with the
figures, as the output does)
"""

from __future__ import annotations

import functools
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

SEGMENTS = ("start", "calls", "deadlines", "checks", "render")
FAULTS = ("timeout", "budget")
# bench_batch.HOSTILE, in order (student i is hostile when i % 6 == 5, of kind i % 5)
HOSTILE_KINDS = ("exit@import", "hang", "flood@import", "memory bomb", "empty")


class Clock:
    """Exclusive time per segment: an interval belongs to the innermost timed method running."""

    def __init__(self) -> None:
        self.totals = dict.fromkeys(SEGMENTS, 0.0)
        self.stack: list[list[float]] = []  # [exclusive seconds so far, resumed at]

    def enter(self) -> None:
        now = time.perf_counter()
        if self.stack:
            self.stack[-1][0] += now - self.stack[-1][1]
        self.stack.append([0.0, now])

    def leave(self, segment: str) -> None:
        now = time.perf_counter()
        spent, since = self.stack.pop()
        self.totals[segment] += spent + now - since
        if self.stack:
            self.stack[-1][1] = now

    def reset(self) -> None:
        self.totals = dict.fromkeys(SEGMENTS, 0.0)


CLOCK = Clock()


def _timed(method, label):
    """``method`` charging its own time to ``label(result)``."""
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        CLOCK.enter()
        result = None
        try:
            result = method(*args, **kwargs)
            return result
        finally:
            CLOCK.leave(label(result))
    return wrapper


def _answers_label(answers) -> str:
    return "deadlines" if any(a is not None and a.status in FAULTS for a in answers or []) else "calls"


def _load_label(failure) -> str:
    return "deadlines" if failure is not None and failure.status in FAULTS else "start"


def instrument() -> None:
    from autograder.core.sandbox.client import Worker

    Worker.spawn = _timed(Worker.spawn, lambda _: "start")
    Worker.stop = _timed(_counting_descendants(Worker.stop), lambda _: "start")
    Worker.load = _timed(Worker.load, _load_label)
    Worker.call_many = _timed(Worker.call_many, _answers_label)


# CPU seconds of workers that getrusage(RUSAGE_CHILDREN) never sees: under bubblewrap the worker
# is bwrap's child, killed with it and reaped by no one here, so its time is read from /proc just
# before each stop (the 2026-12-07 figure, 0.60 CPU-s per correct student, missed it)
UNREAPED = [0.0]
TICK = os.sysconf("SC_CLK_TCK")


def _descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        parent = queue.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found += children
            queue += children
    return found


def _process_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


SEEN: dict[int, float] = {}  # per process: its CPU seconds at its last reading


def _counting_descendants(stop):
    """``Worker.stop`` that first adds to UNREAPED the CPU its process's descendants spent since
    they were last read: all of a worker's (bwrap's child), and for a worker forked by a template
    (template.py), the fork's and what the template itself spent since the previous student."""
    @functools.wraps(stop)
    def wrapper(self, *args, **kwargs):
        if self.process is not None:
            for pid in _descendants(self.process.pid):
                spent = _process_cpu(pid)
                UNREAPED[0] += spent - SEEN.get(pid, 0.0)
                SEEN[pid] = spent
        return stop(self, *args, **kwargs)
    return wrapper


def cpu() -> float:
    """This process's CPU seconds and its workers' (reaped children, and unreaped descendants)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime + UNREAPED[0]


def profile(path: Path, context, checks) -> tuple[dict[str, float], float, float]:
    """(seconds per segment, wall seconds, CPU seconds) of grading and rendering one student."""
    from autograder.core.engine import grade
    from autograder.core.report import results_json
    from autograder.fronts import batch

    CLOCK.reset()
    before, started = cpu(), time.perf_counter()
    CLOCK.enter()
    report = grade(path, context, checks)
    CLOCK.leave("checks")
    CLOCK.enter()
    record = {"results": results_json(report, language=context.language), "report": report.to_json()}
    batch.record_text(record, context.language)
    CLOCK.leave("render")
    return dict(CLOCK.totals), time.perf_counter() - started, cpu() - before


def main() -> None:
    import bench_batch

    from autograder.fronts.settings import context as kit_context, kit_plan

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 12
    tmp = Path(tempfile.mkdtemp(prefix="dlgrade-profile-"))
    try:
        bench_batch.KIT = ROOT
        names = bench_batch.make_class(tmp / "class", n)
        context = kit_context()
        checks = kit_plan(context)
        instrument()
        profile(ROOT / "solutions", context, checks)  # warm: the bank, the imports, the caches
        rows: dict[str, list[tuple[dict, float, float]]] = {}
        names_of: dict[str, list[str]] = {}
        for name in names:
            path = tmp / "class" / name if (tmp / "class" / name).exists() else tmp / "class" / f"{name}.zip"
            rows.setdefault(name.split("-")[1], []).append(profile(path, context, checks))
            names_of.setdefault(name.split("-")[1], []).append(name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{n} students graded one at a time in one process; isolation {context.isolation.level}; "
          f"{len(os.sched_getaffinity(0))} cores; load average {load}")
    print(f"medians per kind (s):  {'kind':<8} {'n':>3} " + " ".join(f"{s:>9}" for s in SEGMENTS)
          + f" {'wall':>7} {'CPU':>7}")
    for kind in ("correct", "buggy", "hostile"):
        found = rows.get(kind, [])
        if not found:
            continue
        medians = [statistics.median(r[0][s] for r in found) for s in SEGMENTS]
        print(f"{'':<22} {kind:<8} {len(found):>3} " + " ".join(f"{m:>9.3f}" for m in medians)
              + f" {statistics.median(r[1] for r in found):>7.3f} {statistics.median(r[2] for r in found):>7.3f}")
    # hostile students differ in kind (an exit at import, a hang, a flood...): a median hides them
    for name, (segments, wall, spent) in zip(names_of.get("hostile", []), rows.get("hostile", [])):
        what = HOSTILE_KINDS[int(name[1:4]) % len(HOSTILE_KINDS)]
        print(f"{'':<22} {what:<12}" + " ".join(f"{segments[s]:>9.3f}" for s in SEGMENTS)
              + f" {wall:>7.3f} {spent:>7.3f}")
    correct = rows.get("correct", [])
    if correct:
        print(f"CPU seconds per correct student (grader + its workers): median "
              f"{statistics.median(r[2] for r in correct):.3f}, min {min(r[2] for r in correct):.3f}")


if __name__ == "__main__":
    main()
