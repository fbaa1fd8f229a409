"""The edges of each input space (issue 14): stability that counts, and the borders of the contract.

The catalogues sample the easy middle of each input space; these fixed inputs sit on its edges,
one list per kind of function, shared by ``activations.py``, ``losses.py`` and ``metrics.py``:

- ``stability_cases``: the inputs of the public stability check (|z| up to 1e4 and the dtype
  limits): the stubs promise no RuntimeWarning there (the worker reports numpy's overflow,
  invalid and divide errors per call) and a finite result wherever the true one is finite;
  ``STABILITY_HINTS`` names the technique that avoids the warning for each function;
- float16 inputs (floating dtypes are kept, float16 included);
- softplus's threshold in units of βz, exactly and on both sides, for β < 1 and β > 1;
- SELU's constants at full precision;
- lists and tuples for every argument, with modification observed;
- bool, int and unsigned pairs (uint8 - uint8 wraps around), tiny and huge scales for metrics.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ...contract import Function
from .build import check, fixed
from .records import PUBLIC, Check

F16, F32 = np.float16, np.float32
STABILITY = "no RuntimeWarning (overflow, invalid, divide) and finite results at extreme inputs"
EDGES = "edges: float16 in, float16 out; 0-d, empty, lists and tuples"
EDGES_LOSSES = "edges: float16 in, float16 out; lists and tuples; bool, int and unsigned pairs"
EDGES_METRICS = "edges: lists and tuples; bool, int and unsigned pairs; float16; tiny and huge scales"
EDGES_LABELS = "edges: lists and tuples for every argument"
EDGES_FLOAT16_LISTS = "edges: float16 in, float16 out; lists and tuples"
# weight of the public stability check: the naive formula loses visibly more than 1 point, never
# more than a wrong value ("values (float64)" alone is worth 2)
STABILITY_POINTS = 1.5

# the technique that keeps each function's exponentials and logarithms in range
STABILITY_HINTS = {
    **{f"activations.{name}": "hint_stable_abs" for name in (
        "sigmoid", "sigmoid_grad", "tanh", "tanh_grad", "softplus", "softplus_grad", "swish", "swish_grad")},
    **{f"activations.{name}": "hint_stable_min0" for name in ("elu", "elu_grad", "selu", "selu_grad")},
    "activations.softmax": "hint_stable_max_shift",
    "activations.softmax_jacobian": "hint_stable_max_shift",
    "activations.log_softmax": "hint_stable_logsumexp",
    "losses.cross_entropy": "hint_stable_logsumexp",
    "losses.cross_entropy_grad": "hint_stable_max_shift",
    "losses.bce_with_logits": "hint_stable_logits",
    "losses.bce_with_logits_grad": "hint_stable_abs",
    "losses.bce_loss": "hint_stable_log_clamp",
}


def stability_hint(function: str) -> str:
    """The hint key of ``function``'s stability check (a generic one where no exp is involved)."""
    return STABILITY_HINTS.get(function, "hint_stable_generic")


# -- stability ----------------------------------------------------------------------------------------

def stability_check(entry: Function, oracle: str, cases: list) -> Check:
    """The public check of the stubs' promise on ``cases``; the one hint it names is the technique's
    (a record's field: a release's student package has the properties, not this catalogue)."""
    # values loosely (rtol 1e-3): float32 BCE clamped at e^-100, a subnormal there, gives 99.98
    made = check(entry.qualified, STABILITY, STABILITY_POINTS, PUBLIC, fixed("stable", oracle, cases, rtol=1e-3))
    return dataclasses.replace(made, hints=(stability_hint(entry.qualified),))


def _elementwise_stability(entry: Function) -> list:
    cases = []
    for dtype in (np.float64, F32):
        big = float(np.finfo(dtype).max) / 2  # selu(max) = λ·max overflows: the truth is not finite
        values = [-1e4, -1000.0, -800.0, -100.0, -89.0, -20.0, 0.0, 20.0, 89.0, 100.0, 800.0, 1000.0, 1e4, big, -big]
        cases.append(((np.array(values, dtype=dtype),), {}))
    if any(p.name == "threshold" for p in entry.params):
        cases.append(((np.array([1000.0, 100.0, -1000.0]),), {"threshold": 2000.0}))
    return cases


