"""Evaluation metrics (métricas de avaliação) for regression and classification, in numpy.

Exercise 3 of 3 of "Aprendizado Profundo 1: Funções de Ativação e Funções de Custo".

Names, argument order and semantics are those of ``sklearn.metrics``, on 1-D inputs.

Argument order: the metrics take ``(y_true, y_pred)`` like scikit-learn (the truth first),
whereas the losses in ``losses.py`` take ``(input, target)`` like PyTorch (the prediction first).
The difference is deliberate: each module follows the library you will use in practice, so
read the signature before you call.

Conventions, checked by the autograder for every function:

- Inputs are 1-D array_like of equal length (lists or numpy arrays). Regression metrics take
  numbers; classification metrics take integer or bool labels (string labels are outside the
  contract: not graded).
- Results are numpy floats (or a 0-d array); ``confusion_matrix`` returns an int ndarray.
- Regression metrics keep a floating dtype (float32 in, float32 out); int and bool give float64.
- Inputs are never modified in place.
- numpy only: no torch, scipy or sklearn import in this file (the grader rejects it).

Outside the contract, and not graded: invalid input (empty, of different lengths, with nan or
inf, continuous labels given to a classification metric) raises ValueError, as in scikit-learn;
the given ``_vectors`` does those checks (an (N, 1) column is read as (N,)).
"""

import numpy as np
from numpy.typing import ArrayLike


def _as_float(x: ArrayLike) -> np.ndarray:
    """``x`` as an ndarray of a floating dtype: float dtypes are kept, int/bool become float64."""
    x = np.asarray(x)
    return x if np.issubdtype(x.dtype, np.floating) else x.astype(np.float64)


