"""The exercise contract as data: every module, function, signature and convention students meet.

This registry is the one place the student API is written down. The reference, the solutions,
the stubs and notebooks (``dlgrade assign``), the checks catalogue, the tests' tables and
``docs/contract.md`` all derive from it or are checked against it (``tests/test_contract.py``
fails, naming what is missing, when a function here lacks a reference, a solution, a notebook
text or checks).

An entry says what a function is (``kind``), its arguments after the data arguments of its
module (``params``: name, default, the values the checks exercise), its PyTorch or
scikit-learn counterpart, where its derivative is fixed by convention (``exact``: the kinks),
and its dtype rule (``returns``). ``BORDERS`` says what input outside the contract gets (the
metrics: scikit-learn's ValueError), which students are not graded on. Check weights and
strategies live in the catalogue
(``autograder/core/checks``), which builds every check of an entry from its kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

MODULES = ("activations", "losses", "metrics")
# the data arguments every function of a module takes first, in order
DATA_ARGUMENTS = {"activations": ("z",), "losses": ("input", "target"), "metrics": ("y_true", "y_pred")}
REQUIRED = object()  # the default of a parameter that has none (fbeta_score's beta)


@dataclass(frozen=True)
class Param:
    """A parameter after the data arguments: its default and the values the checks try."""

    name: str
    default: Any = REQUIRED
    checked: tuple = ()  # non-default values the parameter checks exercise

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


@dataclass(frozen=True)
class Function:
    """One function of the student API."""

    module: str
    name: str
    kind: str  # "activation", "derivative", "layer", "jacobian", "loss", "loss_grad", "metric"
    formula: str  # one line, as CONTRACT.md gives it
    params: tuple[Param, ...] = ()
    counterpart: str = ""  # the PyTorch or scikit-learn function it matches
    torch: Callable | None = None  # the forward on tensors: (t, **params) or (input, target, ...)
    sklearn: str = ""  # the name in sklearn.metrics
    derivative_of: str = ""  # for a derivative: its forward function's name
    exact: tuple[tuple[tuple[float, ...], dict], ...] = ()  # (points, params) with a fixed derivative
    inputs: str = ""  # losses and metrics: the kind of data they take (strategies and cases)
    dtype: str = "float"  # "float": float dtype kept, int/bool give float64; "int": integer result
    note: str = ""

    @property
    def qualified(self) -> str:
        return f"{self.module}.{self.name}"

    @property
    def returns(self) -> str:
        """What the function returns: shape and dtype (``RETURNS``, by kind and data)."""
        if self.module == "metrics":
            return RETURNS["metric:" + ("int" if self.dtype == "int" else self.inputs)]
        return RETURNS[self.kind]

    @property
    def arguments(self) -> tuple[str, ...]:
        return DATA_ARGUMENTS[self.module]

    def signature(self) -> str:
        """``name(z, alpha=0.01)``: the contract's signature, as students write it."""
        parts = list(self.arguments)
        parts += [p.name if p.required else f"{p.name}={p.default!r}" for p in self.params]
        return f"{self.name}({', '.join(parts)})"

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)


class _Lazy:
    """torch (or one of its modules), imported on first use: the registry is data, and grading
    a correct submission from the example bank never needs torch."""

    def __init__(self, path: str):
        self._path = path

    def __getattr__(self, name: str):
        import importlib
        return getattr(importlib.import_module(self._path), name)


torch = _Lazy("torch")
F = _Lazy("torch.nn.functional")

# what each kind of function returns: "float dtype kept" = float32 in, float32 out; float64 in,
# float64 out; int and bool in, float64 out (tests/test_reference_*.py check the reference keeps it)
RETURNS = {
    "activation": "ndarray of z's shape, float dtype kept",
    "derivative": "ndarray of z's shape, float dtype kept",
    "layer": "ndarray of z's shape, float dtype kept",
    "jacobian": "ndarray of shape (..., C, C), float dtype kept",
    "loss": "0-d ndarray ('mean', 'sum') or the per-element / per-sample losses ('none'), "
            "input's float dtype kept",
    "loss_grad": "ndarray of input's shape, float dtype kept",
    "metric:regression": "numpy scalar, float dtype kept (float32 when both inputs are float32, else float64)",
    "metric:labels": "numpy float64 scalar",
    "metric:scores": "numpy float64 scalar",
    "metric:int": "int64 ndarray of shape (L, L)",
}


@dataclass(frozen=True)
class Border:
    """What input outside the contract gets: ``case`` (which functions), ``gets``."""

    case: str
    functions: str
    gets: str


