"""The grader's side of a worker: start it, call student functions with a deadline, replace it.

A ``Worker`` serves the modules of one submission. Every answer is an ``Answer``: a validated
numeric array, a student exception, an invalid return value, or a fault (timeout, crash,
budget exhausted). A fault kills the worker with SIGKILL (the grader never asks) and the next
call starts a fresh one, so a function that hangs or crashes costs only its own checks.
"""

from __future__ import annotations

import fcntl
import json
import mmap
import os
import select
import signal
import subprocess
import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

from . import protocol
from ..messages import Message, say
from .isolation import Isolation, Limits, build_command, make_preexec, worker_environment, worker_uid
from .template import TemplateError, TemplateProcess, give_up, template_for

OUTPUT_LIMIT = 8192
# Array arguments travel in memory shared with the worker (a memfd), so that the grader itself
# sees whether the student's function modified them. Asked "did the call modify its input?",
# the worker answered for itself: a submission that patched numpy.array_equal (or the worker's
# own comparison) modified its inputs in place and still earned "inputs not modified" (hostile
# corpus). Arguments that do not fit, and Python lists, still rely on the worker's report.
ARENA_BYTES = 4 << 20
# Calls are pipelined (see Worker.call_many): requests are written ahead only while they
# fit in the request pipe, so that the grader never blocks writing while the worker waits to
# write an answer the grader is not yet reading.
PIPE_BYTES = 1 << 20
# A worker that prints this much is stopped: endless printing at import or in a call would
# otherwise hold the grader until the deadline (10 s at import) for output nobody reads.
FLOOD_BYTES = 256 << 20  # far above the hostile corpus's "64 MB of output, then behave" case
READ_BYTES = 1 << 20
# answers to calls sent ahead (call_many) kept at once: beyond, an answer is read and dropped
# (the caller makes that call again when it needs it), so a submission that returns 32 MiB
# arrays cannot make the grader hold a whole chunk of them (issue 13: 900 MB)
AHEAD_BYTES = 8 << 20


# A call that keeps the worker's CPU busy is a hang long before the wall-clock deadline: once an
# answer has been awaited CPU_POLL_SECONDS, the grader reads the worker's CPU time from /proc
# every CPU_POLL_SECONDS, and a call that spends more than its allowance, CPU_FLOOR_SECONDS plus
# CPU_PER_ELEMENT_SECONDS per element of its inputs, is a timeout. CPU time, not wall time, so a
# loaded machine never fails a correct call: the reference needs microseconds per element, a
# Python loop over every element a few; the allowance is ten times that and more. A call that
# waits without computing (sleep, a blocked read) still meets the wall-clock ``call_timeout``.
CPU_POLL_SECONDS = 0.1
CPU_FLOOR_SECONDS = 0.25
CPU_PER_ELEMENT_SECONDS = 50e-6
_TICK = os.sysconf("SC_CLK_TCK")


def cpu_allowance(args: tuple, kwargs: dict | None = None) -> float:
    """The CPU seconds a call on ``args`` may use before it counts as a hang."""
    elements = 0
    for value in (*args, *(kwargs or {}).values()):
        if type(value) is np.ndarray:
            elements += value.size
        elif isinstance(value, (list, tuple)):
            elements += len(value)
    return CPU_FLOOR_SECONDS + CPU_PER_ELEMENT_SECONDS * elements


