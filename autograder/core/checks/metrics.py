"""Catalogue entries for metrics.py: regression and classification metrics, sklearn semantics.

Each function gets separately weighted checks, public or hidden: values against the reference on
generated 1-D vectors (2 to 4 classes, lengths 1 to 30), every ``average``, ``pos_label``,
``zero_division`` on degenerate inputs, ``labels=`` for the confusion matrix, int / float / bool /
list inputs, the type of the result (a scalar; an integer (L, L) array for the confusion matrix),
inputs left unmodified, and consistency with sklearn.metrics. Scores are compared with rtol 1e-9
and atol 1e-12 (float32 regression inputs with the float32 tolerance), confusion matrices exactly.

Oracles are module-level functions with unique qualified names; sklearn is imported inside the
sklearn oracles only. Comparison and hints come from ``checks/losses.py`` (``compare``).
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Callable, Iterable

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from reference import metrics as ref

from ..messages import say
from .base import (HIDDEN, PASS, PUBLIC, Check, Exercise, Outcome, Student, fault_outcome, run_property,
                   show_call, tolerance)
from .builders import unchanged_check
from .losses import CONSISTENCY, LOCAL_MISTAKES, LOCAL_NON_FINITE, MAIN, SECONDARY, compare

RTOL, ATOL = 1e-9, 1e-12
AVERAGES = ("micro", "macro", "weighted")
NAN = float("nan")


# =============================================================================================
# Oracles: sklearn (lazily imported) and known mistakes
# =============================================================================================

def _sk(name: str, *args: Any, **kwargs: Any) -> Any:
    from sklearn import metrics
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return getattr(metrics, name)(*args, **kwargs)


def sklearn_mean_squared_error(y_true, y_pred):
    return float(_sk("mean_squared_error", y_true, y_pred))


def sklearn_mean_absolute_error(y_true, y_pred):
    return float(_sk("mean_absolute_error", y_true, y_pred))


def sklearn_r2_score(y_true, y_pred):
    return float(_sk("r2_score", y_true, y_pred))


def sklearn_accuracy_score(y_true, y_pred):
    return float(_sk("accuracy_score", y_true, y_pred))


def sklearn_confusion_matrix(y_true, y_pred, labels=None):
    return np.asarray(_sk("confusion_matrix", y_true, y_pred, labels=labels))


def sklearn_precision_score(y_true, y_pred, average="binary", pos_label=1, zero_division=0.0):
    return float(_sk("precision_score", y_true, y_pred, average=average, pos_label=pos_label,
                     zero_division=zero_division))


def sklearn_recall_score(y_true, y_pred, average="binary", pos_label=1, zero_division=0.0):
    return float(_sk("recall_score", y_true, y_pred, average=average, pos_label=pos_label,
                     zero_division=zero_division))


def sklearn_fbeta_score(y_true, y_pred, beta, average="binary", pos_label=1, zero_division=0.0):
    return float(_sk("fbeta_score", y_true, y_pred, beta=beta, average=average, pos_label=pos_label,
                     zero_division=zero_division))


def sklearn_f1_score(y_true, y_pred, average="binary", pos_label=1, zero_division=0.0):
    return float(_sk("f1_score", y_true, y_pred, average=average, pos_label=pos_label,
                     zero_division=zero_division))


def _fbeta_with_beta_not_squared(y_true, y_pred, beta, average="binary", pos_label=1, zero_division=0.0):
    """β in place of β² is F_√β: recognises the mistake for every average, not only 'binary'."""
    return ref.fbeta_score(y_true, y_pred, math.sqrt(beta), average=average, pos_label=pos_label,
                           zero_division=zero_division)


def _kept_dtype(value: float, y_true: Any, y_pred: Any) -> np.ndarray:
    """``value`` in the contract's result dtype: float32 when both inputs are float32 arrays (the
    floating dtype is kept), float64 otherwise (int, bool, lists, float64)."""
    f32 = all(isinstance(y, np.ndarray) and y.dtype == np.float32 for y in (y_true, y_pred))
    return np.asarray(value, dtype=np.float32 if f32 else np.float64)


def mean_squared_error_dtype(y_true, y_pred):
    return _kept_dtype(ref.mean_squared_error(y_true, y_pred), y_true, y_pred)


def mean_absolute_error_dtype(y_true, y_pred):
    return _kept_dtype(ref.mean_absolute_error(y_true, y_pred), y_true, y_pred)


def r2_score_dtype(y_true, y_pred):
    return _kept_dtype(ref.r2_score(y_true, y_pred), y_true, y_pred)


def _confusion_transposed(y_true, y_pred, labels=None):
    return ref.confusion_matrix(y_true, y_pred, labels=labels).T


def _r2_mean_of_pred(y_true, y_pred):
    yt, yp = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    return 1 - np.sum((yt - yp) ** 2) / np.sum((yt - yp.mean()) ** 2)


def _macro_f_of_means(y_true, y_pred, beta, average="binary", pos_label=1, zero_division=0.0):
    """F_β of the averaged precision and recall (instead of the average of per-class F_β)."""
    if average not in ("macro", "weighted"):
        return None
    p = ref.precision_score(y_true, y_pred, average=average, zero_division=zero_division)
    r = ref.recall_score(y_true, y_pred, average=average, zero_division=zero_division)
    b2 = beta * beta
    return (1 + b2) * p * r / (b2 * p + r) if b2 * p + r else zero_division


def _f1_of_means(y_true, y_pred, average="binary", pos_label=1, zero_division=0.0):
    return _macro_f_of_means(y_true, y_pred, 1.0, average, pos_label, zero_division)


LOCAL_MISTAKES.update({
    "metrics.confusion_matrix": [("hint_confusion_transposed", _confusion_transposed)],
    "metrics.r2_score": [("hint_r2_mean_of_y_true", _r2_mean_of_pred)],
    "metrics.precision_score": [("hint_precision_recall_swapped", ref.recall_score)],
    "metrics.recall_score": [("hint_precision_recall_swapped", ref.precision_score)],
    "metrics.fbeta_score": [("hint_beta_not_squared", _fbeta_with_beta_not_squared),
                            ("hint_macro_f_of_means", _macro_f_of_means)],
    "metrics.f1_score": [("hint_macro_f_of_means", _f1_of_means)],
})
LOCAL_NON_FINITE.update({
    "metrics.r2_score": "hint_r2_constant",
    "metrics.precision_score": "hint_zero_division",
    "metrics.recall_score": "hint_zero_division",
    "metrics.fbeta_score": "hint_f_zero_division",
    "metrics.f1_score": "hint_f_zero_division",
})


# =============================================================================================
# Strategies and fixed cases
# =============================================================================================

def _class_vectors(min_classes: int = 2, max_classes: int = 4, min_len: int = 1,
                   max_len: int = 30) -> st.SearchStrategy:
    """(y_true, y_pred): int label vectors of one length over 0..k-1."""
    def build(shape):
        k, n = shape
        labels = hnp.arrays(np.int64, (n,), elements=st.integers(0, k - 1))
        return st.tuples(labels, labels)
    return st.tuples(st.integers(min_classes, max_classes), st.integers(min_len, max_len)).flatmap(build)


def _binary_vectors(negative: int = 0, positive: int = 1) -> st.SearchStrategy:
    """(y_true, y_pred) over {negative, positive}, lengths 1 to 30."""
    def build(n):
        labels = hnp.arrays(np.int64, (n,), elements=st.sampled_from([negative, positive]))
        return st.tuples(labels, labels)
    return st.integers(1, 30).flatmap(build)


def _spread(y_true: np.ndarray) -> np.ndarray:
    """y_true, or y_true + a ramp where it is constant or nearly so (R² is ill-conditioned there:
    SS_tot cancels; the constant case has its own check)."""
    if float(np.ptp(y_true)) > 1e-2 * max(1.0, float(np.max(np.abs(y_true)))):
        return y_true
    return y_true + np.linspace(0.0, 10.0, y_true.size)


def _regression_vectors(min_len: int = 1, r2: bool = False) -> st.SearchStrategy:
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


def _args(pairs: st.SearchStrategy) -> st.SearchStrategy:
    """(args, kwargs) from (y_true, y_pred)."""
    return pairs.map(lambda p: (p, {}))


def _regression_input_cases(r2: bool = False) -> list[tuple[tuple, dict]]:
    """int, bool, float32 and list inputs (with at least two distinct y_true for R²)."""
    return [(([3, -1, 2, 7], [2.5, 0.0, 2, 8]), {}),
            (([3.0, -0.5, 2.0], [2.5, 0.0, 2.0]), {}),
            ((np.array([1, 2, 3, 4]), np.array([1, 3, 2, 5])), {}),
            ((np.array([1.0, 0.0, 0.5, 1.0]), np.array([True, False, False, True])), {}),
            ((np.array([0.5, 1.5, -2.25, 4.0], dtype=np.float32),
              np.array([0.75, 1.0, -2.0, 3.5], dtype=np.float32)), {}),
            ((np.array([1, 2, 3]), [1.5, 2.0, 2.5]), {}),
            ((np.array([10.0, 20.0]), np.array([10.0, 20.0])), {})] + \
        ([] if r2 else [(([2.5], [1.0]), {}), ((np.array([-3]), np.array([4])), {})])


def _label_input_cases() -> list[tuple[tuple, dict]]:
    """int, float, bool and list label vectors (binary, so that every metric applies)."""
    return [(([0, 1, 1, 0, 1], [0, 1, 0, 0, 1]), {}),
            ((np.array([0.0, 1.0, 1.0, 1.0]), np.array([1.0, 1.0, 0.0, 1.0])), {}),
            ((np.array([True, False, True, True]), np.array([True, True, False, True])), {}),
            ((np.array([1, 0, 1], dtype=np.int32), [1, 1, 1]), {}),
            (([1], [1]), {}), ((np.array([0, 1]), np.array([1, 0])), {})]


def _multiclass_input_cases() -> list[tuple[tuple, dict]]:
    return [(([0, 2, 1, 2, 0], [0, 1, 1, 2, 2]), {}),
            ((np.array([0.0, 2.0, 3.0, 2.0]), np.array([2.0, 2.0, 3.0, 0.0])), {}),
            ((np.array([True, False, True]), np.array([True, True, False])), {}),
            ((np.array([5, 7, 7, 9, 5], dtype=np.int32), np.array([5, 9, 7, 9, 7], dtype=np.int32)), {})]


def _tolerance(args: tuple) -> tuple[float, float]:
    """rtol, atol: the metrics' tight tolerance, the float32 one when an input is float32."""
    if any(isinstance(a, np.ndarray) and a.dtype == np.float32 for a in args):
        return tolerance(np.float32)
    return RTOL, ATOL


