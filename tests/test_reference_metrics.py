"""reference.metrics agrees with sklearn.metrics (values, nan, and which inputs raise).

Every metric of the contract registry (``autograder/contract.py``) is compared with its
scikit-learn counterpart on the catalogue's inputs; the tests by kind of data add degenerate
label vectors, every average × pos_label × zero_division, and the inputs that must raise.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given
from hypothesis import strategies as st

from autograder.contract import functions
from autograder.core.checks import strategies as s
from oracle_helpers import call_unmodified, cases, hsettings, library_value
from reference import metrics as M

AVERAGES = ("binary", "micro", "macro", "weighted")
ZERO_DIVISIONS = (0.0, 1.0, np.nan, 0, 1)
METRICS = functions("metrics")
ENTRY = {f.name: f for f in METRICS}
REGRESSION = [f.name for f in METRICS if f.inputs == "regression"]
LABELS = [f.name for f in METRICS if f.inputs == "labels"]
WITH_LABELS = [f.name for f in METRICS if any(p.name == "labels" for p in f.params)]
SCORES = [f.name for f in METRICS if f.inputs == "scores"]


def _required(name: str, beta: float = 2.0) -> tuple:
    """The value of each required parameter (fbeta_score's β), passed positionally."""
    return tuple(beta for p in ENTRY[name].params if p.required)


def _sk(fn, *args, **kw):
    """sklearn's result, or the exception type it raised (its warnings silenced)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return fn(*args, **kw)
        except ValueError as exc:
            return exc


def _compare(func: str, label: str, got_call, expected, dtype=None) -> None:
    """Reference result vs sklearn: both raise ValueError, or both give the same float (nan
    matches nan; to 4 ulp of a float32 result) / the same array. ``dtype``: the contract's
    dtype of the result (a numpy scalar of it)."""
    if isinstance(expected, Exception):
        with pytest.raises(ValueError):
            got = got_call()
            pytest.fail(f"metrics.{func}: {label}: received {got!r}, expected ValueError "
                        f"like sklearn ({expected})")
        return
    got = got_call()
    if isinstance(expected, np.ndarray):
        assert isinstance(got, np.ndarray) and got.dtype == np.int64 and \
            np.array_equal(got, expected), (
                f"metrics.{func}: {label}\n  received {got!r}\n  expected {expected!r}")
        return
    assert isinstance(got, np.floating), (
        f"metrics.{func}: {label}: received {got!r} of type {type(got).__name__}, expected a numpy float")
    assert dtype is None or got.dtype == dtype, f"metrics.{func}: {label}: received dtype {got.dtype}, expected {dtype}"
    rel_tol = 4 * float(np.finfo(got.dtype).eps) if got.dtype != np.float64 else 1e-12
    same = (math.isnan(got) and math.isnan(expected)) or math.isclose(
        got, expected, rel_tol=rel_tol, abs_tol=1e-12)
    assert same, f"metrics.{func}: {label}: received {got!r}, expected {expected!r}"


# ---------------------------------------------------------------------------------------------
# Regression
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("entry", METRICS, ids=lambda f: f.name)
def test_every_metric_matches_sklearn_on_the_catalogues_inputs(entry):
    f = getattr(M, entry.name)

    @hsettings(max_examples=40)
    @given(case=cases(entry))
    def check(case):
        args, kwargs = case
        label = f"args={args!r}, kwargs={kwargs!r}"
        _compare(entry.name, label, lambda: call_unmodified(entry.name, f, *args, **kwargs),
                 _sk(library_value, entry, args, kwargs))

    check()


@pytest.mark.parametrize("func", REGRESSION)
def test_regression_metrics_match_sklearn(func):
    @hsettings(max_examples=60)
    @given(pair=s.regression_vectors(r2=True), as_list=st.booleans(), as_f32=st.booleans())
    def check(pair, as_list, as_f32):
        yt, yp = pair
        if as_f32:
            yt, yp = yt.astype(np.float32), yp.astype(np.float32)
        # y_true is never (nearly) constant here (test_r2_constant_y_true_force_finite)
        expected = _sk(getattr(skm, ENTRY[func].sklearn), yt.astype(np.float64), yp.astype(np.float64))
        args = (yt.tolist(), yp.tolist()) if as_list else (yt, yp)
        label = f"y_true={yt!r}, y_pred={yp!r}"
        dtype = np.float32 if as_f32 and not as_list else np.float64  # float32 in, float32 out
        _compare(func, label, lambda: call_unmodified(func, getattr(M, func), *args), expected, dtype)

    check()


def test_r2_constant_y_true_force_finite():
    """Constant y_true: 1.0 for a perfect prediction, 0.0 otherwise (sklearn's force_finite)."""
    cases = [([3.0, 3.0, 3.0], [3.0, 3.0, 3.0]), ([3.0, 3.0, 3.0], [3.0, 2.0, 3.0]),
             ([0, 0], [1, -1]), ([-2.5] * 5, [-2.5] * 5), ([7, 7, 7, 7], [1, 2, 3, 4])]
    for yt, yp in cases:
        expected = _sk(skm.r2_score, yt, yp)
        assert expected in (0.0, 1.0), f"precondition: sklearn r2_score({yt}, {yp}) = {expected}"
        _compare("r2_score", f"y_true={yt}, y_pred={yp}", lambda: M.r2_score(yt, yp), expected)
    # exact constancy test: sklearn's rounded mean of [0.1]*3 makes SS_tot ≈ 6e-34 > 0
    got = M.r2_score([0.1, 0.1, 0.1], [0.2, 0.2, 0.2])
    assert got == 0.0, f"metrics.r2_score: y_true=[0.1]*3, y_pred=[0.2]*3: received {got!r}, expected 0.0"
    assert M.r2_score([0.1] * 3, [0.1] * 3) == 1.0, "metrics.r2_score: perfect constant [0.1]*3"


def test_r2_formula_and_single_sample():
    yt, yp = [1.0, 2.0, 4.0], [1.5, 2.0, 3.0]
    expected = 1 - (0.25 + 0 + 1) / (((np.array(yt) - 7 / 3) ** 2).sum())
    _compare("r2_score", f"y_true={yt}, y_pred={yp}", lambda: M.r2_score(yt, yp), expected)
    _compare("r2_score", "one sample", lambda: M.r2_score([1.0], [2.0]), _sk(skm.r2_score, [1.0], [2.0]))


# ---------------------------------------------------------------------------------------------
# Classification
# ---------------------------------------------------------------------------------------------

@st.composite
def _label_vectors(draw):
    """Small label vectors over 2–4 classes (ints, bools, integral floats), with degenerate
    draws: a single class, y_pred constant, y_pred disjoint from y_true. Own strategy: the
    catalogue's label vectors (strategies.class_vectors) are int64, never degenerate."""
    n = draw(st.integers(1, 12))
    n_classes = draw(st.integers(1, 4))
    offset = draw(st.sampled_from([0, 0, 1]))
    classes = st.integers(offset, offset + n_classes - 1)
    yt = np.array(draw(st.lists(classes, min_size=n, max_size=n)), dtype=np.int64)
    mode = draw(st.sampled_from(["random", "random", "copy", "constant", "noisy"]))
    if mode == "copy":
        yp = yt.copy()
    elif mode == "constant":
        yp = np.full(n, draw(st.integers(0, 4)), dtype=np.int64)
    elif mode == "noisy":
        yp = yt.copy()
        flip = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        yp[flip] = draw(classes)
    else:
        yp = np.array(draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)), dtype=np.int64)
    kind = draw(st.sampled_from(["int", "int", "float", "bool", "list"]))
    if kind == "float":
        return yt.astype(np.float64), yp.astype(np.float64)
    if kind == "bool" and yt.max() <= 1 and yp.max() <= 1 and yt.min() >= 0 and yp.min() >= 0:
        return yt.astype(bool), yp.astype(bool)
    if kind == "list":
        return yt.tolist(), yp.tolist()
    return yt, yp


