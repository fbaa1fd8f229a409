"""Shared helpers for the reference tests: tolerances, hypothesis strategies, torch oracles.

These tests prove `reference/` against torch and scikit-learn; they are not the grader.
"""

from __future__ import annotations

import contextlib
import warnings

import numpy as np
import torch
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

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
# Strategies
# ---------------------------------------------------------------------------------------------

def elements(dtype, lo: float, hi: float) -> st.SearchStrategy[float]:
    width = 32 if np.dtype(dtype) == np.float32 else 64
    if width == 32:  # bounds rounded inwards to float32
        lo32, hi32 = np.float32(lo), np.float32(hi)
        lo = float(lo32 if lo32 >= lo else np.nextafter(lo32, np.float32(np.inf)))
        hi = float(hi32 if hi32 <= hi else np.nextafter(hi32, np.float32(-np.inf)))
    return st.floats(lo, hi, width=width, allow_nan=False, allow_infinity=False)


def float_arrays(dtype, lo: float = -50.0, hi: float = 50.0, *, min_dims: int = 0,
                 max_dims: int = 3, min_side: int = 0, max_side: int = 5,
                 shape=None) -> st.SearchStrategy[np.ndarray]:
    """Arrays of `dtype` with values in [lo, hi]; any shape (0-d and empty included) unless given."""
    if shape is None:
        shape = hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                                 max_side=max_side)
    return hnp.arrays(dtype, shape, elements=elements(dtype, lo, hi))


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
