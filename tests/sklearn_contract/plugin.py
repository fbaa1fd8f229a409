"""A pytest plugin: scikit-learn's own metric tests, run against the kit's metrics.

    python -m pytest -p sklearn_contract.plugin --kit-metrics reference \\
        --pyargs sklearn.metrics.tests.test_classification sklearn.metrics.tests.test_regression \\
        sklearn.metrics.tests.test_common

Before the test files are imported, each function of the contract's metrics.py is replaced in
``sklearn.metrics`` by a wrapper (so the tests' ``from sklearn.metrics import f1_score`` gets
it). The wrapper decides from the call itself whether it is within the contract
(``out_of_contract``, the listed rule below); a call outside skips the whole test ("out of
contract: <reason>"), a call within returns the kit's value (``reference/`` or ``solutions/``,
``--kit-metrics``). What the contract does not promise is scikit-learn's: the warnings a call
gives (scikit-learn's are re-emitted, so ``pytest.warns`` tests judge the values), and the
exception's type and words when both refuse (scikit-learn's is raised: that both refuse is the
contract's, with ValueError; a call where only the kit refuses raises the kit's error, and one
where only scikit-learn refuses returns the kit's value, for the test to judge), and the type
of a score (the contract returns a numpy scalar, float32 for float32 inputs, where scikit-learn
returns a Python float: a 0-d value is handed over as a Python float, its value kept; the
contract's types are checked by tests/test_reference_metrics.py).

Tests parametrized with a metric (a function, a partial, or a name of test_common's
``ALL_METRICS``) that is not a contract metric, or a partial whose keywords fall outside the
rule, are deselected before they run (``_parametrized_metric``: the parameters are inspected,
not the test names).

The rule, in order (``RULE``): a keyword argument not in the contract's signature
(sample_weight, normalize, multioutput, labels= for the scores, ...); more positional arguments
than the signature has; ``average`` outside 'binary', 'micro', 'macro', 'weighted' ('samples',
None); ``zero_division`` not a number ('warn' given explicitly); data that is not a 1-D
sequence of numbers (strings or objects as labels, multilabel or multioutput 2-D arrays, sparse
matrices), where an (N, 1) column counts as 1-D as in scikit-learn; a ``pos_label`` or
``labels`` that are not numbers.

At the end the plugin prints how many tests called a contract metric and how they ended:
``kit metrics (reference): N ran, N passed, N failed; N skipped out of contract; N called no
contract metric``.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import numbers
import warnings
from typing import Any, Callable

import numpy as np
import pytest

from autograder.contract import functions

RULE = (
    "a keyword argument not in the contract's signature",
    "more positional arguments than the contract's signature",
    "average outside 'binary', 'micro', 'macro', 'weighted'",
    "zero_division not a number (0.0, 1.0, nan)",
    "data not a 1-D sequence of numbers (an (N, 1) column counts as 1-D)",
    "pos_label or labels not numbers",
)
AVERAGES = ("binary", "micro", "macro", "weighted")
_CALLED: dict[str, str] = {}  # test id -> "in" (a contract call ran) or the out-of-contract reason
_CURRENT: list[str] = []
_DESELECTED: dict[str, int] = {}  # "out of contract" / "no contract metric" -> tests deselected


def pytest_addoption(parser: Any) -> None:
    parser.addoption("--kit-metrics", default="reference",
                     help="whose metrics.py replaces sklearn.metrics' contract functions: reference, "
                          "solutions, or the path of a metrics.py")


def _numbers(value: Any, what: str, column: bool = True) -> str:
    """'' when ``value`` is a 1-D sequence of numbers (or an (N, 1) column), else why not."""
    if hasattr(value, "toarray") or type(value).__module__.startswith("scipy.sparse"):
        return f"{what} is a sparse matrix"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            array = np.asarray(value)
    except (TypeError, ValueError):
        return f"{what} is not an array of numbers"
    if array.dtype.kind not in "biuf":
        return f"{what} holds {array.dtype} values, not numbers"
    if array.ndim > 1 and not (column and array.ndim == 2 and array.shape[1] == 1):
        return f"{what} has shape {array.shape} (multilabel or multioutput)"
    return ""


def out_of_contract(entry: Any, args: tuple, kwargs: dict) -> str:
    """Why a call of the contract function ``entry`` is outside the contract ('' when within)."""
    names = [p.name for p in entry.params]
    allowed = set(entry.arguments) | set(names)
    for key in kwargs:
        if key not in allowed:
            return f"keyword {key}="
    if len(args) > len(entry.arguments) + len(names):
        return f"{len(args)} positional arguments"
    bound = {**dict(zip(list(entry.arguments) + names, args)), **kwargs}
    average = bound.get("average", "binary")
    if not (isinstance(average, str) and average in AVERAGES):
        return f"average={average!r}"
    zero = bound.get("zero_division", 0.0)
    if isinstance(zero, bool) or not isinstance(zero, numbers.Real):
        return f"zero_division={zero!r}"
    for name in entry.arguments:
        if name in bound:
            reason = _numbers(bound[name], name)
            if reason:
                return reason
    pos_label = bound.get("pos_label", 1)
    if isinstance(pos_label, bool) or not isinstance(pos_label, numbers.Number):
        return f"pos_label={pos_label!r}"
    if bound.get("labels") is not None:
        reason = _numbers(bound["labels"], "labels", column=False)
        if reason:
            return reason
    beta = bound.get("beta")
    if beta is not None and (isinstance(beta, bool) or not isinstance(beta, numbers.Real)):
        return f"beta={beta!r}"
    return ""


def _wrapper(entry: Any, original: Callable, ours: Callable) -> Callable:
    @functools.wraps(original)
    def call(*args: Any, **kwargs: Any) -> Any:
        reason = out_of_contract(entry, args, kwargs)
        if reason:
            if _CURRENT:
                _CALLED[_CURRENT[-1]] = reason
            pytest.skip(f"out of contract: {entry.name}: {reason}")
        if _CURRENT:
            _CALLED.setdefault(_CURRENT[-1], "in")
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            try:
                theirs = original(*args, **kwargs)
                refused = None
            except Exception as error:  # noqa: BLE001  (whatever scikit-learn raises)
                theirs, refused = None, error
        try:
            value = ours(*args, **kwargs)
        except Exception:
            if refused is not None:
                raise refused from None  # both refuse: scikit-learn's words
            raise
        for warning in said:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
        if type(theirs) is float and isinstance(value, np.generic | np.ndarray) and np.ndim(value) == 0:
            return float(value)  # the contract's numpy scalar, in scikit-learn's type (its value kept)
        return value
    return call


def _kit_module(target: str) -> Any:
    if not target.endswith(".py"):
        return importlib.import_module(f"{target}.metrics")
    spec = importlib.util.spec_from_file_location("kit_metrics_under_test", target)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pytest_configure(config: Any) -> None:
    import sklearn.metrics

    target = config.getoption("--kit-metrics")
    config._kit_target = target
    module = _kit_module(target)
    for entry in functions("metrics"):
        original = getattr(sklearn.metrics, entry.sklearn)
        if getattr(original, "_kit_entry", None) is not None:
            continue
        wrapped = _wrapper(entry, original, getattr(module, entry.name))
        wrapped._kit_entry = entry
        setattr(sklearn.metrics, entry.sklearn, wrapped)


def _parametrized_metric(item: Any) -> str:
    """Why a test parametrized with a metric (a function, a partial of one, or a name of the test
    module's ``ALL_METRICS``) calls no contract metric within the contract ('' when it may)."""
    table = getattr(getattr(item, "module", None), "ALL_METRICS", {})
    for value in getattr(getattr(item, "callspec", None), "params", {}).values():
        metric = table.get(value) if isinstance(value, str) and isinstance(table, dict) else value
        if not callable(metric):
            continue
        base, keywords = (metric.func, metric.keywords) if isinstance(metric, functools.partial) else (metric, {})
        entry = getattr(base, "_kit_entry", None)
        if entry is not None:
            reason = out_of_contract(entry, (), dict(keywords))
            if reason:
                return f"out of contract: {entry.name}: {reason}"
        elif getattr(base, "__module__", "").startswith("sklearn.metrics"):
            return "no contract metric"
    return ""


def pytest_collection_modifyitems(session: Any, config: Any, items: list) -> None:
    """Deselect the tests parametrized with a metric outside the contract (inspecting the
    parameters: the metric and the keywords the test will call it with)."""
    keep, dropped = [], []
    for item in items:
        reason = _parametrized_metric(item)
        (dropped if reason else keep).append(item)
        if reason:
            _DESELECTED[reason.split(":")[0]] = _DESELECTED.get(reason.split(":")[0], 0) + 1
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: Any):
    _CURRENT.append(item.nodeid)
    try:
        yield
    finally:
        _CURRENT.pop()


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: Any) -> None:
    outcomes: dict[str, str] = {}
    for kind in ("passed", "failed", "skipped"):
        for report in terminalreporter.stats.get(kind, []):
            if report.when == "call" or kind != "passed":
                outcomes.setdefault(report.nodeid, kind)
    called = {n for n, how in _CALLED.items() if how == "in"}
    ran = [n for n in outcomes if n in called and outcomes[n] in ("passed", "failed")]
    passed = sum(outcomes[n] == "passed" for n in ran)
    failed = [n for n in ran if outcomes[n] == "failed"]
    outside = sum(1 for n, how in _CALLED.items() if how != "in" and outcomes.get(n) == "skipped")
    none = sum(1 for n in outcomes if n not in _CALLED)
    terminalreporter.write_line(
        f"kit metrics ({config._kit_target}): {len(ran)} ran, {passed} passed, {len(failed)} failed; "
        f"{outside} skipped out of contract; {none} called no contract metric; deselected: "
        f"{_DESELECTED.get('out of contract', 0)} out of contract, {_DESELECTED.get('no contract metric', 0)} "
        "parametrized with another metric")
    for nodeid in failed:
        terminalreporter.write_line(f"kit metrics failed: {nodeid}")
