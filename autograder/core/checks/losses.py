"""Catalogue entries for losses.py: the checks of every loss and every loss gradient.

Each function gets separately weighted checks, public or hidden:
values against the reference for 'mean' and for 'sum'/'none' (float64, generated), float32 with
its dtype kept, scalars / lists / n-d / empty / int and bool inputs, inputs left unmodified,
numerical stability at extreme inputs, the parameters (var, pos_weight, probability targets),
consistency with torch.nn.functional (and autograd for the gradients), central finite
differences of the student's own loss for every ``*_grad``, and, for ``bce_with_logits``, the
lecture's point: it equals sigmoid + BCE where both are finite and stays finite where sigmoid +
BCE saturates.

Oracles are module-level functions with unique qualified names (expected values are memoised by
``module.qualname`` and input). torch is imported inside the torch oracles only, so grading a
correct submission never needs it unless a torch check runs.

The comparison helpers here (``compare``, ``values_property``, ``values_cases``, ``find_hint``)
add to ``hints.diagnose`` the local known mistakes (``LOCAL_MISTAKES``, ``LOCAL_SCALED``,
``LOCAL_NON_FINITE``; a hint fires only once its message is in ``messages.py``) and the generic
hints (dtype, reduction, argument order, overflow at large inputs); ``checks/metrics.py`` uses
them too and adds its own known mistakes.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from reference import losses as ref

from ..messages import EN, say
from . import hints
from .base import (HIDDEN, PASS, PUBLIC, Check, Exercise, Outcome, Student, fault_outcome, floats_array,
                   mismatch, run_property, show, show_call)
from .builders import compare_call, expected_value, unchanged_check

REDUCTIONS = ("mean", "sum", "none")
F32 = np.float32


# =============================================================================================
# Comparison with hints (shared with checks/metrics.py)
# =============================================================================================

def _close(received: Any, candidate: Any, equal_nan: bool = True) -> bool:
    """Whether ``received`` is ``candidate`` (same shape, rtol 1e-5, atol 1e-8)."""
    try:
        with np.errstate(all="ignore"):
            candidate = np.asarray(candidate, dtype=float)
            received = np.asarray(received, dtype=float)
            return (candidate.shape == received.shape
                    and bool(np.allclose(received, candidate, rtol=1e-5, atol=1e-8, equal_nan=equal_nan)))
    except (TypeError, ValueError):
        return False


def _try(fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """fn(*args, **kwargs), or None when it raises (a mistaken implementation may not apply)."""
    try:
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)
    except Exception:
        return None


def find_hint(function: str, oracle: Callable, args: tuple, kwargs: dict, answer: Any,
              expected: Any, check_dtype: bool = False) -> str:
    """The hint that explains a wrong answer, or '' when none applies.

    In order: the right values in the wrong dtype; the local known mistakes (``LOCAL_MISTAKES``;
    a mistake that gives nan where the answer is nan proves nothing, so nan never matches there);
    a metric that returned nan where a number was due; ``hints.diagnose`` (the shared catalogue);
    the local scaled mistakes; a non-finite loss; a wrong answer at inputs that overflow exp; the
    reduction; the argument order. Hints whose message is not in the catalogue yet are skipped.
    """
    if not getattr(answer, "ok", False):
        return ""
    received = np.asarray(answer.value)
    expected = np.asarray(expected)
    if received.dtype.kind not in "biuf":
        return ""
    same_shape = received.shape == expected.shape
    if (check_dtype and same_shape and received.dtype != expected.dtype and expected.dtype.kind == "f"
            and _close(received, expected)):
        return say("hint_dtype")  # right values, wrong dtype: nothing else to explain
    for key, mistaken in LOCAL_MISTAKES.get(function, []):
        if key not in EN:
            continue
        candidate = _try(mistaken, *args, **kwargs)
        if _close(received, candidate, equal_nan=False) and not _close(expected, candidate):
            return say(key)
    non_finite = (same_shape and expected.dtype.kind == "f"
                  and bool(np.any(~np.isfinite(received.astype(float)) & np.isfinite(expected))))
    if non_finite and function.startswith("metrics."):
        # a nan score: hints.diagnose would match any mistake that is nan there too, or blame
        # overflow; the metric's own explanation (once in the catalogue) or nothing
        key = LOCAL_NON_FINITE.get(function, "")
        return say(key) if key in EN else ""
    hint = hints.diagnose(function, args, kwargs, answer, expected)
    if hint:
        return hint
    for key, factor in LOCAL_SCALED.get(function, []):
        scale = _try(factor, args, kwargs)
        if key in EN and scale and scale != 1 and _close(received, expected.astype(float) * scale):
            return say(key)
    if non_finite and LOCAL_NON_FINITE.get(function, "") in EN:
        return say(LOCAL_NON_FINITE[function])
    if check_dtype and same_shape and received.dtype != expected.dtype and expected.dtype.kind == "f":
        return say("hint_dtype")
    if function in LOCAL_LARGE_INPUT and args and _overflows_exp(args[0]):
        return say(LOCAL_LARGE_INPUT[function])
    reduction = kwargs.get("reduction")
    if reduction in REDUCTIONS:
        if reduction == "none" and received.ndim == 0 and expected.ndim > 0:
            return say("hint_reduction")
        for other in REDUCTIONS:
            if other != reduction and _close(received, _try(oracle, *args, **{**kwargs, "reduction": other})):
                return say("hint_reduction")
    if len(args) >= 2:
        swapped = _try(oracle, args[1], args[0], *args[2:], **kwargs)
        if not _close(expected, swapped) and _close(received, swapped, equal_nan=False):
            return say("hint_wrong_order")
    return ""


def compare(student: Student, function: str, oracle: Callable, args: tuple, kwargs: dict,
            check_dtype: bool = False, rtol: float | None = None,
            atol: float | None = None) -> Outcome | None:
    """``builders.compare_call`` with the losses' and metrics' hints (``find_hint``)."""
    return compare_call(student, function, oracle, args, kwargs, check_dtype, rtol, atol,
                        hint=lambda answer, expected: find_hint(function, oracle, args, kwargs, answer,
                                                                expected, check_dtype))


def values_property(function: str, name: str, points: float, visibility: str,
                    cases: st.SearchStrategy, oracle: Callable, max_examples: int = 10,
                    check_dtype: bool = False, rtol: float | None = None,
                    atol: float | None = None) -> Check:
    """Values against ``oracle`` on generated (args, kwargs); the smallest failure is reported."""

    def run(student: Student) -> Outcome:
        return run_property(cases, lambda case: compare(student, function, oracle, case[0], case[1],
                                                        check_dtype, rtol, atol), max_examples,
                            key=f"{function}: {name}")

    return Check(function, name, points, visibility, run)


def values_cases(function: str, name: str, points: float, visibility: str, cases: Iterable,
                 oracle: Callable, check_dtype: bool = False, rtol: float | None = None,
                 atol: float | None = None) -> Check:
    """Values against ``oracle`` on fixed (args, kwargs); the first failure is reported."""
    cases = list(cases)

    def run(student: Student) -> Outcome:
        for args, kwargs in cases:
            outcome = compare(student, function, oracle, args, kwargs, check_dtype, rtol, atol)
            if outcome is not None:
                return outcome
        return PASS

    return Check(function, name, points, visibility, run)


# =============================================================================================
# Oracles: the reference, torch (lazily imported), and known mistakes
# =============================================================================================

def _t(a: Any, dtype: Any = np.float64):
    import torch
    return torch.as_tensor(np.array(a, dtype=dtype))


def _torch_none_sum(loss, reduction: str):
    return loss.sum() if reduction == "none" else loss


def torch_gaussian_nll(input, target, var=1.0, reduction="mean"):
    import torch
    var = np.broadcast_to(np.asarray(var, dtype=np.float64), np.shape(input))  # torch wants var's shape
    loss = torch.nn.GaussianNLLLoss(full=True, eps=1e-300, reduction=reduction)
    return loss(_t(input), _t(target), _t(var)).numpy()


def torch_mse_loss(input, target, reduction="mean"):
    import torch.nn.functional as F
    return F.mse_loss(_t(input), _t(target), reduction=reduction).numpy()


def torch_mse_loss_grad(input, target, reduction="mean"):
    import torch.nn.functional as F
    x = _t(input).requires_grad_(True)
    _torch_none_sum(F.mse_loss(x, _t(target), reduction=reduction), reduction).backward()
    return x.grad.numpy()


def torch_bce_loss(input, target, reduction="mean"):
    import torch.nn.functional as F
    return F.binary_cross_entropy(_t(input), _t(target), reduction=reduction).numpy()


def torch_bce_with_logits(input, target, pos_weight=None, reduction="mean"):
    import torch.nn.functional as F
    weight = None if pos_weight is None else _t(pos_weight)
    return F.binary_cross_entropy_with_logits(_t(input), _t(target), pos_weight=weight,
                                              reduction=reduction).detach().numpy()


def torch_bce_with_logits_grad(input, target, pos_weight=None, reduction="mean"):
    import torch.nn.functional as F
    x = _t(input).requires_grad_(True)
    weight = None if pos_weight is None else _t(pos_weight)
    loss = F.binary_cross_entropy_with_logits(x, _t(target), pos_weight=weight, reduction=reduction)
    _torch_none_sum(loss, reduction).backward()
    return x.grad.numpy()


def _torch_target(target):
    target = np.asarray(target)
    return _t(target, np.int64) if target.dtype.kind in "iu" else _t(target)


def torch_cross_entropy(input, target, reduction="mean"):
    import torch.nn.functional as F
    return F.cross_entropy(_t(input), _torch_target(target), reduction=reduction).numpy()


def torch_cross_entropy_grad(input, target, reduction="mean"):
    import torch.nn.functional as F
    x = _t(input).requires_grad_(True)
    _torch_none_sum(F.cross_entropy(x, _torch_target(target), reduction=reduction), reduction).backward()
    return x.grad.numpy()


def _sigmoid(x: Any) -> np.ndarray:
    """A stable sigmoid, computed in the grader (float64)."""
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


# -- known mistakes (hints fire only once their message is in the catalogue) -------------------

def _reduce(loss: np.ndarray, reduction: str) -> np.ndarray:
    return loss if reduction == "none" else np.asarray(np.sum(loss) if reduction == "sum" else np.mean(loss))


def _gaussian_without_constant(input, target, var=1.0, reduction="mean"):
    x, t, v = (np.asarray(a, dtype=float) for a in (input, target, var))
    return _reduce(0.5 * (np.log(v) + (t - x) ** 2 / v), reduction)


def _gaussian_without_half(input, target, var=1.0, reduction="mean"):
    x, t, v = (np.asarray(a, dtype=float) for a in (input, target, var))
    return _reduce(np.log(2 * np.pi * v) + (t - x) ** 2 / v, reduction)


def _mse_grad_without_two(input, target, reduction="mean"):
    return np.asarray(ref.mse_loss_grad(input, target, reduction=reduction), dtype=float) / 2


def _mse_grad_negated(input, target, reduction="mean"):
    return -np.asarray(ref.mse_loss_grad(input, target, reduction=reduction), dtype=float)


def _bce_with_logits_grad_negated(input, target, pos_weight=None, reduction="mean"):
    return -np.asarray(ref.bce_with_logits_grad(input, target, pos_weight, reduction), dtype=float)


def _cross_entropy_grad_negated(input, target, reduction="mean"):
    return -np.asarray(ref.cross_entropy_grad(input, target, reduction), dtype=float)


def _bce_clipped(input, target, reduction="mean", eps=1e-7):
    p = np.clip(np.asarray(input, dtype=float), eps, 1 - eps)
    y = np.asarray(target, dtype=float)
    return _reduce(-(y * np.log(p) + (1 - y) * np.log(1 - p)), reduction)


def _bce_clipped_1e12(input, target, reduction="mean"):
    return _bce_clipped(input, target, reduction, 1e-12)


def _bce_clipped_1e15(input, target, reduction="mean"):
    return _bce_clipped(input, target, reduction, 1e-15)


def _bce_with_logits_via_sigmoid(input, target, pos_weight=None, reduction="mean"):
    """BCE of σ(x) with torch's clamp: saturates at 100 for large |x| (the lecture's point)."""
    p, y = _sigmoid(input), np.asarray(target, dtype=float)
    w = 1.0 if pos_weight is None else np.asarray(pos_weight, dtype=float)
    with np.errstate(divide="ignore"):
        loss = -(w * y * np.maximum(np.log(p), -100) + (1 - y) * np.maximum(np.log1p(-p), -100))
    return _reduce(loss, reduction)


def _bce_with_logits_weight_both(input, target, pos_weight=None, reduction="mean"):
    """pos_weight multiplying the whole loss."""
    if pos_weight is None:
        return None
    unweighted = np.asarray(ref.bce_with_logits(input, target, None, "none"), dtype=float)
    return _reduce(np.asarray(pos_weight, dtype=float) * unweighted, reduction)


def _bce_with_logits_weight_negative(input, target, pos_weight=None, reduction="mean"):
    if pos_weight is None:
        return None
    x, y = np.asarray(input, dtype=float), np.asarray(target, dtype=float)
    w = np.asarray(pos_weight, dtype=float)
    return _reduce(y * np.logaddexp(0, -x) + w * (1 - y) * np.logaddexp(0, x), reduction)


def _bce_with_logits_grad_unweighted_sigma(input, target, pos_weight=None, reduction="mean"):
    """σ(x) - w·y: forgets that w also multiplies σ(x)·y."""
    if pos_weight is None:
        return None
    x, y = np.asarray(input, dtype=float), np.asarray(target, dtype=float)
    g = _sigmoid(x) - np.asarray(pos_weight, dtype=float) * y
    return g / g.size if reduction == "mean" else g


LOCAL_MISTAKES: dict[str, list[tuple[str, Callable]]] = {
    "losses.gaussian_nll": [("hint_gaussian_nll_full", _gaussian_without_constant),
                            ("hint_gaussian_nll_full", _gaussian_without_half)],
    "losses.mse_loss_grad": [("hint_mse_grad_factor_two", _mse_grad_without_two),
                             ("hint_grad_sign", _mse_grad_negated)],
    "losses.bce_loss": [("hint_bce_clip_probability", _bce_clipped),
                        ("hint_bce_clip_probability", _bce_clipped_1e12),
                        ("hint_bce_clip_probability", _bce_clipped_1e15)],
    "losses.bce_with_logits": [("hint_logits_via_sigmoid", _bce_with_logits_via_sigmoid),
                               ("hint_pos_weight_positive_term", _bce_with_logits_weight_both),
                               ("hint_pos_weight_positive_term", _bce_with_logits_weight_negative)],
    "losses.bce_with_logits_grad": [("hint_grad_sign", _bce_with_logits_grad_negated),
                                    ("hint_pos_weight_grad", _bce_with_logits_grad_unweighted_sigma)],
    "losses.cross_entropy_grad": [("hint_grad_sign", _cross_entropy_grad_negated)],
}


def _classes_factor(args: tuple, kwargs: dict) -> float | None:
    """1/C for a 'mean' over N·C entries of (N, C) logits."""
    if kwargs.get("reduction", "mean") == "mean" and np.ndim(args[0]) == 2:
        return 1.0 / np.shape(args[0])[-1]
    return None


LOCAL_SCALED: dict[str, list[tuple[str, Callable]]] = {
    "losses.cross_entropy_grad": [("hint_mean_over_classes", _classes_factor)],
}

LOCAL_NON_FINITE: dict[str, str] = {}

# a wrong answer on inputs large enough to overflow exp: the likely cause (existing messages)
LOCAL_LARGE_INPUT: dict[str, str] = {
    "losses.bce_with_logits": "hint_overflow",
    "losses.bce_with_logits_grad": "hint_overflow",
    "losses.cross_entropy": "hint_log_of_softmax",
    "losses.cross_entropy_grad": "hint_softmax_shift",
}


def _overflows_exp(value: Any) -> bool:
    """Whether e^|value| overflows in the value's floating dtype (any element)."""
    a = np.asarray(value)
    if a.dtype.kind != "f" or a.size == 0:
        return False
    limit = np.log(np.finfo(a.dtype).max)
    return bool(np.max(np.abs(a)) > limit)


