"""What the feedback page draws for each function, planned from the contract; the values collected.

A plot plan (``plan_for``) is derived from a contract entry's kind, once, with no student code:

- activation, derivative: ``f(z)`` on ``z`` = ``CURVE`` (one call), plus the extremes
  ``EXTREMES`` (|z| up to 1e4: one call) shown as a table;
- layer (softmax, log_softmax), jacobian: the first component (``[:, 0]``, ``[:, 0, 0]``) of
  ``f`` on the rows ``(x, 0, 1)``, one call;
- loss: the loss of one prediction ``x`` against a fixed target, one call per point (the
  function's default reduction, exactly what the checks grade); the page also draws its
  derivative dL/dx, by central differences of each curve;
- loss_grad: the gradient's component along the same axis, one call per point;
- metric: nothing to call: the page shows the failing case's own table.

``collect`` makes the student's calls in the submission's worker (the grader never imports
student code), within the module's share of the budget, and the reference's in the grader
(``oracles.compute``; a release without the reference draws the student's curve alone). What it
keeps in the report is plain JSON: numbers, and the strings ``"nan"``/``"inf"``/``"-inf"``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..contract import Function, function as contract_function

CURVE = np.linspace(-6.0, 6.0, 241)  # activations: where every one of them shows its shape
EXTREMES = np.array([-1e4, -1e3, -710.0, -100.0, -30.0, 30.0, 100.0, 710.0, 1e3, 1e4])
LOSS_POINTS = 121
# one prediction axis per kind of loss input: (axis, target)
LOSS_AXES: dict[str, tuple[np.ndarray, Any]] = {
    "regression": (np.linspace(-3.0, 3.0, LOSS_POINTS), np.array([0.0])),
    "probability": (np.linspace(0.005, 0.995, LOSS_POINTS), np.array([1.0])),
    "logits": (np.linspace(-6.0, 6.0, LOSS_POINTS), np.array([1.0])),
    "classes": (np.linspace(-6.0, 6.0, LOSS_POINTS), np.array([0])),
}
LAYER_ROW = (0.0, 1.0)  # the other components of a layer's input row (x, 0, 1)
SECONDS = 5.0  # the most a module's plot calls may take (a page is not worth a slow grading)


@dataclass(frozen=True)
class PlotPlan:
    """The calls one function's plot needs, and how a curve is read from their answers."""

    function: str  # "activations.tanh_grad"
    kind: str  # "curve" (one call, elementwise), "loss" (one call per point), "gradient" (idem)
    x: np.ndarray  # the horizontal axis
    calls: tuple[tuple[tuple, dict], ...]  # (args, kwargs) of each call
    pick: str  # how a curve is read: "all", "column" ([:, 0]), "corner" ([:, 0, 0]), "scalar", "first"
    extremes: bool = False  # activations: the second call is EXTREMES


def _loss_input(kind: str, x: float) -> np.ndarray:
    return np.array([[x, *LAYER_ROW]]) if kind == "classes" else np.array([x])


def plan_for(entry: Function) -> PlotPlan | None:
    """The plot plan of a contract entry (None for metrics: their failing case is a table)."""
    if entry.kind in ("activation", "derivative"):
        return PlotPlan(entry.qualified, "curve", CURVE, (((CURVE.copy(),), {}), ((EXTREMES.copy(),), {})),
                        "all", extremes=True)
    if entry.kind in ("layer", "jacobian"):
        rows = np.column_stack([CURVE] + [np.full_like(CURVE, v) for v in LAYER_ROW])
        return PlotPlan(entry.qualified, "curve", CURVE, (((rows,), {}),),
                        "column" if entry.kind == "layer" else "corner")
    if entry.kind in ("loss", "loss_grad"):
        axis, target = LOSS_AXES[entry.inputs]
        calls = tuple(((_loss_input(entry.inputs, float(x)), target.copy()), {}) for x in axis)
        if entry.kind == "loss":
            return PlotPlan(entry.qualified, "loss", axis, calls, "scalar")
        return PlotPlan(entry.qualified, "gradient", axis, calls, "corner" if entry.inputs == "classes" else "first")
    return None


def plan(qualified: str) -> PlotPlan | None:
    return plan_for(contract_function(qualified))


# -- reading curves ------------------------------------------------------------------------------

