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

from autograder.core.checks import HIDDEN, PUBLIC, catalogue
from autograder.fronts.release import PUBLIC_BANK, STUDENT_PACKAGE
from helpers import MODULES, ROOT, SOLUTIONS, grade, kit_context

BLOCKED = ("reference", "solutions", "torch", "sklearn", "scipy")


# -- what counts as a copy of the reference or the solutions -----------------------------------------

DISTINCTIVE = 12  # shorter lines ("else:", "return out") prove nothing
LONG = 40  # one such line found elsewhere is a copy


def function_bodies(source: str) -> dict[str, list[str]]:
    """Each top-level function's body lines, stripped, without docstring, comments and blanks."""
    lines = source.splitlines()
    bodies = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]
            if body:
                text = lines[body[0].lineno - 1:body[-1].end_lineno]
                bodies[node.name] = [l.strip() for l in text if l.strip() and not l.strip().startswith("#")]
    return bodies


def copied_lines(body: list[str], elsewhere: set[str]) -> list[str]:
    """The lines of ``body`` that make text holding the lines ``elsewhere`` a copy of it: any
    long distinctive line, or two consecutive distinctive ones."""
    found = [i for i, line in enumerate(body) if len(line) >= DISTINCTIVE and line in elsewhere]
    copied = {i for i in found if len(body[i]) >= LONG}
    copied |= {i for i in found if i + 1 in found or i - 1 in found}
    return [body[i] for i in sorted(copied)]


def protected_bodies(kit: Path) -> dict[str, list[str]]:
    """The function bodies of reference/ and solutions/ that must not reach students, minus the
    helpers the stubs give them on purpose."""
    provided = set()
    for module in MODULES:
        stub = kit / "assignments" / f"{module}.py"
        if stub.is_file():
            provided |= set(function_bodies(stub.read_text(encoding="utf-8")))
    bodies = {}
    for folder in ("reference", "solutions"):
        for path in sorted((kit / folder).glob("*.py")):
            for name, body in function_bodies(path.read_text(encoding="utf-8")).items():
                if name not in provided or not name.startswith("_"):
                    bodies[f"{folder}/{path.name}:{name}"] = body
    return bodies


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


def test_release_layout(release):
    for module in MODULES:
        assert (release / f"{module}.py").read_text() == (ROOT / "assignments" / f"{module}.py").read_text()
    for notebook in (ROOT / "assignments" / "notebooks").glob("*.ipynb"):
        assert (release / "notebooks" / notebook.name).read_bytes() == notebook.read_bytes()
    assert (release / "check.py").is_file() and (release / "README.md").is_file()
    package = {p.relative_to(release / "autograder").as_posix()
               for p in (release / "autograder").rglob("*") if p.is_file()}
    assert package == set(STUDENT_PACKAGE) | {PUBLIC_BANK}
    for folder in ("reference", "solutions", "tests", "assignments"):
        assert not list(release.rglob(folder)), folder
    assert not list(release.rglob("__pycache__"))


def test_no_reference_or_solution_body_in_release(release_text):
    """No body of reference/ or solutions/ (helpers the stubs provide aside): no long line of
    one, no two consecutive lines of one, anywhere in the release."""
    lines_in_release = set()
    for text in release_text.values():
        lines_in_release |= {line.strip() for line in text.splitlines()}
    leaks = [f"{where}: {line}" for where, body in protected_bodies(ROOT).items()
             for line in copied_lines(body, lines_in_release)]
    assert not leaks, "\n".join(leaks[:20])
    # and every solution region as a whole
    for path in sorted(SOLUTIONS.glob("*.py")):
        text = path.read_text()
        for region in text.split("### BEGIN SOLUTION")[1:]:
            block = region.split("### END SOLUTION")[0].strip()
            assert all(block not in t for t in release_text.values()), f"{path.name}: {block[:80]}"


