"""Evaluation metrics (reference implementation), scikit-learn semantics.

Names, argument order ``metric(y_true, y_pred)`` and results follow ``sklearn.metrics`` (1.x) on
non-empty 1-D numeric inputs (ints, bools, or integral floats as class labels); an (N, 1)
column is read as (N,), as scikit-learn does (never broadcast against an (N,) vector).
Regression metrics return a numpy scalar of the inputs' floating dtype (float32 when both are
float32; int, bool and lists count as float64); the scores return numpy float64 scalars;
``confusion_matrix`` an int64 array. Invalid input raises ValueError where sklearn does
(different lengths, empty, NaN or inf, non-integral class labels, a multiclass target with
average='binary', a pos_label absent from two present labels, empty labels, ...): the
contract's borders (``autograder/contract.py``, ``BORDERS``).
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "mean_squared_error", "mean_absolute_error", "r2_score",
    "accuracy_score", "confusion_matrix",
    "precision_score", "recall_score", "fbeta_score", "f1_score",
]

_AVERAGES = ("binary", "micro", "macro", "weighted")


# ---------------------------------------------------------------------------------------------
# Input validation
# ---------------------------------------------------------------------------------------------

def _vectors(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """y_true, y_pred as non-empty 1-D numeric arrays of equal length, all finite (an (N, 1)
    column read as (N,))."""
    arrays = []
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        a = np.asarray(y)
        if a.dtype.kind not in "biuf":
            raise ValueError(f"{name} must hold numbers, got dtype {a.dtype}")
        if a.ndim == 2 and a.shape[1] == 1:
            a = a[:, 0]  # a column (N, 1) is read as (N,), as scikit-learn's column_or_1d
        if a.ndim != 1:
            raise ValueError(f"{name} must be 1-D, got shape {a.shape}")
        if a.size == 0:
            raise ValueError(f"{name} is empty: at least one sample is required")
        if a.dtype.kind == "f" and not np.all(np.isfinite(a)):
            raise ValueError(f"{name} contains NaN or infinity")
        arrays.append(a)
    if arrays[0].shape != arrays[1].shape:
        raise ValueError(f"y_true and y_pred have different lengths: "
                         f"{arrays[0].size} and {arrays[1].size}")
    return arrays[0], arrays[1]


def _class_vectors(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(y_true, y_pred, sorted union of their labels) for classification metrics."""
    yt, yp = _vectors(y_true, y_pred)
    for name, a in (("y_true", yt), ("y_pred", yp)):
        if a.dtype.kind == "f" and np.any(a != np.floor(a)):
            raise ValueError(f"{name} holds continuous values: class labels must be integers "
                             "(or bools, or integral floats)")
    return yt, yp, np.unique(np.concatenate([yt, yp]))


# ---------------------------------------------------------------------------------------------
# Regression
# ---------------------------------------------------------------------------------------------

def _in_dtype_of(value: float, yt: np.ndarray, yp: np.ndarray) -> np.floating:
    """``value`` as a numpy scalar of the inputs' floating dtype (float dtypes kept, int and
    bool as float64; float32 beyond its range becomes ±inf, as numpy's own float32 mean would)."""
    dtype = np.result_type(*(a.dtype if a.dtype.kind == "f" else np.float64 for a in (yt, yp)))
    with np.errstate(over="ignore"):
        return dtype.type(value)


