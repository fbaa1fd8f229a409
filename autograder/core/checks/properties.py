"""The properties a check step tests, one function each: ``(check, step, student, oracles, case)``.

Each returns None when the case passes, or an ``Outcome`` saying why not (a fault when the
function hung or crashed). Expected values come only from the oracles (the reference, torch,
scikit-learn, or a release's bank): ``oracles.expected`` memoises them in the example bank,
``oracles.compute`` computes without keeping (values only a failing submission needs).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..messages import say
from . import hints
from .compare import evidence, first_mismatch, mismatch, show, show_call, tolerance
from .records import Check, Outcome, Step, Student

METRIC_RTOL, METRIC_ATOL = 1e-9, 1e-12
PROBE_RTOL, PROBE_ATOL = 1e-9, 1e-12  # the student's value at a probed point, against the reference's


def fault_outcome(answer: Any) -> Outcome | None:
    """A hang, a crash or the end of the budget: the check stops there."""
    if answer.status in ("timeout", "crashed", "budget"):
        return Outcome(False, answer.describe(), fault=True)
    return None


def _failed_call(answer: Any, function: str, args: tuple, kwargs: dict) -> Outcome | None:
    """A fault, or a call that gave no value (raised, returned garbage): nothing to compare."""
    fault = fault_outcome(answer)
    if fault or answer.ok:
        return fault
    return Outcome(False, say("failing_call", call=show_call(function, args, kwargs), problem=answer.describe()))


def _name(function: str) -> str:
    return function.split(".")[1]


def _tolerances(step: Step, args: tuple) -> tuple[float | None, float | None]:
    tol = step.tolerance
    if tol.exact:
        return 0.0, 0.0
    if tol.by_inputs:
        if any(isinstance(a, np.ndarray) and a.dtype == np.float32 for a in args):
            return tolerance(np.float32)
        return METRIC_RTOL, METRIC_ATOL
    return tol.rtol, tol.atol


def compare(check: Check, step: Step, student: Student, oracles: Any, args: tuple, kwargs: dict,
            oracle: str | None = None) -> Outcome | None:
    """The student's answer against the oracle's value on one input; None when they agree."""
    expected = oracles.expected(oracle or step.oracle, args, kwargs)
    answer = student.call(_name(check.function), *args, **kwargs)
    fault = fault_outcome(answer)
    if fault:
        return fault
    rtol, atol = _tolerances(step, args)
    problem = mismatch(answer, expected, check_dtype=step.tolerance.dtype, rtol=rtol, atol=atol)
    if problem is None:
        return None
    hint = hints.later(check, oracles, args, kwargs, answer, expected, step.tolerance.dtype, student)
    call = show_call(check.function, args, kwargs, first_mismatch(answer, expected))
    return Outcome(False, say("failing_call", call=call, problem=problem),
                   hint=hint, evidence=_evidence(check, args, kwargs, answer, expected))


def _evidence(check: Check, args: tuple, kwargs: dict, answer: Any, expected: Any) -> dict:
    return evidence(check.function, args, kwargs, answer.value if answer.ok else None, expected)


def values(check: Check, step: Step, student: Student, oracles: Any, case: Any) -> Outcome | None:
    """Values against the oracle."""
    args, kwargs = case
    return compare(check, step, student, oracles, args, kwargs)


def unchanged(check: Check, step: Step, student: Student, oracles: Any, case: Any) -> Outcome | None:
    """The function must not modify its arguments: on this case, and on every call the grader
    made of it before (a student module records them, ``modifications``; the engine runs this
    check after the function's other checks). Probing one fixed input was not enough: a function
    that modified its input on every call but that one kept the points (issue 13, class 7)."""
    args, kwargs = case
    answer = student.call(_name(check.function), *args, **kwargs)
    fault = fault_outcome(answer)
    if fault:
        return fault
    if not answer.ok:
        return Outcome(False, say("failing_call", call=show_call(check.function, args, kwargs),
                                  problem=answer.describe()))
    if answer.modified:
        return Outcome(False, say("modified_input", index=answer.modified[0] + 1))
    earlier = getattr(student, "modifications", {}).get(_name(check.function))
    if earlier is not None:
        before_args, before_kwargs, index = earlier
        return Outcome(False, say("failing_call", call=show_call(check.function, before_args, before_kwargs),
                                  problem=say("modified_input", index=index + 1)))
    return None


def stable(check: Check, step: Step, student: Student, oracles: Any, case: Any) -> Outcome | None:
    """No floating-point warning (overflow, invalid, divide) during the call, and a finite
    result wherever the true one is finite: what the stubs promise (issue 14). The values must be
    the true ones too: a function answering finite garbage (42 everywhere) raised no warning and
    earned these points (hostile corpus, case 14)."""
    args, kwargs = case
    answer = student.call(_name(check.function), *args, **kwargs)
    failed = _failed_call(answer, check.function, args, kwargs)
    if failed:
        return failed
    call = show_call(check.function, args, kwargs)
    hint = say(check.hints[0]) if check.hints else None  # the technique (checks/edges.py)
    correct = oracles.expected(step.oracle, args, kwargs)
    expected = np.asarray(correct, dtype=np.float64)
    received = np.asarray(answer.value, dtype=np.float64)
    bad = (~np.isfinite(received) & np.isfinite(expected)) if received.shape == expected.shape else \
        (~np.isfinite(received) if np.all(np.isfinite(expected)) else np.zeros(received.shape, bool))
    rtol, atol = _tolerances(step, args)
    if bad.any():
        # the comparison's own words where it can say them (every nan/inf index, the errors)
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        problem = mismatch(answer, correct, rtol=rtol, atol=atol) or say(
            "stability_non_finite", index=where, received=show(received[where]), count=int(bad.sum()))
        return Outcome(False, say("failing_call", call=call, problem=problem), hint=hint,
                       evidence=_evidence(check, args, kwargs, answer, expected))
    if answer.warnings:
        problem = say("stability_warned", warnings=", ".join(answer.warnings))
        return Outcome(False, say("failing_call", call=call, problem=problem), hint=hint)
    problem = mismatch(answer, correct, rtol=rtol, atol=atol)
    if problem is not None:
        return Outcome(False, say("failing_call", call=call, problem=problem),
                       evidence=_evidence(check, args, kwargs, answer, correct))
    return None


def finite_differences(check: Check, step: Step, student: Student, oracles: Any, case: Any) -> Outcome | None:
    """An activation's derivative against central differences of the student's own forward.

    h = 1e-6·max(1, |z|), away from kinks. Where the student's forward is itself wrong (or
    fails), the reference forward's differences are used: a bug in the forward costs the
    forward's points, not the derivative's."""
    z, kwargs = case
    h = 1e-6 * np.maximum(1.0, np.abs(z))
    grad = student.call(_name(check.function), z, **kwargs)
    failed = _failed_call(grad, check.function, (z,), kwargs)
    if failed:
        return failed
    sides = []
    for point in (z + h, z - h):
        expected = oracles.expected(step.oracle, (point,), kwargs)
        answer = student.call(_name(step.forward), point, **kwargs)
        if answer.ok and mismatch(answer, expected, rtol=PROBE_RTOL, atol=PROBE_ATOL) is None:
            sides.append(np.asarray(answer.value, dtype=float))
        else:
            sides.append(np.asarray(expected, dtype=float))
    numeric = (sides[0] - sides[1]) / (2 * h)
    problem = mismatch(grad, numeric, rtol=1e-4, atol=1e-5)
    if problem is None:
        return None
    call = show_call(check.function, (z,), kwargs, first_mismatch(grad, numeric))
    return Outcome(False, say("failing_call", call=call,
                              problem=say("fd_problem", problem=problem, source=_name(step.forward))),
                   hint=hints.later(check, oracles, (z,), kwargs, grad, numeric, False, student),
                   evidence=_evidence(check, (z,), kwargs, grad, numeric))


def _loss_at(student: Student, oracles: Any, step: Step, args: tuple, kwargs: dict,
             use_own: bool) -> Callable[[np.ndarray], float | None]:
    """The loss (student's or reference's) as a function of its first argument. The student's
    value at a probed point counts only where it is the reference's (within 1e-9): a loss that
    recognised the probed points and answered its unchanged value there made all-zero gradients
    match their "finite differences" (issue 13, class 7); None otherwise."""
    def loss(z: np.ndarray) -> float | None:
        new_args = (z,) + tuple(args[1:])
        correct = float(oracles.compute(step.oracle, new_args, kwargs))
        if not use_own:
            return correct
        answer = student.call(_name(step.forward), *new_args, **kwargs)
        if not answer.ok or np.shape(answer.value) != ():
            return None
        own = float(np.asarray(answer.value, dtype=np.float64))
        if not np.isclose(own, correct, rtol=PROBE_RTOL, atol=PROBE_ATOL):
            return None
        return own
    return loss


def loss_finite_differences(check: Check, step: Step, student: Student, oracles: Any,
                            case: Any) -> Outcome | None:
    """A loss gradient against central differences of the student's own loss, one input element
    at a time (h = 1e-6·max(1, |x|)); the reference loss where the student's is wrong."""
    args, kwargs = case
    x = np.asarray(args[0], dtype=np.float64)
    grad = student.call(_name(check.function), *args, **kwargs)
    failed = _failed_call(grad, check.function, args, kwargs)
    if failed:
        return failed
    own = student.call(_name(step.forward), *args, **kwargs)
    use_own = own.ok and mismatch(own, oracles.expected(step.oracle, args, kwargs)) is None
    loss = _loss_at(student, oracles, step, args, kwargs, use_own)
    numeric = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        h = 1e-6 * max(1.0, abs(float(x[index])))
        plus, minus = x.copy(), x.copy()
        plus[index] += h
        minus[index] -= h
        high, low = loss(plus), loss(minus)
        if high is None or low is None:  # the student's loss failed or is wrong there: use the reference
            use_own = False
            loss = _loss_at(student, oracles, step, args, kwargs, use_own)
            high, low = loss(plus), loss(minus)
        numeric[index] = (high - low) / (plus[index] - minus[index])
    problem = mismatch(grad, numeric, rtol=1e-4, atol=1e-5)
    if problem is None:
        return None
    source = say("fd_own", function=_name(step.forward)) if use_own else \
        say("fd_reference", function=_name(step.forward))
    call = show_call(check.function, args, kwargs, first_mismatch(grad, numeric))
    return Outcome(False, say("failing_call", call=call,
                              problem=say("fd_problem", problem=problem, source=source)),
                   hint=hints.later(check, oracles, args, kwargs, grad, numeric, False, student),
                   evidence=_evidence(check, args, kwargs, grad, numeric))


