"""Shared helpers of the tests that prove `reference/` and `solutions/` against torch and
scikit-learn (they are not the grader): tolerances, assertions, inputs, library oracles.

Inputs are the catalogue's own strategies (``autograder/core/checks/strategies.py``), chosen by
what a contract entry is (its kind, the data it takes, its parameters); the library oracles are
the entry's counterparts (``Function.torch``, ``Function.sklearn``) evaluated in float64. So a
function added to the registry (``autograder/contract.py``) is tested without editing a table.
"""

from __future__ import annotations

import contextlib
import warnings

import numpy as np
import torch
from hypothesis import settings
from hypothesis import strategies as st

from autograder.contract import Function
from autograder.core.checks import strategies as s

torch.set_num_threads(1)

FLOATS = (np.float32, np.float64)

# Tolerances that fit the dtype. The absolute term absorbs torch returning an exact 0 where a
# stable formula returns a subnormal (torch.sigmoid(-710.) == 0.0 vs 4.5e-309) and the
# cancellation of torch's own naive formulas (e.g. 1 - σ(z) for large z).
TOL = {
    np.dtype(np.float64): dict(rtol=1e-7, atol=1e-12),
    np.dtype(np.float32): dict(rtol=2e-5, atol=1e-6),
    np.dtype(np.float16): dict(rtol=2e-3, atol=1e-3),
}


def hsettings(max_examples: int = 40, **kw) -> settings:
    """Deterministic, database-free hypothesis settings without deadline."""
    return settings(derandomize=True, database=None, deadline=None, max_examples=max_examples, **kw)


# ---------------------------------------------------------------------------------------------
# Assertions with diagnostic messages
# ---------------------------------------------------------------------------------------------

def _show(x, limit: int = 400) -> str:
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    if isinstance(x, np.ndarray):
        with np.printoptions(precision=17, threshold=60, edgeitems=4):
            text = f"{np.array2string(x, separator=', ')} (dtype={x.dtype}, shape={x.shape})"
    else:
        text = repr(x)
    return text if len(text) <= limit else text[:limit] + " ..."


def describe(func: str, inputs, got, expected) -> str:
    return (f"{func}: input {_show(inputs)}\n  received {_show(got)}\n  expected {_show(expected)}")


def assert_close(func: str, inputs, got, expected, *, dtype=None, rtol=None, atol=None,
                 exact_dtype: bool = True) -> None:
    """`got` is an ndarray (or numpy scalar for reductions) of expected's shape and `dtype`,
    and matches `expected` elementwise within the dtype's tolerance (nan matches nan, ±inf must
    be equal)."""
    if isinstance(expected, torch.Tensor):
        expected = expected.detach().cpu().numpy()
    expected = np.asarray(expected)
    assert isinstance(got, (np.ndarray, np.generic)), (
        f"{func}: returned {type(got).__name__}, expected numpy.ndarray\n"
        + describe(func, inputs, got, expected))
    got_arr = np.asarray(got)
    assert got_arr.shape == expected.shape, (
        f"{func}: shape {got_arr.shape}, expected {expected.shape}\n"
        + describe(func, inputs, got, expected))
    if dtype is not None and exact_dtype:
        assert got_arr.dtype == np.dtype(dtype), (
            f"{func}: dtype {got_arr.dtype}, expected {np.dtype(dtype)}\n"
            + describe(func, inputs, got, expected))
    tol = dict(TOL[np.dtype(dtype) if dtype is not None else got_arr.dtype])
    if rtol is not None:
        tol["rtol"] = rtol
    if atol is not None:
        tol["atol"] = atol
    g64, e64 = got_arr.astype(np.float64), expected.astype(np.float64)
    ok = np.isclose(g64, e64, equal_nan=True, **tol)
    if not np.all(ok):
        bad = tuple(np.argwhere(~ok)[0]) if ok.ndim else ()
        raise AssertionError(
            f"{func}: mismatch at index {bad}: received {g64[bad]!r}, expected {e64[bad]!r} "
            f"(rtol={tol['rtol']}, atol={tol['atol']})\n" + describe(func, inputs, got, expected))


def assert_equal(func: str, inputs, got, expected) -> None:
    """Bit-for-bit equal values (after conversion to float64)."""
    got_arr, exp_arr = np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    assert got_arr.shape == exp_arr.shape and np.array_equal(got_arr, exp_arr, equal_nan=True), (
        f"{func}: not exactly equal\n" + describe(func, inputs, got, expected))


