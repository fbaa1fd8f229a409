"""reference.activations agrees with torch.nn.functional and torch autograd.

Which functions, their torch counterparts, parameters and kinks come from the contract registry
(``autograder/contract.py``); their inputs from the catalogue's strategies (``oracle_helpers``).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch.nn.functional as F
from hypothesis import given

from autograder.contract import Function, function, functions
from autograder.core.checks import strategies as s
from oracle_helpers import (FLOATS, assert_close, assert_equal, call_unmodified, cases, checked,
                            extreme_values, hsettings, library_expected, no_warnings,
                            torch_value_and_grad, tt)
from reference import activations as A

LAMBDA = 1.0507009873554804934193349852946
ALPHA = 1.6732632423543772848170429916717

ACTIVATIONS = functions("activations")
ELEMENTWISE = [f for f in ACTIVATIONS if f.kind == "activation"]  # each with its derivative f_grad
WITH_PARAMETERS = [f for f in ELEMENTWISE if checked(f)]
LAYERS = [f for f in ACTIVATIONS if f.kind == "layer"]
JACOBIANS = [f for f in ACTIVATIONS if f.kind == "jacobian"]
KINKS = [(f, points, params) for f in ACTIVATIONS for points, params in f.exact]
NAME = {"ids": lambda f: f.name}
DTYPE = {"ids": lambda d: np.dtype(d).name}


def _torch(entry: Function, **params):
    """The registry's torch counterpart of ``entry`` with its parameters bound."""
    return lambda x: entry.torch(x, **params)


def _ref(entry: Function, grad: bool = False):
    return getattr(A, entry.name + ("_grad" if grad else ""))


# ---------------------------------------------------------------------------------------------
# Elementwise activations and their derivatives vs torch
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS, **DTYPE)
@pytest.mark.parametrize("entry", ELEMENTWISE, **NAME)
def test_elementwise_value_and_grad_match_torch(entry, dtype):
    """f(z) and f_grad(z) match torch and autograd, any shape, default and checked parameters."""
    f, fg = _ref(entry), _ref(entry, grad=True)

    @hsettings(max_examples=30)
    @given(case=cases(entry, dtype, -60, 60))
    def check(case):
        (z,), params = case
        value, grad = torch_value_and_grad(_torch(entry, **params), z)
        label = f"{z!r} with {params}"
        assert_close(f"activations.{entry.name}", label, call_unmodified(entry.name, f, z, **params), value,
                     dtype=dtype)
        assert_close(f"activations.{entry.name}_grad", label, call_unmodified(entry.name, fg, z, **params), grad,
                     dtype=dtype)

    check()


@pytest.mark.parametrize("dtype", FLOATS, **DTYPE)
@pytest.mark.parametrize("entry", WITH_PARAMETERS, **NAME)
def test_parameters_match_torch(entry, dtype):
    """The registry's non-default parameter values, passed by keyword and positionally."""
    f, fg = _ref(entry), _ref(entry, grad=True)

    @hsettings(max_examples=30)
    @given(case=s.activation_cases(dtype, checked(entry), -40, 40))
    def check(case):
        (z,), params = case
        value, grad = torch_value_and_grad(_torch(entry, **params), z)
        label = f"{z!r} with {params}"
        assert_close(f"activations.{entry.name}", label, call_unmodified(entry.name, f, z, **params), value,
                     dtype=dtype)
        assert_close(f"activations.{entry.name}_grad", label, call_unmodified(entry.name, fg, z, **params),
                     grad, dtype=dtype)
        positional = call_unmodified(entry.name, f, z, *(params.get(p.name, p.default) for p in entry.params))
        assert_close(f"activations.{entry.name} (positional parameters)", label, positional, value,
                     dtype=dtype)

    check()


def test_softplus_threshold_is_strict_and_grad_exactly_one():
    """Linear branch only where β·z > threshold, strictly; there value = z and grad = 1 exactly."""
    for beta, threshold in [(1.0, 20.0), (2.0, 10.0), (0.5, 3.0), (1.0, 1.0)]:
        at = threshold / beta
        z = np.array([np.nextafter(at, -np.inf), at, np.nextafter(at, np.inf), at + 1, 50.0])
        bz = z * beta
        value, grad = torch_value_and_grad(lambda x: F.softplus(x, beta, threshold), z)
        got, got_grad = A.softplus(z, beta, threshold), A.softplus_grad(z, beta, threshold)
        label = f"z={z!r}, beta={beta}, threshold={threshold}"
        assert_close("activations.softplus", label, got, value, dtype=np.float64)
        assert_close("activations.softplus_grad", label, got_grad, grad, dtype=np.float64)
        linear = bz > threshold
        assert_equal("activations.softplus (linear branch)", label, got[linear], z[linear])
        assert_equal("activations.softplus_grad (linear branch)", label, got_grad[linear],
                     np.ones(linear.sum()))
        if beta * at == threshold:  # βz == threshold exactly: the soft branch, σ(threshold)
            i = 1
            expected = 1 / (1 + math.exp(-threshold))
            assert abs(got_grad[i] - expected) < 1e-15, (
                f"activations.softplus_grad: at βz == threshold ({label}) received "
                f"{got_grad[i]!r}, expected σ(threshold) = {expected!r}")


