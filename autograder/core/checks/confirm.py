"""Confirming a known mistake: it must also explain the student's answer on another input.

A mistake model that reproduces the answer on the failing input may do so by accident: the
inputs hypothesis shrinks to hold one or two samples, where many formulas agree (a finite wrong
value of 1 sample, β² on FP against the argument order, weights from predicted counts against
the other metric). So a model is named only if it also reproduces the student's answer on
*probes*: other inputs of the same kind where the model and the truth differ.

``probes`` draws them, deterministically, from the failing call: the same shapes and dtypes
with other values (seeds 0..3), then grown shapes (first axis 8), values taken from a pool that
holds the places where mistakes show (the kink at 0, softplus's threshold, p = 0 and 1,
|x| = 1000, the labels present). ``confirmed`` asks the first probe where model and truth
differ, of grown shapes and of the failing shapes (a model that matched through a coincidence
of shapes, one row for N rows, must match elsewhere too), then of each other ``average`` /
``reduction`` (a model is a whole mistaken function, not one call), and requires the student's
answer to be the model's there, and nearer it than the truth: at least one such probe, and no
disagreement.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

import numpy as np

from ...contract import DATA_ARGUMENTS, function as contract_function

SEEDS = 8  # 4 probes of the failing shapes, 4 of grown shapes
GROWN = 8  # the first axis of a grown probe
VARIED = ("average", "reduction")  # keyword arguments a model is also confirmed across

_ACTIVATION_POOL = (-30.0, -5.0, -2.0, -1.0, -0.5, -0.1, 0.0, 0.0, 0.1, 0.5, 1.0, 2.0, 5.0, 30.0)
_LOGITS_POOL = (-1000.0, -50.0, -5.0, -1.0, -0.2, 0.0, 0.2, 1.0, 5.0, 50.0, 1000.0)
_PROBABILITY_POOL = (0.0, 1e-12, 0.01, 0.2, 0.5, 0.8, 0.99, 1.0 - 1e-12, 1.0)


def _grown(shape: tuple[int, ...]) -> tuple[int, ...]:
    """A larger shape of the same rank (0-d becomes (8,)); empty axes get 3 elements."""
    if not shape:
        return (GROWN,)
    return (max(shape[0], GROWN),) + tuple(n or 3 for n in shape[1:])


def _activation_pool(kwargs: dict) -> np.ndarray:
    pool = list(_ACTIVATION_POOL)
    beta, threshold = kwargs.get("beta", 1.0), kwargs.get("threshold")
    if threshold is not None and beta:
        at = float(threshold) / float(beta)
        pool += [at, at, np.nextafter(at, np.inf), np.nextafter(at, -np.inf)]
    return np.asarray(pool)


def _labels(kind: str, data: tuple, kwargs: dict) -> np.ndarray:
    """The labels a metric's probes are drawn from: those of the failing call (at least two)."""
    present = np.unique(np.concatenate([np.ravel(np.asarray(a)) for a in data[:2]] or [np.zeros(0)]))
    given = kwargs.get("labels")
    if given is not None:
        present = np.union1d(present, np.ravel(np.asarray(given)))
    if present.size < 2:
        pos = kwargs.get("pos_label", 1)
        extra = [pos, 0 if pos != 0 else 1]
        try:
            present = np.union1d(present, np.asarray(extra, dtype=present.dtype if present.size else None))
        except (TypeError, ValueError):
            pass
    if kind == "scores" and kwargs.get("average", "binary") == "binary" and present.size > 2:
        present = present[:2]
    return present


def _values(kind: str, position: int, like: np.ndarray, shape: tuple, rng: np.random.Generator,
            data: tuple, kwargs: dict, settings: dict) -> np.ndarray:
    """New values of one data argument, of ``shape`` and ``like``'s dtype (``settings``: the
    keyword arguments with the contract's defaults)."""
    dtype = like.dtype if like.dtype.kind in "biuf" else np.dtype(np.float64)
    if kind in ("labels", "scores"):
        return rng.choice(_labels(kind, data, kwargs), size=shape).astype(dtype)
    if kind == "classes" and position == 1:
        classes = np.shape(data[0])[-1] if np.ndim(data[0]) == 2 else 3
        if dtype.kind in "iu":
            return rng.integers(0, max(classes, 1), size=shape).astype(dtype)
        rows = rng.dirichlet(np.ones(shape[-1]), size=shape[:-1]) if len(shape) >= 1 and shape[-1] else \
            np.zeros(shape)
        return np.asarray(rows, dtype=dtype)
    if kind == "probability":
        pool = _PROBABILITY_POOL if position == 0 else (0.0, 1.0)
        return rng.choice(pool, size=shape).astype(dtype)
    if kind == "logits":
        return (rng.choice(_LOGITS_POOL, size=shape) if position == 0 else
                rng.choice((0.0, 1.0), size=shape)).astype(dtype)
    if kind == "activation":
        return rng.choice(_activation_pool(settings), size=shape).astype(dtype)
    if dtype.kind == "b":
        return rng.integers(0, 2, size=shape).astype(dtype)
    values = rng.normal(0.0, 3.0, size=shape)
    return (np.round(values) if dtype.kind in "iu" else values).astype(dtype)


def _kind(qualified: str) -> str:
    entry = contract_function(qualified)
    return "activation" if entry.module == "activations" else (entry.inputs or "regression")