def _picked(value: Any, pick: str, n: int) -> np.ndarray | None:
    """The curve's values in one answer (None when its shape is not the expected one)."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if pick == "all":
        return array if array.shape == (n,) else None
    if pick == "column":
        return array[:, 0] if array.shape == (n, 1 + len(LAYER_ROW)) else None
    width = 1 + len(LAYER_ROW)
    if pick == "corner" and array.ndim == 3:  # a Jacobian on n rows
        return array[:, 0, 0] if array.shape == (n, width, width) else None
    if pick == "corner":  # a loss gradient on one (1, C) row
        return array[0, :1] if array.shape == (1, width) else None
    if pick == "scalar":
        return array.reshape(1) if array.size == 1 else None
    if pick == "first":
        return array.reshape(-1)[:1] if array.shape == (1,) else None
    return None


def values_json(array: np.ndarray | None) -> list | None:
    """Floats as JSON: finite ones as numbers, the others as "nan", "inf", "-inf"."""
    if array is None:
        return None
    return [float(v) if np.isfinite(v) else str(float(v)) for v in np.asarray(array, dtype=np.float64)]


def values_array(values: list | None) -> np.ndarray | None:
    """The inverse of ``values_json``."""
    return None if values is None else np.array([float(v) for v in values], dtype=np.float64)


def curve(p: PlotPlan, answers: list[Any]) -> tuple[np.ndarray | None, np.ndarray | None, str]:
    """(the curve, the extremes, a problem) read from the answers of ``p``'s calls, in order.

    An answer is an ``Answer`` of the worker or a plain value (the reference's). The problem is
    "" when the curve is whole, else a word: the answer's status or "shape"."""
    n = len(p.x)
    if p.kind == "curve":
        first = answers[0]
        problem = _status(first)
        values = _picked(_value(first), p.pick, n) if not problem else None
        extremes = None
        if p.extremes and len(answers) > 1 and not _status(answers[1]):
            extremes = _picked(_value(answers[1]), "all", len(EXTREMES))
        return values, extremes, problem or ("" if values is not None else "shape")
    points = []
    for answer in answers:
        problem = _status(answer)
        value = _picked(_value(answer), p.pick, 1) if not problem else None
        if value is None:
            return None, None, problem or "shape"
        points.append(value[0])
    return np.array(points), None, ""


def _status(answer: Any) -> str:
    if answer is None:
        return "budget"
    status = getattr(answer, "status", "ok")
    return "" if status == "ok" else status


def _value(answer: Any) -> Any:
    return answer.value if hasattr(answer, "status") else answer


# -- collecting ----------------------------------------------------------------------------------

def reference_curve(p: PlotPlan, oracles: Any) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The reference's curve and extremes, computed in the grader (None where unavailable)."""
    name = f"reference:{p.function}"
    try:
        answers = [oracles.compute(name, args, kwargs) for args, kwargs in p.calls]
    except Exception:  # a release: the reference is not there, the bank does not hold these
        return None, None
    values, extremes, _ = curve(p, answers)
    return values, extremes


def timed_calls(worker: Any, module: str, calls: list[tuple[str, tuple, dict]], deadline: float) -> list[Any]:
    """The answers of ``calls`` (``Worker.call_many``: pipelined, within the submission's budget),
    sent in chunks that grow while they fit before ``deadline``; None for a call not made (the
    time is up, or a call before it failed). At most one call runs past the deadline."""
    answers: list[Any] = []
    size = 1
    while len(answers) < len(calls) and time.monotonic() < deadline:
        chunk = calls[len(answers):len(answers) + size]
        began = time.monotonic()
        got = worker.call_many(module, chunk)
        answers += got
        if not all(a is not None and a.ok for a in got):
            break
        each = max((time.monotonic() - began) / len(chunk), 1e-6)
        size = max(1, min(2 * size, int((deadline - time.monotonic()) / each)))
    return answers + [None] * (len(calls) - len(answers))


def collect(worker: Any, module: str, functions: list[str], oracles: Any) -> dict[str, dict]:
    """The plot data of ``functions`` (qualified names, of ``module``), the student's values from
    ``worker`` (a ``Worker``), within ``SECONDS`` for the module, as plain JSON."""
    found: dict[str, dict] = {}
    deadline = time.monotonic() + SECONDS
    for qualified in functions:
        p = plan(qualified)
        if p is None:
            continue
        name = qualified.split(".")[1]
        with np.errstate(all="ignore"):
            answers = timed_calls(worker, module, [(name, args, kwargs) for args, kwargs in p.calls], deadline)
            student, student_extremes, problem = curve(p, answers)
            reference, reference_extremes = reference_curve(p, oracles)
        data = {"kind": p.kind, "x": values_json(p.x), "student": values_json(student),
                "reference": values_json(reference), "problem": problem}
        if p.extremes:
            data["extremes"] = {"z": values_json(EXTREMES), "student": values_json(student_extremes),
                                "reference": values_json(reference_extremes)}
        found[qualified] = data
    return found
