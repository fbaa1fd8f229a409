"""Known mistakes: when a wrong answer is what a known mistake gives, the feedback names it.

A mistake model is a mistaken implementation of one function (the slides' errata first, then
classic numerical and convention mistakes), run only in the grader. Its first argument is
``ref``, the correct functions by name (``ref.mse_loss_grad(...)``), computed by the grading's
oracles (a release holds only the values its public checks need: a model that needs others
simply does not apply there). A model is named only when it explains the failure: it
reproduces the answer on the failing input AND on another input where it differs from the
truth (``confirm.confirmed``: on the one- and two-sample inputs shrinking produces, many
formulas agree by accident). ``explain`` tries, on the failing input:

1. the right values in the wrong dtype;
2. ``STRICT_MISTAKES``: a model that reproduces the answer where it differs from the truth
   (nan never matches there), confirmed;
3. for metrics, a non-finite score (``NON_FINITE_METRIC``) and nothing else;
4. ``MISTAKES`` and answers off by a known factor (``SCALED``), confirmed; a non-finite answer
   where the truth is finite (``NON_FINITE``; the overflow hints only for large inputs,
   ``LARGE``), constants truncated (``NEAR_CONSTANTS``), the dtype;
5. the reduction, the argument order (models too, confirmed).
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ...contract import DATA_ARGUMENTS, FUNCTIONS
from ..messages import Message, say
from .confirm import Unverifiable, confirmed

REDUCTIONS = ("mean", "sum", "none")
SELU_LAMBDA, SELU_ALPHA = 1.0507009873554804934193349852946, 1.6732632423543772848170429916717
_MODULE_OF = {f.name: f.module for f in FUNCTIONS}


class Reference:
    """The correct functions by name, computed by the grading's oracles."""

    def __init__(self, oracles: Any):
        self._oracles = oracles

    def __getattr__(self, name: str) -> Callable:
        if name.startswith("__") or name not in _MODULE_OF:
            raise AttributeError(name)
        oracle = f"reference:{_MODULE_OF[name]}.{name}"
        return lambda *args, **kwargs: self._oracles.compute(oracle, args, kwargs)


# -- mistaken implementations -----------------------------------------------------------------------

def _sig(z):
    z = np.asarray(z, dtype=float)
    return np.exp(-np.logaddexp(0.0, -z))


def _reduce(loss: np.ndarray, reduction: str) -> np.ndarray:
    return loss if reduction == "none" else np.asarray(np.sum(loss) if reduction == "sum" else np.mean(loss))


def _counts(y_true, y_pred, pos_label=1):
    t, p = np.asarray(y_true) == pos_label, np.asarray(y_pred) == pos_label
    return np.sum(t & p), np.sum(~t & p), np.sum(t & ~p)


def _precision(ref, y_true, y_pred, average="binary", pos_label=1, zero_division=0.0):
    tp, fp, _ = _counts(y_true, y_pred, pos_label)
    return tp / (tp + fp) if tp + fp else zero_division


def _recall(ref, y_true, y_pred, average="binary", pos_label=1, zero_division=0.0):
    tp, _, fn = _counts(y_true, y_pred, pos_label)
    return tp / (tp + fn) if tp + fn else zero_division


def _fbeta_linear(ref, y_true, y_pred, beta, average="binary", pos_label=1, zero_division=0.0):
    p = _precision(ref, y_true, y_pred, pos_label=pos_label)
    r = _recall(ref, y_true, y_pred, pos_label=pos_label)
    return (1 + beta) * p * r / (beta * p + r) if beta * p + r else zero_division


def _r2_ratio(ref, y_true, y_pred):
    y_true, y_pred = np.asarray(y_true, float), np.asarray(y_pred, float)
    return np.sum((y_true - y_pred) ** 2) / np.sum((y_true - y_true.mean()) ** 2)


def _elu_grad_no_alpha(ref, z, alpha=1.0):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, alpha * np.expm1(np.minimum(z, 0)))


def _swish_grad_slide(ref, z, beta=1.0):
    z = np.asarray(z, dtype=float)
    s = _sig(beta * z)
    return beta * z * s + s * (1 - beta * s)


