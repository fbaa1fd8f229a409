"""Read a submission into module sources without executing anything.

A submission is a folder or a ``.zip`` holding ``activations.py``, ``losses.py``,
``metrics.py`` and/or the notebooks ``activations.ipynb``, ``losses.ipynb``, ``metrics.ipynb``
(CONTRACT.md). Zips are read in memory, member by member, with bounded sizes: nothing is ever
extracted by the member's own path, so absolute paths, ``..`` and links cannot write anywhere.
Notebooks become modules from their code cells, in order; IPython magics and shell lines are
commented out. Other files are ignored (and listed), so a file named like a standard or grading
module (``json.py``, ``numpy.py``, ``sitecustomize.py``) never reaches the worker.
"""

from __future__ import annotations

import json
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MODULES = ("activations", "losses", "metrics")
MAX_FILE_BYTES = 2 << 20  # one module or notebook
MAX_ZIP_MEMBERS = 10_000


@dataclass
class Submission:
    """Module sources by name, and what could not be read (by module), and notes."""

    sources: dict[str, str] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def notebook_to_source(raw: bytes, name: str) -> str:
    """The code cells of a notebook, in order, as one module; magics commented out."""
    try:
        notebook = json.loads(raw.decode("utf-8"))
        cells = notebook["cells"]
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f"{name} is not a readable notebook ({type(exc).__name__})") from None
    blocks = []
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        text = cell.get("source", "")
        text = "".join(text) if isinstance(text, list) else str(text)
        lines = [("# " + line) if line.lstrip().startswith(("%", "!")) else line
                 for line in text.splitlines()]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{name} is not UTF-8 text (byte {exc.start})") from None


def _add(submission: Submission, filename: str, read) -> bool:
    """Take one candidate file (``read()`` gives its bytes, or None when too big)."""
    stem, _, suffix = filename.rpartition(".")
    if stem not in MODULES or suffix not in ("py", "ipynb"):
        return False
    if suffix == "ipynb" and stem in submission.sources and stem not in submission.problems:
        submission.notes.append(f"{filename} ignored: {stem}.py is graded instead")
        return True
    raw = read()
    try:
        if raw is None:
            raise ValueError(f"{filename} is larger than {MAX_FILE_BYTES >> 20} MiB")
        source = notebook_to_source(raw, filename) if suffix == "ipynb" else _decode(raw, filename)
    except ValueError as exc:
        submission.problems[stem] = str(exc)
        return True
    submission.sources[stem] = source
    submission.problems.pop(stem, None)
    return True


def _from_folder(root: Path, submission: Submission) -> None:
    candidates = sorted(p for p in root.rglob("*") if p.name.rpartition(".")[0] in MODULES)
    # prefer .py over .ipynb, and the shallowest copy of each file
    candidates.sort(key=lambda p: (p.suffix != ".py", len(p.relative_to(root).parts), str(p)))
    taken = set()
    for path in candidates:
        if path.name in taken or path.is_symlink() or not path.is_file():
            continue
        taken.add(path.name)

        def read(path=path):
            return path.read_bytes() if path.stat().st_size <= MAX_FILE_BYTES else None

        _add(submission, path.name, read)
    extras = sorted(str(p.relative_to(root)) for p in root.rglob("*")
                    if p.is_file() and p.name not in taken and not p.name.startswith("."))
    if extras:
        submission.notes.append("ignored files: " + ", ".join(extras[:10])
                                + (" ..." if len(extras) > 10 else ""))


def _from_zip(path: Path, submission: Submission) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        submission.notes.append(f"{path.name} is not a readable zip: {exc}")
        return
    with archive:
        members = archive.infolist()[:MAX_ZIP_MEMBERS]
        usable = []
        for info in members:
            name = PurePosixPath(info.filename.replace("\\", "/")).name
            is_link = stat.S_ISLNK(info.external_attr >> 16)
            if info.is_dir() or is_link or name.startswith("._") or "__MACOSX" in info.filename:
                continue
            usable.append((name, info))
        usable.sort(key=lambda item: (not item[0].endswith(".py"),
                                      item[1].filename.count("/"), item[1].filename))
        taken = set()
        for name, info in usable:
            if name in taken:
                continue

            def read(info=info):
                if info.file_size > MAX_FILE_BYTES:
                    return None
                with archive.open(info) as member:
                    data = member.read(MAX_FILE_BYTES + 1)  # never trust the declared size
                return data if len(data) <= MAX_FILE_BYTES else None

            try:
                if _add(submission, name, read):
                    taken.add(name)
            except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
                submission.problems[name.rpartition(".")[0]] = f"{name} could not be read: {exc}"
                taken.add(name)


def load_submission(path: str | Path) -> Submission:
    """Read a folder, a zip, or a single module/notebook file."""
    path = Path(path)
    submission = Submission()
    if path.is_dir():
        zips = sorted(path.glob("*.zip"))
        _from_folder(path, submission)
        if not submission.sources and not submission.problems and zips:
            _from_zip(zips[0], submission)
    elif path.suffix == ".zip":
        _from_zip(path, submission)
    elif path.is_file():
        _add(submission, path.name, lambda: path.read_bytes())
    else:
        submission.notes.append(f"{path} does not exist")
    for module in MODULES:
        if module not in submission.sources and module not in submission.problems:
            submission.problems[module] = f"{module}.py (or {module}.ipynb) is missing from the submission"
    return submission
