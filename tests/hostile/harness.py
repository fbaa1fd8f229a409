"""Shared machinery of the hostile corpus (tests/test_hostile.py, tests/test_isolation_levels.py).

A case is a folder of this directory, built into a submission by ``cases.py`` (which also writes
any case out for a reader): its module files appended to a copy of the correct solution, its
other files beside them. Cases that need an archive or an odd file are built by functions of
test_hostile.py.

Every case is graded through the real engine and checked for what the sandbox promises:
a valid results.json, within the time budget, the honest score (the attacked functions score
what they computed, which is nothing, and every other function keeps the reference score),
nothing secret in the report, no process of the sandbox's uids left, no file left behind
outside the scratch folder, the kit unchanged, and the grader's memory bounded.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder.core.messages import render
from autograder.core.report import Report, dump_json, results_json
from autograder.core.sandbox.isolation import Limits, worker_uid
from helpers import ROOT, grade, kit_context
from hostile.cases import HOSTILE, MODULES, SOLUTIONS

# Slot 1200 gives the corpus's workers uids 64600-64602: apart from `dlgrade grade` (slot 0) and
# `dlgrade batch` (slots 1, 2, ...) running on the same machine, so the process checks below see
# only processes this corpus started.
SLOT = int(os.environ.get("DLGRADE_HOSTILE_SLOT", "1200"))  # another slot: two corpus runs on one machine
BUDGET_SECONDS = 30.0
CALL_TIMEOUT = 1.0
# strict limits for every case: a broken defence fails a test instead of taking the machine down
LIMITS = Limits(cpu_seconds=30, memory_mb=384, file_size_mb=16, open_files=64)
CORPUS = {"budget_seconds": BUDGET_SECONDS, "call_timeout": CALL_TIMEOUT, "limits": LIMITS, "slot": SLOT}
# the correct solution, graded first in a process, computes every expected value (and imports
# torch and scikit-learn): its budget must not bind, or the baseline itself is short of points
BASELINE = {**CORPUS, "budget_seconds": 600.0}


def corpus_context(**settings):
    """The corpus's grading context, built when it is used (a test may force the isolation level
    through DLGRADE_ISOLATION first)."""
    return kit_context(**{**CORPUS, **settings})
# engine work outside the budget (loading, worker start-up, import timeouts of 10 s) on a loaded
# 2-core machine; a case that takes longer than budget + margin fails
MARGIN_SECONDS = 20.0
SANDBOX_UIDS = range(61000, 65001)
CORPUS_UIDS = frozenset(worker_uid(SLOT * len(MODULES) + i) for i in range(len(MODULES)))
CANARY_VARIABLE = "DLGRADE_HOSTILE_CANARY"
CANARY_VALUE = "canary-7f3e1c0a-the-grader-environment-must-not-leak"
REPORT_BYTES_LIMIT = 300_000  # a results.json above this means output was not bounded
GRADER_PEAK_MB = 300  # growth of the grader's resident memory allowed during one case


@dataclass(frozen=True)
class Expect:
    """What an honest grader gives a case.

    ``zero``: functions (``activations.relu``) or whole modules (``losses``) that must score 0;
    ``partial``: may score anything from 0 to full; every other function keeps the reference
    score. ``dangerous``: never run where workers are not isolated (level 'none'): it kills
    processes or forks daemons as the grader's own user. ``sealed``: reads what only an
    isolated worker cannot (installed packages), not run at 'none' either.
    """

    zero: tuple[str, ...] = ()
    partial: tuple[str, ...] = ()
    dangerous: bool = False
    sealed: bool = False  # holds only where the worker's file system is its own (not at 'none')
    note: str = ""


@dataclass
class Outcome:
    """One graded case, with everything the checks need."""

    report: Report | None  # None when read back from a results.json file
    results: dict
    text: str  # results.json as written
    seconds: float
    peak_mb: float | None
    isolation: str
    extra: dict = field(default_factory=dict)


# -- the checks ----------------------------------------------------------------------------------

def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(k) + _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def report_text(results: dict) -> str:
    """Every string of a results.json, decoded (what a student could read)."""
    return "\n".join(_strings(results))


@functools.cache
def secret_lines(baseline_text: str) -> tuple[str, ...]:
    """Lines of the reference and of the checks that an honest report never contains."""
    shared = "\n".join(p.read_text(encoding="utf-8") for p in SOLUTIONS.glob("*.py"))
    shared += "\n".join(p.read_text(encoding="utf-8") for p in HOSTILE.rglob("*.py"))
    lines = set()
    for folder in ("reference", "autograder/core/checks"):  # the worker may read its own code
        for path in (ROOT / folder).glob("*.py"):
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if len(line) >= 40 and line not in shared and line not in baseline_text:
                    lines.add(line)
    return tuple(sorted(lines))


def leaked(outcome: Outcome, baseline_text: str) -> list[str]:
    """Secrets found in the report: reference/check source lines, the grader's environment."""
    text = report_text(outcome.results)
    found = [line for line in secret_lines(baseline_text) if line in text]
    if CANARY_VALUE in text:
        found.append(f"{CANARY_VARIABLE} (the grader's environment)")
    return found


