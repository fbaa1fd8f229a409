"""Property tests of the worked solutions (``solutions/``).

Every function of the contract registry (``autograder/contract.py``) is checked in its solution

- against its library counterpart (``Function.torch``, autograd for derivatives and loss
  gradients, the Jacobian row by row; ``Function.sklearn`` for metrics) and against the hidden
  reference (``reference/``), on the inputs the catalogue generates (``oracle_helpers.cases``:
  the catalogue's strategies, chosen by the function's kind, data and parameters);
- at extreme inputs (|z| up to the limits of the dtype, probabilities at 0 and 1) with every
  warning turned into an error.

The files themselves are checked too: numpy-only imports, one pair of solution marks per
function (what the stub generator relies on), a "Watch for:" note in every docstring. The
signatures are ``tests/test_contract.py``'s business. A function added to the registry is
picked up here without editing this file.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import warnings
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder.contract import FUNCTIONS, Function, functions
from helpers import MODULES
from oracle_helpers import cases, library_expected

SOLUTIONS = {module: importlib.import_module(f"solutions.{module}") for module in MODULES}
F32, F64 = np.float32, np.float64
# SOLUTIONS_MAX_EXAMPLES=500 for a deeper (slower) search than the default run (~1 min)
MAX_EXAMPLES = int(os.environ.get("SOLUTIONS_MAX_EXAMPLES", "25"))
PROPERTY = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=MAX_EXAMPLES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
EXTREME = settings(PROPERTY, max_examples=max(MAX_EXAMPLES * 2 // 3, 1))

ELEMENTWISE = [f for f in FUNCTIONS if f.kind in ("activation", "derivative")]
LAYERS = [f for f in FUNCTIONS if f.kind in ("layer", "jacobian")]
LOSSES = functions("losses")
METRICS = functions("metrics")
NAME = {"ids": lambda f: f.qualified}


def solution(entry: Function) -> Callable:
    return getattr(SOLUTIONS[entry.module], entry.name)


def _takes(entry: Function, parameter: str) -> bool:
    return any(p.name == parameter for p in entry.params)


# --------------------------------------------------------------------------------------------
# Comparison helpers
# --------------------------------------------------------------------------------------------


def _show(value: Any) -> str:
    """repr at full precision, arrays with their dtype (short enough for a failure message)."""
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
    same_inf = np.isinf(exp64) & (res64 == exp64)  # -inf where the true value is -inf too
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


# --------------------------------------------------------------------------------------------
# Inputs: the catalogue's, and what it does not generate
# --------------------------------------------------------------------------------------------


def _width(dtype: type) -> int:
    return 32 if dtype == F32 else 64


def extreme_values(dtype: type) -> st.SearchStrategy:
    """Any finite float of dtype, biased to the limits: ±max, ±max/2, subnormals, ±1e4, ±710.
    (The catalogue tests the limits on a fixed list; here hypothesis searches all of them.)"""
    fi = np.finfo(dtype)
    special = [fi.max, fi.max / 2, fi.tiny, fi.smallest_subnormal, 1e4, 710.0, 100.0, 1.0, 0.0]
    special = [float(dtype(s)) for s in special]
    special += [-s for s in special]
    return st.one_of(
        st.floats(allow_nan=False, allow_infinity=False, width=_width(dtype)), st.sampled_from(special)
    )


def values(dtype: type, lo: float, hi: float, specials: list[float]) -> st.SearchStrategy:
    """Floats in [lo, hi] plus special values, all exactly representable in dtype."""
    special = sorted({float(dtype(v)) for v in specials}, key=lambda v: (abs(v), v))
    return st.one_of(st.floats(lo, hi, width=_width(dtype)), st.sampled_from(special))


def array(data: st.DataObject, dtype: type, elements: st.SearchStrategy, **shape_kw: int) -> np.ndarray:
    shape_kw = {"min_dims": 0, "max_dims": 3, "min_side": 0, "max_side": 5} | shape_kw
    shape = data.draw(hnp.array_shapes(**shape_kw), label="shape")
    return data.draw(hnp.arrays(dtype, shape, elements=elements), label="array")


def maybe(data: st.DataObject, kwargs: dict, key: str, strategy: st.SearchStrategy) -> None:
    """Sometimes pass a keyword (non-default value), sometimes rely on the default."""
    if data.draw(st.booleans(), label=f"pass {key}"):
        kwargs[key] = data.draw(strategy, label=key)


@st.composite
def constant_or_perfect(draw) -> tuple[tuple, dict]:
    """Regression vectors with a constant y_true or a perfect prediction, float32 or float64.
    Own strategy: the catalogue spreads y_true (its R² constant case is a fixed check)."""
    dtype = draw(st.sampled_from([F32, F64]))
    n = draw(st.integers(2, 20))
    # quarter integers: exact in float32, so a near-constant y_true cannot amplify rounding
    quarters = st.integers(-400, 400).map(lambda k: k / 4)
    y_true = draw(hnp.arrays(dtype, (n,), elements=quarters))
    kind = draw(st.sampled_from(["constant", "perfect", "constant-perfect"]))
    if kind.startswith("constant"):
        y_true = np.full(n, y_true[0], dtype=dtype)
    y_pred = y_true.copy() if kind.endswith("perfect") else draw(hnp.arrays(dtype, (n,), elements=quarters))
    return (y_true, y_pred), {}


def generated(entry: Function, dtype: type, torch_shapes: bool = True) -> st.SearchStrategy:
    """The catalogue's inputs of ``entry`` in ``dtype`` (metrics: as the catalogue draws them,
    regression metrics also on constant y_true and perfect predictions, float32 and float64)."""
    if entry.module != "metrics":
        return cases(entry, dtype, torch_shapes=torch_shapes)
    if entry.inputs == "regression":
        return st.one_of(cases(entry), constant_or_perfect())
    return cases(entry)


def draw_probabilities(data: st.DataObject, entry: Function) -> tuple[tuple, dict]:
    """Probabilities at and next to 0 and 1. Own strategy: the catalogue keeps p away from them
    (its stability check uses a fixed list)."""
    dtype = data.draw(st.sampled_from([F32, F64]), label="dtype")
    probs = [0.0, 1.0, 0.5, 1e-30, 1e-45, 1 - 1e-7, float(np.nextafter(dtype(1), dtype(0)))]
    p = array(data, dtype, values(dtype, 0, 1, probs), max_dims=2, min_side=1)
    y = data.draw(hnp.arrays(dtype, p.shape, elements=values(dtype, 0, 1, [0.0, 1.0])), label="target")
    kwargs: dict = {}
    maybe(data, kwargs, "reduction", st.sampled_from(["mean", "sum", "none"]))
    return (p, y), kwargs


def draw_logits(data: st.DataObject, entry: Function) -> tuple[tuple, dict]:
    """Logits anywhere in the dtype's range (with a per-column pos_weight when the loss takes one)."""
    dtype = data.draw(st.sampled_from([F32, F64]), label="dtype")
    x = array(data, dtype, extreme_values(dtype), max_dims=2, min_side=1)
    y = data.draw(hnp.arrays(dtype, x.shape, elements=values(dtype, 0, 1, [0.0, 1.0])), label="target")
    kwargs: dict = {}
    if _takes(entry, "pos_weight") and x.ndim and data.draw(st.booleans(), label="pos_weight"):
        w = hnp.arrays(dtype, x.shape[-1:], elements=st.floats(0.125, 8, width=_width(dtype)))
        kwargs["pos_weight"] = data.draw(w, label="pos_weight")
    maybe(data, kwargs, "reduction", st.sampled_from(["mean", "sum", "none"]))
    return (x, y), kwargs


