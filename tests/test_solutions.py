"""Property tests of the worked solutions (``solutions/``).

Every solution function is checked on generated inputs against
- PyTorch (``torch.nn.functional``; autograd for the ``*_grad`` functions) for activations and losses,
- scikit-learn (``sklearn.metrics``) for metrics,
- the hidden reference (``reference/``), function by function, once it exists,
and at extreme inputs (|z| = 1e4 and the limits of the dtype) with every warning turned into an
error. The files themselves are checked too: the contract's signatures, numpy-only imports, and
one pair of solution marks per function (what the stub generator relies on).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import re
import sys
import warnings
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn import metrics as skm


from solutions import activations, losses, metrics

torch.set_num_threads(1)

SOLUTIONS = {"activations": activations, "losses": losses, "metrics": metrics}
F32, F64 = np.float32, np.float64
FLOAT_DTYPES = st.sampled_from([F32, F64])
REDUCTIONS = st.sampled_from(["mean", "sum", "none"])
# SOLUTIONS_MAX_EXAMPLES=500 for a deeper (slower) search than the default run (~1 min)
MAX_EXAMPLES = int(os.environ.get("SOLUTIONS_MAX_EXAMPLES", "25"))
PROPERTY = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=MAX_EXAMPLES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
EXTREME = settings(PROPERTY, max_examples=max(MAX_EXAMPLES * 2 // 3, 1))

# --------------------------------------------------------------------------------------------
# The contract's signatures: names, argument order and defaults (CONTRACT.md)
# --------------------------------------------------------------------------------------------

_Z = [("z", inspect.Parameter.empty)]
_LOSS = [("input", inspect.Parameter.empty), ("target", inspect.Parameter.empty)]
_YY = [("y_true", inspect.Parameter.empty), ("y_pred", inspect.Parameter.empty)]
_PRF = [("average", "binary"), ("pos_label", 1), ("zero_division", 0.0)]

CONTRACT: dict[str, dict[str, list[tuple[str, Any]]]] = {
    "activations": {
        "sigmoid": _Z, "sigmoid_grad": _Z,
        "tanh": _Z, "tanh_grad": _Z,
        "relu": _Z, "relu_grad": _Z,
        "leaky_relu": _Z + [("alpha", 0.01)], "leaky_relu_grad": _Z + [("alpha", 0.01)],
        "softplus": _Z + [("beta", 1.0), ("threshold", 20.0)],
        "softplus_grad": _Z + [("beta", 1.0), ("threshold", 20.0)],
        "elu": _Z + [("alpha", 1.0)], "elu_grad": _Z + [("alpha", 1.0)],
        "selu": _Z, "selu_grad": _Z,
        "swish": _Z + [("beta", 1.0)], "swish_grad": _Z + [("beta", 1.0)],
        "linear": _Z, "linear_grad": _Z,
        "softmax": _Z + [("axis", -1)], "log_softmax": _Z + [("axis", -1)],
        "softmax_jacobian": _Z,
    },
    "losses": {
        "gaussian_nll": _LOSS + [("var", 1.0), ("reduction", "mean")],
        "mse_loss": _LOSS + [("reduction", "mean")],
        "mse_loss_grad": _LOSS + [("reduction", "mean")],
        "bce_loss": _LOSS + [("reduction", "mean")],
        "bce_with_logits": _LOSS + [("pos_weight", None), ("reduction", "mean")],
        "bce_with_logits_grad": _LOSS + [("pos_weight", None), ("reduction", "mean")],
        "cross_entropy": _LOSS + [("reduction", "mean")],
        "cross_entropy_grad": _LOSS + [("reduction", "mean")],
    },
    "metrics": {
        "mean_squared_error": _YY,
        "mean_absolute_error": _YY,
        "r2_score": _YY,
        "accuracy_score": _YY,
        "confusion_matrix": _YY + [("labels", None)],
        "precision_score": _YY + _PRF,
        "recall_score": _YY + _PRF,
        "fbeta_score": _YY + [("beta", inspect.Parameter.empty)] + _PRF,
        "f1_score": _YY + _PRF,
    },
}
ALL_FUNCTIONS = [(m, f) for m, fs in CONTRACT.items() for f in fs]

# --------------------------------------------------------------------------------------------
# Comparison helpers
# --------------------------------------------------------------------------------------------


def _show(value: Any) -> str:
    """repr at full precision, arrays with their dtype (short enough for a failure message)."""
    if isinstance(value, torch.Tensor):
        value = value.detach().numpy()
    if isinstance(value, np.ndarray):
        with np.printoptions(precision=17, threshold=60, edgeitems=6):
            return f"array({np.array2string(value, separator=', ')}, dtype={value.dtype})"
    if isinstance(value, (list, tuple)):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_show(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _call(name: str, args: tuple, kwargs: dict) -> str:
    return f"{name}(*{_show(args)}, **{_show(kwargs)})"


def _tolerance(dtype: np.dtype) -> tuple[float, float]:
    """(rtol, atol): float64 to ~1e-7 with an absolute term, float32 to a few ulps."""
    return (2e-5, 1e-6) if np.dtype(dtype) == np.float32 else (1e-7, 1e-12)


def assert_matches(
    name: str,
    args: tuple,
    kwargs: dict,
    got: Any,
    expected: Any,
    oracle: str,
    *,
    check_type: bool = True,
) -> None:
    """Assert that a solution's result has the expected type, shape, dtype and values."""
    where = f"{_call(name, args, kwargs)}: got {_show(got)}, expected {_show(expected)} ({oracle})"
    if isinstance(expected, torch.Tensor):
        expected = expected.detach().numpy()
    exp = np.asarray(expected)
    if check_type:
        if exp.ndim > 0:
            assert isinstance(got, np.ndarray), f"not an ndarray: {where}"
        else:
            assert isinstance(got, (np.ndarray, np.generic)), f"not a numpy value: {where}"
    res = np.asarray(got)
    assert res.shape == exp.shape, f"shape {res.shape} != {exp.shape}: {where}"
    if check_type and exp.dtype.kind == "f":
        assert res.dtype == exp.dtype, f"dtype {res.dtype} != {exp.dtype}: {where}"
    if exp.dtype.kind in "iub":
        assert np.array_equal(res, exp), where
        return
    rtol, atol = _tolerance(F32 if F32 in (res.dtype, exp.dtype) else F64)
    res64, exp64 = res.astype(F64), exp.astype(F64)
    same_inf = np.isinf(exp64) & (res64 == exp64)  # -inf where torch gives -inf too
    with np.errstate(invalid="ignore", over="ignore"):
        close = np.isclose(res64, exp64, rtol=rtol, atol=atol, equal_nan=True) | same_inf
    assert close.all(), where


