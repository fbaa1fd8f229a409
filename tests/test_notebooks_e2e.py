"""End to end: the generated notebooks through the real nbgrader and otter commands, and dlgrade.

Three submissions of each notebook: ``solved`` (the worked solutions), ``buggy`` (the solutions
with known mistakes: the slide's tanh derivative, the ReLU kink, the missing 1/N of a 'mean'
gradient, the slide's R²) and ``blank`` (the release, untouched). The per-function scores of
the same code graded as .py modules by ``dlgrade grade`` are the reference; then

- nbgrader: ``generate_assignment`` in a temporary course folder, then ``autograde`` of each
  submission: full marks, partial marks on exactly the buggy functions, zero;
- otter: ``otter assign`` of the master notebooks, then ``otter run`` of the same submissions:
  the same totals;
- dlgrade on the notebooks themselves (the student notebooks, and the very nbgrader and otter
  submissions): the same per-function scores, so the three graders agree function by function.

First, fast in-process tests of ``autograder.fronts.notebook`` (what the notebooks' cells call): plain
float points, nothing on stderr, the sandbox's deadline and forbidden-import rule applied in the
kernel, otter's AssertionError carrying the diagnosis.

The end-to-end tests run the real tools (Jupyter kernels, torch) and take minutes in all; each test stays
under about two minutes on two cores. They are not marked slow: they run wherever pytest runs.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from autograder.core.checks import catalogue
from autograder.fronts.assign import NBGRADER_ASSIGNMENT, parse_solution, render
from autograder.fronts.package import build_grader
from helpers import MODULES, ROOT, grade, kit_context

KINDS = ("solved", "buggy", "blank")
BUGS = {
    "activations": {
        "tanh_grad": "def tanh_grad(z):\n    s = sigmoid(z)  # the slide's 1 - σ(z)²\n    return np.asarray(1 - s ** 2)\n",
        "relu_grad": "def relu_grad(z):\n    z = _as_float(z)\n    return np.asarray(z >= 0, dtype=z.dtype)  # 1 at the kink\n",
    },
    "losses": {
        "mse_loss_grad": (
            "def mse_loss_grad(input, target, reduction=\"mean\"):\n"
            "    x = _as_float(input)\n"
            "    y = np.asarray(target, dtype=x.dtype)\n"
            "    return np.asarray(2 * (x - y))  # forgets the 1/N of 'mean'\n"),
    },
    "metrics": {
        "r2_score": (
            "def r2_score(y_true, y_pred):\n"
            "    y_true, y_pred = _as_float(y_true), _as_float(y_pred)\n"
            "    return np.sum((y_true - y_pred) ** 2) / np.sum((y_true - np.mean(y_true)) ** 2)  # slide\n"),
    },
}
BUGGY = {f"{m}.{name}" for m, bugs in BUGS.items() for name in bugs}
TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="module", autouse=True)
def _show_timings():
    """The wall-clock time of every step of this file, shown with `pytest -s` (figures, not checks:
    bench/bench_notebook_graders.py measures them)."""
    yield
    for label, seconds in sorted(TIMINGS.items()):
        print(f"{seconds:7.1f} s  {label}")


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")  # alembic, kernels
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[name] = "1"  # the kernels import torch: keep them to one thread each
    env.pop("DLGRADE_LANG", None)
    return env


ENV = _environment()


def _tool(name: str) -> str:
    found = shutil.which(name, path=ENV["PATH"])
    assert found, f"`{name}` is not installed: pip install -e '.[dev]' (nbgrader, otter-grader)"
    return found


def _run(command: list[str], cwd: Path, label: str, timeout: float = 600) -> subprocess.CompletedProcess:
    started = time.monotonic()
    result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=timeout)
    TIMINGS[label] = round(time.monotonic() - started, 1)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def _graded_modules() -> list[str]:
    return [m for m in MODULES if any(e.module == m and e.checks for e in catalogue())]


# -- the submissions ---------------------------------------------------------------------------------

def _functions(module: str, kind: str) -> dict[str, str]:
    """The code a student of ``kind`` writes, by function name (every stubbed function)."""
    if kind == "blank":
        return {}
    texts = {p.name: p.text for p in parse_solution(ROOT / "solutions" / f"{module}.py").functions}
    if kind == "buggy":
        texts.update(BUGS.get(module, {}))
    return texts


def _fill(source: Path, target: Path, module: str, kind: str) -> None:
    """A copy of a released notebook whose function cells hold the student's code."""
    texts = _functions(module, kind)
    notebook = nbformat.read(source, as_version=4)
    seen = set()
    for cell in notebook.cells:
        match = re.match(r"def (\w+)\(", cell.source) if cell.cell_type == "code" else None
        if match and match.group(1) in texts:
            cell.source = texts[match.group(1)]
            seen.add(match.group(1))
    assert seen == set(texts), f"{source}: no cell for {set(texts) - seen}"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)


