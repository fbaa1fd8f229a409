"""Activation functions and their derivatives (reference implementation).

Every function takes array_like input (Python scalars, lists, arrays of any shape, including 0-d
and empty) and returns a new ``np.ndarray``; the input is never modified. A floating input keeps
its dtype (float16 is computed in float32 and rounded back); integer and bool inputs give float64.

The formulas are chosen so that no intermediate overflows: for every finite input they return
finite, accurate values without RuntimeWarning, including ±1e4 and the limits of the dtype. Where
the true value itself is not representable the result is its rounding, ±inf, still without a
warning, as torch: ``selu`` beyond finfo.max / λ, and ``log_softmax`` of a logit more than
finfo.max below the maximum.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "sigmoid", "sigmoid_grad",
    "tanh", "tanh_grad",
    "relu", "relu_grad",
    "leaky_relu", "leaky_relu_grad",
    "softplus", "softplus_grad",
    "elu", "elu_grad",
    "selu", "selu_grad",
    "swish", "swish_grad",
    "linear", "linear_grad",
    "softmax", "log_softmax", "softmax_jacobian",
]

SELU_SCALE = 1.0507009873554804934193349852946  # λ
SELU_ALPHA = 1.6732632423543772848170429916717  # α
_SELU_SCALE_ALPHA = SELU_SCALE * SELU_ALPHA  # λα = 1.7580993408473766, selu'(0) as torch


# ---------------------------------------------------------------------------------------------
# Private helpers (also used by losses.py)
# ---------------------------------------------------------------------------------------------

def _result_dtype(a: np.ndarray) -> np.dtype:
    """Floating dtype of a result: a floating input keeps its dtype, integer or bool give float64."""
    if a.dtype.kind == "f":
        return a.dtype
    if a.dtype.kind in "biu":
        return np.dtype(np.float64)
    raise TypeError(f"expected real numbers, got an array of dtype {a.dtype}")


def _work_dtype(dtype: np.dtype) -> np.dtype:
    """dtype to compute in: float16 is computed in float32 (as torch does on CPU)."""
    return np.dtype(np.float32) if dtype == np.float16 else np.dtype(dtype)


def _prepare(z: ArrayLike) -> tuple[np.ndarray, np.dtype]:
    """(z as a floating array to compute with, dtype of the result). Never copies needlessly."""
    a = np.asarray(z)
    out = _result_dtype(a)
    return a.astype(_work_dtype(out), copy=False), out


def _result(x: ArrayLike, dtype: np.dtype) -> np.ndarray:
    """x as an ndarray of `dtype` (ufuncs on 0-d arrays return numpy scalars: wrap them)."""
    return np.asarray(x, dtype=dtype)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    """Stable σ(x): 1/(1+e^-|x|) for x ≥ 0, e^-|x|/(1+e^-|x|) for x < 0 (exp never overflows)."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _sigmoid_grad(x: np.ndarray) -> np.ndarray:
    """σ'(x) = σ(x)σ(-x) = e^-|x| / (1+e^-|x|)²: accurate even where σ(x) rounds to 1."""
    e = np.exp(-np.abs(x))
    return e / ((1 + e) * (1 + e))


def _softplus(x: np.ndarray) -> np.ndarray:
    """Stable ln(1+e^x) = max(x, 0) + ln(1 + e^-|x|)."""
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def _scale(z: np.ndarray, beta: float) -> np.ndarray:
    """β·z without overflow: for |β| > 1, z is first clipped to ±finfo.max/(2|β|).

    Every use of β·z (σ, softplus, the softplus threshold test) is saturated long before
    finfo.max/2, so the clipping changes no result.
    """
    if abs(beta) > 1:
        limit = z.dtype.type(np.finfo(z.dtype).max / abs(beta) / 2)
        z = np.clip(z, -limit, limit)
    return z * beta


def _check_axis(ndim: int, axis: int) -> int:
    """axis normalised to [0, ndim); a 0-d input counts as one element (axis 0 or -1), as torch."""
    n = max(ndim, 1)
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool) or not -n <= axis < n:
        raise ValueError(f"axis {axis!r} is out of bounds for an array of dimension {ndim}")
    return int(axis) % n


def _shift(z: np.ndarray, m: np.ndarray) -> np.ndarray:
    """z - m for z ≤ m (m the max along an axis, broadcastable), and -inf where z - m overflows.

    Halving is exact, so z/2 - m/2 is the rounded (z - m)/2 and cannot overflow: z - m is
    representable exactly where it is ≥ -finfo.max/2, and only evaluated there. Elsewhere the
    true difference is below -finfo.max: -inf is its rounding and exp gives the exact 0.
    """
    half_max = np.finfo(z.dtype).max / 2
    representable = (z / 2 - m / 2) >= -half_max
    out = np.full(np.broadcast_shapes(z.shape, m.shape), -np.inf, dtype=z.dtype)
    np.subtract(z, m, out=out, where=representable)
    return out


