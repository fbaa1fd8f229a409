"""The grader's side of a worker: start it, call student functions with a deadline, replace it.

A ``ModuleWorker`` serves one student module. Every answer is an ``Answer``: a validated
numeric array, a student exception, an invalid return value, or a fault (timeout, crash,
budget exhausted). A fault kills the worker with SIGKILL (the grader never asks) and the next
call starts a fresh one, so a function that hangs or crashes costs only its own checks.
"""

from __future__ import annotations

import mmap
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from . import protocol
from .isolation import Limits, build_command, detect_level, make_preexec, worker_environment

OUTPUT_LIMIT = 8192
# Array arguments travel in memory shared with the worker (a memfd), so that the grader itself
# sees whether the student's function modified them. Asked "did the call modify its input?",
# the worker answered for itself: a submission that patched numpy.array_equal (or the worker's
# own comparison) modified its inputs in place and still earned "inputs not modified" (hostile
# corpus). Arguments that do not fit, and Python lists, still rely on the worker's report.
ARENA_BYTES = 4 << 20


@dataclass(frozen=True)
class Answer:
    """What one call produced, as the checks see it."""

    status: str  # "ok", "error", "invalid", "timeout", "crashed", "budget"
    value: Any = None  # validated ndarray or numpy scalar when status == "ok"
    kind: str = ""  # "ndarray", "numpy_scalar", "float", "int", "bool", "list", "tuple"
    message: str = ""
    modified: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def describe(self) -> str:
        """One line for feedback: what happened instead of a value."""
        return {
            "error": f"raised {self.message}",
            "invalid": self.message,
            "timeout": "did not return before the deadline (infinite loop?)",
            "crashed": f"crashed the worker process ({self.message})",
            "budget": "was not run: the submission's time budget is used up",
        }.get(self.status, self.message)


class Budget:
    """A wall-clock budget shared by every call of one submission."""

    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds

    def left(self) -> float:
        return self.deadline - time.monotonic()


class _OutputDrain(threading.Thread):
    """Reads a worker's stdout/stderr to the end, keeping only the first bytes."""

    def __init__(self, stream):
        super().__init__(daemon=True)
        self.stream, self.kept, self.dropped = stream, bytearray(), 0

    def run(self) -> None:
        while chunk := self.stream.read1(65536) if hasattr(self.stream, "read1") else b"":
            room = OUTPUT_LIMIT - len(self.kept)
            self.kept += chunk[:max(room, 0)]
            self.dropped += max(len(chunk) - max(room, 0), 0)

    def text(self) -> str:
        text = self.kept.decode("utf-8", "replace")
        return text + (f"\n[... {self.dropped} more bytes of output dropped]" if self.dropped else "")


