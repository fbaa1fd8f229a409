"""``dlgrade assign``: the stubs and notebooks written from solutions/, and the drift check.

- every contract function (CONTRACT.md) has a stub that raises NotImplementedError, with the
  solution's exact signature (names, order, defaults, annotations), and its docstring in the
  course's language (Portuguese: templates/docstrings/pt; English: solutions/' own);
- the generated notebooks are valid, carry the nbgrader and otter structure their tools need,
  and give every graded function the catalogue's checks and points;
- ``dlgrade assign --check`` passes on the repository, and fails naming the file when a solution
  changes (in a temporary copy of the repository, so the real one is never touched);
- the output is byte-deterministic;
- ``--lang en --out DIR`` writes the same assignments in English (same cells), and a text missing
  in either language fails ``--check`` naming its file.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from autograder import __version__  # noqa: E402
from autograder.fronts import assign  # noqa: E402

ASSIGNMENTS = ROOT / "assignments"
MODULES = ("activations", "losses", "metrics")
CONTRACT = {  # CONTRACT.md, independently of the generator
    "activations": [
        "sigmoid", "sigmoid_grad", "tanh", "tanh_grad", "relu", "relu_grad", "leaky_relu",
        "leaky_relu_grad", "softplus", "softplus_grad", "elu", "elu_grad", "selu", "selu_grad",
        "swish", "swish_grad", "linear", "linear_grad", "softmax", "log_softmax", "softmax_jacobian",
    ],
    "losses": [
        "gaussian_nll", "mse_loss", "mse_loss_grad", "bce_loss", "bce_with_logits",
        "bce_with_logits_grad", "cross_entropy", "cross_entropy_grad",
    ],
    "metrics": [
        "mean_squared_error", "mean_absolute_error", "r2_score", "accuracy_score", "confusion_matrix",
        "precision_score", "recall_score", "fbeta_score", "f1_score",
    ],
}
CONTRACT_DEFAULTS = {  # the defaults CONTRACT.md fixes, checked on the stubs themselves
    ("activations", "leaky_relu"): {"alpha": 0.01}, ("activations", "softplus"): {"beta": 1.0, "threshold": 20.0},
    ("activations", "elu"): {"alpha": 1.0}, ("activations", "swish"): {"beta": 1.0},
    ("activations", "softmax"): {"axis": -1}, ("activations", "log_softmax"): {"axis": -1},
    ("losses", "gaussian_nll"): {"var": 1.0, "reduction": "mean"},
    ("losses", "bce_with_logits"): {"pos_weight": None, "reduction": "mean"},
    ("metrics", "precision_score"): {"average": "binary", "pos_label": 1, "zero_division": 0.0},
    ("metrics", "fbeta_score"): {"average": "binary", "pos_label": 1, "zero_division": 0.0},
}


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def stubs():
    return {m: _load(ASSIGNMENTS / f"{m}.py", f"_stub_{m}") for m in MODULES}


@pytest.fixture(scope="module")
def solutions():
    return {m: _load(ROOT / "solutions" / f"{m}.py", f"_solution_{m}") for m in MODULES}


@pytest.fixture(scope="module")
def info():
    return assign.catalogue_info()


def _notebook(relative: str):
    return nbformat.read(ASSIGNMENTS / relative, as_version=4)


def _arguments(function) -> list:
    """Plausible positional arguments for the required parameters (the stub ignores them)."""
    import numpy as np
    out = []
    for parameter in inspect.signature(function).parameters.values():
        if parameter.default is inspect.Parameter.empty and parameter.kind in (
                parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
            out.append(1.0 if parameter.name == "beta" else np.array([0.25, 0.75]))
    return out


# -- the .py stubs ---------------------------------------------------------------------------------

@pytest.mark.parametrize("module", MODULES)
def test_every_contract_function_is_a_stub_that_raises(stubs, module):
    for name in CONTRACT[module]:
        function = getattr(stubs[module], name, None)
        assert callable(function), f"assignments/{module}.py has no {name}"
        with pytest.raises(NotImplementedError, match=re.escape(name)):
            function(*_arguments(function))


@pytest.mark.parametrize("module", MODULES)
def test_helpers_with_solution_regions_are_stubs_too(stubs, solutions, module):
    parsed = assign.parse_solution(ROOT / "solutions" / f"{module}.py")
    for piece in parsed.functions:
        function = getattr(stubs[module], piece.name)
        with pytest.raises(NotImplementedError):
            function(*_arguments(function))


@pytest.mark.parametrize("module", MODULES)
def test_signatures_and_docstrings_are_the_solutions(stubs, solutions, module):
    public = lambda m: [n for n, f in inspect.getmembers(m, inspect.isfunction)  # noqa: E731
                        if f.__module__ == m.__name__]
    assert public(stubs[module]) == public(solutions[module])
    for name in public(solutions[module]):
        stub, solution = getattr(stubs[module], name), getattr(solutions[module], name)
        assert inspect.signature(stub) == inspect.signature(solution), name
        assert list(inspect.signature(stub).parameters) == list(inspect.signature(solution).parameters)
        if solution.__doc__:  # the course's language: the Portuguese docstring of templates/docstrings/pt
            portuguese = assign.docstring_file(module, name, "pt").read_text(encoding="utf-8").strip("\n")
            assert inspect.cleandoc(stub.__doc__) == portuguese, name
            assert inspect.cleandoc(stub.__doc__) != inspect.cleandoc(solution.__doc__), f"{name}: not translated"
    assert inspect.cleandoc(stubs[module].__doc__) == \
        assign.docstring_file(module, "_module", "pt").read_text(encoding="utf-8").strip("\n")
    for (mod, name), defaults in CONTRACT_DEFAULTS.items():
        if mod != module:
            continue
        parameters = inspect.signature(getattr(stubs[module], name)).parameters
        for parameter, value in defaults.items():
            assert parameters[parameter].default == value, (name, parameter)


@pytest.mark.parametrize("module", MODULES)
def test_stub_is_the_solution_outside_the_marked_regions(module):
    stub = (ASSIGNMENTS / f"{module}.py").read_text(encoding="utf-8")
    solution = assign.translate_docstrings((ROOT / "solutions" / f"{module}.py").read_text(encoding="utf-8"),
                                           module, "pt")
    assert stub.startswith("# GERADO pelo `dlgrade assign` a partir de solutions/ — não edite")
    assert "BEGIN SOLUTION" not in stub and "END SOLUTION" not in stub
    kept = re.sub(r"(?ms)^([ \t]*)### BEGIN SOLUTION\n.*?^[ \t]*### END SOLUTION\n",
                  lambda m: m.group(1) + "RAISE\n", solution)
    body = "\n".join(stub.splitlines()[3:]) + "\n"
    assert re.sub(r'(?m)^([ \t]*)raise NotImplementedError\(".*"\)$', r"\1RAISE", body) == kept
    for line in body.splitlines():
        if "raise NotImplementedError(" in line:
            assert re.search(r'raise NotImplementedError\("\w+: implemente .*— veja a docstring"\)', line)


# -- the notebooks -----------------------------------------------------------------------------------

ALL_NOTEBOOKS = [f"{kind}/{m}.ipynb" for kind in ("notebooks", "otter") for m in MODULES] + [
    f"nbgrader/source/{assign.NBGRADER_ASSIGNMENT}/{m}.ipynb" for m in MODULES]


@pytest.mark.parametrize("relative", ALL_NOTEBOOKS)
def test_notebooks_are_valid_with_stable_ids(relative):
    notebook = _notebook(relative)
    nbformat.validate(notebook)
    ids = [cell.id for cell in notebook.cells]
    assert len(set(ids)) == len(ids)
    assert all(cell.get("outputs", []) == [] and cell.get("execution_count") is None
               for cell in notebook.cells if cell.cell_type == "code")
    text = (ASSIGNMENTS / relative).read_text(encoding="utf-8")
    assert not re.search(r"20\d\d-\d\d-\d\dT", text), "a timestamp in a generated notebook"


@pytest.mark.parametrize("module", MODULES)
def test_student_notebook_has_stubs_and_public_checks(module, info):
    cells = _notebook(f"notebooks/{module}.ipynb").cells
    assert cells[0].cell_type == "markdown" and "Exercício" in cells[0].source
    setup = cells[1].source
    assert "import numpy as np" in setup and "from autograder import check" in setup
    code = "\n".join(c.source for c in cells if c.cell_type == "code")
    assert "BEGIN SOLUTION" not in code
    for name in CONTRACT[module]:
        stub = [c for c in cells if c.cell_type == "code" and c.source.startswith(f"def {name}(")]
        assert len(stub) == 1 and f'raise NotImplementedError("{name}: implemente' in stub[0].source
        after = cells[cells.index(stub[0]) + 1]
        assert after.source == f'check("{module}.{name}", {name});'
        before = cells[cells.index(stub[0]) - 1]
        assert before.cell_type == "markdown" and "$" in before.source  # a LaTeX formula


def test_the_slides_errata_are_corrected_and_named():
    text = {m: "\n".join(c.source for c in _notebook(f"notebooks/{m}.ipynb").cells
                         if c.cell_type == "markdown") for m in MODULES}
    assert r"1 - \tanh^2(z)" in text["activations"] and r"1 - (\sigma(z))^2" in text["activations"]
    assert r"\sigma(\beta z) + \beta z\,\sigma(\beta z)\bigl(1 - \sigma(\beta z)\bigr)" in text["activations"]
    assert r"\alpha e^{z}, & z \le 0" in text["activations"]
    assert r"\sigma(\beta z), & \beta z \le k" in text["activations"]
    assert r"R^2 = 1 - \frac{SS_{res}}{SS_{tot}}" in text["metrics"] and "sem o" in text["metrics"]
    assert "amostras" in text["losses"] and "i.i.d." in text["losses"]
    for module in MODULES:
        assert "Errata" in text[module]


@pytest.mark.parametrize("module", MODULES)
def test_nbgrader_source_cells(module, info):
    cells = _notebook(f"nbgrader/source/{assign.NBGRADER_ASSIGNMENT}/{module}.ipynb").cells
    graded = {}
    grade_ids = []
    for cell in cells:
        meta = cell.metadata.get("nbgrader")
        if not meta:
            continue
        assert meta["schema_version"] == 3 and re.fullmatch(r"[A-Za-z0-9_-]+", meta["grade_id"])
        grade_ids.append(meta["grade_id"])
        if meta["solution"]:
            assert not meta["locked"] and "### BEGIN SOLUTION" in cell.source
        if meta["grade"]:
            assert meta["locked"] and not meta["solution"]
            assert "### BEGIN HIDDEN TESTS" in cell.source and "### END HIDDEN TESTS" in cell.source
            last = cell.source.rstrip().splitlines()[-1]
            match = re.fullmatch(r'check\("([\w.]+)", (\w+), public_only=somente_publicas\)', last)
            assert match, last
            graded[match.group(1)] = meta["points"]
    assert len(set(grade_ids)) == len(grade_ids)
    expected = {f: sum(c.points for c in checks) for f, checks in info.items()
                if f.startswith(module + ".") and checks}
    assert graded == expected


def test_nbgrader_config_is_hardened():
    text = (ASSIGNMENTS / "nbgrader" / "nbgrader_config.py").read_text(encoding="utf-8")
    assert "c.OverwriteCells.add_missing_cells = True" in text
    assert '"*.py"' in text and "c.CourseDirectory.ignore" in text
    assert "nbgrader.preprocessors.ClearHiddenTests" in text and "GenerateFeedback.preprocessors" in text
    compile(text, "nbgrader_config.py", "exec")


@pytest.mark.parametrize("module", MODULES)
def test_otter_master_notebook(module, info):
    cells = _notebook(f"otter/{module}.ipynb").cells
    assert cells[0].cell_type == "raw" and cells[0].source.startswith("# ASSIGNMENT CONFIG")
    import yaml
    config = yaml.safe_load(cells[0].source)
    assert config["tests"] == {"files": False, "ok_format": False}
    assert config["requirements"] == "requirements.txt"
    assert f"dlgrade=={__version__}" in (ASSIGNMENTS / "otter" / "requirements.txt").read_text().splitlines()
    # the grader wheel (`dlgrade package --out wheels`) goes in the autograder zip only, never to students
    assert not config.get("files") and config.get("autograder_files") == ["wheels"]
    questions, current = {}, None
    for cell in cells:
        if cell.cell_type == "raw" and cell.source.startswith("# BEGIN QUESTION"):
            current = yaml.safe_load(cell.source.split("\n", 1)[1])["name"]
            questions[current] = []
        elif cell.cell_type == "code" and current and '""" # BEGIN TEST CONFIG' in cell.source:
            head = yaml.safe_load(cell.source.split('"""')[1].replace("# BEGIN TEST CONFIG", ""))
            call = re.search(r'run_check\("([\w.]+)", (".*"), (\w+)\)', cell.source)
            assert call and call.group(3) == current
            questions[current].append((json.loads(call.group(2)), head["points"], head["hidden"]))
        elif cell.cell_type == "raw" and cell.source == "# END QUESTION":
            current = None
    expected = {f.split(".")[1]: [(c.name, c.points, c.hidden) for c in checks]
                for f, checks in info.items() if f.startswith(module + ".") and checks}
    assert questions == expected
    code = "\n".join(c.source for c in cells if c.cell_type == "code")
    assert "### BEGIN SOLUTION" not in code and "# BEGIN SOLUTION NO PROMPT" in code


