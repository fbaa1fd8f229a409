"""The building blocks of the catalogue: a Check, an Exercise, and how results are compared.

A ``Check`` is one separately weighted property of one contract function. It runs in the
trusted grader: it asks a ``Student`` (a worker, or a notebook kernel) for values and compares
them with values it computes itself from the reference, torch or scikit-learn. It returns an
``Outcome``; feedback text comes from ``autograder.messages`` so that it can be translated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

import numpy as np
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st

from ..messages import say
from ..sandbox.client import Answer

PUBLIC, HIDDEN = "public", "hidden"


class Student(Protocol):
    """Calls one function of a student's module and returns what came back."""

    def call(self, function: str, *args: Any, **kwargs: Any) -> Answer: ...


@dataclass(frozen=True)
class Outcome:
    passed: bool
    detail: str = ""
    hint: str = ""
    fault: bool = False  # the function hung or crashed: stop trying examples


PASS = Outcome(True)


@dataclass(frozen=True)
class Check:
    """One weighted property of ``module.function``."""

    function: str  # "activations.sigmoid"
    name: str  # what is checked, e.g. "values (float64)"
    points: float
    visibility: str
    run: Callable[[Student], Outcome]

    @property
    def title(self) -> str:
        return f"{self.function}: {self.name}"


@dataclass
class Exercise:
    """Every check of one contract function."""

    function: str
    checks: list[Check] = field(default_factory=list)

    @property
    def module(self) -> str:
        return self.function.split(".")[0]

    @property
    def name(self) -> str:
        return self.function.split(".")[1]

    @property
    def points(self) -> float:
        return sum(c.points for c in self.checks)


class Failed(Exception):
    """Raised inside a property to stop at the first failing example."""

    def __init__(self, outcome: Outcome):
        super().__init__(outcome.detail)
        self.outcome = outcome


# -- tolerances and comparison -------------------------------------------------------------------

def tolerance(dtype: np.dtype | type) -> tuple[float, float]:
    """(rtol, atol) for results of ``dtype``: loose enough for any correct formula."""
    dtype = np.dtype(dtype)
    if dtype == np.float16:
        return 2e-3, 1e-3
    if dtype == np.float32:
        return 2e-5, 1e-6
    return 1e-6, 1e-9


def show(value: Any, limit: int = 300) -> str:
    """A short, readable rendering of an input or a result."""
    if isinstance(value, np.ndarray):
        with np.printoptions(precision=10, threshold=12, edgeitems=3, linewidth=100):
            text = f"array({np.array2string(value, separator=', ')}, dtype={value.dtype})"
    elif isinstance(value, np.generic):
        text = f"{value.dtype}({value!r})" if not isinstance(value, np.floating) else f"{value.dtype.name}({float(value)!r})"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[:limit] + " ..."


def show_call(function: str, args: tuple, kwargs: dict) -> str:
    parts = [show(a, 160) for a in args] + [f"{k}={show(v, 80)}" for k, v in kwargs.items()]
    return f"{function.split('.')[-1]}({', '.join(parts)})"


def mismatch(answer: Answer, expected: Any, dtype: Any = None, rtol: float | None = None,
             atol: float | None = None, check_dtype: bool = False) -> str | None:
    """Why ``answer`` is not ``expected`` (None when it is), in the catalogue's words."""
    if not answer.ok:
        return answer.describe()
    received = answer.value
    expected = np.asarray(expected)
    if (type(received) is np.ndarray and received.dtype == expected.dtype
            and received.shape == expected.shape and received.tobytes() == expected.tobytes()):
        return None  # the very same values: nothing to compare
    if np.shape(received) != expected.shape:
        return say("wrong_shape", received=np.shape(received), expected=expected.shape)
    if check_dtype and np.asarray(received).dtype != expected.dtype:
        return say("wrong_dtype", received=np.asarray(received).dtype, expected=expected.dtype)
    default_rtol, default_atol = tolerance(dtype if dtype is not None else expected.dtype
                                           if expected.dtype.kind == "f" else np.float64)
    rtol = default_rtol if rtol is None else rtol
    atol = default_atol if atol is None else atol
    got = np.asarray(received, dtype=np.float64)
    want = expected.astype(np.float64)
    if np.array_equal(got, want):  # the usual case, decided without the tolerances
        return None
    if not np.array_equal(np.isnan(got), np.isnan(want)):
        return say("nan_mismatch")
    close = np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True) | (got == want)
    if not close.all():
        where = tuple(int(i) for i in np.argwhere(~close)[0]) if got.ndim else ()
        return say("wrong_value", index=where, received=show(got[where] if got.ndim else got[()]),
                   expected=show(want[where] if want.ndim else want[()]))
    return None


# -- running checks -----------------------------------------------------------------------------

def fault_outcome(answer: Answer) -> Outcome | None:
    if answer.status in ("timeout", "crashed", "budget"):
        return Outcome(False, answer.describe(), fault=True)
    return None


def run_property(strategy: st.SearchStrategy, body: Callable[[Any], Outcome | None],
                 max_examples: int = 20, key: str | None = None) -> Outcome:
    """Run ``body`` on generated examples (derandomized); the smallest failure wins.

    With a ``key``, the examples of a passing run are banked and replayed next time; only a
    failing replay goes back to hypothesis, which then finds and shrinks the same failure.
    """
    from .. import bank

    store = bank.current() if key else None
    if store is not None and key in store.examples:
        for example in store.examples[key]:
            outcome = body(example)
            if outcome is not None and not outcome.passed:
                if outcome.fault:
                    return outcome
                break
        else:
            return PASS
    failures: list[Outcome] = []
    fault: list[Outcome] = []
    seen: list[Any] = []

    @settings(derandomize=True, database=None, max_examples=max_examples, deadline=None,
              suppress_health_check=list(HealthCheck), verbosity=Verbosity.quiet,
              phases=(Phase.explicit, Phase.generate, Phase.shrink), report_multiple_bugs=False,
              print_blob=False)
    @given(strategy)
    def prop(example):
        if fault:
            return
        seen.append(example)
        outcome = body(example)
        if outcome is None or outcome.passed:
            return
        if outcome.fault:
            fault.append(outcome)
            return
        failures.append(outcome)
        raise Failed(outcome)

    try:
        prop()
    except Failed:
        pass
    if fault:
        return fault[0]
    if failures:
        return failures[-1]
    if store is not None:
        store.record_examples(key, seen)
    return PASS


def floats_array(dtype: Any, min_value: float, max_value: float, max_side: int = 6,
                 min_dims: int = 0, max_dims: int = 3) -> st.SearchStrategy:
    """Arrays of finite floats of ``dtype`` with any small shape (0-d included)."""
    from hypothesis.extra import numpy as hnp
    width = np.dtype(dtype).itemsize * 8
    return hnp.arrays(dtype, hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1,
                                              max_side=max_side),
                      elements=st.floats(min_value, max_value, allow_nan=False,
                                         allow_infinity=False, width=width))


def finite(x: float) -> bool:
    return math.isfinite(x)
