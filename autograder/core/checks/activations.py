"""The checks of activations.py, built from the contract's entries by kind.

An elementwise activation (kind ``activation``) and its derivative get: values (float64 and
float32), shapes, dtypes, inputs not modified, stability at |z| up to 1e4 and the dtype limits,
consistency with torch, the parameters with other values, the derivative against finite
differences of the student's own forward, and the exact derivative at the contract's kinks.
Layer activations (softmax, log_softmax) and the softmax Jacobian have their own lists. Every
function also gets the public stability check (no RuntimeWarning, finite where the truth is)
and the hidden edges (float16, lists and tuples, empty inputs) of ``edges.py``.
"""

from __future__ import annotations

import numpy as np

from ...contract import Function, functions
from . import edges
from . import strategies as s
from .build import check, fixed, generated, reference, torch
from .records import HIDDEN, PUBLIC, Check, Exercise

EXTREMES = [-1e4, -1000.0, -710.0, -100.0, -30.0, -1e-12, 0.0, 1e-12, 30.0, 100.0, 710.0, 1000.0, 1e4]
# softplus: below a raised threshold the log branch itself must not overflow (torch's does)
RAISED_THRESHOLD = [((np.array([1000.0, 100.0, -1000.0]),), {"threshold": 2000.0}),
                    ((np.array([100.0, -100.0], dtype=np.float32),), {"threshold": 200.0})]
DTYPES = "dtype preserved (float32/float64; int and bool give float64)"
STABILITY = "numerical stability at |z| up to 1e4 and the dtype limits"


def shape_cases() -> list:
    return [((0.5,), {}), ((-2,), {}), ([[-1.0, 0.0, 2.0]], {}), ((np.float64(-1.5),), {}),
            ((np.array(0.25),), {}), ((np.linspace(-3, 3, 24).reshape(2, 3, 4),), {}),
            ((np.zeros((0,)),), {}), ((np.zeros((2, 0)),), {}),
            ((np.array([-2, 0, 3]),), {}), ((np.array([True, False]),), {})]


def dtype_cases() -> list:
    return [((np.linspace(-4, 4, 9).astype(np.float32),), {}),
            ((np.linspace(-4, 4, 9),), {}),
            ((np.arange(-3, 4),), {}),
            ((np.array([True, False, True]),), {})]


def extreme_cases(entry: Function) -> list:
    cases = []
    for dtype in (np.float64, np.float32):
        info = np.finfo(dtype)
        values = [v for v in EXTREMES if abs(v) <= info.max] + [float(info.max), -float(info.max), float(info.tiny)]
        cases.append(((np.array(values, dtype=dtype),), {}))
    if any(p.name == "threshold" for p in entry.params):
        cases += RAISED_THRESHOLD
    return cases


def _params(entry: Function) -> dict[str, tuple]:
    return {p.name: p.checked for p in entry.params if p.checked}


def _unchanged(function: str) -> Check:
    return check(function, "inputs not modified", 0.5, PUBLIC,
                 fixed("unchanged", "", [((np.linspace(-2, 2, 7),), {}), (([-1.5, 0.0, 2.0],), {})]))


def stability_and_edges(entry: Function, ref: str, more: list | None = None) -> list[Check]:
    """The public stability check, and the edges: float16, 0-d, empty, lists and tuples."""
    function = entry.qualified
    lists = edges.as_lists([((np.linspace(-2, 2, 7),), {}), ((np.array([[0.5, -1.0], [2.0, 3.0]]),), {})])
    return [edges.stability_check(entry, ref, edges.stability_cases(entry)),
            check(function, edges.EDGES, 0.5, HIDDEN,
                  fixed("values", ref, edges.float16_cases(entry), dtype=True, **edges.F16_TOLERANCE),
                  fixed("values", ref, lists + (more or []), dtype=True))]


def elementwise(entry: Function) -> list[Check]:
    """The checks of an activation or of its derivative (``entry.kind``)."""
    function, params = entry.qualified, _params(entry)
    derivative = entry.kind == "derivative"
    ref = reference(function)
    values64 = s.activation_cases(np.float64, {})
    with_params = s.activation_cases(np.float64, params)
    checks = [check(function, "values (float64)", 2, PUBLIC, generated("values", ref, values64, 15))]
    if derivative:
        forward = f"{entry.module}.{entry.derivative_of}"
        checks.append(check(function, f"matches finite differences of {entry.derivative_of}", 1, PUBLIC,
                            generated("finite_differences", reference(forward), s.derivative_points(params), 10,
                                      forward=forward)))
    else:
        checks.append(check(function, "values and dtype (float32)", 1, PUBLIC,
                            generated("values", ref, s.activation_cases(np.float32, {}), 15, dtype=True)))
    checks += [
        check(function, "scalars, lists, 0-d, n-d and empty inputs", 0.5 if derivative else 1, PUBLIC,
              fixed("values", ref, shape_cases())),
        check(function, DTYPES, 0.5, PUBLIC, fixed("values", ref, dtype_cases(), dtype=True)),
        _unchanged(function),
        *stability_and_edges(entry, ref),
        check(function, STABILITY, 1, HIDDEN, fixed("values", ref, extreme_cases(entry))),
        check(function, "consistent with torch autograd" if derivative else "consistent with torch.nn.functional",
              1, HIDDEN, generated("values", torch(function), with_params if params else values64, 8)),
    ]
    if params:
        checks.append(check(function, "parameters " + ", ".join(params), 1, HIDDEN,
                            generated("values", ref, with_params, 15)))
    if entry.name in ("softplus", "softplus_grad"):
        checks.append(check(function, "the threshold in units of βz: exactly at it and on both sides, β < 1 and β > 1",
                            1, HIDDEN, fixed("values", ref, edges.softplus_threshold_cases())))
    if entry.name == "selu":
        checks.append(check(function, "full-precision constants λ and α (rtol 1e-12)", 1, HIDDEN,
                            fixed("values", ref, edges.selu_constant_cases(), rtol=1e-12, atol=0.0)))
    if derivative and entry.exact:
        cases = [((np.array(points),), kwargs) for points, kwargs in entry.exact]
        checks.append(check(function, "exact derivative at the kink", 1, HIDDEN,
                            fixed("values", ref, cases, rtol=0.0, atol=1e-15)))
    return checks


