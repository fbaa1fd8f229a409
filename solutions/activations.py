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
    """Logistic sigmoid (função sigmoid): σ(z) = 1 / (1 + e^(-z)).

    Squashes any real number into (0, 1): the output unit of binary and multilabel
    classification, read as the probability of the positive class.

    Parameters
    ----------
    z : array_like
        Pre-activations (pré-ativações), any shape.

    Returns
    -------
    np.ndarray
        σ(z), same shape and floating dtype as ``z``.

    Watch for: e^(-z) overflows for z < -709 in float64 (z < -88 in float32). Exponentiate
    only non-positive numbers: with e = e^(-|z|) ≤ 1, σ(z) = 1/(1 + e) for z ≥ 0 and
    e/(1 + e) for z < 0 (multiply 1/(1 + e^(-z)) above and below by e^z).
    """
    ### BEGIN SOLUTION
    z = _as_float(z)
    e = np.exp(-np.abs(z))  # in (0, 1]: cannot overflow
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
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
    """Derivative of tanh: tanh'(z) = 1 - tanh(z)².

    The slide writes φ'(z) = 1 - σ(z)²: that is wrong, the square is of tanh itself, not of the
    sigmoid (check at z = 0: tanh'(0) = 1, while 1 - σ(0)² = 0.75).

    Parameters
    ----------
    z : array_like
        Pre-activations, any shape.

    Returns
    -------
    np.ndarray
        tanh'(z) in (0, 1], same shape and floating dtype as ``z``.

    Watch for: the slide's 1 - σ(z)².
    """
    ### BEGIN SOLUTION
    t = tanh(z)
    return np.asarray(1 - t**2)
    ### END SOLUTION


def relu(z: ArrayLike) -> np.ndarray:
    """Rectified Linear Unit: ReLU(z) = max(0, z).

    Does not saturate for z > 0, but a unit whose pre-activation is always negative gets zero
    gradient and "dies".

    Parameters
    ----------
    z : array_like
        Pre-activations, any shape.

    Returns
    -------
    np.ndarray
        max(0, z), same shape and floating dtype as ``z``.

    Watch for: ``np.maximum`` keeps the dtype, Python's ``max`` does not work elementwise.
    """
    ### BEGIN SOLUTION
    z = _as_float(z)
    return np.asarray(np.maximum(z, 0))
    ### END SOLUTION


def relu_grad(z: ArrayLike) -> np.ndarray:
    """Derivative of ReLU: 0 for z ≤ 0, 1 for z > 0.

    ReLU has a kink at 0 where the derivative is undefined; the lecture and PyTorch both use 0
    there.

    Parameters
    ----------
    z : array_like
        Pre-activations, any shape.

    Returns
    -------
    np.ndarray
        0.0 or 1.0 elementwise, same shape and floating dtype as ``z``.

    Watch for: the value at exactly z = 0 is 0 (``z > 0``, not ``z >= 0``); return floats, not
    booleans.
    """
    ### BEGIN SOLUTION
    z = _as_float(z)
    return np.asarray(z > 0, dtype=z.dtype)  # 0 at the kink z = 0
    ### END SOLUTION