# =============================================================================================
# Builders specific to metrics
# =============================================================================================

def metric_property(function: str, name: str, points: float, visibility: str, cases: st.SearchStrategy,
                    oracle: Callable, max_examples: int = MAIN, exact: bool = False) -> Check:
    """Values against ``oracle`` on generated cases (exactly, or with the metrics' tolerance)."""
    def run(student: Student) -> Outcome:
        def body(case):
            args, kwargs = case
            rtol, atol = (0.0, 0.0) if exact else _tolerance(args)
            return compare(student, function, oracle, args, kwargs, rtol=rtol, atol=atol)
        return run_property(cases, body, max_examples, key=f"{function}: {name}")
    return Check(function, name, points, visibility, run)


def metric_cases(function: str, name: str, points: float, visibility: str, cases: Iterable,
                 oracle: Callable, exact: bool = False, check_dtype: bool = False) -> Check:
    """Values against ``oracle`` on fixed cases; the first failure is reported."""
    cases = list(cases)

    def run(student: Student) -> Outcome:
        for args, kwargs in cases:
            rtol, atol = (0.0, 0.0) if exact else _tolerance(args)
            outcome = compare(student, function, oracle, args, kwargs, check_dtype=check_dtype,
                              rtol=rtol, atol=atol)
            if outcome is not None:
                return outcome
        return PASS
    return Check(function, name, points, visibility, run)


