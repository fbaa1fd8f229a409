"""The Gradescope autograder zip: its contents, setup.sh, and run_autograder on simulated trees.

run_autograder is run as Gradescope runs it (a shell script, as root) on a simulated
``/autograder`` tree (``DLGRADE_AUTOGRADER_ROOT``), with this venv's Python standing in for the
one setup.sh creates (``DLGRADE_PYTHON``). Every results.json is validated against Gradescope's
schema: a correct, a buggy, a hostile, an empty and a broken submission all get one.
"""

from __future__ import annotations

import io
import json
import math
import os
import shutil
import stat
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from autograder.core.checks import catalogue
from autograder.core.messages import say
from autograder.fronts import gradescope
from autograder.fronts.settings import COURSE_LANGUAGE
from helpers import MODULES, ROOT, SOLUTIONS, gradescope_tree

NOTEBOOK_TOOLING = ("nbgrader", "otter", "jupyter", "nbformat", "notebook", "ipykernel")


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory) -> Path:
    return gradescope.build_zip(tmp_path_factory.mktemp("zip") / "autograder.zip")


@pytest.fixture(scope="module")
def functions() -> set[str]:
    return {exercise.function for exercise in catalogue()}


def _member(archive: Path, name: str) -> str:
    with zipfile.ZipFile(archive) as z:
        return z.read(name).decode()


# -- the zip -----------------------------------------------------------------------------------------

