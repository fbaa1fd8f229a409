# Corpus case correct/c03_python_loops (written by tests/corpus/make_corpus.py).
# solutions/activations.py with these functions rewritten: sigmoid, tanh_grad, relu, relu_grad, leaky_relu, leaky_relu_grad, softplus, elu, elu_grad, swish, softmax, log_softmax.
# Python loops: elementwise activations over np.ndindex (0-d and empty included) with one branch
# per element, tanh' over the flat indices, swish through np.nditer, softmax/log_softmax one row
# at a time after np.moveaxis, mse_loss and the regression metrics accumulated in a float64
# loop, confusion_matrix and accuracy counted sample by sample.
"""Activation functions (funções de ativação) and their derivatives, in numpy.

Exercise 1 of 3 of "Aprendizado Profundo 1: Funções de Ativação e Funções de Custo".

Each activation ``f`` comes with ``f_grad``, its derivative evaluated elementwise at the same
input: the factor that backpropagation multiplies the incoming gradient by. ``softmax`` and
``log_softmax`` act on a whole layer at once (along ``axis``) and ``softmax_jacobian`` gives the
matrix of all their partial derivatives.

Conventions, checked by the autograder for every function:

- Inputs are array_like: Python scalars, lists or numpy arrays of any shape, including 0-d and
  empty arrays.
- Outputs are ``np.ndarray`` of the documented shape (a 0-d input gives a 0-d array, not a
  numpy scalar: wrap ufunc results in ``np.asarray`` when in doubt).
- Floating dtypes are preserved (float32 in, float32 out; float64 in, float64 out); int and bool
  inputs give float64. ``_as_float`` below does that conversion for you.
- Inputs are never modified in place.
- Numerically stable: for any finite input whose true result is finite, the result is finite and
  accurate, also at |z| = 1e4 and at the limits of the dtype, and no RuntimeWarning is raised.
- numpy only: no torch, scipy or sklearn import in this file (the grader rejects it).

The slides contain a few wrong derivatives (tanh, Swish, SoftPlus); the docstrings below give the
correct formula and say where the slide differs.
"""

import numpy as np
from numpy.typing import ArrayLike

# Constants of SELU (Klambauer et al., 2017), at full precision.
SELU_LAMBDA = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717


def _as_float(x: ArrayLike) -> np.ndarray:
    """``x`` as an ndarray of a floating dtype: float dtypes are kept, int/bool become float64."""
    x = np.asarray(x)
    return x if np.issubdtype(x.dtype, np.floating) else x.astype(np.float64)


def sigmoid(z: ArrayLike) -> np.ndarray:
    """One element at a time, exponentiating only non-positive numbers."""
    z = _as_float(z)
    out = np.empty_like(z)
    for index in np.ndindex(z.shape):
        v = z[index]
        if v >= 0:
            out[index] = 1 / (1 + np.exp(-v))
        else:
            e = np.exp(v)
            out[index] = e / (1 + e)
    return out
    ### END SOLUTION


def sigmoid_grad(z: ArrayLike) -> np.ndarray:
    """Derivative of the sigmoid: σ'(z) = σ(z)·(1 - σ(z)).

    Parameters
    ----------
    z : array_like
        Pre-activations, any shape.

    Returns
    -------
    np.ndarray
        σ'(z), same shape and floating dtype as ``z``. At most 1/4 (at z = 0) and close to 0 as
        soon as |z| is large: the vanishing gradient (dissipação de gradiente) of the lecture.

    Watch for: reuse your stable ``sigmoid``; computing e^(-z) directly overflows for very
    negative z.
    """
    ### BEGIN SOLUTION
    s = sigmoid(z)
    return np.asarray(s * (1 - s))
    ### END SOLUTION


def tanh(z: ArrayLike) -> np.ndarray:
    """Hyperbolic tangent: tanh(z) = (e^z - e^(-z)) / (e^z + e^(-z)) = 2σ(2z) - 1.

    Like the sigmoid but with range (-1, 1) and centred at 0.

    Parameters
    ----------
    z : array_like
        Pre-activations, any shape.

    Returns
    -------
    np.ndarray
        tanh(z), same shape and floating dtype as ``z``.

    Watch for: the quotient of exponentials gives inf/inf = nan for |z| ≥ 710; 2σ(2z) - 1 is
    stable but loses relative precision near 0. ``np.tanh`` is both stable and accurate.
    """
    ### BEGIN SOLUTION
    return np.asarray(np.tanh(_as_float(z)))
    ### END SOLUTION