@pytest.mark.parametrize("dtype", FLOATS, **DTYPE)
def test_kink_values_are_exact(dtype):
    """relu'(0)=0, leaky_relu'(0)=α, elu'(0)=α, selu'(0)=λα, also equal to torch autograd."""
    zero = np.zeros(3, dtype=dtype)
    known = [
        ("relu_grad", {}, 0.0),
        ("leaky_relu_grad", {}, 0.01),
        ("leaky_relu_grad", {"alpha": 0.2}, 0.2),
        ("elu_grad", {}, 1.0),
        ("elu_grad", {"alpha": 0.7}, 0.7),
        ("selu_grad", {}, LAMBDA * ALPHA),
        ("linear_grad", {}, 1.0),
    ]
    for name, kw, value in known:
        got = getattr(A, name)(zero, **kw)
        label = f"z={zero!r} {kw}"
        assert_equal(f"activations.{name}", label, got, np.full(3, value, dtype=dtype))
        forward = function(f"activations.{function(f'activations.{name}').derivative_of}")
        _, torch_grad = torch_value_and_grad(_torch(forward, **kw), zero)
        assert_equal(f"activations.{name} (vs torch autograd)", label, got, torch_grad)
    assert A.selu_grad(0.0) == 1.7580993408473766, (
        f"activations.selu_grad: input 0.0, received {A.selu_grad(0.0)!r}, "
        "expected λα = 1.7580993408473766")
    # value continuity at the kink
    for name in ("relu", "leaky_relu", "elu", "selu", "softplus", "swish", "linear"):
        got = getattr(A, name)(zero)
        expected = np.full(3, math.log(2.0) if name == "softplus" else 0.0, dtype=dtype)
        assert_close(f"activations.{name}", zero, got, expected, dtype=dtype)


@pytest.mark.parametrize("entry,points,params", KINKS,
                         ids=[f"{f.name}-{points}-{params}" for f, points, params in KINKS])
def test_derivative_at_the_registrys_kinks_equals_torch_autograd(entry, points, params):
    """Where the registry fixes a derivative by convention (``Function.exact``: the kinks, the
    softplus threshold), the reference gives torch autograd's value to 1e-15."""
    z = np.array(points)
    forward = function(f"{entry.module}.{entry.derivative_of}")
    got = getattr(A, entry.name)(z, **params)
    _, grad = torch_value_and_grad(_torch(forward, **params), z)
    assert_close(f"activations.{entry.name}", f"z={z!r} {params}", got, grad, dtype=np.float64, rtol=0, atol=1e-15)


def test_selu_constants_full_precision():
    """λ and α to full double precision: selu(1) = λ, selu(-inf-ish) = -λα."""
    assert_equal("activations.selu", 1.0, A.selu(1.0), LAMBDA)
    assert_close("activations.selu", -50.0, A.selu(-50.0), -LAMBDA * ALPHA, dtype=np.float64,
                 rtol=1e-15, atol=0)
    assert_close("activations.selu", -1.0, A.selu(-1.0), LAMBDA * ALPHA * math.expm1(-1.0),
                 dtype=np.float64, rtol=1e-15, atol=0)


# ---------------------------------------------------------------------------------------------
# Extreme inputs: finite, accurate, no RuntimeWarning
# ---------------------------------------------------------------------------------------------

def _extreme_parameters(entry: Function) -> list[dict]:
    """The defaults, then each of the registry's checked values of each parameter."""
    return [{}] + [{name: value} for name, values in checked(entry).items() for value in values]


