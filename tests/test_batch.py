"""`dlgrade batch`: a small mixed class, the same grades as `grade` alone, resuming after SIGKILL,
and Gradescope's "export submissions" layout."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml  # noqa: F401  (pyyaml comes with the dev extra)

from autograder.fronts import batch
from helpers import MODULES, ROOT, SOLUTIONS, grade, kit_context

STUDENTS = ["alice", "bob", "carol", "dave", "erin", "frank"]


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buffer.getvalue()


def make_class(folder: Path) -> Path:
    """Six students: correct, a slide's mistake, correct as a zip, a broken zip, hostile, empty."""
    folder.mkdir(parents=True)
    solution = {m: (SOLUTIONS / f"{m}.py").read_text() for m in MODULES}
    (folder / "alice").mkdir()
    for module, text in solution.items():
        (folder / "alice" / f"{module}.py").write_text(text)
    (folder / "bob").mkdir()
    for module, text in solution.items():
        if module == "activations":
            text += ("\n\ndef tanh_grad(z):\n    s = 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))\n"
                     "    return 1.0 - s ** 2\n")
        (folder / "bob" / f"{module}.py").write_text(text)
    (folder / "carol.zip").write_bytes(_zip({f"hw/{m}.py": t for m, t in solution.items()}))
    (folder / "dave.zip").write_bytes(b"PK\x03\x04 this zip was cut short")
    (folder / "erin").mkdir()
    (folder / "erin" / "activations.py").write_text(solution["activations"]
                                                    + "\n\ndef linear(z):\n    while True:\n        pass\n")
    (folder / "erin" / "losses.py").write_text("import os\nos._exit(0)\n")
    (folder / "erin" / "metrics.py").write_text(solution["metrics"])
    (folder / "frank").mkdir()
    return folder


def run_cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    # --lang en: these tests read the English texts (tests/test_i18n.py: the languages)
    return subprocess.run([sys.executable, "-m", "autograder.fronts.cli", "batch", *args, "--lang", "en"], cwd=ROOT,
                          capture_output=True, text=True, timeout=900, **kwargs)


def read_gradebook(path: Path) -> list[dict]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """The class, graded once by `dlgrade batch --jobs 2 --feedback`."""
    base = tmp_path_factory.mktemp("batch")
    folder = make_class(base / "class")
    before = set(Path(tempfile.gettempdir()).glob("dlgrade-slots-*"))
    done = run_cli(str(folder), "--out", str(base / "gradebook.csv"), "--jobs", "2",
                   "--feedback", str(base / "feedback"))
    assert done.returncode == 0, done.stderr[-3000:]
    left = set(Path(tempfile.gettempdir()).glob("dlgrade-slots-*")) - before
    assert not left, f"the graders' worker templates left their folders: {sorted(left)}"
    return folder, base / "gradebook.csv", base / "feedback", done


def test_one_row_per_student_whatever_happens(graded_class):
    folder, gradebook, feedback, done = graded_class
    rows = read_gradebook(gradebook)
    assert [r["student"] for r in rows] == STUDENTS
    assert all(r["status"] == "graded" for r in rows)
    header = list(rows[0])
    assert header[:6] == ["student", "name", "email", "submission", "total", "max"]
    assert header[-2:] == ["status", "note"]  # the note column: issue 16
    functions = header[6:-2]
    assert functions and all(f.split(".")[0] in MODULES for f in functions)
    by = {r["student"]: r for r in rows}
    assert float(by["alice"]["total"]) == float(by["alice"]["max"]) > 0
    assert by["carol"]["total"] == by["alice"]["total"]
    assert float(by["dave"]["total"]) == 0 and float(by["frank"]["total"]) == 0
    assert float(by["bob"]["activations.tanh_grad"]) < float(by["alice"]["activations.tanh_grad"])
    assert all(by["bob"][f] == by["alice"][f] for f in functions if f != "activations.tanh_grad")
    assert float(by["erin"]["activations.linear"]) == 0
    for student in STUDENTS:
        results = json.loads((feedback / student / "results.json").read_text())
        assert results["score"] == pytest.approx(float(by[student]["total"]))
        text = (feedback / student / "feedback.txt").read_text()
        assert "Score" in text and "\x1b[" not in text
    assert "readable zip" in (feedback / "dave" / "feedback.txt").read_text()
    assert "Hint" in (feedback / "bob" / "feedback.txt").read_text()
    assert "6 students" in done.stderr
    # the progress bar's last state: all six done, elapsed and remaining time as clocks
    final = re.findall(r"6/6 \S+ (\d+:\d\d:\d\d) \S+ (\d+:\d\d:\d\d)", done.stderr)
    assert final and final[-1][1] == "0:00:00", done.stderr[-1500:]


def test_same_scores_as_grade_alone(graded_class):
    folder, gradebook, _, _ = graded_class
    rows = {r["student"]: r for r in read_gradebook(gradebook)}
    for student in STUDENTS:
        path = folder / student if (folder / student).exists() else folder / f"{student}.zip"
        report = grade(path, kit_context())
        row = rows[student]
        assert float(row["total"]) == pytest.approx(report.score), student
        assert float(row["max"]) == pytest.approx(report.max_score), student
        for function, (got, _) in report.by_function().items():
            assert float(row[function]) == pytest.approx(got), (student, function)


