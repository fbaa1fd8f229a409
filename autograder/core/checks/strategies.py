"""How the checks generate inputs: hypothesis strategies, shared by the catalogue and the tests.

Each strategy yields what a check step's property takes: ``(args, kwargs)`` pairs, or for the
derivative checks ``(z, kwargs)``. They are derandomized by the runner, so the same strategy
always generates the same examples; changing one changes which inputs a check sees.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

REDUCTIONS = ("mean", "sum", "none")
F32 = np.float32
REAL = (-30.0, 30.0)
AVERAGES = ("micro", "macro", "weighted")


# -- arrays ---------------------------------------------------------------------------------------------

def floats_array(dtype: Any, min_value: float, max_value: float, max_side: int = 6,
                 min_dims: int = 0, max_dims: int = 3) -> st.SearchStrategy:
    """Arrays of finite floats of ``dtype`` with any small shape (0-d included)."""
    width = np.dtype(dtype).itemsize * 8
    return hnp.arrays(dtype, hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1,
                                              max_side=max_side),
                      elements=st.floats(min_value, max_value, allow_nan=False,
                                         allow_infinity=False, width=width))


def _f(dtype: Any, value: float) -> float:
    """``value`` rounded to ``dtype`` (hypothesis wants bounds representable in the width)."""
    return float(np.dtype(dtype).type(value))


def elements(dtype: Any, low: float, high: float) -> st.SearchStrategy:
    width = np.dtype(dtype).itemsize * 8
    return st.floats(_f(dtype, low), _f(dtype, high), allow_nan=False, allow_infinity=False, width=width)


# -- activations ----------------------------------------------------------------------------------------

def activation_cases(dtype: Any, params: dict[str, tuple], low: float = REAL[0],
                     high: float = REAL[1]) -> st.SearchStrategy:
    """((z,), kwargs) with z of any small shape and the parameters drawn from ``params``."""
    drawn = st.fixed_dictionaries({k: st.sampled_from(list(v)) for k, v in params.items()}) if params \
        else st.just({})
    return st.tuples(floats_array(dtype, low, high).map(lambda z: (z,)), drawn)


def derivative_points(params: dict[str, tuple]) -> st.SearchStrategy:
    """(z, kwargs): float64 points at least 1e-3 away from kinks (at 0) and from a threshold."""
    def usable(case):
        z, kwargs = case
        if np.any(np.abs(z) < 1e-3):
            return False
        if "threshold" in params:
            bz = kwargs.get("beta", 1.0) * z
            return not np.any(np.abs(bz - kwargs.get("threshold", 20.0)) < 1e-2)
        return True
    z = floats_array(np.float64, -8.0, 8.0, max_dims=1)
    drawn = st.fixed_dictionaries({k: st.sampled_from(list(v)) for k, v in params.items()}) if params \
        else st.just({})
    return st.tuples(z, drawn).filter(usable)


def layer_cases(dtype: Any, low: float = -30.0, high: float = 30.0, axis: bool = False) -> st.SearchStrategy:
    """((z,), kwargs) with z of at least one dimension, and an axis when asked."""
    z = floats_array(dtype, low, high, min_dims=1, max_dims=3)
    if not axis:
        return z.map(lambda a: ((a,), {}))
    return z.flatmap(lambda a: st.integers(-a.ndim, a.ndim - 1).map(lambda ax: ((a,), {"axis": ax})))


def jacobian_cases(max_dims: int = 3) -> st.SearchStrategy:
    return floats_array(np.float64, -10, 10, min_dims=1, max_dims=max_dims, max_side=4).map(lambda a: ((a,), {}))


# -- losses ----------------------------------------------------------------------------------------------

def labels(dtype: Any) -> st.SearchStrategy:
    """Targets in [0, 1]: hard 0/1 labels and soft labels."""
    width = np.dtype(dtype).itemsize * 8
    return st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0, width=width))


def pairs(dtype: Any, x_range: tuple[float, float], target: st.SearchStrategy, max_side: int = 6,
          min_dims: int = 0, max_dims: int = 3) -> st.SearchStrategy:
    """(input, target) of one shape and dtype."""
    return floats_array(dtype, _f(dtype, x_range[0]), _f(dtype, x_range[1]), max_side=max_side,
                        min_dims=min_dims, max_dims=max_dims).flatmap(
        lambda x: hnp.arrays(dtype, x.shape, elements=target).map(lambda t: (x, t)))


def with_reduction(pairs_: st.SearchStrategy, reductions: tuple[str, ...]) -> st.SearchStrategy:
    return st.tuples(pairs_, st.sampled_from(reductions)).map(lambda c: (c[0], {"reduction": c[1]}))


def _normalise(t: np.ndarray, dtype: Any) -> np.ndarray:
    """Rows that sum to 1 (a one-hot row where they summed to 0), as ``dtype``."""
    t = t.copy()
    empty = t.sum(axis=1) == 0
    t[empty, 0] = 1.0
    return (t / t.sum(axis=1, keepdims=True)).astype(dtype)


def class_inputs(dtype: Any, targets: str, low: float = -30.0, high: float = 30.0, max_n: int = 6,
                 max_c: int = 5) -> st.SearchStrategy:
    """(logits (N, C), targets): int class indices (N,) or probability rows (N, C) of ``dtype``;
    2 ≤ C (one class, a zero loss, is among the fixed cases)."""
    def build(shape):
        n, c = shape
        logits = hnp.arrays(dtype, (n, c), elements=elements(dtype, low, high))
        if targets == "index":
            target = hnp.arrays(np.int64, (n,), elements=st.integers(0, c - 1))
        else:
            target = hnp.arrays(np.float64, (n, c), elements=st.floats(0.0, 1.0)).map(
                lambda t: _normalise(t, dtype))
        return st.tuples(logits, target)
    return st.tuples(st.integers(1, max_n), st.integers(2, max_c)).flatmap(build)


def loss_pairs(inputs: str, dtype: Any) -> st.SearchStrategy:
    """(input, target) for a loss taking ``inputs``: regression, probability or logits data."""
    if inputs == "regression":
        return pairs(dtype, (-10.0, 10.0), elements(dtype, -10.0, 10.0))
    if inputs == "probability":  # p away from 0 and 1 (the clamps are the stability check's business)
        return pairs(dtype, (2.0 ** -20, 1 - 2.0 ** -20), labels(dtype))
    return pairs(dtype, (-20.0, 20.0), labels(dtype))


def fd_pairs(inputs: str) -> st.SearchStrategy:
    """Small float64 inputs for finite differences, with reduction 'sum' or 'mean'."""
    if inputs == "regression":
        found = pairs(np.float64, (-5.0, 5.0), elements(np.float64, -5.0, 5.0), max_side=3, max_dims=2)
    elif inputs == "logits":
        found = pairs(np.float64, (-8.0, 8.0), labels(np.float64), max_side=3, max_dims=2)
    else:
        found = class_inputs(np.float64, "index", -8.0, 8.0, max_n=3, max_c=4)
    return with_reduction(found, ("sum", "mean"))


def lecture_pairs() -> st.SearchStrategy:
    """(x, y) float64 logits and labels where σ + BCE is still finite (|x| ≤ 15)."""
    return pairs(np.float64, (-15.0, 15.0), labels(np.float64), max_side=6, max_dims=2)


def gaussian_var_cases(torch_shapes: bool = False) -> st.SearchStrategy:
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
    return loss_pairs("regression", np.float64).flatmap(with_var)


def pos_weight_cases(bound: float = 20.0) -> st.SearchStrategy:
    """(N, L) logits and targets with pos_weight a scalar or an (L,) vector."""
    def build(shape):
        n, labels_ = shape
        x = hnp.arrays(np.float64, (n, labels_), elements=st.floats(-bound, bound))
        y = hnp.arrays(np.float64, (n, labels_), elements=labels(np.float64))
        weight = st.one_of(st.floats(0.1, 10.0), hnp.arrays(np.float64, (labels_,), elements=st.floats(0.1, 10.0)))
        return st.tuples(x, y, weight, st.sampled_from(REDUCTIONS)).map(
            lambda c: ((c[0], c[1]), {"pos_weight": c[2], "reduction": c[3]}))
    return st.tuples(st.integers(1, 5), st.integers(1, 4)).flatmap(build)


# -- metrics ----------------------------------------------------------------------------------------------

def class_vectors(min_classes: int = 2, max_classes: int = 4, min_len: int = 1,
                  max_len: int = 30) -> st.SearchStrategy:
    """(y_true, y_pred): int label vectors of one length over 0..k-1."""
    def build(shape):
        k, n = shape
        values = hnp.arrays(np.int64, (n,), elements=st.integers(0, k - 1))
        return st.tuples(values, values)
    return st.tuples(st.integers(min_classes, max_classes), st.integers(min_len, max_len)).flatmap(build)


def binary_vectors(negative: int = 0, positive: int = 1) -> st.SearchStrategy:
    """(y_true, y_pred) over {negative, positive}, lengths 1 to 30."""
    def build(n):
        values = hnp.arrays(np.int64, (n,), elements=st.sampled_from([negative, positive]))
        return st.tuples(values, values)
    return st.integers(1, 30).flatmap(build)


def _spread(y_true: np.ndarray) -> np.ndarray:
    """y_true, or y_true + a ramp where it is constant or nearly so (R² is ill-conditioned there:
    SS_tot cancels; the constant case has its own check)."""
    if float(np.ptp(y_true)) > 1e-2 * max(1.0, float(np.max(np.abs(y_true)))):
        return y_true
    return y_true + np.linspace(0.0, 10.0, y_true.size)


def regression_vectors(min_len: int = 1, r2: bool = False) -> st.SearchStrategy:
    """(y_true, y_pred) float64 vectors; y_pred independent or close to y_true."""
    values = st.floats(-100.0, 100.0, allow_nan=False, allow_infinity=False)

    def build(n):
        y_true = hnp.arrays(np.float64, (n,), elements=values)
        if r2:
            y_true = y_true.map(_spread)
        independent = hnp.arrays(np.float64, (n,), elements=values)
        noise = hnp.arrays(np.float64, (n,), elements=st.floats(-5.0, 5.0))
        return y_true.flatmap(lambda yt: st.one_of(independent, noise.map(lambda e: yt + e)).map(lambda yp: (yt, yp)))
    return st.integers(max(min_len, 2 if r2 else 1), 30).flatmap(build)


def as_args(pairs_: st.SearchStrategy) -> st.SearchStrategy:
    """(args, kwargs) from (y_true, y_pred)."""
    return pairs_.map(lambda p: (p, {}))


def with_labels(pair):
    """(pair, {"labels": ...}): a given order, a subset (with at least one true label), absent labels."""
    present = sorted(set(pair[0].tolist()) | set(pair[1].tolist()))
    pool = present + [9]  # 9 never occurs in the data
    return st.permutations(pool).flatmap(
        lambda order: st.integers(1, len(order)).map(lambda k: list(order[:k]))).filter(
        lambda chosen: bool(set(chosen) & set(pair[0].tolist()))).map(
        lambda chosen: (pair, {"labels": chosen}))


def score_args(beta: bool, pairs_: st.SearchStrategy, kwargs: st.SearchStrategy,
               betas: tuple[float, ...] = (0.5, 2.0)) -> st.SearchStrategy:
    """(args, kwargs); fbeta's β goes third in args, as the contract's positional parameter."""
    if not beta:
        return st.tuples(pairs_, kwargs).map(lambda c: (c[0], c[1]))
    return st.tuples(pairs_, st.sampled_from(betas), kwargs).map(lambda c: (c[0] + (c[1],), c[2]))


def pos_label_vectors() -> st.SearchStrategy:
    """(y_true, y_pred) over {neg, pos} with pos_label=pos: 0 (labels 0, 1) and 2 (0, 2 or 1, 2)."""
    return st.sampled_from([(0, 1), (2, 0), (2, 1)]).flatmap(
        lambda pn: binary_vectors(pn[1], pn[0]).map(lambda pair: (pair, {"pos_label": pn[0]})))


def with_beta(strategy: st.SearchStrategy, betas: tuple[float, ...] = (0.5, 2.0)) -> st.SearchStrategy:
    """Cases of a score with β drawn from ``betas`` appended to their args."""
    return strategy.flatmap(lambda c: st.sampled_from(betas).map(lambda b: (c[0] + (b,), c[1])))
