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


SHOW_FULL = 64  # arrays up to this many elements are shown whole; larger ones by a slice
SHOW_WINDOW = 16  # the elements (or rows) of the slice shown around the first mismatch


def _array_text(value: np.ndarray) -> str:
    """On one line: a message's values are shown as single lines (core/text.py)."""
    with np.printoptions(precision=10, threshold=SHOW_FULL + 1, linewidth=100):
        return " ".join(np.array2string(value, separator=", ").split())


def _window(value: np.ndarray, focus: tuple | None) -> tuple[np.ndarray, str]:
    """The slice of a large array around ``focus`` (an index; the start when None) and its
    place: rows of the first axis, or for a few long rows, a slice of the flattened array."""
    at = tuple(focus) if focus is not None and len(focus) == value.ndim else (0,) * value.ndim
    row = int(np.prod(value.shape[1:], dtype=np.int64)) if value.ndim > 1 else 1
    if value.ndim == 1 or row > SHOW_FULL:
        flat = int(np.ravel_multi_index(at, value.shape)) if value.size else 0
        start = max(0, min(flat - SHOW_WINDOW // 2, value.size - SHOW_WINDOW))
        part = value.ravel()[start:start + SHOW_WINDOW]
        return part, (f"[{start}:{start + part.size}]" if value.ndim == 1 else
                      f".ravel()[{start}:{start + part.size}]")
    rows = max(1, SHOW_FULL // max(row, 1))
    start = max(0, min(at[0] - rows // 2, value.shape[0] - rows))
    return value[start:start + rows], f"[{start}:{start + rows}]"


def show(value: Any, limit: int = 4000, focus: tuple | None = None) -> str:
    """A readable rendering of an input or a result: arrays with their shape and dtype, whole up
    to ``SHOW_FULL`` elements, else the slice around ``focus`` (the first mismatch) with its
    offset, e.g. ``array(shape=(1000,), dtype=float64)[492:508] = [...]``."""
    if isinstance(value, np.ndarray):
        shape = "(" + ", ".join(str(n) for n in value.shape) + ("," if value.ndim == 1 else "") + ")"
        if value.size <= SHOW_FULL:
            text = f"array({_array_text(value)}, shape={shape}, dtype={value.dtype})"
        else:
            part, where = _window(value, focus)
            text = f"array(shape={shape}, dtype={value.dtype}){where} = {_array_text(part)}"
    elif isinstance(value, np.generic):
        text = f"{value.dtype}({value!r})" if not isinstance(value, np.floating) else f"{value.dtype.name}({float(value)!r})"
    elif isinstance(value, (list, tuple)) and len(value) > SHOW_FULL:
        text = f"{type(value).__name__} of {len(value)}: {value[:SHOW_WINDOW]!r}"[:limit] + " ..."
    else:
        text = repr(value)
    return text if len(text) <= limit else text[:limit] + " ..."


def show_call(function: str, args: tuple, kwargs: dict, focus: tuple | None = None) -> str:
    """``name(args, kw=...)`` with every argument shown (arrays around ``focus`` when large)."""
    parts = [show(a, focus=focus) for a in args] + [f"{k}={show(v, 400)}" for k, v in kwargs.items()]
    return f"{function.split('.')[-1]}({', '.join(parts)})"


def first_mismatch(answer: Any, expected: Any) -> tuple | None:
    """The index of the first element where an answer differs from the expected value (None
    when there is no such index: a failed call, another shape, a 0-d value)."""
    if not getattr(answer, "ok", False):
        return None
    where = difference(answer.value, expected).get("first_mismatch")
    return tuple(where) if where else None


def received_type(answer: Any) -> str:
    """What the student returned, as a type: its dtype, or a Python number or list (read as
    that dtype)."""
    dtype = np.asarray(answer.value).dtype
    kind = getattr(answer, "kind", "")
    if kind in ("float", "int", "bool"):
        return f"{kind} (Python)"
    if kind in ("list", "tuple"):
        return f"{kind} (Python, {dtype})"
    return str(dtype)


def _indices(mask: np.ndarray, most: int = 10) -> Any:
    """The first ``most`` indices where ``mask`` holds, and how many more there are."""
    found = [tuple(int(i) for i in where) for where in np.argwhere(mask)[:most]]
    text = ", ".join(str(w) for w in found)
    more = int(mask.sum()) - len(found)
    return say("indices_more", indices=text, count=more) if more > 0 else text


def _details(problem: Message, received: Any, expected: np.ndarray, got: np.ndarray, want: np.ndarray,
             where: tuple | None, nan_listed: bool = False) -> Message:
    """``problem`` with the whole picture: both arrays (shape, dtype), how many elements differ,
    the first index, the largest absolute and relative errors, where nan/inf were received
    (inf only when ``nan_listed``: the problem names the nan)."""
    own = np.asarray(received)
    with np.errstate(all="ignore"):
        error = np.abs(got - want)
        wrong = ~((got == want) | (np.isnan(got) & np.isnan(want)))
        finite = wrong & np.isfinite(error)
        relative = error / np.abs(want)  # where the expected value is 0, no relative error
        scaled = finite & (want != 0)
    parts = []
    if got.ndim:
        parts.append(say("mismatch_count", count=int(wrong.sum()), size=got.size, index=where))
    if finite.any():
        parts.append(say("mismatch_errors", abs_error=f"{float(error[finite].max()):.3g}",
                         rel_error=f"{float(relative[scaled].max()):.3g}" if scaled.any() else "-"))
    non_finite = ~np.isfinite(got) & np.isfinite(want) & ~(np.isnan(got) if nan_listed else False)
    if non_finite.any():
        parts.append(say("mismatch_non_finite", indices=_indices(non_finite) if got.ndim else "()"))
    stats: Any = parts[0] if parts else ""
    for part in parts[1:]:
        stats = say("mismatch_and", first=stats, then=part)
    if got.ndim:
        return say("mismatch_arrays", problem=problem, received=show(own, focus=where),
                   expected=show(expected, focus=where), stats=stats)
    return say("mismatch_scalar", problem=problem, stats=stats) if parts else problem


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
        return say("wrong_shape_shown", received=np.shape(received), expected=expected.shape,
                   received_value=show(np.asarray(received)), expected_value=show(expected))
    if check_dtype and np.asarray(received).dtype != expected.dtype:
        return say("wrong_dtype", received=received_type(answer), expected=expected.dtype)
    default_rtol, default_atol = tolerance(dtype if dtype is not None else expected.dtype
                                           if expected.dtype.kind == "f" else np.float64)
    rtol = default_rtol if rtol is None else rtol
    atol = default_atol if atol is None else atol
    got = np.asarray(received, dtype=np.float64)
    want = expected.astype(np.float64)
    if np.array_equal(got, want):  # the usual case, decided without the tolerances
        return None
    nan_got, nan_want = np.isnan(got), np.isnan(want)
    if not np.array_equal(nan_got, nan_want):
        where = tuple(int(i) for i in np.argwhere(nan_got != nan_want)[0]) if got.ndim else ()
        problem = (say("nan_where_number", indices=_indices(nan_got & ~nan_want) if got.ndim else "()")
                   if (nan_got & ~nan_want).any() else
                   say("number_where_nan", indices=_indices(nan_want & ~nan_got) if got.ndim else "()"))
        return _details(problem, received, expected, got, want, where if got.ndim else None, nan_listed=True)
    close = np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True) | (got == want)
    if not close.all():
        where = tuple(int(i) for i in np.argwhere(~close)[0]) if got.ndim else ()
        own = np.asarray(received)  # shown in the dtype the student returned, not float64
        if not got.ndim:  # one value: no index to name
            problem = say("wrong_value_0d", received=show(own[()]), expected=show(expected[()]))
            return _details(problem, received, expected, got, want, None)
        problem = say("wrong_value", index=where, received=show(own[where]), expected=show(expected[where]))
        return _details(problem, received, expected, got, want, where)
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