def _softplus_grad_sigma_z(ref, z, beta=1.0, threshold=20.0):
    """The slide's σ(z) for σ(βz), the threshold kept (1 where βz > threshold)."""
    if beta == 1.0:
        return None  # with β = 1 the mistake is invisible
    z = np.asarray(z, dtype=float)
    return np.where(beta * z > threshold, 1.0, _sig(z))


def _softplus_grad_threshold_ge(ref, z, beta=1.0, threshold=20.0):
    bz = beta * np.asarray(z, dtype=float)
    return np.where(bz >= threshold, 1.0, _sig(bz))


def _kink_on_positive_branch(positive, negative):
    """The derivative with z = 0 sent to the z > 0 branch (the kink convention broken)."""
    def mistaken(ref, z, **kwargs):
        z = np.asarray(z, dtype=float)
        if not np.any(z == 0):
            return None
        return np.where(z >= 0, positive(z, **kwargs), negative(z, **kwargs))
    return mistaken


def _gaussian_without_constant(ref, input, target, var=1.0, reduction="mean"):
    x, t, v = (np.asarray(a, dtype=float) for a in (input, target, var))
    return _reduce(0.5 * (np.log(v) + (t - x) ** 2 / v), reduction)


def _gaussian_without_half(ref, input, target, var=1.0, reduction="mean"):
    x, t, v = (np.asarray(a, dtype=float) for a in (input, target, var))
    return _reduce(np.log(2 * np.pi * v) + (t - x) ** 2 / v, reduction)


def _mse_grad_without_two(ref, input, target, reduction="mean"):
    return np.asarray(ref.mse_loss_grad(input, target, reduction=reduction), dtype=float) / 2


def _negated(name: str) -> Callable:
    """The correct gradient with the wrong sign."""
    def mistaken(ref, *args, **kwargs):
        return -np.asarray(getattr(ref, name)(*args, **kwargs), dtype=float)
    return mistaken


def _bce_clipped(ref, input, target, reduction="mean", eps=1e-7):
    p = np.clip(np.asarray(input, dtype=float), eps, 1 - eps)
    y = np.asarray(target, dtype=float)
    return _reduce(-(y * np.log(p) + (1 - y) * np.log(1 - p)), reduction)


def _clipped_at(eps: float) -> Callable:
    return lambda ref, input, target, reduction="mean": _bce_clipped(ref, input, target, reduction, eps)


def _bce_with_logits_via_sigmoid(ref, input, target, pos_weight=None, reduction="mean"):
    """BCE of σ(x) with torch's clamp: saturates at 100 for large |x| (the lecture's point)."""
    p, y = _sig(input), np.asarray(target, dtype=float)
    w = 1.0 if pos_weight is None else np.asarray(pos_weight, dtype=float)
    with np.errstate(divide="ignore"):
        loss = -(w * y * np.maximum(np.log(p), -100) + (1 - y) * np.maximum(np.log1p(-p), -100))
    return _reduce(loss, reduction)


def _bce_with_logits_weight_both(ref, input, target, pos_weight=None, reduction="mean"):
    """pos_weight multiplying the whole loss."""
    if pos_weight is None:
        return None
    unweighted = np.asarray(ref.bce_with_logits(input, target, None, "none"), dtype=float)
    return _reduce(np.asarray(pos_weight, dtype=float) * unweighted, reduction)


def _bce_with_logits_weight_negative(ref, input, target, pos_weight=None, reduction="mean"):
    if pos_weight is None:
        return None
    x, y = np.asarray(input, dtype=float), np.asarray(target, dtype=float)
    w = np.asarray(pos_weight, dtype=float)
    return _reduce(y * np.logaddexp(0, -x) + w * (1 - y) * np.logaddexp(0, x), reduction)


def _bce_with_logits_grad_unweighted_sigma(ref, input, target, pos_weight=None, reduction="mean"):
    """σ(x) - w·y: forgets that w also multiplies σ(x)·y."""
    if pos_weight is None:
        return None
    x, y = np.asarray(input, dtype=float), np.asarray(target, dtype=float)
    g = _sig(x) - np.asarray(pos_weight, dtype=float) * y
    return g / g.size if reduction == "mean" else g