def scalar_check(function: str, points: float, visibility: str, cases: Iterable) -> Check:
    """A metric returns one number: a numpy scalar, a 0-d array or a Python float (not a list, not
    an array of shape (1,), not a bool)."""
    cases = list(cases)
    name = function.split(".")[1]

    def run(student: Student) -> Outcome:
        for args, kwargs in cases:
            answer = student.call(name, *args, **kwargs)
            fault = fault_outcome(answer)
            if fault:
                return fault
            call = show_call(function, args, kwargs)
            if not answer.ok:
                return Outcome(False, say("failing_call", call=call, problem=answer.describe()))
            value = np.asarray(answer.value)
            if answer.kind in ("list", "tuple"):
                return Outcome(False, say("failing_call", call=call,
                                          problem=say("wrong_type", received=answer.kind)))
            if value.shape != ():
                return Outcome(False, say("failing_call", call=call,
                                          problem=say("wrong_shape", received=value.shape, expected=())))
            if value.dtype.kind not in "fiu":
                return Outcome(False, say("failing_call", call=call,
                                          problem=say("wrong_dtype", received=value.dtype, expected="float64")))
        return PASS

    return Check(function, "returns a scalar (a number, not an array or a list)", points, visibility, run)


def matrix_type_check(points: float, visibility: str, cases: Iterable) -> Check:
    """confusion_matrix returns an integer ndarray of shape (L, L)."""
    cases = list(cases)
    function = "metrics.confusion_matrix"

    def run(student: Student) -> Outcome:
        for args, kwargs in cases:
            answer = student.call("confusion_matrix", *args, **kwargs)
            fault = fault_outcome(answer)
            if fault:
                return fault
            call = show_call(function, args, kwargs)
            if not answer.ok:
                return Outcome(False, say("failing_call", call=call, problem=answer.describe()))
            expected = ref.confusion_matrix(*args, **kwargs)
            value = np.asarray(answer.value)
            if answer.kind != "ndarray":
                return Outcome(False, say("failing_call", call=call,
                                          problem=say("wrong_type", received=answer.kind)))
            if value.shape != expected.shape:
                return Outcome(False, say("failing_call", call=call,
                                          problem=say("wrong_shape", received=value.shape, expected=expected.shape)))
            if value.dtype.kind not in "iu":
                return Outcome(False, say("failing_call", call=call,
                                          problem=say("wrong_dtype", received=value.dtype, expected="int64")))
        return PASS

    return Check(function, "returns an integer ndarray of shape (L, L)", points, visibility, run)


