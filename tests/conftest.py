"""Shared set-up and fixtures of the kit's test session.

The session grades with an example bank of its own (a fresh folder, removed at the end), never
the user's ``~/.cache/dlgrade``: what an earlier run left there cannot change a result here.
Subprocesses inherit it through ``DLGRADE_BANK_DIR``.

The fixtures several test files share are built once per session, on first use:

- ``solutions_report``: ``solutions/`` graded with the kit's context (``helpers.grade``);
- ``full_marks``: its per-function ``(score, max_score)`` table, every function at full points;
- ``release``: the folder ``dlgrade release`` writes, read-only (a test that runs code in it
  works on a copy);
- ``corpus``: every case of the grading corpora written out as submission folders
  (``<corpus>/correct/<case>/``, ``<corpus>/buggy/<case>/``) by ``tests/corpus/make_corpus.py``.

``tests/`` and the repository are on the path through ``pythonpath`` in ``pyproject.toml``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from corpus import make_corpus
from helpers import MODULES, ROOT, SOLUTIONS, grade

_BANK_DIR: list[str] = []


def pytest_configure(config) -> None:
    folder = tempfile.mkdtemp(prefix="dlgrade-test-bank-")
    _BANK_DIR.append(folder)
    os.environ["DLGRADE_BANK_DIR"] = folder
    os.environ.pop("DLGRADE_BANK", None)


def pytest_unconfigure(config) -> None:
    for folder in _BANK_DIR:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def solutions_report():
    """The report of ``solutions/``, graded once per session with the kit's context."""
    return grade(SOLUTIONS)


@pytest.fixture(scope="session")
def full_marks(solutions_report) -> dict[str, tuple[float, float]]:
    """The per-function table of the instructor's solution: every function at full points."""
    failed = [f"  {r.function}: {r.check} ({r.score:g}/{r.max_score:g}): {r.output}"
              for r in solutions_report.results if not r.passed]
    assert not failed, "solutions/ itself loses points:\n" + "\n".join(failed)
    assert solutions_report.score == solutions_report.max_score > 0
    table = dict(solutions_report.by_function())
    assert {f.split(".")[0] for f in table} == set(MODULES), f"not every module graded: {sorted(table)}"
    return table


@pytest.fixture(scope="session")
def release(tmp_path_factory) -> Path:
    """``dlgrade release --out <tmp>/hw1``, built once. Read-only: copy it to run code in it."""
    out = tmp_path_factory.mktemp("release") / "hw1"
    done = subprocess.run([sys.executable, "-m", "autograder.fronts.cli", "release", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    """The grading corpora's cases, materialised once from their variants (make_corpus.write)."""
    folder = tmp_path_factory.mktemp("corpus")
    make_corpus.write(folder)
    return folder