# =============================================================================================
# Strategies and fixed cases
# =============================================================================================

def _f(dtype: Any, value: float) -> float:
    """``value`` rounded to ``dtype`` (hypothesis wants bounds representable in the width)."""
    return float(np.dtype(dtype).type(value))


def _elements(dtype: Any, low: float, high: float) -> st.SearchStrategy:
    width = np.dtype(dtype).itemsize * 8
    return st.floats(_f(dtype, low), _f(dtype, high), allow_nan=False, allow_infinity=False, width=width)


def _labels(dtype: Any) -> st.SearchStrategy:
    """Targets in [0, 1]: hard 0/1 labels and soft labels."""
    width = np.dtype(dtype).itemsize * 8
    return st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0, width=width))


def _pairs(dtype: Any, x_range: tuple[float, float], target: st.SearchStrategy, max_side: int = 6,
           min_dims: int = 0, max_dims: int = 3) -> st.SearchStrategy:
    """(input, target) of one shape and dtype."""
    return floats_array(dtype, _f(dtype, x_range[0]), _f(dtype, x_range[1]), max_side=max_side,
                        min_dims=min_dims, max_dims=max_dims).flatmap(
        lambda x: hnp.arrays(dtype, x.shape, elements=target).map(lambda t: (x, t)))


def _with_reduction(pairs: st.SearchStrategy, reductions: tuple[str, ...]) -> st.SearchStrategy:
    return st.tuples(pairs, st.sampled_from(reductions)).map(
        lambda c: (c[0], {"reduction": c[1]}))


