"""What a check is, as data: a ``Check`` record of ``Step`` records, and what running one gives.

A ``Check`` is one separately weighted property of one contract function: its function, name,
points, visibility (public or hidden), the known mistakes it may name, and its steps. A
``Step`` says which property to test (a name in ``checks/properties.py``), on which inputs
(fixed ``cases``, or a hypothesis ``strategy`` with ``max_examples``), against which oracle
(``"reference:losses.mse_loss"``, ``"torch:..."``, ``"sklearn:..."``) and with what tolerance.
One runner (``checks/runner.py``) executes any record against a ``Student``. Hidden is a field:
the release keeps the public records, their generated inputs replaced by the banked examples.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

PUBLIC, HIDDEN = "public", "hidden"
Case = tuple[tuple, dict]  # (args, kwargs)


class Student(Protocol):
    """Calls one function of a student's module and returns what came back (an ``Answer``)."""

    def call(self, function: str, *args: Any, **kwargs: Any) -> Any: ...


@dataclass(frozen=True)
class Outcome:
    """A check's verdict: passed, or why not (a message), the hint, and whether it was a fault."""

    passed: bool
    detail: Any = None  # a Message
    hint: Any = None  # a Message, when a known mistake explains the failure
    fault: bool = False  # the function hung, crashed or ran out of budget: stop trying examples
    evidence: Any = None  # the counterexample as JSON data (compare.evidence), when values were compared


PASS = Outcome(True)


@dataclass(frozen=True)
class Tolerance:
    """How an answer is compared with the oracle's value.

    ``rtol``/``atol`` None: by the expected dtype (``compare.tolerance``). ``by_inputs``: the
    metrics' tight tolerance, float32's where an input is float32. ``exact``: equal values."""

    rtol: float | None = None
    atol: float | None = None
    dtype: bool = False  # the answer's dtype must be the expected one
    by_inputs: bool = False
    exact: bool = False


@dataclass(frozen=True)
class Step:
    """One property on one set of inputs; a check passes when all its steps do."""

    prop: str
    oracle: str = ""
    cases: tuple[Case, ...] = ()
    strategy: Any = None  # hypothesis strategy of cases (the kit only; a release has cases)
    max_examples: int = 0
    tolerance: Tolerance = Tolerance()
    forward: str = ""  # the function whose values the property also uses (finite differences)

    @property
    def generated(self) -> bool:
        return self.strategy is not None


@dataclass(frozen=True)
class Check:
    """One weighted property of ``function``."""

    function: str  # "activations.sigmoid"
    name: str  # what is checked, e.g. "values (float64)": stable, it identifies the check
    points: float
    visibility: str
    steps: tuple[Step, ...]
    hints: tuple[str, ...] = ()  # the known mistakes (message keys) this check may name

    @property
    def title(self) -> str:
        return f"{self.function}: {self.name}"

    @property
    def module(self) -> str:
        return self.function.split(".")[0]


@dataclass(frozen=True)
class Exercise:
    """Every check of one contract function."""

    function: str
    checks: tuple[Check, ...] = field(default_factory=tuple)

    @property
    def module(self) -> str:
        return self.function.split(".")[0]

    @property
    def name(self) -> str:
        return self.function.split(".")[1]

    @property
    def points(self) -> float:
        return sum(c.points for c in self.checks)