def test_zip_has_gradescope_entry_points_at_its_root(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as z:
        infos = {info.filename: info for info in z.infolist()}
    assert {"setup.sh", "run_autograder", "requirements.txt"} <= set(infos)
    for script in ("setup.sh", "run_autograder"):
        mode = infos[script].external_attr >> 16
        assert stat.S_ISREG(mode) and mode & 0o111, f"{script} must be executable"
    names = set(infos)
    assert "autograder/core/engine.py" in names and "autograder/core/sandbox/worker.py" in names
    assert "reference/activations.py" in names
    assert {"pyproject.toml", "README.md"} <= names


def test_zip_ships_only_what_grading_needs(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as z:
        names = z.namelist()
    for name in names:
        top = name.split("/")[0]
        assert top not in ("solutions", "tests", "assignments", "bench", ".venv", ".git"), name
        assert "__pycache__" not in name and not name.endswith(".pyc"), name
        assert not name.startswith("autograder/samples/"), name
    # the zip is reproducible: building twice gives the same bytes
    again = gradescope.build_zip(autograder_zip.with_name("again.zip"))
    assert again.read_bytes() == autograder_zip.read_bytes()


def test_setup_sh_is_plain_sh_installing_only_what_grading_needs(autograder_zip):
    setup = _member(autograder_zip, "setup.sh")
    requirements = _member(autograder_zip, "requirements.txt")
    assert setup.startswith("#!/bin/sh\n")
    shell = shutil.which("dash") or shutil.which("sh")
    checked = subprocess.run([shell, "-n"], input=setup, text=True, capture_output=True)
    assert checked.returncode == 0, checked.stderr
    for package in ("python3-venv", "python3-pip", "bubblewrap"):
        assert package in setup
    lines = setup.splitlines()
    torch_line = next(i for i, line in enumerate(lines) if "pip install" in line and " torch" in line)
    assert "--index-url https://download.pytorch.org/whl/cpu" in lines[torch_line]
    kit_line = next(i for i, line in enumerate(lines) if line.rstrip().endswith('"$SOURCE"'))
    assert torch_line < kit_line and "--no-deps" in lines[kit_line]
    for tool in NOTEBOOK_TOOLING:
        assert tool not in setup.lower() and tool not in requirements.lower(), tool
    # requirements.txt: pyproject's dependencies minus torch (installed first) and notebook tooling
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {dep.split(">")[0].split("=")[0].split("<")[0].strip() for dep in project["dependencies"]}
    wanted = {d for d in declared if d not in ("torch",) and d not in NOTEBOOK_TOOLING}
    assert {line.split("==")[0] for line in requirements.split()} == wanted


def test_scripts_are_the_templates(autograder_zip):
    """setup.sh and run_autograder are autograder/templates/gradescope/, filled in: the pinned
    torch, and the fallback results.json in the zip's language (the course's by default)."""
    templates = ROOT / "autograder" / "templates" / "gradescope"
    torch = gradescope.requirements()[0]
    assert _member(autograder_zip, "setup.sh") == (templates / "setup.sh").read_text().replace(
        "{torch}", torch).replace("{index}", gradescope.TORCH_INDEX)
    script = _member(autograder_zip, "run_autograder")
    fallback = next(line for line in script.splitlines() if line.startswith("{"))
    assert script == (templates / "run_autograder").read_text().replace("{fallback_results}", fallback)
    assert json.loads(fallback)["output"] == say("internal_error").text(COURSE_LANGUAGE)
    assert json.loads(_member(autograder_zip, gradescope.CONFIG_NAME))["language"] == COURSE_LANGUAGE


# -- run_autograder on simulated trees -------------------------------------------------------------

def _run(root: Path, env_extra: dict | None = None) -> dict:
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(Path.home()),
           "DLGRADE_AUTOGRADER_ROOT": str(root), "DLGRADE_PYTHON": sys.executable,
           # the session's bank (tests/conftest.py), not the tree's cold one (test_gradescope_warm.py)
           "DLGRADE_BANK_DIR": os.environ["DLGRADE_BANK_DIR"]}
    env.update(env_extra or {})
    done = subprocess.run([str(root / "source" / "run_autograder")], env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    results_file = root / "results" / "results.json"
    assert results_file.is_file(), done.stdout[-2000:] + done.stderr[-2000:]
    assert not [p for p in results_file.parent.iterdir() if p.name != "results.json"], \
        "only results.json is left in results/ (written atomically)"
    return json.loads(results_file.read_text(), parse_constant=lambda c: pytest.fail(f"{c} in JSON"))


def validate(results: dict, functions: set[str]) -> None:
    """Gradescope's results.json schema, and the contract's test names."""
    assert isinstance(results["score"], (int, float)) and math.isfinite(results["score"])
    assert isinstance(results.get("output", ""), str)
    assert results.get("visibility", "visible") in gradescope.VISIBILITIES
    assert results.get("stdout_visibility", "hidden") in gradescope.VISIBILITIES
    assert isinstance(results["tests"], list)
    total = 0.0
    for test in results["tests"]:
        assert {"name", "score", "max_score", "status", "output", "visibility"} <= set(test), test
        assert isinstance(test["name"], str) and isinstance(test["output"], str)
        assert test["name"].split(":")[0] in functions, test["name"]
        assert test["name"].split(":")[0].split(".")[0] in MODULES
        assert isinstance(test["score"], (int, float)) and isinstance(test["max_score"], (int, float))
        assert 0 <= test["score"] <= test["max_score"]
        assert test["status"] in ("passed", "failed")
        assert (test["status"] == "passed") == (test["score"] >= test["max_score"])
        assert test["visibility"] in gradescope.VISIBILITIES
        assert test.get("output_format", "text") in ("text", "html", "simple_format", "md", "ansi")
        total += test["score"]
    assert abs(total - results["score"]) < 1e-6


def check_rows(results: dict, hidden_visibility: str, language: str = COURSE_LANGUAGE) -> None:
    """One Markdown row per function and visibility: a function's public checks in one visible row
    (each check listed with its mark and points), its hidden ones in one row of the hidden
    visibility; no visible row, and not the visible summary, counts a hidden check's points."""
    assert results["output_format"] == "md"
    public, hidden = {}, {}
    for exercise in catalogue():
        for check in exercise.checks:
            group = public if check.visibility == "public" else hidden
            group.setdefault(exercise.function, []).append(check)
    rows = {(t["name"], t["visibility"]): t for t in results["tests"]}
    assert len(rows) == len(results["tests"]) == len(public) + len(hidden)
    assert 38 <= len(results["tests"]) <= 76, len(results["tests"])
    for group, visibility, label in ((public, "visible", "gradescope_row_public"),
                                     (hidden, hidden_visibility, "gradescope_row_hidden")):
        for function, checks in group.items():
            row = rows[(f"{function}: {say(label).text(language)}", visibility)]
            assert row["output_format"] == "md"
            # the row's points are exactly its own checks' (a visible row never holds a hidden point)
            assert row["max_score"] == pytest.approx(sum(c.points for c in checks)), row["name"]
            items = [line for line in row["output"].splitlines() if line.startswith("- ")]
            assert len(items) == len(checks), row["output"]
            for check, item in zip(checks, items):
                assert item.startswith(("- ✅ **", "- ❌ **")), item
                assert f"/ {check.points:g})" in item, (item, check.points)
    visible_most = sum(t["max_score"] for t in results["tests"] if t["visibility"] == "visible")
    visible_got = sum(t["score"] for t in results["tests"] if t["visibility"] == "visible")
    summary = say("gradescope_summary_public", score=f"{visible_got:g}", max=f"{visible_most:g}").text(language)
    assert _plain(results["output"]).startswith(summary), results["output"]
    total_most = sum(t["max_score"] for t in results["tests"])
    assert f"/ {total_most:g}" not in results["output"], "the visible summary counts hidden points"


def _plain(markdown: str) -> str:
    """Markdown's backslash escapes and emphasis removed, entities unescaped: the text a student reads."""
    import html
    import re

    return html.unescape(re.sub(r"\\(.)", r"\1", markdown.replace("**", "")))


def _by_function(results: dict) -> dict[str, tuple[float, float]]:
    table: dict[str, tuple[float, float]] = {}
    for test in results["tests"]:
        function = test["name"].split(":")[0]
        got, most = table.get(function, (0.0, 0.0))
        table[function] = (got + test["score"], most + test["max_score"])
    return table


def test_correct_submission_full_marks(tmp_path, autograder_zip, functions):
    root = gradescope_tree(tmp_path, autograder_zip)
    for module in MODULES:
        shutil.copy(SOLUTIONS / f"{module}.py", root / "submission")
    results = _run(root)
    validate(results, functions)
    assert {t["name"].split(":")[0] for t in results["tests"]} == functions
    maximum = sum(t["max_score"] for t in results["tests"])
    assert results["score"] == pytest.approx(maximum) and maximum > 0
    visibilities = {t["visibility"] for t in results["tests"]}
    assert visibilities == {"visible", "after_published"}
    check_rows(results, "after_published")
    assert not (root / "submission" / "results.json").exists()


def test_buggy_submission_loses_points_on_that_function_only(tmp_path, autograder_zip, functions):
    """The slide's tanh derivative, in a zip with a nested folder (as students upload)."""
    root = gradescope_tree(tmp_path, autograder_zip)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for module in MODULES:
            source = (SOLUTIONS / f"{module}.py").read_text()
            if module == "activations":
                source += ("\n\ndef tanh_grad(z):\n    s = 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))\n"
                           "    return 1.0 - s ** 2\n")
            z.writestr(f"my work/{module}.py", source)
    (root / "submission" / "submission.zip").write_bytes(buffer.getvalue())
    results = _run(root, {"DLGRADE_HIDDEN_VISIBILITY": "after_due_date"})
    validate(results, functions)
    table = _by_function(results)
    lost = {f for f, (got, most) in table.items() if got < most}
    assert lost == {"activations.tanh_grad"}
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert any("tanh" in t["output"] for t in failed)
    assert {t["visibility"] for t in results["tests"]} == {"visible", "after_due_date"}
    check_rows(results, "after_due_date")
    # the failing function: its visible row lists the failed public checks with why and the hint,
    # and its score is the public points alone, whatever the hidden checks gave
    row = next(t for t in results["tests"] if t["name"].startswith("activations.tanh_grad:")
               and t["visibility"] == "visible")
    hidden = next(t for t in results["tests"] if t["name"].startswith("activations.tanh_grad:")
                  and t["visibility"] == "after_due_date")
    assert row["status"] == "failed" and row["score"] < row["max_score"] and hidden["score"] == 0
    assert "- ❌ **" in row["output"] and "- ✅ **" in row["output"]
    hint = say("hint_label", hint=say("hint_tanh_grad_sigmoid")).text(COURSE_LANGUAGE)
    assert " ".join(hint.split()) in " ".join(_plain(row["output"]).split())


def test_hostile_submission_costs_only_what_it_breaks(tmp_path, autograder_zip, functions):
    """losses.py exits the interpreter at import; activations.linear loops forever."""
    root = gradescope_tree(tmp_path, autograder_zip)
    submission = root / "submission"
    shutil.copy(SOLUTIONS / "metrics.py", submission)
    (submission / "losses.py").write_text("import os\nos._exit(0)\n")
    activations = (SOLUTIONS / "activations.py").read_text()
    activations += "\n\ndef linear(z):\n    while True:\n        pass\n"
    (submission / "activations.py").write_text(activations)
    results = _run(root)
    validate(results, functions)
    table = _by_function(results)
    assert table["activations.linear"][0] == 0
    timeout = say("call_timeout").text(COURSE_LANGUAGE)  # the zip speaks the course's language
    assert any(timeout in t["output"] for t in results["tests"] if t["name"].startswith("activations.linear:"))
    for function, (got, most) in table.items():
        if function.startswith("losses."):
            assert got == 0
        elif function not in ("activations.linear", "activations.linear_grad"):
            assert got == most, function
    assert sorted(p.name for p in submission.iterdir()) == ["activations.py", "losses.py", "metrics.py"]


def test_empty_and_unreadable_submissions_get_valid_results(tmp_path, autograder_zip, functions):
    root = gradescope_tree(tmp_path, autograder_zip)
    results = _run(root)  # an empty folder
    validate(results, functions)
    assert results["score"] == 0 and results["tests"]
    assert all(t["status"] == "failed" and t["output"] for t in results["tests"])
    # garbage: a broken zip, a binary 'module' and a notebook that is not JSON
    submission = root / "submission"
    (submission / "upload.zip").write_bytes(b"PK\x03\x04 not really a zip")
    (submission / "activations.py").write_bytes(b"\xff\xfe\x00garbage")
    (submission / "metrics.ipynb").write_text("{ not json")
    results = _run(root)
    validate(results, functions)
    assert results["score"] == 0
    # stdout closed early (a broken pipe) changes nothing: results are written before printing
    env = {"PATH": "/usr/bin:/bin", "DLGRADE_AUTOGRADER_ROOT": str(root), "DLGRADE_PYTHON": sys.executable,
           "HOME": str(Path.home()), "DLGRADE_BANK_DIR": os.environ["DLGRADE_BANK_DIR"]}
    subprocess.run(["sh", "-c", f"'{root}/source/run_autograder' | head -c 10"], env=env, timeout=600,
                   capture_output=True)
    again = json.loads((root / "results" / "results.json").read_text())
    validate(again, functions)
    assert again["tests"] == results["tests"]


def test_internal_errors_still_give_valid_results(tmp_path, autograder_zip, functions, monkeypatch):
    root = gradescope_tree(tmp_path, autograder_zip)
    # the Python side: grading raises -> every check at zero with a plain message
    import autograder.core.engine

    def broken(*args, **kwargs):
        raise RuntimeError("simulated defect of the kit")

    monkeypatch.setattr(autograder.core.engine, "grade", broken)
    gradescope.run(root)
    results = json.loads((root / "results" / "results.json").read_text())
    validate(results, functions)
    assert results["score"] == 0 and results["output"] == say("internal_error").text(COURSE_LANGUAGE)
    assert "simulated defect" not in json.dumps(results["tests"])
    # the shell side: Python itself cannot start -> the script's own fallback
    results = _run(root, {"DLGRADE_PYTHON": "/bin/false"})
    validate(results, functions)
    assert results["score"] == 0 and results["tests"] == []
