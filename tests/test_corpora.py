"""The grader against two corpora of whole submissions (tests/corpus/, see its README).

- correct: differently written CORRECT submissions. Each must get full marks: a failure
  here means the grader is unfair (a tolerance, a shape or dtype rule, a check that does not
  match CONTRACT.md) or the variant is wrong; the failing checks are printed with their output.
- buggy: ``solutions/`` with exactly one wrong function. Each must lose points on that
  function and keep every other function's full points, and where its variant names a hint,
  that hint (``autograder.core.messages.say``) must appear in the function's failed results.
- the untouched stubs (``assignments/*.py``) score zero everywhere, saying "not implemented";
- grading is deterministic: the same submission twice gives the same results.json.

The cases are stored as what they change (``tests/corpus/*_variants.py``) and written out once
per session by the ``corpus`` fixture (``tests/conftest.py``); each submission is graded once
(``graded`` caches the report).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from autograder.core.checks.edges import STABILITY_HINTS

from autograder.core.report import Report, results_json
from corpus import make_corpus
from helpers import MODULES, ROOT, grade, kit_context

CORRECT = sorted(v.name for v in make_corpus.load_variants("correct"))
BUGGY = sorted(v.name for v in make_corpus.load_variants("buggy"))
EXPECTED: dict[str, dict] = make_corpus.expected(make_corpus.load_variants("buggy"))
WITH_HINT = [case for case in BUGGY if EXPECTED[case]["hint"]]
DETERMINISM_CASES = ["a17_swish_grad_slide", "l14_bce_logits_grad_mean_over_rows", "m14_f1_from_averaged_p_and_r"]


@pytest.fixture(scope="module")
def graded() -> Callable[[Path], Report]:
    """The report of the submission at a path, graded once per module."""
    reports: dict[str, Report] = {}

    def get(path: Path) -> Report:
        if str(path) not in reports:
            reports[str(path)] = grade(path, kit_context())
        return reports[str(path)]
    return get


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

def test_corpus_sizes_and_expectations(corpus):
    assert len(CORRECT) >= 25
    per_module = {m: sum(EXPECTED[c]["function"].startswith(m + ".") for c in BUGGY) for m in MODULES}
    assert len(BUGGY) >= 100 and per_module["activations"] >= 15
    assert per_module["losses"] >= 12 and per_module["metrics"] >= 10, per_module
    assert not set(CORRECT) & set(BUGGY), "a case name in both corpora"
    for kind, cases in (("correct", CORRECT), ("buggy", BUGGY)):
        written = sorted(p.name for p in (corpus / kind).iterdir() if p.is_dir())
        assert written == cases, f"{kind}: written {written}, variants {cases}"
        for case in cases:
            assert {p.name for p in (corpus / kind / case).iterdir()} == {f"{m}.py" for m in MODULES}, case
    assert json.loads((corpus / "buggy" / "expected.json").read_text(encoding="utf-8")) == EXPECTED


def test_the_command_writes_chosen_cases_as_plain_files(tmp_path):
    """`make_corpus.py --out DIR --case NAME...`: those cases only, as the session writes them."""
    chosen = [CORRECT[0], BUGGY[-1]]
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "corpus" / "make_corpus.py"), "--out", str(tmp_path),
                           *[arg for case in chosen for arg in ("--case", case)]],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in (tmp_path / "correct").iterdir() if p.is_dir()] == [CORRECT[0]]
    assert [p.name for p in (tmp_path / "buggy").iterdir() if p.is_dir()] == [BUGGY[-1]]
    expected = json.loads((tmp_path / "buggy" / "expected.json").read_text(encoding="utf-8"))
    assert expected == {BUGGY[-1]: EXPECTED[BUGGY[-1]]}
    case = make_corpus.render("buggy", [v for v in make_corpus.load_variants("buggy") if v.name == BUGGY[-1]])
    for module in MODULES:
        text = (tmp_path / "buggy" / BUGGY[-1] / f"{module}.py").read_text(encoding="utf-8")
        assert text == case[f"{BUGGY[-1]}/{module}.py"], module
    unknown = subprocess.run([sys.executable, str(ROOT / "tests" / "corpus" / "make_corpus.py"), "--out",
                              str(tmp_path), "--case", "no_such_case"], capture_output=True, text=True, timeout=120)
    assert unknown.returncode == 2 and "no_such_case" in unknown.stderr


@pytest.mark.parametrize("case", CORRECT)
def test_correct_submission_gets_full_marks(case, full_marks, corpus, graded):
    report = graded(corpus / "correct" / case)
    table = report.by_function()
    assert set(table) == set(full_marks), f"functions graded: {sorted(table)}"
    assert report.score == report.max_score, (
        f"correct submission {case} scored {report.score:g} / {report.max_score:g}; failed checks:\n"
        + failures(report))


@pytest.mark.parametrize("case", BUGGY)
def test_buggy_submission_loses_points_on_its_function_only(case, full_marks, corpus, graded):
    function = EXPECTED[case]["function"]
    report = graded(corpus / "buggy" / case)
    table = dict(report.by_function())
    assert set(table) == set(full_marks), f"functions graded: {sorted(table)}"
    elsewhere = {f: table[f] for f in table if f != function and table[f] != full_marks[f]}
    assert not elsewhere, (f"{case}: points lost outside {function}: {elsewhere}\n"
                           + "\n".join(failures(report, f) for f in elsewhere))
    got, most = table[function]
    assert most == full_marks[function][1]
    assert got < most, f"{case}: the bug in {function} was not caught ({got:g} / {most:g})"
    crashed = [f"{r.function}: {r.check}: {r.output.text('en')}" for r in report.results
               if getattr(r.output, "key", None) == "check_crashed"]
    assert not crashed, f"{case}: the grader could not run a check that fails it:\n" + "\n".join(crashed)


@pytest.mark.parametrize("case", WITH_HINT)
def test_buggy_submission_feedback_names_the_hint(case, full_marks, corpus, graded):
    function, key = EXPECTED[case]["function"], EXPECTED[case]["hint"]
    report = graded(corpus / "buggy" / case)
    failed = [r for r in report.results if r.function == function and not r.passed]
    if not failed:
        pytest.fail(f"{case}: {function} lost no points, so no hint could be given")
    assert any(r.hint is not None and r.hint.key == key for r in failed), (
        f"{case}: no failed check of {function} names the hint {key}:\n" + failures(report, function))


def _named_hints(report: Report) -> dict[str, set[str]]:
    """hint key -> the functions whose failed checks name it."""
    named: dict[str, set[str]] = {}
    for r in report.results:
        if not r.passed and r.hint is not None:
            named.setdefault(r.hint.key, set()).add(r.function)
    return named


@pytest.mark.parametrize("case", [f"correct/{c}" for c in CORRECT] + [f"buggy/{c}" for c in BUGGY])
def test_a_hint_is_named_only_where_its_mistake_is(case, full_marks, corpus, graded):
    """Hints only when the model explains the failure: a case's feedback names no hint but its
    own mistake's (a correct case none, a buggy case without a model none), and only on its
    function. Together with the test above: each model's hint goes to exactly the cases that
    make its mistake (a model that matched a shrunk input by coincidence named a wrong one)."""
    kind, name = case.split("/")
    expected = EXPECTED[name] if kind == "buggy" else {"function": None, "hint": None}
    named = _named_hints(graded(corpus / kind / name))
    # the stability check's advice (the technique for that function) names no mistake: it may
    # come with any bug of the case's own function that fails the check, never elsewhere
    advice = {key for function, key in STABILITY_HINTS.items() if function == expected["function"]}
    wrong = {key: sorted(functions) for key, functions in named.items()
             if (key != expected["hint"] or functions != {expected["function"]})
             and not (key in advice and functions == {expected["function"]})}
    assert not wrong, (f"{case} (its mistake: {expected['hint']} in {expected['function']}) is told "
                       f"{wrong}:\n" + failures(graded(corpus / kind / name)))


def test_feedback_shows_full_counterexamples_with_indices(corpus, graded):
    """Every failed comparison of values in the buggy corpus says where and by how much
    (tests/test_counterexamples.py for the format): arrays with their shape and dtype, nothing
    cut, the index of the first mismatch, the largest absolute error, the indices of nan/inf."""
    checked, problems = 0, []
    for case in BUGGY:
        for r in graded(corpus / "buggy" / case).results:
            evidence = r.evidence or {}
            received, expected = evidence.get("received"), evidence.get("expected") or {}
            if r.passed or not received or received.get("shape") != expected.get("shape") or r.output is None:
                continue
            text = r.output.text("en")
            problem = dict(r.output.values).get("problem")
            if getattr(problem, "key", "") == "wrong_dtype":  # the values were not compared
                continue
            wanted = [("nothing cut", "..." not in text)]
            if received["shape"]:
                wanted.append(("shape and dtype", bool(re.search(r"shape=\([^)]*\), dtype=\w+\)", text))))
            if received["shape"] and "first_mismatch" in evidence:
                wanted.append(("the index of the first mismatch", "index (" in text and "elements differ" in text))
            if "max_abs_error" in evidence:
                wanted.append(("the largest error", "max absolute error" in text))
            wanted += [(f"nan/inf at {tuple(w)}", str(tuple(w)) in text) for w in evidence.get("non_finite_at", [])[:3]]
            problems += [f"{case}: {r.function}: {r.check}: no {what}:\n{text}" for what, ok in wanted if not ok]
            checked += 1
    assert checked >= 100, checked
    assert not problems, "\n".join(problems[:10])


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
def test_grading_twice_gives_the_same_results_json(case, corpus, graded):
    path = corpus / "buggy" / case
    first = results_json(graded(path))
    second = results_json(grade(path, kit_context()))
    for data in (first, second):
        data.pop("execution_time")
        # wall-clock seconds by grading phase (report.timing), as variable as execution_time
        data.get("extra_data", {}).pop("timing", None)
    assert json.dumps(first, sort_keys=True, indent=1) == json.dumps(second, sort_keys=True, indent=1)
