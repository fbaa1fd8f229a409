"""Gradescope's rows: one per function and visibility, in Markdown (``output_format: "md"``).

A student reads ~40–80 rows instead of one per check: ``activations.sigmoid: public checks``
(visible) lists each public check of sigmoid with passed/failed, points, and for a failed one
why and the hint; ``activations.sigmoid: hidden checks`` holds the hidden ones, with the hidden
visibility (``after_published`` by default). A row's score is its own checks' points, so nothing
visible before publication counts a hidden check: the top-level summary says the public total
only (unless hidden checks are themselves ``visible``).

Text from a submission (exception messages, printed values) is data in Markdown: HTML-escaped,
Markdown's punctuation backslash-escaped, control characters and lone surrogates shown as
escapes, and each of its lines indented under its check, so that it can neither format nor
forge a row.
"""

from __future__ import annotations

import html
import re
from typing import Any

from .messages import render, say, title

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#+\-=!|>~<])")  # CommonMark's backslash escapes that matter
ORDERED_ITEM = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)  # "1." or "1)" starting a line: a list
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def md_text(text: str) -> str:
    """``text`` (one line or several) as literal Markdown: nothing in it formats anything."""
    text = CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text))
    text = MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))
    return ORDERED_ITEM.sub(r"\1\\\2", text)


def _block(text: str, indent: str = "  ") -> str:
    """Several lines of literal text under a list item (Markdown hard line breaks)."""
    lines = [md_text(line) for line in str(text).splitlines() if line.strip()]
    return "".join(f"  \n{indent}{line}" for line in lines)


def _points(value: float) -> str:
    return f"{value:g}"


def check_line(result: Any, language: str) -> str:
    """One check as a Markdown list item: mark, title, points; why it failed and the hint."""
    mark = "✅" if result.passed else "❌"
    word = say("gradescope_passed" if result.passed else "gradescope_failed").text(language)
    line = (f"- {mark} **{md_text(title(result.check).text(language))}** "
            f"({md_text(word)}, {_points(result.score)} / {_points(result.max_score)})")
    if not result.passed:
        if result.output is not None:
            line += _block(render(result.output, language))
        if result.hint is not None:
            line += _block(say("hint_label", hint=result.hint).text(language))
    return line


def rows(report: Any, hidden_visibility: str, language: str) -> list[dict]:
    """The tests of results.json: per function, its public checks in one visible row and its
    hidden checks in one row of ``hidden_visibility``."""
    groups: dict[tuple[str, str], list] = {}
    for result in report.results:
        groups.setdefault((result.function, "public" if result.visibility == "public" else "hidden"), []).append(result)
    tests = []
    for number, ((function, group), results) in enumerate(groups.items(), 1):
        score = round(sum(r.score for r in results), 4)
        most = round(sum(r.max_score for r in results), 4)
        tests.append({
            "name": f"{function}: {say(f'gradescope_row_{group}').text(language)}",
            "number": str(number),
            "score": score,
            "max_score": most,
            "status": "passed" if all(r.passed for r in results) else "failed",
            "output": "\n".join(check_line(r, language) for r in results),
            "output_format": "md",
            "visibility": "visible" if group == "public" else hidden_visibility,
            "tags": [function.split(".")[0], function, group],
        })
    return tests


def summary(report: Any, hidden_visibility: str, language: str) -> str:
    """The top-level output: the visible total (public checks only, unless hidden checks are
    visible too), the isolation level and the notes, in Markdown."""
    public = [r for r in report.results if r.visibility == "public"]
    lines = []
    if hidden_visibility == "visible" or len(public) == len(report.results):
        lines.append("**" + md_text(say("summary_total", score=_points(report.score),
                                         max=_points(report.max_score)).text(language)) + "**")
    else:
        score = round(sum(r.score for r in public), 4)
        most = round(sum(r.max_score for r in public), 4)
        lines.append("**" + md_text(say("gradescope_summary_public", score=_points(score),
                                         max=_points(most)).text(language)) + "**")
    lines.append(md_text(say("summary_sandbox", level=report.isolation).text(language)))
    text = "\n\n".join(lines)
    if report.notes:
        text += "\n\n" + "\n".join("- " + md_text(say("summary_note", note=note).text(language)).replace("\n", " ")
                                    for note in report.notes)
    for module, output in report.student_output.items():
        # the student's printed lines marked as such ("│ "), so none can pass for one of the kit's
        text += "\n\n" + md_text(say("summary_output", module=module).text(language)) + _block(output, "│ ")
    return text
