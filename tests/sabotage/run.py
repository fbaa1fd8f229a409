"""Measure the suite's kill rate on the security code: apply each sabotage, run the tests that
cover it, count the sabotages some test catches.

    .venv/bin/python tests/sabotage/run.py            # every sabotage (about 40 minutes)
    .venv/bin/python tests/sabotage/run.py --list     # what each one breaks
    .venv/bin/python tests/sabotage/run.py -k uid     # those whose name contains "uid"
    .venv/bin/python tests/sabotage/run.py --check    # the catalogue itself (texts, selectors; ~3 min)

A sabotage is a semantic change to the sandbox, the loader, the engine's scoring or the
release's filtering (``catalogue.py``): the kind of regression a careless edit makes, each
weakening a guarantee the README states. Each runs in a fresh copy of the kit (the copy first on
``PYTHONPATH``), against the tests listed with it; it is *killed* when they fail. A surviving
sabotage is a blind spot: it becomes a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
COPIED = ("autograder", "reference", "solutions", "tests", "assignments", "docs", "pyproject.toml")


@dataclass(frozen=True)
class Sabotage:
    name: str
    breaks: str  # the guarantee it weakens
    file: str
    old: str
    new: str
    tests: tuple[str, ...]


def hostile(*cases: str) -> tuple[str, ...]:
    return ("tests/test_hostile.py", "-k", " or ".join(cases))


ISO = "autograder/core/sandbox/isolation.py"
WORKER = "autograder/core/sandbox/worker.py"
CLIENT = "autograder/core/sandbox/client.py"
PROTOCOL = "autograder/core/sandbox/protocol.py"
FORKSERVER = "autograder/core/sandbox/forkserver.py"
LOADER = "autograder/core/loader.py"
FILES = "autograder/core/files.py"
ENGINE = "autograder/core/engine.py"
RELEASE = "autograder/fronts/release.py"
GUARANTEES = "tests/test_guarantees.py"

SABOTAGES = [
    # -- the sandbox -------------------------------------------------------------------------------
    Sabotage("uid level without a network namespace", "no network at 'uid'", ISO,
             "            _unshare_network()", "            pass", (GUARANTEES, "-k", "connection or network")),
    Sabotage("bubblewrap shares the network", "no network at 'bubblewrap'", ISO,
             '"--unshare-net", ', "", (GUARANTEES, "-k", "connection or network")),
    Sabotage("bubblewrap shares the pid namespace", "the grader's processes are invisible", ISO,
             '"--unshare-pid", ', "", (GUARANTEES, "-k", "process")),
    Sabotage("no RLIMIT_NPROC", "no fork, no thread, no daemon", ISO,
             "            resource.setrlimit(resource.RLIMIT_NPROC, (1, 1))", "            pass",
             (GUARANTEES, "-k", "processes")),
    Sabotage("no file-size limit", "16 MB per file", ISO,
             "        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))", "        pass",
             (GUARANTEES, "-k", "processes")),
    Sabotage("no CPU-time limit", "CPU seconds limited", ISO,
             "        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))", "        pass",
             (GUARANTEES, "-k", "processes")),
    Sabotage("no open-files limit", "64 open files", ISO,
             "        resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))",
             "        pass", (GUARANTEES, "-k", "processes")),
    Sabotage("the machine's strongest level not used", "the strongest isolation the machine offers", ISO,
             '"none" if os.geteuid() != 0 else "bubblewrap" if _bwrap_usable() else "uid")',
             '"none" if os.geteuid() != 0 else "uid")', (GUARANTEES, "-k", "strongest")),
    Sabotage("uid level without chroot", "no kit file readable at 'uid'", ISO,
             '            command.append("--chroot")', "            pass",
             ("tests/test_isolation_levels.py", "-k", "uid-10_read_kit_files")),
    Sabotage("the worker keeps root", "an unprivileged uid", WORKER,
             "        os.setuid(uid)", "        pass", (GUARANTEES, "-k", "processes")),
    Sabotage("no memory limit in the worker", "a 4 GB allocation raises MemoryError", WORKER,
             "        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))", "        pass",
             hostile("08_memory_bomb")),
    Sabotage("no forbidden-import message", "a forbidden import is reported", WORKER,
             "    sys.meta_path.insert(0, _Blocker())", "    pass", (GUARANTEES, "-k", "forbidden")),
    Sabotage("the worker sees the grader's environment", "no grader secret reaches a worker", CLIENT,
             "env=worker_environment(self.environment)", "env=dict(os.environ)",
             (GUARANTEES, "-k", "variable_of_the_graders")),
    Sabotage("answers not matched to their request", "forged answer frames are skipped", CLIENT,
             '                if reply.get("seq") == sequence:', "                if True:",
             hostile("24_forged_answer_frames")),
    Sabotage("no process-group kill", "every process the submission started is gone", CLIENT,
             "            os.killpg(process.pid, signal.SIGKILL)", "            pass", (GUARANTEES, "-k", "end_with_it")),
    Sabotage("endless output never stops the worker", "output floods stop the worker", CLIENT,
             "FLOOD_BYTES = 256 << 20", "FLOOD_BYTES = 1 << 60",
             ("tests/test_engine.py", "-k", "endless_printing")),
    Sabotage("the call deadline ignored", "a hang costs one deadline", CLIENT,
             "            timeout = min(self.call_timeout, max(self.budget.deadline() - started, 0.05))",
             "            timeout = max(self.budget.deadline() - started, 0.05)",
             ("tests/test_engine.py", "-k", "hanging")),
    Sabotage("a templated worker keeps every scratch folder in view", "a worker sees only its own scratch folder",
             FORKSERVER, '    _check(_libc.umount2(SLOTS.encode(), MNT_DETACH), "umount /slots")', "    pass",
             (GUARANTEES, "-k", "finds_nothing")),
    Sabotage("a templated worker shares the template's network", "namespaces of its own per student", FORKSERVER,
             "CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS", "CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS",
             (GUARANTEES, "-k", "(connection and template) or finds_nothing")),
    Sabotage("a templated worker shares the template's pid namespace", "the grader's processes are invisible",
             FORKSERVER, '    _check(_libc.unshare(CLONE_NEWPID), "unshare pid")', "    pass",
             (GUARANTEES, "-k", "other_process and template")),
    Sabotage("a templated worker keeps root", "student code runs unprivileged", FORKSERVER,
             "    os.setuid(uid)\n", "    pass\n", (GUARANTEES, "-k", "unprivileged and template")),
    Sabotage("a busy hang waits for the wall-clock deadline", "a hang is stopped by the CPU it spends",
             CLIENT, "                    elif used - watched > allowance():", "                    elif False:",
             (GUARANTEES, "-k", "busy_hang")),
    Sabotage("a fault charged to the call awaited", "a hang costs its own call, not a quick one sent before it",
             CLIENT, "                if culprit is not None:", "                if False:",
             (GUARANTEES, "-k", "calls_sent_together")),
    Sabotage("modified inputs taken on the worker's word", "inputs not modified is observed by the grader",
             CLIENT, "                mine = {i for i, at, data in sent.shared if self._arena[at:at + len(data)] != data}",
             "                mine = set()", hostile("14_monkeypatch_numpy_builtins")),
    Sabotage("any dtype accepted from a worker", "answers are plain numeric arrays", PROTOCOL,
             "    if dtype_str not in ALLOWED_DTYPES:", "    if False:",
             ("tests/test_engine.py", "-k", "protocol")),
    Sabotage("answers of any size", "the grader's memory is bounded", PROTOCOL,
             "MAX_ANSWER_BYTES = 32 << 20", "MAX_ANSWER_BYTES = 256 << 20", (GUARANTEES, "-k", "answer_size")),
    Sabotage("the worker outlives grading", "no process is left after grading", ENGINE,
             "            worker.stop()", "            pass", hostile("04_sys_exit_in_call")),
    # -- the loader -----------------------------------------------------------------------------------
    Sabotage("folders that are not the student's searched", "modules only from the student's folders", LOADER,
             '        if part in FOREIGN_FOLDERS or part.startswith(".") or folder in marked:', "        if False:",
             ("tests/test_engine.py", "-k", "own_folders")),
    Sabotage("links followed in a folder", "links in folders are never followed", FILES,
             "                if entry.is_symlink():\n                    continue\n"
             "                if entry.is_dir(follow_symlinks=False):\n"
             "                    if depth < max_depth:\n"
             "                        stack.append((Path(entry.path), depth + 1))\n"
             "                elif entry.is_file(follow_symlinks=False):",
             "                if entry.is_dir():\n"
             "                    if depth < max_depth:\n"
             "                        stack.append((Path(entry.path), depth + 1))\n"
             "                elif entry.is_file():", hostile("35_folder_symlinks", "70_folder_link")),
    Sabotage("folder depth unbounded", "every walk of student files is bounded", FILES,
             "                    if depth < max_depth:", "                    if True:",
             hostile("36_folder_nested")),
    Sabotage("a zip member's declared size trusted", "a member is read to at most 2 MiB", LOADER,
             "                data = member.read(MAX_FILE_BYTES + 1)  # never trust the declared size",
             "                data = member.read()", hostile("31_zip_bomb")),
    Sabotage("every code file reaches the worker", "a json.py or numpy.py is never imported", LOADER,
             '        if stem in MODULES and suffix in (".py", ".ipynb") and stem not in chosen:',
             '        if suffix in (".py", ".ipynb") and stem not in chosen:', hostile("25_shadow_modules")),
    Sabotage("a failing notebook cell stops the module", "a cell that raises costs only what it defines",
             LOADER, "    except (Exception, SystemExit) as _dlgrade_error:",
             "    except ZeroDivisionError as _dlgrade_error:", ("tests/test_engine.py", "-k", "failing_notebook")),
    # -- the engine's scoring -----------------------------------------------------------------------
    Sabotage("a check that crashes counts as passed", "a check that raises is a failed check", ENGINE,
             '        return Outcome(False, say("check_crashed", error=f"{type(exc).__name__}: {exc}"))',
             "        return Outcome(True)", (GUARANTEES, "-k", "raises")),
    Sabotage("a failed check keeps its points", "points only for passed checks", ENGINE,
             "    return CheckResult(exercise.function, check.name, 0.0, check.points, check.visibility, detail, "
             "outcome.hint,", "    return CheckResult(exercise.function, check.name, check.points, check.points, "
             "check.visibility, detail, outcome.hint,", ("tests/test_engine.py", "-k", "hanging")),
    Sabotage("a missing function is not named", "a missing function costs its points, with a clear message",
             ENGINE, "    if exercise.name not in worker.functions.get(exercise.module, []):", "    if False:",
             (GUARANTEES, "-k", "missing_function")),
    Sabotage("an import failure costs every module", "a broken module costs only its own points", ENGINE,
             "                _fail_all(report, checks.module(module), problem)",
             "                _fail_all(report, list(checks.exercises), problem)",
             (GUARANTEES, "-k", "cannot_be_imported")),
    Sabotage("one slow module spends everyone's budget", "each module gets its share of the budget", ENGINE,
             "                budget.share(len(to_grade))", "                budget.share(1)",
             (GUARANTEES, "-k", "slow_module")),
    Sabotage("the grader's own work charged to the budget", "a slow grader costs a correct submission nothing",
             CLIENT, "        self._since: float | None = None\n", "        self._since: float | None = time.monotonic()\n",
             (GUARANTEES, "-k", "not_charged")),
    Sabotage("two gradings share a worker slot", "a worker cannot signal another grading's worker", ENGINE,
             "        slot, lease = lease_slot(slot)  # and none another grading on this machine is using",
             "        pass", (GUARANTEES, "-k", "signal_another")),
    Sabotage("a hang is retried on every example", "one bad function costs one deadline",
             "autograder/core/student.py", "        if function in self.faults:\n            return self.faults[function]\n",
             "", (GUARANTEES, "-k", "one_deadline")),
    Sabotage("a failing banked example is forgiven", "the same score with or without the bank",
             "autograder/core/checks/runner.py", "                break", "                return PASS",
             ("tests/test_determinism.py", "-k", "across_processes")),
    Sabotage("generation depends on the modules loaded", "the same examples in every process and install",
             "autograder/core/checks/runner.py", "    providers._get_local_constants = Constants",
             "    pass", ("tests/test_determinism.py", "-k", "modules_loaded")),
    # -- the release's filtering ----------------------------------------------------------------------
    Sabotage("hidden checks in the release", "the release holds no hidden check", RELEASE,
             "    ctx = context(public_only=True, bank=bank, oracles=oracles)",
             "    ctx = context(public_only=False, bank=bank, oracles=oracles)",
             ("tests/test_release.py", "-k", "hidden or exactly")),
    Sabotage("every stored value in the release bank", "the release bank holds what the public checks read",
             RELEASE, "dict(sorted(oracles.read.items()))", "dict(sorted(bank.expected.items()))",
             ("tests/test_release.py", "-k", "exactly")),
    Sabotage("catalogue code in the release", "no hidden check's code reaches students", RELEASE,
             '    "core/checks/properties.py", "core/checks/records.py", "core/checks/runner.py",',
             '    "core/checks/properties.py", "core/checks/records.py", "core/checks/runner.py", '
             '"core/checks/activations.py", "core/checks/strategies.py",',
             ("tests/test_release.py", "-k", "layout or hidden")),
    Sabotage("the reference in the release", "the release holds no reference", RELEASE,
             '    "__init__.py", "contract.py",', '    "__init__.py", "contract.py", "../reference/losses.py",',
             ("tests/test_release.py", "-k", "layout or no_reference")),
    Sabotage("an unverified release", "a release is verified before it replaces the last one", RELEASE,
             "        if check:\n            verify(", "        if False:\n            verify(",
             (GUARANTEES, "-k", "does_not_work")),
    Sabotage("the self-check on the kit's oracles", "a release needs no hidden file",
             "autograder/fronts/selfcheck.py",
             "bank=bank, oracles=BankedOracles(bank),", "bank=bank,", ("tests/test_release.py", "-k", "on_stubs_and_solutions")),
]


def _copy_kit(target: Path) -> None:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif source.is_file():
            shutil.copyfile(source, target / name)


def apply(sabotage: Sabotage, kit: Path) -> None:
    path = kit / sabotage.file
    text = path.read_text(encoding="utf-8")
    if text.count(sabotage.old) != 1:
        raise SystemExit(f"{sabotage.name}: the text to change occurs {text.count(sabotage.old)} times in "
                         f"{sabotage.file} (the code moved: update the catalogue)")
    path.write_text(text.replace(sabotage.old, sabotage.new), encoding="utf-8")


def run(sabotage: Sabotage) -> tuple[bool, float, str]:
    """(killed, seconds, the failing tests' summary)."""
    with tempfile.TemporaryDirectory(prefix="dlgrade-sabotage-") as folder:
        kit = Path(folder)
        _copy_kit(kit)
        apply(sabotage, kit)
        env = {**os.environ, "PYTHONPATH": str(kit), "PYTHONDONTWRITEBYTECODE": "1"}
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                               *sabotage.tests], cwd=kit, env=env, capture_output=True, text=True,
                              timeout=3600)
        seconds = time.monotonic() - started
    failed = [line for line in done.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
    if done.returncode == 5:  # a selector that matches no test kills nothing: counted as a survivor
        return False, seconds, f"no test ran ({' '.join(sabotage.tests)}): update its tests"
    return done.returncode != 0, seconds, "; ".join(failed)[:300]


def check_catalogue(chosen: list[Sabotage]) -> list[str]:
    """What is wrong with the catalogue itself: a text that does not occur exactly once in its
    file, tests that select nothing (pytest --collect-only, one process per sabotage)."""
    problems = []
    for sabotage in chosen:
        count = (ROOT / sabotage.file).read_text(encoding="utf-8").count(sabotage.old)
        if count != 1:
            problems.append(f"{sabotage.name}: its text occurs {count} times in {sabotage.file}")
        done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                               *sabotage.tests], cwd=ROOT, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            problems.append(f"{sabotage.name}: its tests select nothing ({' '.join(sabotage.tests)})")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true")
    parser.add_argument("-k", default="", help="only the sabotages whose name contains this")
    parser.add_argument("--check", action="store_true",
                        help="only check the catalogue: each text occurs once, each selector selects tests")
    options = parser.parse_args()
    chosen = [s for s in SABOTAGES if options.k in s.name]
    if options.check:
        problems = check_catalogue(chosen)
        print("\n".join(problems) or f"{len(chosen)} sabotages: every text occurs once, every selector selects tests")
        return 1 if problems else 0
    if options.list:
        for s in chosen:
            print(f"{s.name}: {s.breaks}\n    tests: {' '.join(s.tests)}")
        return 0
    killed = 0
    for number, sabotage in enumerate(chosen, 1):
        caught, seconds, failed = run(sabotage)
        killed += caught
        print(f"{number:2d}/{len(chosen)} {'killed  ' if caught else 'SURVIVED'} {sabotage.name} "
              f"({seconds:.0f} s){': ' + failed if failed else ''}", flush=True)
    print(f"\nkill rate: {killed} of {len(chosen)} sabotages caught ({100 * killed / max(len(chosen), 1):.0f} %)")
    return 0 if killed == len(chosen) else 1


if __name__ == "__main__":
    sys.exit(main())
