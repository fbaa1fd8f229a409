"""The engine's own contract: wire format, loading, partial credit, results.json, determinism."""

from __future__ import annotations

import json
import shutil
import zipfile

import numpy as np
import pytest

from autograder.core.loader import load_submission, notebook_to_source
from autograder.core.report import results_json
from autograder.core.sandbox import protocol
from helpers import ROOT, SOLUTIONS, grade, kit_context


def _roundtrip(value):
    chunks, offset = [], [0]
    spec = protocol.encode_value(value, chunks, offset)
    return protocol.decode_value(spec, memoryview(b"".join(chunks)))


@pytest.mark.parametrize("value", [np.arange(6.0).reshape(2, 3), np.float32(1.5), np.array(2.0),
                                   np.zeros((0, 3)), [1.0, [2, 3]], (1.0, -2.5), "mean", None, float("nan")])
def test_protocol_roundtrip_keeps_values_shapes_and_dtypes(value):
    back = _roundtrip(value)
    if isinstance(value, (np.ndarray, np.generic)):
        assert type(back) is type(value) and back.dtype == value.dtype and np.shape(back) == np.shape(value)
        assert np.array_equal(back, value)
    elif isinstance(value, float):
        assert np.isnan(back)
    else:
        assert back == value and type(back) is type(value)


@pytest.mark.parametrize("spec", [
    {"t": "array", "dtype": "|O", "shape": [1], "offset": 0, "nbytes": 8},  # object array
    {"t": "array", "dtype": "<f8", "shape": [2], "offset": 0, "nbytes": 8},  # size mismatch
    {"t": "array", "dtype": "<f8", "shape": [1], "offset": 4, "nbytes": 8},  # out of range
    {"t": "pickle", "v": "cos\nsystem\n"},
])
def test_protocol_rejects_malformed_values(spec):
    with pytest.raises(protocol.ProtocolError):
        protocol.decode_value(spec, memoryview(b"\0" * 8))


def test_notebook_code_cells_become_a_module_with_magics_commented():
    notebook = {"cells": [{"cell_type": "markdown", "source": "# title"},
                          {"cell_type": "code", "source": ["%matplotlib inline\n", "x = 1"]},
                          {"cell_type": "code", "source": "!pip install torch\ny = x + 1"}]}
    source = notebook_to_source(json.dumps(notebook).encode(), "activations.ipynb")
    namespace: dict = {"__file__": "/tmp/activations.py"}
    exec(compile(source, "nb", "exec"), namespace)
    assert namespace["y"] == 2 and "# %matplotlib" in source


def test_a_failing_notebook_cell_costs_only_what_it_defines():
    cells = [{"cell_type": "code", "source": "def f():\n    return 1\n"},
             {"cell_type": "code", "source": "f(  # a typo\n"},
             {"cell_type": "code", "source": "undefined_name + 1\ndef g():\n    return 2\n"},
             {"cell_type": "code", "source": "def h():\n    return f() + 2\n"}]
    source = notebook_to_source(json.dumps({"cells": cells}).encode(), "activations.ipynb")
    namespace: dict = {"__file__": "/tmp/activations.py"}
    exec(compile(source, "nb", "exec"), namespace)
    assert namespace["h"]() == 3 and "g" not in namespace


def test_zip_members_are_read_by_name_only(tmp_path):
    archive = tmp_path / "sub.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("../../activations.py", "X = 1\n")
        z.writestr("/abs/losses.py", "Y = 2\n")
        z.writestr("nested/dir/metrics.py", "Z = 3\n")
        z.writestr("json.py", "raise SystemExit\n")
    submission = load_submission(archive)
    assert submission.sources == {"activations": "X = 1\n", "losses": "Y = 2\n", "metrics": "Z = 3\n"}
    assert not (tmp_path.parent.parent / "activations.py").exists()


def test_solutions_get_full_marks(solutions_report):
    failed = [f"{r.function}: {r.check}: {r.output}" for r in solutions_report.results if not r.passed]
    assert not failed, "\n".join(failed)
    assert solutions_report.score == solutions_report.max_score > 0


def test_results_json_follows_gradescope_schema(solutions_report):
    data = results_json(solutions_report)
    assert data["score"] == solutions_report.score
    for test in data["tests"]:
        assert set(test) >= {"name", "score", "max_score", "status", "output", "visibility"}
        module, function = test["name"].split(":")[0].split(".")
        assert module in ("activations", "losses", "metrics") and function
        assert test["status"] in ("passed", "failed")
        assert test["visibility"] in ("visible", "after_published")