def _ce_inputs(dtype: Any, targets: str, low: float = -30.0, high: float = 30.0, max_n: int = 6,
               max_c: int = 5) -> st.SearchStrategy:
    """(logits (N, C), targets): int class indices (N,) or probability rows (N, C) of ``dtype``;
    2 ≤ C (one class, a zero loss, is among the fixed cases)."""
    def build(shape):
        n, c = shape
        logits = hnp.arrays(dtype, (n, c), elements=_elements(dtype, low, high))
        if targets == "index":
            target = hnp.arrays(np.int64, (n,), elements=st.integers(0, c - 1))
        else:
            target = hnp.arrays(np.float64, (n, c), elements=st.floats(0.0, 1.0)).map(
                lambda t: _normalise(t, dtype))
        return st.tuples(logits, target)
    return st.tuples(st.integers(1, max_n), st.integers(2, max_c)).flatmap(build)


def _normalise(t: np.ndarray, dtype: Any) -> np.ndarray:
    """Rows that sum to 1 (a one-hot row where they summed to 0), as ``dtype``."""
    t = t.copy()
    empty = t.sum(axis=1) == 0
    t[empty, 0] = 1.0
    return (t / t.sum(axis=1, keepdims=True)).astype(dtype)


def _regression(dtype: Any) -> st.SearchStrategy:
    return _pairs(dtype, (-10.0, 10.0), _elements(dtype, -10.0, 10.0))


