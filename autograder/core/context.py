"""Everything a grading depends on, decided once by a front and handed down: ``GradingContext``.

Nothing below the fronts reads the environment or keeps settings in module state: the
isolation level (probed once by the front), the deadlines, the budget, the limits, the grader's
slot (own sandbox uids per concurrent grader), the language reports are rendered in, the
visibility policy (public checks only, or all), the example bank and the oracles all travel
here. ``autograder/fronts/settings.py`` builds one from the command line and documents the
environment variables a front maps onto it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

from .bank import Bank
from .sandbox.isolation import Isolation, Limits


@dataclass(frozen=True)
class GradingContext:
    """How submissions are graded (one value, immutable: ``with_`` gives a changed copy)."""

    isolation: Isolation
    bank: Bank = field(default_factory=Bank)
    oracles: Any = None  # checks.oracles.KitOracles(bank), or BankedOracles in a release
    call_timeout: float = 2.0  # seconds per call of a student function
    import_timeout: float = 10.0  # seconds to import one student module
    budget_seconds: float = 120.0  # seconds a submission's worker may take (imports and calls; client.Budget)
    limits: Limits = Limits()
    slot: int = 0  # concurrent graders (batch jobs) get their own sandbox uids
    language: str = "en"  # what reports are rendered in
    public_only: bool = False  # the visibility policy: run the public checks only
    environment: tuple[tuple[str, str], ...] = ()  # machine quirks passed to workers (isolation.PASSED_THROUGH)
    plots: bool = False  # also collect the feedback page's plot values (core/plots.py)

    def with_(self, **changes: Any) -> "GradingContext":
        return replace(self, **changes)

    def fingerprint(self) -> str:
        """What grading results depend on (not the language: reports are rendered later)."""
        parts = (self.isolation, self.call_timeout, self.import_timeout, self.budget_seconds, self.limits,
                 self.public_only)
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]
