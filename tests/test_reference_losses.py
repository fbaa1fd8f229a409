"""reference.losses agrees with torch.nn.functional losses and torch autograd.

Every loss of the contract registry (``autograder/contract.py``) is compared with its torch
counterpart on the catalogue's inputs; the tests of one loss add what those inputs leave out
(probabilities at 0 and 1, unbatched and unnormalised targets, empty batches, extremes).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder.contract import functions
from autograder.core.checks import strategies as s
from oracle_helpers import (FLOATS, assert_close, assert_equal, call_unmodified, cases, hsettings,
                            library_expected, no_warnings, result_dtype, tt)
from reference import losses as L

REDUCTIONS = s.REDUCTIONS
DTYPE_IDS = {"ids": lambda d: np.dtype(d).name}
LOSSES = functions("losses")


def _torch_loss_and_grad(loss_fn, x: np.ndarray, *others, reduction: str, **kw):
    """(torch loss with `reduction`, d loss/d x); for 'none' the gradient of the sum of the
    elementwise losses, i.e. each element's derivative w.r.t. its own input."""
    xt = tt(x, requires_grad=True)
    out = loss_fn(xt, *others, reduction=reduction, **kw)
    out.sum().backward()
    return out.detach().numpy(), xt.grad.numpy()


def _check(func, label, got, expected, dtype, **tol):
    assert_close(f"losses.{func}", label, got, expected, dtype=dtype, **tol)


def _pair(dtype, lo=-30.0, hi=30.0):
    """(input, target) of the same shape (empty batches: test_empty_inputs)."""
    return s.pairs(dtype, (lo, hi), s.elements(dtype, lo, hi), max_side=5)


# ---------------------------------------------------------------------------------------------
# Every loss of the registry vs its torch counterpart, on the catalogue's inputs
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS, **DTYPE_IDS)
@pytest.mark.parametrize("entry", LOSSES, ids=lambda f: f.name)
def test_every_loss_matches_torch_on_the_catalogues_inputs(entry, dtype):
    """The loss (autograd for a gradient) as the registry's torch counterpart computes it in
    float64, in the contract's dtype, with its parameters; inputs never modified."""
    f = getattr(L, entry.name)

    @hsettings(max_examples=30)
    @given(case=cases(entry, dtype))
    def check(case):
        args, kwargs = case
        label = f"args={args!r}, kwargs={kwargs!r}"
        got = call_unmodified(f"losses.{entry.name}", f, *args, **kwargs)
        _check(entry.name, label, got, library_expected(entry, args, kwargs), result_dtype(args))

    check()


# ---------------------------------------------------------------------------------------------
# mse_loss, mse_loss_grad, gaussian_nll
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", FLOATS, **DTYPE_IDS)
def test_mse_loss_and_grad_match_torch(dtype, reduction):
    @hsettings(max_examples=30)
    @given(pair=_pair(dtype))
    def check(pair):
        x, y = pair
        value, grad = _torch_loss_and_grad(F.mse_loss, x, tt(y), reduction=reduction)
        label = f"input={x!r}, target={y!r}, reduction={reduction!r}"
        _check("mse_loss", label, call_unmodified("mse_loss", L.mse_loss, x, y, reduction),
               value, dtype)
        got = call_unmodified("mse_loss_grad", L.mse_loss_grad, x, y, reduction=reduction)
        _check("mse_loss_grad", label, got, grad, dtype)
        if reduction == "mean" and x.size:  # 2(x - y)/N with N the number of elements
            _check("mse_loss_grad", label, got, 2 * (x.astype(np.float64) - y) / x.size, dtype)

    check()


def test_mse_loss_default_reduction_is_mean():
    x, y = np.array([[1.0, 2.0], [3.0, 5.0]]), np.array([[0.0, 2.0], [1.0, 1.0]])
    _check("mse_loss", (x, y), L.mse_loss(x, y), 21.0 / 4, np.float64)
    _check("mse_loss_grad", (x, y), L.mse_loss_grad(x, y), 2 * (x - y) / 4, np.float64)