def logits_equal_sigmoid_bce(check: Check, step: Step, student: Student, oracles: Any,
                             case: Any) -> Outcome | None:
    """The lecture's point: bce_with_logits(x, y) = bce_loss(σ(x), y) where both are finite, with
    the student's own bce_loss (the reference's where the student's is wrong)."""
    x, y = case
    kwargs = {"reduction": "none"}
    got = student.call(_name(check.function), x, y, **kwargs)
    fault = fault_outcome(got)
    if fault:
        return fault
    p = np.asarray(oracles.expected("reference:activations.sigmoid", (np.asarray(x, dtype=np.float64),), {}))
    correct = oracles.expected(step.oracle, (p, y), kwargs)
    via = student.call(_name(step.forward), p, y, **kwargs)
    own = via.ok and mismatch(via, correct) is None
    target = np.asarray(via.value, dtype=np.float64) if own else correct
    problem = mismatch(got, target)
    if problem is None:
        return None
    source = say("lecture_own") if own else say("lecture_reference")
    call = show_call(check.function, (x, y), kwargs, first_mismatch(got, target))
    return Outcome(False, say("failing_call", call=call,
                              problem=say("lecture_problem", problem=problem, source=source)),
                   hint=hints.later(check, oracles, (x, y), kwargs, got, target, False, student),
                   evidence=_evidence(check, (x, y), kwargs, got, target))


