"""Known mistakes rehearsed when a release is built, so that its self-check confirms their hints.

In a student's self-check the reference is absent: a hint's mistake model, and the probes that
confirm it on other inputs (``confirm.py``), read their values from the release's bank, and a
hint that cannot be confirmed there is not named. So the release rehearses every known mistake
(``hints.STRICT_MISTAKES`` and ``hints.MISTAKES``): a student made of that mistake answers the
release's public checks of its function, in the instructor's process with the reference's
values, while recording oracles keep every value the checks, the hint and its confirmation
read. A student who makes the mistake fails on the same banked input, is asked the same probes
and is told the same hint the grader would tell.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..sandbox.client import Answer
from .hints import MISTAKES, STRICT_MISTAKES, Reference, _try
from .runner import run_check


class MistakenStudent:
    """A ``Student`` whose ``function`` is ``mistake(ref, *args, **kwargs)`` wherever it applies;
    every other answer is the reference's."""

    def __init__(self, function: str, mistake: Callable[..., Any], ref: Reference):
        self.name, self.mistake, self.ref = function.split(".")[1], mistake, ref
        self.faults: dict[str, Answer] = {}

    def call(self, function: str, *args: Any, **kwargs: Any) -> Answer:
        value = _try(self.mistake, self.ref, *args, **kwargs) if function == self.name else None
        if value is None:
            value = _try(getattr(self.ref, function), *args, **kwargs)
        if value is None:
            return Answer("error", message="the reference does not apply")
        if isinstance(value, np.ndarray):
            return Answer("ok", value=value, kind="ndarray")
        return Answer("ok", value=np.asarray(value)[()], kind="numpy_scalar")


def mistakes(function: str) -> list[Callable[..., Any]]:
    """The mistake models of ``function`` that its hints name."""
    return [model for _, model in STRICT_MISTAKES.get(function, []) + MISTAKES.get(function, [])]


def rehearse(exercises: tuple, oracles: Any) -> int:
    """Run each exercise's checks on a student of each of its known mistakes; the number of
    mistakes rehearsed. ``oracles`` (``RecordingOracles``) keeps what was read."""
    ref = Reference(oracles)
    count = 0
    for exercise in exercises:
        for mistake in mistakes(exercise.function):
            student = MistakenStudent(exercise.function, mistake, ref)
            for check in exercise.checks:
                run_check(check, student, oracles, None)
            count += 1
    return count