def _gaussian_case(dtype):
    """(input, target, var) with var a Python float, a same-shape array, an (N,) array for
    (N, D) input (one variance per sample), or an (N, 1) array. Own strategy: the catalogue's
    variances (strategies.gaussian_var_cases) have no (N,) shape and are float64 only."""
    def build(shape):
        xs = hnp.arrays(dtype, shape, elements=s.elements(dtype, -20, 20))
        var_elements = s.elements(dtype, 1e-3, 1e3)
        n = shape[0]
        kinds = [st.floats(1e-3, 1e3), hnp.arrays(dtype, shape, elements=var_elements),
                 hnp.arrays(dtype, (n,), elements=var_elements),
                 hnp.arrays(dtype, (n, 1), elements=var_elements)]
        return st.tuples(xs, xs, st.one_of(kinds))
    return st.tuples(st.integers(1, 4), st.integers(1, 4)).flatmap(build)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", FLOATS, **DTYPE_IDS)
def test_gaussian_nll_matches_torch_full(dtype, reduction):
    @hsettings(max_examples=30)
    @given(case=_gaussian_case(dtype))
    def check(case):
        x, y, var = case
        tvar = float(var) if isinstance(var, float) else tt(var)
        expected = F.gaussian_nll_loss(tt(x), tt(y), tvar, full=True, reduction=reduction)
        label = f"input={x!r}, target={y!r}, var={var!r}, reduction={reduction!r}"
        got = call_unmodified("gaussian_nll", L.gaussian_nll, x, y, var, reduction)
        _check("gaussian_nll", label, got, expected, dtype)

    check()


def test_gaussian_nll_formula_and_defaults():
    """½·(ln(2π·var) + (target - input)²/var); var=1 and 'mean' by default; var ≤ 0 raises."""
    x, y = np.array([1.0, -2.0, 0.5]), np.array([0.0, 1.0, 0.5])
    expected = 0.5 * (np.log(2 * np.pi * 1.0) + (y - x) ** 2)
    _check("gaussian_nll", (x, y), L.gaussian_nll(x, y), expected.mean(), np.float64, rtol=1e-14)
    expected = 0.5 * (np.log(2 * np.pi * 3.0) + (y - x) ** 2 / 3.0)
    _check("gaussian_nll", (x, y, 3.0), L.gaussian_nll(x, y, 3.0, "none"), expected, np.float64,
           rtol=1e-14)
    for bad in (0.0, -1.0, np.array([1.0, 0.0, 2.0]), np.nan):
        with pytest.raises(ValueError):
            L.gaussian_nll(x, y, bad)


# ---------------------------------------------------------------------------------------------
# bce_loss
# ---------------------------------------------------------------------------------------------

def _probabilities(dtype, shape):
    # own strategy: the catalogue keeps p away from 0 and 1 (its fixed stability cases hold them)
    special = st.sampled_from([0.0, 1.0, 0.5, 1e-30, 1 - 1e-7])
    return hnp.arrays(dtype, shape, elements=st.one_of(s.elements(dtype, 0.0, 1.0), special))


def _bce_case(dtype):
    def build(shape):
        targets = st.one_of(hnp.arrays(dtype, shape, elements=st.sampled_from([0.0, 1.0])),
                            hnp.arrays(dtype, shape, elements=s.elements(dtype, 0.0, 1.0)))
        return st.tuples(_probabilities(dtype, shape), targets)
    return hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5).flatmap(build)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", FLOATS, **DTYPE_IDS)
def test_bce_loss_matches_torch(dtype, reduction):
    @hsettings(max_examples=40)
    @given(case=_bce_case(dtype))
    def check(case):
        p, y = case
        expected = F.binary_cross_entropy(tt(p), tt(y), reduction=reduction)
        label = f"input={p!r}, target={y!r}, reduction={reduction!r}"
        got = call_unmodified("bce_loss", L.bce_loss, p, y, reduction)
        if p.size:  # (the 'mean' of nothing is nan, as torch)
            assert not np.any(np.isnan(got)), f"losses.bce_loss: {label}: received nan {got!r}"
        _check("bce_loss", label, got, expected, dtype)

    check()


