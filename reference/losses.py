"""Loss functions and their gradients (reference implementation), PyTorch semantics.

Argument order is torch's ``loss(input, target)``; ``reduction`` is ``'mean'`` (default), ``'sum'``
or ``'none'`` (the elementwise or per-sample losses). Every ``*_grad`` returns d(loss)/d(input)
with the shape of ``input`` for the same reduction; for ``'none'`` that is the derivative of each
elementwise / per-sample loss with respect to its own input (the gradient of their sum).

dtype: the result has the promoted floating dtype of the arguments that are numpy arrays or numpy
scalars (Python scalars and lists are weak, as in NEP 50; integer and bool arrays do not count);
float64 when none is floating. float16 is computed in float32 and rounded back. Reductions return
0-d arrays. The 'mean' of zero elements is nan (as torch), without a warning.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from .activations import (
    _exp_shifted,
    _result,
    _result_dtype,
    _sigmoid,
    _softplus,
    _work_dtype,
    log_softmax,
)

__all__ = [
    "gaussian_nll",
    "mse_loss", "mse_loss_grad",
    "bce_loss",
    "bce_with_logits", "bce_with_logits_grad",
    "cross_entropy", "cross_entropy_grad",
]

_REDUCTIONS = ("mean", "sum", "none")
_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
_BCE_LOG_FLOOR = -100.0  # torch clamps each log of binary_cross_entropy at -100


# ---------------------------------------------------------------------------------------------
# Private helpers
# ---------------------------------------------------------------------------------------------

def _check_reduction(reduction: str) -> None:
    if not isinstance(reduction, str) or reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be one of {_REDUCTIONS}, got {reduction!r}")


def _floats(*values: ArrayLike) -> tuple[list[np.ndarray], np.dtype]:
    """The values as arrays of the working dtype, and the result dtype (see the module docstring)."""
    arrays = [np.asarray(v) for v in values]
    for a in arrays:
        _result_dtype(a)  # rejects non-numeric input
    strong = [a.dtype for v, a in zip(values, arrays)
              if isinstance(v, (np.ndarray, np.generic)) and a.dtype.kind == "f"]
    dtype = np.result_type(*strong) if strong else np.dtype(np.float64)
    work = _work_dtype(dtype)
    return [a.astype(work, copy=False) for a in arrays], dtype


def _reduce(loss: np.ndarray, reduction: str, dtype: np.dtype) -> np.ndarray:
    """Apply `reduction` to elementwise / per-sample losses."""
    if reduction == "none":
        return _result(loss, dtype)
    if reduction == "sum":
        return _result(np.sum(loss), dtype)
    if loss.size == 0:  # torch: the mean of no element is nan
        return _result(np.nan, dtype)
    return _result(np.mean(loss), dtype)


def _reduce_grad(grad: np.ndarray, reduction: str, count: int, shape: tuple[int, ...],
                 dtype: np.dtype) -> np.ndarray:
    """Gradient of the reduced loss w.r.t. an input of `shape` from the gradient of the sum of
    the `count` elementwise losses (summed back over broadcast axes, as autograd)."""
    if reduction == "mean" and count:
        grad = grad / count
    return _result(_sum_to_shape(grad, shape), dtype)


def _sum_to_shape(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum `g` over the axes along which an array of `shape` was broadcast."""
    if g.shape == shape:
        return g
    g = np.sum(g, axis=tuple(range(g.ndim - len(shape))))
    expanded = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    return np.sum(g, axis=expanded, keepdims=True).reshape(shape)