def _fbeta_with_beta_not_squared(ref, y_true, y_pred, beta, average="binary", pos_label=1, zero_division=0.0):
    """β in place of β² is F_√β: recognises the mistake for every average, not only 'binary'."""
    return ref.fbeta_score(y_true, y_pred, math.sqrt(beta), average=average, pos_label=pos_label,
                           zero_division=zero_division)


def _fbeta_inverse_beta(ref, y_true, y_pred, beta, average="binary", pos_label=1, zero_division=0.0):
    """β² on FP instead of FN: (1+β²)TP / ((1+β²)TP + FN + β²FP) is F_(1/β)."""
    if not beta or beta == 1 or not math.isfinite(beta):
        return None
    return ref.fbeta_score(y_true, y_pred, 1.0 / beta, average=average, pos_label=pos_label,
                           zero_division=zero_division)


def _weighted_as_macro(score: str) -> Callable:
    """average='weighted' computed as the unweighted 'macro' mean."""
    def mistaken(ref, y_true, y_pred, *rest, average="binary", pos_label=1, zero_division=0.0):
        if average != "weighted":
            return None
        return getattr(ref, score)(y_true, y_pred, *rest, average="macro", zero_division=zero_division)
    return mistaken


def _weighted_by_predictions(score: str) -> Callable:
    """average='weighted' with each class weighted by its predicted count (not its support)."""
    def mistaken(ref, y_true, y_pred, *rest, average="binary", pos_label=1, zero_division=0.0):
        if average != "weighted":
            return None
        yt, yp = np.asarray(y_true), np.asarray(y_pred)
        labels = np.union1d(yt, yp)
        is_true, is_pred = yt[:, None] == labels, yp[:, None] == labels
        tp = np.sum(is_true & is_pred, axis=0).astype(float)
        true, pred = np.sum(is_true, axis=0).astype(float), np.sum(is_pred, axis=0).astype(float)
        b2 = float(rest[0]) ** 2 if rest else 1.0
        numerator, denominator = {"precision": (tp, pred), "recall": (tp, true),
                                  "fbeta": ((1 + b2) * tp, (1 + b2) * tp + b2 * (true - tp) + pred - tp)}[score]
        per_class = np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1), zero_division)
        keep = ~np.isnan(per_class)
        if not keep.any():
            return math.nan
        weights = pred[keep]
        return float(np.average(per_class[keep], weights=weights) if weights.sum() else np.mean(per_class[keep]))
    return mistaken


def _confusion_transposed(ref, y_true, y_pred, labels=None):
    return np.asarray(ref.confusion_matrix(y_true, y_pred, labels=labels)).T


def _r2_mean_of_pred(ref, y_true, y_pred):
    yt, yp = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    return 1 - np.sum((yt - yp) ** 2) / np.sum((yt - yp.mean()) ** 2)


def _macro_f_of_means(ref, y_true, y_pred, beta, average="binary", pos_label=1, zero_division=0.0):
    """F_β of the averaged precision and recall (instead of the average of per-class F_β)."""
    if average not in ("macro", "weighted"):
        return None
    p = ref.precision_score(y_true, y_pred, average=average, zero_division=zero_division)
    r = ref.recall_score(y_true, y_pred, average=average, zero_division=zero_division)
    b2 = beta * beta
    return (1 + b2) * p * r / (b2 * p + r) if b2 * p + r else zero_division


def _f1_of_means(ref, y_true, y_pred, average="binary", pos_label=1, zero_division=0.0):
    return _macro_f_of_means(ref, y_true, y_pred, 1.0, average, pos_label, zero_division)


def _swapped(name: str) -> Callable:
    """The other metric (precision for recall and the reverse)."""
    return lambda ref, *args, **kwargs: getattr(ref, name)(*args, **kwargs)


# -- the tables ---------------------------------------------------------------------------------------

