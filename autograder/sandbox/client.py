"""The grader's side of a worker: start it, call student functions with a deadline, replace it.

A ``ModuleWorker`` serves one student module. Every answer is an ``Answer``: a validated
numeric array, a student exception, an invalid return value, or a fault (timeout, crash,
budget exhausted). A fault kills the worker with SIGKILL (the grader never asks) and the next
call starts a fresh one, so a function that hangs or crashes costs only its own checks.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import protocol
from .isolation import Limits, build_command, detect_level, make_preexec, worker_environment

OUTPUT_LIMIT = 8192


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

    # -- life cycle ---------------------------------------------------------------------------
    def spawn(self) -> None:
        """Start the process without waiting (several workers then boot in parallel)."""
        self._spawn()

    def _spawn(self) -> None:
        req_r, self._req_w = os.pipe()
        self._ans_r, ans_w = os.pipe()
        command = build_command(self.level, self.scratch, self.slot, self.limits, req_r, ans_w)
        self.process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            pass_fds=(req_r, ans_w), env=worker_environment(), cwd="/",
            preexec_fn=make_preexec(self.level, self.limits))
        os.close(req_r)
        os.close(ans_w)
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
        header = {"op": "call", "module": self.module, "function": function,
                  "args": [protocol.encode_value(a, chunks, offset) for a in args],
                  "kwargs": {k: protocol.encode_value(v, chunks, offset)
                             for k, v in (kwargs or {}).items()}}
        return self._exchange(header, chunks, min(self.call_timeout, max(self.budget.left(), 0.05)))

    def _exchange(self, header: dict, chunks: list[bytes], timeout: float) -> Answer:
        try:
            protocol.write_frame(self._req_w, protocol.pack(header, chunks))
            reply, payload = protocol.read_frame(self._ans_r, time.monotonic() + timeout,
                                                 max_payload=protocol.MAX_ANSWER_BYTES)
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
