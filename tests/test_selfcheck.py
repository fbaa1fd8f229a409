"""The self-check and the command line as a student and an instructor meet them (issue 10, point 6).

One function at a time (`-k`), a path that does not exist refused with exit status 2, the
failed-checks column as wide as the terminal, a float32 answer shown as float32, an untouched
stub told once that it is not implemented, the kit's own files never listed as ignored, and a
command line whose every option says what it does.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import __version__
from autograder.fronts.cli import build_parser
from helpers import ROOT, SOLUTIONS

DLGRADE = [sys.executable, "-m", "autograder"]


def _run(command: list[str], cwd: Path = ROOT, columns: int = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": str(columns), "DLGRADE_LANG": "en"}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600, env=env)


@pytest.fixture(scope="module")
def hw1(release, tmp_path_factory) -> Path:
    """A copy of the session's release (tests/conftest.py): check.py runs in it."""
    out = tmp_path_factory.mktemp("selfcheck") / "hw1"
    shutil.copytree(release, out)
    return out


def _rows(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if re.search(r"\b(activations|losses|metrics)\.\w+\b", line)
            and "/" in line]


def test_check_one_function_with_k(hw1):
    done = _run([sys.executable, "check.py", str(SOLUTIONS), "-k", "sigmoid", "-k", "losses.mse_loss"], cwd=hw1)
    assert done.returncode == 0, done.stdout[-2000:]
    functions = {re.search(r"(activations|losses|metrics)\.\w+", row).group(0) for row in _rows(done.stdout)}
    assert functions == {"activations.sigmoid", "losses.mse_loss"}, functions
    kit = _run(DLGRADE + ["check", str(SOLUTIONS), "-k", "relu_grad"])
    assert kit.returncode == 0 and "activations.relu_grad" in kit.stdout and "activations.relu " not in kit.stdout
    unknown = _run(DLGRADE + ["check", str(SOLUTIONS), "-k", "no_such_function"])
    assert unknown.returncode == 2 and "no function named no_such_function" in unknown.stderr


@pytest.mark.parametrize("command", [["grade"], ["check"], ["grade", "--format", "json"]])
def test_a_path_that_does_not_exist_is_refused(command, tmp_path):
    missing = tmp_path / "nowhere"
    done = _run(DLGRADE + [command[0], str(missing), *command[1:]])
    assert done.returncode == 2, done.stdout[-1000:]
    assert "no such file or folder" in done.stderr and str(missing) in done.stderr
    assert "Total" not in done.stdout and "Score" not in done.stdout


def test_release_check_py_refuses_a_path_that_does_not_exist(hw1, tmp_path):
    done = _run([sys.executable, "check.py", str(tmp_path / "nowhere")], cwd=hw1)
    assert done.returncode == 2 and "no such file or folder" in done.stderr


def test_failed_checks_column_is_as_wide_as_the_terminal():
    # 500: the sample's tanh_grad fails nine checks, their titles fill more than 400 columns
    done = _run(DLGRADE + ["grade", str(ROOT / "autograder" / "samples" / "student")], columns=500)
    row = next(line for line in _rows(done.stdout) if "activations.tanh_grad" in line)
    assert "numerical stability at |z| up to 1e4 and the dtype limits" in row, row


def test_a_float32_answer_is_shown_as_float32(tmp_path):
    work = tmp_path / "float32"
    shutil.copytree(SOLUTIONS, work)
    with open(work / "activations.py", "a", encoding="utf-8") as handle:
        handle.write("\n\ndef relu(z):\n    z = _as_float(z)\n    return np.asarray(np.maximum(z, 0) + z.dtype.type(1))\n")
    done = _run(DLGRADE + ["grade", str(work)], columns=200)
    text = " ".join(done.stdout.split())
    found = re.search(r"relu\(array\(\[[^]]*\], shape=\(\d+,\), dtype=float32\)\): at index \(\d+,\): received (\w+)\(",
                      text)
    assert found, text[-3000:]
    assert found.group(1) == "float32", found.group(0)


def test_an_untouched_stub_is_told_once(hw1):
    done = _run([sys.executable, "check.py", "-k", "sigmoid_grad"], cwd=hw1)
    assert done.returncode == 1
    assert "not implemented" in done.stdout
    assert "could not be checked here" not in " ".join(done.stdout.split())


def test_the_kits_own_files_are_never_listed_as_ignored(hw1):
    done = _run([sys.executable, "check.py", "notebooks"], cwd=hw1, columns=300)
    assert "autograder/" not in done.stdout and "__init__.py" not in done.stdout, done.stdout[-2000:]


def _actions(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from ((f"{name} {a}", h) for a, h in _actions(sub))
        elif not isinstance(action, (argparse._HelpAction, argparse._VersionAction)):
            yield "/".join(action.option_strings) or action.dest, action.help


def test_every_option_says_what_it_does():
    silent = [name for name, help_text in _actions(build_parser()) if not help_text]
    assert not silent, f"options without help text: {silent}"


def test_help_and_version():
    done = _run(DLGRADE + ["--help"])
    assert done.returncode == 0 and "later" not in done.stdout
    for command in ("grade", "batch", "check", "release", "gradescope", "package", "assign"):
        assert command in done.stdout
    version = _run(DLGRADE + ["--version"])
    assert version.returncode == 0 and version.stdout.strip() == f"dlgrade {__version__}"