def _py_submission(folder: Path, kind: str, generated: Path) -> Path:
    """The same code as plain modules."""
    folder.mkdir(parents=True, exist_ok=True)
    for module in MODULES:
        if kind == "blank":
            text = (generated / f"{module}.py").read_text(encoding="utf-8")
        else:
            text = (ROOT / "solutions" / f"{module}.py").read_text(encoding="utf-8")
            if kind == "buggy":
                pieces = {p.name: p for p in parse_solution(ROOT / "solutions" / f"{module}.py").functions}
                for name, bug in BUGS.get(module, {}).items():
                    assert text.count(pieces[name].text) == 1
                    text = text.replace(pieces[name].text, bug)
        (folder / f"{module}.py").write_text(text, encoding="utf-8")
    return folder


def _scores(report) -> dict[str, tuple[float, float]]:
    return {f: (round(s, 4), round(m, 4)) for f, (s, m) in report.by_function().items() if m > 0}


def _dlgrade(folder: Path, label: str) -> dict[str, tuple[float, float]]:
    started = time.monotonic()
    report = grade(folder, kit_context())
    TIMINGS[label] = round(time.monotonic() - started, 1)
    return _scores(report)


def _assert_kind(scores: dict[str, tuple[float, float]], kind: str, who: str) -> None:
    """Full marks, partial marks on exactly the buggy functions, or zero."""
    assert scores, f"{who}: no graded function"
    total = sum(s for s, _ in scores.values())
    most = sum(m for _, m in scores.values())
    if kind == "solved":
        assert total == most, f"{who}: {total} / {most}: {[f for f, (s, m) in scores.items() if s < m]}"
    elif kind == "blank":
        assert total == 0, f"{who}: the untouched release scored {total}"
    else:
        assert 0 < total < most
        for function, (score, maximum) in scores.items():
            if function in BUGGY:
                assert score < maximum, f"{who}: {function} is buggy but scored {score} / {maximum}"
            else:
                assert score == maximum, f"{who}: {function} is correct but scored {score} / {maximum}"


def _same(graded: dict, reference: dict, who: str) -> None:
    modules = {f.split(".")[0] for f in graded}
    wanted = {f: v for f, v in reference.items() if f.split(".")[0] in modules}
    differ = {f: (graded.get(f), wanted.get(f)) for f in set(graded) | set(wanted)
              if graded.get(f) != wanted.get(f)}
    assert not differ, f"{who} disagrees with dlgrade on the .py modules (got, reference): {differ}"


# -- autograder.fronts.notebook in this process (fast) -----------------------------------------------------

def _kernel_namespace(extra: str = "") -> dict:
    """What a notebook kernel holds after running the solved activations notebook (+ extra cells)."""
    namespace: dict = {"__name__": "__main__"}
    source = (ROOT / "solutions" / "activations.py").read_text(encoding="utf-8") + "\n" + extra
    exec(compile(source, "<notebook>", "exec"), namespace)
    return namespace