# tried first; the answer must differ from the truth there, and nan never matches
STRICT_MISTAKES: dict[str, list[tuple[str, Callable]]] = {
    "losses.gaussian_nll": [("hint_gaussian_nll_full", _gaussian_without_constant),
                            ("hint_gaussian_nll_full", _gaussian_without_half)],
    "losses.mse_loss_grad": [("hint_mse_grad_factor_two", _mse_grad_without_two),
                             ("hint_grad_sign", _negated("mse_loss_grad"))],
    "losses.bce_loss": [("hint_bce_clip_probability", _bce_clipped),
                        ("hint_bce_clip_probability", _clipped_at(1e-12)),
                        ("hint_bce_clip_probability", _clipped_at(1e-15))],
    "losses.bce_with_logits": [("hint_logits_via_sigmoid", _bce_with_logits_via_sigmoid),
                               ("hint_pos_weight_positive_term", _bce_with_logits_weight_both),
                               ("hint_pos_weight_positive_term", _bce_with_logits_weight_negative)],
    "losses.bce_with_logits_grad": [("hint_grad_sign", _negated("bce_with_logits_grad")),
                                    ("hint_pos_weight_grad", _bce_with_logits_grad_unweighted_sigma)],
    "losses.cross_entropy_grad": [("hint_grad_sign", _negated("cross_entropy_grad"))],
    "metrics.confusion_matrix": [("hint_confusion_transposed", _confusion_transposed)],
    "metrics.r2_score": [("hint_r2_mean_of_y_true", _r2_mean_of_pred)],
    # the other metric first: under 'weighted' it equals weights from predicted counts everywhere,
    # and only its confirmation under the other averages tells the two apart
    "metrics.precision_score": [("hint_precision_recall_swapped", _swapped("recall_score")),
                                ("hint_weighted_support", _weighted_by_predictions("precision")),
                                ("hint_weighted_support", _weighted_as_macro("precision_score"))],
    "metrics.recall_score": [("hint_precision_recall_swapped", _swapped("precision_score")),
                             ("hint_weighted_support", _weighted_by_predictions("recall")),
                             ("hint_weighted_support", _weighted_as_macro("recall_score"))],
    "metrics.fbeta_score": [("hint_beta_not_squared", _fbeta_with_beta_not_squared),
                            ("hint_beta_on_fp", _fbeta_inverse_beta),
                            ("hint_macro_f_of_means", _macro_f_of_means),
                            ("hint_weighted_support", _weighted_by_predictions("fbeta")),
                            ("hint_weighted_support", _weighted_as_macro("fbeta_score"))],
    "metrics.f1_score": [("hint_macro_f_of_means", _f1_of_means),
                         ("hint_weighted_support", _weighted_by_predictions("fbeta")),
                         ("hint_weighted_support", _weighted_as_macro("f1_score"))],
}

MISTAKES: dict[str, list[tuple[str, Callable]]] = {
    "activations.tanh_grad": [("hint_tanh_grad_sigmoid", lambda ref, z: 1 - _sig(z) ** 2)],
    "activations.swish_grad": [("hint_swish_grad_slide", _swish_grad_slide)],
    "activations.softplus_grad": [("hint_softplus_threshold", _softplus_grad_threshold_ge),
                                  ("hint_softplus_grad_beta", _softplus_grad_sigma_z)],
    "activations.relu_grad": [("hint_relu_kink", _kink_on_positive_branch(lambda z: 1.0, lambda z: 0.0))],
    "activations.leaky_relu_grad": [("hint_relu_kink", _kink_on_positive_branch(
        lambda z, alpha=0.01: 1.0, lambda z, alpha=0.01: alpha))],
    "activations.elu_grad": [("hint_elu_grad_drop_alpha", _elu_grad_no_alpha),
                             ("hint_relu_kink", _kink_on_positive_branch(
                                 lambda z, alpha=1.0: 1.0, lambda z, alpha=1.0: alpha * np.exp(np.minimum(z, 0))))],
    "activations.selu_grad": [("hint_relu_kink", _kink_on_positive_branch(
        lambda z: SELU_LAMBDA, lambda z: SELU_LAMBDA * SELU_ALPHA * np.exp(np.minimum(z, 0))))],
    "metrics.r2_score": [("hint_r2_missing_one_minus", _r2_ratio)],
    "metrics.precision_score": [("hint_precision_recall_swapped", _recall)],
    "metrics.recall_score": [("hint_precision_recall_swapped", _precision)],
    "metrics.fbeta_score": [("hint_beta_not_squared", _fbeta_linear)],
}


