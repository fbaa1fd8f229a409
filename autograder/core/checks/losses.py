"""The checks of losses.py, built from the contract's entries (kind ``loss`` or ``loss_grad``).

Every loss and every loss gradient gets: values for reduction 'mean', for 'sum' and 'none', in
float32 with its dtype kept, on scalars / lists / n-d / empty / int and bool inputs, inputs left
unmodified, stability at extreme inputs (by the kind of data it takes: probabilities, logits,
class scores), its parameters with other values, and consistency with torch (autograd for the
gradients); every gradient is checked against central finite differences of the student's own
loss. ``bce_with_logits`` also gets the lecture's point: it equals sigmoid + BCE where both are
finite and stays exact where sigmoid + BCE saturates. Every loss and gradient also gets the public
stability check (no RuntimeWarning, finite where the truth is) and the hidden edges of ``edges.py``. Weights that differ from the defaults are
in ``POINTS``.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ...contract import Function, function as contract_function, functions
from . import edges
from . import strategies as s
from .build import check, fixed, generated, reference, torch
from .records import HIDDEN, PUBLIC, Check, Exercise

REDUCTIONS = s.REDUCTIONS
F32 = np.float32
# examples per property check: the main values checks get the most, consistency checks the fewest
# (torch and the reference agree everywhere; they are there to catch a different convention)
MAIN, SECONDARY, CONSISTENCY, FINITE_DIFFERENCES = 10, 6, 5, 5
# weights that differ from the defaults of ``_values`` (mean 1.5, float32 1; gradients' float32 0.5)
POINTS = {"losses.mse_loss": {"mean": 2}}
LECTURE_SATURATION = [
    (np.array([-1000.0, 1000.0, -1000.0, 1000.0, -40.0, 40.0]), np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.0])),
    (np.array([-1000.0, 1000.0, 1000.0], dtype=F32), np.array([1.0, 0.0, 1.0], dtype=F32)),
]


# -- fixed inputs -------------------------------------------------------------------------------------

def shape_cases(kind: str) -> list[tuple[tuple, dict]]:
    """Python scalars, lists, numpy scalars, 0-d, n-d, empty, int and bool inputs."""
    if kind == "regression":
        a, b = 0.5, -1.25
        x3 = np.linspace(-2, 2, 24).reshape(2, 3, 4)
        t3 = np.cos(np.arange(24.0)).reshape(2, 3, 4)
        ints = (np.array([1, 2, 3]), np.array([0, 2, 5]))
        bools = None
    elif kind == "probability":
        a, b = 0.25, 0.75
        x3 = np.linspace(0.05, 0.95, 24).reshape(2, 3, 4)
        t3 = (np.arange(24).reshape(2, 3, 4) % 3 == 0).astype(float)
        ints = (np.array([0.2, 0.9, 0.5]), np.array([1, 1, 0]))  # int probabilities would be 0 or 1
        bools = (np.array([0.2, 0.9, 0.5]), np.array([False, True, True]))
    else:  # logits
        a, b = -1.5, 1.0
        x3 = np.linspace(-4, 4, 24).reshape(2, 3, 4)
        t3 = (np.arange(24).reshape(2, 3, 4) % 3 == 0).astype(float)
        ints = (np.array([-2, 0, 3]), np.array([1, 0, 0]))
        bools = (np.array([-0.5, 2.0, 0.0]), np.array([True, False, True]))
    cases = [((a, b), {}), ((a, b), {"reduction": "none"}),
             (([[a, b, a], [b, a, b]], [[b, a, b], [a, b, a]]), {}),
             (([a, b, a], [b, b, a]), {"reduction": "none"}),
             ((np.float64(a), np.float64(b)), {"reduction": "sum"}),
             ((np.array(a), np.array(b)), {"reduction": "none"}),
             ((x3, t3), {"reduction": "none"}), ((x3, t3), {}),
             ((x3.astype(F32), t3.astype(F32)), {"reduction": "none"}),
             ((np.zeros((0,)), np.zeros((0,))), {"reduction": "sum"}),
             ((np.zeros((2, 0)), np.zeros((2, 0))), {"reduction": "none"}),
             (ints, {}), (ints, {"reduction": "none"})]
    if bools is not None:
        cases.append((bools, {"reduction": "none"}))
    return cases


def class_shape_cases() -> list[tuple[tuple, dict]]:
    logits = np.array([[2.0, -1.0, 0.5], [0.0, 0.0, 0.0], [-3.0, 4.0, 1.0], [1.0, 2.0, 3.0]])
    index = np.array([0, 2, 1, 2])
    probs = np.eye(3)[index] * 0.75 + 0.25 / 3
    return [((logits.tolist(), index.tolist()), {}),
            ((logits, index), {"reduction": "none"}),
            ((logits, index), {"reduction": "sum"}),
            ((logits[:1], index[:1]), {"reduction": "none"}),
            ((logits[:, :1], np.zeros(4, dtype=np.int64)), {}),
            ((logits.astype(F32), index), {"reduction": "none"}),
            ((logits.astype(F32), probs.astype(F32)), {}),
            ((logits, probs), {"reduction": "none"}),
            ((np.array([[1, 2, 3], [0, 0, 5]]), np.array([2, 1])), {}),
            ((np.array([[1, 2, 3], [0, 0, 5]]), np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])), {"reduction": "none"}),
            ((np.zeros((0, 3)), np.zeros((0,), dtype=np.int64)), {"reduction": "sum"}),
            ((np.zeros((0, 3)), np.zeros((0,), dtype=np.int64)), {"reduction": "none"})]


def grad_shape_cases(cases: list[tuple[tuple, dict]]) -> list[tuple[tuple, dict]]:
    """The shape cases that make sense for a gradient ('mean' of nothing is left out)."""
    return [(args, kwargs) for args, kwargs in cases
            if not (np.size(args[0]) == 0 and kwargs.get("reduction", "mean") == "mean")]


def extremes_probability(dtype: Any) -> list[tuple[tuple, dict]]:
    """p = 0 and 1 (exactly, and as close as the dtype gets) with hard and soft labels."""
    dtype = np.dtype(dtype).type
    info = np.finfo(dtype)
    below_one = float(np.nextafter(dtype(1), dtype(0)))
    p = np.array([0, 0, 1, 1, 0, 1, 0.0, 1.0, float(info.tiny), below_one, float(info.smallest_subnormal)],
                 dtype=dtype)
    y = np.array([0, 1, 0, 1, 0.3, 0.7, 1.0, 0.0, 1.0, 0.0, 1.0], dtype=dtype)
    perfect = np.array([0.0, 1.0, 1.0], dtype=dtype)
    return [((p, y), {"reduction": "none"}), ((p, y), {}), ((p, y), {"reduction": "sum"}), ((perfect, perfect), {})]


def extremes_logits(grad: bool) -> list[tuple[tuple, dict]]:
    cases = []
    for dtype in (np.float64, F32):
        big = float(np.finfo(dtype).max)
        x = np.array([-1e4, 1e4, -1e4, 1e4, -1000, 1000, -710, 710, -100, 100, 0, 1e4, -1e4], dtype=dtype)
        y = np.array([1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0.5, 0.25], dtype=dtype)
        cases += [((x, y), {"reduction": "none"}), ((x, y), {}), ((x, y), {"reduction": "sum"}),
                  ((np.array([big, -big, big, -big, big / 4, -big / 4], dtype=dtype),
                    np.array([0, 1, 1, 0, 0, 1], dtype=dtype)), {"reduction": "none"})]
        if grad:
            cases.append(((np.array([big, -big, big, -big], dtype=dtype),
                           np.array([0, 1, 0.5, 0.5], dtype=dtype)), {}))
    cases.append(((np.array([[-1e4, 1e4], [1000, -1000.0]]), np.array([[1.0, 0.0], [0.0, 1.0]])),
                  {"pos_weight": np.array([2.0, 0.5]), "reduction": "none"}))
    return cases


def extremes_classes() -> list[tuple[tuple, dict]]:
    cases = []
    for dtype in (np.float64, F32):
        big = float(np.finfo(dtype).max) / 4
        # per-sample losses 2e4, 2e4, 2000, max/4, max/2 (soft: 5000, 1e4, 1000, max/2, max/8): their sum
        # stays finite. No ties among huge logits: there m + log Σ e^(x-m) absorbs the log term (a
        # correct, common formulation) and a small loss would be lost against the magnitude
        x = np.array([[1e4, 0.0, -1e4], [-1e4, 1e4, 0.0], [1000.0, -1000.0, 0.0], [-big, 0.0, big],
                      [big, 0.0, -big]], dtype=dtype)
        index = np.array([2, 0, 1, 1, 2])
        soft = np.array([[0.5, 0.5, 0], [0, 0, 1], [0.25, 0.25, 0.5], [1, 0, 0], [0.5, 0.5, 0]], dtype=dtype)
        for reduction in REDUCTIONS:
            cases += [((x, index), {"reduction": reduction}), ((x, soft), {"reduction": reduction})]
    return cases



# -- the checks ---------------------------------------------------------------------------------------

def _unchanged_cases(entry: Function) -> list:
    """Arguments the function must not modify; a parameter that takes an array goes positionally
    (the worker watches positional arguments for in-place changes)."""
    if entry.inputs == "classes":
        logits = np.arange(12.0).reshape(4, 3) / 4
        return [((logits, np.array([0, 2, 1, 1])), {}), ((logits, np.eye(3)[[0, 2, 1, 1]]), {"reduction": "none"})]
    x = np.linspace(0.05, 0.95, 6) if entry.inputs == "probability" else np.linspace(-1, 1, 6)
    t = np.cos(np.arange(6.0)) if entry.inputs == "regression" else np.array([0, 1, 1, 0, 0.5, 1.0])
    if entry.inputs == "logits":
        x = np.linspace(-3, 3, 6)
    names = [p.name for p in entry.params]
    if "var" in names:
        return [((x, t, np.full(6, 0.5)), {}), ((x, t), {"reduction": "none"})]
    if "pos_weight" in names:
        return [((x, t), {}), ((x.reshape(2, 3), t.reshape(2, 3), np.array([2.0, 0.5, 1.0])), {"reduction": "none"})]
    return [((x, t), {}), ((x, t), {"reduction": "none"})]


def _values(entry: Function) -> list[Check]:
    """The public values checks every loss and every gradient has."""
    function, ref = entry.qualified, reference(entry.qualified)
    grad = entry.kind == "loss_grad"
    weights = {"mean": 1.5, "float32": 0.5 if grad else 1.0, **POINTS.get(function, {})}
    if entry.inputs == "classes":
        index64, index32, probs32 = (s.class_inputs(np.float64, "index"), s.class_inputs(F32, "index"),
                                     s.class_inputs(F32, "prob"))
        mean_name, values64 = "values, reduction='mean', class-index targets (float64)", index64
        values32 = st.one_of(index32, probs32)
        shapes_name, shapes = "lists, one sample, one class, int logits, empty batch (dtype)", class_shape_cases()
    else:
        mean_name = "values, reduction='mean' (float64)"
        values64, values32 = s.loss_pairs(entry.inputs, np.float64), s.loss_pairs(entry.inputs, F32)
        shapes_name = "scalars, lists, 0-d, n-d, empty, int and bool inputs (dtype)"
        shapes = shape_cases(entry.inputs)
    if grad:
        shapes = grad_shape_cases(shapes)
    return [
        check(function, mean_name, weights["mean"], PUBLIC,
              generated("values", ref, s.with_reduction(values64, ("mean",)), MAIN)),
        check(function, "values and shapes, reduction='sum' and 'none' (float64)", 1, PUBLIC,
              generated("values", ref, s.with_reduction(values64, ("sum", "none")), SECONDARY)),
        check(function, "values and dtype (float32 in, float32 out)", weights["float32"], PUBLIC,
              generated("values", ref, s.with_reduction(values32, REDUCTIONS), SECONDARY, dtype=True)),
        check(function, shapes_name, 0.5, PUBLIC, fixed("values", ref, shapes, dtype=True)),
        check(function, "inputs not modified", 0.5, PUBLIC,
              fixed("unchanged", "", _unchanged_cases(entry) + edges.as_lists(_unchanged_cases(entry)[:1]))),
    ]


def _stability_and_edges(entry: Function) -> list[Check]:
    """The public stability check; the edges (float16, lists and tuples for every argument, and
    bool / int / unsigned pairs for the regression losses)."""
    function, ref = entry.qualified, reference(entry.qualified)
    grad = entry.kind == "loss_grad"
    lists = edges.as_lists(_unchanged_cases(entry))
    steps = [fixed("values", ref, edges.float16_cases(entry), dtype=True, **edges.F16_TOLERANCE),
             fixed("values", ref, lists, dtype=True)]
    if entry.inputs == "regression":
        kinds = [(args, {"reduction": r}) for args, _ in edges.integer_kind_pairs() for r in REDUCTIONS]
        steps.append(fixed("values", ref, kinds, dtype=True))
    cases = edges.stability_cases(entry)
    if grad:
        cases = grad_shape_cases(cases)
    return [edges.stability_check(entry, ref, cases),
            check(function, edges.EDGES_LOSSES if entry.inputs == "regression" else edges.EDGES_FLOAT16_LISTS, 0.5, HIDDEN,
                  *steps)]


def _finite_differences(entry: Function) -> Check:
    forward = f"{entry.module}.{entry.derivative_of}"
    return check(entry.qualified, f"matches central finite differences of {entry.derivative_of} ('sum' and 'mean')",
                 1.5, PUBLIC, generated("loss_finite_differences", reference(forward), s.fd_pairs(entry.inputs),
                                        FINITE_DIFFERENCES, forward=forward))


def _lecture(entry: Function) -> Check:
    """bce_with_logits(x, y) = bce_loss(σ(x), y) where both are finite (|x| ≤ 15), and stays finite
    and exact (≈ |x| for the wrong label) at |x| = 1000 where σ + BCE saturates at the clamp."""
    cases = [((x, y), {"reduction": "none"}) for x, y in LECTURE_SATURATION]
    return check(entry.qualified, "equals bce_loss(sigmoid(x)) where finite and stays exact at |x| = 1000 "
                                  "(the lecture's point)", 1.5, PUBLIC,
                 generated("logits_equal_sigmoid_bce", "reference:losses.bce_loss", s.lecture_pairs(), 6,
                           forward="losses.bce_loss"),
                 fixed("saturation", reference(entry.qualified), cases, forward="losses.bce_loss"))


def _stability(entry: Function) -> list[Check]:
    function, ref = entry.qualified, reference(entry.qualified)
    grad = entry.kind == "loss_grad"
    if entry.inputs == "probability":
        # float32 with rtol 1e-3: clamping p at e^-100 (a subnormal in float32) gives 99.98
        return [check(function, "numerical stability: p = 0 and 1 (each log clamped at -100, perfect "
                                "predictions cost 0)", 1.5, HIDDEN,
                      fixed("values", ref, extremes_probability(np.float64)),
                      fixed("values", ref, extremes_probability(F32), rtol=1e-3))]
    if entry.inputs == "logits":
        return [check(function, "numerical stability at |x| up to 1e4 and the dtype limits", 1, HIDDEN,
                      fixed("values", ref, extremes_logits(grad)))]
    if entry.inputs == "classes":
        return [check(function, "numerical stability at logits ±1e4 and the dtype limits", 1, HIDDEN,
                      fixed("values", ref, extremes_classes()))]
    return []


def _parameters(entry: Function) -> list[Check]:
    """The parameters besides reduction, with other values."""
    function, ref = entry.qualified, reference(entry.qualified)
    checks = []
    for param in entry.params:
        if param.name == "var":
            checks.append(check(function, "parameter var (a scalar, a same-shape array, one per row)", 1.5, HIDDEN,
                                generated("values", ref, s.gaussian_var_cases(), MAIN)))
        elif param.name == "pos_weight":
            checks.append(check(function, "parameter pos_weight (a scalar and a per-last-axis vector)", 1, HIDDEN,
                                generated("values", ref, s.pos_weight_cases(), SECONDARY)))
        elif param.checked and param.name != "reduction":
            cases = st.tuples(s.with_reduction(s.loss_pairs(entry.inputs, np.float64), REDUCTIONS),
                              st.sampled_from(param.checked)).map(
                lambda c, name=param.name: (c[0][0], {**c[0][1], name: c[1]}))
            checks.append(check(function, f"parameter {param.name}", 1, HIDDEN,
                                generated("values", ref, cases, SECONDARY)))
    return checks


def _torch_cases(entry: Function) -> tuple[object, str]:
    """The torch check's inputs and what its name adds."""
    names = [p.name for p in entry.params]
    if "var" in names:
        return s.gaussian_var_cases(torch_shapes=True), " (GaussianNLLLoss(full=True))"
    if "pos_weight" in names:
        return (st.one_of(s.with_reduction(s.loss_pairs(entry.inputs, np.float64), REDUCTIONS), s.pos_weight_cases()),
                " (pos_weight included)")
    if entry.inputs == "classes":
        both = st.one_of(s.class_inputs(np.float64, "index"), s.class_inputs(np.float64, "prob"))
        return s.with_reduction(both, REDUCTIONS), "" if entry.kind == "loss_grad" else \
            " (class-index and probability targets)"
    return s.with_reduction(s.loss_pairs(entry.inputs, np.float64), REDUCTIONS), ""