def saturation(check: Check, step: Step, student: Student, oracles: Any, case: Any) -> Outcome | None:
    """Values at |x| = 1000, where σ + BCE saturates at the clamp; the note says so."""
    args, kwargs = case
    outcome = compare(check, step, student, oracles, args, kwargs)
    if outcome is None:
        return None
    x, y = args
    p = np.asarray(oracles.compute("reference:activations.sigmoid", (np.asarray(x, dtype=np.float64),), {}))
    saturated = show(np.asarray(oracles.compute(f"reference:{step.forward}", (p.astype(x.dtype), y),
                                                {"reduction": "none"})))
    return Outcome(False, say("saturation_note", detail=outcome.detail, saturated=saturated),
                   hint=outcome.hint, fault=outcome.fault, evidence=outcome.evidence)


def scalar(check: Check, step: Step, student: Student, oracles: Any, case: Any) -> Outcome | None:
    """A metric returns one number: a numpy scalar, a 0-d array or a Python float (not a list,
    not an array of shape (1,), not a bool)."""
    args, kwargs = case
    answer = student.call(_name(check.function), *args, **kwargs)
    fault = fault_outcome(answer)
    if fault:
        return fault
    call = show_call(check.function, args, kwargs)
    if not answer.ok:
        return Outcome(False, say("failing_call", call=call, problem=answer.describe()))
    value = np.asarray(answer.value)
    if answer.kind in ("list", "tuple"):
        return Outcome(False, say("failing_call", call=call, problem=say("wrong_type", received=answer.kind)))
    if value.shape != ():
        return Outcome(False, say("failing_call", call=call,
                                  problem=say("wrong_shape", received=value.shape, expected=())))
    if value.dtype.kind not in "fiu":
        return Outcome(False, say("failing_call", call=call,
                                  problem=say("wrong_dtype", received=value.dtype, expected="float64")))
    return None


