"""The checks catalogue: every contract function with its weighted, public or hidden checks.

Built from the contract registry (``autograder/contract.py``) by the catalogue modules, one per
student module; ``records.py`` says what a check is, ``runner.py`` runs one, ``properties.py``
holds what a step tests, ``oracles.py`` where expected values come from, ``hints.py`` the known
mistakes, ``strategies.py`` how inputs are generated.
"""

from __future__ import annotations

import functools

from .records import HIDDEN, PUBLIC, Check, Exercise, Outcome, Step


@functools.cache
def catalogue() -> tuple[Exercise, ...]:
    """Every exercise, in the contract's order (a pure value, built once per process)."""
    from . import activations, losses, metrics
    return tuple(activations.exercises() + losses.exercises() + metrics.exercises())


__all__ = ["HIDDEN", "PUBLIC", "Check", "Exercise", "Outcome", "Step", "catalogue"]
