"""The checks of metrics.py, built from the contract's entries by the kind of data they take.

Each metric gets: values against the reference on generated 1-D vectors (2 to 4 classes,
lengths 1 to 30), int / float / bool / list inputs, the type of the result (a scalar; an
integer (L, L) array for the confusion matrix), inputs left unmodified, consistency with
sklearn.metrics, and by kind: the dtype of regression metrics, R²'s constant y_true, every
``average``, ``pos_label`` and ``zero_division`` of the scores, ``labels=`` for the confusion
matrix, and the hidden edges of ``edges.py`` (lists and tuples; for regression metrics also bool /
int / unsigned pairs, float16 and tiny and huge scales). Scores are compared with rtol 1e-9 and atol 1e-12 (float32 inputs with float32's
tolerance), confusion matrices exactly.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ...contract import Function, functions
from . import edges
from . import strategies as s
from .build import check, fixed, generated, reference
from .records import HIDDEN, PUBLIC, Check, Exercise

AVERAGES = s.AVERAGES
NAN = float("nan")
MAIN, SECONDARY, CONSISTENCY = 10, 6, 5
METRIC = {"by_inputs": True}
EXACT = {"exact": True}


def sklearn(function: str) -> str:
    return f"sklearn:{function}"


# -- fixed inputs -------------------------------------------------------------------------------------

def regression_input_cases(r2: bool = False) -> list[tuple[tuple, dict]]:
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


def label_input_cases() -> list[tuple[tuple, dict]]:
    """int, float, bool and list label vectors (binary, so that every metric applies)."""
    return [(([0, 1, 1, 0, 1], [0, 1, 0, 0, 1]), {}),
            ((np.array([0.0, 1.0, 1.0, 1.0]), np.array([1.0, 1.0, 0.0, 1.0])), {}),
            ((np.array([True, False, True, True]), np.array([True, True, False, True])), {}),
            ((np.array([1, 0, 1], dtype=np.int32), [1, 1, 1]), {}),
            (([1], [1]), {}), ((np.array([0, 1]), np.array([1, 0])), {})]


def multiclass_input_cases() -> list[tuple[tuple, dict]]:
    return [(([0, 2, 1, 2, 0], [0, 1, 1, 2, 2]), {}),
            ((np.array([0.0, 2.0, 3.0, 2.0]), np.array([2.0, 2.0, 3.0, 0.0])), {}),
            ((np.array([True, False, True]), np.array([True, True, False])), {}),
            ((np.array([5, 7, 7, 9, 5], dtype=np.int32), np.array([5, 9, 7, 9, 7], dtype=np.int32)), {})]


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
    # 'weighted' with nan where every class kept has no true sample (weights summing to 0): the
    # plain mean, as scikit-learn (found by bench/mutation.py; every correct corpus case agrees)
    for y_true, y_pred in (([0, 1, 1], [2, 3, 3]), ([0, 0, 1], [2, 2, 2])):
        cases.append(((y_true, y_pred), {"average": "weighted", "zero_division": NAN}))
    return _with_beta(beta, cases)



# -- the checks ---------------------------------------------------------------------------------------

def _common(entry: Function, values: object, input_cases: list, scalar_cases: list, unchanged_args: tuple,
            values_name: str = "values (float64)") -> list[Check]:
    function, ref = entry.qualified, reference(entry.qualified)
    return [
        check(function, values_name, 2, PUBLIC, generated("values", ref, values, MAIN, **METRIC)),
        check(function, "int, float, bool and list inputs", 1, PUBLIC, fixed("values", ref, input_cases, **METRIC)),
        check(function, "returns a scalar (a number, not an array or a list)", 0.5, PUBLIC,
              fixed("scalar", "", scalar_cases)),
        check(function, "inputs not modified", 0.5, PUBLIC,
              fixed("unchanged", "", [(unchanged_args, {})] + edges.as_lists([(unchanged_args, {})])[:1])),
        check(function, "consistent with sklearn.metrics", 1, HIDDEN,
              generated("values", sklearn(function), values, CONSISTENCY, **METRIC)),
    ]


def _edges(entry: Function, cases: list, exact: bool = False) -> Check:
    """Lists and tuples for every argument; for regression metrics also bool / int / unsigned
    pairs, float16 (kept) and tiny and huge scales."""
    function, ref = entry.qualified, reference(entry.qualified)
    tolerance = EXACT if exact else METRIC
    steps = [fixed("values", ref, edges.as_lists(cases), **tolerance)]
    if entry.inputs == "regression":
        steps += [fixed("values", ref, edges.integer_kind_pairs(), **METRIC),
                  fixed("values", f"kept-dtype:{function}", edges.float16_cases(entry), dtype=True,
                        **edges.F16_TOLERANCE),
                  fixed("values", ref, edges.metric_scale_cases(entry.name == "r2_score"), **METRIC)]
    return check(function, edges.EDGES_METRICS if entry.inputs == "regression" else edges.EDGES_LABELS, 0.5, HIDDEN,
                 *steps)


def regression(entry: Function) -> list[Check]:
    """mean_squared_error, mean_absolute_error, r2_score."""
    function, ref = entry.qualified, reference(entry.qualified)
    r2 = entry.name == "r2_score"
    vectors = s.as_args(s.regression_vectors(r2=r2))
    checks = _common(entry, vectors, regression_input_cases(r2),
                     [((np.array([1.0, 2.0, 4.0]), np.array([1.5, 2.0, 3.0])), {}), (([1, 2, 3], [1, 2, 4]), {})],
                     (np.array([1.0, 2.0, 4.0]), np.array([1.5, 2.0, 3.0])))
    f32 = [((np.linspace(-3, 5, 17, dtype=np.float32), np.cos(np.arange(17)).astype(np.float32)), {}),
           ((np.arange(30, dtype=np.float32) / 7, (np.arange(30, dtype=np.float32) / 7) ** 1.5), {})]
    checks.insert(2, check(function, "dtype: float32 in, float32 out; int, bool, lists, float64 give float64", 0.5,
                           PUBLIC, fixed("values", f"kept-dtype:{function}", f32 + regression_input_cases(r2),
                                         dtype=True, **METRIC)))
    checks.append(_edges(entry, [((np.array([1.0, 2.0, 4.0]), np.array([1.5, 2.0, 3.0])), {}),
                                 ((np.array([3, -1, 2]), np.array([2.5, 0.0, 2.0])), {})]))
    if r2:
        checks.append(check(function, "constant y_true: 1.0 for a perfect prediction, else 0.0", 1, HIDDEN,
                            fixed("values", ref, [(([3.0, 3.0, 3.0], [3.0, 3.0, 3.0]), {}),
                                                  ((np.array([3, 3, 3]), np.array([3, 3, 4])), {}),
                                                  ((np.array([2.5, 2.5]), np.array([0.0, 5.0])), {}),
                                                  ((np.full(7, -1.0), np.full(7, -1.0)), {}),
                                                  ((np.zeros(4), np.array([0.0, 0.0, 1e-3, 0.0])), {})], **METRIC)))
    else:
        checks.append(check(function, "large, tiny and single-sample inputs", 0.5, HIDDEN,
                            fixed("values", ref, [((np.array([1e150, -1e150]), np.array([-1e150, 1e150])), {}),
                                                  ((np.array([1e-150, 3e-150]), np.array([0.0, 0.0])), {}),
                                                  ((np.array([7.0]), np.array([7.0])), {}),
                                                  ((np.array([1e5] * 30), np.array([1e5 + 1] * 30)), {})], **METRIC)))
    return checks


def accuracy(entry: Function) -> list[Check]:
    function, ref = entry.qualified, reference(entry.qualified)
    checks = _common(entry, s.as_args(s.class_vectors()), label_input_cases() + multiclass_input_cases(),
                     [(([0, 1, 2], [0, 2, 2]), {}), ((np.array([1, 1]), np.array([1, 1])), {})],
                     (np.array([0, 1, 2, 2]), np.array([0, 2, 2, 1])), "values (2 to 4 classes)")
    checks.append(_edges(entry, [((np.array([0, 1, 2, 2]), np.array([0, 2, 2, 1])), {}),
                                 ((np.array([True, False, True]), np.array([True, True, True])), {})]))
    checks.append(check(function, "all correct, all wrong, one sample", 1, HIDDEN,
                        fixed("values", ref, [(([2, 0, 1], [2, 0, 1]), {}), (([0, 1, 2], [1, 2, 0]), {}),
                                              (([1], [0]), {}), (([3], [3]), {})], **METRIC)))
    return checks


def confusion(entry: Function) -> list[Check]:
    function, ref = entry.qualified, reference(entry.qualified)
    vectors = s.as_args(s.class_vectors())
    labelled = s.class_vectors().flatmap(s.with_labels)
    label_cases = [(([0, 1, 2, 1], [0, 2, 2, 1]), {"labels": [2, 1, 0]}),
                   (([0, 1, 2, 1], [0, 2, 2, 1]), {"labels": [0, 1, 2, 3]}),
                   (([0, 1, 2, 1], [0, 2, 2, 1]), {"labels": [1, 0]}),
                   (([0, 1, 2, 1], [0, 2, 2, 1]), {"labels": np.array([5, 0, 1, 2])}),
                   (([1, 0, 1, 1, 0], [1, 1, 0, 1, 0]), {"labels": [1, 0]})]
    type_cases = [(([0, 1, 2, 1], [0, 2, 2, 1]), {}), (([1, 0], [1, 1]), {"labels": [1, 0, 4]}),
                  ((np.array([0.0, 1.0]), np.array([1.0, 1.0])), {}),
                  ((np.array([True, False]), np.array([True, True])), {})]
    return [
        check(function, "values: rows are y_true, columns y_pred, sorted labels", 2, PUBLIC,
              generated("values", ref, vectors, MAIN, **EXACT)),
        check(function, "int, float, bool and list inputs", 1, PUBLIC,
              fixed("values", ref, label_input_cases() + multiclass_input_cases(), **EXACT)),
        check(function, "returns an integer ndarray of shape (L, L)", 1, PUBLIC, fixed("integer_matrix", ref, type_cases)),
        check(function, "labels=: a given order, absent labels, a subset", 1, PUBLIC,
              fixed("values", ref, label_cases, **EXACT)),
        check(function, "inputs not modified", 0.5, PUBLIC,
              fixed("unchanged", "", [((np.array([0, 1, 2, 2]), np.array([0, 2, 2, 1])), {}),
                                      (([0, 1, 1], [1, 1, 0]), {"labels": [1, 0]})])),
        _edges(entry, [((np.array([0, 1, 2, 2]), np.array([0, 2, 2, 1])), {}),
                       ((np.array([1, 0, 1]), np.array([0, 0, 1])), {"labels": [1, 0]})], exact=True),
        check(function, "labels= on generated data (orders, subsets, absent labels)", 1, HIDDEN,
              generated("values", ref, labelled, SECONDARY, **EXACT)),
        check(function, "consistent with sklearn.metrics", 1, HIDDEN,
              generated("values", sklearn(function), st.one_of(vectors, labelled), CONSISTENCY, **EXACT)),
    ]


def _beta_cases(ref: str, function: str) -> Check:
    cases = [((y_true, y_pred, beta_value), kwargs)
             for y_true, y_pred in (([1, 1, 1, 0, 0], [1, 0, 0, 1, 0]), ([0, 1, 2, 2, 1, 0], [0, 2, 2, 1, 1, 1]))
             for beta_value in (0.5, 2.0)
             for kwargs in ([{}] if max(y_true) == 1 else [{"average": a} for a in AVERAGES])]
    return check(function, "β weighs recall β times as much as precision (β = 0.5 and 2)", 1, PUBLIC,
                 fixed("values", ref, cases, **METRIC))


def score(entry: Function) -> list[Check]:
    """precision, recall, F-beta and F1: every average, pos_label and zero_division."""
    function, ref = entry.qualified, reference(entry.qualified)
    beta = any(p.name == "beta" for p in entry.params)
    averages = st.sampled_from(AVERAGES).map(lambda a: {"average": a})
    pos_pairs = s.pos_label_vectors()
    binary_values = s.score_args(beta, s.binary_vectors(), st.just({}), (0.5, 2.0, 1.0, 3.0))
    average_values = s.score_args(beta, s.class_vectors(), averages)
    pos_values = s.with_beta(pos_pairs) if beta else pos_pairs
    sk_pairs = st.one_of(
        st.tuples(s.binary_vectors(), st.sampled_from([0.0, 1.0])).map(lambda c: (c[0], {"zero_division": c[1]})),
        st.tuples(s.class_vectors(), st.sampled_from(AVERAGES), st.sampled_from([0.0, 1.0])).map(
            lambda c: (c[0], {"average": c[1], "zero_division": c[2]})),
        pos_pairs)
    sk_values = s.with_beta(sk_pairs) if beta else sk_pairs
    b = 2.0 if beta else None
    input_cases = _with_beta(b, label_input_cases()) + [
        (args, {"average": average}) for args, _ in _with_beta(b, multiclass_input_cases()) for average in AVERAGES]
    checks = [
        check(function, "values, average='binary'" + (" (β = 0.5, 1, 2, 3)" if beta else ""), 1.5, PUBLIC,
              generated("values", ref, binary_values, MAIN, **METRIC)),
        check(function, "values, average='micro', 'macro', 'weighted' (2 to 4 classes)", 1.5, PUBLIC,
              generated("values", ref, average_values, MAIN, **METRIC)),
        check(function, "pos_label (0 and 2)", 1, PUBLIC, generated("values", ref, pos_values, SECONDARY, **METRIC)),
        check(function, "int, float, bool and list inputs", 0.5, PUBLIC, fixed("values", ref, input_cases, **METRIC)),
        check(function, "returns a scalar (a number, not an array or a list)", 0.5, PUBLIC,
              fixed("scalar", "", _with_beta(b, [(([0, 1, 1], [1, 1, 0]), {}),
                                                 (([0, 2, 1], [0, 1, 1]), {"average": "macro"})]))),
        check(function, "inputs not modified", 0.5, PUBLIC,
              fixed("unchanged", "", _with_beta(b, [((np.array([0, 1, 1, 0]), np.array([1, 1, 0, 0])), {}),
                                                    ((np.array([0, 2, 1]), np.array([0, 1, 1])),
                                                     {"average": "weighted"})]))),
        _edges(entry, _with_beta(b, [((np.array([0, 1, 1, 0]), np.array([1, 1, 0, 0])), {}),
                                     ((np.array([0, 2, 1, 2]), np.array([0, 1, 1, 2])), {"average": "macro"})])),
        check(function, "zero_division (0.0, 1.0, nan) on degenerate inputs", 1, HIDDEN,
              fixed("values", ref, _degenerate_cases(b), **METRIC)),
        check(function, "consistent with sklearn.metrics", 1, HIDDEN,
              generated("values", sklearn(function), sk_values, CONSISTENCY, **METRIC)),
    ]
    if beta:
        checks.insert(2, _beta_cases(ref, function))
    return checks



def metric_checks(entry: Function) -> list[Check]:
    if entry.inputs == "regression":
        return regression(entry)
    if entry.inputs == "scores":
        return score(entry)
    return confusion(entry) if entry.dtype == "int" else accuracy(entry)


def exercises() -> list[Exercise]:
    """The checks of every function of metrics.py, in the contract's order."""
    return [Exercise(entry.qualified, tuple(metric_checks(entry))) for entry in functions("metrics")]
