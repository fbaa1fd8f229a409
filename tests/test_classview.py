"""The instructor's view of a class (issue 16): the class report against the gradebook, the
Canvas and Moodle exports, .xlsx and unknown extensions, regrades that say what changed, and
the page in a real browser.

One small mixed class (8 students from the grading corpora, graded once by `dlgrade batch
--report --export canvas --export moodle --feedback`); the other tests reuse its records (a
copy of the state folder resumes instead of grading again).
"""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import test_i18n  # its detector of the other language's sentences (not its tests: a module attribute)

from autograder.fronts import batch
from helpers import MODULES, ROOT, SOLUTIONS, kit_context

# student folder -> corpus case (kind/name), or None for the hand-made ones below
CASES = {"c01": "correct/c01_lecture_identities", "eve<script>": "correct/c02_sigmoid_via_tanh",
         "tanh1": "buggy/a04_tanh_grad_slide", "tanh2": "buggy/a04_tanh_grad_slide",
         "relu": "buggy/a05_relu_grad_kink_one", "r2": "buggy/m03_r2_slide_ratio"}
EMPTY = "=SUM(1+1)"  # no files, and a name a spreadsheet would run as a formula
HOSTILE = "erin"  # losses.py raises markup at import; linear never returns
MARKUP = "<img src=x onerror=alert(1)>"
ASSIGNMENT = "HW1 activations"


def make_class(folder: Path, corpus: Path) -> Path:
    folder.mkdir(parents=True)
    for name, case in CASES.items():
        shutil.copytree(corpus / case, folder / name)
    (folder / EMPTY).mkdir()
    (folder / HOSTILE).mkdir()
    solution = {m: (SOLUTIONS / f"{m}.py").read_text() for m in MODULES}
    (folder / HOSTILE / "activations.py").write_text(solution["activations"]
                                                     + "\n\ndef linear(z):\n    while True:\n        pass\n")
    (folder / HOSTILE / "losses.py").write_text(f"raise ValueError({MARKUP!r})\n")
    (folder / HOSTILE / "metrics.py").write_text(solution["metrics"])
    return folder


def dlgrade(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder.fronts.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=900)


def plain(cell: str) -> str:
    """A cell without the apostrophe that keeps a spreadsheet from running it as a formula."""
    return cell[1:] if isinstance(cell, str) and cell.startswith("'") else cell


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [{k: plain(v) for k, v in row.items()} for row in csv.DictReader(handle)]


@pytest.fixture(scope="module")
def graded(tmp_path_factory, corpus):
    """The class graded once; (base folder, gradebook rows, class.json, page text, console)."""
    base = tmp_path_factory.mktemp("classview")
    folder = make_class(base / "class", corpus)
    done = dlgrade("batch", str(folder), "--out", str(base / "gb.csv"), "--jobs", "2", "--report",
                   str(base / "class.html"), "--export", "canvas", "--export", "moodle", "--assignment", ASSIGNMENT,
                   "--feedback", str(base / "feedback"), "--lang", "en")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return {"base": base, "folder": folder, "rows": read_csv(base / "gb.csv"),
            "data": json.loads((base / "class.json").read_text(encoding="utf-8")),
            "page": (base / "class.html").read_text(encoding="utf-8"), "console": done.stderr + done.stdout}


def section(page: str, name: str) -> str:
    match = re.search(rf'<section id="{name}">(.*?)</section>', page, re.S)
    assert match, f"the page has no section {name!r}"
    return match.group(1)


