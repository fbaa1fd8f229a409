"""The sabotage catalogue (tests/sabotage/run.py) stays applicable: a sabotage whose text no longer
occurs in the code (moved, reworded) measures nothing. Its selectors are checked by
``run.py --check`` (one pytest collection each: minutes, not for every run)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("sabotage_catalogue", ROOT / "tests" / "sabotage" / "run.py")
sabotage_run = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = sabotage_run  # dataclasses look their module up
_spec.loader.exec_module(sabotage_run)


@pytest.mark.parametrize("sabotage", sabotage_run.SABOTAGES, ids=lambda s: s.name)
def test_each_sabotage_text_occurs_exactly_once(sabotage):
    text = (ROOT / sabotage.file).read_text(encoding="utf-8")
    assert text.count(sabotage.old) == 1, (
        f"{sabotage.name}: its text occurs {text.count(sabotage.old)} times in {sabotage.file}: {sabotage.old!r}")
    assert sabotage.old != sabotage.new, sabotage.name
