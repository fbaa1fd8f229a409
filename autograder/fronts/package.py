"""`dlgrade package --out DIR`: the kit's two installable wheels, built by setuptools (``pip wheel``).

- the grader, ``dlgrade-<version>-py3-none-any.whl``: the whole ``autograder`` package (engine,
  checks catalogue, every front, templates; the ``dlgrade`` command) and ``reference/``. For where
  grading runs: a grading image (otter's autograder zip carries it), the instructor's nbgrader
  environment. No solutions, no sample submissions, no public bank.
- the student package, ``dlgrade_student-<version>-py3-none-any.whl``: exactly the ``autograder/``
  a release holds (``release.write_student_package``: the ``STUDENT_PACKAGE`` files, the public
  checks' titles and ``data/public.bank``), with the ``dlgrade-check`` command (the self-check).
  For the students' kernels: the notebooks' ``check()`` and otter's public tests run from it. No
  reference, no hidden check, no solution; the wheel is checked for exactly that before it is
  written (``verify_student``).

Both are built from a staging folder holding only what the wheel ships and a ``pyproject.toml``
written from ``templates/package/``; ``SOURCE_DATE_EPOCH`` fixes the dates inside the wheels.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

from .. import __version__
from ..core.messages import Message, say

KIT_ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "package"
GRADER, STUDENT = "dlgrade", "dlgrade-student"
STUDENT_PYTHON = ">=3.10"  # the self-check runs there (the release's check.py says so)
NOT_IN_GRADER = ("samples", "data")  # under autograder/: sample submissions (close to solutions), a bank
SOURCE_DATE_EPOCH = "1577836800"  # 2020-01-01: the dates inside the wheels
# where Gradescope unpacks the wheels/ folder an otter autograder zip ships (autograder_files)
OTTER_WHEELS = "/autograder/source/files/wheels"
TORCH = "torch>=2.2"  # pyproject's torch requirement (a test keeps them equal; a kit copy may lack pyproject)


class PackageError(Exception):
    """A wheel cannot be built: a message of the tables, and the build tool's output."""

    def __init__(self, message: Message, detail: str = ""):
        super().__init__(message.text("en") + ("\n" + detail if detail else ""))
        self.message, self.detail = message, detail

    def text(self, language: str) -> str:
        return self.message.text(language) + ("\n" + self.detail if self.detail else "")


def wheel_name(distribution: str, version: str = __version__) -> str:
    """The file name pip gives a pure-Python wheel: ``dlgrade_student-0.1.0-py3-none-any.whl``."""
    return f"{re.sub(r'[-_.]+', '_', distribution).lower()}-{version}-py3-none-any.whl"


def _pyproject(template: str, dependencies: list[str], python: str) -> str:
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    return (text.replace("{version}", __version__).replace("{python}", python)
            .replace("{dependencies}", json.dumps(dependencies)))


def _copy_tree(source: Path, target: Path, skip: tuple[str, ...] = ()) -> None:
    """A package folder without caches, dot files or the top-level folders in ``skip``."""
    def ignore(folder: str, names: list[str]) -> set[str]:
        here = Path(folder)
        return {n for n in names if n == "__pycache__" or n.startswith(".") or n.endswith((".pyc", ".pyo"))
                or (here == source and n in skip)}
    shutil.copytree(source, target, ignore=ignore)


def _build(staging: Path, out: Path, distribution: str) -> Path:
    """``pip wheel`` of ``staging`` into ``out`` with this environment's setuptools (no download);
    returns the wheel."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    # this environment's setuptools when it has one; else pip fetches it (build isolation)
    isolation = ["--no-build-isolation"] if _has_setuptools() else []
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation,
               "--wheel-dir", str(staging / "dist"), str(staging)]
    done = subprocess.run(command, cwd=staging, env=env, capture_output=True, text=True, timeout=600)
    built = staging / "dist" / wheel_name(distribution)
    if done.returncode != 0 or not built.is_file():
        raise PackageError(say("package_build_failed", name=distribution), (done.stdout + done.stderr)[-3000:])
    out.mkdir(parents=True, exist_ok=True)
    target = out / built.name
    shutil.copyfile(built, target)
    return target


def _has_setuptools() -> bool:
    import importlib.util

    return importlib.util.find_spec("setuptools") is not None


def build_grader(out: str | Path, kit: Path = KIT_ROOT) -> Path:
    """The grader's wheel in ``out``: ``autograder/`` (samples aside) and ``reference/``, with
    pyproject's dependencies and the ``dlgrade`` command."""
    project = tomllib.loads((kit / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    with tempfile.TemporaryDirectory(prefix="dlgrade-grader-") as folder:
        staging = Path(folder)
        _copy_tree(kit / "autograder", staging / "autograder", skip=NOT_IN_GRADER)
        _copy_tree(kit / "reference", staging / "reference")
        (staging / "pyproject.toml").write_text(
            _pyproject("grader.toml", list(project["dependencies"]), project.get("requires-python", ">=3.11")),
            encoding="utf-8")
        return _build(staging, Path(out), GRADER)


def verify_student(wheel: Path) -> None:
    """The student wheel holds the release's package and its metadata, nothing else (no
    reference, no solution, no catalogue code): PackageError naming what should not be there."""
    from .release import PUBLIC_BANK, STUDENT_PACKAGE

    allowed = {f"autograder/{name}" for name in (*STUDENT_PACKAGE, PUBLIC_BANK)}
    info = wheel.name.split("-py3-")[0] + ".dist-info/"
    extra = [n for n in members(wheel) if n not in allowed and not n.startswith(info)]
    if extra:
        raise PackageError(say("package_student_extra", files=", ".join(extra[:10])))


def build_student(out: str | Path, kit: Path = KIT_ROOT, language: str | None = None) -> Path:
    """The student package's wheel in ``out``: the release's ``autograder/`` (its public bank
    recorded now, in ``language``) and the ``dlgrade-check`` command.

    Call from the main thread (recording the bank grades the solutions through the sandbox)."""
    from .release import STUDENT_REQUIREMENTS, write_student_package

    with tempfile.TemporaryDirectory(prefix="dlgrade-student-") as folder:
        staging = Path(folder)
        write_student_package(staging / "autograder", kit, language)
        (staging / "pyproject.toml").write_text(
            _pyproject("student.toml", list(STUDENT_REQUIREMENTS), STUDENT_PYTHON), encoding="utf-8")
        wheel = _build(staging, staging / "checked", STUDENT)
        verify_student(wheel)
        Path(out).mkdir(parents=True, exist_ok=True)
        return Path(shutil.copyfile(wheel, Path(out) / wheel.name))


def build_packages(out: str | Path, kit: Path = KIT_ROOT, language: str | None = None) -> tuple[Path, Path]:
    """Both wheels in ``out``: (the grader's, the student package's)."""
    return build_grader(out, kit), build_student(out, kit, language)


def otter_requirements() -> str:
    """``assignments/otter/requirements.txt``: the grader from the wheel the otter zip carries
    (``--find-links``, no package index), torch (``TORCH``) from the CPU index."""
    from .gradescope import TORCH_INDEX

    text = (TEMPLATES.parent / "otter" / "requirements.txt").read_text(encoding="utf-8")
    values = {"wheels": OTTER_WHEELS, "version": __version__, "student_wheel": wheel_name(STUDENT),
              "torch_index": TORCH_INDEX, "torch": TORCH}
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def members(wheel: str | Path) -> list[str]:
    """The files inside a wheel."""
    with zipfile.ZipFile(wheel) as archive:
        return sorted(archive.namelist())