# The contract's borders: what invalid input gets (scikit-learn's ValueError for the metrics).
# Students are NOT graded on them (no check sends invalid input); reference/ and solutions/ keep
# them, and CI runs scikit-learn's own metric tests against both (tests/test_sklearn_own_tests.py).
BORDERS = (
    Border("an empty y_true or y_pred", "every metric", "ValueError"),
    Border("y_true and y_pred of different lengths", "every metric", "ValueError"),
    Border("nan or inf in y_true or y_pred (labels or targets)", "every metric", "ValueError"),
    Border("a 2-D input other than an (N, 1) column (multilabel, multioutput)", "every metric",
           "ValueError: outside the contract"),
    Border("an (N, 1) column", "every metric", "read as (N,), as scikit-learn does; never broadcast against (N,)"),
    Border("non-numeric targets", "mean_squared_error, mean_absolute_error, r2_score", "ValueError"),
    Border("continuous (non-integral float) labels, e.g. probabilities given as predictions",
           "accuracy_score, confusion_matrix, the scores", "ValueError"),
    Border("labels= empty, or none of its labels in y_true", "confusion_matrix", "ValueError"),
    Border("average='binary' with more than two labels, or a pos_label absent where two labels are present",
           "precision_score, recall_score, fbeta_score, f1_score", "ValueError"),
    Border("average or zero_division outside the listed values", "precision_score, recall_score, fbeta_score, "
           "f1_score", "ValueError"),
    Border("fewer than two samples", "r2_score", "nan, as scikit-learn (not an error)"),
    Border("string labels, sample_weight, multilabel data, average='samples' or None, multioutput",
           "every metric", "outside the contract: neither graded nor promised"),
)

REDUCTION = Param("reduction", "mean", ("sum", "none"))
AVERAGE = Param("average", "binary", ("micro", "macro", "weighted"))
POS_LABEL = Param("pos_label", 1, (0, 2))
ZERO_DIVISION = Param("zero_division", 0.0, (1.0, float("nan")))
SCORE_PARAMS = (AVERAGE, POS_LABEL, ZERO_DIVISION)


def _activation(name: str, formula: str, derivative: str, torch_fn: Callable, counterpart: str,
                params: tuple[Param, ...] = (), exact: tuple = (), note: str = "") -> tuple[Function, Function]:
    """An elementwise activation and its derivative (``name_grad``), same parameters."""
    return (Function("activations", name, "activation", formula, params, counterpart, torch_fn, note=note),
            Function("activations", f"{name}_grad", "derivative", derivative, params, counterpart, torch_fn,
                     derivative_of=name, exact=exact))


def _gaussian_torch(x, t, var=1.0, reduction="mean"):
    """GaussianNLLLoss(full=True) with ``var`` broadcast to the input's shape (torch wants it)."""
    var = torch.as_tensor(var, dtype=torch.float64).expand(x.shape)
    return torch.nn.GaussianNLLLoss(full=True, eps=1e-300, reduction=reduction)(x, t, var)