# =============================================================================================
# The catalogue
# =============================================================================================

def _common(function: str, oracle: Callable, sk_oracle: Callable, values: st.SearchStrategy,
            input_cases: list, sk_cases: st.SearchStrategy, scalar_cases: list,
            unchanged_args: tuple, values_name: str = "values (float64)") -> list[Check]:
    return [
        metric_property(function, values_name, 2, PUBLIC, values, oracle),
        metric_cases(function, "int, float, bool and list inputs", 1, PUBLIC, input_cases, oracle),
        scalar_check(function, 0.5, PUBLIC, scalar_cases),
        unchanged_check(function, 0.5, PUBLIC, [(unchanged_args, {})]),
        metric_property(function, "consistent with sklearn.metrics", 1, HIDDEN, sk_cases, sk_oracle,
                        CONSISTENCY),
    ]


def _regression() -> list[Exercise]:
    out = []
    for name, sk_oracle, dtype_oracle in (
            ("mean_squared_error", sklearn_mean_squared_error, mean_squared_error_dtype),
            ("mean_absolute_error", sklearn_mean_absolute_error, mean_absolute_error_dtype),
            ("r2_score", sklearn_r2_score, r2_score_dtype)):
        function, oracle = f"metrics.{name}", getattr(ref, name)
        r2 = name == "r2_score"
        vectors = _args(_regression_vectors(r2=r2))
        checks = _common(function, oracle, sk_oracle, vectors, _regression_input_cases(r2), vectors,
                         [((np.array([1.0, 2.0, 4.0]), np.array([1.5, 2.0, 3.0])), {}),
                          (([1, 2, 3], [1, 2, 4]), {})],
                         (np.array([1.0, 2.0, 4.0]), np.array([1.5, 2.0, 3.0])))
        f32 = [((np.linspace(-3, 5, 17, dtype=np.float32), np.cos(np.arange(17)).astype(np.float32)), {}),
               ((np.arange(30, dtype=np.float32) / 7, (np.arange(30, dtype=np.float32) / 7) ** 1.5), {})]
        checks.insert(2, metric_cases(function, "dtype: float32 in, float32 out; int, bool, lists, float64 "
                                                "give float64", 0.5, PUBLIC,
                                      f32 + _regression_input_cases(r2), dtype_oracle, check_dtype=True))
        if r2:
            checks.append(metric_cases(function, "constant y_true: 1.0 for a perfect prediction, else 0.0",
                                       1, HIDDEN,
                                       [(([3.0, 3.0, 3.0], [3.0, 3.0, 3.0]), {}),
                                        ((np.array([3, 3, 3]), np.array([3, 3, 4])), {}),
                                        ((np.array([2.5, 2.5]), np.array([0.0, 5.0])), {}),
                                        ((np.full(7, -1.0), np.full(7, -1.0)), {}),
                                        ((np.zeros(4), np.array([0.0, 0.0, 1e-3, 0.0])), {})], oracle))
        else:
            checks.append(metric_cases(function, "large, tiny and single-sample inputs", 0.5, HIDDEN,
                                       [((np.array([1e150, -1e150]), np.array([-1e150, 1e150])), {}),
                                        ((np.array([1e-150, 3e-150]), np.array([0.0, 0.0])), {}),
                                        ((np.array([7.0]), np.array([7.0])), {}),
                                        ((np.array([1e5] * 30), np.array([1e5 + 1] * 30)), {})], oracle))
        out.append(Exercise(function, checks))
    return out