def draw_class_logits(data: st.DataObject, entry: Function) -> tuple[tuple, dict]:
    """(N, C) logits anywhere in the dtype's range, one class included, with class indices or
    (not necessarily normalised) probabilities."""
    dtype = data.draw(st.sampled_from([F32, F64]), label="dtype")
    n = data.draw(st.integers(1, 6), label="N")
    c = data.draw(st.integers(1, 5), label="C")
    x = data.draw(hnp.arrays(dtype, (n, c), elements=extreme_values(dtype)), label="logits")
    if data.draw(st.booleans(), label="indices"):
        t = data.draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, c - 1)), label="classes")
    else:
        t = data.draw(hnp.arrays(dtype, (n, c), elements=values(dtype, 0, 1, [0.0, 1.0])), label="probs")
        if data.draw(st.booleans(), label="normalise"):
            t = (t / np.maximum(t.sum(axis=1, keepdims=True), dtype(1e-3))).astype(dtype)
    kwargs: dict = {}
    maybe(data, kwargs, "reduction", st.sampled_from(["mean", "sum", "none"]))
    return (x, t), kwargs


# the kinds of data whose extremes stay finite (squares of regression data overflow by design)
AT_THE_LIMITS = {"probability": draw_probabilities, "logits": draw_logits, "classes": draw_class_logits}


# --------------------------------------------------------------------------------------------
# The files: docstrings, imports, solution marks
# --------------------------------------------------------------------------------------------

