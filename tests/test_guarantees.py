"""The sandbox's and the engine's guarantees, each asserted directly (not through a side effect).

Each test names the property it protects, so that a sabotage of the security code (a removed
network namespace, a missing process limit, a check whose crash counts as a pass, a weaker
isolation level than the machine offers) fails a test that says what broke:

- no connection leaves a worker, at every isolated level: a real listener on the grading
  machine, reached through ctypes (numpy loads ctypes: the `socket` module is not needed);
- a worker cannot start a process or a thread (RLIMIT_NPROC = 1), observed from inside;
- a check that raises is a failed check with the kit's message, never a pass;
- grading uses the strongest isolation the machine offers.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from autograder.core.checks.records import PUBLIC, Check, Exercise, Step
from autograder.core.engine import grade_exercise
from autograder.core.bank import Bank
from autograder.core.checks.oracles import KitOracles
from autograder.core.sandbox.client import Budget, Worker
from autograder.core.sandbox.isolation import Isolation, Limits, lease_slot, probe, worker_uid
from autograder.core.sandbox.template import TemplateProcess, template_for
from helpers import SOLUTIONS, grade, kit_context

ROOT_GRADER = os.geteuid() == 0
ISOLATED_LEVELS = [level for level in ("bubblewrap", "uid") if ROOT_GRADER
                   and (level != "bubblewrap" or probe().level == "bubblewrap")]
# the bubblewrap level with the worker forked from this process's worker template (template.py)
# instead of started by a bubblewrap of its own: every guarantee holds for both
TEMPLATE = "template"
if ROOT_GRADER and "bubblewrap" in ISOLATED_LEVELS:
    ISOLATED_LEVELS.append(TEMPLATE)
SLOT = 1300  # uids of their own (61000 + 3 × 1300 ...), apart from the other tests' workers


def _isolation(level: str) -> Isolation:
    if level == TEMPLATE:
        return Isolation("bubblewrap")
    return Isolation(level, chroot=level == "uid" and probe("uid").chroot)


def _scratch(level: str) -> Path:
    """A scratch folder for a worker at ``level`` (in the template's folder for TEMPLATE)."""
    parent = None
    if level == TEMPLATE:
        template = template_for(Isolation("bubblewrap"), ())
        assert template is not None, "no worker template at the bubblewrap level"
        parent = template.folder
    return Path(tempfile.mkdtemp(prefix="dlgrade-guarantee-", dir=parent))


def _forked_as_asked(level: str, worker: Worker) -> None:
    """The worker was forked by the template exactly when ``level`` is TEMPLATE."""
    assert isinstance(worker.process, TemplateProcess) == (level == TEMPLATE), (level, type(worker.process))

CONNECT = '''
import sys, struct

def probe(port):
    """Connect to 127.0.0.1:port with raw libc calls; also try a raw socket. Returns what worked."""
    ctypes = sys.modules["ctypes"]  # numpy itself imports ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.socket(2, 1, 0)  # AF_INET, SOCK_STREAM
    address = struct.pack("<H", 2) + struct.pack("!H", int(port)) + bytes([127, 0, 0, 1]) + bytes(8)
    connected = libc.connect(fd, ctypes.c_char_p(address), len(address)) == 0
    if connected:
        libc.send(fd, ctypes.c_char_p(b"LEAKED"), 6, 0)
    raw = libc.socket(2, 3, 6)  # AF_INET, SOCK_RAW, IPPROTO_TCP
    return [float(connected), float(raw >= 0)]
'''

LIMITS_PROBE = '''
import sys

def probe():
    """RLIMIT_NPROC as the worker sees it, and whether a fork and a thread start."""
    import os
    resource = sys.modules["resource"]
    soft, hard = resource.getrlimit(resource.RLIMIT_NPROC)
    try:
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        forked = 1.0
    except OSError:
        forked = 0.0
    import threading
    try:
        thread = threading.Thread(target=lambda: None)
        thread.start()
        thread.join()
        threaded = 1.0
    except RuntimeError:
        threaded = 0.0
    limits = [float(resource.getrlimit(getattr(resource, name))[0])
              for name in ("RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_NOFILE", "RLIMIT_CORE")]
    return [float(soft), float(hard), forked, threaded, float(os.getuid()), float(os.getgid())] + limits
'''


def _call(level: str, source: str, *args) -> np.ndarray:
    """``probe(*args)`` from ``source``, in a worker at ``level``; its answer's value."""
    scratch = _scratch(level)
    try:
        (scratch / "probe.py").write_text(source, encoding="utf-8")
        isolation = _isolation(level)
        uid = 61000 + (3 * SLOT) % 4000
        if level != "none":
            os.chown(scratch, uid, uid)
        worker = Worker(scratch, 3 * SLOT, Budget(60), isolation, Limits(cpu_seconds=30, memory_mb=384))
        try:
            answer = worker.call("probe", "probe", args)
            _forked_as_asked(level, worker)
        finally:
            worker.stop()
        assert answer.ok, f"{level}: the probe did not answer: {answer.describe()}"
        return np.asarray(answer.value)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture()
def listener():
    """A TCP listener on the grading machine's loopback; ``accepted`` counts its connections."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    accepted: list[bytes] = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(1)
                try:
                    accepted.append(connection.recv(64))
                except OSError:
                    accepted.append(b"")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join()
    server.close()


@pytest.mark.parametrize("level", ISOLATED_LEVELS)
def test_no_connection_leaves_an_isolated_worker(level, listener):
    port, accepted = listener
    connected, raw = _call(level, CONNECT, port)
    assert not accepted and connected == 0, (
        f"{level}: a worker reached a listener on the grading machine (network namespace missing?)")
    assert raw == 0, f"{level}: a worker opened a raw socket"


def test_the_network_probe_can_connect_where_nothing_isolates(listener):
    """The same probe without isolation ('none': a student's own run) does connect: the test
    above would see a missing network namespace."""
    port, accepted = listener
    connected, _ = _call("none", CONNECT, port)
    assert connected == 1
    for _ in range(50):
        if accepted:
            break
        threading.Event().wait(0.05)
    assert accepted == [b"LEAKED"]


@pytest.mark.parametrize("level", ISOLATED_LEVELS)
def test_an_isolated_worker_runs_unprivileged_limited_and_cannot_start_processes_or_threads(level):
    soft, hard, forked, threaded, uid, gid, cpu, file_size, files, core = _call(level, LIMITS_PROBE)
    assert (cpu, file_size, files, core) == (30, 16 << 20, 64, 0), (
        f"{level}: limits (cpu s, file bytes, open files, core) = {(cpu, file_size, files, core)}, "
        f"expected (30, {16 << 20}, 64, 0)")
    assert uid == gid == 61000 + (3 * SLOT) % 4000, f"{level}: the worker runs as uid {uid:g}, gid {gid:g}"
    assert (soft, hard) == (1, 1), f"{level}: RLIMIT_NPROC is ({soft:g}, {hard:g}), expected (1, 1)"
    assert forked == 0, f"{level}: the worker forked"
    assert threaded == 0, f"{level}: the worker started a thread"


PROCESSES_PROBE = '''
import os

def probe():
    """The processes this worker can see in /proc (none where /proc is not mounted)."""
    try:
        return [float(entry) for entry in os.listdir("/proc") if entry.isdigit()]
    except OSError:
        return []
'''


@pytest.mark.parametrize("level", ISOLATED_LEVELS)
def test_an_isolated_worker_sees_no_other_process(level):
    """/proc is the worker's own (a pid namespace) or absent (chroot): no grader, no other student."""
    visible = _call(level, PROCESSES_PROBE)
    assert len(visible) <= 2, f"{level}: the worker sees {len(visible)} processes: {sorted(visible)[:20]}"


ENVIRONMENT_PROBE = '''
import os
import numpy as np

def probe():
    """The worker's whole environment, one NAME=value a line, as bytes."""
    text = "\\n".join(f"{name}={value}" for name, value in sorted(os.environ.items()))
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8).copy()
'''


@pytest.mark.parametrize("level", ISOLATED_LEVELS + ["none"])
def test_no_variable_of_the_graders_environment_reaches_a_worker(level, monkeypatch):
    """The worker's environment is exactly ``worker_environment()``: a secret the grader holds
    (a token, a password in its environment) is not there, at any level."""
    from autograder.core.sandbox.isolation import SANDBOX_ROOT, worker_environment

    monkeypatch.setenv("DLGRADE_TEST_GRADER_SECRET", "s3cr3t-canary-7f1d")
    seen = bytes(_call(level, ENVIRONMENT_PROBE).astype(np.uint8)).decode("utf-8")
    assert "s3cr3t-canary-7f1d" not in seen, f"{level}: the grader's secret reached the worker"
    variables = dict(line.partition("=")[::2] for line in seen.splitlines() if line)
    if level in ("bubblewrap", TEMPLATE):  # bwrap --chdir sets PWD (the template too): the worker's own folder
        assert variables.pop("PWD", SANDBOX_ROOT) == SANDBOX_ROOT, variables
    names = set(variables)
    assert names == set(worker_environment()), (
        f"{level}: the worker's environment holds {sorted(names - set(worker_environment()))} "
        f"beyond {sorted(worker_environment())}")


FORBIDDEN_PROBE = '''
def probe():
    import torch  # noqa: F401  (the kit's message, not a bare ModuleNotFoundError)
    return torch.ones(1)
'''


@pytest.mark.parametrize("level", ISOLATED_LEVELS + ["none"])
def test_a_forbidden_import_is_reported_as_such(level):
    scratch = _scratch(level)
    try:
        (scratch / "probe.py").write_text(FORBIDDEN_PROBE, encoding="utf-8")
        if level != "none":
            uid = 61000 + (3 * SLOT) % 4000
            os.chown(scratch, uid, uid)
        worker = Worker(scratch, 3 * SLOT, Budget(60), _isolation(level), Limits(cpu_seconds=30, memory_mb=384))
        try:
            answer = worker.call("probe", "probe", ())
            _forked_as_asked(level, worker)
        finally:
            worker.stop()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    assert answer.status == "error" and "not allowed in a submission: use numpy only" in answer.message, (
        f"{level}: {answer.status} {answer.message}")


CHILD_PROBE = '''
import os, time

def probe():
    pid = os.fork()
    if pid == 0:
        os.close(1)  # lets go of the output pipe: stopping the worker is not held up by it
        os.close(2)
        time.sleep(120)
        os._exit(0)
    return [float(pid)]
'''


def test_the_processes_a_worker_started_end_with_it():
    """Where a worker may fork (level 'none': a student's own run), stopping it stops its children."""
    scratch = Path(tempfile.mkdtemp(prefix="dlgrade-guarantee-"))
    try:
        (scratch / "probe.py").write_text(CHILD_PROBE, encoding="utf-8")
        worker = Worker(scratch, 3 * SLOT, Budget(60), Isolation("none"), Limits(cpu_seconds=30, memory_mb=384))
        answer = worker.call("probe", "probe", ())
        assert answer.ok, answer.describe()
        child = int(np.asarray(answer.value)[0])
        worker.stop()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for _ in range(40):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        threading.Event().wait(0.05)
    os.kill(child, 9)
    pytest.fail(f"the worker's child {child} outlived it")


LARGE_PROBE = '''
import numpy as np

def probe():
    return np.zeros(5 << 20)  # 40 MiB of float64
'''


def test_an_answer_above_the_answer_size_bound_is_refused():
    """A worker's answer is at most 32 MiB (the grader's memory stays bounded): a larger one is an
    invalid answer, never read."""
    scratch = Path(tempfile.mkdtemp(prefix="dlgrade-guarantee-"))
    try:
        (scratch / "probe.py").write_text(LARGE_PROBE, encoding="utf-8")
        worker = Worker(scratch, 3 * SLOT, Budget(60), Isolation("none"), Limits(cpu_seconds=30, memory_mb=512))
        try:
            answer = worker.call("probe", "probe", ())
        finally:
            worker.stop()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    assert answer.status == "invalid" and answer.message.key == "invalid_size", (answer.status, answer.message)


@contextlib.contextmanager
def _probe_worker(level: str, source: str, call_timeout: float):
    """A worker at ``level`` with ``source`` as module ``probe``, imported (scratch readable by
    every uid); stopped and its scratch folder removed on the way out."""
    scratch = _scratch(level)
    try:
        (scratch / "probe.py").write_text(source, encoding="utf-8")
        os.chmod(scratch, 0o755)
        os.chmod(scratch / "probe.py", 0o644)
        worker = Worker(scratch, 3 * SLOT, Budget(60), _isolation(level), Limits(cpu_seconds=30, memory_mb=384),
                        call_timeout=call_timeout)
        try:
            worker.load("probe")
            _forked_as_asked(level, worker)
            yield worker
        finally:
            worker.stop()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


BATCH_PROBE = '''
import os, time

def quick(x):
    if x == 5:
        while True:
            pass
    if x == 15:
        os._exit(3)
    return x * 2

def slow_after_quick(x):
    if x == 5:
        time.sleep(0.6)
    return x + 1
'''


@pytest.mark.parametrize("level", ["none", probe().level] + ([TEMPLATE] if TEMPLATE in ISOLATED_LEVELS else []))
def test_calls_sent_together_charge_a_hang_or_a_crash_to_the_call_that_caused_it(level):
    """Calls sent in one batch whose quick answers are held back for one write (protocol.GROUP_SECONDS):
    a hang or a crash is the fault of the call that was running (the worker's progress mark), never
    of a quick call before it, whose answer is simply asked again; a call slower than the group's
    window but under its deadline still answers."""
    with _probe_worker(level, BATCH_PROBE, call_timeout=1.0) as worker:
        hung = worker.call_many("probe", [("quick", (x,), {}) for x in range(10)])
        crashed = worker.call_many("probe", [("quick", (x,), {}) for x in range(10, 20)])
        slow = worker.call_many("probe", [("slow_after_quick", (x,), {}) for x in range(8)])
    assert hung[5] is not None and hung[5].status == "timeout", [a and a.status for a in hung]
    assert all(a is None or (a.ok and int(a.value) == 2 * x) for x, a in enumerate(hung[:5])), \
        [a and a.status for a in hung]
    assert hung[6:] == [None] * 4
    assert crashed[5] is not None and crashed[5].status == "crashed", [a and a.status for a in crashed]
    assert all(a is None or a.ok for a in crashed[:5]) and crashed[6:] == [None] * 4
    assert [a.status for a in slow] == ["ok"] * 8 and [int(a.value) for a in slow] == list(range(1, 9))


CPU_PROBE = '''
import time
import numpy as np

def spin(x):
    while True:
        pass

def nap(x):
    time.sleep(0.5)
    return x

def loop(x):
    return np.array([v * 2.0 + np.tanh(v) for v in x])
'''


@pytest.mark.parametrize("level", ["none", probe().level] + ([TEMPLATE] if TEMPLATE in ISOLATED_LEVELS else []))
def test_a_busy_hang_is_stopped_by_its_cpu_time_and_slow_correct_calls_are_not(level):
    """A call that keeps the CPU busy is a timeout once it spends its CPU allowance (client.
    cpu_allowance: 0.25 s and 50 µs per input element), long before the wall-clock deadline (6 s
    here); a call that sleeps within the deadline, and a Python loop over 1,000 elements, answer."""
    with _probe_worker(level, CPU_PROBE, call_timeout=6.0) as worker:
        began = time.monotonic()
        spun = worker.call("probe", "spin", (np.zeros(3),))
        spent = time.monotonic() - began
        napped = worker.call("probe", "nap", (np.zeros(3),))
        looped = worker.call("probe", "loop", (list(range(1000)),))
    assert spun.status == "timeout" and spent < 3.0, (spun.status, spent)
    assert napped.ok and looped.ok and looped.value.shape == (1000,), (napped.status, looped.status)


LEFTOVER_PROBE = '''
import os
import numpy as np

PLACES = ("/sandbox", "/tmp", "/dev/shm", "/var/tmp", "/run", "/", "/slots", "/opt/dlgrade")

def leave():
    """Write a marker file wherever this worker can: 1.0 per place that took it."""
    made = []
    for place in PLACES:
        try:
            with open(os.path.join(place, "left-by-the-previous-student"), "w") as marker:
                marker.write("x")
            made.append(1.0)
        except OSError:
            made.append(0.0)
    return np.array(made)

def namespaces():
    """The inode numbers of this worker's namespaces (mount, pid, network, IPC, UTS)."""
    return np.array([float(os.readlink(f"/proc/self/ns/{kind}").split("[")[1].rstrip("]"))
                     for kind in ("mnt", "pid", "net", "ipc", "uts")])

def find():
    """1.0 per place where a marker is found, then 1.0 if anything is in /slots (where the
    template sees every scratch folder; the worker sees at most the empty mount point)."""
    found = [float(os.path.exists(os.path.join(place, "left-by-the-previous-student"))) for place in PLACES]
    return np.array(found + [float(os.path.isdir("/slots") and bool(os.listdir("/slots")))])
'''


@pytest.mark.skipif(TEMPLATE not in ISOLATED_LEVELS, reason="no bubblewrap here: no worker template")
def test_a_worker_forked_from_the_template_finds_nothing_an_earlier_student_left():
    """Two students, forked from one template with the same uid: each has namespaces of its own
    (compared while both live: a dead namespace's number is reused); what the first writes (its
    scratch folder is the only place it can) is not in the second's view, nor is the template's
    folder of every scratch folder."""
    template = template_for(Isolation("bubblewrap"), ())
    uid = 61000 + (3 * SLOT) % 4000
    results, namespaces, workers, scratches = [], [], [], []
    try:
        for function in ("leave", "find"):  # the first worker lives on: namespace numbers are reused
            scratch = _scratch(TEMPLATE)
            scratches.append(scratch)
            (scratch / "probe.py").write_text(LEFTOVER_PROBE, encoding="utf-8")
            os.chown(scratch, uid, uid)
            worker = Worker(scratch, 3 * SLOT, Budget(60), _isolation(TEMPLATE), Limits(cpu_seconds=30, memory_mb=384))
            workers.append(worker)
            answer = worker.call("probe", function, ())
            spaces = worker.call("probe", "namespaces", ())
            _forked_as_asked(TEMPLATE, worker)
            assert answer.ok and spaces.ok, (answer.describe(), spaces.describe())
            results.append([float(v) for v in np.asarray(answer.value)])
            namespaces.append(np.asarray(spaces.value))
    finally:
        for worker in workers:
            worker.stop()
        for scratch in scratches:
            shutil.rmtree(scratch, ignore_errors=True)
    left, found = results
    shared = [kind for kind, first, second in zip(("mnt", "pid", "net", "ipc", "uts"), *namespaces) if first == second]
    assert not shared, f"two students shared the {shared} namespaces"
    assert left[0] == 1.0 and left[1:] == [0.0] * 7, f"the first student wrote outside its scratch folder: {left}"
    assert found == [0.0] * 9, f"the second student found the first one's marker, or /slots: {found}"
    assert template.process.poll() is None


class _Nobody:
    """A student that never gets asked: the check crashes before calling."""

    def call(self, function, *args, **kwargs):  # pragma: no cover - never called
        raise AssertionError("the student was called")


def test_a_check_that_raises_is_a_failed_check_with_the_kits_message():
    broken = Check("activations.sigmoid", "a check whose oracle does not exist", 2.0, PUBLIC,
                   (Step("values", "no-such-oracle:activations.sigmoid", cases=(((0.5,), {}),)),))
    results = grade_exercise(Exercise("activations.sigmoid", (broken,)), _Nobody(), kit_context())
    assert [(r.score, r.max_score) for r in results] == [(0.0, 2.0)]
    assert results[0].output.key == "check_crashed", results[0].output
    assert "KeyError" in str(results[0].output)


def test_grading_uses_the_strongest_isolation_the_machine_offers():
    bwrap = shutil.which("bwrap")
    works = bwrap is not None and subprocess.run(
        [bwrap, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true"],
        capture_output=True).returncode == 0
    if os.environ.get("CI") == "true":
        assert ROOT_GRADER and works, "CI grades as root with bubblewrap (.ci/setup installs it)"
    expected = "none" if not ROOT_GRADER else "bubblewrap" if works else "uid"
    assert probe().level == expected
    assert kit_context().isolation.level == expected


# -- the engine's scoring: what a broken part costs ------------------------------------------------

def _submission(folder: Path, appended: dict[str, str]) -> Path:
    folder.mkdir()
    for module in ("activations", "losses", "metrics"):
        text = (SOLUTIONS / f"{module}.py").read_text(encoding="utf-8") + appended.get(module, "")
        (folder / f"{module}.py").write_text(text, encoding="utf-8")
    return folder


def _lost(report, full) -> dict:
    return {f: got for f, got in report.by_function().items() if got != full[f]}


def test_a_missing_function_costs_its_points_and_is_named(tmp_path, full_marks):
    folder = _submission(tmp_path / "sub", {})
    text = (folder / "activations.py").read_text(encoding="utf-8")
    (folder / "activations.py").write_text(text.replace("def relu(", "def relu_renamed("), encoding="utf-8")
    report = grade(folder)
    assert _lost(report, full_marks) == {"activations.relu": (0.0, full_marks["activations.relu"][1])}
    assert {r.output.key for r in report.results if r.function == "activations.relu"} == {"missing_function"}


def test_a_module_that_cannot_be_imported_costs_only_its_own_points(tmp_path, full_marks):
    folder = _submission(tmp_path / "sub", {"losses": "\nraise RuntimeError('broken at import')\n"})
    report = grade(folder)
    lost = _lost(report, full_marks)
    assert set(lost) == {f for f in full_marks if f.startswith("losses.")}
    assert all(got == 0 and most == full_marks[f][1] for f, (got, most) in lost.items()), lost
    per_check = {}
    for r in report.results:
        per_check[(r.function, r.check)] = per_check.get((r.function, r.check), 0) + 1
    assert set(per_check.values()) == {1}, "a check reported twice"


def test_a_function_that_hangs_or_crashes_costs_one_deadline_and_one_worker(tmp_path, full_marks):
    folder = _submission(tmp_path / "sub", {"activations": "\n\ndef relu(z):\n    while True:\n        pass\n"
                                                           "\n\ndef linear(z):\n    import os\n    os._exit(3)\n"})
    report = grade(folder, kit_context(call_timeout=1.0))
    assert set(_lost(report, full_marks)) == {"activations.relu", "activations.linear"}
    assert report.faults == {"activations.relu": "timeout", "activations.linear": "crashed"}
    assert report.restarts == 2, f"the worker was replaced {report.restarts} times for two bad functions"


def test_a_slow_module_spends_only_its_share_of_the_budget(tmp_path, full_marks):
    """Every activation answers slowly (0.3 s a call, under the deadline): the budget runs out for
    activations, while losses and metrics keep the share they were given and their points."""
    slow = ("\nimport time as _t, functools as _f\n"
            "def _slow(g):\n    @_f.wraps(g)\n    def w(*a, **k):\n        _t.sleep(0.3)\n        return g(*a, **k)\n"
            "    return w\n"
            "for _n in [n for n, v in list(globals().items()) if callable(v) and not n.startswith('_')"
            " and getattr(v, '__module__', None) == __name__]:\n    globals()[_n] = _slow(globals()[_n])\n")
    report = grade(_submission(tmp_path / "sub", {"activations": slow}), kit_context(budget_seconds=24))
    lost = _lost(report, full_marks)
    assert lost and all(f.startswith("activations.") for f in lost), sorted(lost)



class _SlowOracles(KitOracles):
    """The kit's oracles, each expected value 10 ms late: a grader on a busy machine."""

    def expected(self, name, args, kwargs):
        time.sleep(0.01)
        return super().expected(name, args, kwargs)


def test_the_graders_own_work_is_not_charged_to_the_budget(tmp_path, full_marks):
    """On an empty bank, with oracles slow enough that the grader's own work takes longer than
    the whole budget (12 s; the worker's own time is ~0.4 s quiet, ~3 s at load 9 on 2 cores),
    correct activations keep full marks: the budget charges only the time spent waiting on the
    student's worker."""
    folder = tmp_path / "sub"
    folder.mkdir()
    shutil.copyfile(SOLUTIONS / "activations.py", folder / "activations.py")
    bank = Bank(None)
    started = time.monotonic()
    report = grade(folder, kit_context(budget_seconds=12, bank=bank, oracles=_SlowOracles(bank)))
    assert time.monotonic() - started > 12, "the slow oracles did not make the grader slower than the budget"
    got = {f: s for f, s in report.by_function().items() if f.startswith("activations.")}
    assert got and {f: s for f, s in got.items() if s != full_marks[f]} == {}


# -- the release ----------------------------------------------------------------------------------

def test_a_release_that_does_not_work_is_refused(tmp_path, monkeypatch):
    """A release is verified before it replaces the last one: its own check.py must pass the
    solutions. Here a module it needs is left out, and the release is refused."""
    from autograder.fronts import release

    monkeypatch.setattr(release, "STUDENT_PACKAGE",
                        tuple(f for f in release.STUDENT_PACKAGE if f != "core/checks/hints.py"))
    with pytest.raises(release.ReleaseError, match="check.py"):
        release.build_release(tmp_path / "hw1")
    assert not (tmp_path / "hw1").exists()


# -- two gradings on one machine ---------------------------------------------------------------------

def test_a_worker_slot_is_leased_by_one_grading_at_a_time(tmp_path):
    first, lock = lease_slot(5, tmp_path)
    second, other = lease_slot(5, tmp_path)
    assert (first, second) == (5, 6), "a slot held by one grading was given to another"
    os.close(lock)
    again, third = lease_slot(5, tmp_path)
    assert again == 5, "a slot given back was not reused"
    for fd in (other, third):
        os.close(fd)
    # a grading that dies gives its slot back (the kernel drops its lock)
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; sys.path[:0] = sys.argv[1:2]; "
                               "from autograder.core.sandbox.isolation import lease_slot; from pathlib import Path; "
                               "lease_slot(7, Path(sys.argv[2])); print('held', flush=True); time.sleep(60)",
                               str(SOLUTIONS.parent), str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        taken, fd = lease_slot(7, tmp_path)
        assert taken == 8
        os.close(fd)
    finally:
        holder.kill()
        holder.wait()
    freed, fd = lease_slot(7, tmp_path)
    assert freed == 7, "a dead grading's slot stayed taken"
    os.close(fd)


@pytest.mark.skipif(not ROOT_GRADER, reason="worker uids exist only when grading as root")
def test_a_worker_cannot_signal_another_gradings_worker(tmp_path):
    """Another grading on this machine holds a slot and its worker runs as that slot's uid. A
    grading that would use the same slot meanwhile, at level 'uid' (no pid namespace), grades a
    submission that sends SIGKILL to every process its uid may signal: the neighbour lives,
    because the second grading leased a slot (a uid) of its own."""
    slot, lease = lease_slot(3 * 1000)  # batch slot 1000: apart from the other tests' workers
    uid = worker_uid(slot)
    neighbour = subprocess.Popen(["sleep", "120"], preexec_fn=lambda: (os.setgid(uid), os.setuid(uid)))
    try:
        folder = _submission(tmp_path / "sub", {"activations": "\nimport os as _os\n"
                                                               "try:\n    _os.kill(-1, 9)  # SIGKILL\n"
                                                               "except OSError:\n    pass\n"})
        isolation = Isolation("uid", chroot=probe("uid").chroot)
        grade(folder, kit_context(slot=1000, budget_seconds=30).with_(isolation=isolation))
        assert neighbour.poll() is None, "a worker killed another grading's worker"
    finally:
        neighbour.kill()
        neighbour.wait()
        os.close(lease)