def _probabilities(dtype: Any) -> st.SearchStrategy:
    """p away from 0 and 1 (the clamps are the stability check's business)."""
    return _pairs(dtype, (2.0 ** -20, 1 - 2.0 ** -20), _labels(dtype))


def _logits(dtype: Any, bound: float = 20.0) -> st.SearchStrategy:
    return _pairs(dtype, (-bound, bound), _labels(dtype))


def _shape_cases(kind: str) -> list[tuple[tuple, dict]]:
    """Python scalars, lists, numpy scalars, 0-d, n-d, empty, int and bool inputs."""
    if kind == "regression":
        a, b = 0.5, -1.25
        x3 = np.linspace(-2, 2, 24).reshape(2, 3, 4)
        t3 = np.cos(np.arange(24.0)).reshape(2, 3, 4)
        ints = (np.array([1, 2, 3]), np.array([0, 2, 5]))
        bools = None
    elif kind == "probability":
        a, b = 0.25, 0.75
        x3 = np.linspace(0.05, 0.95, 24).reshape(2, 3, 4)
        t3 = (np.arange(24).reshape(2, 3, 4) % 3 == 0).astype(float)
        ints = (np.array([0.2, 0.9, 0.5]), np.array([1, 1, 0]))  # int probabilities would be 0 or 1
        bools = (np.array([0.2, 0.9, 0.5]), np.array([False, True, True]))
    else:  # logits
        a, b = -1.5, 1.0
        x3 = np.linspace(-4, 4, 24).reshape(2, 3, 4)
        t3 = (np.arange(24).reshape(2, 3, 4) % 3 == 0).astype(float)
        ints = (np.array([-2, 0, 3]), np.array([1, 0, 0]))
        bools = (np.array([-0.5, 2.0, 0.0]), np.array([True, False, True]))
    cases = [((a, b), {}), ((a, b), {"reduction": "none"}),
             (([[a, b, a], [b, a, b]], [[b, a, b], [a, b, a]]), {}),
             (([a, b, a], [b, b, a]), {"reduction": "none"}),
             ((np.float64(a), np.float64(b)), {"reduction": "sum"}),
             ((np.array(a), np.array(b)), {"reduction": "none"}),
             ((x3, t3), {"reduction": "none"}), ((x3, t3), {}),
             ((x3.astype(F32), t3.astype(F32)), {"reduction": "none"}),
             ((np.zeros((0,)), np.zeros((0,))), {"reduction": "sum"}),
             ((np.zeros((2, 0)), np.zeros((2, 0))), {"reduction": "none"}),
             (ints, {}), (ints, {"reduction": "none"})]
    if bools is not None:
        cases.append((bools, {"reduction": "none"}))
    return cases