def _exercise(function: str):
    return next(e for e in catalogue() if e.function == function)


def test_check_returns_plain_float_points_and_stays_off_stderr(capfd):
    from autograder.fronts.notebook import check

    namespace = _kernel_namespace()
    total = _exercise("activations.tanh_grad").points
    public = sum(c.points for c in _exercise("activations.tanh_grad").checks if c.visibility == "public")
    assert type(check("activations.tanh_grad", namespace["tanh_grad"], public_only=False)) is float
    assert check("activations.tanh_grad", namespace["tanh_grad"], public_only=False) == total
    assert check("tanh_grad", namespace) == public  # a bare name and a namespace work too
    buggy = _kernel_namespace(BUGS["activations"]["tanh_grad"])
    score = check("activations.tanh_grad", buggy["tanh_grad"], public_only=False)
    assert 0 < score < total
    out, err = capfd.readouterr()
    assert err == "", err
    assert "✗ activations.tanh_grad" in out and "1 - tanh(z)" in out  # the slide's-mistake hint
    assert check("activations.no_such_function", namespace) == 0.0
    assert check("activations.sigmoid", {}) == 0.0
    assert check("activations.sigmoid", None) == 0.0
    assert capfd.readouterr().err == ""


def test_check_applies_the_sandbox_rules_in_the_kernel(capfd, monkeypatch):
    from autograder.fronts.notebook import check

    monkeypatch.setenv("DLGRADE_LANG", "en")  # the English texts (tests/test_i18n.py: the languages)
    hang = _kernel_namespace("def relu(z):\n    while True:\n        pass\n")
    started = time.monotonic()
    assert check("activations.relu", hang["relu"]) == 0.0
    assert time.monotonic() - started < 30, "one deadline per function, not one per example"
    assert "did not return before the deadline" in capfd.readouterr().out
    forbidden = _kernel_namespace("import torch\ndef tanh(z):\n    return torch.tanh(torch.as_tensor(z)).numpy()\n")
    assert check("activations.tanh", forbidden["tanh"]) == 0.0
    assert "not allowed in a submission" in capfd.readouterr().out
    mutates = _kernel_namespace("def linear(z):\n    z = np.asarray(z)\n    z *= 1.0\n    return z\n")
    full = sum(c.points for c in _exercise("activations.linear").checks if c.visibility == "public")
    assert check("activations.linear", mutates["linear"]) < full
    assert capfd.readouterr().err == ""


def test_run_check_raises_assertion_with_the_diagnosis(monkeypatch):
    from autograder.fronts.notebook import run_check

    monkeypatch.setenv("DLGRADE_LANG", "en")  # the English texts (tests/test_i18n.py: the languages)
    first = _exercise("activations.tanh_grad").checks[0].name
    run_check("activations.tanh_grad", first, _kernel_namespace()["tanh_grad"])  # passes: no exception
    buggy = _kernel_namespace(BUGS["activations"]["tanh_grad"])
    with pytest.raises(AssertionError, match=r"(?s)activations\.tanh_grad: .*expected.*Hint: .*tanh"):
        run_check("activations.tanh_grad", first, buggy["tanh_grad"])
    with pytest.raises(AssertionError, match="regenerate the notebooks"):
        run_check("activations.tanh_grad", "a check that does not exist", buggy["tanh_grad"])
    with pytest.raises(AssertionError, match="not defined"):
        run_check("activations.tanh_grad", first, None)  # otter passes None for a missing global


