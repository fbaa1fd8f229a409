"""Comparing an answer with the expected value: tolerances that fit the dtype, readable values.

``mismatch`` says why an answer is not the expected value (a ``Message``), or None when it is:
shape first, then dtype (when the check asks), then nan where a number is due, then the first
index outside the tolerance. Tolerances have an absolute term as well as a relative one, so any
correct formula passes (torch returns exact 0 where a stable formula returns a subnormal).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..messages import Message, say


def tolerance(dtype: Any) -> tuple[float, float]:
    """(rtol, atol) for results of ``dtype``: loose enough for any correct formula."""
    dtype = np.dtype(dtype)
    if dtype == np.float16:
        return 2e-3, 1e-3
    if dtype == np.float32:
        return 2e-5, 1e-6
    return 1e-6, 1e-9


def show(value: Any, limit: int = 300) -> str:
    """A short, readable rendering of an input or a result."""
    if isinstance(value, np.ndarray):
        with np.printoptions(precision=10, threshold=12, edgeitems=3, linewidth=100):
            # one line: a message's values are shown as single lines (core/text.py)
            text = f"array({' '.join(np.array2string(value, separator=', ').split())}, dtype={value.dtype})"
    elif isinstance(value, np.generic):
        text = f"{value.dtype}({value!r})" if not isinstance(value, np.floating) else f"{value.dtype.name}({float(value)!r})"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[:limit] + " ..."


def show_call(function: str, args: tuple, kwargs: dict) -> str:
    parts = [show(a, 160) for a in args] + [f"{k}={show(v, 80)}" for k, v in kwargs.items()]
    return f"{function.split('.')[-1]}({', '.join(parts)})"


def mismatch(answer: Any, expected: Any, dtype: Any = None, rtol: float | None = None,
             atol: float | None = None, check_dtype: bool = False) -> Message | None:
    """Why ``answer`` is not ``expected`` (None when it is)."""
    if not answer.ok:
        return answer.describe()
    received = answer.value
    expected = np.asarray(expected)
    if (type(received) is np.ndarray and received.dtype == expected.dtype
            and received.shape == expected.shape and received.tobytes() == expected.tobytes()):
        return None  # the very same values: nothing to compare
    if np.shape(received) != expected.shape:
        return say("wrong_shape", received=np.shape(received), expected=expected.shape)
    if check_dtype and np.asarray(received).dtype != expected.dtype:
        return say("wrong_dtype", received=np.asarray(received).dtype, expected=expected.dtype)
    default_rtol, default_atol = tolerance(dtype if dtype is not None else expected.dtype
                                           if expected.dtype.kind == "f" else np.float64)
    rtol = default_rtol if rtol is None else rtol
    atol = default_atol if atol is None else atol
    got = np.asarray(received, dtype=np.float64)
    want = expected.astype(np.float64)
    if np.array_equal(got, want):  # the usual case, decided without the tolerances
        return None
    if not np.array_equal(np.isnan(got), np.isnan(want)):
        return say("nan_mismatch")
    close = np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True) | (got == want)
    if not close.all():
        where = tuple(int(i) for i in np.argwhere(~close)[0]) if got.ndim else ()
        own = np.asarray(received)  # shown in the dtype the student returned, not float64
        if not got.ndim:  # one value: no index to name
            return say("wrong_value_0d", received=show(own[()]), expected=show(expected[()]))
        return say("wrong_value", index=where, received=show(own[where]), expected=show(expected[where]))
    return None


# -- counterexamples as data (for pages, class reports and readable messages) ----------------------------

ARRAY_LIMIT = 4096  # values kept per array in a record; larger arrays keep their shape and a slice


def array_json(value: Any, limit: int = ARRAY_LIMIT) -> Any:
    """An input or a result as JSON: dtype, shape and values (non-finite floats as strings)."""
    if isinstance(value, (list, tuple)) and not isinstance(value, np.ndarray):
        try:
            value = np.asarray(value)
        except (TypeError, ValueError):
            return {"repr": show(value, 500)}
    if not isinstance(value, (np.ndarray, np.generic)):
        return {"python": repr(value)[:500]}
    array = np.asarray(value)
    flat = array.ravel()[:limit]
    values = [float(v) if array.dtype.kind == "f" and np.isfinite(v) else
              (str(v) if array.dtype.kind == "f" else v.item()) for v in flat]
    return {"dtype": str(array.dtype), "shape": list(array.shape), "values": values,
            "truncated": bool(array.size > limit)}


def difference(received: Any, expected: Any) -> dict:
    """Where and by how much ``received`` differs from ``expected`` (same shape, numeric):
    the first index that differs, the largest absolute and relative errors, the nan/inf indices."""
    try:
        got = np.asarray(received, dtype=np.float64)
        want = np.asarray(expected, dtype=np.float64)
    except (TypeError, ValueError):
        return {}
    if got.shape != want.shape:
        return {"shape": [list(got.shape), list(want.shape)]}
    with np.errstate(all="ignore"):
        error = np.abs(got - want)
        same = (got == want) | (np.isnan(got) & np.isnan(want))
        finite = np.isfinite(error) & ~same
        relative = error / np.maximum(np.abs(want), np.finfo(np.float64).tiny)
    found: dict = {}
    wrong = np.argwhere(~same)
    if len(wrong):
        found["first_mismatch"] = [int(i) for i in wrong[0]]
    if finite.any():
        found["max_abs_error"] = float(error[finite].max())
        found["max_rel_error"] = float(relative[finite].max())
    bad = np.argwhere(~np.isfinite(got) & np.isfinite(want))
    if bad.size:
        found["non_finite_at"] = [[int(i) for i in where] for where in bad[:20]]
    return found


def evidence(function: str, args: tuple, kwargs: dict, received: Any, expected: Any) -> dict:
    """The counterexample of a failed comparison, as JSON data."""
    found = {"function": function, "args": [array_json(a) for a in args],
             "kwargs": {k: array_json(v) for k, v in kwargs.items()},
             "received": array_json(received) if received is not None else None,
             "expected": array_json(expected)}
    if received is not None:
        found.update(difference(received, expected))
    return found