def _copy_args(args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    return tuple(np.copy(a) if isinstance(a, np.ndarray) else a for a in args), {
        k: np.copy(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()
    }


def _assert_unmodified(name: str, before: tuple[tuple, dict], args: tuple, kwargs: dict) -> None:
    old_args, old_kwargs = before
    for old, new in list(zip(old_args, args)) + [(old_kwargs[k], kwargs[k]) for k in kwargs]:
        if isinstance(new, np.ndarray):
            assert np.array_equal(old, new, equal_nan=True), (
                f"{name} modified its input: {_show(old)} became {_show(new)}")


def run_strict(f: Callable, args: tuple, kwargs: dict) -> Any:
    """Call f with every warning turned into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return f(*args, **kwargs)


def T(a: Any) -> torch.Tensor:
    """A torch copy of a numpy value (same dtype)."""
    return torch.tensor(np.array(a))


def autograd(forward: Callable) -> Callable:
    """d/d(first argument) of forward(...).sum(), via torch autograd (what 'none' means for *_grad)."""

    def grad(x: np.ndarray, *rest: Any, **kw: Any) -> torch.Tensor:
        t = T(x).requires_grad_(True)
        (g,) = torch.autograd.grad(forward(t, *rest, **kw).sum(), t)
        return g

    return grad


# --------------------------------------------------------------------------------------------
# Input strategies
# --------------------------------------------------------------------------------------------

SPECIALS = [0.0, -0.0, 1.0, -1.0, 1e-8, -1e-8, 20.0, -20.0, 37.0, -37.0, 88.0, -88.0,
            700.0, -700.0, 710.0, -710.0, 1e4, -1e4]


def _width(dtype: type) -> int:
    return 32 if dtype == F32 else 64


def values(dtype: type, lo: float, hi: float, specials: list[float] = SPECIALS) -> st.SearchStrategy:
    """Floats in [lo, hi] plus special values, all exactly representable in dtype."""
    special = sorted({float(dtype(v)) for v in specials}, key=lambda v: (abs(v), v))
    return st.one_of(st.floats(lo, hi, width=_width(dtype)), st.sampled_from(special))


def extreme_values(dtype: type) -> st.SearchStrategy:
    """Any finite float of dtype, biased to the limits: ±max, ±max/2, subnormals, ±1e4, ±710."""
    fi = np.finfo(dtype)
    special = [fi.max, fi.max / 2, fi.tiny, fi.smallest_subnormal, 1e4, 710.0, 100.0, 1.0, 0.0]
    special = [float(dtype(s)) for s in special]
    special += [-s for s in special]
    return st.one_of(
        st.floats(allow_nan=False, allow_infinity=False, width=_width(dtype)), st.sampled_from(special)
    )


def array(data: st.DataObject, dtype: type, elements: st.SearchStrategy, **shape_kw: int) -> np.ndarray:
    shape_kw = {"min_dims": 0, "max_dims": 3, "min_side": 0, "max_side": 5} | shape_kw
    shape = data.draw(hnp.array_shapes(**shape_kw), label="shape")
    return data.draw(hnp.arrays(dtype, shape, elements=elements), label="array")


def maybe(data: st.DataObject, kwargs: dict, key: str, strategy: st.SearchStrategy) -> None:
    """Sometimes pass a keyword (non-default value), sometimes rely on the default."""
    if data.draw(st.booleans(), label=f"pass {key}"):
        kwargs[key] = data.draw(strategy, label=key)


# --------------------------------------------------------------------------------------------
# Activations: torch forward functions and parameter strategies
# --------------------------------------------------------------------------------------------


def _swish(t: torch.Tensor, beta: float = 1.0) -> torch.Tensor:
    return F.silu(t) if beta == 1.0 else t * torch.sigmoid(beta * t)


ELEMENTWISE: dict[str, tuple[Callable, dict[str, st.SearchStrategy]]] = {
    "sigmoid": (torch.sigmoid, {}),
    "tanh": (torch.tanh, {}),
    "relu": (F.relu, {}),
    "leaky_relu": (
        lambda t, alpha=0.01: F.leaky_relu(t, alpha),
        {"alpha": st.sampled_from([0.0, 0.2, 1.0]) | st.floats(0, 1)},
    ),
    "softplus": (
        lambda t, beta=1.0, threshold=20.0: F.softplus(t, beta, threshold),
        {
            "beta": st.sampled_from([0.5, 2.0]) | st.floats(0.1, 5),
            "threshold": st.sampled_from([1.0, 5.0, 30.0]) | st.floats(0.5, 30),
        },
    ),
    "elu": (lambda t, alpha=1.0: F.elu(t, alpha), {"alpha": st.sampled_from([0.5, 2.0]) | st.floats(0.1, 3)}),
    "selu": (F.selu, {}),
    "swish": (_swish, {"beta": st.sampled_from([0.5, 2.0]) | st.floats(0.1, 5)}),
    "linear": (lambda t: t.clone(), {}),
}


def draw_elementwise(name: str, data: st.DataObject) -> tuple[tuple, dict]:
    dtype = data.draw(FLOAT_DTYPES, label="dtype")
    z = array(data, dtype, values(dtype, -60, 60))
    kwargs: dict = {}
    for key, strategy in ELEMENTWISE[name.removesuffix("_grad")][1].items():
        maybe(data, kwargs, key, strategy)
    return (z,), kwargs


def draw_layer(data: st.DataObject) -> tuple[tuple, dict]:
    dtype = data.draw(FLOAT_DTYPES, label="dtype")
    z = array(data, dtype, values(dtype, -60, 60))
    kwargs: dict = {}
    maybe(data, kwargs, "axis", st.integers(-max(z.ndim, 1), max(z.ndim, 1) - 1))
    return (z,), kwargs


def draw_jacobian(data: st.DataObject) -> tuple[tuple, dict]:
    dtype = data.draw(FLOAT_DTYPES, label="dtype")
    return (array(data, dtype, values(dtype, -60, 60), min_dims=1, min_side=1),), {}


def torch_softmax_jacobian(z: np.ndarray) -> torch.Tensor:
    t = T(z)
    c = t.shape[-1]
    flat = t.reshape(-1, c)
    if flat.shape[0] == 0:
        return torch.zeros(*t.shape, c, dtype=t.dtype)
    # (B, C, B, C) for the whole batch; the rows do not interact, keep the diagonal blocks
    full = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, -1), flat)
    rows = torch.arange(flat.shape[0])
    return full[rows, :, rows, :].reshape(*t.shape, c)


# --------------------------------------------------------------------------------------------
# Losses: draws and torch oracles
# --------------------------------------------------------------------------------------------


def draw_regression_loss(data: st.DataObject, with_var: bool = False) -> tuple[tuple, dict]:
    dtype = data.draw(FLOAT_DTYPES, label="dtype")
    x = array(data, dtype, values(dtype, -100, 100, SPECIALS[:12]), max_dims=2, min_side=1)
    y = data.draw(hnp.arrays(dtype, x.shape, elements=values(dtype, -100, 100, SPECIALS[:12])), label="target")
    kwargs: dict = {}
    if with_var:
        scalar = st.floats(2**-10, 2**10)
        positive = st.floats(2**-10, 2**10, width=_width(dtype))
        full = hnp.arrays(dtype, x.shape, elements=positive)
        per_sample = hnp.arrays(dtype, x.shape[:-1], elements=positive)  # one variance per row
        maybe(data, kwargs, "var", scalar | full | per_sample)
    maybe(data, kwargs, "reduction", REDUCTIONS)
    return (x, y), kwargs


def draw_bce(data: st.DataObject) -> tuple[tuple, dict]:
    dtype = data.draw(FLOAT_DTYPES, label="dtype")
    probs = [0.0, 1.0, 0.5, 1e-30, 1e-45, 1 - 1e-7, float(np.nextafter(dtype(1), dtype(0)))]
    p = array(data, dtype, values(dtype, 0, 1, probs), max_dims=2, min_side=1)
    y = data.draw(hnp.arrays(dtype, p.shape, elements=values(dtype, 0, 1, [0.0, 1.0])), label="target")
    kwargs: dict = {}
    maybe(data, kwargs, "reduction", REDUCTIONS)
    return (p, y), kwargs


def draw_bce_logits(data: st.DataObject, elements: Callable = None) -> tuple[tuple, dict]:
    dtype = data.draw(FLOAT_DTYPES, label="dtype")
    elements = elements or (lambda d: values(d, -100, 100, SPECIALS + [1e3, -1e3]))
    x = array(data, dtype, elements(dtype), max_dims=2, min_side=1)
    y = data.draw(hnp.arrays(dtype, x.shape, elements=values(dtype, 0, 1, [0.0, 1.0])), label="target")
    kwargs: dict = {}
    if x.ndim and data.draw(st.booleans(), label="pos_weight"):
        w = hnp.arrays(dtype, x.shape[-1:], elements=st.floats(0.125, 8, width=_width(dtype)))
        kwargs["pos_weight"] = data.draw(w, label="pos_weight")
    maybe(data, kwargs, "reduction", REDUCTIONS)
    return (x, y), kwargs


def draw_cross_entropy(data: st.DataObject, elements: Callable = None) -> tuple[tuple, dict]:
    dtype = data.draw(FLOAT_DTYPES, label="dtype")
    n = data.draw(st.integers(1, 6), label="N")
    c = data.draw(st.integers(1, 5), label="C")
    elements = elements or (lambda d: values(d, -30, 30, SPECIALS))
    x = data.draw(hnp.arrays(dtype, (n, c), elements=elements(dtype)), label="logits")
    if data.draw(st.booleans(), label="indices"):
        t = data.draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, c - 1)), label="classes")
    else:
        t = data.draw(hnp.arrays(dtype, (n, c), elements=values(dtype, 0, 1, [0.0, 1.0])), label="probs")
        if data.draw(st.booleans(), label="normalise"):
            t = (t / np.maximum(t.sum(axis=1, keepdims=True), dtype(1e-3))).astype(dtype)
    kwargs: dict = {}
    maybe(data, kwargs, "reduction", REDUCTIONS)
    return (x, t), kwargs


def torch_gaussian_nll(input, target, var=1.0, reduction="mean"):
    x = T(input)
    v = np.asarray(var, dtype=np.asarray(input).dtype)
    if not (v.ndim and v.shape == x.shape[:-1]):  # torch itself unsqueezes one var per sample
        v = np.broadcast_to(v, x.shape)
    return torch.nn.GaussianNLLLoss(full=True, reduction=reduction)(x, T(target), T(v))


def torch_mse(input, target, reduction="mean"):
    return F.mse_loss(torch.as_tensor(input), T(target), reduction=reduction)


def torch_bce(input, target, reduction="mean"):
    return F.binary_cross_entropy(T(input), T(target), reduction=reduction)


def torch_bce_logits(input, target, pos_weight=None, reduction="mean"):
    w = None if pos_weight is None else T(pos_weight)
    return F.binary_cross_entropy_with_logits(
        torch.as_tensor(input), T(target), pos_weight=w, reduction=reduction
    )


def torch_cross_entropy(input, target, reduction="mean"):
    return F.cross_entropy(torch.as_tensor(input), T(target), reduction=reduction)


# --------------------------------------------------------------------------------------------
# Metrics: draws and scikit-learn oracles
# --------------------------------------------------------------------------------------------


def draw_regression_metric(data: st.DataObject) -> tuple[tuple, dict]:
    dtype = data.draw(FLOAT_DTYPES, label="dtype")
    n = data.draw(st.integers(1, 20), label="N")  # r2_score of one sample is nan
    # quarter integers: exact in float32, so a near-constant y_true cannot amplify rounding
    quarters = st.integers(-400, 400).map(lambda k: k / 4)
    y_true = data.draw(hnp.arrays(dtype, (n,), elements=quarters), label="y_true")
    kind = data.draw(st.sampled_from(["random", "constant", "perfect", "constant-perfect"]), label="kind")
    if kind.startswith("constant"):
        y_true = np.full(n, y_true[0], dtype=dtype)
    if kind.endswith("perfect"):
        y_pred = y_true.copy()
    else:
        y_pred = data.draw(hnp.arrays(dtype, (n,), elements=quarters), label="y_pred")
    return (y_true, y_pred), {}


def draw_labels(data: st.DataObject) -> tuple[np.ndarray, np.ndarray]:
    n = data.draw(st.integers(1, 25), label="N")
    classes = data.draw(st.sampled_from([[0, 1], [0, 1, 2], [0, 1, 2, 3, 4], [1, 3, 7]]), label="classes")
    labels = st.sampled_from(classes)
    y_true = data.draw(hnp.arrays(np.int64, (n,), elements=labels), label="y_true")
    y_pred = data.draw(hnp.arrays(np.int64, (n,), elements=labels), label="y_pred")
    return y_true, y_pred


def draw_confusion(data: st.DataObject) -> tuple[tuple, dict]:
    y_true, y_pred = draw_labels(data)
    kwargs: dict = {}
    present = np.union1d(y_true, y_pred)
    how = data.draw(st.sampled_from(["default", "permuted", "extra", "subset"]), label="labels")
    if how == "permuted":
        kwargs["labels"] = data.draw(st.permutations(list(present)), label="labels")
    elif how == "extra":  # a label that never occurs gives a row and a column of zeros
        kwargs["labels"] = data.draw(st.permutations(list(present) + [9]), label="labels")
    elif how == "subset":  # must keep one label of y_true (scikit-learn requires it)
        keep = data.draw(st.lists(st.sampled_from(list(present)), unique=True), label="labels")
        kwargs["labels"] = list(dict.fromkeys([int(y_true[0])] + keep))
    return (y_true, y_pred), kwargs


def draw_prf(data: st.DataObject, with_beta: bool = False) -> tuple[tuple, dict]:
    average = data.draw(st.sampled_from(["binary", "micro", "macro", "weighted"]), label="average")
    kwargs: dict = {}
    if average == "binary":
        n = data.draw(st.integers(1, 25), label="N")
        pair = data.draw(st.sampled_from([(0, 1), (1, 2), (-1, 1), (3, 7)]), label="pair")
        y_true = data.draw(hnp.arrays(np.int64, (n,), elements=st.sampled_from(pair)), label="y_true")
        y_pred = data.draw(hnp.arrays(np.int64, (n,), elements=st.sampled_from(pair)), label="y_pred")
        pos_label = data.draw(st.sampled_from(pair), label="pos_label")
        if pos_label != 1 or data.draw(st.booleans(), label="pass pos_label"):
            kwargs["pos_label"] = pos_label
        if "average" in kwargs or data.draw(st.booleans(), label="pass average"):
            kwargs["average"] = "binary"
    else:
        y_true, y_pred = draw_labels(data)
        kwargs["average"] = average
    maybe(data, kwargs, "zero_division", st.sampled_from([0.0, 1.0, np.nan]))
    args: tuple = (y_true, y_pred)
    if with_beta:
        args += (data.draw(st.sampled_from([0.0, 0.5, 1.0, 2.0]) | st.floats(0, 5), label="beta"),)
    return args, kwargs


def sklearn(f: Callable) -> Callable:
    def run(*args: Any, **kwargs: Any) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "pos_label is ignored when average != 'binary'"
            return f(*args, **kwargs)

    return run


# --------------------------------------------------------------------------------------------
# One spec per contract function: how to draw its arguments, and the library that defines it
# --------------------------------------------------------------------------------------------

Draw = Callable[[st.DataObject], tuple[tuple, dict]]
SPECS: dict[str, tuple[str, Draw, Callable, str]] = {}  # name -> (module, draw, oracle, oracle name)

for _name, (_forward, _params) in ELEMENTWISE.items():
    SPECS[_name] = ("activations", lambda d, n=_name: draw_elementwise(n, d),
                    lambda z, _f=_forward, **kw: _f(T(z), **kw), "torch")
    SPECS[_name + "_grad"] = ("activations", lambda d, n=_name + "_grad": draw_elementwise(n, d),
                              autograd(_forward), "torch autograd")
SPECS["softmax"] = ("activations", draw_layer, lambda z, axis=-1: torch.softmax(T(z), axis), "torch")
SPECS["log_softmax"] = ("activations", draw_layer, lambda z, axis=-1: torch.log_softmax(T(z), axis), "torch")
SPECS["softmax_jacobian"] = ("activations", draw_jacobian, torch_softmax_jacobian, "torch autograd jacobian")
SPECS["gaussian_nll"] = ("losses", lambda d: draw_regression_loss(d, with_var=True), torch_gaussian_nll,
                         "GaussianNLLLoss(full=True)")
SPECS["mse_loss"] = ("losses", draw_regression_loss, torch_mse, "torch")
SPECS["mse_loss_grad"] = ("losses", draw_regression_loss, autograd(torch_mse), "torch autograd")
SPECS["bce_loss"] = ("losses", draw_bce, torch_bce, "torch")
SPECS["bce_with_logits"] = ("losses", draw_bce_logits, torch_bce_logits, "torch")
SPECS["bce_with_logits_grad"] = ("losses", draw_bce_logits, autograd(torch_bce_logits), "torch autograd")
SPECS["cross_entropy"] = ("losses", draw_cross_entropy, torch_cross_entropy, "torch")
SPECS["cross_entropy_grad"] = ("losses", draw_cross_entropy, autograd(torch_cross_entropy), "torch autograd")
SPECS["mean_squared_error"] = ("metrics", draw_regression_metric, sklearn(skm.mean_squared_error), "sklearn")
SPECS["mean_absolute_error"] = ("metrics", draw_regression_metric, sklearn(skm.mean_absolute_error), "sklearn")
SPECS["r2_score"] = ("metrics", draw_regression_metric, sklearn(skm.r2_score), "sklearn")
SPECS["accuracy_score"] = ("metrics", lambda d: (draw_labels(d), {}), sklearn(skm.accuracy_score), "sklearn")
SPECS["confusion_matrix"] = ("metrics", draw_confusion, sklearn(skm.confusion_matrix), "sklearn")
for _name in ["precision_score", "recall_score", "f1_score"]:
    SPECS[_name] = ("metrics", draw_prf, sklearn(getattr(skm, _name)), "sklearn")
SPECS["fbeta_score"] = (
    "metrics",
    lambda d: draw_prf(d, with_beta=True),
    sklearn(lambda y_true, y_pred, beta, **kw: skm.fbeta_score(y_true, y_pred, beta=beta, **kw)),
    "sklearn",
)

assert sorted(SPECS) == sorted(f for _, f in ALL_FUNCTIONS), "every contract function has a spec"


# --------------------------------------------------------------------------------------------
# The files: signatures, imports, solution marks
# --------------------------------------------------------------------------------------------

BEGIN, END = "### BEGIN " + "SOLUTION", "### END " + "SOLUTION"


@pytest.mark.parametrize("module,name", ALL_FUNCTIONS)
def test_signature_follows_the_contract(module: str, name: str) -> None:
    f = getattr(SOLUTIONS[module], name, None)
    assert callable(f), f"solutions.{module} has no function {name}"
    params = [(p.name, p.default) for p in inspect.signature(f).parameters.values()]
    assert params == CONTRACT[module][name], (
        f"{module}.{name}: signature {params} != contract {CONTRACT[module][name]}")
    doc = inspect.getdoc(f) or ""
    assert "Watch for:" in doc, f"{module}.{name}: docstring without 'Watch for:'"


@pytest.mark.parametrize("module", sorted(SOLUTIONS))
def test_module_is_standalone_numpy_only(module: str) -> None:
    tree = ast.parse(Path(SOLUTIONS[module].__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add("." * node.level + (node.module or ""))
    assert imported <= {"numpy", "numpy.typing"}, f"solutions/{module}.py imports {sorted(imported)}"


@pytest.mark.parametrize("module", sorted(SOLUTIONS))
def test_solution_marks_make_a_valid_stub(module: str) -> None:
    path = Path(SOLUTIONS[module].__file__)
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tokens = ["BEGIN " + "SOLUTION", "END " + "SOLUTION", "HIDDEN " + "TESTS"]
    marks = [(i, line) for i, line in enumerate(lines) if any(t in line for t in tokens)]
    # the marks appear only as whole lines, alternating BEGIN/END, never inside a docstring or comment
    for k, (i, line) in enumerate(marks):
        assert line.strip() == (BEGIN if k % 2 == 0 else END), f"{path.name}:{i + 1}: stray mark {line!r}"
    # one marked body per contract function, at its end
    tree = ast.parse(source)
    starts = [n.lineno - 1 for n in tree.body] + [len(lines)]  # a mark comment belongs to the node above it
    for k, node in enumerate(tree.body):
        if not isinstance(node, ast.FunctionDef) or node.name not in CONTRACT[module]:
            continue
        region = range(starts[k], starts[k + 1])
        inside = [i for i, _ in marks if i in region]
        name = node.name
        assert len(inside) == 2, f"{module}.{name}: one pair of solution marks expected, {len(inside)} marks"
        last = max(i for i in region if lines[i].strip())
        assert last == inside[1], f"{module}.{name}: code after the end mark"
    # what the stub generator produces must still be valid Python with the same signatures
    stub, skipping = [], False
    for line in lines:
        if line.strip() == BEGIN:
            indent = line[: len(line) - len(line.lstrip())]
            stub.append(f'{indent}raise NotImplementedError("exercise")')
            skipping = True
        elif line.strip() == END:
            skipping = False
        elif not skipping:
            stub.append(line)
    namespace: dict = {}
    exec(compile("\n".join(stub), f"stub-{path.name}", "exec", dont_inherit=True), namespace)  # noqa: S102
    for name in CONTRACT[module]:
        assert inspect.signature(namespace[name]) == inspect.signature(getattr(SOLUTIONS[module], name))
        required = [q for q in inspect.signature(namespace[name]).parameters.values() if q.default is q.empty]
        with pytest.raises(NotImplementedError):
            namespace[name](*[np.zeros(2)] * len(required))


# --------------------------------------------------------------------------------------------
# Agreement with PyTorch and scikit-learn
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SPECS))
@PROPERTY
@given(data=st.data())
def test_matches_library(name: str, data: st.DataObject) -> None:
    module, draw, oracle, oracle_name = SPECS[name]
    args, kwargs = draw(data)
    before = _copy_args(args, kwargs)
    got = run_strict(getattr(SOLUTIONS[module], name), args, kwargs)
    _assert_unmodified(name, before, args, kwargs)
    expected = oracle(*args, **kwargs)
    # sklearn returns Python floats for float32 inputs; the solutions keep numpy types
    assert_matches(f"{module}.{name}", args, kwargs, got, expected, oracle_name, check_type=module != "metrics")


# --------------------------------------------------------------------------------------------
# Extreme inputs, warnings as errors
# --------------------------------------------------------------------------------------------

ELEMENTWISE_NAMES = sorted(n for base in ELEMENTWISE for n in (base, base + "_grad"))


@pytest.mark.parametrize("name", ELEMENTWISE_NAMES)
@EXTREME
@given(data=st.data())
def test_elementwise_at_the_limits_of_the_dtype(name: str, data: st.DataObject) -> None:
    dtype = data.draw(FLOAT_DTYPES, label="dtype")
    z = array(data, dtype, extreme_values(dtype), min_dims=1, max_dims=1, min_side=1, max_side=8)
    expected = SPECS[name][2](z).detach().numpy()
    z = z[np.isfinite(expected)]  # selu beyond max/λ: the true value is not representable
    got = run_strict(getattr(activations, name), (z,), {})
    assert_matches(f"activations.{name}", (z,), {}, got, expected[np.isfinite(expected)], "torch")


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmax_jacobian"])
@EXTREME
@given(data=st.data())
def test_layer_at_the_limits_of_the_dtype(name: str, data: st.DataObject) -> None:
    dtype = data.draw(FLOAT_DTYPES, label="dtype")
    z = array(data, dtype, extreme_values(dtype), min_dims=1, max_dims=2, min_side=1, max_side=5)
    got = run_strict(getattr(activations, name), (z,), {})
    assert_matches(f"activations.{name}", (z,), {}, got, SPECS[name][2](z), "torch")


@pytest.mark.parametrize(
    "name,draw",
    [
        ("bce_loss", draw_bce),
        ("bce_with_logits", lambda d: draw_bce_logits(d, extreme_values)),
        ("bce_with_logits_grad", lambda d: draw_bce_logits(d, extreme_values)),
        ("cross_entropy", lambda d: draw_cross_entropy(d, extreme_values)),
        ("cross_entropy_grad", lambda d: draw_cross_entropy(d, extreme_values)),
    ],
)
@EXTREME
@given(data=st.data())
def test_loss_at_the_limits_of_the_dtype(name: str, draw: Draw, data: st.DataObject) -> None:
    args, kwargs = draw(data)
    expected = SPECS[name][2](*args, **kwargs).detach().numpy()
    if not np.isfinite(expected).all():  # e.g. a 'sum' beyond the dtype's range: not representable
        return
    got = run_strict(getattr(losses, name), args, kwargs)
    assert_matches(f"losses.{name}", args, kwargs, got, expected, "torch")


@pytest.mark.parametrize("dtype", [F32, F64])
def test_documented_extremes(dtype: type) -> None:
    big, fmax = dtype(1e4), np.finfo(dtype).max
    cases = [
        (activations.sigmoid, (np.array([-big, big], dtype),), [0.0, 1.0]),
        (activations.softplus, (np.array([-big, big, fmax], dtype),), [0.0, big, fmax]),
        (activations.softplus, (np.array([big], dtype),), {"threshold": 1e30}, [big]),
        (activations.tanh_grad, (np.array([0.0, big], dtype),), [1.0, 0.0]),
        (activations.relu_grad, (np.array([0.0], dtype),), [0.0]),
        (activations.leaky_relu_grad, (np.array([0.0], dtype),), {"alpha": 0.3}, [0.3]),
        (activations.elu_grad, (np.array([0.0], dtype),), {"alpha": 2.0}, [2.0]),
        (activations.selu_grad, (np.array([0.0], dtype),), [1.7580993408473766]),
        (activations.softplus_grad, (np.array([20.0, 20.5], dtype),), [1 / (1 + np.exp(-20.0)), 1.0]),
        (activations.log_softmax, (np.array([0.0, -big], dtype),), [0.0, -big]),
        (activations.softmax, (np.array([fmax, -fmax], dtype),), [1.0, 0.0]),
        (losses.bce_loss, (np.array([0.0, 1.0, 0.0, 1.0], dtype), np.array([1.0, 1.0, 0.0, 0.0], dtype)),
         {"reduction": "none"}, [100.0, 0.0, 0.0, 100.0]),
        (losses.bce_with_logits, (np.array([-big], dtype), np.array([1.0], dtype)), [big]),
        (losses.cross_entropy, (np.array([[big, -big]], dtype), np.array([1])), [2 * big]),
    ]
    for f, args, *rest in cases:
        kwargs, expected = (rest[0], rest[1]) if len(rest) == 2 else ({}, rest[0])
        got = run_strict(f, args, kwargs)
        exp = np.asarray(expected, dtype=dtype).reshape(np.shape(got))
        assert_matches(f.__module__ + "." + f.__name__, args, kwargs, got, exp, "the exact value")


# --------------------------------------------------------------------------------------------
# Conventions not covered above
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n in CONTRACT["activations"] if n != "softmax_jacobian"])
def test_activations_accept_python_values_ints_and_bools(name: str) -> None:
    f = getattr(activations, name)
    for value in [0.5, [0.5, -2.0], [[1, 0], [-3, 2]], [True, False], 3, []]:
        got = run_strict(f, (value,), {})
        exp = f(np.asarray(value, dtype=F64))
        assert_matches(f"activations.{name}", (value,), {}, got, exp, "the same function on float64")


def test_softmax_jacobian_shapes() -> None:
    for shape in [(1,), (3,), (2, 3), (2, 0, 4), (0, 3), (3, 0)]:
        z = np.arange(np.prod(shape), dtype=F32).reshape(shape)
        got = run_strict(activations.softmax_jacobian, (z,), {})
        assert got.shape == shape + shape[-1:] and got.dtype == F32, (
            f"softmax_jacobian(shape {shape}): got {got.shape} {got.dtype}")
    got = activations.softmax_jacobian(2.0)
    assert np.array_equal(got, [[0.0]]), f"softmax_jacobian(2.0): got {got!r}, expected [[0.]] (one logit)"


@pytest.mark.parametrize("name", sorted(CONTRACT["losses"]))
def test_losses_reject_an_unknown_reduction(name: str) -> None:
    f = getattr(losses, name)
    x, t = (np.zeros((2, 3)), np.array([0, 2])) if "cross" in name else (np.full(3, 0.5), np.ones(3))
    for bad in ["avg", "Mean", None]:
        with pytest.raises(ValueError):
            f(x, t, reduction=bad)


@pytest.mark.parametrize("name", sorted(CONTRACT["losses"]))
def test_losses_accept_ints_and_keep_float32(name: str) -> None:
    f = getattr(losses, name)
    if "cross" in name:
        x, t = [[1, 2, 3], [0, 0, 1]], [2, 0]
    elif "bce_loss" in name:
        x, t = [1, 0, 1], [1, 0, 0]
    else:
        x, t = [1, -2, 3], [1, 0, 1]
    for reduction in ["mean", "sum", "none"]:
        got = run_strict(f, (x, t), {"reduction": reduction})
        t_ = np.asarray(t, dtype=np.int64 if "cross" in name else F64)
        exp = f(np.asarray(x, dtype=F64), t_, reduction=reduction)
        assert_matches(f"losses.{name}", (x, t), {"reduction": reduction}, got, exp, "float64 input")
        got32 = f(np.asarray(x, dtype=F32), t, reduction=reduction)
        assert got32.dtype == F32, (
            f"losses.{name}(float32 input, {t}, reduction={reduction!r}): dtype {got32.dtype}")


@pytest.mark.parametrize("name", sorted(CONTRACT["losses"]))
def test_losses_on_empty_inputs(name: str) -> None:
    x = np.zeros((0, 3))
    t = np.zeros(0, dtype=np.int64) if "cross" in name else np.zeros((0, 3))
    for reduction in ["mean", "sum", "none"]:
        got = run_strict(getattr(losses, name), (x, t), {"reduction": reduction})
        expected = SPECS[name][2](x, t, reduction=reduction)  # 'mean' of nothing: nan, as torch
        assert_matches(f"losses.{name}", (x, t), {"reduction": reduction}, got, expected, "torch")


def test_metrics_on_strings_and_errors() -> None:
    y_true = ["cat", "dog", "cat", "mouse", "dog"]
    y_pred = ["cat", "cat", "cat", "mouse", "mouse"]
    checks = [
        ("accuracy_score", (), {}), ("confusion_matrix", (), {}),
        ("confusion_matrix", (), {"labels": ["mouse", "dog", "cat"]}),
        ("precision_score", (), {"average": "macro"}), ("recall_score", (), {"average": "weighted"}),
        ("f1_score", (), {"average": "micro"}), ("fbeta_score", (0.5,), {"average": "macro"}),
        ("precision_score", (), {"average": "binary", "pos_label": "dog"}),
    ]
    binary = (["dog", "cat", "dog"], ["dog", "dog", "cat"])
    for name, extra, kwargs in checks:
        args = (binary if kwargs.get("average") == "binary" else (y_true, y_pred)) + extra
        got = getattr(metrics, name)(*args, **kwargs)
        expected = SPECS[name][2](*args, **kwargs)
        assert_matches(f"metrics.{name}", args, kwargs, got, expected, "sklearn", check_type=False)
    for f in [metrics.precision_score, metrics.recall_score, metrics.f1_score]:
        with pytest.raises(ValueError):  # three classes with average='binary'
            f([0, 1, 2], [0, 1, 1])
        with pytest.raises(ValueError):
            f([0, 1], [0, 1], average="samples")
    with pytest.raises(ValueError):  # two classes without pos_label
        metrics.precision_score([2, 3], [3, 3])


# --------------------------------------------------------------------------------------------
# Agreement with the hidden reference (reference/)
# --------------------------------------------------------------------------------------------


def _reference(module: str, name: str) -> Callable:
    return getattr(importlib.import_module(f"reference.{module}"), name)


def _outcome(f: Callable, args: tuple, kwargs: dict) -> tuple[str, Any]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return "value", f(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - compared below
        return "raises", type(exc).__name__


@pytest.mark.parametrize("name", sorted(SPECS))
@PROPERTY
@given(data=st.data())
def test_matches_reference(name: str, data: st.DataObject) -> None:
    module, draw, _, _ = SPECS[name]
    ref = _reference(module, name)
    args, kwargs = draw(data)
    got, expected = _outcome(getattr(SOLUTIONS[module], name), args, kwargs), _outcome(ref, args, kwargs)
    where = f"{module}.{name}"
    assert got[0] == expected[0], f"{_call(where, args, kwargs)}: solution {got}, reference {expected}"
    if got[0] == "value":
        assert_matches(where, args, kwargs, got[1], expected[1], "reference", check_type=module != "metrics")


@pytest.mark.parametrize("name", ELEMENTWISE_NAMES + ["softmax", "log_softmax", "softmax_jacobian"])
@EXTREME
@given(data=st.data())
def test_matches_reference_at_the_limits(name: str, data: st.DataObject) -> None:
    ref = _reference("activations", name)
    dtype = data.draw(FLOAT_DTYPES, label="dtype")
    z = array(data, dtype, extreme_values(dtype), min_dims=1, max_dims=2, min_side=1, max_side=5)
    expected = ref(z)
    if name.startswith("selu") and not np.isfinite(expected).all():
        return  # beyond finfo.max/λ the true value is not representable
    got = run_strict(getattr(activations, name), (z,), {})
    assert_matches(f"activations.{name}", (z,), {}, got, expected, "reference")
