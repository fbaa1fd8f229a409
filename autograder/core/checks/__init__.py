"""The checks catalogue: every contract function with its weighted, public or hidden checks."""

from __future__ import annotations

import functools

from .base import HIDDEN, PUBLIC, Check, Exercise, Outcome

MODULE_ORDER = ("activations", "losses", "metrics")


@functools.cache
def catalogue() -> tuple[Exercise, ...]:
    """Every exercise, in CONTRACT.md order (built once per process)."""
    from . import activations, losses, metrics
    return tuple(activations.exercises() + losses.exercises() + metrics.exercises())


__all__ = ["HIDDEN", "PUBLIC", "Check", "Exercise", "Outcome", "catalogue", "MODULE_ORDER"]