def leaky_relu(z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
    """Leaky ReLU: max(αz, z), i.e. z for z > 0 and αz for z ≤ 0 (for 0 ≤ α ≤ 1).

    A small slope α for negative inputs, so that the unit cannot "die" like the ReLU.

    Parameters
    ----------
    z : array_like
        Pre-activations, any shape.
    alpha : float, default 0.01
        Slope for negative inputs, 0 ≤ α ≤ 1 (typically 0.01).

    Returns
    -------
    np.ndarray
        Same shape and floating dtype as ``z``.

    Watch for: max(αz, z) equals the piecewise definition only because α ≤ 1.
    """
    ### BEGIN SOLUTION
    z = _as_float(z)
    return np.asarray(np.maximum(alpha * z, z))
    ### END SOLUTION


def leaky_relu_grad(z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
    """Derivative of Leaky ReLU: α for z ≤ 0, 1 for z > 0.

    Parameters
    ----------
    z : array_like
        Pre-activations, any shape.
    alpha : float, default 0.01
        Slope for negative inputs.

    Returns
    -------
    np.ndarray
        α or 1.0 elementwise, same shape and floating dtype as ``z``.

    Watch for: at the kink z = 0 the value is α (as in the lecture and PyTorch), not 1.
    """
    ### BEGIN SOLUTION
    z = _as_float(z)
    return np.where(z > 0, 1, alpha).astype(z.dtype)  # α at the kink z = 0
    ### END SOLUTION


def softplus(z: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    """SoftPlus: (1/β)·ln(1 + e^(βz)), and z itself where βz > threshold.

    A smooth ReLU. Above the threshold ln(1 + e^(βz))/β and z agree to within e^(-threshold),
    so PyTorch returns z there (``torch.nn.functional.softplus`` semantics).

    Parameters
    ----------
    z : array_like
        Pre-activations, any shape.
    beta : float, default 1.0
        Sharpness β > 0: the larger, the closer to ReLU.
    threshold : float, default 20.0
        The linear branch is used where β·z > threshold (strictly).

    Returns
    -------
    np.ndarray
        Positive values, same shape and floating dtype as ``z``.

    Watch for: e^(βz) overflows long before the result does. Use
    ln(1 + e^t) = max(t, 0) + ln(1 + e^(-|t|)) (``np.log1p``), which never exponentiates a
    positive number; the threshold branch alone does not protect you when threshold is large.
    """
    ### BEGIN SOLUTION
    z = _as_float(z)
    bz = beta * z
    # ln(1 + e^t) = max(t, 0) + ln(1 + e^-|t|): the exponent is never positive
    smooth = (np.maximum(bz, 0) + np.log1p(np.exp(-np.abs(bz)))) / beta
    return np.where(bz > threshold, z, smooth)
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
    """Exponential Linear Unit: α(e^z - 1) for z ≤ 0, z for z > 0.

    Parameters
    ----------
    z : array_like
        Pre-activations, any shape.
    alpha : float, default 1.0
        Value that the negative branch tends to: ELU(z) → -α as z → -∞.

    Returns
    -------
    np.ndarray
        Same shape and floating dtype as ``z``.

    Watch for: ``np.where`` evaluates both branches everywhere, so e^z of a large positive z
    overflows (a RuntimeWarning) even though that value is discarded: exponentiate min(z, 0).
    ``np.expm1(z)`` computes e^z - 1 without cancellation near 0.
    """
    ### BEGIN SOLUTION
    z = _as_float(z)
    negative = alpha * np.expm1(np.minimum(z, 0))  # min(z, 0): no overflow in the unused branch
    return np.where(z > 0, z, negative)
    ### END SOLUTION


def elu_grad(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    """Derivative of ELU: αe^z for z ≤ 0, 1 for z > 0.

    The slide writes α(e^z - 1) + α for z ≤ 0: correct, since it simplifies to αe^z (it is
    ELU(z) + α), but do not drop the "+ α".

    Parameters
    ----------
    z : array_like
        Pre-activations, any shape.
    alpha : float, default 1.0
        The α of ``elu``.

    Returns
    -------
    np.ndarray
        Same shape and floating dtype as ``z``.

    Watch for: the "+ α"; at z = 0 the value is α (negative branch, as PyTorch); exponentiate
    min(z, 0) as in ``elu``.
    """
    ### BEGIN SOLUTION
    z = _as_float(z)
    negative = alpha * np.exp(np.minimum(z, 0))  # = α(e^z - 1) + α, without overflow
    return np.where(z > 0, 1, negative)
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
    """Swish: z·σ(βz). With β = 1 it is PyTorch's SiLU.

    Bounded below, unbounded above; small negative values survive, large negative ones go to 0.

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

    Watch for: use the stable ``sigmoid``.
    """
    ### BEGIN SOLUTION
    z = _as_float(z)
    return np.asarray(z * sigmoid(beta * z))
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
    """Softmax over a layer: softmax(z)_i = e^(z_i) / Σ_j e^(z_j) along ``axis``.

    Turns the logits of a layer into positive numbers that sum to 1: the output layer of
    multiclass classification (one unit per class).

    Parameters
    ----------
    z : array_like
        Logits, any shape; for a batch of shape (N, C) the default axis=-1 normalises each row.
    axis : int, default -1
        The axis that holds the units of the layer.

    Returns
    -------
    np.ndarray
        Same shape and floating dtype as ``z``; sums to 1 along ``axis``. An empty input gives
        an empty output.

    Watch for: e^(z_i) overflows for z_i > 709. Softmax does not change when the same constant
    is subtracted from every z_i, so subtract the maximum: every exponent is then ≤ 0 and the
    largest term is e^0 = 1, so the denominator is ≥ 1.
    """
    ### BEGIN SOLUTION
    z = _as_float(z)
    if z.size == 0:  # np.max of an empty array raises; the softmax of nothing is nothing
        return z.copy()
    # z - max may round to -inf only where the exact e^(z - max) is 0 anyway: harmless
    with np.errstate(over="ignore"):
        shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return np.asarray(e / np.sum(e, axis=axis, keepdims=True))
    ### END SOLUTION


def log_softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
    """Logarithm of the softmax: log_softmax(z)_i = z_i - log Σ_j e^(z_j) along ``axis``.

    This is what the cross-entropy loss needs: -log_softmax(z)_y is the negative log-likelihood
    of class y.

    Parameters
    ----------
    z : array_like
        Logits, any shape.
    axis : int, default -1
        The axis that holds the units of the layer.

    Returns
    -------
    np.ndarray
        Values ≤ 0, same shape and floating dtype as ``z``.

    Watch for: log(softmax(z)) is -inf as soon as a softmax value underflows to 0 (for example
    z = [0, -1000]: the exact answer is [0, -1000]). Use the log-sum-exp trick with the max
    shift m: z_i - m - log Σ_j e^(z_j - m).
    """
    ### BEGIN SOLUTION
    z = _as_float(z)
    if z.size == 0:  # np.max of an empty array raises
        return z.copy()
    # z - max may round to -inf only where the exact result is below the dtype's range anyway
    with np.errstate(over="ignore"):
        shifted = z - np.max(z, axis=axis, keepdims=True)
    # the sum is ≥ 1 (the maximum contributes e^0), so the log is finite
    return np.asarray(shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True)))
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