@pytest.mark.parametrize("dtype", FLOATS, **DTYPE)
@pytest.mark.parametrize("entry", ELEMENTWISE, **NAME)
def test_extreme_inputs_finite_accurate_no_warning(entry, dtype):
    """±finfo.max, ±1e4, ±tiny, subnormals: finite where the true value is representable (selu
    beyond finfo.max/λ gives inf, as torch), no warning, and equal to torch evaluated in float64
    on the same values."""
    z = extreme_values(dtype)
    name = entry.name
    for params in _extreme_parameters(entry):
        label = f"{z!r} with {params}"
        with no_warnings():
            got = _ref(entry)(z, **params)
            got_grad = _ref(entry, grad=True)(z, **params)
        value, grad = torch_value_and_grad(_torch(entry, **params), z.astype(np.float64))
        with np.errstate(over="ignore"):  # selu(finfo(float32).max) rounds to inf in float32
            expected = value.astype(dtype)
        unrepresentable = ~np.isfinite(expected)
        assert np.array_equal(np.isfinite(got), ~unrepresentable), (
            f"activations.{name}: input {label}, received {got!r}, expected {expected!r}")
        assert np.all(np.isfinite(got_grad)), (
            f"activations.{name}_grad: input {label}, received {got_grad!r}")
        assert_close(f"activations.{name}", label, got, expected, dtype=dtype)
        assert_close(f"activations.{name}_grad", label, got_grad, grad.astype(dtype), dtype=dtype)


def test_extreme_known_values():
    """Hand-checked limits: no overflow tricks hide a wrong saturation value."""
    big = np.array([-1e4, 1e4])
    mx = np.finfo(np.float64).max
    cases = [
        ("sigmoid", big, {}, [0.0, 1.0]),
        ("sigmoid_grad", big, {}, [0.0, 0.0]),
        ("tanh", big, {}, [-1.0, 1.0]),
        ("tanh_grad", big, {}, [0.0, 0.0]),
        ("softplus", big, {}, [0.0, 1e4]),
        ("softplus", np.array([-mx, mx]), {"beta": 4.0}, [0.0, mx]),
        ("softplus_grad", np.array([-mx, mx]), {"beta": 4.0}, [0.0, 1.0]),
        ("swish", np.array([-mx, mx]), {"beta": 4.0}, [0.0, mx]),
        ("swish_grad", np.array([-mx, mx]), {"beta": 4.0}, [0.0, 1.0]),
        ("elu", big, {}, [-1.0, 1e4]),
        ("selu", big, {}, [-LAMBDA * ALPHA, LAMBDA * 1e4]),
        ("sigmoid", np.array([-710.0, -745.0]), {}, [math.exp(-710.0), math.exp(-745.0)]),
    ]
    for name, z, kw, expected in cases:
        with no_warnings():
            got = getattr(A, name)(z, **kw)
        assert_close(f"activations.{name}", f"{z!r} {kw}", got, np.array(expected),
                     dtype=np.float64, rtol=1e-12, atol=0)


def test_accuracy_where_torch_cancels():
    """Where 1 - σ(z) or 1 - tanh(z)² cancel, the reference keeps full relative precision."""
    z = np.array([30.0, 40.0, -40.0])
    cases = [
        ("sigmoid_grad", [math.exp(-30) / (1 + math.exp(-30)) ** 2,
                          math.exp(-40) / (1 + math.exp(-40)) ** 2,
                          math.exp(-40) / (1 + math.exp(-40)) ** 2]),
        ("tanh_grad", [1 / math.cosh(30) ** 2, 1 / math.cosh(40) ** 2, 1 / math.cosh(40) ** 2]),
    ]
    for name, expected in cases:
        assert_close(f"activations.{name}", z, getattr(A, name)(z), np.array(expected),
                     dtype=np.float64, rtol=1e-13, atol=0)


# ---------------------------------------------------------------------------------------------
# dtype, shape, array_like inputs, no in-place modification
# ---------------------------------------------------------------------------------------------

ALL_FUNCTIONS = [f.name for f in ACTIVATIONS]


def _expected_shape(name: str, shape: tuple[int, ...]) -> tuple[int, ...]:
    if name not in {f.name for f in JACOBIANS}:
        return shape
    shape = shape or (1,)
    return shape + (shape[-1],)


def test_all_contract_functions_are_exported():
    """``__all__`` lists exactly the registry's functions of activations.py."""
    expected = set(ALL_FUNCTIONS)
    assert set(A.__all__) == expected, (
        f"activations.__all__: received {sorted(A.__all__)}, expected {sorted(expected)}")
    for name in expected:
        assert callable(getattr(A, name, None)), f"activations.{name}: missing"


