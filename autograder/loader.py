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
import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MODULES = ("activations", "losses", "metrics")
MAX_FILE_BYTES = 2 << 20  # one module or notebook
MAX_ZIP_MEMBERS = 10_000
MAX_FOLDER_DEPTH = 32  # a folder submission is walked this deep, links never followed


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
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        # ValueError covers bad UTF-8 and bad JSON; RecursionError is '[[[[...' nested deeper
        # than the parser's stack, which used to crash the whole grading (hostile corpus)
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


def _regular_files(root: Path) -> list[Path]:
    """Regular files under ``root``, walked without recursion and without following links.

    ``Path.rglob`` recursed once per folder level: a submission folder nested 1,200 deep (an
    unzipped upload) raised RecursionError and no report was written (hostile corpus). Depth
    and entry count are bounded; symbolic links (to files or folders) are never entered.
    """
    files: list[Path] = []
    stack, seen = [(root, 0)], 0
    while stack:
        folder, depth = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            seen += 1
            if seen > MAX_ZIP_MEMBERS:
                return files
            try:
                if entry.is_symlink():
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if depth < MAX_FOLDER_DEPTH:
                        stack.append((Path(entry.path), depth + 1))
                elif entry.is_file(follow_symlinks=False):
                    files.append(Path(entry.path))
            except OSError:
                continue
    return files


def _from_folder(root: Path, submission: Submission) -> None:
    every_file = _regular_files(root)
    candidates = sorted(p for p in every_file if p.name.rpartition(".")[0] in MODULES)
    # prefer .py over .ipynb, and the shallowest copy of each file
    candidates.sort(key=lambda p: (p.suffix != ".py", len(p.relative_to(root).parts), str(p)))
    taken = set()
    for path in candidates:
        if path.name in taken or path.is_symlink() or not path.is_file():
            continue
        taken.add(path.name)

        def read(path=path):
            return path.read_bytes() if path.stat().st_size <= MAX_FILE_BYTES else None

        try:
            _add(submission, path.name, read)
        except OSError as exc:  # unreadable file: that module's problem, never a crash
            submission.problems[path.name.rpartition(".")[0]] = f"{path.name} could not be read: {exc}"
    extras = sorted(str(p.relative_to(root)) for p in every_file
                    if p.name not in taken and not p.name.startswith("."))
    if extras:
        submission.notes.append("ignored files: " + ", ".join(extras[:10])
                                + (" ..." if len(extras) > 10 else ""))


def _from_zip(path: Path, submission: Submission) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except Exception as exc:  # a crafted archive may raise more than BadZipFile  # noqa: BLE001
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
            except Exception as exc:  # noqa: BLE001
                # a corrupt member raises zlib.error, lzma.LZMAError, NotImplementedError...:
                # zlib.error used to escape and crash the grading (hostile corpus)
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
