"""setup.sh warms the example bank, so the first Gradescope submission replays it (issue 10, point 5).

Simulated as in test_gradescope.py: the zip extracted into a tree's ``source/``, the warm-up run
as setup.sh runs it (from ``source/``: ``python -m autograder.fronts.gradescope warm --root
/autograder``, with the tree as the root), then ``run_autograder`` on the solutions. The
grader is observed in two ways that fail when it generates: its imports
(``PYTHONPROFILEIMPORTTIME``: torch and scikit-learn are imported only to compute expected
values the bank lacks) and the bank file (a miss generates and records, and the bank is
rewritten). The control is a tree graded cold, without the warm-up: there the same observations
show torch imported and the bank written.
"""

from __future__ import annotations

import json
import re
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.core.bank import Bank
from autograder.fronts import gradescope
from helpers import SOLUTIONS, gradescope_tree

WARM_LINE = '"$VENV/bin/python" -m autograder.fronts.gradescope warm --root /autograder'


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory) -> Path:
    return gradescope.build_zip(tmp_path_factory.mktemp("zip") / "autograder.zip")


def _env(root: Path) -> dict[str, str]:
    # no DLGRADE_BANK_DIR: the tree's own bank (ROOT/bank), as in the image; a HOME of its own
    home = root.parent / "home"
    home.mkdir(exist_ok=True)
    return {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(home), "DLGRADE_AUTOGRADER_ROOT": str(root),
            "DLGRADE_PYTHON": sys.executable}


def _grade(root: Path) -> tuple[dict, set[str]]:
    """run_autograder with the grader's imports logged: (results.json, top-level modules imported)."""
    done = subprocess.run([str(root / "source" / "run_autograder")], env={**_env(root), "PYTHONPROFILEIMPORTTIME": "1"},
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    imported = {m.group(1).split(".")[0] for m in re.finditer(r"^import time:\s+\d+ \|\s+\d+ \|\s+(\S+)",
                                                                done.stderr, re.MULTILINE)}
    assert "numpy" in imported, "the import log is empty: nothing observed\n" + done.stderr[-2000:]
    return json.loads((root / "results" / "results.json").read_text()), imported


def _bank(root: Path) -> dict[str, dict[str, set[str]]]:
    """The bank folder's files: name -> the keys of each section (examples, expected, calls)."""
    folder = root / "bank"
    banks = {p.name: Bank(p, writable=False) for p in folder.iterdir()} if folder.is_dir() else {}
    return {name: {"examples": set(b.examples), "expected": set(b.expected), "calls": set(b.calls)}
            for name, b in banks.items()}



def _bank_files(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """The bank folder's files: name -> (bytes, inode, mtime): a rewrite changes them."""
    return {p.name: (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns) for p in (root / "bank").iterdir()}


def _full_marks(results: dict) -> None:
    maximum = sum(t["max_score"] for t in results["tests"])
    assert maximum > 0 and results["score"] == pytest.approx(maximum), \
        [t["name"] for t in results["tests"] if t["status"] != "passed"]


def test_setup_sh_warms_the_bank_from_the_source_folder(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as z:
        lines = z.read("setup.sh").decode().splitlines()
    warm = lines.index(WARM_LINE)
    kit = next(i for i, line in enumerate(lines) if line.rstrip().endswith('"$SOURCE"') and "pip install" in line)
    assert kit < lines.index('cd "$SOURCE"') < warm, "the warm-up runs after the kit is installed, from source/"


def test_first_submission_after_setup_replays_the_bank(tmp_path, autograder_zip):
    # the control: no warm-up, so the first submission generates and imports torch
    cold = gradescope_tree(tmp_path / "cold", autograder_zip, SOLUTIONS)
    results, imported = _grade(cold)
    _full_marks(results)
    assert "torch" in imported, "a cold grading computes expected values with torch"
    assert _bank(cold), "a cold grading writes the bank it generated"

    root = gradescope_tree(tmp_path / "warm", autograder_zip, SOLUTIONS)
    warmed = subprocess.run([sys.executable, "-m", "autograder.fronts.gradescope", "warm", "--root", str(root)],
                            cwd=root / "source", env=_env(root), capture_output=True, text=True, timeout=900)
    assert warmed.returncode == 0, warmed.stdout[-2000:] + warmed.stderr[-3000:]
    before, files = _bank(root), _bank_files(root)
    assert len(before) == 1 and next(iter(before)).startswith("bank-"), sorted(before)
    assert stat.S_IMODE((root / "bank").stat().st_mode) == 0o700, "the bank holds expected values: root only"

    results, imported = _grade(root)
    _full_marks(results)
    assert not {"torch", "sklearn", "scipy"} & imported, sorted({"torch", "sklearn", "scipy"} & imported)
    after = _bank(root)
    assert set(after) == set(before)
    for section, keys in before[next(iter(before))].items():
        added = after[next(iter(before))][section] - keys
        assert not added, f"the submission added {section} to the bank: {sorted(added)[:5]}"
    assert _bank_files(root) == files, "the bank was rewritten"


def test_the_trees_bank_unless_the_environment_says_otherwise(tmp_path):
    from autograder.fronts.settings import gradescope_bank

    assert gradescope_bank(tmp_path, {}).path.parent == tmp_path / "bank"
    assert gradescope_bank(tmp_path, {"DLGRADE_BANK_DIR": str(tmp_path / "elsewhere")}).path.parent \
        == tmp_path / "elsewhere"
    assert gradescope_bank(tmp_path, {"DLGRADE_BANK": "off"}).path is None
