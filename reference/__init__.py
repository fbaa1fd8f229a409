"""Hidden reference implementation of the exercise contract (CONTRACT.md).

Numpy only, numerically stable, and matching ``torch.nn.functional`` (activations, losses) and
``sklearn.metrics`` (metrics) semantics. The autograder computes expected values with it.
"""

from . import activations, losses, metrics

__all__ = ["activations", "losses", "metrics"]
