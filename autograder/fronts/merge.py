"""``dlgrade merge``: the gradebook, exports and class report of a class graded in shards.

``shards.merge`` checks the shards complete and consistent; this module writes what one
``batch`` over the whole class writes after its last student (the same rows, byte for byte).
"""

from __future__ import annotations

from pathlib import Path

from .afterbatch import display_names
from .batch import gradebook_rows, write_book
from .shards import merge


def merge_shards(folders: list[Path], out: Path, report: Path | None = None, exports: tuple[str, ...] = (),
                 assignment: str = "dlgrade") -> list[Path]:
    """Write the merged gradebook ``out`` (and ``exports``, the ``report``); the paths written.
    Raises ``shards.MergeRefused`` before writing anything when the shards do not make a class."""
    merged = merge(list(folders))
    rows = gradebook_rows(merged.students, merged.records, merged.errors, merged.functions, merged.max_score,
                          merged.language)
    out = Path(out)
    write_book(out, rows, merged.functions)
    written = [out]
    if exports:
        from .gradebooks import write_exports

        written += write_exports(out, rows, exports, assignment)
    if report:
        from .classreport import write_report
        from .classview import from_records

        view = from_records(merged.records.values(), merged.language, merged.errors, display_names(merged.students))
        written += write_report(view, Path(report))
    return written
