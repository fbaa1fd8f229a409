"""Catalogue entries for activations.py: one ``Activation`` per forward/derivative pair.

An entry names the function, its derivative, the torch counterpart, the parameters to
exercise with non-default values, and the kinks whose derivative the contract fixes.
``exercises()`` turns every entry into the checks of both functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from hypothesis import strategies as st

from reference import activations as ref

from .base import HIDDEN, PUBLIC, Exercise, floats_array
from .builders import cases_check, finite_difference_check, property_check, unchanged_check

REAL = (-30.0, 30.0)


def _torch():
    """torch, imported on first use: a correct submission is graded from the bank without it."""
    import torch
    return torch


class _LazyFunctional:
    def __getattr__(self, name):
        return getattr(_torch().nn.functional, name)


class _LazyTorch:
    def __getattr__(self, name):
        return getattr(_torch(), name)


F = _LazyFunctional()
torch = _LazyTorch()
EXTREMES = [-1e4, -1000.0, -710.0, -100.0, -30.0, -1e-12, 0.0, 1e-12, 30.0, 100.0, 710.0, 1000.0, 1e4]


@dataclass(frozen=True)
class Activation:
    name: str
    torch_fn: Callable  # torch function of (tensor, **kwargs)
    params: dict[str, st.SearchStrategy] = field(default_factory=dict)
    kinks: tuple[float, ...] = ()  # z where the derivative is fixed by the contract
    has_grad: bool = True


ENTRIES = [
    Activation("sigmoid", lambda t: torch.sigmoid(t)),
    Activation("tanh", lambda t: torch.tanh(t)),
    Activation("relu", lambda t: F.relu(t), kinks=(0.0,)),
    Activation("leaky_relu", lambda t, alpha=0.01: F.leaky_relu(t, alpha),
               {"alpha": st.sampled_from([0.0, 0.05, 0.2, 0.5, 1.0])}, kinks=(0.0,)),
    Activation("softplus", lambda t, beta=1.0, threshold=20.0: F.softplus(t, beta, threshold),
               {"beta": st.sampled_from([0.5, 2.0, 3.0]), "threshold": st.sampled_from([5.0, 10.0, 30.0])}),
    Activation("elu", lambda t, alpha=1.0: F.elu(t, alpha),
               {"alpha": st.sampled_from([0.1, 0.5, 2.0])}, kinks=(0.0,)),
    Activation("selu", lambda t: F.selu(t), kinks=(0.0,)),
    Activation("swish", lambda t, beta=1.0: t * torch.sigmoid(beta * t),
               {"beta": st.sampled_from([0.5, 2.0, 3.0])}),
    Activation("linear", lambda t: t),
]


def _torch_forward(entry: Activation):
    def oracle(z, **kwargs):
        tensor = torch.as_tensor(np.asarray(z, dtype=np.float64))
        return entry.torch_fn(tensor, **kwargs).numpy()
    oracle.__qualname__ = f"torch_{entry.name}"
    return oracle


def _torch_grad(entry: Activation):
    def oracle(z, **kwargs):
        tensor = torch.tensor(np.asarray(z, dtype=np.float64), requires_grad=True)
        entry.torch_fn(tensor, **kwargs).sum().backward()
        return tensor.grad.numpy()
    oracle.__qualname__ = f"torch_{entry.name}_grad"
    return oracle


def _cases(dtype, entry: Activation, with_params: bool, low=REAL[0], high=REAL[1]):
    params = st.fixed_dictionaries(entry.params) if with_params else st.just({})
    return st.tuples(floats_array(dtype, low, high).map(lambda z: (z,)), params)


def _fd_cases(entry: Activation):
    """float64 points at least 1e-3 away from kinks and from the softplus threshold."""
    def usable(case):
        z, kwargs = case
        if np.any(np.abs(z) < 1e-3):
            return False
        if entry.name == "softplus":
            bz = kwargs.get("beta", 1.0) * z
            return not np.any(np.abs(bz - kwargs.get("threshold", 20.0)) < 1e-2)
        return True
    z = floats_array(np.float64, -8.0, 8.0, max_dims=1)
    params = st.fixed_dictionaries(entry.params) if entry.params else st.just({})
    return st.tuples(z, params).filter(usable)


def _shape_cases():
    return [((0.5,), {}), ((-2,), {}), ([[-1.0, 0.0, 2.0]], {}), ((np.float64(-1.5),), {}),
            ((np.array(0.25),), {}), ((np.linspace(-3, 3, 24).reshape(2, 3, 4),), {}),
            ((np.zeros((0,)),), {}), ((np.zeros((2, 0)),), {}),
            ((np.array([-2, 0, 3]),), {}), ((np.array([True, False]),), {})]


def _dtype_cases():
    return [((np.linspace(-4, 4, 9).astype(np.float32),), {}),
            ((np.linspace(-4, 4, 9),), {}),
            ((np.arange(-3, 4),), {}),
            ((np.array([True, False, True]),), {})]


def _extreme_cases(entry: Activation, grad: bool):
    cases = []
    for dtype in (np.float64, np.float32):
        info = np.finfo(dtype)
        values = [v for v in EXTREMES if abs(v) <= info.max] + [float(info.max), -float(info.max), float(info.tiny)]
        cases.append(((np.array(values, dtype=dtype),), {}))
    if entry.name == "softplus":
        # below a raised threshold the log branch itself must not overflow (torch's does)
        cases += [((np.array([1000.0, 100.0, -1000.0]),), {"threshold": 2000.0}),
                  ((np.array([100.0, -100.0], dtype=np.float32),), {"threshold": 200.0})]
    return cases


def _pair(entry: Activation) -> list[Exercise]:
    forward = f"activations.{entry.name}"
    grad = f"activations.{entry.name}_grad"
    f_ref = getattr(ref, entry.name)
    g_ref = getattr(ref, f"{entry.name}_grad")
    forward_checks = [
        property_check(forward, "values (float64)", 2, PUBLIC, _cases(np.float64, entry, False), f_ref),
        property_check(forward, "values and dtype (float32)", 1, PUBLIC,
                       _cases(np.float32, entry, False), f_ref, check_dtype=True),
        cases_check(forward, "scalars, lists, 0-d, n-d and empty inputs", 1, PUBLIC, _shape_cases(), f_ref),
        cases_check(forward, "dtype preserved (float32/float64; int and bool give float64)", 0.5, PUBLIC,
                    _dtype_cases(), f_ref, check_dtype=True),
        unchanged_check(forward, 0.5, PUBLIC, [((np.linspace(-2, 2, 7),), {})]),
        cases_check(forward, "numerical stability at |z| up to 1e4 and the dtype limits", 1, HIDDEN,
                    _extreme_cases(entry, False), f_ref),
        property_check(forward, "consistent with torch.nn.functional", 1, HIDDEN,
                       _cases(np.float64, entry, bool(entry.params)), _torch_forward(entry), max_examples=8),
    ]
    if entry.params:
        forward_checks.append(property_check(forward, "parameters " + ", ".join(entry.params), 1, HIDDEN,
                                             _cases(np.float64, entry, True), f_ref))
    grad_checks = [
        property_check(grad, "values (float64)", 2, PUBLIC, _cases(np.float64, entry, False), g_ref),
        finite_difference_check(grad, forward, 1, PUBLIC, _fd_cases(entry), f_ref),
        cases_check(grad, "scalars, lists, 0-d, n-d and empty inputs", 0.5, PUBLIC, _shape_cases(), g_ref),
        cases_check(grad, "dtype preserved (float32/float64; int and bool give float64)", 0.5, PUBLIC,
                    _dtype_cases(), g_ref, check_dtype=True),
        unchanged_check(grad, 0.5, PUBLIC, [((np.linspace(-2, 2, 7),), {})]),
        cases_check(grad, "numerical stability at |z| up to 1e4 and the dtype limits", 1, HIDDEN,
                    _extreme_cases(entry, True), g_ref),
        property_check(grad, "consistent with torch autograd", 1, HIDDEN,
                       _cases(np.float64, entry, bool(entry.params)), _torch_grad(entry), max_examples=8),
    ]
    if entry.params:
        grad_checks.append(property_check(grad, "parameters " + ", ".join(entry.params), 1, HIDDEN,
                                          _cases(np.float64, entry, True), g_ref))
    if entry.kinks or entry.name == "softplus":
        kink_cases = [((np.array(list(entry.kinks) or [20.0, 20.000001, 19.99999]),), {})]
        for params in _param_grid(entry):
            kink_cases.append(((np.array(list(entry.kinks) or [10.0, 5.0, 2.5, 30.0]),), params))
        grad_checks.append(cases_check(grad, "exact derivative at the kink", 1, HIDDEN, kink_cases, g_ref,
                                       rtol=0.0, atol=1e-15))
    return [Exercise(forward, forward_checks), Exercise(grad, grad_checks)]


def _param_grid(entry: Activation) -> list[dict]:
    grid = {"leaky_relu": [{"alpha": 0.2}], "elu": [{"alpha": 0.5}],
            "softplus": [{"beta": 2.0, "threshold": 10.0}, {"beta": 1.0, "threshold": 5.0}]}
    return grid.get(entry.name, [])


# -- layer activations --------------------------------------------------------------------------

def _layer_cases(dtype, low=-30.0, high=30.0, axis=False):
    z = floats_array(dtype, low, high, min_dims=1, max_dims=3)
    if not axis:
        return z.map(lambda a: ((a,), {}))
    return z.flatmap(lambda a: st.integers(-a.ndim, a.ndim - 1).map(lambda ax: ((a,), {"axis": ax})))


def _torch_softmax(z, axis=-1):
    return torch.softmax(torch.as_tensor(np.asarray(z, dtype=np.float64)), dim=axis).numpy()


def _torch_log_softmax(z, axis=-1):
    return torch.log_softmax(torch.as_tensor(np.asarray(z, dtype=np.float64)), dim=axis).numpy()


def _torch_jacobian(z):
    z = np.asarray(z, dtype=np.float64)
    flat = z.reshape(-1, z.shape[-1])
    blocks = [torch.autograd.functional.jacobian(lambda t: torch.softmax(t, -1), torch.as_tensor(row)).numpy()
              for row in flat]
    return np.array(blocks).reshape(z.shape + (z.shape[-1],))


def _layer_extremes():
    cases = []
    for dtype in (np.float64, np.float32):
        big = float(np.finfo(dtype).max) / 4
        cases.append(((np.array([[1000.0, 0.0, -1000.0], [1e4, 1e4, -1e4], [-big, 0.0, big]], dtype=dtype),), {}))
    return cases


def _layer_exercises() -> list[Exercise]:
    out = []
    for name, oracle_torch in (("softmax", _torch_softmax), ("log_softmax", _torch_log_softmax)):
        function = f"activations.{name}"
        f_ref = getattr(ref, name)
        out.append(Exercise(function, [
            property_check(function, "values (float64, last axis)", 2, PUBLIC, _layer_cases(np.float64), f_ref),
            property_check(function, "values and dtype (float32)", 1, PUBLIC, _layer_cases(np.float32), f_ref,
                           check_dtype=True),
            property_check(function, "the axis parameter", 1, PUBLIC, _layer_cases(np.float64, axis=True), f_ref),
            cases_check(function, "lists, 0-d rows, n-d and empty inputs", 0.5, PUBLIC,
                        [([[1.0, 2.0, 3.0]], {}), ((np.array([[1, 2], [3, 5]]),), {}),
                         ((np.zeros((2, 0)),), {}), ((np.zeros((0, 3)),), {}),
                         ((np.arange(24.0).reshape(2, 3, 4),), {"axis": 1})], f_ref, check_dtype=True),
            unchanged_check(function, 0.5, PUBLIC, [((np.arange(6.0).reshape(2, 3),), {})]),
            cases_check(function, "numerical stability (max-shift) at large inputs", 1, HIDDEN,
                        _layer_extremes(), f_ref),
            property_check(function, "consistent with torch", 1, HIDDEN, _layer_cases(np.float64, axis=True),
                           oracle_torch, max_examples=8),
        ]))
    function = "activations.softmax_jacobian"
    out.append(Exercise(function, [
        property_check(function, "values (float64, batched)", 2, PUBLIC,
                       floats_array(np.float64, -10, 10, min_dims=1, max_dims=3, max_side=4).map(lambda a: ((a,), {})),
                       ref.softmax_jacobian),
        cases_check(function, "shape (..., C) -> (..., C, C) and dtype", 1, PUBLIC,
                    [((np.array([0.5, -1.0, 2.0]),), {}), ((np.zeros((2, 3, 4), dtype=np.float32),), {}),
                     ([[1.0, 2.0]], {})], ref.softmax_jacobian, check_dtype=True),
        unchanged_check(function, 0.5, PUBLIC, [((np.arange(6.0).reshape(2, 3),), {})]),
        cases_check(function, "numerical stability at large inputs", 1, HIDDEN, _layer_extremes(),
                    ref.softmax_jacobian),
        property_check(function, "consistent with torch autograd", 1, HIDDEN,
                       floats_array(np.float64, -10, 10, min_dims=1, max_dims=2, max_side=4).map(lambda a: ((a,), {})),
                       _torch_jacobian, max_examples=6),
    ]))
    return out


def exercises() -> list[Exercise]:
    """The checks of every function of activations.py, in CONTRACT.md order."""
    out: list[Exercise] = []
    for entry in ENTRIES:
        out += _pair(entry)
    return out + _layer_exercises()
