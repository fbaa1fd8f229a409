"""Is a surviving mutant equivalent? A differential test against the unmutated solution.

``classify(module, diff)`` applies cosmic-ray's diff to a copy of ``solutions/MODULE.py`` and
calls every public function of the mutated and the unmutated module on the same broad sample
of in-contract inputs (CONTRACT.md): every floating dtype the contract preserves (float16
included), int, unsigned and bool inputs, 0-d, empty and batched shapes, lists, scales from
1e-8 to 1e4 and the dtype's limits, each parameter across its range and at its boundaries
(α = 0 and 1, β < 1 and β > 1, z exactly at the threshold), every reduction and average,
zero_division 0, 1 and nan, int, integral float and bool labels (string labels are outside the
contract: docs/contract.md). The unmutated solution stands for torch and scikit-learn here: tests/test_solutions.py checks it against them.

The mutant is equivalent when, on every input, it raises where the solution raises, returns the
same type, dtype and shape, values within the grader's tolerance for the dtype
(autograder/core/checks/compare.py, nan where nan), and leaves its inputs unmodified; the
reason then says why (read from the mutated line or cosmic-ray's operator). Otherwise the first disagreement is
the reason. Invalid input (outside the contract, not graded) is never sent, so a mutant that
only changes which invalid input is refused is equivalent.

``python bench/mutation_equivalence.py MODULE DIFF_FILE`` prints the verdict as JSON.
"""

from __future__ import annotations

import copy
import importlib.util
import inspect
import json
import re
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.core.checks.compare import tolerance  # noqa: E402

FLOATS = (np.float16, np.float32, np.float64)
ALL = FLOATS + (np.int64, np.int32, np.uint8, np.bool_)
CASES = 400