def test_bce_loss_pitfalls():
    """p = 0, y = 1 gives 100 (log clamped at -100); a perfect prediction gives 0, not nan."""
    cases = [
        ([0.0], [1.0], [100.0]),
        ([1.0], [0.0], [100.0]),
        ([1.0, 0.0], [1.0, 0.0], [0.0, 0.0]),
        ([1e-50], [1.0], [100.0]),
        ([math.exp(-99)], [1.0], [99.0]),
        ([0.5], [1.0], [math.log(2)]),
    ]
    for p, y, expected in cases:
        with no_warnings():
            got = L.bce_loss(np.array(p), np.array(y), reduction="none")
        assert_close("losses.bce_loss", f"input={p}, target={y}", got, np.array(expected),
                     dtype=np.float64, rtol=1e-13, atol=0)
        assert_equal("losses.bce_loss (== torch)", f"input={p}, target={y}", got,
                     F.binary_cross_entropy(tt(np.array(p)), tt(np.array(y)), reduction="none"))
    for bad in ([1.5], [-0.1], [np.nan]):
        with pytest.raises(ValueError):
            L.bce_loss(np.array(bad), np.array([1.0]))


# ---------------------------------------------------------------------------------------------
# bce_with_logits, bce_with_logits_grad
# ---------------------------------------------------------------------------------------------

def _logits_case(dtype):
    """(logits (N, C), targets, pos_weight: None, a Python float, a 0-d array or a (C,) vector).
    Own strategy: the catalogue's pos_weight cases have no empty batch, no 0-d weight and no
    float32."""
    def build(shape):
        n, c = shape
        x = hnp.arrays(dtype, shape, elements=s.elements(dtype, -40, 40))
        y = st.one_of(hnp.arrays(dtype, shape, elements=st.sampled_from([0.0, 1.0])),
                      hnp.arrays(dtype, shape, elements=s.elements(dtype, 0.0, 1.0)))
        w_elements = s.elements(dtype, 0.0, 10.0)
        w = st.one_of(st.none(), st.floats(0.0, 10.0),
                      hnp.arrays(dtype, (), elements=w_elements),
                      hnp.arrays(dtype, (c,), elements=w_elements))
        return st.tuples(x, y, w)
    return st.tuples(st.integers(0, 4), st.integers(1, 4)).flatmap(build)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", FLOATS, **DTYPE_IDS)
def test_bce_with_logits_and_grad_match_torch(dtype, reduction):
    @hsettings(max_examples=40)
    @given(case=_logits_case(dtype))
    def check(case):
        x, y, w = case
        tw = None if w is None else torch.as_tensor(np.asarray(w, dtype=dtype))
        value, grad = _torch_loss_and_grad(F.binary_cross_entropy_with_logits, x, tt(y),
                                           reduction=reduction, pos_weight=tw)
        label = f"input={x!r}, target={y!r}, pos_weight={w!r}, reduction={reduction!r}"
        got = call_unmodified("bce_with_logits", L.bce_with_logits, x, y, w, reduction)
        _check("bce_with_logits", label, got, value, dtype)
        got = call_unmodified("bce_with_logits_grad", L.bce_with_logits_grad, x, y,
                              pos_weight=w, reduction=reduction)
        _check("bce_with_logits_grad", label, got, grad, dtype)

    check()


def test_bce_with_logits_pos_weight_broadcasts_over_last_axis():
    x = np.array([[0.5, -1.0, 2.0], [-3.0, 0.0, 1.0]])
    y = np.array([[1.0, 0.0, 1.0], [1.0, 1.0, 0.0]])
    w = np.array([1.0, 2.0, 5.0])
    expected = -(w * y * np.log(1 / (1 + np.exp(-x))) + (1 - y) * np.log(1 - 1 / (1 + np.exp(-x))))
    label = f"input={x!r}, target={y!r}, pos_weight={w!r}"
    _check("bce_with_logits", label, L.bce_with_logits(x, y, w, "none"), expected, np.float64,
           rtol=1e-13)
    _check("bce_with_logits", label, L.bce_with_logits(x, y, w), expected.mean(), np.float64,
           rtol=1e-13)
    s = 1 / (1 + np.exp(-x))
    _check("bce_with_logits_grad", label, L.bce_with_logits_grad(x, y, w),
           (s * (w * y + 1 - y) - w * y) / x.size, np.float64, rtol=1e-13)