def _ce_shape_cases() -> list[tuple[tuple, dict]]:
    logits = np.array([[2.0, -1.0, 0.5], [0.0, 0.0, 0.0], [-3.0, 4.0, 1.0], [1.0, 2.0, 3.0]])
    index = np.array([0, 2, 1, 2])
    probs = np.eye(3)[index] * 0.75 + 0.25 / 3
    return [((logits.tolist(), index.tolist()), {}),
            ((logits, index), {"reduction": "none"}),
            ((logits, index), {"reduction": "sum"}),
            ((logits[:1], index[:1]), {"reduction": "none"}),
            ((logits[:, :1], np.zeros(4, dtype=np.int64)), {}),
            ((logits.astype(F32), index), {"reduction": "none"}),
            ((logits.astype(F32), probs.astype(F32)), {}),
            ((logits, probs), {"reduction": "none"}),
            ((np.array([[1, 2, 3], [0, 0, 5]]), np.array([2, 1])), {}),
            ((np.array([[1, 2, 3], [0, 0, 5]]), np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])), {"reduction": "none"}),
            ((np.zeros((0, 3)), np.zeros((0,), dtype=np.int64)), {"reduction": "sum"}),
            ((np.zeros((0, 3)), np.zeros((0,), dtype=np.int64)), {"reduction": "none"})]


def _grad_shape_cases(cases: list[tuple[tuple, dict]]) -> list[tuple[tuple, dict]]:
    """The shape cases that make sense for a gradient ('mean' of nothing is left out)."""
    return [(args, kwargs) for args, kwargs in cases
            if not (np.size(args[0]) == 0 and kwargs.get("reduction", "mean") == "mean")]


def _extremes_bce(dtype: Any) -> list[tuple[tuple, dict]]:
    """p = 0 and 1 (exactly, and as close as the dtype gets) with hard and soft labels."""
    dtype = np.dtype(dtype).type
    info = np.finfo(dtype)
    below_one = float(np.nextafter(dtype(1), dtype(0)))
    p = np.array([0, 0, 1, 1, 0, 1, 0.0, 1.0, float(info.tiny), below_one, float(info.smallest_subnormal)],
                 dtype=dtype)
    y = np.array([0, 1, 0, 1, 0.3, 0.7, 1.0, 0.0, 1.0, 0.0, 1.0], dtype=dtype)
    perfect = np.array([0.0, 1.0, 1.0], dtype=dtype)
    return [((p, y), {"reduction": "none"}), ((p, y), {}), ((p, y), {"reduction": "sum"}), ((perfect, perfect), {})]


def _extremes_logits(grad: bool) -> list[tuple[tuple, dict]]:
    cases = []
    for dtype in (np.float64, F32):
        big = float(np.finfo(dtype).max)
        x = np.array([-1e4, 1e4, -1e4, 1e4, -1000, 1000, -710, 710, -100, 100, 0, 1e4, -1e4], dtype=dtype)
        y = np.array([1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0.5, 0.25], dtype=dtype)
        cases += [((x, y), {"reduction": "none"}), ((x, y), {}), ((x, y), {"reduction": "sum"}),
                  ((np.array([big, -big, big, -big, big / 4, -big / 4], dtype=dtype),
                    np.array([0, 1, 1, 0, 0, 1], dtype=dtype)), {"reduction": "none"})]
        if grad:
            cases.append(((np.array([big, -big, big, -big], dtype=dtype),
                           np.array([0, 1, 0.5, 0.5], dtype=dtype)), {}))
    cases.append(((np.array([[-1e4, 1e4], [1000, -1000.0]]), np.array([[1.0, 0.0], [0.0, 1.0]])),
                  {"pos_weight": np.array([2.0, 0.5]), "reduction": "none"}))
    return cases


def _extremes_ce() -> list[tuple[tuple, dict]]:
    cases = []
    for dtype in (np.float64, F32):
        big = float(np.finfo(dtype).max) / 4
        # per-sample losses 2e4, 2e4, 2000, max/4, max/2 (soft: 5000, 1e4, 1000, max/2, max/8): their sum
        # stays finite. No ties among huge logits: there m + log Σ e^(x-m) absorbs the log term (a
        # correct, common formulation) and a small loss would be lost against the magnitude
        x = np.array([[1e4, 0.0, -1e4], [-1e4, 1e4, 0.0], [1000.0, -1000.0, 0.0], [-big, 0.0, big],
                      [big, 0.0, -big]], dtype=dtype)
        index = np.array([2, 0, 1, 1, 2])
        soft = np.array([[0.5, 0.5, 0], [0, 0, 1], [0.25, 0.25, 0.5], [1, 0, 0], [0.5, 0.5, 0]], dtype=dtype)
        for reduction in REDUCTIONS:
            cases += [((x, index), {"reduction": reduction}), ((x, soft), {"reduction": reduction})]
    return cases


def _fd_pairs(kind: str) -> st.SearchStrategy:
    """Small float64 inputs for finite differences, with reduction 'sum' or 'mean'."""
    if kind == "mse":
        pairs = _pairs(np.float64, (-5.0, 5.0), _elements(np.float64, -5.0, 5.0), max_side=3, max_dims=2)
    elif kind == "logits":
        pairs = _pairs(np.float64, (-8.0, 8.0), _labels(np.float64), max_side=3, max_dims=2)
    else:
        pairs = _ce_inputs(np.float64, "index", -8.0, 8.0, max_n=3, max_c=4)
    return _with_reduction(pairs, ("sum", "mean"))


# =============================================================================================
# Builders specific to losses
# =============================================================================================