def loss_checks(entry: Function) -> list[Check]:
    """Every check of a loss or of a loss gradient, in report order."""
    function, ref = entry.qualified, reference(entry.qualified)
    checks = _values(entry) + _stability_and_edges(entry)
    if entry.kind == "loss_grad":
        checks.append(_finite_differences(entry))
    if entry.inputs == "classes":
        checks.append(check(function, "class-probability targets of shape (N, C)", 1, HIDDEN,
                            generated("values", ref, s.with_reduction(s.class_inputs(np.float64, "prob"), REDUCTIONS),
                                      SECONDARY)))
    if function == "losses.bce_with_logits":
        checks.append(_lecture(entry))
    checks += _stability(entry) + _parameters(entry)
    cases, what = _torch_cases(entry)
    kind = "torch autograd" if entry.kind == "loss_grad" else "torch.nn.functional"
    checks.append(check(function, f"consistent with {kind}{what}", 1, HIDDEN,
                        generated("values", torch(function), cases, CONSISTENCY)))
    return checks


def exercises() -> list[Exercise]:
    """The checks of every function of losses.py, in the contract's order."""
    return [Exercise(entry.qualified, tuple(loss_checks(entry))) for entry in functions("losses")]


__all__ = ["exercises", "loss_checks", "contract_function"]
