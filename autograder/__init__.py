"""dlgrade: grade numpy implementations of activations, losses and metrics, safely and fairly."""

__version__ = "0.1.0"
