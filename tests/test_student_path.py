"""The student's path end to end, on the release exactly as `dlgrade release` writes it.

A student receives ``hw1/`` (stubs, ``notebooks/`` with the self-check's package beside them,
``check.py``), solves the notebooks, runs ``python check.py notebooks``, and hands in the
``notebooks/`` folder (or a zip of it). Every grader must then grade the notebooks, never the
self-check's own ``notebooks/autograder/checks/*.py`` (which once scored solved notebooks 0).
"""

from __future__ import annotations

import ast
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from helpers import MODULES, ROOT, SOLUTIONS, grade, kit_context

DLGRADE = [sys.executable, "-m", "autograder.fronts.cli"]


def _run(command: list[str], cwd: Path = ROOT, **extra) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", **extra.pop("env", {})}
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=900, env=env, **extra)
    return done


def _solution_functions(module: str) -> dict[str, str]:
    """Each top-level function of solutions/<module>.py, solution marks removed."""
    text = (ROOT / "solutions" / f"{module}.py").read_text(encoding="utf-8")
    lines = text.splitlines()
    functions = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef):
            body = lines[node.lineno - 1:node.end_lineno]
            functions[node.name] = "\n".join(l for l in body if "### " not in l) + "\n"
    return functions


def solve_notebooks(folder: Path) -> None:
    """Replace every stub cell of the notebooks in ``folder`` by the solution's function."""
    for module in MODULES:
        path = folder / f"{module}.ipynb"
        notebook = json.loads(path.read_text(encoding="utf-8"))
        functions = _solution_functions(module)
        for cell in notebook["cells"]:
            source = "".join(cell["source"])
            match = re.match(r"def (\w+)\(", source) if cell["cell_type"] == "code" else None
            if match and match.group(1) in functions:
                cell["source"] = functions[match.group(1)]
        path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False), encoding="utf-8")


def _json_score(path: Path, *options: str) -> tuple[float, float]:
    done = _run(DLGRADE + ["grade", str(path), "--format", "json", *options])
    assert done.returncode == 0, done.stderr[-2000:]
    data = json.loads(done.stdout)
    return data["score"], data["extra_data"]["max_score"]


@pytest.fixture(scope="module")
def full_score(solutions_report, full_marks) -> float:
    """The solutions' score, every function at full points (``full_marks`` asserts it)."""
    return solutions_report.max_score


@pytest.fixture(scope="module")
def public_marks() -> float:
    report = grade(SOLUTIONS, kit_context(public_only=True))
    assert report.score == report.max_score > 0
    return report.max_score


@pytest.fixture(scope="module")
def handed_out(release, tmp_path_factory) -> Path:
    """The released hw1/ as the student receives it (a copy: the student runs code in it)."""
    hw1 = tmp_path_factory.mktemp("student") / "hw1"
    shutil.copytree(release, hw1)
    assert (hw1 / "notebooks" / "autograder").is_dir(), "the release keeps the self-check beside the notebooks"
    return hw1


@pytest.fixture(scope="module")
def solved(release, tmp_path_factory) -> Path:
    """The released hw1/ with its notebooks solved, as the student hands it in."""
    hw1 = tmp_path_factory.mktemp("solved") / "hw1"
    shutil.copytree(release, hw1)
    solve_notebooks(hw1 / "notebooks")
    return hw1


def _check_py(hw1: Path, target: str) -> tuple[float, float, str]:
    done = _run([sys.executable, "check.py", target], cwd=hw1, env={"DLGRADE_LANG": "en"})  # reads "points"
    text = " ".join(done.stdout.split())
    found = re.search(r"\(([\d.]+) / ([\d.]+) points\)", text)
    assert found, done.stdout[-3000:] + done.stderr[-3000:]
    return float(found.group(1)), float(found.group(2)), text


def test_check_py_on_solved_notebooks_gives_the_public_points(solved, public_marks):
    score, most, text = _check_py(solved, "notebooks")
    assert (score, most) == (public_marks, public_marks), text[-2000:]


def test_check_py_on_released_notebooks_gives_zero(handed_out, public_marks):
    score, most, _ = _check_py(handed_out, "notebooks")
    assert (score, most) == (0, public_marks)


def test_grade_on_handed_in_notebooks_folder(solved, full_score):
    assert _json_score(solved / "notebooks") == (full_score, full_score)


def test_grade_on_a_zip_of_the_notebooks_folder(solved, full_score, tmp_path):
    archive = tmp_path / "entrega.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in sorted((solved / "notebooks").rglob("*")):
            if path.is_file():
                z.write(path, "notebooks/" + path.relative_to(solved / "notebooks").as_posix())
    assert _json_score(archive) == (full_score, full_score)


def test_batch_on_a_class_of_handed_in_notebooks_folders(solved, release, full_score, tmp_path):
    shutil.copytree(solved / "notebooks", tmp_path / "class" / "ana")
    shutil.copytree(release / "notebooks", tmp_path / "class" / "bia")  # handed in untouched
    gradebook = tmp_path / "gradebook.csv"
    done = _run(DLGRADE + ["batch", str(tmp_path / "class"), "--out", str(gradebook), "--jobs", "2"])
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    rows = {row["student"]: row for row in csv.DictReader(gradebook.open(encoding="utf-8"))}
    assert float(rows["ana"]["total"]) == full_score, rows["ana"]
    assert float(rows["bia"]["total"]) == 0, rows["bia"]


def test_gradescope_run_autograder_on_handed_in_notebooks(solved, full_score, tmp_path):
    archive = tmp_path / "autograder.zip"
    assert _run(DLGRADE + ["gradescope", "--out", str(archive)]).returncode == 0
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True)
    with zipfile.ZipFile(archive) as z:
        z.extractall(root / "source")
    (root / "source" / "run_autograder").chmod(0o755)
    shutil.copytree(solved / "notebooks", root / "submission")
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(Path.home()),
           "DLGRADE_AUTOGRADER_ROOT": str(root), "DLGRADE_PYTHON": sys.executable}
    done = subprocess.run([str(root / "source" / "run_autograder")], env=env, capture_output=True,
                          text=True, timeout=900)
    results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    assert results["score"] == full_score, done.stdout[-3000:] + json.dumps(results)[:2000]