def test_missing_module_and_syntax_error_cost_only_their_points(tmp_path, solutions_report):
    shutil.copy(SOLUTIONS / "activations.py", tmp_path / "activations.py")
    (tmp_path / "losses.py").write_text("def mse_loss(input, target:\n")
    report = grade(tmp_path)
    full = solutions_report.by_function()
    for function, (score, most) in report.by_function().items():
        if function.startswith("activations."):
            assert score == full[function][0], function
        else:
            assert score == 0, function
    assert any("SyntaxError" in n for n in report.notes), report.notes
    assert any("metrics.py" in n and "missing" in n for n in report.notes), report.notes


def test_a_hanging_and_a_crashing_function_cost_only_themselves(tmp_path, solutions_report):
    for name in ("activations.py", "losses.py", "metrics.py"):
        shutil.copy(SOLUTIONS / name, tmp_path / name)
    with open(tmp_path / "activations.py", "a") as f:
        f.write("\n\ndef relu(z):\n    while True:\n        pass\n"
                "\n\ndef linear(z):\n    import os\n    os._exit(3)\n")
    report = grade(tmp_path, kit_context(call_timeout=1.0))
    full = solutions_report.by_function()
    for function, (score, most) in report.by_function().items():
        if function in ("activations.relu", "activations.linear"):
            assert score == 0, function
        else:
            assert score == full[function][0], function
    outputs = {r.output for r in report.results if r.function == "activations.relu"}
    assert any("deadline" in o for o in outputs), outputs


def test_endless_printing_at_import_costs_only_that_module(tmp_path, solutions_report):
    for name in ("activations.py", "losses.py", "metrics.py"):
        shutil.copy(SOLUTIONS / name, tmp_path / name)
    (tmp_path / "losses.py").write_text("while True:\n    print('spam' * 1000)\n")
    report = grade(tmp_path)
    full = solutions_report.by_function()
    for function, (score, most) in report.by_function().items():
        want = 0 if function.startswith("losses.") else full[function][0]
        assert score == want, f"{function}: received {score}, expected {want}"
    assert any("losses" in n and "printed more than" in n for n in report.notes), report.notes
    assert "spam" in report.student_output.get("losses", ""), report.student_output.keys()


def test_grading_twice_gives_identical_results(tmp_path):
    shutil.copytree(ROOT / "autograder" / "samples" / "student", tmp_path / "s")
    first, second = (results_json(grade(tmp_path / "s")) for _ in range(2))
    for data in (first, second):
        data.pop("execution_time")
        data["extra_data"].pop("timing")
    assert first == second
    assert first["score"] < first["extra_data"]["max_score"]


def test_modules_come_only_from_the_students_own_folders(tmp_path):
    """Packages, virtual environments, site-packages, __MACOSX and hidden folders are never
    searched; the copy nearest the top wins, a .py before an .ipynb at the same depth."""
    archive = tmp_path / "sub.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("hw/kit/__init__.py", "")
        z.writestr("hw/kit/activations.py", "FROM = 'package'\n")
        z.writestr("hw/venv/pyvenv.cfg", "home = /usr\n")
        z.writestr("hw/venv/lib/losses.py", "FROM = 'venv'\n")
        z.writestr("__MACOSX/hw/._metrics.py", "garbage")
        z.writestr("__MACOSX/hw/metrics.py", "FROM = 'macosx'\n")
        z.writestr("hw/.git/metrics.py", "FROM = 'hidden'\n")
        z.writestr("hw/lib/site-packages/metrics.py", "FROM = 'site'\n")
        z.writestr("hw/deeper/activations.py", "FROM = 'deeper'\n")
        z.writestr("hw/metrics.ipynb", json.dumps({"cells": [{"cell_type": "code", "source": "FROM = 'nb'"}]}))
        z.writestr("hw/metrics.py", "FROM = 'student'\n")
    submission = load_submission(archive)
    assert submission.sources["activations"] == "FROM = 'deeper'\n"
    assert submission.sources["metrics"] == "FROM = 'student'\n"
    assert "losses" not in submission.sources and "missing" in submission.problems["losses"]
    notes = " ".join(str(n) for n in submission.notes)
    assert "hw/metrics.ipynb" in notes and "hw/kit/" in notes and "hw/venv/" in notes