class ModuleWorker:
    """One student module in its own sandboxed process."""

    def __init__(self, scratch: Path, module: str, slot: int, budget: Budget,
                 limits: Limits = Limits(), call_timeout: float = 2.0,
                 import_timeout: float = 10.0):
        self.scratch, self.module, self.slot = scratch, module, slot
        self.budget, self.limits = budget, limits
        self.call_timeout, self.import_timeout = call_timeout, import_timeout
        self.level = detect_level()
        self.process: subprocess.Popen | None = None
        self.functions: list[str] | None = None
        self.import_failure: Answer | None = None
        self.outputs: list[str] = []
        self.restarts = 0
        self._arena: mmap.mmap | None = None
        self._sequence = 0

    # -- life cycle ---------------------------------------------------------------------------
    def spawn(self) -> None:
        """Start the process without waiting (several workers then boot in parallel)."""
        self._spawn()

    def _spawn(self) -> None:
        req_r, self._req_w = os.pipe()
        self._ans_r, ans_w = os.pipe()
        arena_fd = _new_arena()
        self._arena = mmap.mmap(arena_fd, ARENA_BYTES) if arena_fd is not None else None
        command = build_command(self.level, self.scratch, self.slot, self.limits, req_r, ans_w,
                                arena_fd=arena_fd)
        shared = (req_r, ans_w) + ((arena_fd,) if arena_fd is not None else ())
        self.process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            pass_fds=shared, env=worker_environment(), cwd="/",
            preexec_fn=make_preexec(self.level, self.limits))
        for fd in shared:
            os.close(fd)
        self._drain = _OutputDrain(self.process.stdout)
        self._drain.start()

    def start(self) -> Answer | None:
        """Start the worker and import the module; an Answer describes an import failure.

        Call from the main thread: the worker dies with the thread that started it.
        """
        if self.process is None:
            self._spawn()
        answer = self._exchange({"op": "import", "module": self.module}, [],
                                min(self.import_timeout, max(self.budget.left(), 0.1)))
        if answer.ok:
            if self.functions is None:
                self.functions = list(answer.value)
            return None
        self.stop()
        return answer

    def stop(self) -> None:
        """Kill the worker and everything it started; keep what it printed."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.kill()
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
        if self._drain.kept or self._drain.dropped:
            self.outputs.append(self._drain.text())
        self.process = None

    # -- calls --------------------------------------------------------------------------------
    def call(self, function: str, args: tuple, kwargs: dict | None = None) -> Answer:
        """Call ``module.function(*args, **kwargs)`` in the worker."""
        if self.import_failure is not None:
            return self.import_failure
        if self.budget.left() <= 0:
            return Answer("budget")
        if self.process is None:
            failure = self.start()
            if failure is not None:
                self.import_failure = failure
                return failure
        chunks: list[bytes] = []
        offset = [0]
        shared: list[tuple[int, int, bytes]] = []  # (argument index, arena offset, bytes sent)
        encoded = []
        for index, arg in enumerate(args):
            spec = self._share(arg, shared, index)
            encoded.append(spec if spec is not None else protocol.encode_value(arg, chunks, offset))
        header = {"op": "call", "module": self.module, "function": function, "args": encoded,
                  "kwargs": {k: protocol.encode_value(v, chunks, offset)
                             for k, v in (kwargs or {}).items()}}
        answer = self._exchange(header, chunks, min(self.call_timeout, max(self.budget.left(), 0.05)))
        if answer.ok and shared and self._arena is not None:
            # the grader's own observation replaces the worker's word for shared arguments
            mine = {i for i, at, data in shared if self._arena[at:at + len(data)] != data}
            theirs = {i for i in answer.modified if i not in {j for j, _, _ in shared}}
            answer = replace(answer, modified=tuple(sorted(mine | theirs)))
        return answer

    def _share(self, arg: Any, shared: list, index: int) -> dict | None:
        """Put an array argument in the shared arena; None when it does not go there."""
        if self._arena is None or type(arg) is not np.ndarray or arg.dtype.str not in protocol.ALLOWED_DTYPES:
            return None
        data = arg.tobytes()
        at = shared[-1][1] + len(shared[-1][2]) if shared else 0
        at = (at + 63) // 64 * 64
        if not data or at + len(data) > ARENA_BYTES:
            return None
        self._arena[at:at + len(data)] = data
        shared.append((index, at, data))
        return {"t": "array", "dtype": arg.dtype.str, "shape": list(arg.shape), "offset": at,
                "nbytes": len(data), "shared": True}

    def _exchange(self, header: dict, chunks: list[bytes], timeout: float) -> Answer:
        # Every request carries a number the answer must repeat: frames a submission writes
        # on the answer channel itself (forged answers) are skipped instead of being taken as
        # the answer to this call and every later one (hostile corpus).
        self._sequence += 1
        header = {**header, "seq": self._sequence}
        deadline = time.monotonic() + timeout
        try:
            protocol.write_frame(self._req_w, protocol.pack(header, chunks))
            while True:
                reply, payload = protocol.read_frame(self._ans_r, deadline,
                                                     max_payload=protocol.MAX_ANSWER_BYTES)
                if reply.get("seq") == self._sequence:
                    break
        except protocol.Timeout:
            self.stop()
            self.restarts += 1
            return Answer("timeout" if self.budget.left() > 0 else "budget")
        except (EOFError, OSError, protocol.ProtocolError) as exc:
            try:
                code = self.process.wait(timeout=0.5) if self.process else None
            except subprocess.TimeoutExpired:
                code = None
            self.stop()
            self.restarts += 1
            return Answer("crashed", message=_exit_reason(code, exc))
        return _to_answer(reply, payload)


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


def _exit_reason(code: int | None, exc: Exception) -> str:
    if isinstance(exc, protocol.ProtocolError):
        return f"it sent a malformed answer: {exc}"
    if code is None:
        return "it closed its channel"
    if code < 0:
        return f"killed by signal {signal.Signals(-code).name}"
    return f"it exited with status {code}"


def _to_answer(reply: dict, payload: memoryview) -> Answer:
    try:
        if reply.get("ok") is not True:
            where = f" at {reply['where']}" if reply.get("where") else ""
            return Answer("error", message=f"{str(reply.get('error'))[:80]}: "
                                           f"{str(reply.get('message'))[:600]}{where}")
        if "invalid" in reply:
            return Answer("invalid", message=str(reply["invalid"])[:300])
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
        notes = tuple(str(w)[:120] for w in reply.get("warnings", [])[:5])
        if not isinstance(value, (np.ndarray, np.generic)):
            raise protocol.ProtocolError("value is not an array")
        return Answer("ok", value=value, kind=kind, modified=modified, warnings=notes)
    except (protocol.ProtocolError, KeyError, TypeError, ValueError) as exc:
        return Answer("invalid", message=f"the answer could not be read: {exc}")
