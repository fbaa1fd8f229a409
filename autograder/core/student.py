"""The checks' view of one student module in the sandbox: ``WorkerStudent``.

Calls go to the submission's worker. A hang or crash of a function is remembered, so that one
bad function costs one deadline, not one per example. Answers are kept by input, so the same
call is made once (the worker seeds numpy's and Python's generators before every call: an
answer depends only on its input). When the calls a check will make are known (``expect``:
banked from a passing run), a call the check asks for is sent together with the next ones,
pipelined, in chunks that double (per function) while the answers are ordinary and fast and
fall back to one at a time after an error; a check that stops early wastes at most
``AHEAD_SECONDS`` of calls. An answer sent ahead, or a fault among them, counts only if the check
asks for that very call, as it would have without sending ahead.
"""

from __future__ import annotations

import time
from typing import Any

from .bank import call_key
from .messages import say
from .sandbox.client import Answer, Worker, answer_bytes

# answers kept per module for calls made again: beyond this, an answer is compared and dropped
# (answers of up to 32 MiB were kept for a whole module: the grader passed 900 MB, issue 13)
CACHE_BYTES = 16 << 20
# an answer this large is never right (the checks' inputs are small): it counts as a fault of
# the function, remembered like a hang, so that a function answering 30 MiB on every call
# cannot spend the module's time budget on transfers (issue 13)
OVERSIZED_BYTES = 4 << 20


class WorkerStudent:
    """``Student`` (checks/records.py) for one module of a submission's worker."""

    AHEAD_SECONDS = 0.2

    def __init__(self, worker: Worker, module: str):
        self.worker, self.module = worker, module
        self.faults: dict[str, Answer] = {}
        self.answers: dict[bytes, Answer] = {}
        self.made: list[tuple[str, tuple, dict]] | None = None  # the calls asked for, when recording
        self._script: list[tuple[bytes, tuple[str, tuple, dict]]] = []
        self._where: dict[bytes, int] = {}
        self._chunk: dict[str, int] = {}  # per function: how many calls to send at once
        # per function: the first call the checks asked for that modified an argument
        # (args, kwargs, argument index): "inputs not modified" judges every call (issue 13)
        self.modifications: dict[str, tuple[tuple, dict, int]] = {}
        self._kept = 0  # bytes of the answers kept

    def _keep(self, key: bytes, answer: Answer) -> None:
        """Keep ``answer`` for a repeated call, within CACHE_BYTES (small answers always)."""
        size = answer_bytes(answer)
        if size > 4096 and self._kept + size > CACHE_BYTES:
            return
        self._kept += size
        self.answers[key] = answer

    def expect(self, script: tuple[list, dict[bytes, int]] | None) -> None:
        """The calls the next check is expected to make (``Bank.script``), or None."""
        self._script, self._where = script if script is not None else ([], {})

    def call(self, function: str, *args: Any, **kwargs: Any) -> Answer:
        if self.made is not None:
            self.made.append((function, args, kwargs))
        if function in self.faults:
            return self.faults[function]
        key = call_key(function, args, kwargs)
        answer = self.answers.get(key)
        if answer is None and key in self._where:
            self._send_ahead(self._where[key])
            answer = self.answers.get(key)
        if answer is None:
            answer = self._sized(function, self.worker.call(self.module, function, args, kwargs))
            if answer.status != "budget":
                self._keep(key, answer)
        if answer.status in ("timeout", "crashed"):
            self.faults[function] = answer
        if answer.ok and answer.modified and function not in self.modifications:
            self.modifications[function] = (args, kwargs, answer.modified[0])
        return answer

    def _sized(self, function: str, answer: Answer) -> Answer:
        """``answer``, or, when it is oversized, a fault of ``function`` from now on."""
        if answer_bytes(answer) <= OVERSIZED_BYTES:
            return answer
        fault = Answer("invalid", message=say("answer_too_large", mib=answer_bytes(answer) >> 20,
                                              most=OVERSIZED_BYTES >> 20))
        self.faults[function] = fault
        return fault

    def _send_ahead(self, start: int) -> None:
        """Make the expected calls from ``start`` on, a chunk of them, pipelined."""
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
        for (key, call), answer in zip(chunk.items(), answers):
            if answer is not None and answer.status != "budget":
                self._keep(key, self._sized(call[0], answer))
        ordinary = all(a is not None and a.ok for a in answers) and \
            sum(answer_bytes(a) for a in answers) <= (1 << 20)  # large answers: one call at a time
        self._chunk[function] = (max(1, min(2 * size, int(self.AHEAD_SECONDS / max(each, 1e-6))))
                                 if ordinary else 1)