def test_report_timings_add_up(solutions_report):
    """The report's timing: start-up and one entry per graded module, each non-negative, together
    no more than the whole grading."""
    timing = solutions_report.timing
    assert set(timing) == {"start-up", "activations", "losses", "metrics"}, timing
    assert all(seconds >= 0 for seconds in timing.values())
    assert sum(timing.values()) <= solutions_report.execution_time + 0.01


FP_PROBE = """
import numpy as np

def naive(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))

def silenced(z):
    with np.errstate(over="ignore"):
        return naive(z)

def divides(z):
    return np.log(np.asarray(z, dtype=float)) - np.asarray(z, dtype=float) / 0.0

def kind(z):
    return np.array([isinstance(z, tuple), isinstance(z, list)])
"""


def test_the_worker_reports_floating_point_warnings_per_call(tmp_path):
    """numpy's overflow / invalid / divide errors during a call come back with its answer (the
    stubs promise none); a call that silences them itself, or raises none, reports none; and a
    tuple argument arrives as a tuple (issue 14)."""
    from autograder.core.sandbox.client import Budget, Worker
    from autograder.core.sandbox.isolation import Isolation, Limits
    (tmp_path / "probe.py").write_text(FP_PROBE, encoding="utf-8")
    worker = Worker(tmp_path, 3 * 1400, Budget(60), Isolation("none"), Limits(cpu_seconds=30, memory_mb=384))
    try:
        big = np.array([-1000.0, 0.0, 1000.0])
        answers = {name: worker.call("probe", name, (arg,)) for name, arg in
                   (("naive", big), ("silenced", big), ("divides", np.array([0.0, 1.0])), ("kind", (1.0, 2.0)))}
        small = worker.call("probe", "naive", (np.array([-1.0, 2.0]),))
        listed = worker.call("probe", "kind", ([1.0, 2.0],))
    finally:
        worker.stop()
    assert all(a.ok for a in answers.values()), {k: a.describe() for k, a in answers.items() if not a.ok}
    assert answers["naive"].warnings == ("overflow",)
    assert answers["silenced"].warnings == () and small.warnings == ()
    assert answers["divides"].warnings == ("invalid", "divide")
    assert answers["kind"].value.tolist() == [True, False] and listed.value.tolist() == [False, True]


class _Answers:
    """A student double: ``formula`` on float64 values, in the input's float dtype, reporting
    ``warnings`` on every call (what a worker reports)."""

    def __init__(self, formula, warnings=()):
        self.formula, self.warnings = formula, warnings

    def call(self, function, *args, **kwargs):
        from autograder.core.sandbox.client import Answer
        z = np.asarray(args[0])
        with np.errstate(all="ignore"):
            value = np.asarray(self.formula(z.astype(np.float64))).astype(z.dtype)
        return Answer("ok", value=value, kind="ndarray", warnings=self.warnings)


def test_the_stability_check_names_the_warning_or_the_first_non_finite_value():
    """Passing: stable values and no warning. Failing: a RuntimeWarning reported by the worker
    (the naive formula's right values do not help), or a non-finite value where the truth is
    finite, named by its index; the hint names the technique (issue 14)."""
    from autograder.core.checks import catalogue
    from autograder.core.checks.edges import STABILITY
    from autograder.core.checks.runner import run_check
    check = next(c for e in catalogue() if e.function == "activations.sigmoid" for c in e.checks
                 if c.name == STABILITY)
    ctx = kit_context()
    stable = lambda z: np.exp(-np.logaddexp(0.0, -z))  # noqa: E731
    assert run_check(check, _Answers(stable), ctx.oracles, None).passed
    warned = run_check(check, _Answers(stable, ("overflow",)), ctx.oracles, None)
    assert not warned.passed and dict(warned.detail.values)["problem"].key == "stability_warned"
    assert "overflow" in str(warned.detail) and warned.hint.key == "hint_stable_abs"
    ratio = run_check(check, _Answers(lambda z: np.exp(z) / (1 + np.exp(z))), ctx.oracles, None)
    text = ratio.detail.text("en")  # the comparison's words: every nan index, the errors
    assert "returned nan at index (10,), (11,), (12,)" in text and "elements differ" in text, text
    assert ratio.hint.key == "hint_stable_abs"
