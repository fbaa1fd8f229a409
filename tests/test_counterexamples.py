"""Counterexamples a student can act on (issue 14): what a failed comparison says.

Arrays are shown whole up to ``SHOW_FULL`` elements (then the slice around the first mismatch,
with its offset), always with their shape and dtype (an empty (2, 0) array too); a wrong value
names the index of the first mismatch, how many elements differ and the largest absolute and
relative errors; nan/inf answers name their indices; the received type is the student's own (a
Python float is not called float64). Checked on ``compare`` itself and on the report of the
sample submission (``autograder/samples/student``); the corpora's feedback is checked in
``tests/test_corpora.py``.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from autograder.core.checks.compare import SHOW_FULL, mismatch, show
from autograder.core.sandbox.client import Answer
from helpers import ROOT, grade

SAMPLE = ROOT / "autograder" / "samples" / "student"


def _said(answer_value, expected, kind: str = "ndarray", **options) -> str:
    problem = mismatch(Answer("ok", answer_value, kind), expected, **options)
    assert problem is not None
    return problem.text("en")


def test_arrays_are_shown_whole_with_shape_and_dtype():
    values = np.linspace(-1, 1, SHOW_FULL)
    text = show(values)
    assert "..." not in text and text.count(",") >= SHOW_FULL - 1
    assert text.endswith(f"shape=({SHOW_FULL},), dtype=float64)")
    assert show(np.zeros((2, 0))) == "array([], shape=(2, 0), dtype=float64)"
    assert show(np.array(1.5, dtype=np.float32)) == "array(1.5, shape=(), dtype=float32)"


def test_a_large_array_is_shown_around_the_first_mismatch_with_its_offset():
    values = np.arange(1000.0)
    text = show(values, focus=(500,))
    assert text.startswith("array(shape=(1000,), dtype=float64)[492:508] = [492., 493.,"), text
    assert "500." in text and "491." not in text and "508." not in text
    rows = show(np.arange(300.0).reshape(100, 3), focus=(70, 1))
    assert rows.startswith("array(shape=(100, 3), dtype=float64)[60:81] = [[180., 181., 182.]"), rows


def test_a_wrong_value_names_index_count_and_errors_and_both_arrays():
    expected = np.array([1.0, 2.0, 3.0, 4.0])
    text = _said(np.array([1.0, 2.5, 3.0, 2.0]), expected)
    assert text.startswith("at index (1,): received float64(2.5), expected float64(2.0)"), text
    assert "received: array([1. , 2.5, 3. , 2. ], shape=(4,), dtype=float64)" in text
    assert "expected: array([1., 2., 3., 4.], shape=(4,), dtype=float64)" in text
    assert "2 of 4 elements differ, the first at index (1,)" in text
    assert "max absolute error 2, max relative error 0.5" in text


def test_nan_and_inf_answers_name_their_indices():
    expected = np.arange(6.0).reshape(2, 3)
    got = expected.copy()
    got[0, 2] = got[1, 1] = np.nan
    text = _said(got, expected)
    assert text.startswith("returned nan at index (0, 2), (1, 1) where the correct result is a number"), text
    got = expected.copy()
    got[1, 0] = np.inf
    text = _said(got, expected)
    assert "nan/inf received at index (1, 0)" in text and "at index (1, 0): received float64(inf)" in text


def test_a_wrong_shape_shows_both_values_and_an_empty_array_its_shape():
    text = _said(np.zeros((2, 0)), np.zeros((0, 2)))
    assert "returned shape (2, 0), expected shape (0, 2)" in text
    assert "array([], shape=(2, 0), dtype=float64)" in text and "array([], shape=(0, 2), dtype=float64)" in text


def test_the_received_type_is_what_the_student_returned():
    python_float = _said(np.float64(0.5), np.float32(0.5), kind="float", check_dtype=True)
    assert python_float == "returned dtype float (Python), expected dtype float32", python_float
    a_list = _said(np.array([0.5, 1.0]), np.array([0.5, 1.0], dtype=np.float32), kind="list", check_dtype=True)
    assert a_list == "returned dtype list (Python, float64), expected dtype float32", a_list
    float16 = _said(np.array([0.5], dtype=np.float16), np.array([0.5], dtype=np.float32), check_dtype=True)
    assert float16 == "returned dtype float16, expected dtype float32", float16


@pytest.fixture(scope="module")
def sample_report():
    return grade(SAMPLE)


def _output(report, function: str, check: str) -> str:
    found = [r for r in report.results if r.function == function and r.check.startswith(check) and not r.passed]
    assert found, [(r.function, r.check) for r in report.results if not r.passed]
    return found[0].output.text("en")


def test_the_sample_report_shows_full_counterexamples_with_indices(sample_report):
    softmax = _output(sample_report, "activations.softmax", "numerical stability")
    assert re.search(r"returned nan at index \(0, 0\), \(1, 0\), \(1, 1\), \(2, 2\) where", softmax), softmax
    # on one line: a message's values are single lines (core/text.py)
    assert "received: array([[nan, 0., 0.], [nan, nan, 0.], [ 0., 0., nan]], shape=(3, 3), dtype=float64)" \
        in softmax, softmax
    assert "expected: array([[1. , 0. , 0. ]," in softmax and "4 of 9 elements differ" in softmax
    tanh = _output(sample_report, "activations.tanh_grad", "dtype preserved")
    assert "shape=(9,), dtype=float32" in tanh and "9 of 9 elements differ, the first at index (0,)" in tanh, tanh
    assert "max absolute error" in tanh and "max relative error" in tanh and "..." not in tanh
    r2 = _output(sample_report, "metrics.r2_score", "values (float64)")
    assert "received float64(2.0), expected float64(-1.0); max absolute error 3, max relative error 3" in r2, r2