@contextlib.contextmanager
def no_warnings():
    """Every warning is an error, and so is any floating-point overflow, invalid operation or
    division by zero (underflow to a subnormal or 0 is harmless and stays allowed)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise", under="ignore"):
            yield


def call_unmodified(func: str, f, *args, **kwargs):
    """Call f(*args, **kwargs) with warnings as errors and check that no ndarray argument was
    modified in place."""
    before = [np.array(a, copy=True) if isinstance(a, np.ndarray) else None for a in args]
    with no_warnings():
        out = f(*args, **kwargs)
    for i, (a, b) in enumerate(zip(args, before)):
        if b is not None:
            assert np.array_equal(a, b, equal_nan=True), (
                f"{func}: argument {i} was modified in place: now {_show(a)}, was {_show(b)}")
    return out


# ---------------------------------------------------------------------------------------------
# Inputs: the catalogue's strategies, chosen by what a contract entry is
# ---------------------------------------------------------------------------------------------

def checked(entry: Function) -> dict[str, tuple]:
    """The registry's non-default values of each parameter that has some (reduction aside)."""
    return {p.name: p.checked for p in entry.params if p.checked and p.name != "reduction"}


def _with_required(strategy: st.SearchStrategy, entry: Function) -> st.SearchStrategy:
    """Cases with a value of every required parameter appended to their args (the contract
    passes them positionally, fbeta_score's β third)."""
    for param in entry.params:
        if param.required:
            strategy = s.with_beta(strategy, param.checked)
    return strategy


def _elementwise_cases(entry: Function, dtype, low: float, high: float) -> st.SearchStrategy:
    params = checked(entry)
    found = s.activation_cases(dtype, {}, low, high)
    return st.one_of(found, s.activation_cases(dtype, params, low, high)) if params else found


def _layer_cases(entry: Function, dtype, low: float, high: float) -> st.SearchStrategy:
    found = s.layer_cases(dtype, low, high)
    if any(p.name == "axis" for p in entry.params):
        found = st.one_of(found, s.layer_cases(dtype, low, high, axis=True))
    return found


def _jacobian_cases(dtype) -> st.SearchStrategy:
    if np.dtype(dtype) == np.float64:
        return s.jacobian_cases()
    # the catalogue's Jacobian inputs are float64 only: the same arrays in float32
    return s.floats_array(dtype, -10, 10, min_dims=1, max_dims=3, max_side=4).map(lambda a: ((a,), {}))


def _loss_cases(entry: Function, dtype, torch_shapes: bool) -> st.SearchStrategy:
    """The catalogue's loss inputs: the data its kind takes with every reduction, and each
    parameter with the registry's values (var and pos_weight by their own float64 strategies)."""
    if entry.inputs == "classes":
        data = st.one_of(s.class_inputs(dtype, "index"), s.class_inputs(dtype, "prob"))
    else:
        data = s.loss_pairs(entry.inputs, dtype)
    reductions = s.REDUCTIONS if any(p.name == "reduction" for p in entry.params) else ()
    base = s.with_reduction(data, reductions) if reductions else s.as_args(data)
    found = [base]
    float64 = np.dtype(dtype) == np.float64
    for name, values in checked(entry).items():
        found.append(st.tuples(base, st.sampled_from(values)).map(
            lambda c, name=name: (c[0][0], {**c[0][1], name: c[1]})))
    names = [p.name for p in entry.params]
    if "var" in names and float64:
        found.append(s.gaussian_var_cases(torch_shapes=torch_shapes))
    if "pos_weight" in names and float64:
        found.append(s.pos_weight_cases())
    return st.one_of(found)


def _metric_cases(entry: Function) -> st.SearchStrategy:
    """The catalogue's metric inputs by the kind of data: regression vectors (spread as for R²:
    harmless for the others), label vectors (with ``labels=`` when the metric takes it), and
    for scores binary vectors with zero_division, 2 to 4 classes with each average, pos_label."""
    names = [p.name for p in entry.params]
    if entry.inputs == "regression":
        found = s.as_args(s.regression_vectors(r2=True))
    elif entry.inputs == "labels":
        found = s.as_args(s.class_vectors())
        if "labels" in names:
            found = st.one_of(found, s.class_vectors().flatmap(s.with_labels))
    else:
        zero_division = (entry.param("zero_division").default,) + entry.param("zero_division").checked
        found = st.one_of(
            st.tuples(s.binary_vectors(), st.sampled_from(zero_division)).map(
                lambda c: (c[0], {"zero_division": c[1]})),
            st.tuples(s.class_vectors(), st.sampled_from(entry.param("average").checked)).map(
                lambda c: (c[0], {"average": c[1]})),
            s.pos_label_vectors())
    return _with_required(found, entry)


def cases(entry: Function, dtype=np.float64, low: float = s.REAL[0], high: float = s.REAL[1],
          torch_shapes: bool = True) -> st.SearchStrategy:
    """``(args, kwargs)`` for ``entry`` as the catalogue generates them, in ``dtype`` (metrics
    and float64-only parameters aside). ``low``/``high``: the range of activations' inputs;
    ``torch_shapes``: only the variance shapes torch's GaussianNLLLoss takes."""
    if entry.kind in ("activation", "derivative"):
        return _elementwise_cases(entry, dtype, low, high)
    if entry.kind == "layer":
        return _layer_cases(entry, dtype, low, high)
    if entry.kind == "jacobian":
        return _jacobian_cases(dtype)
    if entry.kind in ("loss", "loss_grad"):
        return _loss_cases(entry, dtype, torch_shapes)
    return _metric_cases(entry)


