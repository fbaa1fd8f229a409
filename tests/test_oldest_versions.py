"""The release's version floors are true (issue 10, point 4).

A release's ``requirements.txt`` says ``numpy>=A``, ``rich>=B``: a student whose pip picks exactly
those versions must get a working self-check. This test builds that student's environment (a
fresh venv on the oldest Python the release supports that this machine has, with exactly the
floor versions and nothing else: no hypothesis, no torch, no scikit-learn), then runs the
release's own ``check.py`` there: the solutions get every public point, and the stubs' report
(every function's row, the summary) renders. The floors were found by bisecting: numpy 1.26.4
gives the solutions 173.5/186 and rich 7.0 cannot build the report's table (see
``STUDENT_REQUIREMENTS`` in ``autograder/fronts/release.py``), so lowering either floor fails here.

It needs PyPI (pip downloads the old wheels) and takes about half a minute.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from autograder.core.checks import PUBLIC, catalogue
from autograder.core.messages import say
from autograder.fronts.release import STUDENT_REQUIREMENTS
from helpers import SOLUTIONS

OLDEST_PYTHON = "3.10"  # what the release's check.py says it needs ("Python 3.10+")


def _oldest_python() -> tuple[str, str]:
    """(interpreter, version): a python3.10 on the PATH or among pyenv's versions, where this
    machine has one, else the running Python."""
    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    candidates = [shutil.which(f"python{OLDEST_PYTHON}")]
    candidates += sorted(str(p) for p in pyenv.glob(f"{OLDEST_PYTHON}.*/bin/python{OLDEST_PYTHON}"))
    for found in filter(None, candidates):
        probe = subprocess.run([found, "-c", "import sys, venv; print(sys.version.split()[0])"],
                               capture_output=True, text=True)
        if probe.returncode == 0 and probe.stdout.startswith(OLDEST_PYTHON + "."):
            return found, probe.stdout.strip()
    return sys.executable, sys.version.split()[0]


def _pinned(requirement: str) -> str:
    """``numpy>=2.0`` -> ``numpy==2.0``: the floor itself."""
    name, _, floor = requirement.partition(">=")
    assert name and floor and not re.search(r"[<>!~,;]", floor), f"not a plain floor: {requirement}"
    return f"{name}=={floor}"


@pytest.fixture(scope="module")
def oldest_env(tmp_path_factory) -> Path:
    """A venv with exactly the floors of ``STUDENT_REQUIREMENTS``; its python."""
    python, version = _oldest_python()
    folder = tmp_path_factory.mktemp("oldest") / "venv"
    print(f"oldest-versions venv: Python {version} ({python}), {', '.join(map(_pinned, STUDENT_REQUIREMENTS))}")
    made = subprocess.run([python, "-m", "venv", str(folder)], capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    target = folder / "bin" / "python"
    installed = subprocess.run([str(target), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                                *map(_pinned, STUDENT_REQUIREMENTS)], capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-3000:]
    return target


def _check(python: Path, release: Path, path: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "DLGRADE_"))}
    env.update({"COLUMNS": "120", "DLGRADE_LANG": "en", "PYTHONDONTWRITEBYTECODE": "1"})
    return subprocess.run([str(python), "check.py", str(path)], cwd=release, capture_output=True, text=True,
                          timeout=600, env=env)


def test_release_requirements_are_the_floors(release):
    assert (release / "requirements.txt").read_text().split() == list(STUDENT_REQUIREMENTS)


def test_oldest_environment_has_exactly_the_floors(oldest_env):
    listed = subprocess.run([str(oldest_env), "-c",
                             "import importlib.metadata as m, sys\n"
                             "for n in sys.argv[1:]:\n"
                             "    try: print(n, m.version(n))\n"
                             "    except m.PackageNotFoundError: print(n, None)",
                             "numpy", "rich", "hypothesis", "torch", "scikit-learn"],
                            capture_output=True, text=True, timeout=120)
    versions = dict(line.split() for line in listed.stdout.splitlines())
    for requirement in STUDENT_REQUIREMENTS:
        name, floor = _pinned(requirement).split("==")
        # "2.0" is "2.0.0": compare release tuples padded with zeros
        got = [int(p) for p in versions[name].split(".")[:3]]
        want = [int(p) for p in floor.split(".")]
        assert got == want + [0] * (len(got) - len(want)), (name, versions[name], floor)
    assert versions["hypothesis"] == versions["torch"] == versions["scikit-learn"] == "None", versions


def test_check_py_with_the_oldest_versions(oldest_env, release, tmp_path):
    public = [c for e in catalogue() for c in e.checks if c.visibility == PUBLIC]
    points = f"{sum(c.points for c in public):g}"
    hw1 = tmp_path / "hw1"
    shutil.copytree(release, hw1)
    solved = _check(oldest_env, hw1, SOLUTIONS)
    full = say("selfcheck_summary", passed=len(public), total=len(public), score=points, max=points).text("en")
    assert solved.returncode == 0 and " ".join(full.split()) in " ".join(solved.stdout.split()), \
        solved.stdout[-4000:] + solved.stderr[-3000:]
    stubs = _check(oldest_env, hw1, hw1)
    nothing = say("selfcheck_summary", passed=0, total=len(public), score="0", max=points).text("en")
    assert stubs.returncode == 1, stubs.stdout[-2000:] + stubs.stderr[-3000:]
    assert " ".join(nothing.split()) in " ".join(stubs.stdout.split()), stubs.stdout[-3000:]
    assert say("table_title", score="0", max=points).text("en") in stubs.stdout
    rows = {m.group(1) for m in re.finditer(r"^│ ((?:activations|losses|metrics)\.\w+) +│ +0 / [\d.]+ │",
                                            stubs.stdout, re.MULTILINE)}
    assert rows == {c.function for c in public}, sorted({c.function for c in public} - rows)
