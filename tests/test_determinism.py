"""The same submission gets the same results on every run: across processes, with an empty or a
full example bank, whatever else the grading process has imported.

Hypothesis mixes the literal constants of the "local" modules loaded in a process into what it
generates; before `runner.strategy_only`, merely importing more of the kit (as `dlgrade batch`
does) changed the 8th example of a metrics check, and a kit installed in site-packages (the
Gradescope image) generated differently from the same kit in a repository.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


from helpers import ROOT

CASE = "buggy"  # a submission that fails checks: the failures are searched and shrunk anew
DRAW = """
import json, sys
if sys.argv[1] == "more":
    import autograder.fronts.batch, autograder.fronts.release, autograder.fronts.assign, bench_like  # noqa
from autograder.core.checks import catalogue
from autograder.core.checks.runner import run_property
from autograder.core.bank import digest
seen = {}
for exercise in catalogue():
    for check in exercise.checks:
        for step in check.steps:
            if step.generated:
                found = []
                run_property(step.strategy, lambda case: found.append(digest(case)), step.max_examples)
                seen[check.title] = found
print(json.dumps(seen))
"""


def _buggy(folder: Path) -> Path:
    folder.mkdir()
    for module in ("activations", "losses", "metrics"):
        text = (ROOT / "solutions" / f"{module}.py").read_text(encoding="utf-8")
        folder.joinpath(f"{module}.py").write_text(text, encoding="utf-8")
    with open(folder / "metrics.py", "a", encoding="utf-8") as handle:
        handle.write("\n\ndef r2_score(y_true, y_pred):\n    y_true, y_pred = np.asarray(y_true, float), "
                     "np.asarray(y_pred, float)\n    return np.sum((y_true - y_pred) ** 2) / "
                     "np.sum((y_true - y_true.mean()) ** 2)\n")
    with open(folder / "losses.py", "a", encoding="utf-8") as handle:
        handle.write("\n\ndef mse_loss_grad(input, target, reduction='mean'):\n    d = np.asarray(input, float) - "
                     "np.asarray(target, float)\n    return d / d.size if reduction == 'mean' else d\n")
    return folder


def _results(submission: Path, bank: Path, seed: str) -> dict:
    env = {**os.environ, "DLGRADE_BANK_DIR": str(bank), "PYTHONHASHSEED": seed, "DLGRADE_LANG": "en"}
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", str(submission), "--format", "json"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    data = json.loads(done.stdout)
    data.pop("execution_time")
    data["extra_data"].pop("timing")
    return data


def test_same_results_across_processes_and_banks(tmp_path):
    submission = _buggy(tmp_path / CASE)
    empty_a = _results(submission, tmp_path / "bank-a", "1")
    _results(ROOT / "solutions", tmp_path / "bank-b", "2")  # banks the examples of every check, passing
    full_b = _results(submission, tmp_path / "bank-b", "3")  # replays them: some fail now
    again_a = _results(submission, tmp_path / "bank-a", "4")
    assert empty_a["score"] < empty_a["extra_data"]["max_score"]
    for other, label in ((full_b, "a bank filled by a correct submission"), (again_a, "a second run")):
        assert json.dumps(other, sort_keys=True) == json.dumps(empty_a, sort_keys=True), label


def test_generation_does_not_depend_on_the_modules_loaded(tmp_path):
    """Every generated step's examples, in a process that imported only the catalogue and in one
    that imported more of the kit and a local module full of constants."""
    (tmp_path / "bench_like.py").write_text("CONSTANTS = [0.123456, 7.5, 1e-7, -3.25, 12345, 2 ** 40]\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}

    def draw(which: str) -> dict:
        done = subprocess.run([sys.executable, "-c", DRAW, which], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=900)
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout)

    plain, more = draw("plain"), draw("more")
    assert plain.keys() == more.keys() and plain
    differ = [title for title in plain if plain[title] != more[title]]
    assert not differ, f"{len(differ)} checks generate other examples when more modules are loaded: {differ[:5]}"
