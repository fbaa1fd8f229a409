"""Where expected values come from: the reference, PyTorch, scikit-learn, or a release's bank.

An oracle is named ``"<kind>:<module>.<function>"``:

- ``reference``: the hidden reference (``reference/<module>.py``);
- ``torch``: the contract entry's torch counterpart on float64 tensors (its gradient by autograd
  for a derivative or a loss gradient, row by row for the softmax Jacobian);
- ``sklearn``: ``sklearn.metrics.<name>``;
- ``kept-dtype``: the reference's value in the contract's result dtype (float32 when both inputs
  are float32 arrays).

``KitOracles.expected`` memoises values in the example bank (a batch computes them once for the
class), ``compute`` does not (values only a failing submission needs). In a release,
``BankedOracles`` answers from the bank alone. torch and scikit-learn are imported on first use.
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any, Callable

import numpy as np

from ...contract import function as contract_function
from ..bank import Bank, digest
from .runner import NotBanked


def _float_tensor(value: Any):
    import torch
    return torch.as_tensor(np.array(value, dtype=np.float64))


def _loss_tensor(value: Any, target: bool = False):
    """A loss argument as torch wants it: float64 tensors, int64 class indices, None and text kept."""
    import torch
    if value is None or isinstance(value, (str, bool)):
        return value
    if target and np.asarray(value).dtype.kind in "iu":
        return torch.as_tensor(np.array(value, dtype=np.int64))
    return _float_tensor(value)


def _torch_oracle(qualified: str) -> Callable:
    entry = contract_function(qualified)
    forward = entry.torch
    if entry.kind in ("activation", "layer"):
        return lambda z, **kw: forward(_float_tensor(z), **kw).numpy()
    if entry.kind == "derivative":
        def derivative(z, **kw):
            tensor = _float_tensor(z).requires_grad_(True)
            forward(tensor, **kw).sum().backward()
            return tensor.grad.numpy()
        return derivative
    if entry.kind == "jacobian":
        def jacobian(z):
            import torch
            z = np.asarray(z, dtype=np.float64)
            rows = [torch.autograd.functional.jacobian(forward, torch.as_tensor(row)).numpy()
                    for row in z.reshape(-1, z.shape[-1])]
            return np.array(rows).reshape(z.shape + (z.shape[-1],))
        return jacobian
    classes = entry.inputs == "classes"  # integer targets are class indices
    if entry.kind == "loss":
        def loss(input, target, *rest, **kw):
            rest = tuple(_loss_tensor(v) for v in rest)
            kw = {k: _loss_tensor(v) for k, v in kw.items()}
            return forward(_float_tensor(input), _loss_tensor(target, classes), *rest, **kw).detach().numpy()
        return loss
    if entry.kind == "loss_grad":
        def gradient(input, target, *rest, **kw):
            x = _float_tensor(input).requires_grad_(True)
            rest = tuple(_loss_tensor(v) for v in rest)
            kw = {k: _loss_tensor(v) for k, v in kw.items()}
            value = forward(x, _loss_tensor(target, classes), *rest, **kw)
            (value.sum() if kw.get("reduction") == "none" else value).backward()
            return x.grad.numpy()
        return gradient
    raise ValueError(f"{qualified} has no torch counterpart")


def _sklearn_oracle(qualified: str) -> Callable:
    entry = contract_function(qualified)
    names = [p.name for p in entry.params]

    def oracle(y_true: Any, y_pred: Any, *rest: Any, **kwargs: Any) -> Any:
        from sklearn import metrics
        kwargs = {**dict(zip(names, rest)), **kwargs}  # scikit-learn takes β and the rest by keyword
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = getattr(metrics, entry.sklearn)(y_true, y_pred, **kwargs)
        return float(value) if np.ndim(value) == 0 else np.asarray(value)
    return oracle


def _reference(qualified: str) -> Callable:
    module, name = qualified.split(".")
    return getattr(importlib.import_module(f"reference.{module}"), name)


def _kept_dtype_oracle(qualified: str) -> Callable:
    reference = _reference(qualified)

    def oracle(y_true: Any, y_pred: Any) -> np.ndarray:
        value = reference(y_true, y_pred)
        kept = np.float64
        for dtype in (np.float16, np.float32):  # both inputs of a narrower float: that float
            if all(isinstance(y, np.ndarray) and y.dtype == dtype for y in (y_true, y_pred)):
                kept = dtype
        return np.asarray(value, dtype=kept)
    return oracle


RESOLVERS: dict[str, Callable[[str], Callable]] = {
    "reference": _reference, "torch": _torch_oracle, "sklearn": _sklearn_oracle, "kept-dtype": _kept_dtype_oracle,
}


class KitOracles:
    """Expected values computed by the kit's oracles, memoised in ``bank``."""

    def __init__(self, bank: Bank):
        self.bank = bank
        self._resolved: dict[str, Callable] = {}

    def resolve(self, name: str) -> Callable:
        if name not in self._resolved:
            kind, _, qualified = name.partition(":")
            self._resolved[name] = RESOLVERS[kind](qualified)
        return self._resolved[name]

    def expected(self, name: str, args: tuple, kwargs: dict) -> Any:
        key = f"{name}|{digest((args, kwargs))}"
        if key not in self.bank.expected:
            self.bank.record_expected(key, self.resolve(name)(*args, **kwargs))
        return self.bank.expected[key]

    def compute(self, name: str, args: tuple, kwargs: dict) -> Any:
        return self.resolve(name)(*args, **kwargs)


class BankedOracles:
    """A release's oracles: the values its public checks read when it was built, nothing else."""

    def __init__(self, bank: Bank):
        self.bank = bank

    def expected(self, name: str, args: tuple, kwargs: dict) -> Any:
        key = f"{name}|{digest((args, kwargs))}"
        if key not in self.bank.expected:
            raise NotBanked(f"{name.partition(':')[2]} on this input is not in the example bank")
        return self.bank.expected[key]

    compute = expected


class RecordingOracles(KitOracles):
    """Kit oracles that also keep every value read (what a release's bank must hold)."""

    def __init__(self, bank: Bank):
        super().__init__(bank)
        self.read: dict[str, Any] = {}

    def expected(self, name: str, args: tuple, kwargs: dict) -> Any:
        value = super().expected(name, args, kwargs)
        self.read[f"{name}|{digest((args, kwargs))}"] = value
        return value

    def compute(self, name: str, args: tuple, kwargs: dict) -> Any:
        value = super().compute(name, args, kwargs)
        self.read[f"{name}|{digest((args, kwargs))}"] = value
        return value
