"""`dlgrade package`: the grader's wheel and the student package's wheel, and what each may hold.

The wheels are built once (the real command). The student package is installed in a fresh
virtual environment (pip takes numpy and rich from wherever this machine's pip finds them): there
`import reference` fails, no hidden check or solution exists, and the public checks still give
the solutions every public point, through the ``dlgrade-check`` command and the notebooks'
``check()`` / ``run_check()``. The otter flavour's files ship the grader wheel in the autograder
zip, and its requirement resolves from that zip alone.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from autograder import __version__
from autograder.core.checks import HIDDEN, PUBLIC, catalogue
from autograder.core.messages import say
from autograder.fronts.package import GRADER, OTTER_WHEELS, STUDENT, members, otter_requirements, wheel_name
from autograder.fronts.release import PUBLIC_BANK, STUDENT_PACKAGE
from helpers import MODULES, ROOT, SOLUTIONS
from test_release import copied_lines, protected_bodies


@pytest.fixture(scope="module")
def wheels(tmp_path_factory) -> dict[str, Path]:
    """``dlgrade package --out <tmp> --lang en``, run once: {"grader": wheel, "student": wheel}."""
    out = tmp_path_factory.mktemp("wheels")
    done = subprocess.run([sys.executable, "-m", "autograder", "package", "--out", str(out), "--lang", "en"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    found = {"grader": out / wheel_name(GRADER), "student": out / wheel_name(STUDENT)}
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in found.values())
    return found


def _clean_env(**extra: str) -> dict[str, str]:
    """An environment that sees nothing of the kit (no PYTHONPATH; the caller picks a cwd outside it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "DLGRADE_", "VIRTUAL_ENV"))}
    env.update({"PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8", "COLUMNS": "200", **extra})
    return env


@pytest.fixture(scope="module")
def student_env(wheels, tmp_path_factory) -> Path:
    """A fresh virtual environment with the student wheel alone installed: its python."""
    venv = tmp_path_factory.mktemp("student-env") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheels["student"])], cwd=venv,
                          env=_clean_env(), capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return python


def _text(wheel: Path) -> dict[str, str]:
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name).decode("utf-8", "ignore") for name in archive.namelist()}


# -- what each wheel holds ----------------------------------------------------------------------------

def test_student_wheel_is_the_release_package(wheels):
    names = members(wheels["student"])
    package = {n.removeprefix("autograder/") for n in names if n.startswith("autograder/")}
    assert package == set(STUDENT_PACKAGE) | {PUBLIC_BANK}
    others = [n for n in names if not n.startswith(("autograder/", f"dlgrade_student-{__version__}.dist-info/"))]
    assert not others, others
    text = _text(wheels["student"])
    meta = text[f"dlgrade_student-{__version__}.dist-info/METADATA"]
    assert "Name: dlgrade-student" in meta and "torch" not in meta and "scikit-learn" not in meta
    scripts = text[f"dlgrade_student-{__version__}.dist-info/entry_points.txt"]
    assert "dlgrade-check = autograder.fronts.selfcheck:main" in scripts


def test_student_wheel_holds_no_reference_solution_or_hidden_check(wheels):
    text = _text(wheels["student"])
    lines = {line.strip() for body in text.values() for line in body.splitlines()}
    leaks = [f"{where}: {line}" for where, body in protected_bodies(ROOT).items() for line in copied_lines(body, lines)]
    assert not leaks, "\n".join(leaks[:20])
    everything = "\n".join(text.values())
    public_names = {c.name for e in catalogue() for c in e.checks if c.visibility == PUBLIC}
    hidden = [(e.function, c.name) for e in catalogue() for c in e.checks if c.visibility == HIDDEN]
    assert hidden
    named = [(f, n) for f, n in hidden if n not in public_names and n in everything]
    assert not named, named


def test_a_student_wheel_with_anything_else_is_refused(wheels, tmp_path):
    from autograder.fronts.package import PackageError, verify_student

    verify_student(wheels["student"])
    tampered = tmp_path / wheels["student"].name
    shutil.copyfile(wheels["student"], tampered)
    with zipfile.ZipFile(tampered, "a") as archive:
        archive.writestr("reference/activations.py", "def sigmoid(z): ...\n")
    with pytest.raises(PackageError, match="reference/activations.py"):
        verify_student(tampered)


