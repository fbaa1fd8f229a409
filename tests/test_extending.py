"""Extending the kit as the README's "Extending the kit" says, on a throwaway copy of it.

The kit (autograder/, reference/, solutions/, assignments/, docs/, pyproject.toml) is copied to
a temporary folder, and two exercises are added there exactly the documented way:

- an activation with its derivative, softsign z/(1+|z|) and 1/(1+|z|)²: one ``_activation(...)``
  entry in ``autograder/contract.py``, the pair in ``reference/activations.py`` and (with the
  solution marks) in ``solutions/activations.py``, its notebook texts in both languages and the
  Portuguese version of its docstrings;
- a loss, Huber's with ``delta``: one ``Function(...)`` entry of kind "loss" (inputs
  "regression", torch counterpart ``F.huber_loss``), ``reference/losses.py``,
  ``solutions/losses.py``, its texts;

then ``dlgrade assign`` runs in the copy (``python -m autograder`` with the copy first on
PYTHONPATH, working directory the copy). The new functions must be graded (full marks for the
copy's solutions, a wrong implementation loses points on it only), released (public checks in
the release's bank, its check.py passes the solutions) and notebooked (text, stub and check
cells). No file of the kit itself is touched.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT

KIT = ("autograder", "reference", "solutions", "assignments", "docs")
NEW_ACTIVATIONS = ("activations.softsign", "activations.softsign_grad")
NEW_LOSS = "losses.huber_loss"
LANGUAGES = ("pt", "en")

# -- what the instructor writes -----------------------------------------------------------------------

SOFTSIGN_ENTRY = '''\
    *_activation("softsign", "z/(1+|z|)", "1/(1+|z|)²", lambda t: F.softsign(t), "torch.nn.functional.softsign"),
'''
HUBER_ENTRY = '''\
    Function("losses", "huber_loss", "loss", "½(input-target)² where |input-target| ≤ δ, else δ·(|input-target| - ½δ)",
             (Param("delta", 1.0, (0.5, 2.0)), REDUCTION), "torch.nn.functional.huber_loss",
             lambda x, t, delta=1.0, reduction="mean": F.huber_loss(x, t, reduction=reduction, delta=delta),
             inputs="regression"),
'''
SOFTSIGN_REFERENCE = '''

def softsign(z: ArrayLike) -> np.ndarray:
    """softsign(z) = z / (1 + |z|), in (-1, 1): no exponential, nothing overflows."""
    x, dtype = _prepare(z)
    return _result(x / (1 + np.abs(x)), dtype)


def softsign_grad(z: ArrayLike) -> np.ndarray:
    """softsign'(z) = 1 / (1 + |z|)², squared after the division (no overflow at finfo.max)."""
    x, dtype = _prepare(z)
    r = 1 / (1 + np.abs(x))
    return _result(r * r, dtype)
'''
HUBER_REFERENCE = '''

def huber_loss(input: ArrayLike, target: ArrayLike, delta: float = 1.0, reduction: str = "mean") -> np.ndarray:
    """½(input - target)² where |input - target| ≤ δ, δ·(|input - target| - ½δ) elsewhere, as
    torch.nn.functional.huber_loss."""
    _check_reduction(reduction)
    (x, t), dtype = _floats(input, target)
    a = np.abs(x - t)
    return _reduce(np.where(a <= delta, 0.5 * a * a, delta * (a - 0.5 * delta)), reduction, dtype)
'''
SOFTSIGN_SOLUTION = '''

def softsign(z: ArrayLike) -> np.ndarray:
    """Softsign: φ(z) = z / (1 + |z|), a tanh-like squashing into (-1, 1).

    Parameters
    ----------
    z : array_like
        Pre-activations, any shape.

    Returns
    -------
    np.ndarray
        φ(z), same shape and floating dtype as ``z``.

    Watch for: a 0-d input gives a 0-d array (wrap the result in ``np.asarray``).
    """
    ### BEGIN SOLUTION
    z = _as_float(z)
    return np.asarray(z / (1 + np.abs(z)))
    ### END SOLUTION


def softsign_grad(z: ArrayLike) -> np.ndarray:
    """Derivative of the softsign: φ'(z) = 1 / (1 + |z|)².

    Parameters
    ----------
    z : array_like
        Pre-activations, any shape.

    Returns
    -------
    np.ndarray
        φ'(z), same shape and floating dtype as ``z``.

    Watch for: (1 + |z|)² overflows near the dtype's maximum; square 1 / (1 + |z|) instead.
    """
    ### BEGIN SOLUTION
    r = 1 / (1 + np.abs(_as_float(z)))
    return np.asarray(r * r)
    ### END SOLUTION
