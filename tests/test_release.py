"""`dlgrade release` and `dlgrade check`: what students receive holds no reference, no solution
and no hidden check, and its check.py grades the public checks exactly as the kit does."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from autograder.checks import HIDDEN, PUBLIC, catalogue  # noqa: E402
from autograder.engine import Settings, grade  # noqa: E402
from autograder.release import PACKAGE_FILES  # noqa: E402

MODULES = ("activations", "losses", "metrics")
SOLUTIONS = ROOT / "solutions"
TRIVIAL = 12  # body lines shorter than this ("else:", "return out") prove nothing
BLOCKED = ("reference", "solutions", "torch", "sklearn", "scipy")


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "hw1"
    done = subprocess.run([sys.executable, "-m", "autograder.cli", "release", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def release_text(release) -> dict[str, str]:
    """Every file of the release as text (binary files: their decodable bytes, e.g. the bank's JSON)."""
    return {str(p.relative_to(release)): p.read_bytes().decode("utf-8", "ignore")
            for p in release.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def blocker(tmp_path_factory) -> Path:
    """A PYTHONPATH entry where the reference, the solutions, torch and sklearn cannot be imported."""
    folder = tmp_path_factory.mktemp("blocker")
    for name in BLOCKED:
        (folder / name).mkdir()
        (folder / name / "__init__.py").write_text(f"raise ImportError('{name} is not part of the release')\n")
    return folder


def _function_bodies(path: Path):
    """(function name, stripped body lines without docstring and comments) of each top-level def."""
    source = path.read_text()
    lines = source.splitlines()
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef):
            continue
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]
        if body:
            text = lines[body[0].lineno - 1:body[-1].end_lineno]
            yield node.name, [l.strip() for l in text if l.strip() and not l.strip().startswith("#")]


def _provided_helpers() -> set[str]:
    """Helper functions the stubs give to students on purpose (e.g. ``_as_float``)."""
    names = set()
    for module in MODULES:
        names |= {name for name, _ in _function_bodies(ROOT / "assignments" / f"{module}.py")
                  if name.startswith("_")}
    return names


def test_release_layout(release):
    for module in MODULES:
        assert (release / f"{module}.py").read_text() == (ROOT / "assignments" / f"{module}.py").read_text()
    for notebook in (ROOT / "assignments" / "notebooks").glob("*.ipynb"):
        assert (release / "notebooks" / notebook.name).read_bytes() == notebook.read_bytes()
    assert (release / "check.py").is_file() and (release / "README.md").is_file()
    package = {p.relative_to(release / "autograder").as_posix()
               for p in (release / "autograder").rglob("*") if p.is_file()}
    assert package <= set(PACKAGE_FILES) | {"checks/__init__.py", "checks/public.json", "checks/public.bank"}
    for folder in ("reference", "solutions", "tests", "assignments"):
        assert not list(release.rglob(folder)), folder
    for module in MODULES:
        assert not (release / "autograder" / "checks" / f"{module}.py").exists()
    assert not list(release.rglob("__pycache__"))


def test_no_reference_or_solution_body_in_release(release_text):
    lines_in_release = set()
    for text in release_text.values():
        lines_in_release |= {line.strip() for line in text.splitlines()}
    provided = _provided_helpers()
    leaks = []
    for folder in ("reference", "solutions"):
        for path in sorted((ROOT / folder).glob("*.py")):
            for name, body in _function_bodies(path):
                if name in provided:
                    continue
                leaks += [f"{folder}/{path.name}:{name}: {line}" for line in body
                          if len(line) >= TRIVIAL and line in lines_in_release]
    assert not leaks, "\n".join(leaks[:20])
    # and every solution region as a whole
    for path in sorted(SOLUTIONS.glob("*.py")):
        text = path.read_text()
        for region in text.split("### BEGIN SOLUTION")[1:]:
            block = region.split("### END SOLUTION")[0].strip()
            assert all(block not in t for t in release_text.values()), f"{path.name}: {block[:80]}"