def _clamped_log(fn: np.ufunc, x: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """max(fn(x), -100) with fn evaluated only where `valid` (-100 elsewhere): torch's clamp,
    without log(0) = -inf and its warning."""
    out = np.full(x.shape, _BCE_LOG_FLOOR, dtype=x.dtype)
    fn(x, out=out, where=valid)
    return np.maximum(out, _BCE_LOG_FLOOR)


# ---------------------------------------------------------------------------------------------
# Regression losses
# ---------------------------------------------------------------------------------------------

def gaussian_nll(input: ArrayLike, target: ArrayLike, var: ArrayLike = 1.0,
                 reduction: str = "mean") -> np.ndarray:
    """½·(ln(2π·var) + (target - input)²/var), the full Gaussian negative log-likelihood.

    torch GaussianNLLLoss(full=True) for var > 0 (torch also clamps var at 1e-6; this does not).
    var is a scalar or an array broadcastable to input; as in torch, a var of shape
    input.shape[:-1] gets a trailing axis (one variance per sample).
    """
    _check_reduction(reduction)
    (x, t, v), dtype = _floats(input, target, var)
    if not np.all(v > 0):
        raise ValueError("gaussian_nll: var must be > 0 everywhere")
    if v.ndim >= 1 and v.shape != x.shape and v.shape == x.shape[:-1]:
        v = v[..., None]
    d = x - t
    loss = 0.5 * (np.log(v) + d * (d / v)) + _HALF_LOG_2PI  # d·(d/var): no overflow in d²
    return _reduce(loss, reduction, dtype)


def mse_loss(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """(input - target)² per element, as torch.nn.functional.mse_loss."""
    _check_reduction(reduction)
    (x, t), dtype = _floats(input, target)
    d = x - t
    return _reduce(d * d, reduction, dtype)


def mse_loss_grad(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """d/d input: 2(input - target), divided by the number of elements N for 'mean'."""
    _check_reduction(reduction)
    (x, t), dtype = _floats(input, target)
    g = 2 * (x - t)
    return _reduce_grad(g, reduction, g.size, x.shape, dtype)


# ---------------------------------------------------------------------------------------------
# Binary classification losses
# ---------------------------------------------------------------------------------------------

def bce_loss(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """-[y·ln p + (1-y)·ln(1-p)] on probabilities p = input, each log clamped at ≥ -100.

    As torch.nn.functional.binary_cross_entropy: p = 0, y = 1 gives 100; a perfect prediction
    gives 0 (never 0·log 0 = nan); ln(1-p) is computed as log1p(-p). p outside [0, 1] raises.
    """
    _check_reduction(reduction)
    (p, y), dtype = _floats(input, target)
    if not np.all((p >= 0) & (p <= 1)):
        raise ValueError("bce_loss: input must hold probabilities in [0, 1]")
    log_p = _clamped_log(np.log, p, p > 0)
    log_1mp = _clamped_log(np.log1p, -p, p < 1)
    return _reduce(-(y * log_p) - (1 - y) * log_1mp, reduction, dtype)


def _logits_setup(input: ArrayLike, target: ArrayLike, pos_weight: ArrayLike | None):
    """(x, y, w·y, result dtype) for the logit losses; w = 1 when pos_weight is None."""
    if pos_weight is None:
        (x, y), dtype = _floats(input, target)
        return x, y, y, dtype
    (x, y, w), dtype = _floats(input, target, pos_weight)
    return x, y, w * y, dtype


def bce_with_logits(input: ArrayLike, target: ArrayLike, pos_weight: ArrayLike | None = None,
                    reduction: str = "mean") -> np.ndarray:
    """-[w·y·ln σ(x) + (1-y)·ln(1-σ(x))] on logits x = input, w = pos_weight (1 if None).

    Computed as w·y·softplus(-x) + (1-y)·softplus(x) with the stable softplus: algebraically
    torch's (1-y)·x + (1+(w-1)·y)·(log1p(e^-|x|) + max(-x, 0)), without its cancellation; no
    clamp (x = -1000, y = 1 gives 1000). pos_weight broadcasts over the last axis; 'mean'
    averages over all elements.
    """
    _check_reduction(reduction)
    x, y, wy, dtype = _logits_setup(input, target, pos_weight)
    loss = wy * _softplus(-x) + (1 - y) * _softplus(x)
    return _reduce(loss, reduction, dtype)


def bce_with_logits_grad(input: ArrayLike, target: ArrayLike, pos_weight: ArrayLike | None = None,
                         reduction: str = "mean") -> np.ndarray:
    """d/d input: σ(x)·(w·y + 1 - y) - w·y, computed as (1-y)·σ(x) - w·y·σ(-x); divided by the
    number of elements for 'mean'."""
    _check_reduction(reduction)
    x, y, wy, dtype = _logits_setup(input, target, pos_weight)
    g = (1 - y) * _sigmoid(x) - wy * _sigmoid(-x)
    return _reduce_grad(g, reduction, g.size, x.shape, dtype)


# ---------------------------------------------------------------------------------------------
# Multiclass classification loss
# ---------------------------------------------------------------------------------------------

def _ce_setup(input: ArrayLike, target: ArrayLike):
    """(logits, target, is_index, result dtype) for cross_entropy, validating shapes.

    input (N, C) or unbatched (C,). A target with input's shape holds class probabilities;
    a target of shape input.shape[:-1] ((N,) or a scalar) holds integer class indices.
    """
    logits, targets = np.asarray(input), np.asarray(target)
    if logits.ndim not in (1, 2):
        raise ValueError(f"cross_entropy: input must have shape (N, C) or (C,), got {logits.shape}")
    if targets.shape == logits.shape:
        (x, t), dtype = _floats(input, target)
        return x, t, False, dtype
    if targets.shape != logits.shape[:-1]:
        raise ValueError(f"cross_entropy: target of shape {targets.shape} fits neither class "
                         f"indices {logits.shape[:-1]} nor probabilities {logits.shape}")
    if targets.dtype.kind not in "iu":
        raise ValueError(f"cross_entropy: class-index targets must be integers, got {targets.dtype}")
    n_classes = logits.shape[-1]
    if targets.size and (targets.min() < 0 or targets.max() >= n_classes):
        raise ValueError(f"cross_entropy: class indices must lie in [0, {n_classes})")
    (x,), dtype = _floats(input)
    return x, targets.astype(np.intp), True, dtype


def cross_entropy(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """-Σ_c t_c·log_softmax(input)_c per sample, as torch.nn.functional.cross_entropy.

    Integer targets are class indices (the loss is -log_softmax(input)[target]); floating targets
    of input's shape are class probabilities. 'mean' divides by N (not N·C); 'none' gives (N,).
    """
    _check_reduction(reduction)
    x, t, is_index, dtype = _ce_setup(input, target)
    logp = log_softmax(x, axis=-1)
    if is_index:
        per_sample = -np.take_along_axis(logp, t[..., None], axis=-1)[..., 0]
    else:
        # t·logp only where t ≠ 0: a zero probability contributes 0 even where logp = -inf
        products = np.zeros(logp.shape, dtype=logp.dtype)
        np.multiply(t, logp, out=products, where=(t != 0))
        per_sample = -np.sum(products, axis=-1)
    return _reduce(per_sample, reduction, dtype)


def cross_entropy_grad(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """d/d input: softmax(x)·Σ_c t_c - t (= softmax - onehot for indices), divided by N for 'mean'.

    For index targets the target entry softmax_t - 1 is computed as -Σ_{j≠t} softmax_j.
    """
    _check_reduction(reduction)
    x, t, is_index, dtype = _ce_setup(input, target)
    n_samples = x.shape[0] if x.ndim == 2 else 1
    if x.size == 0:
        g = np.zeros(x.shape, dtype=x.dtype)
    else:
        _, e, rest = _exp_shifted(x, -1)
        total = 1 + rest
        g = e / total
        if is_index:
            idx = t[..., None]
            others = e.copy()
            np.put_along_axis(others, idx, 0, axis=-1)
            np.put_along_axis(g, idx, -np.sum(others, axis=-1, keepdims=True) / total, axis=-1)
        else:
            g = g * np.sum(t, axis=-1, keepdims=True) - t
    if reduction == "mean" and n_samples:
        g = g / n_samples
    return _result(g, dtype)