# -- determinism and the drift check --------------------------------------------------------------------

RENDER = ("import hashlib, json, sys; from autograder.fronts import assign; "
          "files = assign.render_all(); print(json.dumps({k: hashlib.sha256(v.encode()).hexdigest() "
          "for k, v in sorted(files.items())}))")


def test_render_is_deterministic_across_processes():
    """Two fresh processes (other hash seeds, other dict orders) write the same bytes."""
    import json
    import os
    import subprocess
    digests = []
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-c", RENDER], cwd=ROOT, capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        digests.append(json.loads(done.stdout))
    assert digests[0] == digests[1] and len(digests[0]) > 10


def test_assign_check_passes_on_the_repository():
    drift = assign.check_assignments(ROOT)
    assert drift == [], "assignments/ is stale: run `dlgrade assign`\n" + "\n".join(drift)


def _copy_repo(tmp_path: Path) -> Path:
    for folder in ("solutions", "autograder", "assignments", "reference", "docs"):
        shutil.copytree(ROOT / folder, tmp_path / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return tmp_path


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    # `python -m` puts the working directory first on sys.path: the copy's autograder is used
    return subprocess.run([sys.executable, "-m", "autograder.fronts.cli", "assign", *args], cwd=root,
                          capture_output=True, text=True, timeout=300)


def test_assign_check_names_the_drifted_files_in_a_copy(tmp_path):
    root = _copy_repo(tmp_path)
    first = _cli(root, "--check")
    assert first.returncode == 0, first.stderr
    docstring = root / "autograder" / "templates" / "docstrings" / "pt" / "activations" / "sigmoid.txt"
    text = docstring.read_text(encoding="utf-8")
    changed = text.replace("Sigmoid logística (função sigmoid)", "Sigmoid logística (função logística)", 1)
    assert changed != text
    docstring.write_text(changed, encoding="utf-8")
    (root / "assignments" / "metrics.py").write_text("# edited by hand\n", encoding="utf-8")
    drift = _cli(root, "--check")
    assert drift.returncode == 1
    named = drift.stderr
    for relative in ("assignments/activations.py", "assignments/notebooks/activations.ipynb",
                     f"assignments/nbgrader/source/{assign.NBGRADER_ASSIGNMENT}/activations.ipynb",
                     "assignments/otter/activations.ipynb",
                     "assignments/metrics.py"):  # a hand edit of a generated file is drift too
        assert relative in named, named
    assert "assignments/losses.py" not in named and "notebooks/metrics.ipynb" not in named
    # regenerating (the copy's own generator, with its templates) fixes everything
    assert _cli(root).returncode == 0
    assert _cli(root, "--check").returncode == 0
    assert "função logística" in (root / "assignments" / "activations.py").read_text(encoding="utf-8")


# -- the other language -------------------------------------------------------------------------------

def _module_from_text(text: str, name: str):
    module = type(sys)(name)
    exec(compile(text, f"<{name}>", "exec", dont_inherit=True), module.__dict__)
    return module


@pytest.fixture(scope="module")
def english():
    return assign.render(ROOT, "en")


@pytest.mark.parametrize("module", MODULES)
def test_english_stubs_carry_the_solutions_docstrings(english, solutions, module):
    stub = _module_from_text(english[f"{module}.py"], f"_english_{module}")
    assert english[f"{module}.py"].startswith("# GENERATED by `dlgrade assign` from solutions/ — do not edit")
    assert stub.__doc__ == solutions[module].__doc__
    for name in CONTRACT[module]:
        assert getattr(stub, name).__doc__ == getattr(solutions[module], name).__doc__, name
        assert inspect.signature(getattr(stub, name)) == inspect.signature(getattr(solutions[module], name))
        with pytest.raises(NotImplementedError, match=re.escape(f"{name}: implement this function — see the docstring")):
            getattr(stub, name)(*_arguments(getattr(stub, name)))


@pytest.mark.parametrize("relative", ALL_NOTEBOOKS)
def test_english_notebooks_have_the_portuguese_cells(english, relative):
    portuguese = _notebook(relative)
    translated = nbformat.reads(english[relative], as_version=4)
    nbformat.validate(translated)
    assert [(c.id, c.cell_type, c.metadata) for c in translated.cells] == \
        [(c.id, c.cell_type, c.metadata) for c in portuguese.cells]
    prose = "\n".join(c.source for c in translated.cells if c.cell_type == "markdown")
    assert "Exercise" in prose and "Exercício" not in prose
    for ours, theirs in zip(translated.cells, portuguese.cells):
        if ours.cell_type == "markdown":
            assert ours.source != theirs.source or "$" in ours.source.split("\n")[0], ours.id


def test_prose_and_docstrings_exist_in_both_languages():
    assert assign.missing_texts(ROOT) == []
    prose = {language: sorted(p.relative_to(assign.TEMPLATES / "notebooks" / language).as_posix()
                              for p in (assign.TEMPLATES / "notebooks" / language).rglob("*") if p.is_file())
             for language in ("pt", "en")}
    assert prose["pt"] == prose["en"] and prose["pt"]


def test_a_missing_text_in_either_language_fails_the_check_naming_it(tmp_path):
    root = _copy_repo(tmp_path)
    templates = root / "autograder" / "templates"
    (templates / "notebooks" / "en" / "metrics" / "r2_score.md").unlink()
    (templates / "docstrings" / "pt" / "losses" / "bce_loss.txt").unlink()
    done = _cli(root, "--check")
    assert done.returncode == 1
    assert "autograder/templates/notebooks/en/metrics/r2_score.md" in done.stderr, done.stderr
    assert "autograder/templates/docstrings/pt/losses/bce_loss.txt" in done.stderr, done.stderr
    written = _cli(root)
    assert written.returncode == 1 and "bce_loss.txt" in written.stderr


def test_english_assignments_are_written_elsewhere_only(tmp_path):
    root = _copy_repo(tmp_path)
    refused = _cli(root, "--lang", "en")
    assert refused.returncode == 2 and "--out" in refused.stderr
    done = _cli(root, "--lang", "en_US.UTF-8", "--out", str(tmp_path / "english"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "english" / "losses.py").read_text(encoding="utf-8") == assign.render(ROOT, "en")["losses.py"]
    assert _cli(root, "--check").returncode == 0  # assignments/ untouched
    unknown = _cli(root, "--lang", "fr", "--out", str(tmp_path / "french"))
    assert unknown.returncode == 2 and "'fr'" in unknown.stderr and "en, pt" in unknown.stderr