def tanh_grad(z: ArrayLike) -> np.ndarray:
    """Over the flat indices: out.flat[i] = 1 - tanh(z.flat[i])²."""
    z = _as_float(z)
    out = np.empty_like(z)
    for i, v in enumerate(z.flat):
        t = np.tanh(v)
        out.flat[i] = 1 - t * t
    return out
    ### END SOLUTION


def relu(z: ArrayLike) -> np.ndarray:
    z = _as_float(z)
    out = np.empty_like(z)
    for index in np.ndindex(z.shape):
        out[index] = z[index] if z[index] > 0 else 0
    return out
    ### END SOLUTION


def relu_grad(z: ArrayLike) -> np.ndarray:
    z = _as_float(z)
    out = np.empty_like(z)
    for index in np.ndindex(z.shape):
        out[index] = 1 if z[index] > 0 else 0
    return out
    ### END SOLUTION


def leaky_relu(z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
    z = _as_float(z)
    out = np.empty_like(z)
    for index in np.ndindex(z.shape):
        v = z[index]
        out[index] = v if v > 0 else alpha * v
    return out
    ### END SOLUTION


def leaky_relu_grad(z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
    z = _as_float(z)
    out = np.empty_like(z)
    for index in np.ndindex(z.shape):
        out[index] = 1 if z[index] > 0 else alpha
    return out
    ### END SOLUTION


def softplus(z: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    z = _as_float(z)
    out = np.empty_like(z)
    for index in np.ndindex(z.shape):
        v = z[index]
        t = beta * v
        if t > threshold:
            out[index] = v
        elif t > 0:
            out[index] = (t + np.log1p(np.exp(-t))) / beta
        else:
            out[index] = np.log1p(np.exp(t)) / beta
    return out
    ### END SOLUTION


def softplus_grad(z: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    """Derivative of SoftPlus: σ(βz), and exactly 1 where βz > threshold.

    The slide gives φ'(z) = σ(z) "for β = 1": in general the derivative of
    (1/β)·ln(1 + e^(βz)) is σ(βz), and on the linear branch (βz > threshold) it is 1.

    Parameters
    ----------
    z : array_like
        Pre-activations, any shape.
    beta : float, default 1.0
        Sharpness β > 0.
    threshold : float, default 20.0
        The derivative is exactly 1 where β·z > threshold.

    Returns
    -------
    np.ndarray
        Values in (0, 1], same shape and floating dtype as ``z``.

    Watch for: σ(βz), not σ(z), when β ≠ 1; the same branch condition as ``softplus``.
    """
    ### BEGIN SOLUTION
    z = _as_float(z)
    bz = beta * z
    return np.where(bz > threshold, 1, sigmoid(bz))
    ### END SOLUTION


def elu(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    z = _as_float(z)
    out = np.empty_like(z)
    for index in np.ndindex(z.shape):
        v = z[index]
        out[index] = v if v > 0 else alpha * np.expm1(v)
    return out
    ### END SOLUTION


def elu_grad(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    z = _as_float(z)
    out = np.empty_like(z)
    for index in np.ndindex(z.shape):
        v = z[index]
        out[index] = 1 if v > 0 else alpha * np.exp(v)
    return out
    ### END SOLUTION


def selu(z: ArrayLike) -> np.ndarray:
    """Scaled Exponential Linear Unit: λ·ELU(z, α) = λα(e^z - 1) for z ≤ 0, λz for z > 0.

    λ = SELU_LAMBDA ≈ 1.0507 and α = SELU_ALPHA ≈ 1.6733 (constants defined at the top of this
    module) are chosen so that activations keep zero mean and unit variance across layers.

    Parameters
    ----------
    z : array_like
        Pre-activations, any shape.

    Returns
    -------
    np.ndarray
        Same shape and floating dtype as ``z``.

    Watch for: use the full-precision constants, not 1.05 and 1.67; reuse ``elu``.
    """
    ### BEGIN SOLUTION
    return np.asarray(SELU_LAMBDA * elu(z, SELU_ALPHA))
    ### END SOLUTION


def selu_grad(z: ArrayLike) -> np.ndarray:
    """Derivative of SELU: λαe^z for z ≤ 0, λ for z > 0.

    Parameters
    ----------
    z : array_like
        Pre-activations, any shape.

    Returns
    -------
    np.ndarray
        Same shape and floating dtype as ``z``.

    Watch for: the value at z = 0 is λα ≈ 1.7581 (negative branch), not λ.
    """
    ### BEGIN SOLUTION
    return np.asarray(SELU_LAMBDA * elu_grad(z, SELU_ALPHA))
    ### END SOLUTION


def swish(z: ArrayLike, beta: float = 1.0) -> np.ndarray:
    """np.nditer with an allocated output operand (same dtype and shape as z)."""
    z = _as_float(z)
    it = np.nditer([z, None], flags=["zerosize_ok"],
                   op_flags=[["readonly"], ["writeonly", "allocate"]])
    with it:
        for v, out in it:
            t = beta * v
            if t >= 0:
                out[...] = v / (1 + np.exp(-t))
            else:
                e = np.exp(t)
                out[...] = v * e / (1 + e)
        return it.operands[1]
    ### END SOLUTION


def swish_grad(z: ArrayLike, beta: float = 1.0) -> np.ndarray:
    """Derivative of Swish: σ(βz) + βz·σ(βz)·(1 - σ(βz)).

    Product rule: d/dz [z·σ(βz)] = σ(βz) + z·β·σ'(βz). The slide's formula
    "βxσ(βx) + (σ(βx)(1 βσ(βx)))" is garbled; this is the correct one.

    Parameters
    ----------
    z : array_like
        Pre-activations, any shape.
    beta : float, default 1.0
        Scale β inside the sigmoid.

    Returns
    -------
    np.ndarray
        Same shape and floating dtype as ``z``.

    Watch for: the chain rule brings out a factor β; do not copy the slide.
    """
    ### BEGIN SOLUTION
    z = _as_float(z)
    s = sigmoid(beta * z)
    return np.asarray(s + beta * z * s * (1 - s))
    ### END SOLUTION


def linear(z: ArrayLike) -> np.ndarray:
    """Linear (identity) activation: φ(z) = z. The output unit for regression.

    Parameters
    ----------
    z : array_like
        Pre-activations, any shape.

    Returns
    -------
    np.ndarray
        A copy of ``z`` with a floating dtype.

    Watch for: return a new array, not ``z`` itself, so that changing the output never changes
    the caller's input.
    """
    ### BEGIN SOLUTION
    return _as_float(z).copy()
    ### END SOLUTION


def linear_grad(z: ArrayLike) -> np.ndarray:
    """Derivative of the linear activation: 1 everywhere.

    Parameters
    ----------
    z : array_like
        Pre-activations, any shape.

    Returns
    -------
    np.ndarray
        Ones, same shape and floating dtype as ``z``.

    Watch for: the shape and dtype of ``z``, not a Python scalar 1.
    """
    ### BEGIN SOLUTION
    return np.ones_like(_as_float(z))
    ### END SOLUTION


def softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
    """One row at a time: the layer's axis is moved last and the rest flattened."""
    z = _as_float(z)
    moved = np.moveaxis(z, axis, -1)
    rows = moved.reshape(-1, moved.shape[-1]) if moved.size else moved.reshape(0, 0)
    out = np.empty_like(rows)
    for i, row in enumerate(rows):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return np.moveaxis(out.reshape(moved.shape), -1, axis)
    ### END SOLUTION


def log_softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
    z = _as_float(z)
    moved = np.moveaxis(z, axis, -1)
    rows = moved.reshape(-1, moved.shape[-1]) if moved.size else moved.reshape(0, 0)
    out = np.empty_like(rows)
    for i, row in enumerate(rows):
        with np.errstate(over="ignore"):
            shifted = row - row.max()
        out[i] = shifted - np.log(np.exp(shifted).sum())
    return np.moveaxis(out.reshape(moved.shape), -1, axis)
    ### END SOLUTION


def softmax_jacobian(z: ArrayLike) -> np.ndarray:
    """Jacobian of the softmax over the last axis: J = diag(s) - s·sᵀ with s = softmax(z).

    Element by element, J_ij = ∂s_i/∂z_j = s_i·(δ_ij - s_j). Since a softmax output depends on
    every logit of the layer, its derivative is a C×C matrix, not a vector.

    Parameters
    ----------
    z : array_like
        Logits of shape (..., C); any leading axes are a batch. A scalar is one logit (C = 1).

    Returns
    -------
    np.ndarray
        Shape (..., C, C): one Jacobian per row of ``z``, floating dtype of ``z``.

    Watch for: the outer product s·sᵀ (``s[..., :, None] * s[..., None, :]``), not s²; keep the
    batch axes.
    """
    ### BEGIN SOLUTION
    s = softmax(np.atleast_1d(z), axis=-1)  # a scalar is a layer of one unit
    column, row = s[..., :, None], s[..., None, :]
    return column * np.eye(s.shape[-1], dtype=s.dtype) - column * row
    ### END SOLUTION