def _mean_only(factor: Callable[[tuple], float | None]) -> Callable[[tuple, dict], float | None]:
    return lambda a, k: factor(a) if k.get("reduction", "mean") == "mean" else None


# answers off by a known factor from the truth: (key, factor(args, kwargs))
SCALED: dict[str, list[tuple[str, Callable]]] = {
    "losses.cross_entropy": [("hint_mean_over_classes",
                              _mean_only(lambda a: 1.0 / np.shape(a[0])[-1] if np.ndim(a[0]) == 2 else None))],
    "losses.mse_loss_grad": [("hint_missing_mean_factor", _mean_only(lambda a: float(np.size(a[0]))))],
    "losses.bce_with_logits_grad": [("hint_missing_mean_factor", _mean_only(lambda a: float(np.size(a[0]))))],
    "losses.cross_entropy_grad": [("hint_missing_mean_factor",
                                   _mean_only(lambda a: float(np.shape(a[0])[0]) if np.ndim(a[0]) == 2 else None)),
                                  ("hint_mean_over_classes",
                                   _mean_only(lambda a: 1.0 / np.shape(a[0])[-1] if np.ndim(a[0]) == 2 else None))],
}

# a non-finite answer where the truth is finite: the likely cause (hint_overflow when unlisted);
# every key but those in ANY_INPUT is named only for large inputs (``LARGE``)
NON_FINITE = {
    "activations.softmax": "hint_softmax_shift",
    "activations.log_softmax": "hint_log_of_softmax",
    "activations.softmax_jacobian": "hint_softmax_shift",
    "losses.bce_loss": "hint_log_zero",
    "losses.cross_entropy": "hint_log_of_softmax",
    "losses.cross_entropy_grad": "hint_softmax_shift",
}
ANY_INPUT = {"hint_log_zero"}  # log(0) at p = 0 or 1: no large input needed
NON_FINITE_METRIC = {
    "metrics.r2_score": "hint_r2_constant",
    "metrics.precision_score": "hint_zero_division",
    "metrics.recall_score": "hint_zero_division",
    "metrics.fbeta_score": "hint_f_zero_division",
    "metrics.f1_score": "hint_f_zero_division",
}
# functions whose constants students truncate: an answer within 1% everywhere means constants
NEAR_CONSTANTS = {"activations.selu": "hint_selu_constants", "activations.selu_grad": "hint_selu_constants"}


def keys(function: str) -> tuple[str, ...]:
    """Every known-mistake key that may be named for ``function`` (a check's ``hints``)."""
    found = [k for table in (STRICT_MISTAKES, MISTAKES, SCALED) for k, _ in table.get(function, [])]
    found += [table[function] for table in (NON_FINITE, NON_FINITE_METRIC, NEAR_CONSTANTS) if function in table]
    if not function.startswith("metrics.") and function not in NON_FINITE:
        found.append("hint_overflow")
    return tuple(dict.fromkeys(found))


# -- matching -------------------------------------------------------------------------------------------

def _close(received: Any, candidate: Any, equal_nan: bool = True) -> bool:
    """Whether ``received`` is ``candidate`` (same shape, rtol 1e-5, atol 1e-8)."""
    try:
        with np.errstate(all="ignore"):
            candidate = np.asarray(candidate, dtype=float)
            received = np.asarray(received, dtype=float)
            return (candidate.shape == received.shape
                    and bool(np.allclose(received, candidate, rtol=1e-5, atol=1e-8, equal_nan=equal_nan)))
    except (TypeError, ValueError):
        return False


def _close_finite(received: np.ndarray, candidate: Any) -> bool:
    """``_close`` for the answers of MISTAKES: a non-finite answer proves nothing."""
    return bool(np.all(np.isfinite(received))) and _close(received, candidate)