def _vectors(y_true: ArrayLike, y_pred: ArrayLike, classes: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """y_true and y_pred as 1-D arrays of equal length, refused as scikit-learn refuses them.

    Raises ValueError for input outside the contract: an empty or 2-D input (an (N, 1) column is
    read as (N,), as scikit-learn does, never broadcast against (N,)), inputs of different
    lengths, nan or inf; regression metrics (``classes=False``) take numbers only, and
    classification metrics (``classes=True``) refuse non-integral float labels (continuous
    predictions are not classes). Given to you, and not graded: the checks send valid input only.
    """
    arrays = []
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        a = np.asarray(y)
        if a.ndim == 2 and a.shape[1] == 1:
            a = a[:, 0]
        if a.ndim != 1 or a.size == 0:
            raise ValueError(f"{name} must be a non-empty 1-D array, got shape {a.shape}")
        if not classes and a.dtype.kind not in "biuf":
            raise ValueError(f"{name} must hold numbers, got dtype {a.dtype}")
        if a.dtype.kind == "f" and not np.all(np.isfinite(a)):
            raise ValueError(f"{name} contains nan or inf")
        if classes and a.dtype.kind == "f" and np.any(a != np.round(a)):
            raise ValueError(f"{name} holds continuous values: class labels must be integers")
        arrays.append(a)
    if arrays[0].size != arrays[1].size:
        raise ValueError(f"y_true and y_pred have different lengths: {arrays[0].size} and {arrays[1].size}")
    return arrays[0], arrays[1]


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
    y_true, y_pred = _vectors(y_true, y_pred)
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
    y_true, y_pred = _vectors(y_true, y_pred)
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
    y_true, y_pred = _vectors(y_true, y_pred)
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
    y_true, y_pred = _vectors(y_true, y_pred, classes=True)
    return np.mean(y_true == y_pred)
    ### END SOLUTION


def confusion_matrix(
    y_true: ArrayLike, y_pred: ArrayLike, labels: ArrayLike | None = None
) -> np.ndarray:
    """Confusion matrix (matriz de confusão): rows are true classes, columns predicted classes.

    C[i, j] is the number of samples of true class labels[i] (Real) predicted as labels[j]
    (Valor Predito). For binary
    labels [0, 1] this gives [[TN, FP], [FN, TP]]: note that the slide's table puts the positive
    class first ([[TP, FN], [FP, TN]]), which is ``labels=[1, 0]``.

    Parameters
    ----------
    y_true : array_like, shape (N,)
        True labels.
    y_pred : array_like, shape (N,)
        Predicted labels.
    labels : array_like or None, default None
        The classes, in the order of the rows and columns. None means every label that appears
        in y_true or y_pred, sorted ascending. Samples whose labels are not listed are ignored.

    Returns
    -------
    np.ndarray
        Int array of shape (K, K), K = number of labels.

    Watch for: rows are true labels and columns predictions (not the reverse); the labels are
    sorted unless given.
    """
    ### BEGIN SOLUTION
    y_true, y_pred = _vectors(y_true, y_pred, classes=True)
    labels = np.union1d(y_true, y_pred) if labels is None else np.asarray(labels)
    # one-hot rows: is_true[n, i] = 1 when sample n has true class labels[i]
    is_true = (y_true[:, None] == labels).astype(np.int64)
    if labels.size == 0 or not is_true.any():  # scikit-learn refuses these too
        raise ValueError("labels must hold at least one label of y_true")
    is_pred = (y_pred[:, None] == labels).astype(np.int64)
    return is_true.T @ is_pred  # [i, j] counts the samples with true i and prediction j
    ### END SOLUTION


def _class_counts(
    y_true: ArrayLike, y_pred: ArrayLike, average: str, pos_label: int | str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Counts (TP, FP, FN) of each class that ``average`` looks at: three int arrays of shape (K,).

    'binary' looks only at the class ``pos_label`` (K = 1) and raises ValueError if y_true and
    y_pred hold more than two labels, or two labels without ``pos_label``. 'micro', 'macro' and
    'weighted' look at every label present in y_true or y_pred, sorted. Any other ``average``
    raises ValueError. Private helper shared by precision_score, recall_score and fbeta_score
    (not graded on its own).
    """
    ### BEGIN SOLUTION
    y_true, y_pred = _vectors(y_true, y_pred, classes=True)
    classes = np.union1d(y_true, y_pred)
    if average == "binary":
        if len(classes) > 2 or (len(classes) == 2 and pos_label not in classes):
            raise ValueError(
                f"average='binary' needs at most two labels including pos_label={pos_label!r}, "
                f"got {classes.tolist()}; use average='micro', 'macro' or 'weighted'"
            )
        classes = np.asarray([pos_label])
    elif average not in ("micro", "macro", "weighted"):
        raise ValueError(
            f"average must be 'binary', 'micro', 'macro' or 'weighted', got {average!r}"
        )
    is_true = y_true[:, None] == classes  # (N, K): sample n truly belongs to class k
    is_pred = y_pred[:, None] == classes  # (N, K): sample n is predicted as class k
    tp = np.sum(is_true & is_pred, axis=0)
    fp = np.sum(~is_true & is_pred, axis=0)
    fn = np.sum(is_true & ~is_pred, axis=0)
    return tp, fp, fn
    ### END SOLUTION


def _average(
    numerator: np.ndarray,
    denominator: np.ndarray,
    support: np.ndarray,
    average: str,
    zero_division: float,
) -> np.floating:
    """Average the per-class ratios numerator / denominator as ``average`` says.

    A class whose denominator is 0 scores ``zero_division``. 'micro' adds numerators and
    denominators over the classes before dividing (one global ratio); 'macro' is the plain mean
    of the per-class ratios; 'weighted' their mean weighted by ``support`` (the number of true
    samples of each class; if those are all 0, the plain mean); 'binary' has a single class.
    With zero_division=np.nan the undefined classes are left out of the average (nan if every
    class is undefined), as scikit-learn does. Private helper shared by
    precision_score, recall_score and fbeta_score (not graded on its own).
    """
    ### BEGIN SOLUTION
    if average == "micro":
        numerator, denominator = np.sum(numerator), np.sum(denominator)
    defined = denominator > 0
    # divide by 1 where the denominator is 0 (no 0/0 warning); those entries are replaced anyway
    ratio = np.where(defined, numerator / np.where(defined, denominator, 1), zero_division)
    keep = ~np.isnan(ratio)  # zero_division=np.nan: those classes are left out of the average
    if average == "weighted" and np.sum(support[keep]) > 0:
        return np.average(ratio[keep], weights=support[keep])
    return np.mean(ratio[keep]) if np.any(keep) else np.float64(np.nan)
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


def f1_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    average: str = "binary",
    pos_label: int | str = 1,
    zero_division: float = 0.0,
) -> np.floating:
    """F1 score: the F-beta score with β = 1, 2·P·R / (P + R), the harmonic mean of P and R.

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
        The score of a class with TP + FP + FN = 0: 0.0, 1.0 or np.nan.

    Returns
    -------
    np.floating
        A value in [0, 1].

    Watch for: reuse ``fbeta_score``; 'macro' averages the per-class F1, not the F1 of the
    macro precision and recall.
    """
    ### BEGIN SOLUTION
    return fbeta_score(
        y_true, y_pred, 1.0, average=average, pos_label=pos_label, zero_division=zero_division
    )
    ### END SOLUTION