def _exp_shifted(z: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(d, e, rest) for a non-empty z: d = z - max(z), e = exp(d), rest = Σ e without one maximum.

    Σ exp(d) = 1 + rest exactly (the maximum contributes exp(0) = 1), so
    logsumexp(z) = max(z) + log1p(rest), accurate even when rest is tiny.
    """
    m = np.max(z, axis=axis, keepdims=True)
    d = _shift(z, m)
    e = np.exp(d)
    without_max = e.copy()
    np.put_along_axis(without_max, np.argmax(z, axis=axis, keepdims=True), 0, axis=axis)
    rest = np.sum(without_max, axis=axis, keepdims=True)
    return d, e, rest


# ---------------------------------------------------------------------------------------------
# Elementwise activations
# ---------------------------------------------------------------------------------------------

def sigmoid(z: ArrayLike) -> np.ndarray:
    """σ(z) = 1 / (1 + e^-z), computed stably from e^-|z|."""
    x, dtype = _prepare(z)
    return _result(_sigmoid(x), dtype)


def sigmoid_grad(z: ArrayLike) -> np.ndarray:
    """σ'(z) = σ(z)(1 - σ(z)), computed as e^-|z| / (1 + e^-|z|)²."""
    x, dtype = _prepare(z)
    return _result(_sigmoid_grad(x), dtype)


def tanh(z: ArrayLike) -> np.ndarray:
    """tanh(z) = (e^z - e^-z) / (e^z + e^-z) = 2σ(2z) - 1."""
    x, dtype = _prepare(z)
    return _result(np.tanh(x), dtype)


def tanh_grad(z: ArrayLike) -> np.ndarray:
    """tanh'(z) = 1 - tanh(z)², computed as 4e^-2|z| / (1 + e^-2|z|)² (not 1 - σ(z)²)."""
    x, dtype = _prepare(z)
    e1 = np.exp(-np.abs(x))
    e = e1 * e1  # e^-2|z| without forming 2|z|, which overflows at finfo.max
    return _result(4 * e / ((1 + e) * (1 + e)), dtype)


def relu(z: ArrayLike) -> np.ndarray:
    """relu(z) = max(0, z)."""
    x, dtype = _prepare(z)
    return _result(np.maximum(x, 0), dtype)


def relu_grad(z: ArrayLike) -> np.ndarray:
    """relu'(z) = 1 for z > 0, 0 for z ≤ 0 (0 at the kink, as the lecture and torch)."""
    x, dtype = _prepare(z)
    return _result(x > 0, dtype)


def leaky_relu(z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
    """leaky_relu(z) = z for z > 0, αz for z ≤ 0 (= max(αz, z) for 0 ≤ α ≤ 1), as torch."""
    x, dtype = _prepare(z)
    alpha = float(alpha)
    return _result(np.where(x > 0, x, alpha * x), dtype)


def leaky_relu_grad(z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
    """leaky_relu'(z) = 1 for z > 0, α for z ≤ 0 (α at the kink, as torch)."""
    x, dtype = _prepare(z)
    alpha = float(alpha)
    return _result(np.where(x > 0, 1, alpha), dtype)


def softplus(z: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    """softplus(z) = (1/β)·ln(1 + e^(βz)), and z itself where βz > threshold (strictly), as torch."""
    x, dtype = _prepare(z)
    beta, threshold = _softplus_params(beta, threshold)
    bz = _scale(x, beta)
    linear = bz > threshold
    soft = _softplus(np.where(linear, 0, bz)) / beta  # linear entries replaced: no overflow there
    return _result(np.where(linear, x, soft), dtype)


def softplus_grad(z: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    """softplus'(z) = σ(βz), and exactly 1 where βz > threshold (strictly), as torch."""
    x, dtype = _prepare(z)
    beta, threshold = _softplus_params(beta, threshold)
    bz = _scale(x, beta)
    return _result(np.where(bz > threshold, 1, _sigmoid(bz)), dtype)


def _softplus_params(beta: float, threshold: float) -> tuple[float, float]:
    beta = float(beta)
    if beta == 0:
        raise ValueError("softplus: beta must be non-zero")
    return beta, float(threshold)


def elu(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    """elu(z) = z for z > 0, α(e^z - 1) for z ≤ 0 (via expm1 of min(z, 0): accurate, no overflow)."""
    x, dtype = _prepare(z)
    alpha = float(alpha)
    return _result(np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0))), dtype)


def elu_grad(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    """elu'(z) = 1 for z > 0, αe^z for z ≤ 0 (α at the kink, as torch)."""
    x, dtype = _prepare(z)
    alpha = float(alpha)
    return _result(np.where(x > 0, 1, alpha * np.exp(np.minimum(x, 0))), dtype)


def selu(z: ArrayLike) -> np.ndarray:
    """selu(z) = λ·elu(z, α): λz for z > 0, λα(e^z - 1) for z ≤ 0, full-precision λ and α."""
    x, dtype = _prepare(z)
    # λz exceeds finfo.max only where z > finfo.max/λ: the true value is not representable and
    # ±inf is its correctly rounded result (torch returns inf too); silence that overflow only.
    with np.errstate(over="ignore"):
        positive = SELU_SCALE * x
    negative = _SELU_SCALE_ALPHA * np.expm1(np.minimum(x, 0))
    return _result(np.where(x > 0, positive, negative), dtype)


def selu_grad(z: ArrayLike) -> np.ndarray:
    """selu'(z) = λ for z > 0, λαe^z for z ≤ 0 (λα = 1.7580993408473766 at the kink, as torch)."""
    x, dtype = _prepare(z)
    return _result(np.where(x > 0, SELU_SCALE, _SELU_SCALE_ALPHA * np.exp(np.minimum(x, 0))), dtype)


def swish(z: ArrayLike, beta: float = 1.0) -> np.ndarray:
    """swish(z) = z·σ(βz) (β = 1 is torch's SiLU)."""
    x, dtype = _prepare(z)
    return _result(x * _sigmoid(_scale(x, float(beta))), dtype)


def swish_grad(z: ArrayLike, beta: float = 1.0) -> np.ndarray:
    """swish'(z) = σ(βz) + βz·σ(βz)(1 - σ(βz))."""
    x, dtype = _prepare(z)
    bz = _scale(x, float(beta))
    return _result(_sigmoid(bz) + bz * _sigmoid_grad(bz), dtype)


def linear(z: ArrayLike) -> np.ndarray:
    """linear(z) = z (a new array, never the input itself)."""
    a = np.asarray(z)
    return np.array(a, dtype=_result_dtype(a), copy=True)


def linear_grad(z: ArrayLike) -> np.ndarray:
    """linear'(z) = 1."""
    a = np.asarray(z)
    return np.ones(a.shape, dtype=_result_dtype(a))


# ---------------------------------------------------------------------------------------------
# Layer-wise activations
# ---------------------------------------------------------------------------------------------

def softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
    """softmax(z)_i = e^(z_i - max z) / Σ_j e^(z_j - max z) along `axis` (a scalar gives 1)."""
    x, dtype = _prepare(z)
    axis = _check_axis(x.ndim, axis)
    if x.size == 0:
        return np.empty(x.shape, dtype=dtype)
    xs = x.reshape(-1) if x.ndim == 0 else x
    _, e, rest = _exp_shifted(xs, axis)
    return _result((e / (1 + rest)).reshape(x.shape), dtype)


def log_softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
    """log_softmax(z)_i = z_i - max z - log Σ_j e^(z_j - max z) along `axis`; finite where
    log(softmax) underflows (a scalar gives 0)."""
    x, dtype = _prepare(z)
    axis = _check_axis(x.ndim, axis)
    if x.size == 0:
        return np.empty(x.shape, dtype=dtype)
    xs = x.reshape(-1) if x.ndim == 0 else x
    d, _, rest = _exp_shifted(xs, axis)
    return _result((d - np.log1p(rest)).reshape(x.shape), dtype)


def softmax_jacobian(z: ArrayLike) -> np.ndarray:
    """J = diag(s) - s sᵀ with s = softmax(z) over the last axis: (..., C) → (..., C, C).

    The diagonal s_i(1 - s_i) is computed as s_i·Σ_{j≠i} s_j, accurate where s_i rounds to 1.
    A scalar is one logit: J = [[0.]].
    """
    x, dtype = _prepare(z)
    if x.ndim == 0:
        x = x.reshape(1)
    c = x.shape[-1]
    if x.size == 0:
        return np.zeros(x.shape + (c,), dtype=dtype)
    _, e, rest = _exp_shifted(x, -1)
    total = 1 + rest
    s = e / total
    others = np.sum(e[..., None, :] * (1 - np.eye(c, dtype=x.dtype)), axis=-1)  # Σ_{j≠i} e_j
    jac = -s[..., :, None] * s[..., None, :]
    idx = np.arange(c)
    jac[..., idx, idx] = s * (others / total)
    return _result(jac, dtype)