@pytest.mark.parametrize("name", ALL_FUNCTIONS)
def test_dtypes_shapes_and_array_likes(name):
    """float32/float16/float64 kept, int/bool → float64, scalars → 0-d ndarray, lists, empty."""
    f = getattr(A, name)
    base = np.array([[-2.0, -0.5, 0.0], [0.5, 1.0, 3.0]])
    for dtype in (np.float16, np.float32, np.float64):
        z = base.astype(dtype)
        got = call_unmodified(f"activations.{name}", f, z)
        expected = f(base).astype(dtype)
        assert_close(f"activations.{name}", z, got, expected, dtype=dtype)
    ints = np.array([[-2, 0, 1], [3, 0, -1]])
    for z in (ints, ints.astype(np.int32), ints.astype(np.uint8), ints > 0):
        got = call_unmodified(f"activations.{name}", f, z)
        assert_close(f"activations.{name}", z, got, f(z.astype(np.float64)), dtype=np.float64)
    # Python scalar → 0-d ndarray (jacobian: (1, 1)); a list → array
    for scalar in (1.5, -2, 0, True):
        got = f(scalar)
        assert isinstance(got, np.ndarray) and got.shape == _expected_shape(name, ()), (
            f"activations.{name}: input {scalar!r}, received {got!r} "
            f"({type(got).__name__}), expected an ndarray of shape {_expected_shape(name, ())}")
        assert got.dtype == np.float64, f"activations.{name}: input {scalar!r}, dtype {got.dtype}"
    got = f([[-1.0, 0.0, 2.0]])
    assert_close(f"activations.{name}", "[[-1.0, 0.0, 2.0]]", got,
                 f(np.array([[-1.0, 0.0, 2.0]])), dtype=np.float64)
    for shape in [(0,), (2, 0), (0, 3), (1, 0, 2)]:
        z = np.zeros(shape, dtype=np.float32)
        got = call_unmodified(f"activations.{name}", f, z)
        assert isinstance(got, np.ndarray) and got.shape == _expected_shape(name, shape) \
            and got.dtype == np.float32, (
                f"activations.{name}: empty input of shape {shape}, received {got!r} "
                f"(shape {getattr(got, 'shape', None)}), expected shape "
                f"{_expected_shape(name, shape)} float32")


@pytest.mark.parametrize("name", ALL_FUNCTIONS)
def test_result_never_aliases_input(name):
    z = np.array([1.0, 2.0, 3.0])
    got = getattr(A, name)(z)
    got[...] = 99.0
    assert np.array_equal(z, [1.0, 2.0, 3.0]), (
        f"activations.{name}: the result shares memory with the input {z!r}")


# ---------------------------------------------------------------------------------------------
# softmax, log_softmax, softmax_jacobian
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS, **DTYPE)
@pytest.mark.parametrize("entry", LAYERS, **NAME)
def test_softmax_matches_torch_along_any_axis(entry, dtype):
    """Layer activations along any axis (scalars and empty inputs: test_softmax_scalar_and_empty)."""
    name = entry.name
    f = getattr(A, name)

    @hsettings(max_examples=40)
    @given(case=s.layer_cases(dtype, -80.0, 80.0, axis=True))
    def check(case):
        (z,), kwargs = case
        axis = kwargs["axis"]
        expected = entry.torch(tt(z), axis=axis).numpy()
        label = f"{z!r}, axis={axis}"
        assert_close(f"activations.{name}", label, call_unmodified(name, f, z, axis=axis),
                     expected, dtype=dtype)
        assert_close(f"activations.{name} (positional axis)", label, f(z, axis), expected,
                     dtype=dtype)
        if name == "softmax" and z.size:
            sums = np.sum(f(z, axis=axis).astype(np.float64), axis=axis if z.ndim else None)
            assert_close("activations.softmax (sums along axis)", label, sums,
                         np.ones_like(sums), dtype=dtype, exact_dtype=False)

    check()


def test_softmax_default_axis_is_last():
    z = np.arange(6.0).reshape(2, 3)
    assert_close("activations.softmax", z, A.softmax(z), F.softmax(tt(z), dim=-1), dtype=np.float64)
    assert_close("activations.log_softmax", z, A.log_softmax(z), F.log_softmax(tt(z), dim=-1),
                 dtype=np.float64)