def _accuracy() -> Exercise:
    function = "metrics.accuracy_score"
    vectors = _args(_class_vectors())
    checks = _common(function, ref.accuracy_score, sklearn_accuracy_score, vectors,
                     _label_input_cases() + _multiclass_input_cases(), vectors,
                     [(([0, 1, 2], [0, 2, 2]), {}), ((np.array([1, 1]), np.array([1, 1])), {})],
                     (np.array([0, 1, 2, 2]), np.array([0, 2, 2, 1])), "values (2 to 4 classes)")
    checks.append(metric_cases(function, "all correct, all wrong, one sample", 1, HIDDEN,
                               [(([2, 0, 1], [2, 0, 1]), {}), (([0, 1, 2], [1, 2, 0]), {}),
                                (([1], [0]), {}), (([3], [3]), {})], ref.accuracy_score))
    return Exercise(function, checks)


def _confusion() -> Exercise:
    function = "metrics.confusion_matrix"
    vectors = _args(_class_vectors())

    def with_labels(pair):
        present = sorted(set(pair[0].tolist()) | set(pair[1].tolist()))
        pool = present + [9]  # 9 never occurs in the data
        return st.permutations(pool).flatmap(
            lambda order: st.integers(1, len(order)).map(lambda k: list(order[:k]))).filter(
            lambda labels: bool(set(labels) & set(pair[0].tolist()))).map(
            lambda labels: (pair, {"labels": labels}))

    labelled = _class_vectors().flatmap(with_labels)
    label_cases = [(([0, 1, 2, 1], [0, 2, 2, 1]), {"labels": [2, 1, 0]}),
                   (([0, 1, 2, 1], [0, 2, 2, 1]), {"labels": [0, 1, 2, 3]}),
                   (([0, 1, 2, 1], [0, 2, 2, 1]), {"labels": [1, 0]}),
                   (([0, 1, 2, 1], [0, 2, 2, 1]), {"labels": np.array([5, 0, 1, 2])}),
                   (([1, 0, 1, 1, 0], [1, 1, 0, 1, 0]), {"labels": [1, 0]})]
    type_cases = [(([0, 1, 2, 1], [0, 2, 2, 1]), {}), (([1, 0], [1, 1]), {"labels": [1, 0, 4]}),
                  ((np.array([0.0, 1.0]), np.array([1.0, 1.0])), {}),
                  ((np.array([True, False]), np.array([True, True])), {})]
    checks = [
        metric_property(function, "values: rows are y_true, columns y_pred, sorted labels", 2, PUBLIC,
                        vectors, ref.confusion_matrix, exact=True),
        metric_cases(function, "int, float, bool and list inputs", 1, PUBLIC,
                     _label_input_cases() + _multiclass_input_cases(), ref.confusion_matrix, exact=True),
        matrix_type_check(1, PUBLIC, type_cases),
        metric_cases(function, "labels=: a given order, absent labels, a subset", 1, PUBLIC, label_cases,
                     ref.confusion_matrix, exact=True),
        unchanged_check(function, 0.5, PUBLIC, [((np.array([0, 1, 2, 2]), np.array([0, 2, 2, 1])), {}),
                                                (([0, 1, 1], [1, 1, 0]), {"labels": [1, 0]})]),
        metric_property(function, "labels= on generated data (orders, subsets, absent labels)", 1, HIDDEN,
                        labelled, ref.confusion_matrix, SECONDARY, exact=True),
        metric_property(function, "consistent with sklearn.metrics", 1, HIDDEN,
                        st.one_of(vectors, labelled), sklearn_confusion_matrix, CONSISTENCY, exact=True),
    ]
    return Exercise(function, checks)


