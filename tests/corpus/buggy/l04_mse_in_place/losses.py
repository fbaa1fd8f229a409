# Corpus case buggy/l04_mse_in_place (written by tests/corpus/make_corpus.py).
# solutions/losses.py with these functions rewritten: mse_loss.
# x -= y on the caller's float array: the input is modified in place.
"""Loss functions (funções de custo) and their gradients, in numpy.

Exercise 2 of 3 of "Aprendizado Profundo 1: Funções de Ativação e Funções de Custo".

Every loss here is a negative log-likelihood (log verossimilhança negativa) of the data under a
distribution whose parameters the network predicts: a Gaussian gives the squared error (MSE),
a Bernoulli the binary cross entropy (BCE), a categorical distribution the cross entropy.

Argument order: the losses take ``(input, target)`` like PyTorch (``F.mse_loss(input, target)``:
the network's output first), whereas ``metrics.py`` takes ``(y_true, y_pred)`` like
scikit-learn (the truth first). The difference is deliberate: each module follows the library
you will use in practice, so read the signature before you call.

``reduction`` works as in PyTorch: ``'mean'`` (default) averages the elementwise (or per-sample)
losses, ``'sum'`` adds them, ``'none'`` returns them unreduced; any other value raises
ValueError. Every ``*_grad`` returns d(loss)/d(input), with the shape of ``input``, for the same
``reduction`` ('none' gives the gradient of the sum of the unreduced losses).

Conventions, checked by the autograder for every function:

- Inputs are array_like: Python scalars, lists or numpy arrays.
- Outputs are ``np.ndarray`` (a 0-d array for 'mean' and 'sum').
- Floating dtypes are preserved (float32 in, float32 out); int and bool inputs give float64.
  The dtype follows ``input``: ``target`` (and ``var``, ``pos_weight``) are converted to it.
- Inputs are never modified in place.
- Numerically stable: for any finite input whose true result is finite, the result is finite and
  accurate, and no RuntimeWarning is raised.
- numpy only: no torch, scipy or sklearn import in this file (the grader rejects it).
"""

import numpy as np
from numpy.typing import ArrayLike

REDUCTIONS = ("mean", "sum", "none")


def _as_float(x: ArrayLike) -> np.ndarray:
    """``x`` as an ndarray of a floating dtype: float dtypes are kept, int/bool become float64."""
    x = np.asarray(x)
    return x if np.issubdtype(x.dtype, np.floating) else x.astype(np.float64)


def _check_reduction(reduction: str) -> None:
    """Raise ValueError unless ``reduction`` is 'mean', 'sum' or 'none'."""
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _reduce(loss: np.ndarray, reduction: str) -> np.ndarray:
    """Apply ``reduction`` to elementwise (or per-sample) losses: the average, the sum or nothing.

    Private helper shared by the losses of this module (not graded on its own).

    Parameters
    ----------
    loss : np.ndarray
        Unreduced losses, any shape.
    reduction : {'mean', 'sum', 'none'}
        'mean' and 'sum' give a 0-d array, 'none' returns ``loss`` as an array. As in PyTorch,
        the mean of no elements is nan and their sum is 0.

    Watch for: raise ValueError for any other ``reduction`` (``_check_reduction``);
    ``np.mean`` of an empty array warns.
    """
    ### BEGIN SOLUTION
    _check_reduction(reduction)
    if reduction == "mean":
        loss = np.mean(loss) if loss.size else np.full((), np.nan, dtype=loss.dtype)
    elif reduction == "sum":
        loss = np.sum(loss)
    return np.asarray(loss)
    ### END SOLUTION