def test_grader_wheel_holds_the_engine_checks_and_reference_not_solutions(wheels):
    names = set(members(wheels["grader"]))
    for module in MODULES:
        assert f"reference/{module}.py" in names
        assert f"autograder/core/checks/{module}.py" in names  # the catalogue, hidden checks included
    for name in ("autograder/core/engine.py", "autograder/core/sandbox/worker.py", "autograder/fronts/cli.py",
                 "autograder/fronts/gradescope.py", "autograder/core/titles.json"):
        assert name in names, name
    forbidden = [n for n in names if n.startswith(("solutions/", "autograder/samples/", "autograder/data/", "tests/"))]
    assert not forbidden, forbidden
    text = _text(wheels["grader"])
    for path in sorted(SOLUTIONS.glob("*.py")):  # no solution region anywhere, under any name
        for region in path.read_text(encoding="utf-8").split("### BEGIN SOLUTION")[1:]:
            block = region.split("### END SOLUTION")[0].strip()
            assert all(block not in t for t in text.values()), f"{path.name}: {block[:80]}"
    info = f"dlgrade-{__version__}.dist-info/"
    assert "dlgrade = autograder.fronts.cli:main" in text[info + "entry_points.txt"]
    required = {re.split(r"[<>=!~ ;\[]", line.split(":", 1)[1].strip(), maxsplit=1)[0]
                for line in text[info + "METADATA"].splitlines() if line.startswith("Requires-Dist:")}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert required == {re.split(r"[<>=!~ ;\[]", d, maxsplit=1)[0] for d in project["dependencies"]}


def test_wheels_are_reproducible(wheels, tmp_path):
    """The same kit gives the same grader wheel, byte for byte (fixed dates, sorted files)."""
    from autograder.fronts.package import build_grader

    assert build_grader(tmp_path).read_bytes() == wheels["grader"].read_bytes()


