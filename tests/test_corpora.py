"""The grader against two corpora of whole submissions (tests/corpus/, see its README files).

- ``correct/``: differently written CORRECT submissions. Each must get full marks: a failure
  here means the grader is unfair (a tolerance, a shape or dtype rule, a check that does not
  match CONTRACT.md) or the variant is wrong; the failing checks are printed with their output.
- ``buggy/``: ``solutions/`` with exactly one wrong function. Each must lose points on that
  function and keep every other function's full points, and where ``expected.json`` names a
  hint, that hint (``autograder.core.messages.say``) must appear in the function's failed results.
- the untouched stubs (``assignments/*.py``) score zero everywhere, saying "not implemented";
- grading is deterministic: the same submission twice gives the same results.json.

Each submission is graded once per session (``graded`` caches the report). The corpora are
written by ``tests/corpus/make_corpus.py`` (``--check`` tells whether the committed files are
what it writes).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from autograder.core.report import Report, results_json
from helpers import MODULES, ROOT, grade, kit_context

CORPUS = ROOT / "tests" / "corpus"
CORRECT = sorted(p.name for p in (CORPUS / "correct").iterdir() if p.is_dir())
BUGGY = sorted(p.name for p in (CORPUS / "buggy").iterdir() if p.is_dir())
EXPECTED: dict[str, dict] = json.loads((CORPUS / "buggy" / "expected.json").read_text(encoding="utf-8"))
WITH_HINT = [case for case in BUGGY if EXPECTED.get(case, {}).get("hint")]
DETERMINISM_CASES = ["a17_swish_grad_slide", "l14_bce_logits_grad_mean_over_rows", "m14_f1_from_averaged_p_and_r"]

_REPORTS: dict[str, Report] = {}


def graded(path: Path) -> Report:
    """The report of the submission at ``path``, graded once per session."""
    key = str(path)
    if key not in _REPORTS:
        _REPORTS[key] = grade(path, kit_context())
    return _REPORTS[key]


def failures(report: Report, function: str | None = None) -> str:
    """Every failed check (of ``function``, or all), with its output and hint, for messages."""
    lines = []
    for r in report.results:
        if not r.passed and (function is None or r.function == function):
            lines.append(f"  {r.function}: {r.check} ({r.score:g}/{r.max_score:g})")
            if r.output:
                lines.append(f"      output: {r.output}")
            if r.hint:
                lines.append(f"      hint: {r.hint}")
    notes = [f"  note: {n}" for n in report.notes]
    return "\n".join(notes + lines)


# -- the corpora ----------------------------------------------------------------------------------

def test_corpus_sizes_and_expectations():
    assert len(CORRECT) >= 12
    per_module = {m: sum(EXPECTED[c]["function"].startswith(m + ".") for c in BUGGY) for m in MODULES}
    assert len(BUGGY) >= 40 and per_module["activations"] >= 15
    assert per_module["losses"] >= 12 and per_module["metrics"] >= 10, per_module
    assert set(EXPECTED) == set(BUGGY), "expected.json and the buggy/ folders disagree"
    for case in CORRECT + BUGGY:
        kind = "correct" if case in CORRECT else "buggy"
        assert {p.name for p in (CORPUS / kind / case).glob("*.py")} == {f"{m}.py" for m in MODULES}, case


@pytest.mark.parametrize("case", CORRECT)
def test_correct_submission_gets_full_marks(case, full_marks):
    report = graded(CORPUS / "correct" / case)
    table = report.by_function()
    assert set(table) == set(full_marks), f"functions graded: {sorted(table)}"
    assert report.score == report.max_score, (
        f"correct submission {case} scored {report.score:g} / {report.max_score:g}; failed checks:\n"
        + failures(report))


@pytest.mark.parametrize("case", BUGGY)
def test_buggy_submission_loses_points_on_its_function_only(case, full_marks):
    function = EXPECTED[case]["function"]
    report = graded(CORPUS / "buggy" / case)
    table = dict(report.by_function())
    assert set(table) == set(full_marks), f"functions graded: {sorted(table)}"
    elsewhere = {f: table[f] for f in table if f != function and table[f] != full_marks[f]}
    assert not elsewhere, (f"{case}: points lost outside {function}: {elsewhere}\n"
                           + "\n".join(failures(report, f) for f in elsewhere))
    got, most = table[function]
    assert most == full_marks[function][1]
    assert got < most, f"{case}: the bug in {function} was not caught ({got:g} / {most:g})"


@pytest.mark.parametrize("case", WITH_HINT)
def test_buggy_submission_feedback_names_the_hint(case, full_marks):
    function, key = EXPECTED[case]["function"], EXPECTED[case]["hint"]
    report = graded(CORPUS / "buggy" / case)
    failed = [r for r in report.results if r.function == function and not r.passed]
    if not failed:
        pytest.fail(f"{case}: {function} lost no points, so no hint could be given")
    assert any(r.hint is not None and r.hint.key == key for r in failed), (
        f"{case}: no failed check of {function} names the hint {key}:\n" + failures(report, function))


# -- stubs and determinism ------------------------------------------------------------------------

def _stub_source(solution: str) -> str:
    """``solution`` with every ``### BEGIN SOLUTION`` .. ``### END SOLUTION`` region replaced by
    ``raise NotImplementedError`` (what the stub generator does)."""
    pattern = re.compile(r"^(?P<indent>[ \t]*)### BEGIN SOLUTION\n.*?^[ \t]*### END SOLUTION\n", re.S | re.M)
    stub, count = pattern.subn(lambda m: f"{m['indent']}raise NotImplementedError\n", solution)
    assert count > 0
    return stub


def test_untouched_stubs_score_zero_saying_not_implemented(tmp_path, full_marks):
    folder = tmp_path / "stubs"
    folder.mkdir()
    for module in MODULES:
        stub = ROOT / "assignments" / f"{module}.py"
        if stub.is_file():
            shutil.copyfile(stub, folder / f"{module}.py")
        else:
            source = (ROOT / "solutions" / f"{module}.py").read_text(encoding="utf-8")
            (folder / f"{module}.py").write_text(_stub_source(source), encoding="utf-8")
    report = grade(folder, kit_context())
    table = report.by_function()
    assert set(table) == set(full_marks)
    scored = {f: s for f, s in table.items() if s[0] != 0}
    assert not scored, f"untouched stubs scored points: {scored}"
    silent = [f"{r.function}: {r.check}: {r.output}" for r in report.results
              if r.output is None or r.output.key != "not_implemented"]
    assert not silent, "checks of a stub without the 'not implemented' feedback:\n" + "\n".join(silent)


@pytest.mark.parametrize("case", DETERMINISM_CASES)
def test_grading_twice_gives_the_same_results_json(case):
    path = CORPUS / "buggy" / case
    first = results_json(graded(path))
    second = results_json(grade(path, kit_context()))
    for data in (first, second):
        data.pop("execution_time")
        # wall-clock seconds by grading phase (report.timing), as variable as execution_time
        data.get("extra_data", {}).pop("timing", None)
    assert json.dumps(first, sort_keys=True, indent=1) == json.dumps(second, sort_keys=True, indent=1)