def _layer_extremes() -> list:
    cases = []
    for dtype in (np.float64, np.float32):
        big = float(np.finfo(dtype).max) / 4
        cases.append(((np.array([[1000.0, 0.0, -1000.0], [1e4, 1e4, -1e4], [-big, 0.0, big]], dtype=dtype),), {}))
    return cases


def layer(entry: Function) -> list[Check]:
    """softmax and log_softmax: on a whole layer, along an axis."""
    function = entry.qualified
    ref = reference(function)
    shapes = [([[1.0, 2.0, 3.0]], {}), ((np.array([[1, 2], [3, 5]]),), {}),
              ((np.zeros((2, 0)),), {}), ((np.zeros((0, 3)),), {}),
              ((np.arange(24.0).reshape(2, 3, 4),), {"axis": 1})]
    return [
        check(function, "values (float64, last axis)", 2, PUBLIC, generated("values", ref, s.layer_cases(np.float64), 15)),
        check(function, "values and dtype (float32)", 1, PUBLIC,
              generated("values", ref, s.layer_cases(np.float32), 15, dtype=True)),
        check(function, "the axis parameter", 1, PUBLIC,
              generated("values", ref, s.layer_cases(np.float64, axis=True), 15)),
        check(function, "lists, 0-d rows, n-d and empty inputs", 0.5, PUBLIC, fixed("values", ref, shapes, dtype=True)),
        check(function, "inputs not modified", 0.5, PUBLIC,
              fixed("unchanged", "", [((np.arange(6.0).reshape(2, 3),), {}), (([[0.5, 1.0], [2.0, -1.0]],), {})])),
        # not 0-d: numpy has no axis -1 on a 0-d array, and an AxisError there is a fair answer
        *stability_and_edges(entry, ref, [((np.zeros(0),), {}), ((np.array([3.0]),), {})]),
        check(function, "numerical stability (max-shift) at large inputs", 1, HIDDEN,
              fixed("values", ref, _layer_extremes())),
        check(function, "consistent with torch", 1, HIDDEN,
              generated("values", torch(function), s.layer_cases(np.float64, axis=True), 8)),
    ]


def jacobian(entry: Function) -> list[Check]:
    """softmax_jacobian: (..., C) -> (..., C, C), batched."""
    function = entry.qualified
    ref = reference(function)
    shapes = [((np.array([0.5, -1.0, 2.0]),), {}), ((np.zeros((2, 3, 4), dtype=np.float32),), {}),
              ([[1.0, 2.0]], {})]
    return [
        check(function, "values (float64, batched)", 2, PUBLIC, generated("values", ref, s.jacobian_cases(), 15)),
        check(function, "shape (..., C) -> (..., C, C) and dtype", 1, PUBLIC, fixed("values", ref, shapes, dtype=True)),
        check(function, "inputs not modified", 0.5, PUBLIC,
              fixed("unchanged", "", [((np.arange(6.0).reshape(2, 3),), {}), (([[0.5, 1.0], [2.0, -1.0]],), {})])),
        *stability_and_edges(entry, ref, [((np.zeros((0, 3)),), {}), ((np.zeros((2, 0)),), {}),
                                          ((np.zeros((0, 2, 4), dtype=np.float32),), {}), ((np.array([3.0]),), {})]),
        check(function, "numerical stability at large inputs", 1, HIDDEN, fixed("values", ref, _layer_extremes())),
        check(function, "consistent with torch autograd", 1, HIDDEN,
              generated("values", torch(function), s.jacobian_cases(max_dims=2), 6)),
    ]


BUILDERS = {"activation": elementwise, "derivative": elementwise, "layer": layer, "jacobian": jacobian}


def exercises() -> list[Exercise]:
    """The checks of every function of activations.py, in the contract's order."""
    return [Exercise(entry.qualified, tuple(BUILDERS[entry.kind](entry))) for entry in functions("activations")]
