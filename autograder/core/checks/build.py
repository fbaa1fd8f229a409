"""Small constructors the catalogue modules share: a check from its steps, a step from its inputs."""

from __future__ import annotations

from typing import Any

from . import hints
from .records import Check, Step, Tolerance


def check(function: str, name: str, points: float, visibility: str, *steps: Step) -> Check:
    """A check of ``function``, naming the known mistakes of that function."""
    return Check(function, name, points, visibility, tuple(steps), hints.keys(function))


def generated(prop: str, oracle: str, strategy: Any, max_examples: int, forward: str = "",
              **tolerance: Any) -> Step:
    """A step on examples generated from ``strategy`` (``max_examples`` of them)."""
    return Step(prop, oracle, strategy=strategy, max_examples=max_examples, tolerance=Tolerance(**tolerance),
                forward=forward)


def fixed(prop: str, oracle: str, cases: list, forward: str = "", **tolerance: Any) -> Step:
    """A step on a fixed list of ``(args, kwargs)`` cases (the first failure is reported)."""
    return Step(prop, oracle, cases=tuple(cases), tolerance=Tolerance(**tolerance), forward=forward)


def reference(function: str) -> str:
    return f"reference:{function}"


def torch(function: str) -> str:
    return f"torch:{function}"