@pytest.mark.parametrize("dtype", FLOATS, **DTYPE)
def test_softmax_extremes_no_warning(dtype):
    """Huge logits, logits spanning more than finfo.max, and tiny ones."""
    fi = np.finfo(dtype)
    rows = [[1e4, -1e4, 0.0], [fi.max, 0.0, 1.0], [-fi.max, 0.0, 1.0], [fi.max, fi.max, -1e4],
            [fi.tiny, -fi.tiny, 0.0], [-1e4, -1e4, -1e4], [fi.max / 2, -fi.max / 2, 0.0]]
    z = np.array(rows, dtype=dtype)
    with no_warnings():
        s, ls, jac = A.softmax(z), A.log_softmax(z), A.softmax_jacobian(z)
    z64 = tt(z.astype(np.float64))
    assert_close("activations.softmax", z, s, F.softmax(z64, -1).numpy().astype(dtype), dtype=dtype)
    assert_close("activations.log_softmax", z, ls, F.log_softmax(z64, -1).numpy().astype(dtype),
                 dtype=dtype)
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(ls)) and np.all(np.isfinite(jac)), (
        f"activations.softmax/log_softmax/softmax_jacobian: input {z!r}: non-finite "
        f"{s!r} {ls!r}")
    # logits spanning more than finfo.max: softmax [1, 0]; log_softmax [0, -inf] (true value
    # -2·max is not representable), without any warning
    span = np.array([fi.max, -fi.max], dtype=dtype)
    with no_warnings():
        s, ls = A.softmax(span), A.log_softmax(span)
    assert_equal("activations.softmax", span, s, [1.0, 0.0])
    assert_equal("activations.log_softmax", span, ls, [0.0, -np.inf])


def test_log_softmax_finite_where_log_of_softmax_underflows():
    z = np.array([0.0, -1000.0, -2000.0])
    with np.errstate(divide="ignore"):
        naive = np.log(A.softmax(z))
    assert np.isneginf(naive[1]), f"precondition: log(softmax({z!r})) = {naive!r} underflows"
    got = A.log_softmax(z)
    assert_close("activations.log_softmax", z, got, [0.0, -1000.0, -2000.0], dtype=np.float64,
                 rtol=1e-15, atol=0)
    assert_close("activations.log_softmax", z, got, F.log_softmax(tt(z), -1), dtype=np.float64)


def test_log_softmax_accurate_near_zero():
    """log_softmax of the dominant logit is -log1p(Σ others), not 0 (torch gives 0 here)."""
    z = np.array([0.0, -50.0, -60.0])
    expected = -math.log1p(math.exp(-50.0) + math.exp(-60.0))
    got = A.log_softmax(z)[0]
    assert abs(got - expected) <= 1e-15 * abs(expected), (
        f"activations.log_softmax: input {z!r}, received {got!r} at index 0, expected {expected!r}")


def test_softmax_scalar_and_empty():
    for name, expected in (("softmax", 1.0), ("log_softmax", 0.0)):
        f = getattr(A, name)
        for axis in (0, -1):
            got = f(3.5, axis=axis)
            assert isinstance(got, np.ndarray) and got.shape == () and got == expected, (
                f"activations.{name}: input 3.5 axis={axis}, received {got!r}, expected {expected}")
        for shape, axis in [((0,), -1), ((2, 0), -1), ((2, 0), 0), ((0, 3), -1), ((0, 3), 1)]:
            got = f(np.zeros(shape), axis=axis)
            assert got.shape == shape and got.dtype == np.float64, (
                f"activations.{name}: input zeros{shape} axis={axis}, received {got!r}")
        with pytest.raises(ValueError):
            f(np.zeros((2, 3)), axis=2)
    assert_equal("activations.softmax_jacobian", 2.0, A.softmax_jacobian(2.0), [[0.0]])


@pytest.mark.parametrize("dtype", FLOATS, **DTYPE)
@pytest.mark.parametrize("entry", JACOBIANS, **NAME)
def test_softmax_jacobian_matches_torch_autograd(entry, dtype):
    """The Jacobian matches torch autograd's (row by row, in float64), and its rows sum to 0."""
    name = entry.name

    @hsettings(max_examples=30)
    @given(z=s.floats_array(dtype, -40, 40, max_side=5, min_dims=1, max_dims=3))
    def check(z):
        got = call_unmodified(name, getattr(A, name), z)
        assert_close(f"activations.{name}", z, got, library_expected(entry, (z,), {}), dtype=dtype)
        assert_close(f"activations.{name} (row sums)", z, got.astype(np.float64).sum(-1),
                     np.zeros(z.shape), dtype=dtype, exact_dtype=False)

    check()


def test_softmax_jacobian_diagonal_accurate_when_saturated():
    z = np.array([0.0, -50.0])
    s1 = math.exp(-50.0) / (1 + math.exp(-50.0))
    expected = np.array([[s1 * (1 - s1), -s1 * (1 - s1)], [-s1 * (1 - s1), s1 * (1 - s1)]])
    assert_close("activations.softmax_jacobian", z, A.softmax_jacobian(z), expected,
                 dtype=np.float64, rtol=1e-13, atol=0)