def gaussian_nll(
    input: ArrayLike, target: ArrayLike, var: ArrayLike = 1.0, reduction: str = "mean"
) -> np.ndarray:
    """Negative log-likelihood of a Gaussian with mean ``input`` and variance ``var``.

    Per element: ½·(ln(2π·var) + (target - input)² / var), that is
    -ln N(target | μ = input, σ² = var).
    This is "Exemplo 1 - Regressão" of the lecture before the constant terms are dropped:
    for a fixed variance, minimising it is minimising the squared error. Matches PyTorch's
    ``GaussianNLLLoss(full=True)`` for var > 0.

    Parameters
    ----------
    input : array_like
        Predicted means μ, any shape.
    target : array_like
        Observed values y, same shape as ``input``.
    var : array_like, default 1.0
        Variance σ² > 0: a scalar, an array that broadcasts against ``input``, or one variance
        per sample of shape ``input.shape[:-1]`` (as in PyTorch).
    reduction : {'mean', 'sum', 'none'}, default 'mean'

    Returns
    -------
    np.ndarray
        0-d for 'mean' and 'sum', the shape of ``input`` for 'none'.

    Watch for: the ln(2π·var) term is part of the full likelihood (full=True): keep it, and
    keep the ½ on both terms. (target - input)² can overflow where (target - input)²/var does
    not: divide before you multiply.
    """
    ### BEGIN SOLUTION
    x = _as_float(input)
    y = np.asarray(target, dtype=x.dtype)
    var = np.asarray(var, dtype=x.dtype)
    if var.ndim and var.shape == x.shape[:-1]:  # one variance per sample: add the last axis
        var = var[..., None]
    d = y - x
    loss = 0.5 * (np.log(2 * np.pi * var) + d * (d / var))  # d·(d/var): d² alone may overflow
    return _reduce(loss, reduction)
    ### END SOLUTION


