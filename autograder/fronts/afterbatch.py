"""What a batch does once every student has a row: say what a regrade changed, write the
exports (``--export canvas|moodle``), the feedback zip (``--feedback-zip``) and the class report
(``--report``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import regrade


def display_names(students: list[Any]) -> dict[str, str]:
    """Student key -> the name the report shows (as the gradebook's student column)."""
    return {s.key: ", ".join(p.get("student") or p.get("name") or s.key for p in s.people) or s.key
            for s in students}


def after_batch(batch: Any, rows: list[dict], report: str | Path | None = None,
                exports: tuple[str, ...] = (), assignment: str = "dlgrade") -> list[dict]:
    """Run the after-batch steps for the finished ``batch``; returns the regrade's changes."""
    language = batch.context.language

    def show(text: str) -> None:
        batch.console.print(text, markup=False, highlight=False)

    found = regrade.changes(batch.state, batch.records, language)
    new = regrade.not_yet_said(batch.out, found)
    if new:
        for line in regrade.lines(new, language):
            show(line)
        show(batch.say("regrade_written", path=regrade.write(batch.out, found)))
    if exports:
        from .gradebooks import write_exports

        for path in write_exports(batch.out, rows, exports, assignment):
            show(batch.say("gradebook_exported", path=path))
    if getattr(batch, "feedback_zip", None):
        from .handback import write_zip

        count, moodle = write_zip(batch.feedback_zip, batch.students, batch.records, language, batch.policy,
                                  batch.feedback)
        show(batch.say("handback_zip_written", path=batch.feedback_zip, count=count, moodle=moodle))
    if report:
        from .classreport import write_report
        from .classview import from_records

        view = from_records(batch.records.values(), language, batch.errors, display_names(batch.students))
        page = write_report(view, Path(report))[0]
        show(batch.say("class_report_written", path=page))
    return found