def loss_finite_difference_check(function: str, forward: str, forward_ref: Callable, points: float,
                                 visibility: str, cases: st.SearchStrategy, max_examples: int = 5) -> Check:
    """``*_grad`` against central differences of the student's own loss, one input element at a
    time (h = 1e-6·max(1, |x|)), for the reduction of the case ('sum' or 'mean').

    Where the student's loss is itself wrong (or fails) on the case, the differences are taken of
    the reference loss instead: a bug in the loss then costs the loss's points, not the gradient's.
    """
    name, forward_name = function.split(".")[1], forward.split(".")[1]

    def run(student: Student) -> Outcome:
        def body(case) -> Outcome | None:
            args, kwargs = case
            x = np.asarray(args[0], dtype=np.float64)
            grad = student.call(name, *args, **kwargs)
            fault = fault_outcome(grad)
            if fault:
                return fault
            own = student.call(forward_name, *args, **kwargs)
            use_own = own.ok and mismatch(own, expected_value(forward_ref, args, kwargs)) is None

            def loss(z: np.ndarray) -> float | None:
                new_args = (z,) + tuple(args[1:])
                if use_own:
                    answer = student.call(forward_name, *new_args, **kwargs)
                    if not answer.ok or np.shape(answer.value) != ():
                        return None
                    return float(np.asarray(answer.value, dtype=np.float64))
                return float(forward_ref(*new_args, **kwargs))

            numeric = np.zeros(x.shape)
            for index in np.ndindex(x.shape):
                h = 1e-6 * max(1.0, abs(float(x[index])))
                plus, minus = x.copy(), x.copy()
                plus[index] += h
                minus[index] -= h
                high, low = loss(plus), loss(minus)
                if high is None or low is None:  # the student's loss failed off the point: use the reference
                    use_own = False
                    high, low = loss(plus), loss(minus)
                numeric[index] = (high - low) / (plus[index] - minus[index])
            problem = mismatch(grad, numeric, rtol=1e-4, atol=1e-5)
            if problem is None:
                return None
            source = f"your {forward_name}" if use_own else \
                f"the correct {forward_name}; your {forward_name} is wrong on this input"
            return Outcome(False, say("failing_call", call=show_call(function, args, kwargs),
                                      problem=f"{problem} (central difference of {source})"),
                           hint=find_hint(function, getattr(ref, name), args, kwargs, grad, numeric))

        return run_property(cases, body, max_examples, key=f"{function}: {title}")

    title = f"matches central finite differences of {forward_name} ('sum' and 'mean')"
    return Check(function, title, points, visibility, run)


def _lecture_cases() -> st.SearchStrategy:
    return _pairs(np.float64, (-15.0, 15.0), _labels(np.float64), max_side=6, max_dims=2)


LECTURE_SATURATION = [
    (np.array([-1000.0, 1000.0, -1000.0, 1000.0, -40.0, 40.0]), np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.0])),
    (np.array([-1000.0, 1000.0, 1000.0], dtype=F32), np.array([1.0, 0.0, 1.0], dtype=F32)),
]


def all_of(function: str, name: str, points: float, visibility: str, parts: list[Check]) -> Check:
    """One check made of several (e.g. with different tolerances): the first failure counts."""
    def run(student: Student) -> Outcome:
        for part in parts:
            outcome = part.run(student)
            if not outcome.passed:
                return outcome
        return PASS
    return Check(function, name, points, visibility, run)


def lecture_check(points: float, visibility: str) -> Check:
    """bce_with_logits(x, y) = bce_loss(σ(x), y) where both are finite (|x| ≤ 15), and stays finite
    and exact (≈ |x| for the wrong label) at |x| = 1000 where σ + BCE saturates at the clamp."""
    function = "losses.bce_with_logits"

    def run(student: Student) -> Outcome:
        def body(case) -> Outcome | None:
            x, y = case
            kwargs = {"reduction": "none"}
            got = student.call("bce_with_logits", x, y, **kwargs)
            fault = fault_outcome(got)
            if fault:
                return fault
            p = _sigmoid(x)
            correct = expected_value(ref.bce_loss, (p, y), kwargs)
            via = student.call("bce_loss", p, y, **kwargs)
            own = via.ok and mismatch(via, correct) is None
            target = np.asarray(via.value, dtype=np.float64) if own else correct
            problem = mismatch(got, target)
            if problem is None:
                return None
            source = "your bce_loss(sigmoid(x), y)" if own else \
                "bce_loss(sigmoid(x), y) (the correct one: your bce_loss is wrong on this input)"
            return Outcome(False, say("failing_call", call=show_call(function, (x, y), kwargs),
                                      problem=f"{problem}, compared with {source}"),
                           hint=find_hint(function, ref.bce_with_logits, (x, y), kwargs, got, target))

        outcome = run_property(_lecture_cases(), body, 6, key=f"{function}: {title}")
        if not outcome.passed:
            return outcome
        for x, y in LECTURE_SATURATION:
            kwargs = {"reduction": "none"}
            outcome = compare(student, function, ref.bce_with_logits, (x, y), kwargs)
            if outcome is not None:
                saturated = show(ref.bce_loss(_sigmoid(x).astype(x.dtype), y, reduction="none"))
                return Outcome(False, f"{outcome.detail} (sigmoid + bce_loss gives {saturated} here: "
                                      "it saturates at the clamp; bce_with_logits must not)",
                               hint=outcome.hint, fault=outcome.fault)
        return PASS

    title = "equals bce_loss(sigmoid(x)) where finite and stays exact at |x| = 1000 (the lecture's point)"
    return Check(function, title, points, visibility, run)


# =============================================================================================
# The catalogue
# =============================================================================================

# examples per property check: the main values checks get the most, consistency checks the fewest
# (torch and the reference agree everywhere; they are there to catch a different convention)
MAIN, SECONDARY, CONSISTENCY, FINITE_DIFFERENCES = 10, 6, 5, 5