def mse_loss(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
    x = _as_float(input)
    x -= np.asarray(target, dtype=x.dtype)
    return _reduce(x**2, reduction)
    ### END SOLUTION


def mse_loss_grad(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """Gradient of ``mse_loss`` with respect to ``input``: 2·(input - target), ÷ N for 'mean'.

    N is the number of elements of ``input``; 'sum' and 'none' give 2·(input - target).

    Parameters
    ----------
    input : array_like
        Predictions, any shape.
    target : array_like
        Targets, same shape as ``input``.
    reduction : {'mean', 'sum', 'none'}, default 'mean'

    Returns
    -------
    np.ndarray
        Same shape and floating dtype as ``input``.

    Watch for: the reduction is part of the loss, so it is part of the gradient: 'mean'
    divides by N. Also the factor 2 and the sign (input - target, not target - input).
    """
    ### BEGIN SOLUTION
    _check_reduction(reduction)
    x = _as_float(input)
    y = np.asarray(target, dtype=x.dtype)
    grad = 2 * (x - y)
    return np.asarray(grad / grad.size if reduction == "mean" else grad)
    ### END SOLUTION


def bce_loss(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """Binary cross entropy (entropia binária cruzada) on probabilities p = input.

    Per element: -[y·ln p + (1 - y)·ln(1 - p)], the negative log-likelihood of a Bernoulli
    with parameter p. As in PyTorch's ``F.binary_cross_entropy``, each logarithm is clamped at
    ≥ -100, so p = 0 with y = 1 costs 100 instead of inf.

    Parameters
    ----------
    input : array_like
        Probabilities p in [0, 1] (the output of a sigmoid), any shape.
    target : array_like
        Labels y in [0, 1] (0/1 or soft labels), same shape as ``input``.
    reduction : {'mean', 'sum', 'none'}, default 'mean'

    Returns
    -------
    np.ndarray
        0-d for 'mean' and 'sum', the shape of ``input`` for 'none'.

    Watch for: the -100 clamp on each log; a perfect prediction (p = y = 0 or 1) must cost 0,
    but the naive formula computes 0·ln 0 = 0·(-inf) = nan; ln(0) warns unless you say it is
    expected (``np.errstate``).
    """
    ### BEGIN SOLUTION
    p = _as_float(input)
    y = np.asarray(target, dtype=p.dtype)
    # ln 0 = -inf is expected here: the clamp turns it into -100 (and 0·(-100) = 0, not nan)
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(p), -100)
        log_1mp = np.maximum(np.log1p(-p), -100)  # log1p(-p) = ln(1 - p), accurate for small p
    loss = -(y * log_p + (1 - y) * log_1mp)
    return _reduce(loss, reduction)
    ### END SOLUTION


def bce_with_logits(
    input: ArrayLike,
    target: ArrayLike,
    pos_weight: ArrayLike | None = None,
    reduction: str = "mean",
) -> np.ndarray:
    """Binary cross entropy on logits x = input: BCE(σ(x), y) computed without forming σ(x).

    Per element: -[w·y·ln σ(x) + (1 - y)·ln(1 - σ(x))], where w = pos_weight multiplies the
    positive term (1 when None). PyTorch's ``F.binary_cross_entropy_with_logits``: a sigmoid
    layer and BCE in one function, made stable by the log-sum-exp trick. For multilabel
    classification, ``input`` has shape (N, L) (one sigmoid unit per label) and ``pos_weight``
    shape (L,).

    Parameters
    ----------
    input : array_like
        Logits x (pre-activations of the output layer), any shape.
    target : array_like
        Labels y in [0, 1], same shape as ``input``.
    pos_weight : array_like or None, default None
        Weight of the positive class; broadcast over the last axis of ``input`` (shape (L,) for
        (N, L) logits) or a scalar.
    reduction : {'mean', 'sum', 'none'}, default 'mean'
        'mean' averages over all elements (N·L for multilabel).

    Returns
    -------
    np.ndarray
        0-d for 'mean' and 'sum', the shape of ``input`` for 'none'.

    Watch for: σ(x) rounds to 0 or 1 for |x| > 37, so ln σ(x) becomes -inf (or -100 with
    clamping): the loss must stay exact, e.g. x = -1000, y = 1 costs 1000. Use
    -ln σ(x) = ln(1 + e^(-x)) and -ln(1 - σ(x)) = ln(1 + e^x), each computed as
    ln(1 + e^t) = max(t, 0) + ln(1 + e^(-|t|)).
    """
    ### BEGIN SOLUTION
    x = _as_float(input)
    y = np.asarray(target, dtype=x.dtype)
    w = 1 if pos_weight is None else np.asarray(pos_weight, dtype=x.dtype)
    # ln(1 + e^t) = max(t, 0) + ln(1 + e^-|t|) for t = -x and t = x: no positive exponent
    tail = np.log1p(np.exp(-np.abs(x)))
    minus_log_sig = np.maximum(-x, 0) + tail  # -ln σ(x)
    minus_log_1m_sig = np.maximum(x, 0) + tail  # -ln(1 - σ(x)) = -ln σ(-x)
    loss = w * y * minus_log_sig + (1 - y) * minus_log_1m_sig
    return _reduce(loss, reduction)
    ### END SOLUTION


def bce_with_logits_grad(
    input: ArrayLike,
    target: ArrayLike,
    pos_weight: ArrayLike | None = None,
    reduction: str = "mean",
) -> np.ndarray:
    """Gradient of ``bce_with_logits`` with respect to the logits: σ(x)·(w·y + 1 - y) - w·y.

    Without pos_weight (w = 1) this is the famous σ(x) - y. Divided by the number of elements
    for 'mean'.

    Parameters
    ----------
    input : array_like
        Logits x, any shape.
    target : array_like
        Labels y in [0, 1], same shape as ``input``.
    pos_weight : array_like or None, default None
        As in ``bce_with_logits``.
    reduction : {'mean', 'sum', 'none'}, default 'mean'

    Returns
    -------
    np.ndarray
        Same shape and floating dtype as ``input``.

    Watch for: a stable σ(x) (exponentiate only -|x|); 'mean' divides by the number of elements.
    """
    ### BEGIN SOLUTION
    _check_reduction(reduction)
    x = _as_float(input)
    y = np.asarray(target, dtype=x.dtype)
    w = 1 if pos_weight is None else np.asarray(pos_weight, dtype=x.dtype)
    e = np.exp(-np.abs(x))  # in (0, 1]: cannot overflow
    sig = np.where(x >= 0, 1 / (1 + e), e / (1 + e))  # stable σ(x)
    grad = sig * (w * y + 1 - y) - w * y
    return np.asarray(grad / grad.size if reduction == "mean" else grad)
    ### END SOLUTION


def _log_softmax(x: np.ndarray) -> np.ndarray:
    """Stable log_softmax of the logits ``x`` along the last axis: x - max - log Σ e^(x - max).

    Private helper shared by ``cross_entropy`` and ``cross_entropy_grad`` (not graded on its own;
    the same exercise as ``log_softmax`` in activations.py).
    """
    ### BEGIN SOLUTION
    # x - max may round to -inf only where the exact result is below the dtype's range anyway
    with np.errstate(over="ignore"):
        shifted = x - np.max(x, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
    ### END SOLUTION


def cross_entropy(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """Cross entropy (entropia cruzada) on logits, for multiclass classification.

    Per sample n: -Σ_c t_c·log_softmax(x_n)_c, the negative log-likelihood of a categorical
    distribution whose probabilities are softmax(x_n). With a class index y_n it is simply
    -log_softmax(x_n)_(y_n). PyTorch's ``F.cross_entropy``: softmax and the loss in one function.

    Parameters
    ----------
    input : array_like
        Logits x of shape (N, C): N samples, C classes.
    target : array_like
        Either int class indices of shape (N,), each in 0..C-1, or class probabilities t of
        shape (N, C) (one-hot or soft labels).
    reduction : {'mean', 'sum', 'none'}, default 'mean'
        'mean' divides by the number of samples N (not by N·C); 'none' gives shape (N,).

    Returns
    -------
    np.ndarray
        0-d for 'mean' and 'sum', shape (N,) for 'none'.

    Watch for: log(softmax(x)) is -inf where the softmax underflows; use a stable log_softmax.
    'mean' is over samples, not over the N·C entries.
    """
    ### BEGIN SOLUTION
    x = _as_float(input)
    target = np.asarray(target)
    log_p = _log_softmax(x)
    if target.ndim == x.ndim - 1:  # class indices: pick log p of the true class of each row
        loss = -log_p[np.arange(len(target)), target]
    else:  # class probabilities
        loss = -np.sum(target.astype(x.dtype) * log_p, axis=-1)
    return _reduce(loss, reduction)
    ### END SOLUTION


def cross_entropy_grad(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """Gradient of ``cross_entropy`` with respect to the logits: softmax(x)·Σ_c t_c - t.

    With class indices (or any t that sums to 1 per row) this is softmax(x) - onehot(y).
    Divided by N for 'mean'.

    Parameters
    ----------
    input : array_like
        Logits x of shape (N, C).
    target : array_like
        Int class indices of shape (N,) or class probabilities of shape (N, C).
    reduction : {'mean', 'sum', 'none'}, default 'mean'

    Returns
    -------
    np.ndarray
        Shape (N, C), floating dtype of ``input``.

    Watch for: 'mean' divides by N, the number of samples, not by N·C; soft targets that do not
    sum to 1 keep the factor Σ_c t_c.
    """
    ### BEGIN SOLUTION
    _check_reduction(reduction)
    x = _as_float(input)
    target = np.asarray(target)
    if target.ndim == x.ndim - 1:  # class indices → one-hot rows
        t = np.eye(x.shape[-1], dtype=x.dtype)[target]
    else:
        t = target.astype(x.dtype)
    p = np.exp(_log_softmax(x))  # softmax(x)
    grad = p * np.sum(t, axis=-1, keepdims=True) - t
    return np.asarray(grad / len(x) if reduction == "mean" else grad)  # N samples, not N·C
    ### END SOLUTION