def released_checks(release: Path, blocker: Path) -> set[tuple[str, str]]:
    """(function, check name) of every check of the release's catalogue."""
    listing = ("import json; from autograder.core.bank import Bank, public_checks; "
               "from autograder.fronts.selfcheck import PUBLIC_BANK; "
               "print(json.dumps([[c.function, c.name, c.visibility] for e in public_checks(Bank(PUBLIC_BANK)) "
               "for c in e.checks]))")
    done = subprocess.run([sys.executable, "-c", listing], cwd=release, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(blocker), "PYTHONDONTWRITEBYTECODE": "1"})
    assert done.returncode == 0, done.stderr[-3000:]
    checks = json.loads(done.stdout)
    assert {visibility for _, _, visibility in checks} == {PUBLIC}
    return {(function, name) for function, name, _ in checks}


def test_no_hidden_check_in_release(release, release_text, blocker):
    everything = "\n".join(release_text.values())
    public = {(e.function, c.name) for e in catalogue() for c in e.checks if c.visibility == PUBLIC}
    public_names = {name for _, name in public}
    hidden = [(e.function, c.name) for e in catalogue() for c in e.checks if c.visibility == HIDDEN]
    assert hidden
    for function, name in hidden:
        if name not in public_names:  # a name no public check shares must not appear at all
            assert name not in everything, (function, name)
    catalogue_code = [n for n in release_text if n.startswith("autograder/core/checks/")
                      and n.split("/")[-1] in {f"{m}.py" for m in MODULES} | {"strategies.py", "build.py"}]
    assert not catalogue_code, catalogue_code
    assert released_checks(release, blocker) == public


def _check(release: Path, target: Path, blocker: Path, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(Path.home()), "COLUMNS": "120",
           "PYTHONPATH": str(blocker), "PYTHONDONTWRITEBYTECODE": "1",
           "DLGRADE_LANG": "en"}  # these tests read the English texts (tests/test_i18n.py: the languages)
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


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + "\n\n" + text)


def test_release_check_agrees_with_the_kit(release, blocker, tmp_path):
    """Buggy submissions: the same points as `dlgrade grade --public-only`, function by function."""
    work = tmp_path / "buggy"
    shutil.copytree(SOLUTIONS, work)
    _append(work / "activations.py", "def tanh_grad(z):\n    s = 1 / (1 + np.exp(-np.asarray(z, dtype=float)))\n"
                                     "    return 1 - s**2\n\n\ndef relu(z):\n    return np.maximum(z, 0.0)\n")
    _append(work / "losses.py", "def mse_loss_grad(input, target, reduction='mean'):\n"
                                "    d = np.asarray(input, dtype=float) - np.asarray(target, dtype=float)\n"
                                "    return d if reduction != 'mean' else d / d.size\n")
    _append(work / "metrics.py", "def r2_score(y_true, y_pred):\n"
                                 "    y_true, y_pred = np.asarray(y_true, float), np.asarray(y_pred, float)\n"
                                 "    return np.sum((y_true - y_pred) ** 2) / np.sum((y_true - y_true.mean()) ** 2)\n")
    done = _check(release, work, blocker)
    assert done.returncode == 1
    report = grade(work, kit_context(public_only=True))
    assert _score(done.stdout) == (report.score, report.max_score)
    assert report.score < report.max_score
    for function, (got, most) in report.by_function().items():
        row = next(l for l in done.stdout.splitlines() if f" {function} " in l)
        assert f"{got:g} / {most:g}" in row, (function, row)
    # the same hints: the kit's are confirmed on other inputs, and so must the release's be, from
    # its bank alone (the known mistakes are rehearsed when it is built: checks/rehearsal.py)
    hints = [" ".join(r.hint.text("en").split()) for r in report.results if r.hint]
    said = " ".join(done.stdout.split())
    assert any("1 - σ(z)²" in h for h in hints)
    missing = [h for h in hints if h not in said]
    assert not missing, f"hints the kit gives and the release's check does not: {missing}"
    assert said.count("Hint:") == len(hints), done.stdout