@pytest.mark.parametrize("func", LABELS)
def test_accuracy_and_confusion_matrix_match_sklearn(func):
    @hsettings(max_examples=60)
    @given(pair=_label_vectors())
    def check(pair):
        yt, yp = pair
        label = f"y_true={yt!r}, y_pred={yp!r}"
        _compare(func, label, lambda: call_unmodified(func, getattr(M, func), yt, yp),
                 _sk(getattr(skm, ENTRY[func].sklearn), yt, yp))

    check()


@pytest.mark.parametrize("func", WITH_LABELS)
def test_confusion_matrix_with_labels_matches_sklearn(func):
    @hsettings(max_examples=60)
    @given(pair=_label_vectors(),
           labels=st.lists(st.integers(0, 5), min_size=1, max_size=6, unique=True))
    def check(pair, labels):
        yt, yp = pair
        label = f"y_true={yt!r}, y_pred={yp!r}, labels={labels}"
        expected = _sk(getattr(skm, ENTRY[func].sklearn), yt, yp, labels=labels)
        _compare(func, label, lambda: call_unmodified(func, getattr(M, func), yt, yp, labels), expected)

    check()


def test_confusion_matrix_orientation():
    """Rows are true labels, columns predictions, labels sorted unless given."""
    yt, yp = [2, 0, 2, 2, 1], [0, 0, 2, 1, 1]
    expected = np.array([[1, 0, 0], [0, 1, 0], [1, 1, 1]])
    got = M.confusion_matrix(yt, yp)
    assert got.dtype == np.int64 and np.array_equal(got, expected), (
        f"metrics.confusion_matrix: y_true={yt}, y_pred={yp}: received {got!r}, expected {expected!r}")
    got = M.confusion_matrix(yt, yp, labels=[2, 0, 7])
    expected = np.array([[1, 1, 0], [0, 1, 0], [0, 0, 0]])
    assert np.array_equal(got, expected), (
        f"metrics.confusion_matrix: labels=[2, 0, 7]: received {got!r}, expected {expected!r}")