def mean_squared_error(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
    """MSE = mean((y_true - y_pred)²), computed in float64, returned in the inputs' dtype."""
    yt, yp = _vectors(y_true, y_pred)
    d = yt.astype(np.float64) - yp.astype(np.float64)
    return _in_dtype_of(np.mean(d * d), yt, yp)


def mean_absolute_error(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
    """MAE = mean(|y_true - y_pred|), computed in float64, returned in the inputs' dtype."""
    yt, yp = _vectors(y_true, y_pred)
    return _in_dtype_of(np.mean(np.abs(yt.astype(np.float64) - yp.astype(np.float64))), yt, yp)


def r2_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
    """R² = 1 - SS_res/SS_tot, SS_res = Σ(y - ŷ)², SS_tot = Σ(y - ȳ)².

    sklearn's force_finite: for a constant y_true (SS_tot = 0) it is 1.0 if the prediction is
    perfect (SS_res = 0), else 0.0. Constancy is tested exactly (all values equal), so a constant
    y_true whose mean rounds (e.g. [0.1]*3) still gives 0.0 / 1.0 where sklearn's rounded SS_tot
    gives a huge negative score. nan for fewer than two samples, as sklearn; -inf (as sklearn,
    without its RuntimeWarning) where SS_res/SS_tot exceeds the float range. Computed in
    float64, returned in the inputs' dtype.
    """
    yt, yp = _vectors(y_true, y_pred)
    return _in_dtype_of(_r2(yt, yp), yt, yp)


def _r2(yt: np.ndarray, yp: np.ndarray) -> float:
    """R² of validated vectors, as a Python float."""
    if yt.size < 2:
        return math.nan
    yt, yp = yt.astype(np.float64), yp.astype(np.float64)
    d = yt - yp
    ss_res = np.sum(d * d)
    c = yt - np.mean(yt)
    ss_tot = np.sum(c * c)
    if np.all(yt == yt[0]) or ss_tot == 0:
        return 1.0 if ss_res == 0 else 0.0
    # Python floats: a ratio beyond the float range gives -inf (as sklearn) without a warning
    return 1.0 - float(ss_res) / float(ss_tot)


# ---------------------------------------------------------------------------------------------
# Classification
# ---------------------------------------------------------------------------------------------

def accuracy_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.float64:
    """Fraction of samples with y_pred == y_true (any number of classes)."""
    yt, yp, _ = _class_vectors(y_true, y_pred)
    return np.float64(np.mean(yt == yp))


def confusion_matrix(y_true: ArrayLike, y_pred: ArrayLike, labels: ArrayLike | None = None) -> np.ndarray:
    """C[i, j] = number of samples with true class labels[i] predicted as labels[j] (int64).

    labels defaults to the sorted union of y_true and y_pred; given labels keep their order,
    labels absent from the data give zero rows / columns and samples whose labels are not listed
    are ignored. As sklearn, at least one given label must occur in y_true; labels must be unique.
    """
    yt, yp, present = _class_vectors(y_true, y_pred)
    if labels is None:
        labels = present
    else:
        labels = np.asarray(labels)
        if labels.ndim != 1 or labels.size == 0:
            raise ValueError("labels must be a non-empty 1-D list of labels")
        if np.unique(labels).size != labels.size:
            raise ValueError("labels must be unique")
        if not np.any(np.isin(yt, labels)):
            raise ValueError("at least one label specified must be in y_true")
    is_true = (yt[:, None] == labels[None, :]).astype(np.int64)
    is_pred = (yp[:, None] == labels[None, :]).astype(np.int64)
    return is_true.T @ is_pred


def _zero_division_value(zero_division: float | str) -> float:
    """0.0, 1.0 or nan (sklearn's "warn" counts as 0.0, silently)."""
    if isinstance(zero_division, str):
        if zero_division == "warn":
            return 0.0
    elif isinstance(zero_division, Real):
        if zero_division in (0, 1):
            return float(zero_division)
        if math.isnan(zero_division):
            return math.nan
    raise ValueError(f"zero_division must be 0.0, 1.0 or np.nan, got {zero_division!r}")


def _divide(numerator: np.ndarray, denominator: np.ndarray, zero_division: float) -> np.ndarray:
    """numerator / denominator, and zero_division where the denominator is 0."""
    zero = denominator == 0
    result = numerator / np.where(zero, 1, denominator).astype(np.float64)
    result[zero] = zero_division
    return result


def _nanaverage(values: np.ndarray, weights: np.ndarray | None = None) -> float:
    """sklearn's average of per-class scores: nan entries are left out (nan if all are nan);
    weights that sum to 0 over the rest are ignored."""
    keep = ~np.isnan(values)
    if not np.any(keep):
        return math.nan
    values = values[keep]
    if weights is None or np.sum(weights[keep]) == 0:
        return float(np.mean(values))
    return float(np.average(values, weights=weights[keep]))


def _precision_recall_fscore(y_true: ArrayLike, y_pred: ArrayLike, beta: float, average: str,
                             pos_label, zero_division) -> tuple[np.float64, np.float64, np.float64]:
    """(precision, recall, F_beta) averaged as sklearn.metrics.precision_recall_fscore_support.

    Per class: P = tp/(tp+fp), R = tp/(tp+fn), F = (1+β²)tp / ((1+β²)tp + β²fn + fp), each set
    to zero_division where its denominator is 0 (for F: tp+fp+fn = 0). 'binary' scores the class
    pos_label only: a multiclass target raises, and so does a pos_label absent from the data when
    two labels are present; with a single label present, an absent pos_label is scored as a class
    without samples or predictions (every score is zero_division). 'micro' pools the counts,
    'macro' averages the per-class scores (macro F is the mean of per-class F), 'weighted'
    weights them by support. pos_label is ignored unless average='binary'.
    """
    if not isinstance(average, str) or average not in _AVERAGES:
        raise ValueError(f"average must be one of {_AVERAGES}, got {average!r}")
    zd = _zero_division_value(zero_division)
    if isinstance(beta, bool) or not isinstance(beta, Real) or not beta >= 0:
        raise ValueError(f"beta must be a number ≥ 0, got {beta!r}")
    yt, yp, present = _class_vectors(y_true, y_pred)

    if average == "binary":
        if present.size > 2:
            raise ValueError("the target is multiclass but average='binary': choose average="
                             "'micro', 'macro' or 'weighted'")
        if not np.any(present == pos_label) and present.size == 2:
            raise ValueError(f"pos_label={pos_label!r} is not a valid label: it should be one "
                             f"of {present.tolist()}")
        labels = np.asarray([pos_label])
    else:
        labels = present

    is_true = yt[:, None] == labels[None, :]
    is_pred = yp[:, None] == labels[None, :]
    tp = np.sum(is_true & is_pred, axis=0)
    true_sum = np.sum(is_true, axis=0)
    pred_sum = np.sum(is_pred, axis=0)
    if average == "micro":
        tp, true_sum, pred_sum = (np.sum(a, keepdims=True) for a in (tp, true_sum, pred_sum))

    precision = _divide(tp, pred_sum, zd)
    recall = _divide(tp, true_sum, zd)
    if math.isinf(beta):
        fscore = recall
    elif beta == 0:
        fscore = precision
    else:
        b2 = float(beta) ** 2
        fscore = _divide((1 + b2) * tp, b2 * true_sum + pred_sum, zd)

    weights = true_sum if average == "weighted" else None
    return (np.float64(_nanaverage(precision, weights)), np.float64(_nanaverage(recall, weights)),
            np.float64(_nanaverage(fscore, weights)))


def precision_score(y_true: ArrayLike, y_pred: ArrayLike, average: str = "binary",
                    pos_label=1, zero_division: float = 0.0) -> np.float64:
    """Precision tp / (tp + fp), averaged as `average` (see _precision_recall_fscore)."""
    return _precision_recall_fscore(y_true, y_pred, 1.0, average, pos_label, zero_division)[0]


def recall_score(y_true: ArrayLike, y_pred: ArrayLike, average: str = "binary",
                 pos_label=1, zero_division: float = 0.0) -> np.float64:
    """Recall tp / (tp + fn), averaged as `average` (see _precision_recall_fscore)."""
    return _precision_recall_fscore(y_true, y_pred, 1.0, average, pos_label, zero_division)[1]


def fbeta_score(y_true: ArrayLike, y_pred: ArrayLike, beta: float, average: str = "binary",
                pos_label=1, zero_division: float = 0.0) -> np.float64:
    """F_β = (1+β²)·P·R / (β²·P + R) per class, averaged as `average`; β = 0 gives precision,
    β = inf recall (see _precision_recall_fscore)."""
    return _precision_recall_fscore(y_true, y_pred, beta, average, pos_label, zero_division)[2]


def f1_score(y_true: ArrayLike, y_pred: ArrayLike, average: str = "binary",
             pos_label=1, zero_division: float = 0.0) -> np.float64:
    """F1 = 2·P·R / (P + R): fbeta_score with β = 1."""
    return _precision_recall_fscore(y_true, y_pred, 1.0, average, pos_label, zero_division)[2]
