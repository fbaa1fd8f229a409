"""A class graded on several machines: ``batch --shard K/N`` grades one slice, ``merge`` joins them.

The slice of a student is a stable hash of their key (``sha256(key) mod N``, shard ``K`` takes
the remainder ``K - 1``): adding a student to the class moves no other student between shards.
A finished shard writes, in its state folder beside its records, ``_shard.json`` (no student
key starts with ``_``): K, N, the kit's fingerprint (grading code and settings), the checks'
fingerprint (functions, checks, points, visibility), the class's fingerprint (every key of the
class, in order), and its students with their place in the class, people, submission name,
record fingerprint and, for the students it could not grade, the problem.

``merge`` reads the shards' state folders (or their gradebooks), refuses an incomplete set (a
shard missing or given twice, a student missing, recorded twice, or without their record) or an
inconsistent one (another N, kit, checks, class or language), and writes the gradebook of the
whole class exactly as one ``batch`` over the class writes it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.messages import Message, say

MANIFEST = "_shard.json"
FORMAT = 1


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` (1-based) of ``count``."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, key: str) -> bool:
        return shard_of(key, self.count) == self.index


class BadShard(ValueError):
    """A ``--shard`` that is not K/N with 1 <= K <= N."""


class MergeRefused(Exception):
    """Why a set of shards cannot be merged (``message``, a Message)."""

    def __init__(self, message: Message):
        super().__init__(message.text("en"))
        self.message = message


def parse(text: str) -> Shard:
    """``"K/N"`` as a Shard; BadShard otherwise."""
    index, slash, count = str(text).partition("/")
    try:
        shard = Shard(int(index), int(count))
    except ValueError:
        raise BadShard(text) from None
    if not slash or shard.count < 1 or not 1 <= shard.index <= shard.count:
        raise BadShard(text)
    return shard


def shard_of(key: str, count: int) -> int:
    """The shard (1-based) of the student ``key`` among ``count``: stable as the class grows."""
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big") % count + 1


def checks_fingerprint(checks: Any) -> str:
    """The plan of checks: functions, check names, points and visibility."""
    parts = [(e.function, [(c.name, c.points, c.visibility) for c in e.checks]) for e in checks.exercises]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


def class_fingerprint(keys: list[str]) -> str:
    return hashlib.sha256("\0".join(keys).encode("utf-8")).hexdigest()[:20]


def manifest(shard: Shard, kit: str, checks: Any, language: str, class_keys: list[str],
             students: list[tuple[int, Any, str]], errors: dict[str, str]) -> dict:
    """The shard's account of itself (``students``: (place in the class, Student, fingerprint))."""
    return {"format": FORMAT, "shard": shard.index, "of": shard.count, "kit": kit,
            "checks": checks_fingerprint(checks), "class": class_fingerprint(class_keys), "size": len(class_keys),
            "language": language, "functions": list(checks.functions), "max_score": checks.max_score,
            "students": [{"index": i, "key": s.key, "submission": s.path.name, "people": s.people,
                          "fingerprint": fp, **({"error": errors[s.key]} if s.key in errors else {})}
                         for i, s, fp in students]}


def write_manifest(state_folder: Path, data: dict) -> Path:
    from ..core.report import dump_json, write_atomic

    path = Path(state_folder) / MANIFEST
    write_atomic(path, dump_json(data))
    return path


# -- merging ---------------------------------------------------------------------------------------

def state_folder(path: Path) -> Path:
    """A shard's state folder: ``path`` itself, or the state folder of the gradebook ``path``."""
    from .batch import State

    path = Path(path)
    return State(path).folder if path.is_file() and path.suffix.lower() in (".csv", ".xlsx") else path


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@dataclass
class Merged:
    """The whole class, from every shard: what ``batch`` keeps for its gradebook."""

    students: list[Any]  # batch.Student, in the class's order
    records: dict[str, dict]
    errors: dict[str, str]
    functions: list[str]
    max_score: float
    language: str


_SAME = ("of", "kit", "checks", "class", "size", "language")


def _well_formed(data: Any) -> bool:
    """A ``_shard.json`` of this format, with the fields ``merge`` reads and their types."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return False
    fields = {"shard": int, "of": int, "size": int, "language": str, "functions": list, "max_score": (int, float),
              "students": list}
    if not all(isinstance(data.get(name), kind) for name, kind in fields.items()):
        return False
    entry = {"index": int, "key": str, "submission": str, "people": list, "fingerprint": str}
    return all(isinstance(e, dict) and all(isinstance(e.get(n), k) for n, k in entry.items()) for e in data["students"])


def _manifests(folders: list[Path]) -> list[tuple[Path, dict]]:
    found = []
    for given in folders:
        folder = state_folder(given)
        data = _read(folder / MANIFEST)
        if not _well_formed(data):
            raise MergeRefused(say("merge_not_a_shard", path=given))
        found.append((folder, data))
    first = found[0][1]
    for folder, data in found[1:]:
        for field in _SAME:
            if data.get(field) != first.get(field):
                raise MergeRefused(say(f"merge_different_{field}", first=found[0][0], other=folder,
                                       a=first.get(field), b=data.get(field)))
    seen: dict[int, Path] = {}
    for folder, data in found:
        if data["shard"] in seen:
            raise MergeRefused(say("merge_shard_twice", shard=f"{data['shard']}/{data['of']}",
                                   first=seen[data["shard"]], other=folder))
        seen[data["shard"]] = folder
    missing = [str(k) for k in range(1, int(first["of"]) + 1) if k not in seen]
    if missing:
        raise MergeRefused(say("merge_shard_missing", shards=", ".join(f"{k}/{first['of']}" for k in missing)))
    return found


def merge(folders: list[Path]) -> Merged:
    """Every shard's students and records, checked complete and consistent (MergeRefused)."""
    from .batch import Student

    found = _manifests([Path(f) for f in folders])
    places: dict[int, tuple[Any, dict | None, str]] = {}
    keys: dict[str, Path] = {}
    for folder, data in found:
        for entry in data["students"]:
            key = str(entry["key"])
            if key in keys or entry["index"] in places:
                raise MergeRefused(say("merge_student_twice", student=key, first=keys.get(key, folder), other=folder))
            keys[key] = folder
            student = Student(key, Path(entry["submission"]), entry["people"])
            if "error" in entry:
                places[entry["index"]] = (student, None, str(entry["error"]))
                continue
            record = _read(folder / f"{key}.json")
            if not isinstance(record, dict) or record.get("fingerprint") != entry["fingerprint"]:
                raise MergeRefused(say("merge_no_record", student=key, folder=folder))
            places[entry["index"]] = (student, record, "")
    size = int(found[0][1]["size"])
    absent = [i for i in range(size) if i not in places]
    if absent or len(places) != size:
        raise MergeRefused(say("merge_student_missing", count=len(absent) or abs(len(places) - size), size=size))
    ordered = [places[i] for i in range(size)]
    first = found[0][1]
    return Merged([s for s, _, _ in ordered], {s.key: r for s, r, _ in ordered if r is not None},
                  {s.key: e for s, _, e in ordered if e}, list(first["functions"]), float(first["max_score"]),
                  str(first["language"]))