def test_release_check_follows_the_kit_where_the_loss_is_wrong(release, blocker, tmp_path):
    """A wrong loss with a right gradient: the grader takes finite differences of the reference
    loss. The finite-difference checks read the reference at every probed point (the student's
    loss counts only where it agrees, issue 13 class 7), so the release's bank holds those values
    and the self-check gives what the kit gives, without a "could not be checked here" note."""
    work = tmp_path / "wrong-loss"
    shutil.copytree(SOLUTIONS, work)
    _append(work / "losses.py", "def mse_loss(input, target, reduction='mean'):\n"
                                "    d = (np.asarray(input, dtype=float) - np.asarray(target, dtype=float)) ** 2\n"
                                "    return d if reduction == 'none' else np.asarray(d.sum())\n")
    done = _check(release, work, blocker)
    report = grade(work, kit_context(public_only=True))
    got, most = _score(done.stdout)
    assert most == report.max_score and got == report.score < most
    assert "Fix those first" not in " ".join(done.stdout.split())


def test_dlgrade_check_in_the_kit(tmp_path):
    done = subprocess.run([sys.executable, "-m", "autograder.fronts.cli", "check", str(SOLUTIONS)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, env={"COLUMNS": "120", "PATH": "/usr/bin:/bin",
                                                                             "HOME": str(Path.home()), "DLGRADE_LANG": "en"})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "public checks pass" in done.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    done = subprocess.run([sys.executable, "-m", "autograder.fronts.cli", "check"], cwd=empty, capture_output=True,
                          text=True, timeout=600, env={"COLUMNS": "120", "PATH": "/usr/bin:/bin", "DLGRADE_LANG": "en",
                                                       "HOME": str(Path.home()), "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1
    assert "missing" in done.stdout


class _Counting:
    """BankedOracles that count the keys they are asked for."""

    def __init__(self, oracles):
        self.oracles, self.read = oracles, set()

    def expected(self, name, args, kwargs):
        from autograder.core.bank import digest
        self.read.add(f"{name}|{digest((args, kwargs))}")
        return self.oracles.expected(name, args, kwargs)

    compute = expected


@pytest.mark.parametrize("cache", ["empty", "full"])
def test_release_bank_holds_exactly_what_the_public_checks_read(cache, tmp_path, monkeypatch):
    """Recorded with an empty and with a full example bank: every public check passes on the
    solutions from the public bank alone, and every value the bank holds is read by them or by
    the public checks' hints of the known mistakes (rehearsed from the bank alone too)."""
    from autograder.core.bank import Bank, public_checks
    from autograder.core.checks.oracles import BankedOracles
    from autograder.core.checks.rehearsal import rehearse
    from autograder.core.engine import grade as engine_grade, plan
    from autograder.fronts.release import record_public_bank

    folder = tmp_path / "kit-bank"
    monkeypatch.setenv("DLGRADE_BANK_DIR", str(folder))
    if cache == "full":
        grade(SOLUTIONS, kit_context())  # fills the kit's bank with every check's examples and values
        assert any(folder.iterdir())
    record_public_bank(tmp_path / "public.bank")
    bank = Bank(tmp_path / "public.bank", writable=False)
    oracles = _Counting(BankedOracles(bank))
    ctx = kit_context(public_only=True, bank=bank, oracles=oracles)
    checks = plan(public_checks(bank), ctx)
    report = engine_grade(SOLUTIONS, ctx, checks)
    assert report.score == report.max_score == sum(c.points for e in catalogue() for c in e.checks
                                                   if c.visibility == PUBLIC)
    assert {c.visibility for e in checks.exercises for c in e.checks} == {PUBLIC}
    assert rehearse(public_checks(bank), oracles) > 0
    unread = set(bank.expected) - oracles.read
    assert not unread, f"{len(unread)} values in the public bank that no public check reads: {sorted(unread)[:3]}"