def _values(function: str, oracle: Callable, values64: st.SearchStrategy, values32: st.SearchStrategy,
            shape_cases: list, unchanged: list, mean_points: float = 1.5,
            float32_points: float = 1.0) -> list[Check]:
    """The public checks every loss and every gradient shares."""
    return [
        values_property(function, "values, reduction='mean' (float64)", mean_points, PUBLIC,
                        _with_reduction(values64, ("mean",)), oracle, MAIN),
        values_property(function, "values and shapes, reduction='sum' and 'none' (float64)", 1, PUBLIC,
                        _with_reduction(values64, ("sum", "none")), oracle, SECONDARY),
        values_property(function, "values and dtype (float32 in, float32 out)", float32_points, PUBLIC,
                        _with_reduction(values32, REDUCTIONS), oracle, SECONDARY, check_dtype=True),
        values_cases(function, "scalars, lists, 0-d, n-d, empty, int and bool inputs (dtype)", 0.5, PUBLIC,
                     shape_cases, oracle, check_dtype=True),
        unchanged_check(function, 0.5, PUBLIC, unchanged),
    ]


def _torch(function: str, cases: st.SearchStrategy, oracle: Callable, what: str = "") -> Check:
    kind = "torch autograd" if function.endswith("_grad") else "torch.nn.functional"
    return values_property(function, f"consistent with {kind}{what}", 1, HIDDEN, cases, oracle, CONSISTENCY)


def _gaussian_var_cases(torch_shapes: bool = False) -> st.SearchStrategy:
    """(input, target, var) with var a Python float, a same-shape array, or (not for torch) an
    array of shape input.shape[:-1] + (1,) (one variance per row, broadcast)."""
    positive = st.floats(0.05, 20.0)

    def with_var(pair):
        x, t = pair
        options = [positive, hnp.arrays(np.float64, x.shape, elements=positive)]
        if x.ndim >= 1 and not torch_shapes:
            options.append(hnp.arrays(np.float64, x.shape[:-1] + (1,), elements=positive))
        return st.tuples(st.one_of(options), st.sampled_from(REDUCTIONS)).map(
            lambda c: ((x, t, c[0]), {"reduction": c[1]}))
    return _regression(np.float64).flatmap(with_var)


def _pos_weight_cases(bound: float = 20.0) -> st.SearchStrategy:
    """(N, L) logits and targets with pos_weight a scalar or an (L,) vector."""
    def build(shape):
        n, labels = shape
        x = hnp.arrays(np.float64, (n, labels), elements=st.floats(-bound, bound))
        y = hnp.arrays(np.float64, (n, labels), elements=_labels(np.float64))
        weight = st.one_of(st.floats(0.1, 10.0), hnp.arrays(np.float64, (labels,), elements=st.floats(0.1, 10.0)))
        return st.tuples(x, y, weight, st.sampled_from(REDUCTIONS)).map(
            lambda c: ((c[0], c[1]), {"pos_weight": c[2], "reduction": c[3]}))
    return st.tuples(st.integers(1, 5), st.integers(1, 4)).flatmap(build)


def _gaussian() -> Exercise:
    function = "losses.gaussian_nll"
    # var goes positionally: the worker watches positional arguments for in-place changes
    unchanged = [((np.linspace(-1, 1, 6), np.cos(np.arange(6.0)), np.full(6, 0.5)), {}),
                 ((np.linspace(-1, 1, 6), np.cos(np.arange(6.0))), {"reduction": "none"})]
    return Exercise(function, [
        *_values(function, ref.gaussian_nll, _regression(np.float64), _regression(F32),
                 _shape_cases("regression"), unchanged),
        values_property(function, "parameter var (a scalar, a same-shape array, one per row)", 1.5, HIDDEN,
                        _gaussian_var_cases(), ref.gaussian_nll, MAIN),
        _torch(function, _gaussian_var_cases(torch_shapes=True), torch_gaussian_nll,
               " (GaussianNLLLoss(full=True))"),
    ])


def _mse() -> list[Exercise]:
    function, grad = "losses.mse_loss", "losses.mse_loss_grad"
    values64, values32 = _regression(np.float64), _regression(F32)
    unchanged = [((np.linspace(-1, 1, 6), np.cos(np.arange(6.0))), {}),
                 ((np.linspace(-1, 1, 6), np.cos(np.arange(6.0))), {"reduction": "none"})]
    return [
        Exercise(function, [
            *_values(function, ref.mse_loss, values64, values32, _shape_cases("regression"), unchanged,
                     mean_points=2),
            _torch(function, _with_reduction(values64, REDUCTIONS), torch_mse_loss),
        ]),
        Exercise(grad, [
            *_values(grad, ref.mse_loss_grad, values64, values32,
                     _grad_shape_cases(_shape_cases("regression")), unchanged, float32_points=0.5),
            loss_finite_difference_check(grad, function, ref.mse_loss, 1.5, PUBLIC, _fd_pairs("mse"),
                                         FINITE_DIFFERENCES),
            _torch(grad, _with_reduction(values64, REDUCTIONS), torch_mse_loss_grad),
        ]),
    ]