def test_a_kernel_loads_the_bank_once_and_again_when_the_file_changes(tmp_path, monkeypatch):
    """otter calls run_check once per check (203 test cases for activations): loading the bank
    for each of them made an otter run of a notebook take minutes instead of seconds."""
    from autograder.core import bank as bank_module
    from autograder.fronts import notebook

    monkeypatch.setenv("DLGRADE_BANK_DIR", str(tmp_path))
    monkeypatch.setattr(notebook, "_KEPT", {}, raising=False)
    path = bank_module.path_in(tmp_path)
    bank_module.write(path, {}, {}, {}, [])
    loads: list = []
    real_load = bank_module.Bank._load
    monkeypatch.setattr(bank_module.Bank, "_load", lambda self, p: (loads.append(p), real_load(self, p))[1])
    sigmoid = _kernel_namespace()["sigmoid"]
    for check in _exercise("activations.sigmoid").checks[:3]:
        notebook.run_check("activations.sigmoid", check.name, sigmoid)
    assert loads == [path]
    bank_module.write(path, {}, {}, {}, [])  # rewritten (os.replace: another file)
    notebook.run_check("activations.sigmoid", _exercise("activations.sigmoid").checks[0].name, sigmoid)
    assert loads == [path, path]
    monkeypatch.setenv("DLGRADE_BANK_DIR", str(tmp_path / "elsewhere"))  # no file there: nothing loaded
    notebook.run_check("activations.sigmoid", _exercise("activations.sigmoid").checks[0].name, sigmoid)
    assert loads == [path, path]


# -- fixtures ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("notebooks-e2e")


@pytest.fixture(scope="module")
def generated(work) -> Path:
    """What `dlgrade assign` writes now (tests/test_assign.py checks assignments/ is just that)."""
    folder = work / "assignments"
    for relative, text in render(ROOT).items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def reference(work, generated):
    """Per-function scores of each kind of submission as .py modules (dlgrade grade)."""
    cache: dict[str, dict] = {}

    def get(kind: str) -> dict[str, tuple[float, float]]:
        if kind not in cache:
            cache[kind] = _dlgrade(_py_submission(work / "py" / kind, kind, generated), f"dlgrade .py {kind}")
            _assert_kind(cache[kind], kind, f"dlgrade on .py ({kind})")
        return cache[kind]

    return get


@pytest.fixture(scope="module")
def course(work, generated) -> Path:
    """A temporary nbgrader course: assignments/nbgrader copied, the release generated."""
    course = work / "course"
    shutil.copytree(generated / "nbgrader", course)
    _run([_tool("nbgrader"), "generate_assignment", NBGRADER_ASSIGNMENT, "--force"], course,
         "nbgrader generate_assignment")
    for module in MODULES:
        assert (course / "release" / NBGRADER_ASSIGNMENT / f"{module}.ipynb").exists()
    return course


@pytest.fixture(scope="module")
def otter_dist(work, generated) -> dict[str, tuple[Path, Path]]:
    """``otter assign`` of each master notebook: module -> (student notebook, autograder zip)."""
    folder = work / "otter"
    shutil.copytree(generated / "otter", folder)
    build_grader(folder / "wheels")  # `dlgrade package --out wheels`: the zip ships the grader wheel
    modules = _graded_modules()

    def assign_one(module: str):
        _run([_tool("otter"), "assign", f"{module}.ipynb", f"dist-{module}"], folder, f"otter assign {module}")
        zips = glob.glob(str(folder / f"dist-{module}" / "autograder" / "*.zip"))
        assert len(zips) == 1
        return module, (folder / f"dist-{module}" / "student" / f"{module}.ipynb", Path(zips[0]))

    with ThreadPoolExecutor(max_workers=2) as pool:
        dist = dict(pool.map(assign_one, modules))
    for module, (student, _) in dist.items():
        text = student.read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in text and "autograder/" not in text
        assert not (student.parent / "tests").exists(), "otter copied test files to the student folder"
    return dist


# -- the tests ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_dlgrade_grades_notebooks_like_modules(kind, work, generated, reference):
    """dlgrade on the filled-in student notebooks == dlgrade on the same code as .py modules."""
    folder = work / "student-notebooks" / kind
    for module in MODULES:
        _fill(generated / "notebooks" / f"{module}.ipynb", folder / f"{module}.ipynb", module, kind)
    scores = _dlgrade(folder, f"dlgrade notebooks {kind}")
    _same(scores, reference(kind), f"dlgrade on notebooks ({kind})")
    _assert_kind(scores, kind, f"dlgrade on notebooks ({kind})")