@pytest.mark.parametrize("func", SCORES)
def test_scores_match_sklearn(func):
    """Every average × pos_label × zero_division (× beta for fbeta) on small label vectors,
    including one-class data, no predicted positives and an absent pos_label."""
    @hsettings(max_examples=100)
    @given(pair=_label_vectors(), average=st.sampled_from(AVERAGES),
           pos_label=st.sampled_from([1, 1, 0, 2]), zero_division=st.sampled_from(ZERO_DIVISIONS),
           beta=st.sampled_from([0.0, 0.5, 1.0, 2.0, math.inf]), positional=st.booleans())
    # own values: the catalogue's draws keep to binary data for 'binary', to valid pos_labels and
    # to β = 0.5, 1, 2, 3; here β = 0 and inf, absent labels and invalid combinations too
    def check(pair, average, pos_label, zero_division, beta, positional):
        yt, yp = pair
        f = getattr(M, func)
        kw = dict(average=average, pos_label=pos_label, zero_division=zero_division)
        extra = _required(func, beta)
        label = f"y_true={yt!r}, y_pred={yp!r}, {'beta=%r, ' % beta if extra else ''}{kw}"
        expected = _sk(library_value, ENTRY[func], (yt, yp) + extra, kw)  # β by keyword in sklearn
        if positional:  # contract order: (y_true, y_pred[, beta], average, pos_label, zero_division)
            call = lambda: call_unmodified(func, f, yt, yp, *extra, average, pos_label, zero_division)  # noqa: E731
        else:
            call = lambda: call_unmodified(func, f, yt, yp, *extra, **kw)  # noqa: E731
        _compare(func, label, call, expected)

    check()


DEGENERATE = [
    ([0, 0, 0], [0, 0, 0]),        # one class only, pos_label absent
    ([1, 1, 1], [1, 1, 1]),        # one class only, pos_label present
    ([0, 1, 1], [0, 0, 0]),        # no predicted positives
    ([0, 0, 0], [0, 1, 0]),        # no true positives in the data
    ([2, 2], [2, 2]),              # one class, not 0/1
    ([0, 2, 2], [2, 0, 0]),        # two classes, pos_label=1 absent: ValueError
    ([0, 1, 2], [0, 1, 1]),        # multiclass with 'binary': ValueError
    ([1, 2, 3, 3], [3, 3, 3, 3]),  # classes with no predictions (macro/weighted with nan)
    ([True, False, True], [True, True, False]),
    ([1.0, 0.0, 1.0], [1.0, 1.0, 1.0]),
]


@pytest.mark.parametrize("yt,yp", DEGENERATE)
def test_scores_degenerate_cases_match_sklearn(yt, yp):
    for average in AVERAGES:
        for zd in (0.0, 1.0, np.nan):
            for pos_label in ((1, 0, 2) if average == "binary" else (1, 2)):
                kw = dict(average=average, pos_label=pos_label, zero_division=zd)
                for func in SCORES:
                    extra = _required(func)
                    expected = _sk(library_value, ENTRY[func], (yt, yp) + extra, kw)
                    _compare(func, f"y_true={yt}, y_pred={yp}, {'beta=2.0, ' if extra else ''}{kw}",
                             lambda: getattr(M, func)(yt, yp, *extra, **kw), expected)