def _bce() -> Exercise:
    function = "losses.bce_loss"
    values64 = _probabilities(np.float64)
    unchanged = [((np.linspace(0.05, 0.95, 6), np.array([0, 1, 1, 0, 0.5, 1.0])), {}),
                 ((np.linspace(0.05, 0.95, 6), np.array([0, 1, 1, 0, 0.5, 1.0])), {"reduction": "none"})]
    return Exercise(function, [
        *_values(function, ref.bce_loss, values64, _probabilities(F32), _shape_cases("probability"), unchanged),
        # float32 with rtol 1e-3: clamping p at e^-100 (a subnormal in float32) gives 99.98
        all_of(function, "numerical stability: p = 0 and 1 (each log clamped at -100, perfect "
                         "predictions cost 0)", 1.5, HIDDEN,
               [values_cases(function, "", 0, HIDDEN, _extremes_bce(np.float64), ref.bce_loss),
                values_cases(function, "", 0, HIDDEN, _extremes_bce(F32), ref.bce_loss, rtol=1e-3)]),
        _torch(function, _with_reduction(values64, REDUCTIONS), torch_bce_loss),
    ])


def _bce_logits() -> list[Exercise]:
    function, grad = "losses.bce_with_logits", "losses.bce_with_logits_grad"
    values64, values32 = _logits(np.float64), _logits(F32)
    x, y = np.linspace(-3, 3, 6), np.array([0, 1, 1, 0, 0.5, 1.0])
    # pos_weight goes positionally: the worker watches positional arguments for in-place changes
    unchanged = [((x, y), {}), ((x.reshape(2, 3), y.reshape(2, 3), np.array([2.0, 0.5, 1.0])), {"reduction": "none"})]
    with_weights = st.one_of(_with_reduction(values64, REDUCTIONS), _pos_weight_cases())
    return [
        Exercise(function, [
            *_values(function, ref.bce_with_logits, values64, values32, _shape_cases("logits"), unchanged),
            lecture_check(1.5, PUBLIC),
            values_cases(function, "numerical stability at |x| up to 1e4 and the dtype limits", 1, HIDDEN,
                         _extremes_logits(False), ref.bce_with_logits),
            values_property(function, "parameter pos_weight (a scalar and a per-last-axis vector)", 1, HIDDEN,
                            _pos_weight_cases(), ref.bce_with_logits, SECONDARY),
            _torch(function, with_weights, torch_bce_with_logits, " (pos_weight included)"),
        ]),
        Exercise(grad, [
            *_values(grad, ref.bce_with_logits_grad, values64, values32,
                     _grad_shape_cases(_shape_cases("logits")), unchanged, float32_points=0.5),
            loss_finite_difference_check(grad, function, ref.bce_with_logits, 1.5, PUBLIC, _fd_pairs("logits"),
                                         FINITE_DIFFERENCES),
            values_cases(grad, "numerical stability at |x| up to 1e4 and the dtype limits", 1, HIDDEN,
                         _extremes_logits(True), ref.bce_with_logits_grad),
            values_property(grad, "parameter pos_weight (a scalar and a per-last-axis vector)", 1, HIDDEN,
                            _pos_weight_cases(), ref.bce_with_logits_grad, SECONDARY),
            _torch(grad, with_weights, torch_bce_with_logits_grad, " (pos_weight included)"),
        ]),
    ]


def _cross_entropy() -> list[Exercise]:
    function, grad = "losses.cross_entropy", "losses.cross_entropy_grad"
    index64, index32 = _ce_inputs(np.float64, "index"), _ce_inputs(F32, "index")
    probs64, probs32 = _ce_inputs(np.float64, "prob"), _ce_inputs(F32, "prob")
    logits = np.arange(12.0).reshape(4, 3) / 4
    unchanged = [((logits, np.array([0, 2, 1, 1])), {}),
                 ((logits, np.eye(3)[[0, 2, 1, 1]]), {"reduction": "none"})]
    out = []
    for name, oracle, torch_oracle in ((function, ref.cross_entropy, torch_cross_entropy),
                                       (grad, ref.cross_entropy_grad, torch_cross_entropy_grad)):
        is_grad = name == grad
        checks = [
            values_property(name, "values, reduction='mean', class-index targets (float64)", 1.5, PUBLIC,
                            _with_reduction(index64, ("mean",)), oracle, MAIN),
            values_property(name, "values and shapes, reduction='sum' and 'none' (float64)", 1, PUBLIC,
                            _with_reduction(index64, ("sum", "none")), oracle, SECONDARY),
            values_property(name, "values and dtype (float32 in, float32 out)", 0.5 if is_grad else 1, PUBLIC,
                            _with_reduction(st.one_of(index32, probs32), REDUCTIONS), oracle, SECONDARY,
                            check_dtype=True),
            values_cases(name, "lists, one sample, one class, int logits, empty batch (dtype)", 0.5, PUBLIC,
                         _grad_shape_cases(_ce_shape_cases()) if is_grad else _ce_shape_cases(), oracle,
                         check_dtype=True),
            unchanged_check(name, 0.5, PUBLIC, unchanged),
        ]
        if is_grad:
            checks.append(loss_finite_difference_check(grad, function, ref.cross_entropy, 1.5, PUBLIC,
                                                       _fd_pairs("ce"), FINITE_DIFFERENCES))
        checks += [
            values_property(name, "class-probability targets of shape (N, C)", 1, HIDDEN,
                            _with_reduction(probs64, REDUCTIONS), oracle, SECONDARY),
            values_cases(name, "numerical stability at logits ±1e4 and the dtype limits", 1, HIDDEN,
                         _extremes_ce(), oracle),
            _torch(name, _with_reduction(st.one_of(index64, probs64), REDUCTIONS), torch_oracle,
                   "" if is_grad else " (class-index and probability targets)"),
        ]
        out.append(Exercise(name, checks))
    return out


def exercises() -> list[Exercise]:
    """The checks of every function of losses.py, in CONTRACT.md order."""
    return [_gaussian(), *_mse(), _bce(), *_bce_logits(), *_cross_entropy()]