def tree_cpu_seconds(pid: int) -> float:
    """The CPU seconds (user and system) of process ``pid`` and its descendants, from /proc
    (0 for those already gone); a bubblewrap worker is bwrap's descendant."""
    total, queue = 0.0, [pid]
    while queue:
        current = queue.pop()
        try:
            fields = open(f"/proc/{current}/stat", "rb").read().rsplit(b")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / _TICK
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", "rb") as children:
                    queue += [int(child) for child in children.read().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


def answer_bytes(answer: "Answer | None") -> int:
    """The memory an answer's value holds in the grader."""
    value = None if answer is None else answer.value
    return int(getattr(value, "nbytes", 0) or 0)


@dataclass(frozen=True)
class Answer:
    """What one call produced, as the checks see it."""

    status: str  # "ok", "error", "invalid", "timeout", "crashed", "budget"
    value: Any = None  # validated ndarray or numpy scalar when status == "ok"
    kind: str = ""  # "ndarray", "numpy_scalar", "float", "int", "bool", "list", "tuple"
    message: Any = ""  # "error", "invalid", "crashed": a Message (plain text from older callers)
    modified: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()  # floating-point errors raised during the call (FP_WARNINGS)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def describe(self) -> Message:
        """What happened instead of a value, for feedback."""
        if self.status == "error":
            return say("call_error", text=self.message)
        if self.status == "invalid":
            return self.message if isinstance(self.message, Message) else say("invalid_unreadable", reason=self.message)
        if self.status == "crashed":
            return say("call_crashed", reason=self.message)
        return say(f"call_{self.status}")


class Budget:
    """A submission's time budget: the seconds spent waiting on its worker (imports and calls).

    Only that waiting is charged (``charging``). The grader's own work between calls (generating
    inputs, computing expected values: a minute or more on an empty bank and a busy machine) is
    not, so a correct submission never loses points because the grader was slow. ``share(n)``
    gives what follows (one module of ``n`` still to grade) its share of what is left.
    """

    def __init__(self, seconds: float):
        self.seconds = self.cap = seconds
        self.spent = 0.0
        self._since: float | None = None

    def charged(self) -> float:
        running = time.monotonic() - self._since if self._since is not None else 0.0
        return self.spent + running

    def left(self) -> float:
        return min(self.seconds, self.cap) - self.charged()

    def deadline(self) -> float:
        """When the budget runs out if the clock runs from now (fixed while ``charging``)."""
        return time.monotonic() + self.left()

    def share(self, parts: int) -> None:
        """Cap what follows at ``1/parts`` of what is left."""
        charged = self.charged()
        self.cap = charged + (self.seconds - charged) / parts

    @contextmanager
    def charging(self) -> Iterator[None]:
        """Charge the time spent inside (nested uses charge once)."""
        if self._since is not None:
            yield
            return
        self._since = time.monotonic()
        try:
            yield
        finally:
            self.spent += time.monotonic() - self._since
            self._since = None


class _OutputDrain(threading.Thread):
    """Reads a worker's stdout/stderr to the end, keeping the first bytes printed while each
    module (``label``) was being imported or called."""

    def __init__(self, stream, on_flood):
        super().__init__(daemon=True)
        self.stream, self.label = stream, ""
        self.kept: dict[str, bytearray] = {}
        self.dropped: dict[str, int] = {}
        self.on_flood, self.flooded, self.total = on_flood, False, 0

    def run(self) -> None:
        while chunk := self.stream.read1(65536) if hasattr(self.stream, "read1") else b"":
            label = self.label
            kept = self.kept.setdefault(label, bytearray())
            room = max(OUTPUT_LIMIT - len(kept), 0)
            kept += chunk[:room]
            self.dropped[label] = self.dropped.get(label, 0) + max(len(chunk) - room, 0)
            self.total += len(chunk)
            if self.total > FLOOD_BYTES and not self.flooded:
                self.flooded = True
                self.on_flood()

    def texts(self) -> dict[str, str]:
        return {label: kept.decode("utf-8", "replace")
                + (f"\n[... {self.dropped[label]} more bytes of output dropped]" if self.dropped.get(label) else "")
                for label, kept in self.kept.items() if kept or self.dropped.get(label)}


class Worker:
    """The modules of one submission in a sandboxed process, imported as they are needed."""

    def __init__(self, scratch: Path, slot: int, budget: Budget, isolation: Isolation,
                 limits: Limits = Limits(), call_timeout: float = 2.0, import_timeout: float = 10.0,
                 environment: tuple[tuple[str, str], ...] = ()):
        self.scratch, self.slot = scratch, slot
        self.budget, self.limits = budget, limits
        self.call_timeout, self.import_timeout = call_timeout, import_timeout
        self.isolation, self.environment = isolation, environment
        self.process: subprocess.Popen | TemplateProcess | None = None
        self.functions: dict[str, list[str]] = {}  # per module, from its first import
        self.import_failures: dict[str, Answer] = {}
        self.imported: set[str] = set()  # in the current process
        self.outputs: dict[str, list[str]] = {}  # per module, one text per process
        self.restarts = 0
        self._arena: mmap.mmap | None = None
        self._sequence = 0  # the number of the last request (never reused by this Worker)
        self.running: int | None = None  # after a fault: the number of the call it was running

    # -- life cycle ---------------------------------------------------------------------------
    def spawn(self) -> None:
        """Start the process without waiting for it (it boots while the grader prepares)."""
        if self.process is None:
            self._spawn()

    def _spawn(self) -> None:
        req_r, self._req_w = os.pipe()
        self._ans_r, ans_w = os.pipe()
        _enlarge_pipe(self._ans_r)
        self._window = _enlarge_pipe(self._req_w) * 3 // 4
        arena_fd = _new_arena()
        self._arena = mmap.mmap(arena_fd, ARENA_BYTES) if arena_fd is not None else None
        shared = (req_r, ans_w) + ((arena_fd,) if arena_fd is not None else ())
        self.process = self._fork_from_template(req_r, ans_w, arena_fd)
        if self.process is None:
            command = build_command(self.isolation, self.scratch, self.slot, self.limits, req_r, ans_w,
                                    arena_fd=arena_fd)
            self.process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                pass_fds=shared, env=worker_environment(self.environment), cwd="/",
                preexec_fn=make_preexec(self.isolation.level, self.limits))
        for fd in shared:
            os.close(fd)
        self.imported = set()
        self._inbox = bytearray()
        self._answers: deque[tuple[dict, memoryview]] = deque()  # of a group read, not yet taken
        self._drain = _OutputDrain(self.process.stdout, _killer(self.process))
        self._drain.start()

    def _fork_from_template(self, req_r: int, ans_w: int, arena_fd: int | None) -> TemplateProcess | None:
        """The worker forked by this process's worker template (template.py), or None: no template
        here, the scratch folder is not in the template's folder, or the template failed (it is
        then given up and workers start one by one)."""
        template = template_for(self.isolation, self.environment)
        if template is None or not self.scratch.is_relative_to(template.folder):
            return None
        out_r, out_w = os.pipe()
        fds = {"requests": req_r, "answers": ans_w, "output": out_w}
        if arena_fd is not None:
            fds["arena"] = arena_fd
        try:
            process = template.spawn(self.scratch, worker_uid(self.slot), self.limits, fds)
        except TemplateError:
            os.close(out_r)
            give_up(template)
            return None
        finally:
            os.close(out_w)
        process.stdout = os.fdopen(out_r, "rb")
        return process

    def load(self, module: str) -> Answer | None:
        """Import ``module`` (starting the process if needed); an Answer describes a failure.

        A module that failed to import once is not tried again. Call from the main thread:
        the worker dies with the thread that started it.
        """
        if module in self.import_failures:
            return self.import_failures[module]
        if self.process is not None and module in self.imported:
            return None
        if self.process is None:
            self._spawn()
        self._drain.label = module
        with self.budget.charging():
            answer = self._exchange({"op": "import", "module": module}, [],
                                    min(self.import_timeout, max(self.budget.left(), 0.1)))
        if answer.ok:
            self.imported.add(module)
            self.functions.setdefault(module, list(answer.value))
            return None
        # a module that failed half-way may have left threads or patches behind: the other
        # modules get a fresh process
        self.stop()
        self.import_failures[module] = answer
        return answer

    def stop(self) -> None:
        """Kill the worker and everything it started; keep what it printed."""
        if self.process is None:
            return
        _killer(self.process)()
        self.process.wait()
        for fd in (self._req_w, self._ans_r):
            try:
                os.close(fd)
            except OSError:
                pass
        self._drain.join(timeout=2)
        self.process.stdout.close()
        if self._arena is not None:
            self._arena.close()
            self._arena = None
        for label, text in self._drain.texts().items():
            self.outputs.setdefault(label, []).append(text)
        self.process = None
        self.imported = set()

    # -- calls --------------------------------------------------------------------------------
    def call(self, module: str, function: str, args: tuple, kwargs: dict | None = None) -> Answer:
        """Call ``module.function(*args, **kwargs)`` in the worker."""
        answer = self.call_many(module, [(function, args, kwargs or {})])[0]
        return answer if answer is not None else Answer("budget")

    def call_many(self, module: str, calls: list[tuple[str, tuple, dict]]) -> list[Answer | None]:
        """Make ``calls`` of functions of ``module`` in order, pipelined: requests are sent ahead while answers come back.

        Each answer has its own deadline of ``call_timeout`` counted from when the worker could
        start it (its request sent and the previous answer received), exactly as if the calls
        were made one by one; only the waiting between them is saved. A fault (timeout, crash)
        ends the series: the calls after it are not made and come back as None, as are calls
        not sent because the budget ran out. The time spent here is charged to the budget.
        """
        with self.budget.charging():
            return self._call_many(module, calls)

    def _call_many(self, module: str, calls: list[tuple[str, tuple, dict]]) -> list[Answer | None]:
        answers: list[Answer | None] = [None] * len(calls)
        if not calls:
            return answers
        if module in self.import_failures:
            return [self.import_failures[module]] * len(calls)
        if self.budget.left() <= 0:
            return [Answer("budget")] + answers[1:]
        failure = self.load(module)
        if failure is not None:
            return [failure] * len(calls)
        self._drain.label = module
        in_flight: deque[_Sent] = deque()
        window = 0  # request bytes sent and not yet answered: never more than the pipe holds
        arena_top = 0
        last_answer = time.monotonic()
        following = 0
        held = 0  # bytes of the answers kept so far
        while following < len(calls) or in_flight:
            # the calls that fit go in one frame, one write: one wake-up of the worker, not one per call
            batch = _Batch()
            while following < len(calls) and self.budget.left() > 0:
                top, spilled = self._add_call(batch, calls[following], following,
                                              arena_top if in_flight or batch.calls else protocol.PROGRESS_BYTES)
                if (in_flight or len(batch.calls) > 1) and (spilled or window + batch.size > self._window):
                    batch.drop_last()
                    break  # send it once the calls in flight have been answered
                arena_top = top
                following += 1
            if batch.calls:
                try:
                    protocol.write_frame(self._req_w, batch.frame(module))
                except OSError as exc:  # the worker is gone: read what it answered before
                    following -= len(batch.calls)
                    if not in_flight:
                        answers[following] = self._fault("crashed", exc)
                        return answers
                else:
                    now = time.monotonic()
                    window += batch.size
                    in_flight.extend(_Sent(index, sequence, shared, size, now, allowance)
                                     for index, sequence, shared, allowance, size in batch.sent)
            if not in_flight:
                break  # the budget ran out before this call could be sent
            sent = in_flight.popleft()
            window -= sent.size
            started = max(sent.at, last_answer)
            timeout = min(self.call_timeout, max(self.budget.deadline() - started, 0.05))
            # the CPU the awaited call may spend, or any call after it (one held back behind a
            # slow call is answered with it): the largest allowance in flight, asked only when
            # an answer is slow to come
            answer = self._receive(sent.sequence, started + timeout,
                                   lambda: max(s.allowance or 0.0 for s in (sent, *in_flight)))
            last_answer = time.monotonic()
            if answer.status in ("timeout", "crashed", "budget"):
                # the call the worker was running when it hung or died, if it was one sent after
                # this one (whose answer, held back with quick ones, is lost: asked again if needed)
                culprit = next((later for later in in_flight if later.sequence == self.running), None)
                if culprit is not None:
                    answers[sent.index], answers[culprit.index] = None, answer
                    break
            if answer.ok and sent.shared and self._arena is not None:
                # the grader's own observation replaces the worker's word for shared arguments
                mine = {i for i, at, data in sent.shared if self._arena[at:at + len(data)] != data}
                theirs = {i for i in answer.modified if i not in {j for j, _, _ in sent.shared}}
                if mine or answer.modified:
                    answer = replace(answer, modified=tuple(sorted(mine | theirs)))
            size = answer_bytes(answer)
            if sent.index and held + size > AHEAD_BYTES:
                answers[sent.index] = None  # read and dropped: asked again if it is needed
            else:
                answers[sent.index], held = answer, held + size
            if answer.status in ("timeout", "crashed", "budget"):
                break  # the worker is gone: what was in flight is lost
        return answers

    def _add_call(self, batch: "_Batch", call: tuple[str, tuple, dict], index: int,
                  arena_top: int) -> tuple[int, bool]:
        """Add ``call`` (the ``index``-th of the series) to ``batch``: (the arena's top after its
        shared arguments, whether an array missed the arena only for want of room)."""
        function, args, kwargs = call
        batch.mark()
        shared: list[tuple[int, int, bytes]] = []  # (argument index, arena offset, bytes sent)
        encoded = []
        spilled = False
        for position, arg in enumerate(args):
            spec, arena_top, missed = self._share(arg, shared, position, arena_top)
            spilled = spilled or missed
            encoded.append(spec if spec is not None else protocol.encode_value(arg, batch.chunks, batch.offset))
        self._sequence += 1
        batch.add({"function": function, "args": encoded,
                   "kwargs": {k: protocol.encode_value(v, batch.chunks, batch.offset) for k, v in (kwargs or {}).items()},
                   "seq": self._sequence}, (index, self._sequence, shared, cpu_allowance(args, kwargs)))
        return arena_top, spilled

    def _share(self, arg: Any, shared: list, index: int, top: int) -> tuple[dict | None, int, bool]:
        """Put an array argument in the shared arena at or after ``top``.

        Returns (its description or None when it does not go there, the new top, whether it
        missed the arena only for want of room)."""
        if self._arena is None or type(arg) is not np.ndarray or arg.dtype.str not in protocol.ALLOWED_DTYPES:
            return None, top, False
        data = arg.tobytes()
        at = (top + 63) // 64 * 64
        if not data:
            return None, top, False
        if at + len(data) > ARENA_BYTES:
            return None, top, len(data) <= ARENA_BYTES
        self._arena[at:at + len(data)] = data
        shared.append((index, at, data))
        return ({"t": "array", "dtype": arg.dtype.str, "shape": list(arg.shape), "offset": at,
                 "nbytes": len(data), "shared": True}, at + len(data), False)

    def _exchange(self, header: dict, chunks: list[bytes], timeout: float) -> Answer:
        """Send one request and wait for its answer."""
        self._sequence += 1
        deadline = time.monotonic() + timeout
        try:
            protocol.write_frame(self._req_w, protocol.pack({**header, "seq": self._sequence}, chunks))
        except OSError as exc:
            return self._fault("crashed", exc)
        return self._receive(self._sequence, deadline)

    def _receive(self, sequence: int, deadline: float, allowance: Callable[[], float] | None = None) -> Answer:
        # Every request carries a number the answer must repeat: frames a submission writes
        # on the answer channel itself (forged answers) are skipped instead of being taken as
        # the answer to this call and every later one (hostile corpus).
        try:
            while True:
                reply, payload = self._next_answer(deadline, allowance)
                if reply.get("seq") == sequence:
                    return to_answer(reply, payload)
        except protocol.Timeout:
            return self._fault("timeout", None)
        except (EOFError, OSError, protocol.ProtocolError) as exc:
            return self._fault("crashed", exc)

    def _next_answer(self, deadline: float, allowance: Callable[[], float] | None = None) -> tuple[dict, memoryview]:
        """The next answer: from the group of answers read last, or the next frame."""
        while not self._answers:
            reply, payload = self._next_frame(deadline, allowance)
            group = reply.get("answers")
            if group is None:
                return reply, payload
            if not isinstance(group, list) or len(group) > protocol.MAX_GROUP:
                raise protocol.ProtocolError("bad group of answers")
            self._answers.extend((answer, payload) for answer in group if isinstance(answer, dict))
        return self._answers.popleft()

    def _next_frame(self, deadline: float, allowance: Callable[[], float] | None = None) -> tuple[dict, memoryview]:
        """The next frame on the answer channel, read in as large pieces as are there; by
        ``deadline``, and, with an ``allowance`` (a function giving CPU seconds), before the worker
        spends that much more CPU time than when the first CPU_POLL_SECONDS of waiting ended."""
        watched: float | None = None  # the worker's CPU seconds then
        while True:
            frame = protocol.take_frame(self._inbox, max_payload=protocol.MAX_ANSWER_BYTES)
            if frame is not None:
                return frame
            left = deadline - time.monotonic()
            if left <= 0:
                raise protocol.Timeout("no answer before the deadline")
            if not select.select([self._ans_r], [], [], left if allowance is None else min(left, CPU_POLL_SECONDS))[0]:
                if allowance is not None and self.process is not None:
                    used = tree_cpu_seconds(self.process.pid)
                    if watched is None:
                        watched = used
                    elif used - watched > allowance():
                        raise protocol.Timeout("the call spent its CPU allowance")
                continue
            data = os.read(self._ans_r, READ_BYTES)
            if not data:
                raise EOFError("the worker closed its channel")
            self._inbox += data

    def _progress(self) -> int | None:
        """The number of the call the worker last began (the arena's head), if there is one."""
        if self._arena is None:
            return None
        return int.from_bytes(self._arena[:8], "little") or None

    def _fault(self, status: str, exc: Exception | None) -> Answer:
        """Stop the worker after a timeout or a crash and say which it was."""
        code = None
        if status == "crashed":
            try:
                code = self.process.wait(timeout=0.5) if self.process else None
            except subprocess.TimeoutExpired:
                code = None
        flooded = self._drain.flooded if self.process is not None else False
        self.running = self._progress()
        self.stop()
        self.restarts += 1
        if flooded:
            return Answer("crashed", message=say("exit_flood", mib=FLOOD_BYTES >> 20))
        if status == "timeout":
            return Answer("timeout" if self.budget.left() > 0 else "budget")
        return Answer("crashed", message=_exit_reason(code, exc))


@dataclass(frozen=True)
class _Sent:
    """A request in flight."""

    index: int
    sequence: int
    shared: list
    size: int
    at: float
    allowance: float | None = None  # CPU seconds before the call counts as a hang


class _Batch:
    """Calls on their way to the worker in one frame ({"op": "calls", "calls": [...]})."""

    def __init__(self) -> None:
        self.calls: list[str] = []  # each call's JSON
        self.sent: list[tuple[int, int, list, float, int]] = []  # (index, sequence, shared, CPU allowance, bytes)
        self.chunks: list[bytes] = []
        self.offset = [0]
        self.size = 64  # the frame's bytes beyond its calls'
        self._mark = (0, 0)

    def mark(self) -> None:
        """Remember where the next call's payload starts (``drop_last`` goes back to it)."""
        self._mark = (len(self.chunks), self.offset[0])

    def add(self, spec: dict, sent: tuple[int, int, list, float]) -> None:
        text = json.dumps(spec, allow_nan=False)
        size = len(text) + 1 + self.offset[0] - self._mark[1]
        self.calls.append(text)
        self.sent.append((*sent, size))
        self.size += size

    def drop_last(self) -> None:
        self.calls.pop()
        self.size -= self.sent.pop()[-1]
        del self.chunks[self._mark[0]:]
        self.offset[0] = self._mark[1]

    def frame(self, module: str) -> bytes:
        head = '{"op": "calls", "module": %s, "calls": [%s]}' % (json.dumps(module), ", ".join(self.calls))
        return protocol.pack_text(head, self.chunks)


def _killer(process: "subprocess.Popen | TemplateProcess"):
    """A function that kills ``process`` and everything it started."""

    def kill() -> None:
        if isinstance(process, TemplateProcess):  # its template kills it and its namespace
            process.kill()
            return
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            process.kill()
        except ProcessLookupError:
            pass

    return kill


def _enlarge_pipe(fd: int) -> int:
    """Let a pipe hold PIPE_BYTES if the system allows; returns what it holds now."""
    try:
        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)
    except OSError:
        pass
    try:
        return fcntl.fcntl(fd, getattr(fcntl, "F_GETPIPE_SZ", 1032))
    except OSError:
        return 4096  # the least a pipe holds