def _layer_stability() -> list:
    cases = []
    for dtype in (np.float64, F32):
        big = float(np.finfo(dtype).max) / 4
        cases.append(((np.array([[1000.0, 0.0, -1000.0], [1e4, 1e4, -1e4], [-big, 0.0, big],
                                 [800.0, 799.0, -5.0]], dtype=dtype),), {}))
    return cases


def _loss_stability(entry: Function) -> list:
    if entry.inputs == "probability":
        cases = []
        for dtype in (np.float64, F32):
            p = np.array([0, 0, 1, 1, 0, 1, float(np.finfo(dtype).tiny)], dtype=dtype)
            y = np.array([0, 1, 0, 1, 0.25, 0.75, 1.0], dtype=dtype)
            cases += [((p, y), {"reduction": "none"}), ((p, y), {}), ((p[:4:3], p[:4:3]), {"reduction": "sum"})]
        return cases
    if entry.inputs == "logits":
        cases = []
        for dtype in (np.float64, F32):
            big = float(np.finfo(dtype).max) / 4
            x = np.array([-1e4, 1e4, -1000, 1000, -800, 800, -100, 100, 0, big, -big], dtype=dtype)
            y = np.array([1, 0, 0, 1, 1, 0.5, 0, 1, 1, 0, 1], dtype=dtype)
            cases += [((x, y), {"reduction": "none"}), ((x, y), {"reduction": "sum"})]
        cases.append(((np.array([[-1e4, 1e4], [1000, -1000.0]]), np.array([[1.0, 0.0], [0.0, 1.0]]),
                       np.array([2.0, 0.5])), {"reduction": "none"}))
        return cases
    if entry.inputs == "classes":
        cases = []
        for dtype in (np.float64, F32):
            x = np.array([[1e4, 0.0, -1e4], [-1e4, 1e4, 0.0], [1000.0, -1000.0, 0.0], [800.0, 799.0, -800.0]],
                         dtype=dtype)
            soft = np.array([[0.5, 0.5, 0], [0, 0, 1], [0.25, 0.25, 0.5], [1, 0, 0]], dtype=dtype)
            cases += [((x, np.array([2, 0, 1, 1])), {"reduction": "none"}), ((x, soft), {"reduction": "sum"})]
        return cases
    # regression: squares stay finite up to ~1e154, and tiny values underflow harmlessly
    x = np.array([1e150, -1e150, 1e-200, -3e-200, 0.0])
    t = np.array([-1e150, 1e150, 0.0, 1e-200, 1e-300])
    return [((x, t), {"reduction": "none"}), ((x, t), {"reduction": "sum"}),
            ((x.clip(-1e18, 1e18).astype(F32), t.clip(-1e18, 1e18).astype(F32)), {})]


def stability_cases(entry: Function) -> list:
    """The inputs of ``entry``'s public stability check."""
    if entry.kind in ("activation", "derivative"):
        return _elementwise_stability(entry)
    if entry.kind in ("layer", "jacobian"):
        return _layer_stability()
    return _loss_stability(entry)


# float16 computed in float16 (1 - tanh² near 1...) loses a few units of 1e-3 absolute: any
# correct formula passes, and a float64 result for a float16 input fails on its dtype
F16_TOLERANCE = {"rtol": 1e-2, "atol": 5e-3}


# -- float16 ------------------------------------------------------------------------------------------