@pytest.mark.parametrize("dtype", FLOATS, **DTYPE_IDS)
def test_bce_with_logits_extremes(dtype):
    """Stable for any finite logit, no clamp: x = -1000, y = 1 gives 1000."""
    fi = np.finfo(dtype)
    x = np.array([-1000.0, 1000.0, 1000.0, -1e4, 1e4, fi.max, -fi.max, fi.tiny, 0.0, -30.0],
                 dtype=dtype)
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.5, 0.0], dtype=dtype)
    expected = np.array([1000.0, 1000.0, 0.0, 0.0, 0.0, 0.0, 0.0, math.log(2), math.log(2),
                         math.log1p(math.exp(-30.0))])
    for w in (None, 3.0):
        with no_warnings():
            got = L.bce_with_logits(x, y, w, "none")
            grad = L.bce_with_logits_grad(x, y, w, "none")
        label = f"input={x!r}, target={y!r}, pos_weight={w}"
        scale = np.where(y == 1, 1.0 if w is None else w, 1.0)
        scale[8] = 1.0 if w is None else (1 + 0.5 * (w - 1))  # y = 0.5 at x = 0: log 2·(1+(w-1)/2)
        _check("bce_with_logits", label, got, expected * scale, dtype, rtol=1e-6 if dtype ==
               np.float32 else 1e-13, atol=0)
        assert np.all(np.isfinite(grad)), f"losses.bce_with_logits_grad: {label}: {grad!r}"
        value, tgrad = _torch_loss_and_grad(F.binary_cross_entropy_with_logits,
                                            x.astype(np.float64), tt(y.astype(np.float64)),
                                            reduction="none",
                                            pos_weight=None if w is None else torch.tensor(w))
        _check("bce_with_logits_grad", label, grad, tgrad.astype(dtype), dtype)
    with no_warnings():
        assert_equal("losses.bce_with_logits", "input=-1000, target=1",
                     L.bce_with_logits(-1000.0, 1.0), 1000.0)


# ---------------------------------------------------------------------------------------------
# cross_entropy, cross_entropy_grad
# ---------------------------------------------------------------------------------------------

def _ce_case(dtype):
    """(logits, target) for batched (N, C) or unbatched (C,) input, with integer class indices
    or (not necessarily normalised) class probabilities. Own strategy: the catalogue's class
    inputs are batched, normalised and never empty."""
    def build(args):
        batched, n, c, probs = args
        shape = (n, c) if batched else (c,)
        x = hnp.arrays(dtype, shape, elements=s.elements(dtype, -40, 40))
        if probs:
            t = hnp.arrays(dtype, shape, elements=st.one_of(s.elements(dtype, 0.0, 1.0),
                                                            st.just(0.0)))
        else:
            t = hnp.arrays(np.int64, shape[:-1], elements=st.integers(0, c - 1))
        return st.tuples(x, t)
    return st.tuples(st.booleans(), st.integers(0, 5), st.integers(1, 5), st.booleans()).flatmap(build)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", FLOATS, **DTYPE_IDS)
def test_cross_entropy_and_grad_match_torch(dtype, reduction):
    @hsettings(max_examples=45)
    @given(case=_ce_case(dtype))
    def check(case):
        x, t = case
        value, grad = _torch_loss_and_grad(F.cross_entropy, x, tt(t), reduction=reduction)
        label = f"input={x!r}, target={t!r}, reduction={reduction!r}"
        got = call_unmodified("cross_entropy", L.cross_entropy, x, t, reduction)
        _check("cross_entropy", label, got, value, dtype)
        got = call_unmodified("cross_entropy_grad", L.cross_entropy_grad, x, t, reduction=reduction)
        _check("cross_entropy_grad", label, got, grad, dtype)

    check()


