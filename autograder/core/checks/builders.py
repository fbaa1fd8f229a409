"""Generic checks, parameterised by a catalogue entry: values, shapes, stability, gradients.

Each builder returns a ``Check``. Expected values come only from trusted callables given by
the catalogue (the reference, torch, scikit-learn), memoised by input so that a batch computes
them once for the whole class.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np
from hypothesis import strategies as st

from ..messages import say
from .. import bank
from . import hints
from .base import Check, Outcome, PASS, Student, fault_outcome, mismatch, run_property, show_call

Case = tuple[tuple, dict]  # (args, kwargs)


def expected_value(oracle: Callable, args: tuple, kwargs: dict) -> Any:
    """``oracle(*args, **kwargs)``, computed once per distinct input and kept in the bank."""
    name = f"{oracle.__module__}.{oracle.__qualname__}"
    if ("<lambda>" in name or "<locals>" in name) and not getattr(oracle, "bank_name", None):
        raise TypeError(f"oracle {name} needs a unique name to be banked")
    key = f"{getattr(oracle, 'bank_name', name)}|{bank.digest((args, kwargs))}"
    store = bank.current()
    if key not in store.expected:
        store.record_expected(key, oracle(*args, **kwargs))
    return store.expected[key]


def compare_call(student: Student, function: str, oracle: Callable, args: tuple, kwargs: dict,
                 check_dtype: bool = False, rtol: float | None = None,
                 atol: float | None = None,
                 hint: Callable[[Any, Any], str] | None = None) -> Outcome | None:
    """Call the student and the oracle on the same input; None when they agree.

    ``hint(answer, expected)`` explains a wrong answer (default: ``hints.diagnose``)."""
    expected = expected_value(oracle, args, kwargs)
    answer = student.call(function.split(".")[1], *args, **kwargs)
    fault = fault_outcome(answer)
    if fault:
        return fault
    problem = mismatch(answer, expected, check_dtype=check_dtype, rtol=rtol, atol=atol)
    if problem is None:
        return None
    explained = (hint(answer, expected) if hint is not None
                 else hints.diagnose(function, args, kwargs, answer, expected))
    return Outcome(False, say("failing_call", call=show_call(function, args, kwargs), problem=problem),
                   hint=explained)


def property_check(function: str, name: str, points: float, visibility: str,
                   cases: st.SearchStrategy, oracle: Callable, max_examples: int = 15,
                   check_dtype: bool = False, rtol: float | None = None,
                   atol: float | None = None) -> Check:
    """Values against ``oracle`` on generated (args, kwargs) cases."""

    def run(student: Student) -> Outcome:
        return run_property(cases, lambda case: compare_call(
            student, function, oracle, case[0], case[1], check_dtype, rtol, atol), max_examples,
            key=f"{function}: {name}")

    return Check(function, name, points, visibility, run)


def cases_check(function: str, name: str, points: float, visibility: str,
                cases: Iterable[Case], oracle: Callable, check_dtype: bool = False,
                rtol: float | None = None, atol: float | None = None) -> Check:
    """Values against ``oracle`` on a fixed list of cases; the first failure is reported."""
    cases = list(cases)

    def run(student: Student) -> Outcome:
        for args, kwargs in cases:
            outcome = compare_call(student, function, oracle, args, kwargs, check_dtype, rtol, atol)
            if outcome is not None:
                return outcome
        return PASS

    return Check(function, name, points, visibility, run)


def unchanged_check(function: str, points: float, visibility: str, cases: Iterable[Case]) -> Check:
    """The student's function must not modify its array arguments."""
    cases = list(cases)

    def run(student: Student) -> Outcome:
        for args, kwargs in cases:
            answer = student.call(function.split(".")[1], *args, **kwargs)
            fault = fault_outcome(answer)
            if fault:
                return fault
            if not answer.ok:
                return Outcome(False, say("failing_call", call=show_call(function, args, kwargs),
                                          problem=answer.describe()))
            if answer.modified:
                return Outcome(False, say("modified_input", index=answer.modified[0] + 1))
        return PASS

    return Check(function, "inputs not modified", points, visibility, run)


def finite_difference_check(function: str, forward: str, points: float, visibility: str,
                            cases: st.SearchStrategy, forward_oracle: Callable,
                            max_examples: int = 10) -> Check:
    """``*_grad`` against central differences of the student's own forward function.

    ``cases`` yields float64 (z, kwargs) away from kinks; h = 1e-6·max(1, |z|). Where the
    student's forward is itself wrong (or fails), the differences of the reference forward are
    used instead, so a bug in the forward costs the forward's points, not the derivative's.
    """
    name = function.split(".")[1]
    forward_name = forward.split(".")[1]

    def differences(student: Student, z: np.ndarray, h: np.ndarray, kwargs: dict) -> np.ndarray:
        sides = []
        for point in (z + h, z - h):
            expected = expected_value(forward_oracle, (point,), kwargs)
            answer = student.call(forward_name, point, **kwargs)
            if answer.ok and mismatch(answer, expected, rtol=1e-9, atol=1e-12) is None:
                sides.append(np.asarray(answer.value, dtype=float))
            else:
                sides.append(np.asarray(expected, dtype=float))
        return (sides[0] - sides[1]) / (2 * h)

    def run(student: Student) -> Outcome:
        def body(case) -> Outcome | None:
            z, kwargs = case
            h = 1e-6 * np.maximum(1.0, np.abs(z))
            grad = student.call(name, z, **kwargs)
            fault = fault_outcome(grad)
            if fault:
                return fault
            numeric = differences(student, z, h, kwargs)
            problem = mismatch(grad, numeric, rtol=1e-4, atol=1e-5)
            if problem is None:
                return None
            return Outcome(False, say("failing_call", call=show_call(function, (z,), kwargs),
                                      problem=f"{problem} (central difference of {forward_name})"),
                           hint=hints.diagnose(function, (z,), kwargs, grad, numeric))

        return run_property(cases, body, max_examples, key=f"{function}: finite differences")

    return Check(function, f"matches finite differences of {forward_name}", points, visibility, run)