FUNCTIONS: tuple[Function, ...] = (
    *_activation("sigmoid", "1/(1+e^-z)", "σ(z)(1-σ(z))", lambda t: torch.sigmoid(t), "torch.sigmoid"),
    *_activation("tanh", "(e^z-e^-z)/(e^z+e^-z) = 2σ(2z)-1", "1-tanh(z)²", lambda t: torch.tanh(t),
                 "torch.tanh", note="the slide's tanh' = 1-σ(z)² is wrong"),
    *_activation("relu", "max(0, z)", "0 for z ≤ 0, 1 for z > 0", lambda t: F.relu(t),
                 "torch.nn.functional.relu", exact=(((0.0,), {}),), note="relu'(0) = 0"),
    *_activation("leaky_relu", "max(αz, z) for 0 ≤ α ≤ 1", "α for z ≤ 0, 1 for z > 0",
                 lambda t, alpha=0.01: F.leaky_relu(t, alpha), "torch.nn.functional.leaky_relu",
                 (Param("alpha", 0.01, (0.0, 0.05, 0.2, 0.5, 1.0)),),
                 exact=(((0.0,), {}), ((0.0,), {"alpha": 0.2})), note="leaky_relu'(0) = α"),
    *_activation("softplus", "(1/β)·ln(1+e^(βz)), and z itself where βz > threshold",
                 "σ(βz), and 1 where βz > threshold",
                 lambda t, beta=1.0, threshold=20.0: F.softplus(t, beta, threshold),
                 "torch.nn.functional.softplus",
                 (Param("beta", 1.0, (0.5, 2.0, 3.0)), Param("threshold", 20.0, (5.0, 10.0, 30.0))),
                 exact=(((20.0, 20.000001, 19.99999), {}),
                        ((10.0, 5.0, 2.5, 30.0), {"beta": 2.0, "threshold": 10.0}),
                        ((10.0, 5.0, 2.5, 30.0), {"beta": 1.0, "threshold": 5.0}))),
    *_activation("elu", "α(e^z-1) for z ≤ 0, z for z > 0", "αe^z for z ≤ 0, 1 for z > 0",
                 lambda t, alpha=1.0: F.elu(t, alpha), "torch.nn.functional.elu",
                 (Param("alpha", 1.0, (0.1, 0.5, 2.0)),), exact=(((0.0,), {}), ((0.0,), {"alpha": 0.5})),
                 note="elu'(0) = α"),
    *_activation("selu", "λ·elu(z, α), λ = 1.0507009873554804934193349852946, "
                 "α = 1.6732632423543772848170429916717", "λαe^z for z ≤ 0, λ for z > 0",
                 lambda t: F.selu(t), "torch.nn.functional.selu", exact=(((0.0,), {}),),
                 note="full-precision constants; selu'(0) = λα"),
    *_activation("swish", "z·σ(βz)", "σ(βz) + βz·σ(βz)(1-σ(βz))",
                 lambda t, beta=1.0: t * torch.sigmoid(beta * t), "torch.nn.functional.silu (β = 1)",
                 (Param("beta", 1.0, (0.5, 2.0, 3.0)),)),
    *_activation("linear", "z", "1", lambda t: t, "identity"),
    Function("activations", "softmax", "layer", "e^z_i / Σ_j e^z_j along axis", (Param("axis", -1),),
             "torch.softmax", lambda t, axis=-1: torch.softmax(t, dim=axis), note="acts on the whole layer"),
    Function("activations", "log_softmax", "layer", "z_i - logsumexp(z) along axis", (Param("axis", -1),),
             "torch.log_softmax", lambda t, axis=-1: torch.log_softmax(t, dim=axis),
             note="finite where log(softmax) underflows"),
    Function("activations", "softmax_jacobian", "jacobian", "(..., C) → (..., C, C): diag(s) - s sᵀ, s = softmax(z)",
             (), "torch.autograd.functional.jacobian of torch.softmax", lambda t: torch.softmax(t, -1),
             note="batched"),
    Function("losses", "gaussian_nll", "loss", "½·(ln(2π·var) + (target-input)²/var)",
             (Param("var", 1.0), REDUCTION), "torch.nn.GaussianNLLLoss(full=True)", _gaussian_torch,
             inputs="regression"),
    Function("losses", "mse_loss", "loss", "(input-target)²", (REDUCTION,), "torch.nn.functional.mse_loss",
             lambda x, t, reduction="mean": F.mse_loss(x, t, reduction=reduction), inputs="regression"),
    Function("losses", "mse_loss_grad", "loss_grad", "2·(input-target), /N for 'mean'", (REDUCTION,),
             "autograd of torch.nn.functional.mse_loss",
             lambda x, t, reduction="mean": F.mse_loss(x, t, reduction=reduction),
             derivative_of="mse_loss", inputs="regression"),
    Function("losses", "bce_loss", "loss", "-[y·ln p + (1-y)·ln(1-p)], each log clamped at ≥ -100",
             (REDUCTION,), "torch.nn.functional.binary_cross_entropy",
             lambda x, t, reduction="mean": F.binary_cross_entropy(x, t, reduction=reduction),
             inputs="probability"),
    Function("losses", "bce_with_logits", "loss", "-[w·y·ln σ(x) + (1-y)·ln(1-σ(x))], stable for any finite x",
             (Param("pos_weight", None), REDUCTION), "torch.nn.functional.binary_cross_entropy_with_logits",
             lambda x, t, pos_weight=None, reduction="mean": F.binary_cross_entropy_with_logits(
                 x, t, pos_weight=pos_weight, reduction=reduction), inputs="logits"),
    Function("losses", "bce_with_logits_grad", "loss_grad", "σ(x)·(w·y + 1 - y) - w·y, /N for 'mean'",
             (Param("pos_weight", None), REDUCTION), "autograd of binary_cross_entropy_with_logits",
             lambda x, t, pos_weight=None, reduction="mean": F.binary_cross_entropy_with_logits(
                 x, t, pos_weight=pos_weight, reduction=reduction),
             derivative_of="bce_with_logits", inputs="logits"),
    Function("losses", "cross_entropy", "loss", "-Σ_c t_c·log_softmax(x)_c on (N, C) logits", (REDUCTION,),
             "torch.nn.functional.cross_entropy",
             lambda x, t, reduction="mean": F.cross_entropy(x, t, reduction=reduction), inputs="classes",
             note="target: int class indices (N,) or probabilities (N, C); 'none' gives (N,)"),
    Function("losses", "cross_entropy_grad", "loss_grad", "(softmax(x) - t), /N for 'mean'", (REDUCTION,),
             "autograd of torch.nn.functional.cross_entropy",
             lambda x, t, reduction="mean": F.cross_entropy(x, t, reduction=reduction),
             derivative_of="cross_entropy", inputs="classes"),
    Function("metrics", "mean_squared_error", "metric", "mean((y_true - y_pred)²)", (), "sklearn.metrics",
             sklearn="mean_squared_error", inputs="regression"),
    Function("metrics", "mean_absolute_error", "metric", "mean(|y_true - y_pred|)", (), "sklearn.metrics",
             sklearn="mean_absolute_error", inputs="regression"),
    Function("metrics", "r2_score", "metric", "1 - SS_res/SS_tot", (), "sklearn.metrics", sklearn="r2_score",
             inputs="regression", note="constant y_true: 1.0 if the prediction is perfect, else 0.0"),
    Function("metrics", "accuracy_score", "metric", "fraction of y_pred == y_true", (), "sklearn.metrics",
             sklearn="accuracy_score", inputs="labels"),
    Function("metrics", "confusion_matrix", "metric", "C[i, j] = #(y_true = labels[i], y_pred = labels[j])",
             (Param("labels", None),), "sklearn.metrics", sklearn="confusion_matrix", inputs="labels",
             dtype="int", note="labels sorted ascending unless given"),
    Function("metrics", "precision_score", "metric", "TP / (TP + FP)", SCORE_PARAMS, "sklearn.metrics",
             sklearn="precision_score", inputs="scores"),
    Function("metrics", "recall_score", "metric", "TP / (TP + FN)", SCORE_PARAMS, "sklearn.metrics",
             sklearn="recall_score", inputs="scores"),
    Function("metrics", "fbeta_score", "metric", "(1+β²)·P·R / (β²·P + R)",
             (Param("beta", REQUIRED, (0.5, 2.0)), *SCORE_PARAMS), "sklearn.metrics", sklearn="fbeta_score",
             inputs="scores"),
    Function("metrics", "f1_score", "metric", "fbeta_score with β = 1", SCORE_PARAMS, "sklearn.metrics",
             sklearn="f1_score", inputs="scores"),
)