def float16_cases(entry: Function) -> list:
    """float16 arrays (and float16 targets) small enough for float16's range."""
    if entry.kind in ("activation", "derivative"):
        return [((np.linspace(-4, 4, 9).astype(F16),), {}), ((np.array(0.5, dtype=F16),), {})]
    if entry.kind in ("layer", "jacobian"):
        return [((np.array([[1.0, 2.0, -1.0], [0.5, 0.0, 3.0]], dtype=F16),), {})]
    if entry.inputs == "classes":
        x = np.array([[2.0, -1.0, 0.5], [0.0, 1.0, 0.25]], dtype=F16)
        return [((x, np.array([0, 2])), {}), ((x, np.array([[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]], dtype=F16)),
                                              {"reduction": "none"})]
    if entry.inputs == "probability":
        x, t = np.array([0.25, 0.75, 0.5], dtype=F16), np.array([0.0, 1.0, 1.0], dtype=F16)
    elif entry.inputs == "logits":
        x, t = np.array([-1.5, 2.0, 0.0], dtype=F16), np.array([0.0, 1.0, 1.0], dtype=F16)
    else:  # regression, losses and metrics
        x, t = np.array([0.5, -1.25, 2.0, 3.0], dtype=F16), np.array([0.75, -1.0, 2.5, 2.0], dtype=F16)
        if entry.module == "metrics":
            return [((t, x), {})]
        return [((x, t), {}), ((x, t), {"reduction": "none"})]
    return [((x, t), {}), ((x, t), {"reduction": "none"})]


# -- parameters at their borders ----------------------------------------------------------------------

def softplus_threshold_cases() -> list:
    """βz exactly at the threshold and on both sides, for β < 1 and β > 1 (powers of two: βz is
    exact), with thresholds small enough that both branches differ visibly."""
    cases = []
    for beta, threshold in ((0.5, 1.0), (2.0, 1.0), (0.25, 2.0), (4.0, 2.0), (1.0, 1.0), (2.0, 5.0)):
        at = threshold / beta
        z = np.array([at, np.nextafter(at, np.inf), np.nextafter(at, -np.inf), threshold, 0.75 * at, 1.5 * at,
                      0.75 * threshold, 1.5 * threshold])
        cases.append(((z,), {"beta": beta, "threshold": threshold}))
    return cases


def selu_constant_cases() -> list:
    """Points away from 0 (where e^z - 1 loses digits), both branches."""
    return [((np.array([-3.0, -1.0, -0.5, 0.5, 1.0, 2.0, 10.0]),), {})]


# -- lists, tuples and integer kinds --------------------------------------------------------------------

def as_lists(cases: list) -> list:
    """Each case with its array arguments as nested lists, and again as tuples (1-D only)."""
    out = []
    for args, kwargs in cases:
        lists = tuple(a.tolist() if isinstance(a, np.ndarray) and a.ndim else a for a in args)
        out.append((lists, kwargs))
        if all(np.ndim(a) <= 1 for a in args):
            out.append((tuple(tuple(a) if isinstance(a, list) else a for a in lists), kwargs))
    return out


def integer_kind_pairs() -> list:
    """bool, int and unsigned vectors paired with each other (uint8 - uint8 wraps around)."""
    return [((np.array([1, 3, 2, 0], dtype=np.uint8), np.array([3, 1, 2, 5], dtype=np.uint8)), {}),
            ((np.array([True, False, True, True]), np.array([False, False, True, False])), {}),
            ((np.array([True, False, True]), np.array([2, 0, -1])), {}),
            ((np.array([5, 0, 7], dtype=np.uint16), np.array([-2, 4, 7], dtype=np.int32)), {}),
            ((np.array([1, 2, 3], dtype=np.int8), np.array([3, 2, 0], dtype=np.uint32)), {})]


def metric_scale_cases(r2: bool) -> list:
    """Tiny and huge scales, and a huge offset with a small spread (E[y²] - E[y]² loses it all)."""
    base = np.array([1.0, 2.0, 3.0, 4.0, 6.0])
    pred = np.array([1.25, 1.75, 3.5, 3.75, 5.0])
    cases = [((base * 1e-9, pred * 1e-9), {}), ((base * 1e-150, pred * 1e-150), {}),
             ((base * 1e100, pred * 1e100), {}),
             ((base + 1e8, pred + 1e8), {})]
    if not r2:
        cases.append(((base * 1e150, pred * 1e150), {}))
    return cases