def load(path: Path, name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pristine(module: str) -> str:
    """``solutions/MODULE.py`` as committed (cosmic-ray may hold a mutant in the file meanwhile)."""
    return subprocess.run(["git", "-C", str(ROOT), "show", f"HEAD:solutions/{module}.py"], check=True,
                          capture_output=True, text=True).stdout


def mutated_copy(module: str, diff: str, folder: Path) -> Path:
    """``solutions/MODULE.py`` with cosmic-ray's ``diff`` applied, in ``folder``."""
    (folder / "solutions").mkdir()
    target = folder / "solutions" / f"{module}.py"
    lines = diff.split("--- mutation diff ---\n", 1)[-1].splitlines()[2:]  # past the ---/+++ header
    hunk = [line if line else " " for line in lines if not line.startswith("@@")]  # with its context lines
    removed = [line[1:] for line in hunk if line[0] in " -"]
    added = [line[1:] for line in hunk if line[0] in " +"]
    source = pristine(module)
    old, new = "\n".join(removed) + "\n", "\n".join(added) + "\n"
    if source.count(old) != 1:  # at the end of the file, difflib shows a last empty line
        old, new = old.rstrip("\n") + "\n", new.rstrip("\n") + "\n"
    if source.count(old) != 1:
        raise ValueError(f"the mutated lines are not found once in solutions/{module}.py")
    target.write_text(source.replace(old, new), encoding="utf-8")
    return target


# -- inputs ---------------------------------------------------------------------------------------

def _values(rng: np.random.Generator, shape: tuple, dtype: Any, specials: tuple = ()) -> np.ndarray:
    """Random values of ``dtype``: several scales, the dtype's limits and ``specials`` mixed in."""
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return rng.random(shape) < 0.5
    if dtype.kind in "iu":
        low = 0 if dtype.kind == "u" else -50
        return rng.integers(low, 50, size=shape).astype(dtype)
    scale = rng.choice([1e-8, 1e-3, 1.0, 3.0, 30.0, 1e4])
    a = (rng.standard_normal(shape) * scale).astype(dtype)
    if a.size:
        finfo = np.finfo(dtype)
        pool = np.array([0.0, -0.0, 1.0, -1.0, *specials, float(finfo.max) / 2, -float(finfo.max) / 2,
                         float(finfo.tiny)], dtype=np.float64)
        with np.errstate(over="ignore"):
            pool = pool.astype(dtype)
        flat = a.reshape(-1)
        for i in rng.choice(a.size, size=min(a.size, int(rng.integers(0, 3))), replace=False):
            flat[i] = rng.choice(pool)
    return a


def _shape(rng: np.random.Generator) -> tuple:
    return [(), (0,), (1,), (5,), (3, 4), (2, 0), (2, 3, 2)][int(rng.integers(0, 7))]


def _defaults(rng: np.random.Generator, kwargs: dict) -> dict:
    """``kwargs`` with each left out (its default used) three times in ten."""
    return {k: v for k, v in kwargs.items() if rng.random() >= 0.3}


def _maybe_list(rng: np.random.Generator, a: np.ndarray) -> Any:
    return a.tolist() if a.ndim and rng.random() < 0.15 else a


def activation_inputs(name: str, rng: np.random.Generator) -> Iterator[tuple[tuple, dict]]:
    for _ in range(CASES):
        dtype = ALL[int(rng.integers(0, len(ALL)))]
        kwargs: dict = {}
        specials: tuple = ()
        if name.startswith("leaky_relu"):
            kwargs["alpha"] = float(rng.choice([0.0, 0.01, 0.2, 1.0]))
        elif name.startswith("softplus"):
            beta, threshold = float(rng.choice([0.5, 1.0, 2.0, 3.0])), float(rng.choice([1.0, 5.0, 20.0]))
            kwargs = {"beta": beta, "threshold": threshold}
            kwargs = _defaults(rng, kwargs)  # the defaults too (β = 1, threshold = 20)
            beta, threshold = kwargs.get("beta", 1.0), kwargs.get("threshold", 20.0)
            specials = (threshold / beta, -threshold / beta, np.nextafter(threshold / beta, 0),
                        (threshold - 0.5) / beta, (threshold + 0.5) / beta)
        elif name.startswith("elu"):
            kwargs["alpha"] = float(rng.choice([0.0, 0.5, 1.0, 2.0]))
        elif name.startswith("swish"):
            kwargs["beta"] = float(rng.choice([0.0, 0.5, 1.0, 2.0]))
        kwargs = _defaults(rng, kwargs)
        shape = _shape(rng)
        if name == "softmax_jacobian":
            shape = [(3,), (0, 3), (2, 3), (2, 2, 3), (1, 1), (4, 5)][int(rng.integers(0, 6))]
            dtype = FLOATS[int(rng.integers(0, 3))] if rng.random() < 0.8 else np.int64
        if name in ("softmax", "log_softmax") and len(shape) and rng.random() < 0.4:
            kwargs["axis"] = int(rng.integers(-len(shape), len(shape)))
        if rng.random() < 0.1 and not kwargs:
            yield (float(rng.standard_normal() * 10),), kwargs  # a Python scalar
            continue
        yield (_maybe_list(rng, _values(rng, shape, dtype, specials)),), kwargs


def loss_inputs(name: str, rng: np.random.Generator) -> Iterator[tuple[tuple, dict]]:
    base = name.replace("_grad", "")
    for _ in range(CASES):
        dtype = FLOATS[int(rng.integers(0, 3))]
        kwargs = {"reduction": str(rng.choice(["mean", "sum", "none"]))}
        kwargs = _defaults(rng, kwargs)
        shape = [(), (0,), (1,), (5,), (3, 4), (2, 0)][int(rng.integers(0, 6))]
        if base == "cross_entropy":
            n, c = int(rng.choice([0, 1, 3, 5])), int(rng.choice([1, 2, 4]))
            x = _values(rng, (n, c), dtype)
            if rng.random() < 0.5:
                t = rng.integers(0, c, size=n)
            else:
                p = rng.random((n, c)) ** 3
                t = (p / p.sum(axis=1, keepdims=True)).astype(dtype)
            yield (x, t), kwargs
            continue
        if base == "bce_loss":
            p = rng.random(shape)
            p[rng.random(shape) < 0.1] = 0.0
            p[rng.random(shape) < 0.1] = 1.0
            y = (rng.random(shape) < 0.5).astype(float) if rng.random() < 0.7 else rng.random(shape)
            yield (p.astype(dtype), y.astype(dtype)), kwargs
            continue
        x = _values(rng, shape, dtype)
        if base == "bce_with_logits":
            y = ((rng.random(shape) < 0.5) if rng.random() < 0.7 else rng.random(shape)).astype(dtype)
            if len(shape) and rng.random() < 0.5:
                choice = rng.random()
                kwargs["pos_weight"] = (float(rng.choice([0.5, 1.0, 3.0])) if choice < 0.3 else
                                        (rng.random(shape[-1:]) * 4 + 0.1).astype(dtype))
            yield (x, y), kwargs
            continue
        target = _values(rng, shape, dtype) if rng.random() < 0.8 else x.copy()
        if base == "gaussian_nll":
            var = (float(rng.choice([1.0, 0.1, 4.0])) if rng.random() < 0.5 else
                   (rng.random(shape) * 3 + 1e-3).astype(dtype))
            yield (x, target), {**kwargs, "var": var}
            continue
        yield (_maybe_list(rng, x), target), kwargs


def _labels(rng: np.random.Generator, n: int, classes: list) -> np.ndarray:
    return np.array([classes[i] for i in rng.integers(0, len(classes), size=n)])


def metric_inputs(name: str, rng: np.random.Generator) -> Iterator[tuple[tuple, dict]]:
    for _ in range(CASES):
        n = int(rng.choice([1, 2, 3, 7, 20]))
        if name in ("mean_squared_error", "mean_absolute_error", "r2_score"):
            dtype = ALL[int(rng.integers(0, len(ALL)))]
            y = _values(rng, (n,), dtype)
            y = y[np.isfinite(y)] if y.dtype.kind == "f" else y
            y = y if y.size else np.ones(1, dtype)
            p = _values(rng, y.shape, ALL[int(rng.integers(0, len(ALL)))] if rng.random() < 0.3 else dtype)
            p = np.where(np.isfinite(p), p, 0).astype(p.dtype) if p.dtype.kind == "f" else p
            if rng.random() < 0.15:
                y = np.full_like(y, y.reshape(-1)[0])  # constant y_true
            if rng.random() < 0.15:
                p = y.copy()  # a perfect prediction
            yield (_maybe_list(rng, y), _maybe_list(rng, p)), {}
            continue
        kind = rng.random()
        classes = ([0, 1] if kind < 0.4 else [0, 1, 2, 3] if kind < 0.55 else [5, 7, 9] if kind < 0.7
                   else [0.0, 1.0, 2.0] if kind < 0.85 else [False, True])  # string labels: outside the contract
        y, p = _labels(rng, n, classes), _labels(rng, n, classes)
        if rng.random() < 0.2:
            p = np.full_like(p, classes[0])  # no predicted positive: zero_division
        kwargs: dict = {}
        if name == "confusion_matrix":
            if rng.random() < 0.4:
                extra = None if isinstance(classes[0], bool) else 11
                chosen = list(rng.permutation(np.array(classes, dtype=object)))
                kwargs["labels"] = chosen + ([extra] if extra is not None and rng.random() < 0.5 else [])
            yield (_maybe_list(rng, y), _maybe_list(rng, p)), kwargs
            continue
        if name != "accuracy_score":
            average = str(rng.choice(["binary", "micro", "macro", "weighted"]))
            if average == "binary" and len(classes) > 2:
                average = "macro"
            kwargs = {"average": average, "zero_division": float(rng.choice([0.0, 1.0, np.nan]))}
            if average == "binary":
                kwargs["pos_label"] = classes[int(rng.integers(0, 2))] if rng.random() < 0.3 else classes[1]
            defaults = {"average": "binary", "pos_label": 1, "zero_division": 0.0}
            kwargs = {k: v for k, v in kwargs.items()
                      if not (k in defaults and v is defaults[k] or v == defaults.get(k, object())) or rng.random() < 0.5}
            if name == "fbeta_score":
                kwargs["beta"] = float(rng.choice([0.0, 0.5, 1.0, 2.0]))
        yield (_maybe_list(rng, y), _maybe_list(rng, p)), kwargs


GENERATORS: dict[str, Callable] = {"activations": activation_inputs, "losses": loss_inputs,
                                   "metrics": metric_inputs}


# -- comparing ------------------------------------------------------------------------------------

def _call(f: Callable, args: tuple, kwargs: dict) -> tuple[str, Any, bool]:
    """('ok', result, inputs unmodified) or ('raise', exception class name, True)."""
    args_copy, kwargs_copy = copy.deepcopy(args), copy.deepcopy(kwargs)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            out = f(*args_copy, **kwargs_copy)
    except Exception as exc:  # noqa: BLE001 - any exception is an outcome to compare
        return "raise", type(exc).__name__, True
    same = all(_equal_exact(a, b) for a, b in zip((*args, *kwargs.values()), (*args_copy, *kwargs_copy.values())))
    return "ok", out, same


def _equal_exact(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=np.asarray(a).dtype.kind == "f")
    return a == b or (a != a and b != b)


def differ(got: Any, want: Any) -> str | None:
    """Why ``got`` (the mutant's result) is not ``want`` (the solution's), or None."""
    if type(got) is not type(want) and not (isinstance(got, np.generic) and isinstance(want, np.generic)):
        return f"returns {type(got).__name__}, the solution {type(want).__name__}"
    g, w = np.asarray(got), np.asarray(want)
    if g.dtype != w.dtype:
        return f"dtype {g.dtype}, the solution's {w.dtype}"
    if g.shape != w.shape:
        return f"shape {g.shape}, the solution's {w.shape}"
    if w.dtype.kind in "fc":
        rtol, atol = tolerance(w.dtype)
        close = np.isclose(g, w, rtol=rtol, atol=atol, equal_nan=True) | (g == w)
    else:
        close = g == w
    if not np.all(close):
        i = int(np.argmin(close.reshape(-1)))
        return f"value {g.reshape(-1)[i]!r} where the solution gives {w.reshape(-1)[i]!r}"
    return None


def classify_file(module: str, mutated: Path, seed: int = 0) -> tuple[bool, str]:
    """(equivalent, one-line reason) for the mutated file of ``module``."""
    with tempfile.TemporaryDirectory() as tmp:
        clean = Path(tmp) / f"{module}.py"
        clean.write_text(pristine(module), encoding="utf-8")
        original = load(clean, f"original_{module}")
    mutant = load(mutated, f"mutant_{module}")
    generate = GENERATORS[module]
    functions = [n for n, f in inspect.getmembers(original, inspect.isfunction)
                 if not n.startswith("_") and f.__module__ == original.__name__]
    touched = []
    for name in functions:
        rng = np.random.default_rng([seed, sum(map(ord, name))])
        for args, kwargs in generate(name, rng):
            want_kind, want, _ = _call(getattr(original, name), args, kwargs)
            got_kind, got, unmodified = _call(getattr(mutant, name), args, kwargs)
            shown = f"{name}(*{_short(args)}, **{_short(kwargs)})"
            if got_kind != want_kind or (got_kind == "raise" and got != want):
                what = f"raises {got}" if got_kind == "raise" else "returns a value"
                where = f"raises {want}" if want_kind == "raise" else "returns a value"
                return False, f"{shown}: the mutant {what} where the solution {where}"
            if got_kind == "ok":
                why = differ(got, want)
                if why:
                    return False, f"{shown}: {why}"
                if not unmodified:
                    return False, f"{shown}: modifies its input"
        touched.append(name)
    return True, f"agrees with the solution (dtype's tolerance) on {CASES} in-contract inputs x {len(touched)} functions"


def _short(value: Any) -> str:
    with np.printoptions(threshold=8, precision=4):
        text = repr(value)
    return " ".join(text.split())[:160]


WHY = {  # what makes a mutation of this kind harmless, for an equivalent mutant's one-line reason
    "Eq_Is": "`is` for `==` on small ints (ndim, lengths), which CPython interns: the same truth value",
    "NotEq_IsNot": "`is not` for `!=` on small ints, which CPython interns: the same truth value",
    "Gt_GtE": "`>=` for `>` at a point where both branches give the same value",
    "GtE_Gt": "`>` for `>=` at a point where both branches give the same value",
    "Lt_LtE": "`<=` for `<` at a point where both branches give the same value",
    "LtE_Lt": "`<` for `<=` at a point where both branches give the same value",
    "NumberReplacer": "a constant changed where it cannot reach the result beyond the dtype's tolerance",
    "USub_UAdd": "a sign dropped where the value is symmetric or squared",
    "Delete_USub": "a sign dropped where the value is symmetric or squared",
}


PATTERNS = {  # the same, recognised in the mutated line itself (first match wins)
    r"threshold: float = (19|21)\.0": "softplus's default threshold 19 or 21 for 20: there ln(1+e^z) and z differ "
                                      "by e^-19 (relative 3e-10), below every dtype's tolerance",
    r'average <= "binary"': "`<=` for `==` between strings: the valid averages other than 'binary' all sort after "
                            "it, only invalid ones (outside the contract) differ",
    r'reduction <= "mean"': "`<=` for `==` between strings: 'none' and 'sum' both sort after 'mean'",
    r"ss_res <= 0": "ss_res is a sum of squares, never negative: `<= 0` is `== 0`",
    r"np\.where\(defined, denominator, 0\)": "divides by 0 only where zero_division replaces the ratio: the same "
                                             "values (a 0/0 RuntimeWarning, which the metrics do not promise to avoid)",
    r"arrays\[0\]\.size|a\.ndim|a\.shape\[|a\.size == 0|a\.dtype\.kind|classes=False|classes=True":
        "changes only which invalid input (outside the contract, not graded) _vectors refuses",
    r"axis=\+?1\b": "axis 1 for -1 where the contract's input is 2-D (N, C): the same axis",
    r"\bis(?: not)?\b.*ndim|ndim.*\bis(?: not)?\b": "`is` for `==` between ndim values, small ints CPython "
                                                     "interns: the same truth value",
}


def why(operator: str, diff: str = "") -> str:
    """The usual reason a mutation of ``operator`` (cosmic-ray's name) on the line the ``diff``
    adds changes nothing."""
    added = " ".join(line for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++"))
    for pattern, text in PATTERNS.items():
        if re.search(pattern, added):
            return text + "; "
    for key, text in WHY.items():
        if operator.endswith(key):
            return text + "; "
    return ""


def classify(module: str, diff: str, timeout: float = 300.0) -> tuple[bool, str]:
    """(equivalent, reason) for cosmic-ray's ``diff`` of ``module``, decided in a subprocess."""
    with tempfile.TemporaryDirectory() as tmp:
        diff_file = Path(tmp) / "mutant.diff"
        diff_file.write_text(diff, encoding="utf-8")
        try:
            done = subprocess.run([sys.executable, __file__, module, str(diff_file)], capture_output=True,
                                  text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return False, f"the differential test did not finish in {timeout:g} s (a hang counts as a change)"
    if done.returncode:
        return False, f"the differential test failed: {done.stderr.strip().splitlines()[-1:]}"
    verdict = json.loads(done.stdout.strip().splitlines()[-1])
    return verdict["equivalent"], verdict["reason"]


def main(argv: list[str]) -> None:
    module, diff_file = argv
    with tempfile.TemporaryDirectory() as tmp:
        mutated = mutated_copy(module, Path(diff_file).read_text(encoding="utf-8"), Path(tmp))
        equivalent, reason = classify_file(module, mutated)
    print(json.dumps({"equivalent": equivalent, "reason": reason}))


if __name__ == "__main__":
    main(sys.argv[1:])