@pytest.mark.parametrize("kind", KINDS)
def test_nbgrader_autograde(kind, course, reference):
    from nbgrader.api import Gradebook

    submitted = course / "submitted" / kind / NBGRADER_ASSIGNMENT
    for module in MODULES:
        _fill(course / "release" / NBGRADER_ASSIGNMENT / f"{module}.ipynb", submitted / f"{module}.ipynb",
              module, kind)
    _run([_tool("nbgrader"), "autograde", NBGRADER_ASSIGNMENT, "--student", kind, "--force"], course,
         f"nbgrader autograde {kind}")
    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(NBGRADER_ASSIGNMENT, kind)
        for notebook in submission.notebooks:
            for cell in notebook.grades:
                assert cell.name.startswith("test_")
                scores[f"{notebook.name}.{cell.name[5:]}"] = (round(cell.score, 4), round(cell.max_score, 4))
    _assert_kind(scores, kind, f"nbgrader ({kind})")
    _same(scores, reference(kind), f"nbgrader ({kind})")
    # the very notebooks nbgrader graded, through the sandboxed grader
    _same(_dlgrade(submitted, f"dlgrade nbgrader-submitted {kind}"), reference(kind),
          f"dlgrade on the nbgrader submission ({kind})")


def _otter_run(zip_path: Path, submission: Path, out: Path, label: str) -> dict[str, tuple[float, float]]:
    """``otter run`` of one notebook: its scores by ``module.function`` check."""
    module = submission.stem
    out.mkdir(parents=True, exist_ok=True)
    _run([_tool("otter"), "run", "-a", str(zip_path), "-o", str(out), str(submission)], submission.parent, label)
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return {f"{module}.{t['name']}": (round(t["score"], 4), round(t["max_score"], 4))
            for t in results["tests"] if "score" in t and t.get("max_score")}


@pytest.fixture(scope="module")
def otter_runs(work, otter_dist):
    """The nine ``otter run`` (every kind, every module), queued at once in one pool of two:
    kind -> module -> future of its scores. Each run is CPU-bound on one core, so two at a time
    fill the machine; queued kind by kind (in the tests' order), the next kind's runs start as
    soon as a slot frees instead of waiting for the slowest notebook of the kind before
    (activations: 203 test cases). A run that fails raises in its kind's test."""
    # Fill every notebook here, in the main thread: parsing in the pool's threads (ast.parse
    # via parse_solution) raced on CPython < 3.11.8, whose AST builder kept its recursion depth
    # in a global (gh-106905): once hypothesis had installed its GC hook in the process, about
    # 1 round in 60 failed with "SystemError: AST constructor recursion depth mismatch".
    for kind in KINDS:
        for module, (student, _) in otter_dist.items():
            _fill(student, work / "otter-submissions" / kind / f"{module}.ipynb", module, kind)
    pool = ThreadPoolExecutor(max_workers=2)
    try:
        yield {kind: {module: pool.submit(_otter_run, zip_path, work / "otter-submissions" / kind / f"{module}.ipynb",
                                          work / "otter-submissions" / f"out-{kind}-{module}",
                                          f"otter run {module} {kind}")
                      for module, (_, zip_path) in otter_dist.items()}
               for kind in KINDS}
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@pytest.mark.parametrize("kind", KINDS)
def test_otter_run(kind, work, otter_runs, reference):
    folder = work / "otter-submissions" / kind
    scores: dict[str, tuple[float, float]] = {}
    for future in otter_runs[kind].values():
        scores.update(future.result())
    _assert_kind(scores, kind, f"otter ({kind})")
    _same(scores, reference(kind), f"otter ({kind})")
    _same(_dlgrade(folder, f"dlgrade otter-submitted {kind}"), reference(kind),
          f"dlgrade on the otter submission ({kind})")