BEGIN, END = "### BEGIN " + "SOLUTION", "### END " + "SOLUTION"


@pytest.mark.parametrize("entry", FUNCTIONS, **NAME)
def test_docstring_says_what_to_watch_for(entry: Function) -> None:
    doc = inspect.getdoc(solution(entry)) or ""
    assert "Watch for:" in doc, f"{entry.qualified}: docstring without 'Watch for:'"


@pytest.mark.parametrize("module", MODULES)
def test_module_is_standalone_numpy_only(module: str) -> None:
    tree = ast.parse(Path(SOLUTIONS[module].__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add("." * node.level + (node.module or ""))
    assert imported <= {"numpy", "numpy.typing"}, f"solutions/{module}.py imports {sorted(imported)}"


@pytest.mark.parametrize("module", MODULES)
def test_solution_marks_make_a_valid_stub(module: str) -> None:
    path = Path(SOLUTIONS[module].__file__)
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    graded = {f.name for f in functions(module)}
    tokens = ["BEGIN " + "SOLUTION", "END " + "SOLUTION", "HIDDEN " + "TESTS"]
    marks = [(i, line) for i, line in enumerate(lines) if any(t in line for t in tokens)]
    # the marks appear only as whole lines, alternating BEGIN/END, never inside a docstring or comment
    for k, (i, line) in enumerate(marks):
        assert line.strip() == (BEGIN if k % 2 == 0 else END), f"{path.name}:{i + 1}: stray mark {line!r}"
    # one marked body per contract function, at its end
    tree = ast.parse(source)
    starts = [n.lineno - 1 for n in tree.body] + [len(lines)]  # a mark comment belongs to the node above it
    for k, node in enumerate(tree.body):
        if not isinstance(node, ast.FunctionDef) or node.name not in graded:
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
    for name in graded:
        assert inspect.signature(namespace[name]) == inspect.signature(getattr(SOLUTIONS[module], name))
        required = [q for q in inspect.signature(namespace[name]).parameters.values() if q.default is q.empty]
        with pytest.raises(NotImplementedError):
            namespace[name](*[np.zeros(2)] * len(required))


# --------------------------------------------------------------------------------------------
# Agreement with PyTorch and scikit-learn, and with the reference
# --------------------------------------------------------------------------------------------

# each function once per dtype (metrics: once), so that every dtype gets all the examples
BY_DTYPE = [(f, dtype) for f in FUNCTIONS for dtype in ((F64,) if f.module == "metrics" else (F32, F64))]
BY_DTYPE_IDS = [f"{f.qualified}-{np.dtype(dtype).name}" for f, dtype in BY_DTYPE]


def _oracle(entry: Function) -> str:
    return "sklearn" if entry.module == "metrics" else "torch (float64)"


@pytest.mark.parametrize("entry,dtype", BY_DTYPE, ids=BY_DTYPE_IDS)
def test_matches_library(entry: Function, dtype: type) -> None:
    @PROPERTY
    @given(case=generated(entry, dtype))
    def check(case):
        args, kwargs = case
        before = _copy_args(args, kwargs)
        got = run_strict(solution(entry), args, kwargs)
        _assert_unmodified(entry.qualified, before, args, kwargs)
        expected = library_expected(entry, args, kwargs)
        # sklearn returns Python floats for float32 inputs; the solutions keep numpy types
        assert_matches(entry.qualified, args, kwargs, got, expected, _oracle(entry),
                       check_type=entry.module != "metrics")

    check()


def _reference(entry: Function) -> Callable:
    return getattr(importlib.import_module(f"reference.{entry.module}"), entry.name)


def _outcome(f: Callable, args: tuple, kwargs: dict) -> tuple[str, Any]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return "value", f(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - compared below
        return "raises", type(exc).__name__


@pytest.mark.parametrize("entry,dtype", BY_DTYPE, ids=BY_DTYPE_IDS)
def test_matches_reference(entry: Function, dtype: type) -> None:
    @PROPERTY
    @given(case=generated(entry, dtype, torch_shapes=False))
    def check(case):
        args, kwargs = case
        got, expected = _outcome(solution(entry), args, kwargs), _outcome(_reference(entry), args, kwargs)
        where = entry.qualified
        assert got[0] == expected[0], f"{_call(where, args, kwargs)}: solution {got}, reference {expected}"
        if got[0] == "value":
            assert_matches(where, args, kwargs, got[1], expected[1], "reference",
                           check_type=entry.module != "metrics")

    check()


# --------------------------------------------------------------------------------------------
# Extreme inputs, warnings as errors
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", ELEMENTWISE, **NAME)
def test_elementwise_at_the_limits_of_the_dtype(entry: Function) -> None:
    @EXTREME
    @given(data=st.data())
    def check(data):
        dtype = data.draw(st.sampled_from([F32, F64]), label="dtype")
        z = array(data, dtype, extreme_values(dtype), min_dims=1, max_dims=1, min_side=1, max_side=8)
        expected = library_expected(entry, (z,), {})
        finite = np.isfinite(expected)  # selu beyond max/λ: the true value is not representable
        got = run_strict(solution(entry), (z[finite],), {})
        assert_matches(entry.qualified, (z[finite],), {}, got, expected[finite], _oracle(entry))

    check()


@pytest.mark.parametrize("entry", LAYERS, **NAME)
def test_layer_at_the_limits_of_the_dtype(entry: Function) -> None:
    @EXTREME
    @given(data=st.data())
    def check(data):
        dtype = data.draw(st.sampled_from([F32, F64]), label="dtype")
        z = array(data, dtype, extreme_values(dtype), min_dims=1, max_dims=2, min_side=1, max_side=5)
        got = run_strict(solution(entry), (z,), {})
        assert_matches(entry.qualified, (z,), {}, got, library_expected(entry, (z,), {}), _oracle(entry))

    check()


@pytest.mark.parametrize("entry", [f for f in LOSSES if f.inputs in AT_THE_LIMITS], **NAME)
def test_loss_at_the_limits_of_the_dtype(entry: Function) -> None:
    @EXTREME
    @given(data=st.data())
    def check(data):
        args, kwargs = AT_THE_LIMITS[entry.inputs](data, entry)
        expected = library_expected(entry, args, kwargs)
        if not np.isfinite(expected).all():  # e.g. a 'sum' beyond the dtype's range: not representable
            return
        got = run_strict(solution(entry), args, kwargs)
        assert_matches(entry.qualified, args, kwargs, got, expected, _oracle(entry))

    check()


@pytest.mark.parametrize("dtype", [F32, F64])
def test_documented_extremes(dtype: type) -> None:
    activations, losses = SOLUTIONS["activations"], SOLUTIONS["losses"]
    big, fmax = dtype(1e4), np.finfo(dtype).max
    known = [
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
    for f, args, *rest in known:
        kwargs, expected = (rest[0], rest[1]) if len(rest) == 2 else ({}, rest[0])
        got = run_strict(f, args, kwargs)
        exp = np.asarray(expected, dtype=dtype).reshape(np.shape(got))
        assert_matches(f.__module__ + "." + f.__name__, args, kwargs, got, exp, "the exact value")


@pytest.mark.parametrize("entry", ELEMENTWISE + LAYERS, **NAME)
def test_matches_reference_at_the_limits(entry: Function) -> None:
    @EXTREME
    @given(data=st.data())
    def check(data):
        dtype = data.draw(st.sampled_from([F32, F64]), label="dtype")
        z = array(data, dtype, extreme_values(dtype), min_dims=1, max_dims=2, min_side=1, max_side=5)
        expected = _reference(entry)(z)
        if entry in ELEMENTWISE and not np.isfinite(expected).all():
            return  # beyond finfo.max/λ (selu) the true value is not representable
        got = run_strict(solution(entry), (z,), {})
        assert_matches(entry.qualified, (z,), {}, got, expected, "reference")

    check()


# --------------------------------------------------------------------------------------------
# Conventions not covered above
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", [f for f in ELEMENTWISE + LAYERS if f.kind != "jacobian"], **NAME)
def test_activations_accept_python_values_ints_and_bools(entry: Function) -> None:
    f = solution(entry)
    for value in [0.5, [0.5, -2.0], [[1, 0], [-3, 2]], [True, False], 3, []]:
        got = run_strict(f, (value,), {})
        exp = f(np.asarray(value, dtype=F64))
        assert_matches(entry.qualified, (value,), {}, got, exp, "the same function on float64")


def test_softmax_jacobian_shapes() -> None:
    softmax_jacobian = SOLUTIONS["activations"].softmax_jacobian
    for shape in [(1,), (3,), (2, 3), (2, 0, 4), (0, 3), (3, 0)]:
        z = np.arange(np.prod(shape), dtype=F32).reshape(shape)
        got = run_strict(softmax_jacobian, (z,), {})
        assert got.shape == shape + shape[-1:] and got.dtype == F32, (
            f"softmax_jacobian(shape {shape}): got {got.shape} {got.dtype}")
    got = softmax_jacobian(2.0)
    assert np.array_equal(got, [[0.0]]), f"softmax_jacobian(2.0): got {got!r}, expected [[0.]] (one logit)"


# small inputs of each kind of loss data: (input, target) as Python lists
LOSS_SAMPLES = {
    "regression": ([1, -2, 3], [1, 0, 1]),
    "probability": ([1, 0, 1], [1, 0, 0]),
    "logits": ([1, -2, 3], [1, 0, 1]),
    "classes": ([[1, 2, 3], [0, 0, 1]], [2, 0]),
}
WITH_REDUCTION = [f for f in LOSSES if _takes(f, "reduction")]


@pytest.mark.parametrize("entry", WITH_REDUCTION, **NAME)
def test_losses_reject_an_unknown_reduction(entry: Function) -> None:
    x, t = LOSS_SAMPLES[entry.inputs]
    x, t = np.asarray(x, dtype=F64) / 4, np.asarray(t)
    solution(entry)(x, t, reduction="sum")  # valid inputs: the error below is the reduction's
    for bad in ["avg", "Mean", None]:
        with pytest.raises(ValueError):
            solution(entry)(x, t, reduction=bad)


@pytest.mark.parametrize("entry", WITH_REDUCTION, **NAME)
def test_losses_accept_ints_and_keep_float32(entry: Function) -> None:
    f = solution(entry)
    x, t = LOSS_SAMPLES[entry.inputs]
    for reduction in ["mean", "sum", "none"]:
        got = run_strict(f, (x, t), {"reduction": reduction})
        t_ = np.asarray(t, dtype=np.int64 if entry.inputs == "classes" else F64)
        exp = f(np.asarray(x, dtype=F64), t_, reduction=reduction)
        assert_matches(entry.qualified, (x, t), {"reduction": reduction}, got, exp, "float64 input")
        got32 = f(np.asarray(x, dtype=F32), t, reduction=reduction)
        assert got32.dtype == F32, (
            f"{entry.qualified}(float32 input, {t}, reduction={reduction!r}): dtype {got32.dtype}")


@pytest.mark.parametrize("entry", WITH_REDUCTION, **NAME)
def test_losses_on_empty_inputs(entry: Function) -> None:
    x = np.zeros((0, 3))
    t = np.zeros(0, dtype=np.int64) if entry.inputs == "classes" else np.zeros((0, 3))
    for reduction in ["mean", "sum", "none"]:
        got = run_strict(solution(entry), (x, t), {"reduction": reduction})
        expected = library_expected(entry, (x, t), {"reduction": reduction})  # 'mean' of nothing: nan, as torch
        assert_matches(entry.qualified, (x, t), {"reduction": reduction}, got, expected, _oracle(entry))


def _string_cases(entry: Function) -> list[tuple[tuple, dict]]:
    """String labels for every metric of label data: multiclass with each average, a given
    label order, and a binary pos_label."""
    y_true = ["cat", "dog", "cat", "mouse", "dog"]
    y_pred = ["cat", "cat", "cat", "mouse", "mouse"]
    binary = (["dog", "cat", "dog"], ["dog", "dog", "cat"])
    extra = tuple(p.checked[0] for p in entry.params if p.required)  # fbeta_score's β
    found = [((y_true, y_pred) + extra, {})] if not _takes(entry, "average") else []
    if _takes(entry, "labels"):
        found.append(((y_true, y_pred) + extra, {"labels": ["mouse", "dog", "cat"]}))
    if _takes(entry, "average"):
        found += [((y_true, y_pred) + extra, {"average": a}) for a in entry.param("average").checked]
    if _takes(entry, "pos_label"):
        found.append((binary + extra, {"average": "binary", "pos_label": "dog"}))
    return found


@pytest.mark.parametrize("entry", [f for f in METRICS if f.inputs != "regression"], **NAME)
def test_metrics_on_string_labels(entry: Function) -> None:
    for args, kwargs in _string_cases(entry):
        got = solution(entry)(*args, **kwargs)
        expected = library_expected(entry, args, kwargs)
        assert_matches(entry.qualified, args, kwargs, got, expected, "sklearn", check_type=False)


@pytest.mark.parametrize("entry", [f for f in METRICS if f.inputs == "scores"], **NAME)
def test_scores_raise_where_sklearn_does(entry: Function) -> None:
    f = solution(entry)
    extra = tuple(p.checked[0] for p in entry.params if p.required)
    with pytest.raises(ValueError):  # three classes with average='binary'
        f([0, 1, 2], [0, 1, 1], *extra)
    with pytest.raises(ValueError):
        f([0, 1], [0, 1], *extra, average="samples")
    with pytest.raises(ValueError):  # two classes without pos_label
        f([2, 3], [3, 3], *extra)