def test_no_hidden_check_in_release(release_text):
    everything = "\n".join(release_text.values())
    public_names = {c.name for e in catalogue() for c in e.checks if c.visibility == PUBLIC}
    description = json.loads(release_text["autograder/checks/public.json"])
    released = {(entry["function"], check["name"]) for entry in description for check in entry["checks"]}
    hidden = [(e.function, c.name) for e in catalogue() for c in e.checks if c.visibility == HIDDEN]
    assert hidden
    for function, name in hidden:
        assert (function, name) not in released
        if name not in public_names:  # a name no public check shares must not appear at all
            assert name not in everything, (function, name)
    public = {(e.function, c.name) for e in catalogue() for c in e.checks if c.visibility == PUBLIC}
    assert released == public
    for entry in description:  # expected values come from the reference only, never torch/sklearn
        for check in entry["checks"]:
            assert "torch" not in json.dumps(check) and "sklearn" not in json.dumps(check)


def _check(release: Path, target: Path, blocker: Path, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(Path.home()), "COLUMNS": "120",
           "PYTHONPATH": str(blocker), "PYTHONDONTWRITEBYTECODE": "1"}
    env.update(extra_env or {})
    return subprocess.run([sys.executable, "check.py", str(target)], cwd=release, env=env,
                          capture_output=True, text=True, timeout=600)


def _score(output: str) -> tuple[float, float]:
    line = next(l for l in output.splitlines() if "public checks pass" in l)
    got, most = line.split("(")[1].split(" points")[0].split(" / ")
    return float(got), float(most)


def test_release_check_on_stubs_and_solutions(release, blocker, tmp_path):
    public_points = sum(c.points for e in catalogue() for c in e.checks if c.visibility == PUBLIC)
    stubs = _check(release, release, blocker)  # the student's first run, in the release folder
    assert stubs.returncode == 1, stubs.stderr[-2000:]
    assert _score(stubs.stdout) == (0, public_points)
    assert "not implemented" in stubs.stdout
    work = tmp_path / "work"
    shutil.copytree(SOLUTIONS, work)
    solved = _check(release, work, blocker, {"DLGRADE_ISOLATION": "none"})  # as on a student's laptop
    assert solved.returncode == 0, solved.stdout[-3000:] + solved.stderr[-2000:]
    assert _score(solved.stdout) == (public_points, public_points)


def test_release_check_agrees_with_the_kit(release, blocker, tmp_path):
    """A buggy submission: same points per function as `dlgrade grade --public-only`."""
    work = tmp_path / "buggy"
    shutil.copytree(SOLUTIONS, work)
    activations = work / "activations.py"
    activations.write_text(activations.read_text()
                           + "\n\ndef tanh_grad(z):\n    s = 1 / (1 + np.exp(-np.asarray(z, dtype=float)))\n"
                             "    return 1 - s**2\n\n\ndef relu(z):\n    return np.maximum(z, 0.0)\n")
    done = _check(release, work, blocker)
    assert done.returncode == 1
    report = grade(work, Settings(public_only=True))
    assert _score(done.stdout) == (report.score, report.max_score)
    assert report.score < report.max_score
    assert "Hint" in done.stdout and "tanh_grad" in done.stdout


def test_dlgrade_check_in_the_kit(tmp_path):
    done = subprocess.run([sys.executable, "-m", "autograder.cli", "check", str(SOLUTIONS)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, env={"COLUMNS": "120", "PATH": "/usr/bin:/bin",
                                                                             "HOME": str(Path.home())})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "public checks pass" in done.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    done = subprocess.run([sys.executable, "-m", "autograder.cli", "check"], cwd=empty, capture_output=True,
                          text=True, timeout=600, env={"COLUMNS": "120", "PATH": "/usr/bin:/bin",
                                                       "HOME": str(Path.home()), "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1
    assert "missing" in done.stdout