def extreme_values(dtype) -> np.ndarray:
    """±finfo.max, ±1e4 and friends, ±tiny, ±smallest subnormal and ±0 in `dtype`."""
    fi = np.finfo(dtype)
    pos = [fi.smallest_subnormal, fi.tiny, 1e-8, 0.5, 1.0, 20.0, 100.0, 750.0, 1e3, 1e4, fi.max]
    vals = [0.0, -0.0] + pos + [-v for v in pos]
    return np.array(vals, dtype=dtype)


# ---------------------------------------------------------------------------------------------
# Torch oracles
# ---------------------------------------------------------------------------------------------

def tt(a, requires_grad: bool = False) -> torch.Tensor:
    """ndarray → torch tensor (a copy), optionally a leaf that requires grad."""
    t = torch.from_numpy(np.array(a, copy=True))
    return t.requires_grad_(True) if requires_grad else t


def torch_value_and_grad(f, x: np.ndarray, reduce_sum: bool = True):
    """(f(x), d sum(f(x)) / dx) by torch autograd, as numpy arrays."""
    xt = tt(x, requires_grad=True)
    y = f(xt)
    (y.sum() if reduce_sum else y).backward()
    grad = xt.grad if xt.grad is not None else torch.zeros_like(xt)
    return y.detach().numpy(), grad.numpy()


# ---------------------------------------------------------------------------------------------
# Library oracles: the registry's counterparts (Function.torch, Function.sklearn)
# ---------------------------------------------------------------------------------------------

def _tensor(value, index: bool = False):
    """A float64 tensor of ``value`` (int64 class indices when ``index``); None and text kept."""
    if value is None or isinstance(value, (str, bool)):
        return value
    array = np.asarray(value)
    if index and array.dtype.kind in "iu":
        return torch.as_tensor(array.astype(np.int64))
    return torch.as_tensor(array.astype(np.float64))


def _jacobian(forward, z) -> np.ndarray:
    """The Jacobian of ``forward`` over the last axis, row by row: (..., C) -> (..., C, C)."""
    z = np.asarray(z, dtype=np.float64)
    rows = z.reshape(-1, z.shape[-1])
    blocks = [torch.autograd.functional.jacobian(forward, torch.as_tensor(row)).numpy() for row in rows]
    return np.array(blocks).reshape(z.shape + (z.shape[-1],))


def _loss(entry: Function, args: tuple, kwargs: dict, grad: bool) -> np.ndarray:
    x = _tensor(args[0]).requires_grad_(grad)
    target = _tensor(args[1], index=entry.inputs == "classes")
    rest = [_tensor(v) for v in args[2:]]
    value = entry.torch(x, target, *rest, **{k: _tensor(v) for k, v in kwargs.items()})
    if not grad:
        return value.detach().numpy()
    value.sum().backward()  # 'none': each element's derivative with respect to its own input
    return x.grad.numpy()


def _sklearn(entry: Function, args: tuple, kwargs: dict):
    from sklearn import metrics
    named = dict(zip([p.name for p in entry.params], args[2:]))  # scikit-learn takes β by keyword
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = getattr(metrics, entry.sklearn)(args[0], args[1], **named, **kwargs)
    return float(value) if np.ndim(value) == 0 else np.asarray(value)


def library_value(entry: Function, args: tuple, kwargs: dict):
    """What ``entry``'s library counterpart gives on ``args``/``kwargs``: torch on float64 tensors
    (autograd for a derivative or a loss gradient, the Jacobian row by row) or sklearn.metrics."""
    if entry.kind in ("activation", "layer"):
        return entry.torch(_tensor(args[0]), **kwargs).detach().numpy()
    if entry.kind == "derivative":
        z = _tensor(args[0]).requires_grad_(True)
        entry.torch(z, **kwargs).sum().backward()
        return z.grad.numpy()
    if entry.kind == "jacobian":
        return _jacobian(entry.torch, args[0])
    if entry.kind in ("loss", "loss_grad"):
        return _loss(entry, args, kwargs, entry.kind == "loss_grad")
    return _sklearn(entry, args, kwargs)


def result_dtype(args: tuple) -> np.dtype:
    """The contract's dtype of a result: the first argument's floating dtype, else float64."""
    dtype = np.asarray(args[0]).dtype
    return dtype if dtype.kind == "f" else np.dtype(np.float64)


def library_expected(entry: Function, args: tuple, kwargs: dict):
    """The library's value in the contract's dtype (metrics: as scikit-learn returns it)."""
    value = library_value(entry, args, kwargs)
    if entry.module == "metrics":
        return value
    with np.errstate(over="ignore"):  # beyond the dtype's range the rounding is ±inf
        return np.asarray(value).astype(result_dtype(args))