def test_cross_entropy_semantics():
    """'mean' divides by N (not N·C); grad (softmax - onehot)/N; probability targets."""
    x = np.array([[1.0, 2.0, 3.0], [1.0, -1.0, 0.0]])
    idx = np.array([2, 0])
    logp = x - np.log(np.exp(x).sum(-1, keepdims=True))
    per = -logp[np.arange(2), idx]
    label = f"input={x!r}, target={idx!r}"
    _check("cross_entropy", label, L.cross_entropy(x, idx), per.mean(), np.float64, rtol=1e-14)
    _check("cross_entropy", label, L.cross_entropy(x, idx, "none"), per, np.float64, rtol=1e-14)
    _check("cross_entropy", label, L.cross_entropy(x, idx, "sum"), per.sum(), np.float64,
           rtol=1e-14)
    onehot = np.eye(3)[idx]
    _check("cross_entropy_grad", label, L.cross_entropy_grad(x, idx),
           (np.exp(logp) - onehot) / 2, np.float64, rtol=1e-14)
    # one-hot probabilities give the same loss as the indices
    _check("cross_entropy", f"input={x!r}, target={onehot!r}", L.cross_entropy(x, onehot),
           per.mean(), np.float64, rtol=1e-14)
    # unbatched
    _check("cross_entropy", "input=[1, 2, 3], target=2", L.cross_entropy([1.0, 2.0, 3.0], 2),
           per[0], np.float64, rtol=1e-14)
    for bad_target in ([3, 0], [-1, 0], [-100, 0], [0.0, 1.0], [[0]]):
        with pytest.raises(ValueError):
            L.cross_entropy(x, np.array(bad_target))
    with pytest.raises(ValueError):
        L.cross_entropy(np.zeros((2, 3, 4)), np.zeros((2, 4), dtype=np.int64))


@pytest.mark.parametrize("dtype", FLOATS, **DTYPE_IDS)
def test_cross_entropy_extremes(dtype):
    fi = np.finfo(dtype)
    x = np.array([[1e4, -1e4, 0.0], [fi.max, 0.0, -fi.max / 2], [-fi.max / 2, 0.0, 1.0],
                  [fi.tiny, -fi.tiny, 0.0], [1e4, 1e4, -1e4]], dtype=dtype)
    t = np.array([1, 1, 2, 0, 0])
    with no_warnings():
        per = L.cross_entropy(x, t, "none")
        grad = L.cross_entropy_grad(x, t, "none")
        probs = L.cross_entropy(x, np.eye(3, dtype=dtype)[t], "none")
    label = f"input={x!r}, target={t!r}"
    assert np.all(np.isfinite(per)) and np.all(np.isfinite(grad)) and np.all(np.isfinite(probs)), (
        f"losses.cross_entropy: {label}: received {per!r}, grad {grad!r}, probability targets "
        f"{probs!r}")
    value, tgrad = _torch_loss_and_grad(F.cross_entropy, x.astype(np.float64), tt(t),
                                        reduction="none")
    _check("cross_entropy", label, per, value.astype(dtype), dtype)
    _check("cross_entropy (one-hot probabilities)", label, probs, value.astype(dtype), dtype)
    _check("cross_entropy_grad", label, grad, tgrad.astype(dtype), dtype)
    # a zero probability on a logit whose log_softmax is -inf contributes 0, not nan
    span = np.array([[fi.max, -fi.max]], dtype=dtype)
    with no_warnings():
        got = L.cross_entropy(span, np.array([[1.0, 0.0]], dtype=dtype))
    assert_equal("losses.cross_entropy", f"input={span!r}, target=[[1, 0]]", got, 0.0)


def test_cross_entropy_accurate_for_confident_predictions():
    """-log_softmax of the dominant class is log1p(Σ e^(z_j - z_max)), not 0."""
    x, t = np.array([[0.0, -50.0, -60.0]]), np.array([0])
    tail = math.exp(-50.0) + math.exp(-60.0)
    expected = math.log1p(tail)
    got = L.cross_entropy(x, t)
    assert abs(got - expected) <= 1e-15 * expected, (
        f"losses.cross_entropy: input={x!r}, target={t!r}: received {got!r}, expected {expected!r}")
    got = L.cross_entropy_grad(x, t)[0, 0]
    expected = -tail / (1 + tail)
    assert abs(got - expected) <= 1e-14 * abs(expected), (
        f"losses.cross_entropy_grad: input={x!r}, target={t!r}: received {got!r} at [0, 0], "
        f"expected {expected!r}")


# ---------------------------------------------------------------------------------------------
# All losses: reduction validation, dtypes, array_likes, empty inputs
# ---------------------------------------------------------------------------------------------