# -- precision, recall, F-beta, F1 -------------------------------------------------------------

def _score_args(beta: bool, pairs: st.SearchStrategy, kwargs: st.SearchStrategy,
                betas: tuple[float, ...] = (0.5, 2.0)) -> st.SearchStrategy:
    """(args, kwargs); fbeta's β goes third in args, as the contract's positional parameter."""
    if not beta:
        return st.tuples(pairs, kwargs).map(lambda c: (c[0], c[1]))
    return st.tuples(pairs, st.sampled_from(betas), kwargs).map(lambda c: (c[0] + (c[1],), c[2]))


def _with_beta(beta: float | None, cases: list) -> list:
    return cases if beta is None else [(args + (beta,), kwargs) for args, kwargs in cases]


def _degenerate_cases(beta: float | None) -> list:
    """zero_division on inputs where a denominator is 0."""
    cases = []
    for zd in (0.0, 1.0, NAN):
        for y_true, y_pred in (([1, 0, 1, 0], [0, 0, 0, 0]),  # no predicted positives
                               ([0, 0, 0], [1, 0, 1]),  # no true positives
                               ([0, 0], [0, 0]),  # neither
                               ([2, 2, 2], [2, 2, 2])):  # only one label, pos_label absent
            cases.append(((y_true, y_pred), {"zero_division": zd}))
        # micro never divides by zero on non-empty inputs
        cases.append((([0, 1, 2], [1, 1, 1]), {"average": "micro", "zero_division": zd}))
    # macro and weighted: a class never predicted, a class never true. Not with nan: there sklearn
    # leaves the undefined classes out of the average, a subtlety that submissions otherwise
    # correct (tests/corpus/correct c02, c08, c12) do not follow
    for zd in (0.0, 1.0):
        for average in ("macro", "weighted"):
            cases.append((([0, 1, 2, 2], [0, 1, 1, 1]), {"average": average, "zero_division": zd}))
            cases.append((([0, 0, 1], [0, 2, 1]), {"average": average, "zero_division": zd}))
    return _with_beta(beta, cases)


def _pos_label_vectors() -> st.SearchStrategy:
    """(y_true, y_pred) over {neg, pos} with pos_label=pos: 0 (labels 0, 1) and 2 (0, 2 or 1, 2)."""
    return st.sampled_from([(0, 1), (2, 0), (2, 1)]).flatmap(
        lambda pn: _binary_vectors(pn[1], pn[0]).map(lambda pair: (pair, {"pos_label": pn[0]})))