'''
HUBER_SOLUTION = '''

def huber_loss(input: ArrayLike, target: ArrayLike, delta: float = 1.0, reduction: str = "mean") -> np.ndarray:
    """Huber loss: ½(input - target)² where |input - target| ≤ δ, δ·(|input - target| - ½δ) elsewhere.

    Parameters
    ----------
    input : array_like
        Predictions, any shape.
    target : array_like
        Targets, same shape as ``input``.
    delta : float, default 1.0
        Where the loss turns from quadratic to linear.
    reduction : {'mean', 'sum', 'none'}, default 'mean'

    Returns
    -------
    np.ndarray
        0-d for 'mean' and 'sum', the shape of ``input`` for 'none'.

    Watch for: both branches meet at |input - target| = δ; keep the dtype of ``input``.
    """
    ### BEGIN SOLUTION
    x = _as_float(input)
    a = np.abs(x - np.asarray(target, dtype=x.dtype))
    return _reduce(np.where(a <= delta, 0.5 * a * a, delta * (a - 0.5 * delta)), reduction)
    ### END SOLUTION
'''
TEXTS = {
    ("pt", "activations/softsign.md"): "## Softsign\n\n$$\\varphi(z) = \\frac{z}{1 + |z|}$$\n\n"
                                       "Como a tanh, leva os reais a $(-1, 1)$, mas chega às assíntotas devagar.\n",
    ("pt", "activations/softsign_grad.md"): "### Derivada da Softsign\n\n$$\\varphi'(z) = \\frac{1}{(1 + |z|)^2}$$\n\n"
                                            "Eleve ao quadrado $1/(1+|z|)$, não $(1+|z|)$: este transborda.\n",
    ("pt", "losses/huber_loss.md"): "## Perda de Huber\n\nQuadrática ($\\tfrac12 d^2$) onde $|d| \\le \\delta$, "
                                    "linear ($\\delta(|d| - \\tfrac12\\delta)$) fora: menos sensível a outliers.\n",
    ("en", "activations/softsign.md"): "## Softsign\n\n$$\\varphi(z) = \\frac{z}{1 + |z|}$$\n\n"
                                       "Like tanh it maps the reals to $(-1, 1)$, but reaches its asymptotes slowly.\n",
    ("en", "activations/softsign_grad.md"): "### Derivative of the softsign\n\n$$\\varphi'(z) = \\frac{1}{(1 + |z|)^2}$$\n\n"
                                            "Square $1/(1+|z|)$, not $(1+|z|)$: the latter overflows.\n",
    ("en", "losses/huber_loss.md"): "## Huber loss\n\nQuadratic ($\\tfrac12 d^2$) where $|d| \\le \\delta$, "
                                    "linear ($\\delta(|d| - \\tfrac12\\delta)$) beyond: less sensitive to outliers.\n",
}
# the stubs' docstrings in Portuguese (the course's language; the English ones are the solutions')
DOCSTRINGS_PT = {
    "activations/softsign.txt": "Softsign: φ(z) = z / (1 + |z|), uma compressão parecida com a tanh, em (-1, 1).\n\n"
                                "Parâmetros\n----------\nz : array_like\n    Pré-ativações, qualquer forma.\n\n"
                                "Retorna\n-------\nnp.ndarray\n    φ(z), com a mesma forma e o mesmo dtype de ponto "
                                "flutuante de ``z``.\n\nAtenção: uma entrada 0-d dá um array 0-d (passe o resultado "
                                "por ``np.asarray``).\n",
    "activations/softsign_grad.txt": "Derivada da softsign: φ'(z) = 1 / (1 + |z|)².\n\n"
                                     "Parâmetros\n----------\nz : array_like\n    Pré-ativações, qualquer forma.\n\n"
                                     "Retorna\n-------\nnp.ndarray\n    φ'(z), com a mesma forma e o mesmo dtype de "
                                     "ponto flutuante de ``z``.\n\nAtenção: (1 + |z|)² estoura perto do máximo do "
                                     "dtype; eleve 1 / (1 + |z|) ao quadrado.\n",
    "losses/huber_loss.txt": "Perda de Huber: ½(input - target)² onde |input - target| ≤ δ, δ·(|input - target| - ½δ) "
                             "fora.\n\nParâmetros\n----------\ninput : array_like\n    Predições, qualquer forma.\n"
                             "target : array_like\n    Alvos, com a mesma forma de ``input``.\ndelta : float, padrão 1.0\n"
                             "    Onde a loss deixa de ser quadrática e passa a ser linear.\n"
                             "reduction : {'mean', 'sum', 'none'}, padrão 'mean'\n\nRetorna\n-------\nnp.ndarray\n"
                             "    0-d para 'mean' e 'sum', a forma de ``input`` para 'none'.\n\nAtenção: os dois ramos se "
                             "encontram em |input - target| = δ; mantenha o dtype de ``input``.\n",
}
# a student's mistakes: the derivative without its square, Huber's linear branch without -½δ
WRONG = {
    "activations": "\n\ndef softsign_grad(z):\n    return np.asarray(1 / (1 + np.abs(_as_float(z))))\n",
    "losses": "\n\ndef huber_loss(input, target, delta=1.0, reduction='mean'):\n"
              "    x = _as_float(input)\n    a = np.abs(x - np.asarray(target, dtype=x.dtype))\n"
              "    return _reduce(np.where(a <= delta, 0.5 * a * a, delta * a), reduction)\n",
}


# -- the copy ---------------------------------------------------------------------------------------------

def _insert_before(path: Path, anchor: str, text: str) -> None:
    """``text`` inserted before the first line that starts with ``anchor``."""
    source = path.read_text(encoding="utf-8")
    at = source.find("\n" + anchor)
    assert at >= 0, f"{path}: no line starts with {anchor!r}"
    path.write_text(source[:at + 1] + text + source[at + 1:], encoding="utf-8")


def _export(path: Path, names: tuple[str, ...]) -> None:
    """The names added to the module's ``__all__``."""
    source = path.read_text(encoding="utf-8")
    assert "__all__ = [\n" in source, f"{path}: no __all__ list"
    path.write_text(source.replace("__all__ = [\n", "__all__ = [\n    " + ", ".join(f'"{n}"' for n in names)
                                   + ",\n", 1), encoding="utf-8")


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + text, encoding="utf-8")


def extend(kit: Path) -> None:
    """The README's steps: registry entries, reference and solution functions, notebook texts."""
    contract = kit / "autograder" / "contract.py"
    _insert_before(contract, '    Function("activations", ', SOFTSIGN_ENTRY)  # after the elementwise ones
    _insert_before(contract, '    Function("metrics", ', HUBER_ENTRY)  # at the end of the losses
    _append(kit / "reference" / "activations.py", SOFTSIGN_REFERENCE)
    _export(kit / "reference" / "activations.py", ("softsign", "softsign_grad"))
    _append(kit / "reference" / "losses.py", HUBER_REFERENCE)
    _export(kit / "reference" / "losses.py", ("huber_loss",))
    _append(kit / "solutions" / "activations.py", SOFTSIGN_SOLUTION)
    _append(kit / "solutions" / "losses.py", HUBER_SOLUTION)
    for (language, relative), text in TEXTS.items():
        path = kit / "autograder" / "templates" / "notebooks" / language / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for relative, text in DOCSTRINGS_PT.items():
        (kit / "autograder" / "templates" / "docstrings" / "pt" / relative).write_text(text, encoding="utf-8")


def dlgrade(kit: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``python -m autograder ARGS`` with the copy first on PYTHONPATH (its own example bank)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(kit), os.environ.get("PYTHONPATH")])),
           "DLGRADE_BANK_DIR": str(kit.parent / "bank"), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=cwd or kit, env=env,
                          capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Path:
    """The extended copy of the kit, after `dlgrade assign`."""
    root = tmp_path_factory.mktemp("extending") / "kit"
    for folder in KIT:
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copyfile(ROOT / "pyproject.toml", root / "pyproject.toml")
    extend(root)
    done = dlgrade(root, "assign")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return root


def _functions(done: subprocess.CompletedProcess) -> dict[str, tuple[float, float]]:
    assert done.stdout.strip(), done.stderr[-3000:]
    results = json.loads(done.stdout)
    return {f: (v["score"], v["max_score"]) for f, v in results["extra_data"]["functions"].items()}


@pytest.fixture(scope="module")
def solved(kit) -> dict[str, tuple[float, float]]:
    """Per-function (score, max) of the copy's solutions, graded by the copy's kit."""
    return _functions(dlgrade(kit, "grade", "solutions", "--format", "json"))


# -- the proofs -----------------------------------------------------------------------------------------

def test_assign_writes_stubs_and_the_contract_document(kit):
    check = dlgrade(kit, "assign", "--check")
    assert check.returncode == 0, check.stderr[-3000:]
    stubs = (kit / "assignments" / "activations.py").read_text(encoding="utf-8")
    assert "def softsign(z" in stubs and "def softsign_grad(z" in stubs
    assert "Derivada da softsign: φ'(z) = 1 / (1 + |z|)²." in stubs, "the stub's docstring is not the Portuguese one"
    assert "return np.asarray(r * r)" not in stubs, "the stub gives the solution away"
    assert "def huber_loss(input: ArrayLike, target: ArrayLike, delta: float = 1.0" in \
        (kit / "assignments" / "losses.py").read_text(encoding="utf-8")
    contract = (kit / "docs" / "contract.md").read_text(encoding="utf-8")
    assert "`softsign_grad(z)`" in contract and "`huber_loss(input, target, delta=1.0, reduction='mean')`" in contract


def test_the_new_functions_are_graded_with_full_marks(solved):
    for function in NEW_ACTIVATIONS + (NEW_LOSS,):
        assert function in solved, f"{function} not graded: {sorted(solved)}"
        score, most = solved[function]
        assert score == most > 0, f"{function}: the solution scores {score} / {most}"
    lost = {f: s for f, s in solved.items() if s[0] != s[1]}
    assert not lost, f"the copy's solutions lose points: {lost}"


def test_a_wrong_implementation_loses_points_on_it_only(kit, solved, tmp_path):
    submission = tmp_path / "student"
    shutil.copytree(kit / "solutions", submission, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    for module, text in WRONG.items():
        _append(submission / f"{module}.py", text)
    graded = _functions(dlgrade(kit, "grade", str(submission), "--format", "json"))
    assert set(graded) == set(solved)
    changed = {f for f in graded if graded[f] != solved[f]}
    assert changed == {"activations.softsign_grad", NEW_LOSS}, {f: (graded[f], solved[f]) for f in changed}
    assert all(graded[f][0] < solved[f][0] for f in changed)


def test_the_new_activation_is_released(kit, tmp_path):
    release = tmp_path / "hw1"
    done = dlgrade(kit, "release", "--out", str(release))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    listing = ("import json; from autograder.core.bank import Bank, public_checks; "
               "from autograder.fronts.selfcheck import PUBLIC_BANK; "
               "print(json.dumps([[c.function, c.name, c.visibility] for e in public_checks(Bank(PUBLIC_BANK)) "
               "for c in e.checks]))")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home()), "PYTHONDONTWRITEBYTECODE": "1"}
    listed = subprocess.run([sys.executable, "-c", listing], cwd=release, env=env, capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr[-3000:]
    released = {function for function, _, _ in json.loads(listed.stdout)}
    assert set(NEW_ACTIVATIONS) <= released, f"no public check of {set(NEW_ACTIVATIONS) - released} in the release"
    check = subprocess.run([sys.executable, "check.py", str(kit / "solutions")], cwd=release,
                           env={**env, "LANG": "C.UTF-8", "COLUMNS": "200", "DLGRADE_LANG": "en"}, capture_output=True,
                           text=True,
                           timeout=600)
    assert check.returncode == 0, check.stdout[-3000:] + check.stderr[-3000:]
    assert "public checks pass" in check.stdout
    assert "softsign_grad" in check.stdout


def test_the_new_activation_is_notebooked(kit):
    notebook = json.loads((kit / "assignments" / "notebooks" / "activations.ipynb").read_text(encoding="utf-8"))
    cells = [(cell["cell_type"], "".join(cell["source"])) for cell in notebook["cells"]]
    for name, text in (("softsign", TEXTS[("pt", "activations/softsign.md")]),
                       ("softsign_grad", TEXTS[("pt", "activations/softsign_grad.md")])):
        markdown = [i for i, (kind, source) in enumerate(cells) if kind == "markdown" and source == text.strip("\n")]
        assert markdown, f"no cell with the text of {name}"
        after = cells[markdown[0] + 1:markdown[0] + 3]
        stub, check = after[0][1], after[1][1]
        assert stub.startswith(f"def {name}(z") and "raise NotImplementedError" in stub, stub
        assert check == f'check("activations.{name}", {name});', check