def _try(fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """fn(*args, **kwargs), or None when it raises (a mistaken implementation may not apply)."""
    try:
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)
    except Exception:
        return None


def _large(function: str, args: tuple, kwargs: dict) -> bool:
    """Whether an input is large enough for exp to overflow in its dtype: some |x|·max(1, |β|)
    above ½·ln(max) (355 in float64, 44 in float32, 5.5 in float16), data arguments only."""
    count = len(DATA_ARGUMENTS[function.split(".")[0]])
    scale = max(1.0, abs(float(kwargs.get("beta", 1.0) or 1.0)))
    for value in args[:count]:
        a = np.asarray(value)
        if a.dtype.kind == "f" and a.size and np.any(np.isfinite(a)):
            with np.errstate(all="ignore"):
                biggest = float(np.max(np.abs(a[np.isfinite(a)]))) * scale
            if biggest > np.log(np.finfo(a.dtype).max) / 2:
                return True
    return False


class _Models:
    """Mistake models on the failing call, and their confirmation on other inputs."""

    def __init__(self, function: str, ref: Reference, student: Any, args: tuple, kwargs: dict):
        self.function, self.ref, self.student, self.args, self.kwargs = function, ref, student, args, kwargs
        self.correct = getattr(ref, function.split(".")[1])

    def truth(self, *args: Any, **kwargs: Any) -> Any:
        try:
            with np.errstate(all="ignore"):
                return self.correct(*args, **kwargs)
        except Exception as exc:
            if type(exc).__name__ == "NotBanked":
                raise Unverifiable from exc
            return None

    def confirm(self, model: Callable[..., Any], equal_nan: bool = False) -> bool:
        """``model(*args, **kwargs)`` (None: does not apply) explains the student elsewhere too.

        In a release's self-check the values of the probes come from its bank, which holds
        those of the known mistakes (``rehearsal.py``); a model whose probes are not there
        cannot be confirmed and is not named."""
        verdict = confirmed(self.function, self.student, model, self.truth, self.args, self.kwargs,
                            lambda a, b: _close(a, b, equal_nan=equal_nan))
        return verdict is True

    def here(self, model: Callable[..., Any]) -> Any:
        """The model's value on the failing input (None where it does not apply or is not banked)."""
        try:
            return model(*self.args, **self.kwargs)
        except Unverifiable:
            return None

    def mistaken(self, mistake: Callable) -> Callable[..., Any]:
        return lambda *a, **k: _try(mistake, self.ref, *a, **k)

    def scaled(self, factor: Callable) -> Callable[..., Any]:
        def model(*a: Any, **k: Any) -> Any:
            scale, right = _try(factor, a, k), self.truth(*a, **k)
            return None if not scale or scale == 1 or right is None else np.asarray(right, dtype=float) * scale
        return model

    def reduced(self, asked: str, given: str) -> Callable[..., Any]:
        """The reduction ``asked`` computed as ``given`` (the others right)."""
        return lambda *a, **k: self.truth(*a, **({**k, "reduction": given} if k.get("reduction") == asked else k))

    def swapped(self, *a: Any, **k: Any) -> Any:
        return self.truth(a[1], a[0], *a[2:], **k)


def _non_finite(function: str, args: tuple, kwargs: dict) -> Message | None:
    """The hint for a non-finite answer where the truth is finite (not for metrics)."""
    if function.startswith("metrics."):
        return None
    key = NON_FINITE.get(function, "hint_overflow")
    return say(key) if key in ANY_INPUT or _large(function, args, kwargs) else None