def page_text(page: str) -> str:
    """What a reader sees of a page (tags removed, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def expected_mistakes(corpus: Path) -> dict[str, set[str]]:
    """hint key -> the students whose corpus case must name it (from the corpus's expected.json)."""
    expected = json.loads((corpus / "buggy" / "expected.json").read_text())
    found: dict[str, set[str]] = {}
    for student, case in CASES.items():
        kind, name = case.split("/")
        if kind == "buggy" and expected[name]["hint"]:
            found.setdefault(expected[name]["hint"], set()).add(student)
    return found


# -- the report's figures against the gradebook ---------------------------------------------------------

def test_summary_and_function_means_match_the_gradebook(graded):
    rows, data = graded["rows"], graded["data"]
    totals = [float(r["total"]) for r in rows]
    assert data["summary"]["students"] == len(rows) == len(CASES) + 2
    assert data["summary"]["mean"] == pytest.approx(sum(totals) / len(totals), abs=1e-3)
    assert data["summary"]["full_marks"] == sum(1 for r in rows if float(r["total"]) == float(r["max"]))
    for function, mean in data["function_means"].items():
        column = [float(r[function]) for r in rows]
        assert mean == pytest.approx(sum(column) / len(column), abs=1e-3), function


def test_check_failure_rates_agree_with_the_gradebook(graded):
    """A check's failing students lost points on its function in the gradebook; students at full
    marks on a function fail none of its checks; the rate is failing students / students graded."""
    rows, data = graded["rows"], graded["data"]
    by_student = {r["student"]: r for r in rows}
    function_max = data["function_max"]
    for entry in data["checks"]:
        failing = set(entry["students"])
        for student in failing:
            assert float(by_student[student][entry["function"]]) < function_max[entry["function"]], (entry, student)
        full = {s for s, r in by_student.items() if float(r[entry["function"]]) >= function_max[entry["function"]]}
        assert not failing & full, entry
        # the rate counts the students whose module was graded: the empty submission is not one,
        # the hostile one is not for losses (it did not import)
        not_graded = {EMPTY} | ({HOSTILE} if entry["function"].startswith("losses.") else set())
        assert set(entry["not_graded"]) == not_graded and not failing & not_graded, entry
        assert entry["graded"] == len(rows) - len(not_graded)
        assert entry["rate"] == pytest.approx(len(failing) / entry["graded"], abs=1e-4)
    ranked = [e["rate"] for e in data["checks"]]
    assert ranked == sorted(ranked, reverse=True)
    tanh = next(e for e in data["checks"] if e["function"] == "activations.tanh_grad" and e["check"] == "values (float64)")
    assert {"tanh1", "tanh2"} <= set(tanh["students"]) and "c01" not in tanh["students"]
    assert tanh["counterexample"].startswith("tanh_grad(") and tanh["counterexample_count"] >= 2


def test_known_mistakes_counted_per_student_and_linked_to_the_errata(graded, corpus):
    data, page = graded["data"], graded["page"]
    mistakes = {m["key"]: m for m in data["mistakes"]}
    for key, students in expected_mistakes(corpus).items():
        assert set(mistakes[key]["students"]) == students, key
        assert mistakes[key]["count"] == len(students)
    assert mistakes["hint_tanh_grad_sigmoid"]["count"] == 2 and mistakes["hint_tanh_grad_sigmoid"]["erratum"] == "tanh"
    correct = {"c01", "eve<script>", EMPTY, HOSTILE}
    assert not correct & {s for m in data["mistakes"] for s in m["students"]}
    shown = section(page, "mistakes")
    assert "2 student(s) made this mistake" in shown and 'href="#erratum-tanh"' in shown
    assert 'id="erratum-tanh"' in section(page, "errata")


def test_faults_name_the_students_and_match_the_gradebook_notes(graded):
    rows, data, page = graded["rows"], graded["data"], graded["page"]
    faults = {kind: {x["student"] for x in items} for kind, items in data["faults"].items()}
    assert faults == {"timeout": {HOSTILE}, "import": {HOSTILE}, "missing": {EMPTY}}
    notes = {r["student"]: r["note"] for r in rows}
    assert notes[EMPTY] == "no files found"
    assert "import failed: losses.py" in notes[HOSTILE] and "timed out: linear" in notes[HOSTILE]
    assert all(notes[s] == "" for s in CASES), notes
    shown = section(page, "faults")
    assert "time-outs" in shown and "import errors" in shown and html.escape(EMPTY) in shown
    timing = section(page, "timing")
    assert "<svg" in timing and all(html.escape(s) in timing for s in CASES)
    assert data["summary"]["isolation"] and data["summary"]["isolation"][0] in section(page, "summary")


def test_page_is_offline_escaped_and_in_the_language_asked(graded):
    page = graded["page"]
    assert page.count("<svg") == 4 and "<script" not in page.replace(html.escape("<script"), "")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "the page loads something from the network"
    assert "eve&lt;script&gt;" in page and '<html lang="en">' in page and "Class report" in page
    assert MARKUP not in page and html.escape(MARKUP) in section(page, "faults"), "a student's text reached the page raw"


def test_report_command_rebuilds_the_same_page_from_records_and_defaults_to_portuguese(graded, tmp_path):
    base = graded["base"]
    first = dlgrade("report", str(base / "gb.csv"), "--out", str(tmp_path / "a.html"), "--lang", "en")
    again = dlgrade("report", str(base / ".dlgrade-batch" / "gb.csv"), "--out", str(tmp_path / "b.html"), "--lang", "en")
    assert first.returncode == again.returncode == 0, first.stderr + again.stderr
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes() == (base / "class.html").read_bytes()
    pt = dlgrade("report", str(base / "gb.csv"), "--out", str(tmp_path / "pt.html"))
    assert pt.returncode == 0, pt.stderr
    text = (tmp_path / "pt.html").read_text(encoding="utf-8")
    assert '<html lang="pt">' in text and "Relatório da turma" in text and "aluno(s) cometeram este erro" in text
    assert "cada atributo x_j é independente" in text  # the errata too
    assert test_i18n.foreign(page_text(text), "pt") == []
    assert test_i18n.foreign(page_text(graded["page"]), "en") == []
    assert test_i18n.foreign(page_text(graded["page"]), "pt"), "the detector sees English (the positive control)"
    missing = dlgrade("report", str(tmp_path), "--out", str(tmp_path / "c.html"), "--lang", "en")
    assert missing.returncode == 2 and "neither a batch's records nor results.json" in missing.stderr


def test_report_from_gradescope_results_files_finds_the_same_mistakes_and_faults(graded, tmp_path):
    """The --feedback folder holds one results.json per student (Gradescope's format): from its
    text alone the report finds the same known mistakes and faults as from the records."""
    done = dlgrade("report", str(graded["base"] / "feedback"), "--out", str(tmp_path / "gs.html"), "--lang", "en")
    assert done.returncode == 0, done.stderr
    data = json.loads((tmp_path / "gs.json").read_text(encoding="utf-8"))
    records = graded["data"]
    assert {m["key"]: m["count"] for m in data["mistakes"]} == {m["key"]: m["count"] for m in records["mistakes"]}
    key = batch._safe_key  # the feedback folders are named by student key
    assert ({k: sorted(x["student"] for x in v) for k, v in data["faults"].items()}
            == {k: sorted(key(x["student"], set()) for x in v) for k, v in records["faults"].items()})
    assert data["summary"]["mean"] == pytest.approx(records["summary"]["mean"], abs=1e-3)


def test_tidy_csv_reads_in_one_line_and_adds_up_to_the_gradebook(graded):
    pandas = pytest.importorskip("pandas")
    table = pandas.read_csv(graded["base"] / "class.checks.csv", keep_default_na=False)
    assert list(table.columns) == ["student", "function", "check", "score", "max", "hint"]
    totals = {plain(s): total for s, total in table.groupby("student")["score"].sum().round(4).items()}
    assert totals == {r["student"]: float(r["total"]) for r in graded["rows"]}
    assert set(table[table.hint == "hint_tanh_grad_sigmoid"].student) == {"tanh1", "tanh2"}


# -- gradebooks a school imports ----------------------------------------------------------------------

def test_canvas_export_has_the_documented_columns(graded):
    """Canvas's sample import header: Student, ID, SIS User ID, SIS Login ID, Section, then the
    assignment columns (Instructor Guide, "How do I import grades in the Gradebook?")."""
    base = graded["base"]
    text = (base / "gb.canvas.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"Student,ID,SIS User ID,SIS Login ID,Section,{ASSIGNMENT}"
    # the second row, as in a gradebook Canvas exports: "    Points Possible" and the maximum
    most = {r["max"] for r in graded["rows"]}
    assert len(most) == 1 and text.splitlines()[1] == f"    Points Possible,,,,,{most.pop()}"
    rows = read_csv(base / "gb.canvas.csv")
    assert rows[0]["Student"] == "    Points Possible"
    assert {r["SIS User ID"]: r[ASSIGNMENT] for r in rows[1:]} == {r["student"]: r["total"] for r in graded["rows"]}
    assert f"'{EMPTY}" in text, "a name a spreadsheet would run as a formula was written as it is"


def test_moodle_export_has_an_identifier_and_a_grade_column(graded):
    """Moodle's CSV grade import maps one identifier column (email, ID number) and grade columns."""
    base = graded["base"]
    text = (base / "gb.moodle.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"Email address,ID number,Full name,{ASSIGNMENT},Feedback"
    rows = {r["ID number"]: r for r in read_csv(base / "gb.moodle.csv")}
    gradebook = {r["student"]: r for r in graded["rows"]}
    assert rows[EMPTY]["Feedback"] == "no files found"
    assert rows["c01"][ASSIGNMENT] == gradebook["c01"]["total"] == gradebook["c01"]["max"]  # a correct case


def _resume_copy(graded, target: Path, out_name: str, keep: list[str] | None = None) -> Path:
    """The class and its records copied under ``target`` for the gradebook ``out_name``: a batch
    there resumes instead of grading again (``keep``: only these students)."""
    base = graded["base"]
    folder = target / "class"
    shutil.copytree(graded["folder"], folder)
    shutil.copytree(base / ".dlgrade-batch" / "gb.csv", target / ".dlgrade-batch" / out_name)
    for path in folder.iterdir():
        if keep is not None and path.name not in keep:
            shutil.rmtree(path)
    return folder


def test_xlsx_gradebook_is_readable_and_holds_no_formula(graded, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    folder = _resume_copy(graded, tmp_path, "gb.xlsx")
    done = dlgrade("batch", str(folder), "--out", str(tmp_path / "gb.xlsx"), "--jobs", "1", "--lang", "en")
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"0 graded now, {len(CASES) + 2} resumed" in done.stderr + done.stdout
    sheet = openpyxl.load_workbook(tmp_path / "gb.xlsx").active
    values = list(sheet.values)
    assert list(values[0]) == list(graded["rows"][0].keys())
    by_student = {plain(row[0]): dict(zip(values[0], row)) for row in values[1:]}
    assert {s: r["total"] for s, r in by_student.items()} == {r["student"]: float(r["total"]) for r in graded["rows"]}
    cell = next(c for c in sheet["A"] if plain(c.value) == EMPTY)
    assert cell.data_type == "s", "a student's name was stored as a formula"


@pytest.mark.parametrize("name", ["gb.txt", "gradebook"])
def test_unknown_gradebook_extension_is_refused_before_grading(graded, tmp_path, name):
    done = dlgrade("batch", str(graded["folder"]), "--out", str(tmp_path / name), "--lang", "en")
    assert done.returncode == 2
    assert "unknown gradebook format" in done.stderr and ".csv, .xlsx" in done.stderr
    assert not (tmp_path / name).exists() and not (tmp_path / ".dlgrade-batch").exists()


# -- regrades ---------------------------------------------------------------------------------------------

def test_regrade_after_a_weight_change_lists_exactly_the_students_whose_totals_moved(graded, tmp_path, monkeypatch):
    from rich.console import Console

    keep = ["c01", "tanh1", "r2", EMPTY]
    folder = _resume_copy(graded, tmp_path, "gb.csv", keep)
    out = tmp_path / "gb.csv"
    context = kit_context(language_option="en")
    before = {r["student"]: float(r["total"]) for r in graded["rows"] if r["student"] in keep}
    startup, fingerprint = batch._startup, batch.kit_fingerprint
    target = ("activations.tanh_grad", "values (float64)")

    def reweighted(ctx):  # that one check now weighs twice as much
        plan = startup(ctx)
        exercises = tuple(dataclasses.replace(e, checks=tuple(
            dataclasses.replace(c, points=c.points * 2) if (c.function, c.name) == target else c for c in e.checks))
            for e in plan.exercises)
        return dataclasses.replace(plan, exercises=exercises)

    monkeypatch.setattr(batch, "_startup", reweighted)
    monkeypatch.setattr(batch, "kit_fingerprint", lambda ctx: fingerprint(ctx) + "-reweighted")
    console = io.StringIO()
    result = batch.run_batch(folder, out, jobs=2, context=context,
                             console=Console(file=console, width=200, color_system=None))
    assert result.graded == len(keep) and result.resumed == 0
    after = {r["student"]: float(r["total"]) for r in read_csv(out)}
    moved = {s for s in keep if after[s] != before[s]}
    assert moved and moved != set(keep), (before, after)  # the test means something
    listed = json.loads((tmp_path / "gb.regrade.json").read_text(encoding="utf-8"))["students"]
    assert {c["student"] for c in listed} == moved == {c["student"] for c in result.regraded}
    for change in listed:
        assert change["new_total"] == after[change["student"]] and change["old_total"] == before[change["student"]]
        assert [(c["function"], c["check"], c["old"], c["new"]) for c in change["checks"]] == [(*target, 2.0, 4.0)]
    printed = console.getvalue()
    assert "regrade: the scores of" in printed and all(f"  {s}: " in printed for s in moved)
    assert not any(f"  {s}: " in printed for s in set(keep) - moved)
    # run again unchanged: nothing regraded, nothing said
    console = io.StringIO()
    batch.run_batch(folder, out, jobs=2, context=context, console=Console(file=console, width=200, color_system=None))
    assert "0 graded now" in console.getvalue() and "regrade:" not in console.getvalue()
    # a late submission graded later: the last regrade is not told again, its file still holds it
    (folder / "late").mkdir()
    console = io.StringIO()
    batch.run_batch(folder, out, jobs=2, context=context, console=Console(file=console, width=200, color_system=None))
    assert "1 graded now" in console.getvalue() and "regrade:" not in console.getvalue()
    kept = json.loads((tmp_path / "gb.regrade.json").read_text(encoding="utf-8"))["students"]
    assert {c["student"] for c in kept} == moved


# -- the page in a real browser -------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (.ci/setup installs it)")
def test_page_in_headless_chromium(graded, tmp_path):
    page = graded["base"] / "class.html"
    flags = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1200,2400"]
    dom = subprocess.run(flags + ["--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    for name in ("summary", "distribution", "heatmap", "checks", "mistakes", "errata", "faults", "timing"):
        assert f'id="{name}"' in dom.stdout, name
    assert dom.stdout.count("<svg") == 4
    shot = tmp_path / "class.png"
    done = subprocess.run(flags + [f"--screenshot={shot}", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and shot.stat().st_size > 20_000, done.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_note_column_says_budget_faults_and_grader_errors_in_the_batch_language():
    """The notes the small class does not produce: budget used up, a crash, a grader error."""
    from autograder.core.messages import say
    from autograder.core.report import CheckResult, Report
    from autograder.fronts.gradebooks import note_of_record

    report = Report([CheckResult("activations.relu", "values (float64)", 0.0, 2.0, "public", say("call_budget"))],
                    notes=[say("missing_module", module="metrics")],
                    faults={"activations.relu": "budget", "activations.elu": "crashed"})
    record = {"key": "x", "report": report.to_json()}
    assert note_of_record(record, "", "en") == "missing: metrics.py; time budget used up; crashed: elu"
    assert note_of_record(record, "", "pt") == ("faltando: metrics.py; tempo total da entrega esgotado; "
                                                "travou o processo: elu")
    assert note_of_record(None, "the grading process died (exit 3)", "en") == \
        "grader error: the grading process died (exit 3)"
    assert note_of_record({"key": "y", "report": Report().to_json()}, "", "en") == ""


# -- feedback to hand back ------------------------------------------------------------------------------

STUDENT_FILES = ("feedback.html", "feedback.txt")


def _hidden_titles(language: str = "en") -> set[str]:
    """The shown titles of the catalogue's hidden checks that no public check shares."""
    from autograder.core.checks import catalogue
    from autograder.core.messages import title

    checks = [c for e in catalogue() for c in e.checks]
    public = {title(c.name).text(language) for c in checks if c.visibility == "public"}
    return {title(c.name).text(language) for c in checks if c.visibility == "hidden"} - public


def _hidden_points() -> float:
    from autograder.core.checks import catalogue

    return sum(c.points for e in catalogue() for c in e.checks if c.visibility == "hidden")


def _case_inputs(visibility: str) -> set[str]:
    """The inputs of the catalogue's fixed cases for checks of ``visibility``, as the page writes
    an argument (``page/html._describe`` of ``compare.array_json``)."""
    from autograder.core.checks import catalogue
    from autograder.core.checks.compare import array_json
    from autograder.core.page.html import _describe

    found = set()
    for check in (c for e in catalogue() for c in e.checks if c.visibility == visibility):
        for step in check.steps:
            for args, kwargs in step.cases:
                for value in [*args, *kwargs.values()]:
                    data = array_json(value)
                    if isinstance(data, dict) and len(data.get("values", [])) >= 3:
                        found.add(_describe(data, "en"))
    return found


def _hidden_counterexamples(base: Path) -> dict[str, list[str]]:
    """Student key -> the counterexamples (as the page writes them) of the hidden checks they
    failed, from the batch's records (but one a public check of theirs failed on too: a public
    input)."""
    from autograder.core.page.html import evidence_html

    found: dict[str, list[str]] = {}
    for path in sorted((base / ".dlgrade-batch" / "gb.csv").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        failed = [r for r in record["report"]["results"] if r["evidence"] and r["score"] < r["max_score"]]
        public = {evidence_html(r["evidence"], "en") for r in failed if r["visibility"] == "public"}
        for result in failed:
            shown = evidence_html(result["evidence"], "en")
            if result["visibility"] != "public" and shown not in public:
                found.setdefault(record["key"], []).append(shown)
    return found


def test_handed_back_feedback_shows_no_hidden_check_before_publication(graded):
    """The default policy (after_published, not published): the student's feedback.html and
    feedback.txt name no hidden check and show none of their inputs or counterexamples, only their
    points in one line; the instructor's version beside them has all of it."""
    feedback = graded["base"] / "feedback"
    names = _hidden_titles()
    inputs = _case_inputs("hidden") - _case_inputs("public")
    counterexamples = _hidden_counterexamples(graded["base"])
    assert names and inputs and {"tanh1", "tanh2"} <= set(counterexamples), "the test would mean nothing"
    withheld = f"Hidden checks: {_hidden_points():g} points; their results are shown after publication."
    folders = sorted(p for p in feedback.iterdir() if p.is_dir())
    assert len(folders) == len(CASES) + 2
    for folder in folders:
        for name in STUDENT_FILES:
            text = (folder / name).read_text(encoding="utf-8")
            shown = page_text(text) if name.endswith(".html") else text
            assert not [n for n in names if n in shown], (folder.name, name)
            assert not [i for i in inputs if i in text], (folder.name, name)
            assert not [c for c in counterexamples.get(folder.name, []) if c in text], (folder.name, name)
            if folder.name != batch._safe_key(EMPTY, set()):  # nothing graded there: no hidden check either
                assert withheld in shown, (folder.name, name)
        instructor = (folder / "instructor.html").read_text(encoding="utf-8")
        assert all(c in instructor for c in counterexamples.get(folder.name, [])), folder.name
    correct = page_text((feedback / "c01" / "instructor.html").read_text(encoding="utf-8"))
    assert names <= {n for n in names if n in correct}
    assert any(n in (feedback / "tanh1" / "instructor.txt").read_text(encoding="utf-8") for n in names)
    # the public checks in full: a failed public check's counterexample and hint are there
    student = (feedback / "tanh1" / "feedback.html").read_text(encoding="utf-8")
    assert 'class="evidence"' in student and "Hint" in student
    assert "Hint" in (feedback / "tanh1" / "feedback.txt").read_text(encoding="utf-8")


def test_after_publication_the_hidden_checks_show_and_the_zip_holds_the_students_files(graded, tmp_path):
    """Rerun with --publish (nothing graded again): the students' files are written again and
    show the hidden checks by their result (never their counterexample); --hidden-visibility
    visible shows them too, hidden never. The zip holds each graded student's two files, as
    written in the folder; the default language is Portuguese."""
    folder = _resume_copy(graded, tmp_path, "gb.csv")
    feedback, names = tmp_path / "feedback", _hidden_titles()
    counterexamples = _hidden_counterexamples(graded["base"])

    def run(*options: str) -> None:
        done = dlgrade("batch", str(folder), "--out", str(tmp_path / "gb.csv"), "--jobs", "1", "--feedback",
                       str(feedback), "--lang", "en", *options)
        assert done.returncode == 0 and "0 graded now" in done.stderr + done.stdout, done.stderr[-3000:]

    def student(key: str) -> str:
        return page_text((feedback / key / "feedback.html").read_text(encoding="utf-8"))

    run()
    assert not any(n in student("tanh1") for n in names)
    run("--publish", "--feedback-zip", str(tmp_path / "handback.zip"))
    # the text report names the failed checks only: tanh1's hidden failures
    assert any(n in (feedback / "tanh1" / "feedback.txt").read_text(encoding="utf-8") for n in names)
    for key in ("c01", "tanh1"):
        assert names <= {n for n in names if n in student(key)}, key
        html_text = (feedback / key / "feedback.html").read_text(encoding="utf-8")
        assert not [c for c in counterexamples.get(key, []) if c in html_text]
    assert "shown after publication" not in student("c01")
    import zipfile

    with zipfile.ZipFile(tmp_path / "handback.zip") as archive:
        listed = sorted(archive.namelist())
        keys = sorted(p.name for p in feedback.iterdir() if p.is_dir())
        assert listed == sorted(f"{k}/{n}" for k in keys for n in STUDENT_FILES)
        for key in keys:
            for name in STUDENT_FILES:
                assert archive.read(f"{key}/{name}") == (feedback / key / name).read_bytes()
    run("--hidden-visibility", "hidden", "--publish")
    assert not any(n in student("tanh1") for n in names)
    assert "their results are not shown" in student("tanh1")
    run("--hidden-visibility", "visible")
    assert names <= {n for n in names if n in student("c01")}
    done = dlgrade("batch", str(folder), "--out", str(tmp_path / "gb.csv"), "--jobs", "1", "--feedback",
                   str(feedback))
    assert done.returncode == 0, done.stderr[-3000:]
    text = student("tanh1")
    assert "os resultados aparecem após a publicação" in text and not any(n in text for n in names)
    assert test_i18n.foreign(text, "pt") == []


def test_feedback_zip_keeps_moodles_folder_names(graded, tmp_path):
    """A student whose folder is one of Moodle's "Download all submissions" folders keeps that
    name in the zip (Moodle's "Upload multiple feedback files in a zip" matches it); the others
    are named by their key; names that are not Moodle's never reach the zip as they are."""
    import zipfile

    from autograder.fronts import handback

    records = {p.stem: json.loads(p.read_text(encoding="utf-8"))
               for p in (graded["base"] / ".dlgrade-batch" / "gb.csv").glob("*.json")}
    moodle = ["Ana Souza_1234567_assignsubmission_file", "Bo Li_7654321_assignsubmission_file_"]
    hostile = ["../x_1_assignsubmission_file", "a/b_2_assignsubmission_file", "C_3_assignsubmission_file\n",
               "D\u202e_4_assignsubmission_file"]
    assert [handback.moodle_folder(name) for name in hostile] == [None] * len(hostile)
    others = hostile[2:] + ["a folder named by hand"]  # a student's folder name: one path component
    students = [batch.Student(key, Path("class") / name)
                for key, name in zip(["c01", "tanh1", "relu", "r2", "tanh2"], moodle + others, strict=True)]
    count, named = handback.write_zip(tmp_path / "fb.zip", students, records, "en", handback.Policy())
    assert (count, named) == (5, 2)
    with zipfile.ZipFile(tmp_path / "fb.zip") as archive:
        folders = {name.split("/")[0] for name in archive.namelist()}
        assert all(name.count("/") == 1 for name in archive.namelist())
    assert folders == {*moodle, "relu", "r2", "tanh2"}
    assert handback.moodle_folder("Ana Souza_1234567_assignsubmission_file.zip") == moodle[0]
