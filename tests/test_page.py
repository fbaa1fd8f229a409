"""The feedback page (``dlgrade grade --format html``): what it shows, in one language, escaped,
self-contained, the same bytes every time; and the plot values, computed in the worker.

The browser's view of the same page is ``tests/test_page_browser.py``.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

from autograder.contract import FUNCTIONS
from autograder.core.messages import render, say, title
from autograder.core.page import page
from autograder.core.plots import CURVE, values_array
from helpers import ROOT, SOLUTIONS, grade, kit_context
from test_i18n import foreign

SAMPLE = ROOT / "autograder" / "samples" / "student"
PLOTTED = [f.qualified for f in FUNCTIONS if f.module != "metrics"]


@pytest.fixture(scope="module")
def sample_report():
    return grade(SAMPLE, kit_context().with_(plots=True))


def _text(page_html: str) -> str:
    """What a reader sees: the page without its tags, the SVGs' text included."""
    return html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", " ", page_html, flags=re.S)))


def _section(page_html: str, function: str) -> str:
    match = re.search(rf'<section [^>]*data-function="{re.escape(function)}".*?</section>', page_html, re.S)
    assert match, f"no section for {function}"
    return match.group(0)


def test_plots_do_not_change_grading_and_come_from_the_worker(sample_report):
    plain = grade(SAMPLE)
    assert [(r.check, r.score) for r in plain.results] == [(r.check, r.score) for r in sample_report.results]
    assert plain.plots == {} and sorted(sample_report.plots) == sorted(PLOTTED)
    whole = {f: d["problem"] for f, d in sample_report.plots.items()
             if d["problem"] or d["student"] is None or d["reference"] is None or len(d["student"]) != len(d["x"])}
    assert whole == {}, whole  # every plan gives a whole curve on both sides
    tanh_grad = sample_report.plots["activations.tanh_grad"]
    student, reference = values_array(tanh_grad["student"]), values_array(tanh_grad["reference"])
    # the sample's tanh_grad is the slide's 1 - σ(z)², the reference the true 1 - tanh(z)²
    assert np.allclose(student, 1 - (1 / (1 + np.exp(-CURVE))) ** 2)
    assert np.allclose(reference, 1 - np.tanh(CURVE) ** 2)
    assert tanh_grad["problem"] == "" and tanh_grad["extremes"]["student"] is not None
    sigmoid = sample_report.plots["activations.sigmoid"]
    assert sigmoid["student"] == sigmoid["reference"] or np.allclose(values_array(sigmoid["student"]),
                                                                      values_array(sigmoid["reference"]))


@pytest.mark.parametrize("language", ["pt", "en"])
def test_page_shows_every_function_in_one_language(sample_report, language):
    text = page(sample_report, language)
    assert text.startswith("<!DOCTYPE html>") and f'<html lang="{language}">' in text
    for function in {r.function for r in sample_report.results}:
        section = _section(text, function)
        if function in PLOTTED:
            assert "<svg" in section, function
    assert foreign(_text(text), language) == []
    tanh = _section(text, "activations.tanh_grad")
    assert say("page_counterexample").text(language) in tanh
    hint = say("hint_label", hint=say("hint_tanh_grad_sigmoid")).text(language)
    assert " ".join(hint.split()) in " ".join(_text(tanh).split())
    assert 'class="check failed"' in tanh and title("values (float64)").text(language) in _text(tanh)
    # the shaded region where the slide's derivative differs from the true one
    assert "#f59e0b" in tanh and "#f59e0b" not in _section(text, "activations.sigmoid")
    # a metric's failing case is a table of its inputs (r2_score of the sample misses the 1 -)
    r2 = _section(text, "metrics.r2_score")
    assert '<table class="case">' in r2 and "<th>y_true</th>" in r2


def test_confusion_matrix_is_a_grid(tmp_path):
    for module in ("activations", "losses", "metrics"):
        shutil.copy(SOLUTIONS / f"{module}.py", tmp_path)
    with open(tmp_path / "metrics.py", "a", encoding="utf-8") as handle:
        handle.write("\n\n_right = confusion_matrix\n\ndef confusion_matrix(y_true, y_pred, labels=None):\n"
                     "    return _right(y_true, y_pred, labels).T  # rows and columns swapped\n")
    report = grade(tmp_path, kit_context().with_(plots=True))
    section = _section(page(report, "en", "instructor"), "metrics.confusion_matrix")
    assert '<table class="grid">' in section and 'class="num differs"' in section