def _score_exercise(name: str, sk_oracle: Callable, beta: bool) -> Exercise:
    function, oracle = f"metrics.{name}", getattr(ref, name)
    zero_kwargs = st.just({})
    averages = st.sampled_from(AVERAGES).map(lambda a: {"average": a})
    pos_pairs = _pos_label_vectors()
    binary_values = _score_args(beta, _binary_vectors(), zero_kwargs, (0.5, 2.0, 1.0, 3.0))
    average_values = _score_args(beta, _class_vectors(), averages)
    pos_values = (pos_pairs.flatmap(lambda c: st.sampled_from((0.5, 2.0)).map(lambda b: (c[0] + (b,), c[1])))
                  if beta else pos_pairs)
    sk_pairs = st.one_of(
        st.tuples(_binary_vectors(), st.sampled_from([0.0, 1.0])).map(lambda c: (c[0], {"zero_division": c[1]})),
        st.tuples(_class_vectors(), st.sampled_from(AVERAGES), st.sampled_from([0.0, 1.0])).map(
            lambda c: (c[0], {"average": c[1], "zero_division": c[2]})),
        pos_pairs)
    sk_values = (sk_pairs.flatmap(lambda c: st.sampled_from((0.5, 2.0)).map(lambda b: (c[0] + (b,), c[1])))
                 if beta else sk_pairs)
    b = 2.0 if beta else None
    input_cases = _with_beta(b, _label_input_cases()) + [
        (args, {"average": average}) for args, _ in _with_beta(b, _multiclass_input_cases())
        for average in AVERAGES]
    checks = [
        metric_property(function, "values, average='binary'" + (" (β = 0.5, 1, 2, 3)" if beta else ""),
                        1.5, PUBLIC, binary_values, oracle),
        metric_property(function, "values, average='micro', 'macro', 'weighted' (2 to 4 classes)", 1.5,
                        PUBLIC, average_values, oracle),
        metric_property(function, "pos_label (0 and 2)", 1, PUBLIC, pos_values, oracle, SECONDARY),
        metric_cases(function, "int, float, bool and list inputs", 0.5, PUBLIC, input_cases, oracle),
        scalar_check(function, 0.5, PUBLIC, _with_beta(b, [(([0, 1, 1], [1, 1, 0]), {}),
                                                           (([0, 2, 1], [0, 1, 1]), {"average": "macro"})])),
        unchanged_check(function, 0.5, PUBLIC,
                        _with_beta(b, [((np.array([0, 1, 1, 0]), np.array([1, 1, 0, 0])), {}),
                                       ((np.array([0, 2, 1]), np.array([0, 1, 1])), {"average": "weighted"})])),
        metric_cases(function, "zero_division (0.0, 1.0, nan) on degenerate inputs", 1, HIDDEN,
                     _degenerate_cases(b), oracle),
        metric_property(function, "consistent with sklearn.metrics", 1, HIDDEN, sk_values, sk_oracle,
                        CONSISTENCY),
    ]
    if beta:
        checks.insert(2, metric_cases(function, "β weighs recall β times as much as precision (β = 0.5 and 2)",
                                      1, PUBLIC,
                                      [((y_true, y_pred, beta_value), kwargs)
                                       for y_true, y_pred in (([1, 1, 1, 0, 0], [1, 0, 0, 1, 0]),
                                                              ([0, 1, 2, 2, 1, 0], [0, 2, 2, 1, 1, 1]))
                                       for beta_value in (0.5, 2.0)
                                       for kwargs in ([{}] if max(y_true) == 1 else
                                                      [{"average": a} for a in AVERAGES])], oracle))
    return Exercise(function, checks)


def exercises() -> list[Exercise]:
    """The checks of every function of metrics.py, in CONTRACT.md order."""
    return [*_regression(), _accuracy(), _confusion(),
            _score_exercise("precision_score", sklearn_precision_score, False),
            _score_exercise("recall_score", sklearn_recall_score, False),
            _score_exercise("fbeta_score", sklearn_fbeta_score, True),
            _score_exercise("f1_score", sklearn_f1_score, False)]
