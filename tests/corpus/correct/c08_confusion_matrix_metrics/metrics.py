# Corpus case correct/c08_confusion_matrix_metrics (written by tests/corpus/make_corpus.py).
# solutions/metrics.py with these functions rewritten: confusion_matrix, _class_counts, _average, f1_score.
# Every classification metric from the confusion matrix, built with np.unique(return_inverse)
# and np.add.at; precision/recall/F-beta per class from its diagonal and row/column sums,
# 'weighted' with np.average; f1_score written out as 2·TP / (2·TP + FP + FN).
"""Evaluation metrics (métricas de avaliação) for regression and classification, in numpy.

Exercise 3 of 3 of "Aprendizado Profundo 1: Funções de Ativação e Funções de Custo".

Names, argument order and semantics are those of ``sklearn.metrics``, on 1-D inputs.

Argument order: the metrics take ``(y_true, y_pred)`` like scikit-learn (the truth first),
whereas the losses in ``losses.py`` take ``(input, target)`` like PyTorch (the prediction first).
The difference is deliberate: each module follows the library you will use in practice, so
read the signature before you call.

Conventions, checked by the autograder for every function:

- Inputs are 1-D array_like of equal length (lists or numpy arrays). Regression metrics take
  numbers; classification metrics take labels of any type (ints, strings, bools).
- Results are numpy floats (or a 0-d array); ``confusion_matrix`` returns an int ndarray.
- Regression metrics keep a floating dtype (float32 in, float32 out); int and bool give float64.
- Inputs are never modified in place.
- numpy only: no torch, scipy or sklearn import in this file (the grader rejects it).
"""

import numpy as np
from numpy.typing import ArrayLike


def _as_float(x: ArrayLike) -> np.ndarray:
    """``x`` as an ndarray of a floating dtype: float dtypes are kept, int/bool become float64."""
    x = np.asarray(x)
    return x if np.issubdtype(x.dtype, np.floating) else x.astype(np.float64)


