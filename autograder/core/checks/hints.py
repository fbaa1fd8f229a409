"""Known mistakes: when a student's wrong value matches one of these, feedback names it.

``MISTAKES`` maps ``module.function`` to (message key, mistaken implementation) pairs; the
implementations reproduce the mistake (the slides' errata first, then classic numerical
ones) and run only in the grader. ``diagnose`` tries them on the failing input.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..messages import say


def _sig(z):
    z = np.asarray(z, dtype=float)
    return np.exp(-np.logaddexp(0.0, -z))


def _counts(y_true, y_pred, pos_label=1):
    t, p = np.asarray(y_true) == pos_label, np.asarray(y_pred) == pos_label
    return np.sum(t & p), np.sum(~t & p), np.sum(t & ~p)


def _precision(y_true, y_pred, average="binary", pos_label=1, zero_division=0.0):
    tp, fp, _ = _counts(y_true, y_pred, pos_label)
    return tp / (tp + fp) if tp + fp else zero_division


def _recall(y_true, y_pred, average="binary", pos_label=1, zero_division=0.0):
    tp, _, fn = _counts(y_true, y_pred, pos_label)
    return tp / (tp + fn) if tp + fn else zero_division


def _fbeta_linear(y_true, y_pred, beta, average="binary", pos_label=1, zero_division=0.0):
    p, r = _precision(y_true, y_pred, pos_label=pos_label), _recall(y_true, y_pred, pos_label=pos_label)
    return (1 + beta) * p * r / (beta * p + r) if beta * p + r else zero_division


def _r2_ratio(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true, float), np.asarray(y_pred, float)
    return np.sum((y_true - y_pred) ** 2) / np.sum((y_true - y_true.mean()) ** 2)


def _elu_grad_no_alpha(z, alpha=1.0):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, alpha * np.expm1(np.minimum(z, 0)))


def _swish_grad_slide(z, beta=1.0):
    z = np.asarray(z, dtype=float)
    s = _sig(beta * z)
    return beta * z * s + s * (1 - beta * s)


def _softplus_grad_sigma_z(z, beta=1.0, threshold=20.0):
    return _sig(z) if beta != 1.0 else None  # with β = 1 the mistake is invisible


def _softplus_grad_threshold_ge(z, beta=1.0, threshold=20.0):
    bz = beta * np.asarray(z, dtype=float)
    return np.where(bz >= threshold, 1.0, _sig(bz))


SELU_LAMBDA, SELU_ALPHA = 1.0507009873554804934193349852946, 1.6732632423543772848170429916717


def _kink_on_positive_branch(positive, negative):
    """The derivative with z = 0 sent to the z > 0 branch (the kink convention broken)."""
    def mistaken(z, **kwargs):
        z = np.asarray(z, dtype=float)
        if not np.any(z == 0):
            return None
        return np.where(z >= 0, positive(z, **kwargs), negative(z, **kwargs))
    return mistaken


MISTAKES: dict[str, list[tuple[str, Callable]]] = {
    "activations.tanh_grad": [("hint_tanh_grad_sigmoid", lambda z: 1 - _sig(z) ** 2)],
    "activations.swish_grad": [("hint_swish_grad_slide", _swish_grad_slide)],
    "activations.softplus_grad": [("hint_softplus_threshold", _softplus_grad_threshold_ge),
                                  ("hint_softplus_grad_beta", _softplus_grad_sigma_z)],
    "activations.relu_grad": [("hint_relu_kink", _kink_on_positive_branch(
        lambda z: 1.0, lambda z: 0.0))],
    "activations.leaky_relu_grad": [("hint_relu_kink", _kink_on_positive_branch(
        lambda z, alpha=0.01: 1.0, lambda z, alpha=0.01: alpha))],
    "activations.elu_grad": [("hint_elu_grad_drop_alpha", _elu_grad_no_alpha),
                             ("hint_relu_kink", _kink_on_positive_branch(
                                 lambda z, alpha=1.0: 1.0,
                                 lambda z, alpha=1.0: alpha * np.exp(np.minimum(z, 0))))],
    "activations.selu_grad": [("hint_relu_kink", _kink_on_positive_branch(
        lambda z: SELU_LAMBDA, lambda z: SELU_LAMBDA * SELU_ALPHA * np.exp(np.minimum(z, 0))))],
    "metrics.r2_score": [("hint_r2_missing_one_minus", _r2_ratio)],
    "metrics.precision_score": [("hint_precision_recall_swapped", _recall)],
    "metrics.recall_score": [("hint_precision_recall_swapped", _precision)],
    "metrics.fbeta_score": [("hint_beta_not_squared", _fbeta_linear)],
}

# mistakes recognised by a scale factor between received and expected: (key, factor(args))
SCALED: dict[str, list[tuple[str, Callable]]] = {
    "losses.cross_entropy": [("hint_mean_over_classes",
                              lambda a, k: 1.0 / np.shape(a[0])[-1] if k.get("reduction", "mean") == "mean" and np.ndim(a[0]) == 2 else None)],
    "losses.mse_loss_grad": [("hint_missing_mean_factor",
                              lambda a, k: float(np.size(a[0])) if k.get("reduction", "mean") == "mean" else None)],
    "losses.bce_with_logits_grad": [("hint_missing_mean_factor",
                                     lambda a, k: float(np.size(a[0])) if k.get("reduction", "mean") == "mean" else None)],
    "losses.cross_entropy_grad": [("hint_missing_mean_factor",
                                   lambda a, k: float(np.shape(a[0])[0]) if k.get("reduction", "mean") == "mean" and np.ndim(a[0]) == 2 else None)],
}

NON_FINITE_HINT = {
    "activations.softmax": "hint_softmax_shift",
    "activations.log_softmax": "hint_log_of_softmax",
    "activations.softmax_jacobian": "hint_softmax_shift",
    "losses.bce_loss": "hint_log_zero",
    "losses.cross_entropy": "hint_log_of_softmax",
}


def _close(received: np.ndarray, candidate: Any) -> bool:
    try:
        candidate = np.asarray(candidate, dtype=float)
        received = np.asarray(received, dtype=float)
        return (candidate.shape == received.shape
                and bool(np.all(np.isfinite(received)))
                and bool(np.allclose(received, candidate, rtol=1e-5, atol=1e-8)))
    except (TypeError, ValueError):
        return False


# functions whose constants students truncate: an answer within 1% everywhere means constants
NEAR_CONSTANTS = {"activations.selu": "hint_selu_constants", "activations.selu_grad": "hint_selu_constants"}


def diagnose(function: str, args: tuple, kwargs: dict, answer: Any, expected: Any) -> str:
    """The hint for a known mistake that explains ``answer`` on this input, or ''."""
    if not getattr(answer, "ok", False):
        return ""
    received_dtype, expected_dtype = np.asarray(answer.value).dtype, np.asarray(expected).dtype
    received = np.asarray(answer.value, dtype=float)
    expected = np.asarray(expected, dtype=float)
    for key, mistaken in MISTAKES.get(function, []):
        try:
            with np.errstate(all="ignore"):
                if _close(received, mistaken(*args, **kwargs)):
                    return say(key)
        except Exception:
            continue
    for key, factor in SCALED.get(function, []):
        scale = factor(args, kwargs)
        if scale and scale != 1 and received.shape == expected.shape and _close(received, expected * scale):
            return say(key)
    if received.shape == expected.shape and np.any(~np.isfinite(received) & np.isfinite(expected)):
        key = NON_FINITE_HINT.get(function, "" if function.startswith("metrics.") else "hint_overflow")
        return say(key) if key else ""
    same_shape = received.shape == expected.shape
    if function in NEAR_CONSTANTS and same_shape and np.all(np.isfinite(received)):
        with np.errstate(all="ignore"):
            relative = np.abs(received - expected) / np.maximum(np.abs(expected), 1e-300)
        if np.nanmax(relative, initial=0.0) < 1e-2:
            return say(NEAR_CONSTANTS[function])
    if (same_shape and received_dtype != expected_dtype and expected_dtype.kind == "f"
            and np.allclose(received, expected, rtol=1e-3, atol=1e-6, equal_nan=True)):
        return say("hint_dtype")
    return ""