def test_student_page_keeps_hidden_inputs_and_totals_apart(sample_report):
    student, instructor = page(sample_report, "en", "student"), page(sample_report, "en", "instructor")
    hidden = next(r for r in sample_report.results if r.function == "activations.tanh_grad"
                  and r.visibility == "hidden" and not r.passed)
    detail = " ".join(render(hidden.output, "en").split())
    for text in (student, instructor):
        assert html.escape(title(hidden.check).text("en")) in _section(text, "activations.tanh_grad")
    # the hidden check's result in both, its failure (the inputs it was called on) for the instructor only
    assert detail not in " ".join(_text(_section(student, "activations.tanh_grad")).split())
    assert detail in " ".join(_text(_section(instructor, "activations.tanh_grad")).split())
    public = [r for r in sample_report.results if r.visibility == "public"]
    got, most = sum(r.score for r in public), sum(r.max_score for r in public)
    assert say("page_public_total", score=f"{got:g}", max=f"{most:g}").text("en") in student
    # a function's heading score is its public points only
    tanh = [r for r in public if r.function == "activations.tanh_grad"]
    heading = re.search(r'<span class="score">([^<]*)</span>', _section(student, "activations.tanh_grad")).group(1)
    assert heading == f"{sum(r.score for r in tanh):g} / {sum(r.max_score for r in tanh):g}"


HOSTILE = '''

def relu(z):
    raise ValueError('<script>alert(1)</script><img src="http://evil.example/x.png"> **bold** [x](https://e.x)')

print('<a href="https://evil.example/">click</a><style>body{display:none}</style>', flush=True)
'''


def test_submission_text_is_escaped(tmp_path):
    for module in ("activations", "losses", "metrics"):
        shutil.copy(SOLUTIONS / f"{module}.py", tmp_path)
    with open(tmp_path / "activations.py", "a", encoding="utf-8") as handle:
        handle.write(HOSTILE)
    report = grade(tmp_path, kit_context().with_(plots=True))
    text = page(report, "en", "instructor")
    assert "<script" not in text and "evil.example/x.png\"" not in text
    assert not re.search(r'\b(src|href)\s*=\s*"?https?:', text)
    assert text.count("<style>") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;a href=&quot;https://evil.example/&quot;&gt;click&lt;/a&gt;" in text
    relu = _section(text, "activations.relu")
    assert say("page_problem_error").text("en") in relu  # no curve: the function raised


def test_page_is_the_same_bytes_in_two_processes(tmp_path):
    """Two `dlgrade grade --format html` runs, in processes with different hash seeds."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"page-{seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-m", "autograder", "grade", str(SAMPLE), "--format", "html",
                               "--out", str(out)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"<svg") == len(PLOTTED)
    assert b"Date" not in outputs[0] and b"dc:date" not in outputs[0]


def test_plot_calls_stop_at_their_budget(monkeypatch):
    """The plot calls of a module get at most plots.SECONDS (here none): the curves are left out,
    said so on the page, and grading is unchanged."""
    from autograder.core import plots

    monkeypatch.setattr(plots, "SECONDS", 0.0)
    report = grade(SAMPLE, kit_context().with_(plots=True))
    assert sorted(report.plots) == sorted(PLOTTED)
    assert {data["problem"] for data in report.plots.values()} == {"budget"}
    assert all(data["student"] is None and data["reference"] is not None for data in report.plots.values())
    assert report.score == grade(SAMPLE).score
    text = page(report, "en")
    assert say("page_problem_budget").text("en") in _text(_section(text, "activations.tanh_grad"))


def test_self_check_writes_the_students_page(tmp_path):
    out = tmp_path / "feedback.html"
    done = subprocess.run([sys.executable, "-m", "autograder", "check", str(SAMPLE), "--html", str(out), "--lang", "en"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr[-2000:]  # the sample fails public checks
    text = out.read_text(encoding="utf-8")
    assert say("cli_wrote_page", path=out).text("en") in " ".join(done.stdout.split()) or str(out) in done.stdout
    assert 'data-function="activations.tanh_grad"' in text and "<svg" in text
    assert say("page_hidden_checks", score="0", max="0").text("en").split(" (")[0] not in text  # public checks only


def test_plot_calls_stop_at_the_deadline():
    """timed_calls: chunks grow while they fit; past the deadline no call is made (None), and a
    failed call ends the series."""
    import time as clock
    from types import SimpleNamespace

    from autograder.core.plots import timed_calls

    class SlowWorker:
        def __init__(self, fail_at: int | None = None):
            self.made, self.fail_at = 0, fail_at

        def call_many(self, module, calls):
            answers = []
            for _ in calls:
                clock.sleep(0.01)
                self.made += 1
                answers.append(SimpleNamespace(ok=self.made != self.fail_at, status="ok"))
            return answers

    worker = SlowWorker()
    calls = [("f", (i,), {}) for i in range(1000)]
    answers = timed_calls(worker, "m", calls, clock.monotonic() + 0.2)
    assert 5 <= worker.made <= 40 and answers[worker.made:] == [None] * (1000 - worker.made)
    assert all(a is not None for a in answers[:worker.made])
    failing = SlowWorker(fail_at=3)
    answers = timed_calls(failing, "m", calls[:10], clock.monotonic() + 10)
    assert failing.made <= 4 and answers[failing.made:] == [None] * (10 - failing.made)
