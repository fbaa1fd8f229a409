"""Hints only when the model explains the failure (issue 14), on the coincidences it names.

``hints.explain`` with a student in this process (``Fake``: plain Python functions answering
as the sandbox would) and the kit's oracles: a mistake model that reproduces a wrong answer on
the failing input is named only if the student also gives the model's answers on other inputs
where model and truth differ; the overflow hint only for a non-finite answer to large inputs.
The corpora (tests/test_corpora.py) check the same over whole submissions.
"""

from __future__ import annotations

import numpy as np

from autograder.core.bank import Bank
from autograder.core.checks import hints
from autograder.core.checks.oracles import KitOracles
from autograder.core.checks.records import Check
from autograder.core.sandbox.client import Answer
from reference import activations as A
from reference import metrics as M


class Fake:
    """A ``Student`` whose functions are Python callables (the calls are counted)."""

    def __init__(self, **functions):
        self.functions, self.calls = functions, 0

    def call(self, function, *args, **kwargs):
        self.calls += 1
        try:
            value = self.functions[function](*args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            return Answer("error", message=str(exc))
        return Answer("ok", np.asarray(value), "ndarray")


def _hint(function: str, student: Fake, args: tuple, kwargs: dict | None = None) -> str | None:
    kwargs = kwargs or {}
    oracles = KitOracles(Bank(None))
    expected = oracles.compute(f"reference:{function}", args, kwargs)
    answer = student.call(function.split(".")[1], *args, **kwargs)
    hint = hints.explain(Check(function, "values", 1, "public", ()), oracles, args, kwargs, answer, expected,
                         student=student)
    return None if hint is None else hint.key


def test_beta_squared_on_fp_is_not_the_argument_order():
    def beta_on_fp(y_true, y_pred, beta, average="binary", pos_label=1, zero_division=0.0):
        return M.fbeta_score(y_true, y_pred, 1 / beta, average=average, pos_label=pos_label,
                             zero_division=zero_division)
    student = Fake(fbeta_score=beta_on_fp)
    args = (np.array([1, 1]), np.array([0, 1]), 0.5)
    # on this input the swapped arguments give the same answer: the old hint's coincidence
    assert np.isclose(M.fbeta_score(args[1], args[0], 0.5), beta_on_fp(*args))
    assert _hint("metrics.fbeta_score", student, args) == "hint_beta_on_fp"


def test_weights_from_predicted_counts_are_not_the_other_metric():
    def by_predictions(y_true, y_pred, average="binary", pos_label=1, zero_division=0.0):
        if average != "weighted":
            return M.precision_score(y_true, y_pred, average, pos_label, zero_division)
        return M.accuracy_score(y_true, y_pred)  # Σ pred_k·P_k / N: every input, the weighted recall
    student = Fake(precision_score=by_predictions)
    args = (np.array([0, 0, 1, 2]), np.array([0, 1, 1, 1]))
    assert np.isclose(M.recall_score(*args, average="weighted"), by_predictions(*args, average="weighted"))
    assert _hint("metrics.precision_score", student, args, {"average": "weighted"}) == "hint_weighted_support"


def test_a_model_that_matches_only_the_failing_input_is_not_named():
    def once(z):  # 1 - σ(z)² (the slide's tanh') at z = 0 only, the truth elsewhere
        z = np.asarray(z, dtype=float)
        return np.where(z == 0, 0.75, A.tanh_grad(z))
    assert _hint("activations.tanh_grad", Fake(tanh_grad=once), (np.array(0.0),)) is None
    slide = Fake(tanh_grad=lambda z: 1 - A.sigmoid(np.asarray(z, dtype=float)) ** 2)
    assert _hint("activations.tanh_grad", slide, (np.array(0.0),)) == "hint_tanh_grad_sigmoid"


def test_the_overflow_hint_only_for_non_finite_answers_to_large_inputs():
    large = (np.array([-1000.0, 0.0, 1000.0]),)
    naive = Fake(sigmoid=lambda z: np.exp(z) / (1 + np.exp(z)))
    with np.errstate(all="ignore"):
        assert _hint("activations.sigmoid", naive, large) == "hint_overflow"
    finite_wrong = Fake(sigmoid=lambda z: np.full(np.shape(z), 0.5))
    assert _hint("activations.sigmoid", finite_wrong, large) is None
    wrong_shape = Fake(sigmoid=lambda z: np.zeros(2))
    assert _hint("activations.sigmoid", wrong_shape, large) is None
    small_nan = Fake(sigmoid=lambda z: np.full(np.shape(z), np.nan))
    assert _hint("activations.sigmoid", small_nan, (np.array([0.5, 1.0]),)) is None


def test_a_sum_taken_as_mean_is_the_reduction():
    from reference import losses as L

    def sum_as_mean(input, target, reduction="mean"):
        return L.mse_loss(input, target, "mean" if reduction == "sum" else reduction)
    student = Fake(mse_loss=sum_as_mean)
    args = (np.array([0.0, 0.0]), np.array([1.0, 1.0]))
    assert _hint("losses.mse_loss", student, args, {"reduction": "sum"}) == "hint_reduction"
    assert student.calls >= 2  # the confirming calls were made


def test_a_hang_while_confirming_is_not_the_functions_fault():
    """A confirming call that hangs (or crashes) is not remembered as the function's fault: the
    checks that follow still call it (WorkerStudent.faults)."""
    class Hangs(Fake):
        def __init__(self, **functions):
            super().__init__(**functions)
            self.faults = {}

        def call(self, function, *args, **kwargs):
            if np.size(args[0]) > 1:  # every probe of grown shapes "hangs"
                self.faults[function] = Answer("timeout")
                return self.faults[function]
            return super().call(function, *args, **kwargs)
    student = Hangs(tanh_grad=lambda z: 1 - A.sigmoid(np.asarray(z, dtype=float)) ** 2)
    assert _hint("activations.tanh_grad", student, (np.array(0.0),)) is None  # not confirmed
    assert student.faults == {} and student.calls >= 1