def _processes_in_group(pgid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def test_killed_batch_resumes_without_regrading(graded_class, tmp_path):
    folder, reference_gradebook, _, _ = graded_class
    out = tmp_path / "gradebook.csv"
    state = tmp_path / batch.STATE_FOLDER / out.name
    process = subprocess.Popen([sys.executable, "-m", "autograder.fronts.cli", "batch", str(folder), "--out",
                                str(out), "--jobs", "1"], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    while not list(state.glob("*.json")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert process.poll() is None, "the batch ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)  # the parent only: its graders must follow it
    process.wait()
    deadline = time.monotonic() + 20
    while _processes_in_group(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _processes_in_group(process.pid), "grader processes outlived the killed batch"
    finished = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in state.glob("*.json")}
    assert 1 <= len(finished) < len(STUDENTS)
    rows = read_gradebook(out)  # never half-written: every student has a row, graded or pending
    assert [r["student"] for r in rows] == STUDENTS
    assert {r["status"] for r in rows} <= {"graded", "pending"}

    done = run_cli(str(folder), "--out", str(out), "--jobs", "2")
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"{len(finished)} already graded" in done.stderr
    assert f"{len(STUDENTS) - len(finished)} graded now, {len(finished)} resumed" in done.stderr.replace("\n", " ")
    for name, (mtime, data) in finished.items():
        assert (state / name).stat().st_mtime_ns == mtime and (state / name).read_bytes() == data
    assert out.read_text() == reference_gradebook.read_text()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".gradebook")]


METADATA = """\
submission_1001:
  :submitters:
  - :name: Alice Doe
    :sid: '12345'
    :email: alice@example.com
  - :name: Bob Roe
    :email: bob@example.com
  :created_at: 2026-01-10 10:00:00.000000000 Z
  :score: !ruby/object:BigDecimal 18:0.1e2
  :status: processed
submission_1002:
  :submitters:
  - :name: Carol
    :sid: '777'
  :created_at: 2026-01-11 10:00:00.000000000 Z
"""


def test_gradescope_export_layout(tmp_path):
    export = tmp_path / "assignment_42_export"
    (export / "submission_1001").mkdir(parents=True)
    (export / "submission_1002").mkdir()
    for module in MODULES:
        shutil.copy(SOLUTIONS / f"{module}.py", export / "submission_1001")
    (export / "submission_metadata.yml").write_text(METADATA)
    students = batch.discover(tmp_path)  # the export's own folder is found one level down
    assert [s.path.name for s in students] == ["submission_1001", "submission_1002"]
    assert [p["student"] for s in students for p in s.people] == ["12345", "bob@example.com", "777"]
    done = run_cli(str(export), "--out", str(tmp_path / "grades.csv"), "--jobs", "1")
    assert done.returncode == 0, done.stderr[-3000:]
    rows = read_gradebook(tmp_path / "grades.csv")
    assert [(r["student"], r["name"], r["submission"]) for r in rows] == [
        ("12345", "Alice Doe", "submission_1001"), ("bob@example.com", "Bob Roe", "submission_1001"),
        ("777", "Carol", "submission_1002")]
    assert rows[0]["total"] == rows[1]["total"] == rows[0]["max"]
    assert float(rows[2]["total"]) == 0


def test_metadata_reader_without_pyyaml_matches_pyyaml():
    with_yaml = batch._load_yaml(METADATA)
    simple = batch._parse_metadata_simple(METADATA)
    assert {k: v[":submitters"] for k, v in with_yaml.items()} == \
        {k: v[":submitters"] for k, v in simple.items()}


def test_a_dying_or_stuck_grader_costs_one_row(tmp_path, monkeypatch):
    """A grader process that dies, or stays too long on one student, is replaced; that row says 'error'."""
    folder = tmp_path / "class"
    for name in ("dave", "erin", "frank", "gina"):
        (folder / name).mkdir(parents=True)  # empty submissions: graded in a moment
    real = batch.grade_record

    def sabotaged(student, fingerprint, context, checks):
        if student.key == "dave":
            os._exit(3)
        if student.key == "erin":
            time.sleep(3600)
        return real(student, fingerprint, context, checks)

    monkeypatch.setattr(batch, "grade_record", sabotaged)  # inherited by the forked graders
    monkeypatch.setenv("DLGRADE_LANG", "en")  # the statuses below are the English ones
    out = tmp_path / "gradebook.csv"
    result = batch.run_batch(folder, out, jobs=1, watchdog=5.0)
    rows = {r["student"]: r for r in read_gradebook(out)}
    assert list(rows) == ["dave", "erin", "frank", "gina"]
    assert rows["frank"]["status"] == rows["gina"]["status"] == "graded"
    assert rows["dave"]["status"] == "error: the grading process died (exit 3)"
    assert rows["erin"]["status"].startswith("error: grading took too long")
    assert result.errors == 2 and result.graded == 2
    # errors are not recorded as finished: the next run grades only those again
    monkeypatch.setattr(batch, "grade_record", real)
    again = batch.run_batch(folder, out, jobs=2)
    assert (again.resumed, again.graded, again.errors) == (2, 2, 0)
