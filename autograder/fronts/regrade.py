"""Regrades that say what changed: old and new totals, and the checks whose score moved.

A batch keeps one record per student, keyed by a fingerprint of the submission, the grading
code and the settings (``batch.State``). When a rerun finds a record under another fingerprint
(the checks, their weights, the reference or the submission changed), that record is kept as
``<state folder>/previous/<key>.json`` before the student is graded again. After the run,
every student whose previous record has another fingerprint than the current one is compared
with it: a student is listed when their total or the score of any check moved (a check whose
maximum alone changed, its score still 0, is not a change to what the student got). The list
is written beside the gradebook as ``<gradebook stem>.regrade.json``, and what that file did not
hold yet is printed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..core.messages import say, title

PREVIOUS = "previous"


def keep_previous(state: Any, students: list[Any], fingerprints: list[str], fresh: set[str] = frozenset()) -> int:
    """Copy each stale record (another fingerprint) to ``previous/``; returns how many (``fresh``:
    the keys already loaded under their current fingerprint, not read again)."""
    from ..core.report import write_atomic

    kept = 0
    for student, fingerprint in zip(students, fingerprints):
        if student.key in fresh:
            continue
        path = state.path(student.key)
        try:
            text = path.read_text(encoding="utf-8")
            record = json.loads(text)
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and record.get("fingerprint") != fingerprint:
            write_atomic(state.folder / PREVIOUS / path.name, text)
            kept += 1
    return kept


def _checks(record: dict) -> dict[tuple[str, str], tuple[float, float]]:
    return {(r["function"], r["check"]): (float(r["score"]), float(r["max_score"]))
            for r in record.get("report", {}).get("results", [])}


def _total(checks: dict) -> tuple[float, float]:
    return (round(sum(s for s, _ in checks.values()), 4), round(sum(m for _, m in checks.values()), 4))


def compare(old: dict, new: dict, language: str = "pt") -> dict | None:
    """What changed for one student between two records (None when no score moved)."""
    before, after = _checks(old), _checks(new)
    changed = []
    for key in list(dict.fromkeys([*before, *after])):
        was, now = before.get(key, (0.0, 0.0)), after.get(key, (0.0, 0.0))
        if was[0] != now[0]:
            changed.append({"function": key[0], "check": key[1], "title": title(key[1]).text(language),
                            "old": was[0], "new": now[0], "old_max": was[1], "new_max": now[1]})
    (old_total, old_max), (new_total, new_max) = _total(before), _total(after)
    if not changed and old_total == new_total:
        return None
    from .classview import record_name

    return {"student": record_name(new), "key": new.get("key", ""), "fingerprint": new.get("fingerprint", ""),
            "old_total": old_total, "new_total": new_total,
            "old_max": old_max, "new_max": new_max, "checks": changed}


def changes(state: Any, records: dict[str, dict], language: str = "pt") -> list[dict]:
    """Every student whose previous record (``previous/``) differs in score from their record now."""
    found = []
    for key, record in sorted(records.items()):
        try:
            old = json.loads((state.folder / PREVIOUS / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(old, dict) and old.get("fingerprint") != record.get("fingerprint"):
            change = compare(old, record, language)
            if change is not None:
                found.append(change)
    return found


def lines(found: list[dict], language: str = "pt") -> list[str]:
    """The console's account of a regrade: one line per student, one per changed check."""
    out = [say("regrade_title", count=len(found)).text(language)] if found else []
    for change in found:
        out.append(say("regrade_student", student=change["student"], old=f"{change['old_total']:g}",
                       new=f"{change['new_total']:g}", old_max=f"{change['old_max']:g}",
                       new_max=f"{change['new_max']:g}").text(language))
        for check in change["checks"]:
            out.append(say("regrade_check", function=check["function"], check=check["title"],
                           old=f"{check['old']:g}", new=f"{check['new']:g}").text(language))
    return out


def not_yet_said(out: Path, found: list[dict]) -> list[dict]:
    """The changes the regrade file beside ``out`` does not hold yet (a later run that grades a
    late submission does not tell the last regrade again; an interrupted regrade tells it all)."""
    try:
        said = json.loads(regrade_path(out).read_text(encoding="utf-8")).get("students", [])
    except (OSError, ValueError, AttributeError):
        said = []
    known = {(c.get("key"), c.get("fingerprint")) for c in said if isinstance(c, dict)}
    return [c for c in found if (c["key"], c["fingerprint"]) not in known]


def regrade_path(out: Path) -> Path:
    return Path(out).with_name(f"{Path(out).stem}.regrade.json")


def write(out: Path, found: list[dict]) -> Path:
    from ..core.report import dump_json, write_atomic

    path = regrade_path(out)
    write_atomic(path, dump_json({"students": found}))
    return path