def probes(qualified: str, args: tuple, kwargs: dict) -> Iterator[tuple[tuple, dict, bool]]:
    """Other inputs like the failing call ``args``: (args, kwargs, grown), same shapes (seeds 0
    to 3), then grown shapes (seeds 4 to 7)."""
    count = len(DATA_ARGUMENTS[qualified.split(".")[0]])
    data, rest = args[:count], args[count:]
    kind = _kind(qualified)
    settings = {p.name: p.default for p in contract_function(qualified).params if not p.required} | kwargs
    arrays = [np.asarray(a) for a in data]
    for seed in range(SEEDS):
        rng = np.random.default_rng(seed)
        grow = seed >= SEEDS // 2
        shapes = [_grown(a.shape) if grow else a.shape for a in arrays]
        if grow and kind == "classes" and len(arrays) == 2 and arrays[1].ndim == 1:
            shapes[1] = shapes[0][:1]  # class indices: one per row of the logits
        new = tuple(_values(kind, i, a, shape, rng, data, kwargs, settings)
                    for i, (a, shape) in enumerate(zip(arrays, shapes)))
        yield new + tuple(rest), kwargs, grow


def _variants(qualified: str, kwargs: dict) -> list[dict]:
    """The failing keyword arguments, then each other value of ``average`` / ``reduction``."""
    found = [kwargs]
    for param in contract_function(qualified).params:
        if param.name in VARIED:
            current = kwargs.get(param.name, param.default)
            found += [{**kwargs, param.name: v} for v in (param.default, *param.checked) if v != current]
    return found


def _apart(wrong: Any, right: Any) -> np.ndarray | None:
    """Where the model's value differs from the truth beyond rounding (1e-10 relative), as a
    mask; None when they differ in shape (everywhere)."""
    a, b = np.asarray(wrong, dtype=float), np.asarray(right, dtype=float)
    if a.shape != b.shape:
        return None
    with np.errstate(all="ignore"):
        return ~((a == b) | (np.abs(a - b) <= 1e-10 * np.maximum(1.0, np.abs(b))) | (np.isnan(a) & np.isnan(b)))


def _nearer(received: Any, wrong: Any, right: Any) -> bool:
    """Whether the answer is nearer the model than the truth where the two differ."""
    apart = _apart(wrong, right)
    if apart is None:
        return True
    try:
        got = np.asarray(received, dtype=float)
        a, b = np.asarray(wrong, dtype=float), np.asarray(right, dtype=float)
        with np.errstate(all="ignore"):
            return got.shape == a.shape and bool(np.all(np.abs(got - a)[apart] < np.abs(got - b)[apart]))
    except (TypeError, ValueError):
        return False


class Unverifiable(Exception):
    """Raised by ``truth`` when the truth on a probe cannot be had (a release's bank)."""


def confirmed(qualified: str, student: Any, model: Callable[..., Any], truth: Callable[..., Any],
              args: tuple, kwargs: dict, same: Callable[[Any, Any], bool]) -> bool | None:
    """Whether the student's answers are ``model``'s wherever the model differs from ``truth``.

    ``model`` and ``truth`` take ``(*args, **kwargs)`` and return a value or None (does not
    apply); ``same(a, b)`` compares an answer with the model's value. Per keyword variant, the
    first probe where the model's value is finite and differs from the truth is asked of the
    student, whose answer must be the model's, and nearer it than the truth where they differ.
    None when the truth on the probes cannot be had (``truth`` raised ``Unverifiable``)."""
    if student is None:
        return False
    try:
        return _confirmed(qualified, student, model, truth, args, kwargs, same)
    except Unverifiable:
        return None


def _confirmed(qualified: str, student: Any, model: Callable[..., Any], truth: Callable[..., Any],
               args: tuple, kwargs: dict, same: Callable[[Any, Any], bool]) -> bool:
    name = qualified.split(".")[1]
    differing = 0
    for variant in _variants(qualified, kwargs):
        # the failing arguments: a probe of grown shapes and one of the same shapes (a model that
        # matched by a coincidence of shapes, one row for N rows, must match elsewhere too)
        groups = (("grown", "same") if variant is kwargs else ("grown+same",))
        for group in groups:
            for probe_args, probe_kwargs, grown in probes(qualified, args, {**variant}):
                if ("grown" if grown else "same") not in group:
                    continue
                right = truth(*probe_args, **probe_kwargs)  # first: it may be unverifiable
                wrong = model(*probe_args, **probe_kwargs)
                if not _separates(wrong, right):
                    continue
                answer = _ask(student, name, probe_args, probe_kwargs)
                if not (answer.ok and same(answer.value, wrong) and _nearer(answer.value, wrong, right)):
                    return False
                differing += 1
                break
    return differing > 0


def _ask(student: Any, name: str, args: tuple, kwargs: dict) -> Any:
    """The student's answer on a probe. A hang or crash there is not remembered as the
    function's fault: a hint's question must not cost the points of the checks that follow."""
    faults = getattr(student, "faults", None)
    before = dict(faults) if isinstance(faults, dict) else None
    answer = student.call(name, *args, **kwargs)
    if before is not None and faults != before:
        faults.clear()
        faults.update(before)
    return answer


def _separates(wrong: Any, right: Any) -> bool:
    """Whether a probe tells the model from the truth: both apply, the model's value is finite
    and differs from the truth beyond rounding somewhere."""
    if wrong is None or right is None or np.asarray(wrong).dtype.kind not in "biuf":
        return False
    with np.errstate(all="ignore"):
        if not np.all(np.isfinite(np.asarray(wrong, dtype=float))):
            return False
    apart = _apart(wrong, right)
    return apart is None or bool(apart.any())