def mean_squared_error(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
    """Mean squared error: MSE = Σ_i (ŷ_i - y_i)² / N.

    Parameters
    ----------
    y_true : array_like, shape (N,)
        True values y.
    y_pred : array_like, shape (N,)
        Predicted values ŷ.

    Returns
    -------
    np.floating
        The MSE, ≥ 0, in the units of y squared.

    Watch for: the argument order (y_true first, as in scikit-learn).
    """
    ### BEGIN SOLUTION
    y_true, y_pred = _as_float(y_true), _as_float(y_pred)
    return np.mean((y_pred - y_true) ** 2)
    ### END SOLUTION


def mean_absolute_error(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
    """Mean absolute error: MAE = Σ_i |ŷ_i - y_i| / N.

    Less sensitive to outliers than the MSE, and in the units of y.

    Parameters
    ----------
    y_true : array_like, shape (N,)
        True values y.
    y_pred : array_like, shape (N,)
        Predicted values ŷ.

    Returns
    -------
    np.floating
        The MAE, ≥ 0.

    Watch for: the absolute value of each difference, not of the sum.
    """
    ### BEGIN SOLUTION
    y_true, y_pred = _as_float(y_true), _as_float(y_pred)
    return np.mean(np.abs(y_pred - y_true))
    ### END SOLUTION


def r2_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
    """Coefficient of determination: R² = 1 - SS_res / SS_tot.

    SS_res = Σ_i (y_i - ŷ_i)² is the error of the model, SS_tot = Σ_i (y_i - ȳ)² the error of
    always predicting the mean ȳ. R² = 1 is a perfect fit, 0 is no better than the mean, and it
    is negative for a model worse than the mean. The slide writes SS_res / SS_tot and omits the
    "1 -": that ratio is the fraction of variance NOT explained.

    If y_true is constant, SS_tot = 0 and the ratio is undefined: like scikit-learn, return 1.0
    when the prediction is perfect (SS_res = 0) and 0.0 otherwise; with fewer than two samples,
    return nan.

    Parameters
    ----------
    y_true : array_like, shape (N,)
        True values y.
    y_pred : array_like, shape (N,)
        Predicted values ŷ.

    Returns
    -------
    np.floating
        R² ≤ 1.

    Watch for: the "1 -" missing on the slide; ȳ is the mean of y_true (not of y_pred); the
    constant-y_true case (no division by zero).
    """
    ### BEGIN SOLUTION
    y_true, y_pred = _as_float(y_true), _as_float(y_pred)
    if len(y_true) < 2:  # the variance of a single sample is not defined (scikit-learn: nan)
        return np.float64(np.nan)
    ss_res = np.sum((y_true - y_pred) ** 2)
    ss_tot = np.sum((y_true - np.mean(y_true)) ** 2)
    if ss_tot == 0:  # constant y_true: 1.0 for a perfect prediction, else 0.0 (scikit-learn)
        return np.asarray(ss_res == 0, dtype=ss_tot.dtype)
    return 1 - ss_res / ss_tot
    ### END SOLUTION


def accuracy_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
    """Accuracy (acurácia): the fraction of correct predictions, (TP + TN) / N in the binary case.

    Works for any number of classes: it is the mean of [ŷ_i = y_i].

    Parameters
    ----------
    y_true : array_like, shape (N,)
        True labels.
    y_pred : array_like, shape (N,)
        Predicted labels.

    Returns
    -------
    np.floating
        A value in [0, 1].

    Watch for: accuracy is misleading on unbalanced classes (predicting always the majority
    class scores high): that is what precision and recall are for.
    """
    ### BEGIN SOLUTION
    return np.mean(np.asarray(y_true) == np.asarray(y_pred))
    ### END SOLUTION


def confusion_matrix(y_true: ArrayLike, y_pred: ArrayLike, labels: ArrayLike | None = None) -> np.ndarray:
    """np.add.at on (true index, predicted index) pairs."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if labels is None:
        labels, codes = np.unique(np.concatenate([y_true, y_pred]), return_inverse=True)
        rows, cols = codes[:len(y_true)], codes[len(y_true):]
        cm = np.zeros((len(labels), len(labels)), dtype=np.int64)
        np.add.at(cm, (rows, cols), 1)
        return cm
    labels = np.asarray(labels)
    if len(labels) == 0:
        return np.zeros((0, 0), dtype=np.int64)
    is_true = y_true[:, None] == labels[None, :]
    is_pred = y_pred[:, None] == labels[None, :]
    keep = is_true.any(axis=1) & is_pred.any(axis=1)  # samples with listed labels only
    cm = np.zeros((len(labels), len(labels)), dtype=np.int64)
    np.add.at(cm, (is_true[keep].argmax(axis=1), is_pred[keep].argmax(axis=1)), 1)
    return cm
    ### END SOLUTION


def _class_counts(y_true, y_pred, average, pos_label):
    """TP, FP, FN per class from the confusion matrix."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    classes = np.union1d(y_true, y_pred)
    cm = confusion_matrix(y_true, y_pred, labels=classes)
    tp = np.diag(cm)
    fp, fn = cm.sum(axis=0) - tp, cm.sum(axis=1) - tp
    if average == "binary":
        if len(classes) > 2 or (len(classes) == 2 and pos_label not in classes):
            raise ValueError(f"average='binary' needs two labels with pos_label, got {classes.tolist()}")
        k = np.flatnonzero(classes == pos_label)
        if k.size == 0:
            return np.zeros(1, np.int64), np.zeros(1, np.int64), np.zeros(1, np.int64)
        return tp[k], fp[k], fn[k]
    if average not in ("micro", "macro", "weighted"):
        raise ValueError(f"average must be 'binary', 'micro', 'macro' or 'weighted', got {average!r}")
    return tp, fp, fn
    ### END SOLUTION


def _average(numerator, denominator, support, average, zero_division):
    if average == "micro":
        numerator, denominator = np.sum(numerator), np.sum(denominator)
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    ratio = np.full(numerator.shape, float(zero_division))
    np.divide(numerator, denominator, out=ratio, where=denominator > 0)
    ratio, support = np.atleast_1d(ratio), np.atleast_1d(support)
    kept = ~np.isnan(ratio)  # zero_division=nan: those classes are not averaged
    if not kept.any():
        return np.float64(np.nan)
    if average == "weighted" and np.sum(support[kept]) > 0:
        return np.float64(np.average(ratio[kept], weights=support[kept]))
    return np.float64(np.mean(ratio[kept]))
    ### END SOLUTION


def precision_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    average: str = "binary",
    pos_label: int | str = 1,
    zero_division: float = 0.0,
) -> np.floating:
    """Precision: TP / (TP + FP), the fraction of the predicted positives that are truly positive.

    Parameters
    ----------
    y_true : array_like, shape (N,)
        True labels.
    y_pred : array_like, shape (N,)
        Predicted labels.
    average : {'binary', 'micro', 'macro', 'weighted'}, default 'binary'
        'binary': the precision of the class ``pos_label`` only (at most two labels allowed).
        'micro': one precision from the TP and FP summed over all classes.
        'macro': the plain mean of the per-class precisions.
        'weighted': the mean of the per-class precisions weighted by each class's support
        (its number of samples in y_true).
    pos_label : label, default 1
        The positive class for average='binary' (ignored otherwise).
    zero_division : float, default 0.0
        The precision of a class that is never predicted (TP + FP = 0): 0.0, 1.0 or np.nan
        (np.nan leaves the class out of the average).

    Returns
    -------
    np.floating
        A value in [0, 1].

    Watch for: precision divides by what the model PREDICTED positive (TP + FP); recall divides
    by what IS positive (TP + FN). Do not swap them.
    """
    ### BEGIN SOLUTION
    tp, fp, fn = _class_counts(y_true, y_pred, average, pos_label)
    return _average(tp, tp + fp, tp + fn, average, zero_division)
    ### END SOLUTION


def recall_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    average: str = "binary",
    pos_label: int | str = 1,
    zero_division: float = 0.0,
) -> np.floating:
    """Recall (revocação, sensitivity): TP / (TP + FN), the fraction of the true positives found.

    Parameters
    ----------
    y_true : array_like, shape (N,)
        True labels.
    y_pred : array_like, shape (N,)
        Predicted labels.
    average : {'binary', 'micro', 'macro', 'weighted'}, default 'binary'
        As in ``precision_score``.
    pos_label : label, default 1
        The positive class for average='binary' (ignored otherwise).
    zero_division : float, default 0.0
        The recall of a class absent from y_true (TP + FN = 0): 0.0, 1.0 or np.nan.

    Returns
    -------
    np.floating
        A value in [0, 1].

    Watch for: recall divides by what IS positive (TP + FN), precision by what was PREDICTED
    positive (TP + FP).
    """
    ### BEGIN SOLUTION
    tp, fp, fn = _class_counts(y_true, y_pred, average, pos_label)
    return _average(tp, tp + fn, tp + fn, average, zero_division)
    ### END SOLUTION