def _new_arena() -> int | None:
    """A memfd of ARENA_BYTES for array arguments (None where memfd is unavailable)."""
    try:
        fd = os.memfd_create("dlgrade-arguments", os.MFD_CLOEXEC)
    except (AttributeError, OSError):
        return None
    try:
        os.ftruncate(fd, ARENA_BYTES)
    except OSError:
        os.close(fd)
        return None
    return fd


def _exit_reason(code: int | None, exc: Exception) -> Message:
    if isinstance(exc, protocol.ProtocolError):
        return say("exit_malformed", reason=exc)
    if code is None:
        return say("exit_closed")
    if code < 0:
        return say("exit_signal", signal=signal.Signals(-code).name)
    return say("exit_status", status=code)


def to_answer(reply: dict, payload: memoryview) -> Answer:
    try:
        if reply.get("ok") is not True:
            where = reply.get("where") if isinstance(reply.get("where"), dict) else {}
            return Answer("error", message=exception_message(reply.get("error"), reply.get("message"),
                                                             *(where.get(k) for k in ("file", "line", "function"))))
        if "invalid" in reply:
            return Answer("invalid", message=_invalid(reply))
        if "functions" in reply:
            names = reply["functions"]
            if not (isinstance(names, list) and all(isinstance(n, str) for n in names)):
                raise protocol.ProtocolError("bad function list")
            return Answer("ok", value=tuple(names[:500]))
        value = protocol.decode_value(reply["value"], payload)
        kind = reply.get("kind")
        if kind not in ("ndarray", "numpy_scalar", "float", "int", "bool", "list", "tuple"):
            raise protocol.ProtocolError("bad kind")
        modified = tuple(i for i in reply.get("modified", []) if type(i) is int)
        notes = fp_warnings(reply.get("warnings", []))
        if not isinstance(value, (np.ndarray, np.generic)):
            raise protocol.ProtocolError("value is not an array")
        return Answer("ok", value=value, kind=kind, modified=modified, warnings=notes)
    except (protocol.ProtocolError, KeyError, TypeError, ValueError) as exc:
        return Answer("invalid", message=say("invalid_unreadable", reason=exc))