BY_NAME: dict[str, Function] = {f.qualified: f for f in FUNCTIONS}


def functions(module: str | None = None) -> tuple[Function, ...]:
    """The functions of ``module`` (or all), in the contract's order."""
    return tuple(f for f in FUNCTIONS if module is None or f.module == module)


def function(qualified: str) -> Function:
    """The entry of ``"activations.sigmoid"``."""
    return BY_NAME[qualified]


@dataclass(frozen=True)
class Erratum:
    slide: str
    written: str
    correct: str


ERRATA = (
    Erratum("tanh", "φ'(z) = 1 - σ(z)²", "φ'(z) = 1 - tanh(z)²"),
    Erratum("Swish", "φ'(x) = βxσ(βx) + (σ(βx)(1 βσ(βx))) (garbled)", "σ(βx) + βx·σ(βx)(1-σ(βx))"),
    Erratum("ELU", "φ'(x) = α(e^x-1)+α for x ≤ 0", "equal to αe^x: correct, but students often drop the +α"),
    Erratum("SoftPlus", "φ'(x) = σ(x) \"for β = 1\"", "σ(βx) in general, 1 above the threshold"),
    Erratum("R²", "SS_res / SS_tot", "1 - SS_res / SS_tot"),
    Erratum("i.i.d.", "\"each attribute x_j is independent\"",
            "the samples (x⁽ⁱ⁾, y⁽ⁱ⁾) are independent and identically distributed"),
)

__all__ = ["Function", "Param", "Border", "FUNCTIONS", "MODULES", "DATA_ARGUMENTS", "REQUIRED", "ERRATA",
           "BORDERS", "RETURNS", "functions", "function"]
