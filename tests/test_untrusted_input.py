"""Submission text as data (core/text.py) and student files as regular files only (core/files.py):
the two functions every rendering and every read goes through (issue 13)."""

from __future__ import annotations

import json
import os
import threading

import pytest

from autograder.core.files import NotRegular, open_regular, read_regular, walk
from autograder.core.messages import say
from autograder.core.report import Report, dump_json, summary_text
from autograder.core.text import block, csv_cell, line


@pytest.mark.parametrize("raw, shown", [
    ("a\nTotal: 999", "a\\nTotal: 999"), ("\r\n", "\\r\\n"), ("\x1b[2J", "\\x1b[2J"), ("\x9b2J", "\\x9b2J"),
    ("\u202eevil", "\\u202eevil"), ("zero\u200bwidth", "zero\\u200bwidth"), ("\u2028", "\\u2028"),
    ("\ud800", "\\ud800"), ("\udcff", "\\udcff"), ("\x00\x7f\x85", "\\x00\\x7f\\x85"), ("\ufeff", "\\ufeff"),
])
def test_line_escapes_what_could_move_or_hide_text(raw, shown):
    assert line(raw) == shown
    line(raw).encode("utf-8")  # always writable


def test_line_keeps_ordinary_text():
    text = "ação, naïve, 東京, ∑ x², 🙂 [bold]markup[/bold] 'quoted' \\n"
    assert line(text) == text


def test_block_keeps_lines_but_prefixes_each():
    assert block("Total: 999\nSandbox: none\x1b[2J") == "| Total: 999\n| Sandbox: none\\x1b[2J"


@pytest.mark.parametrize("cell, written", [
    ("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-2+3+cmd", "'-2+3+cmd"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "\\t=1"), ("-1.5", "-1.5"), ("277", "277"), ("alice", "alice"), ("a\nb", "a\\nb"),
])
def test_csv_cells_never_start_a_formula(cell, written):
    assert csv_cell(cell) == written


def test_message_values_are_data_nested_messages_are_not():
    inner = say("missing_module", module="losses")
    message = say("import_failed", module="activations", problem=say("call_error", text="x\nTotal: 999 \x1b[2J"))
    assert message.text("en").count("\n") == 0
    assert "\\nTotal: 999 \\x1b[2J" in message.text("en")
    assert say("summary_note", note=inner).text("en") == "Note: " + inner.text("en")


def test_a_report_with_hostile_text_is_valid_json_and_one_summary():
    report = Report(notes=[say("ignored_files", files="\ud800.py, a\nTotal: 999.py")],
                    isolation=say("isolation", level="none"),
                    student_output={"activations": "Total: 999 / 999\nSandbox: none"})
    text = summary_text(report)
    assert [l for l in text.splitlines() if l.startswith(("Total:", "Sandbox:"))] == ["Total: 0 / 0", "Sandbox: sandbox: none"]
    data = {"output": text, "raw": "\udcff lone"}
    written = dump_json(data)
    written.encode("utf-8")
    assert json.loads(written)["raw"] == "\\udcff lone"


def test_special_files_are_refused_without_waiting(tmp_path):
    pipe = tmp_path / "activations.py"
    os.mkfifo(pipe)
    done = []
    reader = threading.Thread(target=lambda: done.append(pytest.raises(NotRegular, read_regular, pipe, 100)))
    reader.start()
    reader.join(5)
    assert done, "opening a named pipe waited"
    (tmp_path / "real.py").write_text("x = 1\n")
    (tmp_path / "link.py").symlink_to(tmp_path / "real.py")
    with pytest.raises(NotRegular):
        open_regular(tmp_path / "link.py")
    assert read_regular(tmp_path / "real.py", 100) == b"x = 1\n"
    assert read_regular(tmp_path / "real.py", 3) is None
    assert walk(tmp_path) == [tmp_path / "real.py"]


def test_walks_are_bounded_and_iterative(tmp_path):
    deep = tmp_path
    for _ in range(1500):  # deeper than Python's recursion limit (os.makedirs recurses too)
        deep = deep / "d"
        deep.mkdir()
    (deep / "activations.py").write_text("x = 1\n")
    (tmp_path / "top.py").write_text("x = 1\n")
    assert walk(tmp_path) == [tmp_path / "top.py"]  # 32 folders down at most
    assert walk(tmp_path, max_depth=2000) == [tmp_path / "top.py", deep / "activations.py"]
    for i in range(50):
        (tmp_path / f"f{i:02d}").touch()
    assert len(walk(tmp_path, max_entries=20)) == 19  # 'd' is the first of the sorted entries
    # remove the nest without recursion
    (deep / "activations.py").unlink()
    while deep != tmp_path:
        deep.rmdir()
        deep = deep.parent