def test_score_defaults_and_known_values():
    yt, yp = [0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1]
    cases = [
        ("precision_score", dict(average="macro"), 2 / 9),
        ("recall_score", dict(average="macro"), 1 / 3),
        ("f1_score", dict(average="macro"), 0.8 / 3),  # mean of per-class F1, not F1(P, R)
        ("f1_score", dict(average="micro"), 1 / 3),
    ]
    for func, kw, expected in cases:
        got = getattr(M, func)(yt, yp, **kw)
        assert math.isclose(got, expected, rel_tol=1e-12), (
            f"metrics.{func}: y_true={yt}, y_pred={yp}, {kw}: received {got!r}, expected {expected!r}")
    # defaults: average='binary', pos_label=1, zero_division=0.0
    got = M.precision_score([0, 0, 1], [0, 0, 0])
    assert got == 0.0, f"metrics.precision_score: no predicted positives: received {got!r}, expected 0.0"
    got = M.f1_score([1, 0, 1, 1], [1, 1, 0, 1])
    assert math.isclose(got, 2 / 3), f"metrics.f1_score: received {got!r}, expected {2 / 3!r}"
    got = M.fbeta_score([1, 0, 1, 1], [1, 1, 0, 1], 2.0)
    assert math.isclose(got, 2 / 3), f"metrics.fbeta_score: received {got!r}, expected {2 / 3!r}"


@pytest.mark.parametrize("func", SCORES)
def test_unknown_average_or_zero_division_raises(func):
    f = getattr(M, func)
    extra = _required(func, 1.0)
    for bad in ("samples", "Macro", None, "mean"):
        with pytest.raises(ValueError):
            f([0, 1, 1], [0, 1, 0], *extra, average=bad)
    for bad in (0.5, 2, "nan"):
        with pytest.raises(ValueError):
            f([0, 1, 1], [0, 1, 0], *extra, zero_division=bad)


@pytest.mark.parametrize("func", list(ENTRY))
def test_invalid_inputs_raise_like_sklearn(func):
    bad = [([], []), ([0, 1], [0, 1, 1]), ([0, np.nan], [0, 1]), ([[0, 1]], [[0, 1]])]
    if ENTRY[func].inputs != "regression":
        bad.append(([0.5, 1.0], [0.5, 1.0]))  # continuous labels
    extra = _required(func)
    for yt, yp in bad:
        args = (np.array(yt), np.array(yp)) + extra
        assert isinstance(_sk(library_value, ENTRY[func], args, {}), ValueError) or \
            np.ndim(yt) == 2, f"precondition: sklearn.{ENTRY[func].sklearn}({yt}, {yp}) raises"
        with pytest.raises(ValueError):
            getattr(M, func)(*args)


@pytest.mark.parametrize("func", list(ENTRY))
def test_a_column_is_read_as_a_vector_never_broadcast(func):
    """An (N, 1) y_pred with an (N,) y_true (or the reverse) is the same as two (N,) vectors, as
    in scikit-learn (broadcasting would compare N² pairs)."""
    extra = _required(func)
    yt, yp = np.array([0, 1, 1, 0, 1, 1]), np.array([0, 1, 0, 0, 1, 1])
    for args in ((yt, yp[:, None]), (yt[:, None], yp), (yt[:, None], yp[:, None])):
        expected = _sk(getattr(skm, ENTRY[func].sklearn), *args, *extra) if not extra else \
            _sk(getattr(skm, ENTRY[func].sklearn), *args, beta=extra[0])
        _compare(func, f"shapes {args[0].shape}, {args[1].shape}", lambda: getattr(M, func)(*args, *extra), expected)
        _compare(func, "the same as (N,)", lambda: getattr(M, func)(*args, *extra), getattr(M, func)(yt, yp, *extra))


def test_all_contract_functions_are_exported():
    """``__all__`` lists exactly the registry's functions of metrics.py."""
    expected = set(ENTRY)
    assert set(M.__all__) == expected, f"metrics: received {sorted(M.__all__)}, expected {sorted(expected)}"
