"""The example bank: generated inputs and expected values, computed once and kept.

Hypothesis (derandomized) generates the same examples for every submission that passes, so
the bank records them per check the first time a check passes, together with every expected
value the oracles computed (by oracle name and input digest). Grading then replays banked
examples directly and calls hypothesis only when one fails (to search and shrink exactly as
a bank-less run would), so results are identical with or without the bank, and a correct
submission is graded without generating inputs or importing torch and scikit-learn. It also
keeps, per check, the calls the check made on a passing submission: the engine sends them to
the worker ahead of the check, pipelined (see ``engine.WorkerStudent``).

The bank is one file in the fixed wire format of ``sandbox/protocol.py`` (JSON + raw array
bytes; never pickled), named by a fingerprint of the checks, the reference and the oracle
libraries' versions, so a change to any of them starts a new bank.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
from pathlib import Path
from typing import Any

import numpy as np

from .sandbox import protocol

KIT_ROOT = Path(__file__).resolve().parent.parent.parent
_FINGERPRINT_SOURCES = ("autograder/core/checks", "reference")
_LIBRARIES = ("numpy", "torch", "scikit-learn", "hypothesis")


def digest(value: Any) -> str:
    """A stable hex digest of an input (arrays by dtype, shape and bytes)."""
    h = hashlib.blake2b(digest_size=16)

    def feed(v: Any) -> None:
        if isinstance(v, (np.ndarray, np.generic)):
            a = np.asarray(v)
            h.update(f"a{a.dtype.str}{a.shape}{isinstance(v, np.generic)}".encode())
            h.update(a.tobytes())
        elif isinstance(v, (list, tuple)):
            h.update(f"{type(v).__name__}{len(v)}[".encode())
            for item in v:
                feed(item)
            h.update(b"]")
        elif isinstance(v, dict):
            h.update(b"{")
            for k in sorted(v):
                h.update(repr(k).encode())
                feed(v[k])
            h.update(b"}")
        elif isinstance(v, float):
            h.update(b"f" + v.hex().encode())
        else:
            h.update(f"{type(v).__name__}:{v!r}".encode())

    feed(value)
    return h.hexdigest()


def fingerprint() -> str:
    h = hashlib.sha256()
    for folder in _FINGERPRINT_SOURCES:
        for path in sorted((KIT_ROOT / folder).glob("*.py")):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    for library in _LIBRARIES:
        try:
            h.update(f"{library}={importlib.metadata.version(library)}".encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(f"{library}=none".encode())
    return h.hexdigest()[:16]


def default_path() -> Path:
    folder = Path(os.environ.get("DLGRADE_BANK_DIR") or Path.home() / ".cache" / "dlgrade")
    return folder / f"bank-{fingerprint()}.bin"


class Bank:
    """Examples per check key, expected values per (oracle, input) key."""

    def __init__(self, path: Path | None):
        self.path = path
        self.examples: dict[str, list[tuple[tuple, dict]]] = {}
        self.expected: dict[str, Any] = {}
        # per check: the calls it made on the student when it passed, (function, args, kwargs);
        # the engine sends them ahead of the check (pipelined) and the check is served from them
        self.calls: dict[str, list[tuple[str, tuple, dict]]] = {}
        self.dirty = False
        if path is not None and path.is_file():
            try:
                self._load(path)
            except (protocol.ProtocolError, OSError, EOFError, KeyError, TypeError, ValueError):
                self.examples, self.expected, self.calls = {}, {}, {}

    def _load(self, path: Path) -> None:
        fd = os.open(path, os.O_RDONLY)
        try:
            # the bank is the grader's own file: its header (every banked example) may exceed
            # the 1 MiB allowed for a worker's answer
            header, payload = protocol.read_frame(fd, max_header=256 << 20)
        finally:
            os.close(fd)
        self.examples = {key: [_decode_tree(c, payload) for c in cases]
                         for key, cases in header["examples"].items()}
        self.expected = {key: _decode_tree(spec, payload) for key, spec in header["expected"].items()}
        self.calls = {key: [_decode_tree(c, payload) for c in calls]
                      for key, calls in header.get("calls", {}).items()}

    def record_examples(self, key: str, cases: list[tuple[tuple, dict]]) -> None:
        self.examples[key] = cases
        self.dirty = True

    def record_calls(self, key: str, calls: list[tuple[str, tuple, dict]]) -> None:
        self.calls[key] = calls
        self.dirty = True

    def record_expected(self, key: str, value: Any) -> None:
        self.expected[key] = value
        self.dirty = True

    def save(self) -> None:
        """Write the bank atomically (only when something new was learnt)."""
        if self.path is None or not self.dirty:
            return
        chunks: list[bytes] = []
        offset = [0]
        examples, expected, calls = {}, {}, {}
        for key, cases in self.examples.items():
            try:
                examples[key] = [_encode_tree(c, chunks, offset) for c in cases]
            except protocol.ProtocolError:
                continue
        for key, made in self.calls.items():
            try:
                calls[key] = [_encode_tree(c, chunks, offset) for c in made]
            except protocol.ProtocolError:
                continue
        for key, value in self.expected.items():
            try:
                expected[key] = _encode_tree(value, chunks, offset)
            except protocol.ProtocolError:
                continue
        frame = protocol.pack({"examples": examples, "expected": expected, "calls": calls}, chunks)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        tmp.write_bytes(frame)
        os.replace(tmp, self.path)
        self.dirty = False


def _encode_tree(value: Any, chunks: list[bytes], offset: list[int]) -> Any:
    """Nested tuples, lists and dicts of arrays and plain values, as JSON-able specs."""
    if isinstance(value, tuple):
        return {"t": "tuple", "v": [_encode_tree(v, chunks, offset) for v in value]}
    if isinstance(value, list):
        return {"t": "list", "v": [_encode_tree(v, chunks, offset) for v in value]}
    if isinstance(value, dict):
        return {"t": "dict", "v": {str(k): _encode_tree(v, chunks, offset) for k, v in value.items()}}
    return protocol.encode_value(value, chunks, offset)


def _decode_tree(spec: Any, payload: memoryview) -> Any:
    kind = spec.get("t") if isinstance(spec, dict) else None
    if kind == "tuple":
        return tuple(_decode_tree(v, payload) for v in spec["v"])
    if kind == "list":
        return [_decode_tree(v, payload) for v in spec["v"]]
    if kind == "dict":
        return {k: _decode_tree(v, payload) for k, v in spec["v"].items()}
    return protocol.decode_value(spec, payload)


_CURRENT: list[Bank] = []


def current() -> Bank:
    """The process's bank (``DLGRADE_BANK=off`` disables it)."""
    if not _CURRENT:
        off = os.environ.get("DLGRADE_BANK") == "off"
        _CURRENT.append(Bank(None if off else default_path()))
    return _CURRENT[0]