def _diagnose(models: _Models, received: np.ndarray, expected: np.ndarray,
              dtypes: tuple[np.dtype, np.dtype]) -> Message | None:
    """Step 4 of ``explain``: MISTAKES, SCALED, NON_FINITE, NEAR_CONSTANTS, the dtype."""
    function, args, kwargs = models.function, models.args, models.kwargs
    received_dtype, expected_dtype = dtypes
    for key, mistake in MISTAKES.get(function, []):
        model = models.mistaken(mistake)
        if _close_finite(received, models.here(model)) and models.confirm(model):
            return say(key)
    same_shape = received.shape == expected.shape
    for key, factor in SCALED.get(function, []):
        model = models.scaled(factor)
        if same_shape and _close_finite(received, models.here(model)) and models.confirm(model):
            return say(key)
    if same_shape and np.any(~np.isfinite(received) & np.isfinite(expected)):
        return _non_finite(function, args, kwargs)
    if function in NEAR_CONSTANTS and same_shape and np.all(np.isfinite(received)):
        with np.errstate(all="ignore"):
            relative = np.abs(received - expected) / np.maximum(np.abs(expected), 1e-300)
        if np.nanmax(relative, initial=0.0) < 1e-2:
            return say(NEAR_CONSTANTS[function])
    if (same_shape and received_dtype != expected_dtype and expected_dtype.kind == "f"
            and np.allclose(received, expected, rtol=1e-3, atol=1e-6, equal_nan=True)):
        return say("hint_dtype")
    return None


def _by_convention(models: _Models, received: np.ndarray, expected: np.ndarray) -> Message | None:
    """Step 5 of ``explain``: the reduction, the argument order (each confirmed)."""
    args, kwargs = models.args, models.kwargs
    reduction = kwargs.get("reduction")
    if reduction in REDUCTIONS:
        if reduction == "none" and received.ndim == 0 and expected.ndim > 0:
            return say("hint_reduction")
        for other in REDUCTIONS:
            model = models.reduced(reduction, other)
            if other != reduction and _close(received, models.here(model)) and models.confirm(model, True):
                return say("hint_reduction")
    if len(args) >= 2:
        swapped = models.here(models.swapped)
        if (not _close(expected, swapped) and _close(received, swapped, equal_nan=False)
                and models.confirm(models.swapped)):
            return say("hint_wrong_order")
    return None


def explain(check: Any, oracles: Any, args: tuple, kwargs: dict, answer: Any, expected: Any,
            check_dtype: bool = False, student: Any = None) -> Message | None:
    """The hint for a known mistake that explains ``answer`` on this input, or None.

    ``student`` (a ``Student``) answers the confirming calls of the models; without it, no
    model is named."""
    if not getattr(answer, "ok", False):
        return None
    function = check.function
    received = np.asarray(answer.value)
    expected = np.asarray(expected)
    if received.dtype.kind not in "biuf":
        return None
    models = _Models(function, Reference(oracles), student, args, kwargs)
    same_shape = received.shape == expected.shape
    wrong_dtype = same_shape and received.dtype != expected.dtype and expected.dtype.kind == "f"
    if check_dtype and wrong_dtype and _close(received, expected):
        return say("hint_dtype")  # right values, wrong dtype: nothing else to explain
    for key, mistake in STRICT_MISTAKES.get(function, []):
        model = models.mistaken(mistake)
        candidate = models.here(model)
        if (_close(received, candidate, equal_nan=False) and not _close(expected, candidate)
                and models.confirm(model)):
            return say(key)
    non_finite = (same_shape and expected.dtype.kind == "f"
                  and bool(np.any(~np.isfinite(received.astype(float)) & np.isfinite(expected))))
    if non_finite and function.startswith("metrics."):
        key = NON_FINITE_METRIC.get(function)
        return say(key) if key else None
    dtypes = (received.dtype, expected.dtype)
    hint = _diagnose(models, received.astype(float), expected.astype(float), dtypes)
    if hint is not None:
        return hint
    if check_dtype and wrong_dtype:
        return say("hint_dtype")
    return _by_convention(models, received, expected)


def later(check: Any, oracles: Any, args: tuple, kwargs: dict, answer: Any, expected: Any,
          check_dtype: bool = False, student: Any = None) -> Callable[[], Message | None]:
    """``explain`` deferred: the runner asks for the hint of the failure it reports only (the
    confirming calls are not made for every example hypothesis shrinks through)."""
    return lambda: explain(check, oracles, args, kwargs, answer, expected, check_dtype, student)
