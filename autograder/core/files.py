"""Reading a student's files: regular files only, bounded walks, links never followed.

A submission (or a class folder) may hold anything a file system can: named pipes, devices and
sockets where a zip or a module is expected (opening one for reading waited forever), links
out of the folder, folders nested thousands deep (a recursive walk raised RecursionError).
Here every walk is iterative, bounded in depth and in entries, and never enters a link; every
open is ``O_NOFOLLOW | O_NONBLOCK`` and checked with ``fstat`` to be a regular file before a
byte is read.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import BinaryIO

MAX_DEPTH = 32  # folders below the top a walk enters
MAX_ENTRIES = 10_000  # entries a walk looks at, in all
_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) \
    | getattr(os, "O_NOCTTY", 0)


class NotRegular(OSError):
    """A path that is a link, a pipe, a device, a socket or a folder where a file was expected."""


def open_regular(path: str | Path) -> BinaryIO:
    """``path`` opened for reading in binary, if it is a regular file (never a link: the last
    part is not followed); ``NotRegular`` otherwise. Never blocks on a pipe or a device."""
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        if os.path.islink(path):
            raise NotRegular(f"{Path(path).name} is a link") from None
        raise exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(f"{Path(path).name} is not a regular file ({_kind(mode)})")
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"), (stat.S_ISLNK, "a link")):
        if test(mode):
            return name
    return "not a file"


def read_regular(path: str | Path, limit: int) -> bytes | None:
    """The bytes of the regular file ``path``, or None when it holds more than ``limit``."""
    with open_regular(path) as handle:
        data = handle.read(limit + 1)
    return data if len(data) <= limit else None


def hash_regular(path: str | Path, h: "hashlib._Hash") -> None:
    """Feed the bytes of the regular file ``path`` to ``h``, a megabyte at a time."""
    with open_regular(path) as handle:
        while chunk := handle.read(1 << 20):
            h.update(chunk)


def is_regular(path: str | Path) -> bool:
    """True for a regular file that is not a link (nothing is opened)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def walk(root: str | Path, max_depth: int = MAX_DEPTH, max_entries: int = MAX_ENTRIES) -> list[Path]:
    """The regular files under ``root`` (sorted by folder, then name), walked without recursion:
    at most ``max_depth`` folders down and ``max_entries`` entries in all; links, pipes,
    devices and sockets are never listed, links to folders never entered."""
    files: list[Path] = []
    stack, seen = [(Path(root), 0)], 0
    while stack:
        folder, depth = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            seen += 1
            if seen > max_entries:
                return files
            try:
                if entry.is_symlink():
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if depth < max_depth:
                        stack.append((Path(entry.path), depth + 1))
                elif entry.is_file(follow_symlinks=False):
                    files.append(Path(entry.path))
            except OSError:
                continue
    return files