def integer_matrix(check: Check, step: Step, student: Student, oracles: Any, case: Any) -> Outcome | None:
    """confusion_matrix returns an integer ndarray of shape (L, L)."""
    args, kwargs = case
    answer = student.call(_name(check.function), *args, **kwargs)
    fault = fault_outcome(answer)
    if fault:
        return fault
    call = show_call(check.function, args, kwargs)
    if not answer.ok:
        return Outcome(False, say("failing_call", call=call, problem=answer.describe()))
    expected = np.asarray(oracles.expected(step.oracle, args, kwargs))
    value = np.asarray(answer.value)
    if answer.kind != "ndarray":
        return Outcome(False, say("failing_call", call=call, problem=say("wrong_type", received=answer.kind)))
    if value.shape != expected.shape:
        return Outcome(False, say("failing_call", call=call,
                                  problem=say("wrong_shape", received=value.shape, expected=expected.shape)))
    if value.dtype.kind not in "iu":
        return Outcome(False, say("failing_call", call=call,
                                  problem=say("wrong_dtype", received=value.dtype, expected="int64")))
    return None


PROPERTIES: dict[str, Callable[..., Outcome | None]] = {
    "values": values,
    "unchanged": unchanged,
    "stable": stable,
    "finite_differences": finite_differences,
    "loss_finite_differences": loss_finite_differences,
    "logits_equal_sigmoid_bce": logits_equal_sigmoid_bce,
    "saturation": saturation,
    "scalar": scalar,
    "integer_matrix": integer_matrix,
}