def fbeta_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    beta: float,
    average: str = "binary",
    pos_label: int | str = 1,
    zero_division: float = 0.0,
) -> np.floating:
    """F-beta score: F_β = (1 + β²)·P·R / (β²·P + R), with P the precision and R the recall.

    The weighted harmonic mean of P and R: recall counts β times as much as precision (β > 1
    favours recall, β < 1 precision). In terms of counts, F_β = (1 + β²)·TP /
    ((1 + β²)·TP + β²·FN + FP): this form stays defined when P or R alone is 0/0, and only
    TP = FP = FN = 0 gives ``zero_division``. 'macro' is the mean of the per-class F_β, not
    the F_β of the macro P and R.

    Parameters
    ----------
    y_true : array_like, shape (N,)
        True labels.
    y_pred : array_like, shape (N,)
        Predicted labels.
    beta : float
        β ≥ 0 (finite).
    average : {'binary', 'micro', 'macro', 'weighted'}, default 'binary'
        As in ``precision_score``.
    pos_label : label, default 1
        The positive class for average='binary' (ignored otherwise).
    zero_division : float, default 0.0
        The score of a class with TP + FP + FN = 0: 0.0, 1.0 or np.nan.

    Returns
    -------
    np.floating
        A value in [0, 1].

    Watch for: β², not β, in both places; average the per-class F scores for 'macro'.
    """
    ### BEGIN SOLUTION
    tp, fp, fn = _class_counts(y_true, y_pred, average, pos_label)
    b2 = beta**2
    numerator = (1 + b2) * tp
    return _average(numerator, numerator + b2 * fn + fp, tp + fn, average, zero_division)
    ### END SOLUTION


def f1_score(y_true: ArrayLike, y_pred: ArrayLike, average: str = "binary",
             pos_label: int | str = 1, zero_division: float = 0.0) -> np.floating:
    """Per class F1 = 2·TP / (2·TP + FP + FN), averaged as the other scores."""
    tp, fp, fn = _class_counts(y_true, y_pred, average, pos_label)
    return _average(2 * tp, 2 * tp + fp + fn, tp + fn, average, zero_division)
    ### END SOLUTION
