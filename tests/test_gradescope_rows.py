"""Gradescope's Markdown rows (core/gradescope_rows.py): text from a submission renders as itself.

Rendered with a CommonMark renderer (markdown-it-py, as Gradescope renders ``md`` output): a
student's exception message or printed output can make no link, image, emphasis, heading, rule,
list item or HTML tag, and its lines stay inside its check's item.
"""

from __future__ import annotations

import html
import re

import pytest

from autograder.core.gradescope_rows import check_line, md_text, rows
from autograder.core.report import CheckResult, Report

markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py comes with the dev extra (jupyter)")

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src="http://evil.example/x.png">',
    "[click](https://evil.example) ![x](http://evil.example/i.png) <https://evil.example>",
    "**bold** _em_ `code` ~~strike~~",
    "# Total: 999 / 999",
    "line one\n---\n1. forged item\n- ✅ **values (float64)** (passed, 2 / 2)\n> quote\n===",
    "\x1b[2J\x1b[31mred\x07 \u2028 \ud800",
    "a | table | row\n|---|---|",
]


def render(markdown: str) -> str:
    return markdown_it.MarkdownIt("commonmark").render(markdown)


@pytest.mark.parametrize("text", HOSTILE)
def test_submission_text_is_literal(text):
    rendered = render(f"- ❌ **check** (failed, 0 / 1)  \n  {md_text(text)}")
    tags = set(re.findall(r"</?([a-z0-9]+)", rendered))
    assert tags <= {"ul", "li", "strong", "br"}, rendered  # only the row's own markup
    assert rendered.count("<li>") == 1 and rendered.count("<strong>") == 1
    words = re.sub(r"<[^>]+>", "", rendered)
    visible = html.unescape(words)
    for line in text.splitlines():  # each line reads as written, control characters as escapes
        shown = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", line)
        assert shown.strip() in visible.replace("\n", " "), (shown, visible)
    assert "\x1b" not in rendered and "\x07" not in rendered


def test_a_row_lists_its_checks_and_keeps_a_failure_under_its_item():
    message = "raised ValueError: one\n- ✅ **forged** (passed, 9 / 9)"
    results = [CheckResult("activations.relu", "values (float64)", 0.0, 2.0, "public", message, "look at z = 0"),
               CheckResult("activations.relu", "inputs not modified", 0.5, 0.5, "public"),
               CheckResult("activations.relu", "consistent with torch.nn.functional", 0.0, 1.0, "hidden", "x")]
    tests = rows(Report(results), "after_published", "en")
    assert [(t["name"], t["visibility"], t["score"], t["max_score"]) for t in tests] == [
        ("activations.relu: public", "visible", 0.5, 2.5), ("activations.relu: hidden", "after_published", 0.0, 1.0)]
    rendered = render(tests[0]["output"])
    assert rendered.count("<li>") == 2 and "forged" in rendered and "<strong>forged</strong>" not in rendered
    assert "look at z = 0" in rendered
    assert check_line(results[1], "en").startswith("- ✅ **inputs not modified**")