def _uid_of(pid: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("Uid:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def processes_of(uids) -> list[tuple[int, int, str]]:
    """(pid, uid, command) of every process whose real uid is in ``uids``."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        uid = _uid_of(pid)
        if uid is not None and uid in uids:
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as handle:
                    command = handle.read(300).replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                command = "?"
            found.append((int(pid), uid, command))
    return found


def leftover_processes(uids=CORPUS_UIDS, wait: float = 3.0) -> list[tuple[int, int, str]]:
    """Processes of ``uids`` still alive ``wait`` seconds after grading; they are then killed
    (by pid: this corpus started them) so that one failure does not leak into the next case."""
    deadline = time.monotonic() + wait
    while True:
        found = processes_of(uids)
        if not found or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    for pid, _, _ in found:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return found


KIT_FOLDERS = ("reference", "autograder", "solutions")


def kit_snapshot() -> dict[str, str]:
    """sha256 of every file of reference/, autograder/, solutions/ (bytecode caches aside)."""
    digests = {}
    for folder in KIT_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*")):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            digests[str(path.relative_to(ROOT))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


# strings the corpus's attacks write into any file they manage to open for writing
TAMPER_MARKERS = (b"grader sabotaged", b"FORGED BY THE SUBMISSION", b"HOSTILE", b"zip slip")


def kit_tampering(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Kit files a submission changed: new, changed or removed files whose change carries an
    attack's marker or a sandbox uid, and removed files.

    A bare before/after hash comparison (in CI, or with DLGRADE_HOSTILE_STRICT_KIT=1) blames whoever
    edits the kit while the corpus runs; a change made by an attack always carries one of the
    attack's markers (or the worker's uid, or is a deletion), so by default only those count.
    """
    found = []
    # CI (CI=true): nobody else edits the kit, so any change at all fails
    strict = os.environ.get("DLGRADE_HOSTILE_STRICT_KIT") == "1" or os.environ.get("CI") == "true"
    for name in sorted(set(before) | set(after)):
        if before.get(name) == after.get(name):
            continue
        if strict:
            found.append(f"{name} changed")
            continue
        path = ROOT / name
        if name not in after:
            found.append(f"{name} removed")
            continue
        try:
            data, owner = path.read_bytes(), path.stat().st_uid
        except OSError:
            continue
        if owner in SANDBOX_UIDS or any(marker in data for marker in TAMPER_MARKERS):
            found.append(f"{name} changed by the submission")
    return found


def files_owned_by(uids, folders) -> list[str]:
    """Files in ``folders`` (two levels deep, links not followed) owned by ``uids``."""
    found = []
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            try:
                info = entry.lstat()
            except OSError:
                continue
            if info.st_uid in uids:
                found.append(str(entry))
            elif entry.is_dir() and not entry.is_symlink() and info.st_uid == 0:
                try:
                    found += [str(p) for p in entry.iterdir() if p.lstat().st_uid in uids]
                except OSError:
                    pass
    return found


def shared_memory_of(uids) -> list[tuple[int, int]]:
    """(shmid, owner uid) of the System V shared memory segments owned by ``uids``."""
    found = []
    try:
        with open("/proc/sysvipc/shm") as handle:
            lines = handle.read().splitlines()[1:]
    except OSError:
        return found
    for line in lines:
        fields = line.split()
        if len(fields) > 7 and int(fields[7]) in uids:  # key shmid perms size cpid lpid nattch uid
            found.append((int(fields[1]), int(fields[7])))
    return found


def remove_shared_memory(segments) -> None:
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    for shmid, _ in segments:
        libc.shmctl(shmid, 0, None)  # IPC_RMID


def _peak_reset() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")  # resets VmHWM, the peak resident size
        return True
    except OSError:
        return False


def _status_kb(field_name: str) -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    return 0


def run_grade(path: Path, settings: dict | None = None) -> Outcome:
    """Grade ``path`` in this process through the real engine (the corpus's settings, or
    ``settings``); time and memory measured."""
    ctx = corpus_context(**(settings or {}))
    measured = _peak_reset()
    before = _status_kb("VmRSS")
    started = time.monotonic()
    report = grade(path, ctx)
    seconds = time.monotonic() - started
    peak = (_status_kb("VmHWM") - before) / 1024 if measured else None
    text = dump_json(results_json(report))
    return Outcome(report, json.loads(text), text, seconds, peak, render(report.isolation))


WRAPPER = textwrap.dedent("""
    import functools, sys
    import autograder.fronts.settings as settings
    from autograder.core.sandbox.isolation import Limits
    settings.context = functools.partial(settings.context, slot={slot}, budget_seconds={budget},
                                         call_timeout={timeout}, limits=Limits(**{limits!r}))
    from autograder.fronts.cli import main
    sys.exit(main(sys.argv[1:]))
""")


# a fresh grader process computes every expected value anew (the corpus's in-process runs share
# them): the command keeps its own default budget
CLI_BUDGET_SECONDS = 120.0  # GradingContext's default


def run_cli(path: Path, out: Path, cwd: Path,
            timeout: float = CLI_BUDGET_SECONDS + 120) -> subprocess.CompletedProcess:
    """``dlgrade grade PATH --format json --out OUT`` in a subprocess (the corpus's slot and
    limits patched in: the command line itself, with --out, is what a worker could read; the kit
    comes from PYTHONPATH)."""
    code = WRAPPER.format(slot=SLOT, budget=CLI_BUDGET_SECONDS, timeout=CALL_TIMEOUT,
                          limits=dataclasses.asdict(LIMITS))
    return subprocess.run([sys.executable, "-c", code, "grade", str(path), "--format", "json",
                           "--out", str(out)], cwd=cwd, capture_output=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(ROOT),
                               "DLGRADE_LANG": "en"})  # test names as the in-process baseline's


def summarize(name: str, outcome: Outcome, expect: Expect) -> None:
    """One line per case in $DLGRADE_HOSTILE_SUMMARY (when set): what the grader said."""
    target = os.environ.get("DLGRADE_HOSTILE_SUMMARY")
    if not target:
        return
    said = []
    for test in outcome.results["tests"]:
        function = test["name"].split(":")[0]
        if function_matches(function, expect.zero) and test["output"]:
            said.append(f"{function}: {test['output'][:160]}")
            break
    line = {"case": name, "seconds": round(outcome.seconds, 1), "score": outcome.results["score"],
            "max": outcome.results["extra_data"]["max_score"], "zero": list(expect.zero),
            "partial": list(expect.partial), "said": said, "peak_mb": outcome.peak_mb,
            "isolation": outcome.isolation.split(":")[0]}
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line) + "\n")


