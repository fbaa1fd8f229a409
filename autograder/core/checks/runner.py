"""The one runner: execute any ``Check`` record against a ``Student``.

A check passes when each of its steps does. A step runs its property (``properties.py``) on its
fixed cases (the first failure is reported) or on examples hypothesis generates from its
strategy: derandomized, so every run and every machine generates the same ones, and the
smallest failing example wins. With an example bank, the examples of a passing run are kept and
replayed next time; only a failing replay goes back to hypothesis, which then finds and shrinks
the same failure a bank-less run finds. A fault (a hang, a crash, the budget) ends the check.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from functools import partial
from typing import Any, Callable, Iterator

from ..messages import say
from .compare import show
from .properties import PROPERTIES
from .records import PASS, Check, Outcome, Step, Student


class NotBanked(LookupError):
    """A value a release's example bank does not hold (only a failing submission asks for one)."""


class Failed(Exception):
    """Raised inside a property to stop at the first failing example."""

    def __init__(self, outcome: Outcome):
        super().__init__(str(outcome.detail))
        self.outcome = outcome


def example_key(check: Check, index: int) -> str:
    """The bank's key of the generated examples of step ``index`` of ``check``."""
    return f"{check.title}#{index}"


def run_check(check: Check, student: Student, oracles: Any, bank: Any) -> Outcome:
    """Run every step of ``check``; the first failing step's outcome, or PASS."""
    for index, step in enumerate(check.steps):
        outcome = run_step(check, index, step, student, oracles, bank)
        if not outcome.passed:
            return outcome
    return PASS


def run_step(check: Check, index: int, step: Step, student: Student, oracles: Any, bank: Any) -> Outcome:
    """The step's outcome; its hint (deferred by the property, ``hints.later``) asked for last."""
    outcome = _run_step(check, index, step, student, oracles, bank)
    if callable(outcome.hint):
        outcome = replace(outcome, hint=outcome.hint())
    return outcome


def _run_step(check: Check, index: int, step: Step, student: Student, oracles: Any, bank: Any) -> Outcome:
    body = partial(PROPERTIES[step.prop], check, step, student, oracles)
    case: Any = None

    def guarded(example: Any) -> Outcome | None:
        nonlocal case
        case = example
        return body(example)

    try:
        if step.generated:
            return run_property(step.strategy, guarded, step.max_examples, example_key(check, index), bank)
        for case in step.cases:
            outcome = body(case)
            if outcome is not None and not outcome.passed:
                return outcome
        return PASS
    except NotBanked:
        return Outcome(False, say("not_banked", input=show(case, 200)))


@contextlib.contextmanager
def strategy_only() -> Iterator[None]:
    """Hypothesis generation that depends on the strategy alone.

    Hypothesis (6.1xx) mixes the literal constants of every "local" module loaded in the process
    (not site-packages, not tests) into what it generates. The examples a check saw then
    depended on which kit modules the grading process had imported and on where the kit was
    installed: `dlgrade grade` from the repository (editable: local) and the Gradescope image
    (site-packages: none) generated different examples, so a failing replay could be searched
    differently (found while moving the kit's modules: 8 of 287 checks changed examples). There
    is no setting for it: while a check generates, the local pool is empty, and the constants
    cache is cleared on the way in and out so that no other run's constants are reused.
    """
    from hypothesis.internal.conjecture import providers
    from hypothesis.internal.constants_ast import Constants

    saved = providers._get_local_constants
    providers.CONSTANTS_CACHE.cache.clear()
    providers._get_local_constants = Constants
    try:
        yield
    finally:
        providers._get_local_constants = saved
        providers.CONSTANTS_CACHE.cache.clear()


def run_property(strategy: Any, body: Callable[[Any], Outcome | None], max_examples: int = 20,
                 key: str | None = None, bank: Any = None) -> Outcome:
    """Run ``body`` on generated examples (derandomized); the smallest failure wins.

    With a ``key`` and a ``bank``, the examples of a passing run are banked and replayed next
    time; only a failing replay goes back to hypothesis, which then finds and shrinks the same
    failure.
    """
    from hypothesis import HealthCheck, Phase, Verbosity, given, settings

    store = bank if key else None
    if store is not None and key in store.examples:
        for example in store.examples[key]:
            outcome = body(example)
            if outcome is not None and not outcome.passed:
                if outcome.fault:
                    return outcome
                break
        else:
            return PASS
    failures: list[Outcome] = []
    fault: list[Outcome] = []
    seen: list[Any] = []

    # The text of `prop` below seeds hypothesis (derandomize hashes a test's source): changing
    # it changes every generated example, and so possibly which buggy submissions are caught.
    @settings(derandomize=True, database=None, max_examples=max_examples, deadline=None,
              suppress_health_check=list(HealthCheck), verbosity=Verbosity.quiet,
              phases=(Phase.explicit, Phase.generate, Phase.shrink), report_multiple_bugs=False,
              print_blob=False)
    @given(strategy)
    def prop(example):
        if fault:
            return
        seen.append(example)
        outcome = body(example)
        if outcome is None or outcome.passed:
            return
        if outcome.fault:
            fault.append(outcome)
            return
        failures.append(outcome)
        raise Failed(outcome)

    try:
        with strategy_only():
            prop()
    except Failed:
        pass
    if fault:
        return fault[0]
    if failures:
        return failures[-1]
    if store is not None:
        store.record_examples(key, seen)
    return PASS