def exception_message(error: Any, message: Any, file: Any = None, line: Any = None,
                      function: Any = None) -> Message:
    """What a student's exception says, in words of the tables: its type, its message (None when
    it could not be printed; a forbidden module's name for ForbiddenImport) and where it was
    raised in the submission (``file`` None: a notebook cell)."""
    error = str(error)[:80]
    if message is None:
        text: Any = say("exception_unprintable")
    elif error == "ForbiddenImport":
        text = say("forbidden_import", module=str(message)[:100])
    else:
        text = str(message)[:600]
    if line is None:
        return say("exception", error=error, message=text)
    if file is None:
        return say("exception_in_cell", error=error, message=text, line=line, function=str(function)[:80])
    if function is None:
        return say("exception_at", error=error, message=text, file=str(file)[:100], line=line)
    return say("exception_in", error=error, message=text, file=str(file)[:100], line=line,
               function=str(function)[:80])


# the floating-point errors a worker reports per call (numpy's RuntimeWarnings), in this order
FP_WARNINGS = ("overflow", "invalid", "divide")
def fp_warnings(raised: Any) -> tuple[str, ...]:
    """The floating-point errors an answer reports, as words of FP_WARNINGS: the worker sends the
    words, the notebook front numpy's messages ("overflow encountered in exp"); nothing else."""
    if not isinstance(raised, list):
        return ()
    texts = [str(w)[:200] for w in raised[:20]]
    return tuple(word for word in FP_WARNINGS if any(word in text for text in texts))


INVALID_KINDS = ("invalid_type", "invalid_not_numeric", "invalid_dtype", "invalid_size")


def _invalid(reply: dict) -> Message:
    """What the worker says was wrong with a return value (its words, bounded, as data)."""
    kind, detail = reply.get("invalid"), str(reply.get("detail", ""))[:200]
    if kind not in INVALID_KINDS:
        return say("invalid_unreadable", reason=str(kind)[:200])
    name = {"invalid_type": "type", "invalid_not_numeric": "kind", "invalid_dtype": "dtype",
            "invalid_size": "size"}[kind]
    return say(kind, **{name: detail})