def function_matches(function: str, patterns: tuple[str, ...]) -> bool:
    return any(function == p or function.split(".")[0] == p for p in patterns)


def check_results_json(outcome: Outcome, baseline: Outcome) -> None:
    """A results.json Gradescope accepts, consistent with itself and with the catalogue."""
    data = outcome.results
    assert isinstance(data["tests"], list) and data["tests"], "no tests in results.json"
    total = 0.0
    for test in data["tests"]:
        assert re.match(r"^(activations|losses|metrics)\.\w+: ", test["name"]), test["name"]
        assert 0 <= test["score"] <= test["max_score"], test
        assert test["status"] in ("passed", "failed")
        assert test["visibility"] in ("visible", "hidden", "after_due_date", "after_published")
        total += test["score"]
    assert abs(data["score"] - total) < 1e-6, "top-level score is not the sum of the tests"
    assert [t["name"] for t in data["tests"]] == [t["name"] for t in baseline.results["tests"]], \
        "the hostile submission changed which checks were run"
    assert data["extra_data"]["isolation"] == outcome.isolation
    assert len(outcome.text.encode()) < REPORT_BYTES_LIMIT, f"results.json is {len(outcome.text)} bytes"


def check_honest(outcome: Outcome, baseline: Outcome, expect: Expect) -> None:
    """The attacked functions earn nothing; every other function keeps its reference score."""
    got = outcome.results["extra_data"]["functions"]
    want = baseline.results["extra_data"]["functions"]
    assert list(got) == list(want)
    wrong = []
    for function, reference in want.items():
        score, most = got[function]["score"], got[function]["max_score"]
        if function_matches(function, expect.zero):
            if score != 0:
                wrong.append(f"{function}: {score} / {most}, expected 0 (the attack scored)")
        elif function_matches(function, expect.partial):
            if not 0 <= score <= most:
                wrong.append(f"{function}: {score} / {most}")
        elif score != reference["score"]:
            detail = [t["output"][:300] for t in outcome.results["tests"]
                      if t["name"].startswith(function + ":") and t["status"] == "failed"][:1]
            wrong.append(f"{function}: {score} / {most}, expected {reference['score']} {detail}")
    assert not wrong, "dishonest score:\n" + "\n".join(wrong)


def outcome_from_file(path: Path, seconds: float) -> Outcome:
    text = path.read_text(encoding="utf-8")
    results = json.loads(text)
    return Outcome(None, results, text, seconds, None, results["extra_data"]["isolation"])


def check_common(outcome: Outcome, baseline: Outcome, expect: Expect, budget: float = BUDGET_SECONDS) -> None:
    check_results_json(outcome, baseline)
    assert outcome.seconds <= budget + MARGIN_SECONDS, f"took {outcome.seconds:.1f} s"
    check_honest(outcome, baseline, expect)
    if outcome.peak_mb is not None:
        assert outcome.peak_mb < GRADER_PEAK_MB, f"the grader's memory grew by {outcome.peak_mb:.0f} MB"