X2 = np.array([[0.2, 0.7, 0.1], [0.9, 0.3, 0.5]])
Y2 = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]])
IDX = np.array([1, 0])
ENTRY = {f.name: f for f in LOSSES}
CALLS = {name: getattr(L, name) for name in ENTRY}
IS_GRAD = {name: entry.kind == "loss_grad" for name, entry in ENTRY.items()}
CLASSES = {name for name, entry in ENTRY.items() if entry.inputs == "classes"}  # targets: class indices


def _target(name, dtype=np.float64):
    return IDX if name in CLASSES else Y2.astype(dtype)


def test_all_contract_functions_are_exported():
    """``__all__`` lists exactly the registry's functions of losses.py."""
    assert set(L.__all__) == set(CALLS), f"losses: received {sorted(L.__all__)}, expected {sorted(CALLS)}"


@pytest.mark.parametrize("name", list(CALLS))
def test_invalid_reduction_raises(name):
    for bad in ("avg", "MEAN", None, "elementwise_mean"):
        with pytest.raises(ValueError):
            CALLS[name](X2, _target(name), reduction=bad)


@pytest.mark.parametrize("name", list(CALLS))
def test_loss_dtypes_shapes_and_array_likes(name):
    f = CALLS[name]
    for reduction in REDUCTIONS:
        expected64 = f(X2, _target(name), reduction=reduction)
        if IS_GRAD[name]:
            shape = X2.shape
        elif reduction == "none":
            shape = (2,) if name in CLASSES else X2.shape
        else:
            shape = ()
        for dtype in (np.float16, np.float32, np.float64):
            x = X2.astype(dtype)
            got = call_unmodified(f"losses.{name}", f, x, _target(name, dtype), reduction=reduction)
            label = f"input={x!r}, reduction={reduction!r}"
            assert_close(f"losses.{name}", label, got, np.asarray(expected64).astype(dtype),
                         dtype=dtype)
            assert np.shape(got) == shape, f"losses.{name}: {label}: shape {np.shape(got)}, expected {shape}"
        # lists and a float32 input with a Python-list target keep float32 / give float64
        got = f(X2.tolist(), _target(name).tolist(), reduction=reduction)
        assert_close(f"losses.{name}", "lists", got, expected64, dtype=np.float64)
        got = f(X2.astype(np.float32), _target(name).tolist(), reduction=reduction)
        assert np.asarray(got).dtype == np.float32, (
            f"losses.{name}: float32 input with a list target gave dtype {np.asarray(got).dtype}")
    # integer (0/1) inputs give float64
    xi = np.array([[0, 1, 1], [1, 0, 0]])
    got = f(xi, _target(name))
    assert np.asarray(got).dtype == np.float64, f"losses.{name}: int input gave {np.asarray(got).dtype}"
    assert_close(f"losses.{name}", xi, got, f(xi.astype(np.float64), _target(name)),
                 dtype=np.float64)


@pytest.mark.parametrize("name", list(CALLS))
def test_empty_inputs(name):
    """'mean' of nothing is nan (as torch), 'sum' is 0, 'none' is empty; grads are empty."""
    f = CALLS[name]
    x = np.zeros((0, 3))
    t = np.zeros((0,), dtype=np.int64) if name in CLASSES else np.zeros((0, 3))
    for reduction in REDUCTIONS:
        with no_warnings():
            got = f(x, t, reduction=reduction)
        if IS_GRAD[name]:
            expected = np.zeros((0, 3))
        elif reduction == "none":
            expected = np.zeros((0,) if name in CLASSES else (0, 3))
        else:
            expected = np.array(np.nan if reduction == "mean" else 0.0)
        assert_close(f"losses.{name}", f"input={x!r}, reduction={reduction!r}", got, expected,
                     dtype=np.float64)


@pytest.mark.parametrize("name", list(CALLS))
def test_empty_inputs_match_torch(name):
    x = np.zeros((0, 3))
    target = np.zeros(0, dtype=np.int64) if name in CLASSES else np.zeros((0, 3))
    for reduction in REDUCTIONS:
        expected = library_expected(ENTRY[name], (x, target), {"reduction": reduction})
        assert_close(f"losses.{name}", f"empty, reduction={reduction!r}",
                     CALLS[name](x, target, reduction=reduction), expected, dtype=np.float64)
