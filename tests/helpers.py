"""Helpers the kit's tests share: grading a path with the kit's own context and catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from autograder.core.context import GradingContext
from autograder.core.engine import grade as engine_grade
from autograder.core.report import Report
from autograder.fronts.settings import context, kit_plan

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
MODULES = ("activations", "losses", "metrics")


def kit_context(**overrides: Any) -> GradingContext:
    """The context `dlgrade grade` uses, with ``overrides`` (budget_seconds, call_timeout,
    limits, slot, public_only...)."""
    return context(**overrides)


def grade(path: str | Path, ctx: GradingContext | None = None) -> Report:
    """Grade ``path`` with the kit's catalogue under ``ctx`` (default: ``kit_context()``)."""
    ctx = ctx or kit_context()
    return engine_grade(path, ctx, kit_plan(ctx))


def gradescope_tree(folder: Path, autograder_zip: Path, submission: Path | None = None) -> Path:
    """A simulated ``/autograder`` in ``folder``: the zip unpacked in ``source/`` (run_autograder
    executable), ``submission_metadata.json``, and ``submission``'s modules (when given) in
    ``submission/``."""
    import json
    import shutil
    import zipfile

    root = folder / "autograder"
    (root / "source").mkdir(parents=True)
    (root / "submission").mkdir()
    with zipfile.ZipFile(autograder_zip) as z:
        z.extractall(root / "source")
    (root / "source" / "run_autograder").chmod(0o755)
    (root / "submission_metadata.json").write_text(json.dumps({"users": [{"name": "A Student"}]}))
    if submission is not None:
        for module in MODULES:
            shutil.copy(submission / f"{module}.py", root / "submission")
    return root