def test_package_out_must_be_a_folder(tmp_path):
    target = tmp_path / "wheels"
    target.write_text("not a folder\n")
    done = subprocess.run([sys.executable, "-m", "autograder", "package", "--out", str(target), "--lang", "en"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "is not a folder" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert target.read_text() == "not a folder\n"


# -- the student's environment ------------------------------------------------------------------------

def test_reference_cannot_be_imported_where_students_work(student_env, tmp_path):
    probe = ("import importlib.util, json, autograder; print(json.dumps({'autograder': autograder.__file__, "
             "'found': [n for n in ('reference', 'solutions', 'autograder.core.checks.activations', "
             "'autograder.core.checks.strategies', 'autograder.fronts.cli') if importlib.util.find_spec(n)]}))")
    done = subprocess.run([str(student_env), "-c", probe], cwd=tmp_path, env=_clean_env(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout)
    assert seen["autograder"].startswith(str(student_env.parent.parent)), seen  # the installed package
    assert seen["found"] == [], seen
    done = subprocess.run([str(student_env), "-c", "import reference"], cwd=tmp_path, env=_clean_env(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "ModuleNotFoundError: No module named 'reference'" in done.stderr, done.stderr


def _public_points() -> dict[str, float]:
    return {e.function: round(sum(c.points for c in e.checks if c.visibility == PUBLIC), 4)
            for e in catalogue() if any(c.visibility == PUBLIC for c in e.checks)}


def test_selfcheck_gives_the_solutions_the_public_points(student_env, tmp_path):
    submission = tmp_path / "work"
    submission.mkdir()
    for module in MODULES:
        shutil.copyfile(SOLUTIONS / f"{module}.py", submission / f"{module}.py")
    command = student_env.parent / "dlgrade-check"
    done = subprocess.run([str(command), str(submission)], cwd=tmp_path, env=_clean_env(),
                          capture_output=True, text=True, timeout=600)
    public = [c for e in catalogue() for c in e.checks if c.visibility == PUBLIC]
    points = f"{sum(c.points for c in public):g}"
    expected = say("selfcheck_summary", passed=len(public), total=len(public), score=points, max=points).text("en")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert " ".join(expected.split()) in " ".join(done.stdout.split()), done.stdout[-3000:]


NOTEBOOK = """
import importlib.util, json, sys
from autograder import check, run_check
from autograder.core.bank import public_checks
from autograder.fronts.selfcheck import public_bank

folder, function, otter_tests = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
modules = {}
for name in ("activations", "losses", "metrics"):
    spec = importlib.util.spec_from_file_location(name, f"{folder}/{name}.py")
    modules[name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(modules[name])
points = {e.function: check(e.function, modules[e.module]) for e in public_checks(public_bank())}
failed = []
for qualified, check_name in otter_tests:  # the otter notebooks' public test cases, as grader.check runs them
    try:
        run_check(qualified, check_name, modules[qualified.split(".")[0]])
    except AssertionError as exc:
        failed.append(f"{qualified}: {check_name}: {exc}")
module, name = function.split(".")
wrong = lambda z: modules[module].sigmoid(z) + 1e-3  # a wrong answer must lose points
print(json.dumps({"points": points, "failed": failed, "wrong": check(function, wrong)}))
"""


def _otter_public_tests() -> list[list[str]]:
    """(function, check) of the otter master notebooks' public test cases: those of the first
    graded function of each module (each run_check reads the bank again: all of them take a minute)."""
    import nbformat

    tests = []
    for module in MODULES:
        notebook = nbformat.read(ROOT / "assignments" / "otter" / f"{module}.ipynb", as_version=4)
        calls = [(re.search(r'run_check\((".*?"), (".*"), \w+\)', c.source), "hidden: false" in c.source)
                 for c in notebook.cells if c.cell_type == "code" and "run_check(" in c.source]
        public = [[json.loads(m.group(1)), json.loads(m.group(2))] for m, visible in calls if m and visible]
        assert public, module
        tests += [t for t in public if t[0] == public[0][0]]
    return tests


def test_notebook_check_gives_the_solutions_the_public_points(student_env, tmp_path):
    """What the notebooks' check() cells and otter's public test cases call, in the student's kernel."""
    script = tmp_path / "kernel.py"
    script.write_text(NOTEBOOK, encoding="utf-8")
    tests = _otter_public_tests()
    done = subprocess.run([str(student_env), str(script), str(SOLUTIONS), "activations.sigmoid", json.dumps(tests)],
                          cwd=tmp_path, env=_clean_env(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["points"] == _public_points()
    assert result["failed"] == []
    assert result["wrong"] < _public_points()["activations.sigmoid"]


# -- the otter flavour ----------------------------------------------------------------------------------

def test_otter_requirements_name_the_shipped_grader_and_cpu_torch():
    lines = [l for l in otter_requirements().splitlines() if l.strip() and not l.startswith("#")]
    assert lines[:2] == [f"--find-links {OTTER_WHEELS}", f"dlgrade=={__version__}"]
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in lines
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    torch = [d for d in project["dependencies"] if re.match(r"torch\b", d)]
    assert [l for l in lines if re.match(r"torch\b", l)] == torch
    assert (ROOT / "assignments" / "otter" / "requirements.txt").read_text(encoding="utf-8") == otter_requirements()
    config = (ROOT / "assignments" / "otter" / "activations.ipynb").read_text(encoding="utf-8")
    assert "autograder_files:\\n" in config and "  - wheels\\n" in config


def test_otter_zip_carries_the_grader_wheel(wheels, tmp_path):
    """``dlgrade package --out wheels`` then ``otter assign``, as the README says: the zip holds
    the grader wheel where the requirements look for it, and pip resolves ``dlgrade`` from it
    with no package index."""
    otter = Path(sys.executable).parent / "otter"
    folder = tmp_path / "otter"
    shutil.copytree(ROOT / "assignments" / "otter", folder, ignore=shutil.ignore_patterns("wheels"))
    (folder / "wheels").mkdir()
    for wheel in wheels.values():
        shutil.copyfile(wheel, folder / "wheels" / wheel.name)
    done = subprocess.run([str(otter), "assign", "activations.ipynb", "dist"], cwd=folder,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (zip_path,) = (folder / "dist" / "autograder").glob("*.zip")
    assert not (folder / "dist" / "student" / "wheels").exists()
    unpacked = tmp_path / "source"  # as Gradescope unpacks it into /autograder/source
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(unpacked)
    shipped = unpacked / OTTER_WHEELS.removeprefix("/autograder/source/")
    assert (shipped / wheel_name(GRADER)).read_bytes() == wheels["grader"].read_bytes()
    environment = (unpacked / "environment.yml").read_text(encoding="utf-8")
    assert f"--find-links {OTTER_WHEELS}" in environment and f"dlgrade=={__version__}" in environment
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--no-deps",
                           "--no-index", "--find-links", str(shipped), f"dlgrade=={__version__}"], cwd=tmp_path,
                          env={**{k: v for k, v in _clean_env().items() if not k.startswith("PIP_")},
                               "PIP_CONFIG_FILE": os.devnull},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and f"dlgrade-{__version__}" in done.stdout, done.stdout + done.stderr
