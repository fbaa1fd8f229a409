"""The example bank: generated inputs and expected values, computed once and kept.

Hypothesis (derandomized) generates the same examples for every submission that passes, so
the bank records them per check step the first time it passes, together with every expected
value the oracles computed (by oracle name and input digest). Grading then replays banked
examples directly and calls hypothesis only when one fails (to search and shrink exactly as a
bank-less run would), so results are identical with or without the bank, and a correct
submission is graded without generating inputs or importing torch and scikit-learn. It also
keeps, per check, the calls the check made on a passing submission: the engine sends them to
the worker ahead of the check, pipelined.

A release's bank has two more sections: ``checks``, the public check records themselves, their
generated inputs replaced by the banked examples (``public_checks``), and ``release``, the
release's own settings (its language).

The bank is one file in the fixed wire format of ``sandbox/protocol.py`` (JSON + raw array
bytes; never pickled), named by a fingerprint of the checks, the contract, the reference and
the oracle libraries' versions, so a change to any of them starts a new bank.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import os
import pickle
from pathlib import Path
from typing import Any

import numpy as np

from .sandbox import protocol

KIT_ROOT = Path(__file__).resolve().parent.parent.parent
FINGERPRINT_SOURCES = ("autograder/core/checks", "autograder/contract.py", "reference")
LIBRARIES = ("numpy", "torch", "scikit-learn", "hypothesis")


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


def fingerprint(root: Path = KIT_ROOT) -> str:
    """The checks, the contract, the reference and the oracles' library versions."""
    h = hashlib.sha256()
    for source in FINGERPRINT_SOURCES:
        path = root / source
        for item in sorted(path.glob("*.py")) if path.is_dir() else [path]:
            if item.is_file():
                h.update(item.name.encode())
                h.update(item.read_bytes())
    for library in LIBRARIES:
        try:
            h.update(f"{library}={importlib.metadata.version(library)}".encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(f"{library}=none".encode())
    return h.hexdigest()[:16]


def path_in(folder: str | Path, kit_fingerprint: str | None = None) -> Path:
    """The bank file of this kit in ``folder`` (``kit_fingerprint``: ``fingerprint()``, when the
    caller already has it)."""
    return Path(folder) / f"bank-{kit_fingerprint or fingerprint()}.bin"


def call_key(function: str, args: tuple, kwargs: dict) -> bytes:
    """The same bytes for equal calls (types, dtypes, shapes and values), fast; a rare
    difference for equal calls (one object passed twice) only costs a call to the worker."""
    return pickle.dumps((function, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)


class Bank:
    """Examples per check step, expected values per (oracle, input), calls per check."""

    def __init__(self, path: Path | None = None, writable: bool = True):
        self.path, self.writable = path, writable
        self.examples: dict[str, list[tuple[tuple, dict]]] = {}
        self.expected: dict[str, Any] = {}
        self.calls: dict[str, list[tuple[str, tuple, dict]]] = {}
        self.checks: list[dict] = []  # a release's public check records (``public_checks``)
        self.release: dict[str, str] = {}  # a release's settings: {"language": "pt"}
        self.dirty = False
        self._scripts: dict[str | tuple[str, ...], tuple[list, dict[bytes, int]] | None] = {}
        if path is not None and path.is_file():
            try:
                self._load(path)
            except (protocol.ProtocolError, OSError, EOFError, KeyError, TypeError, ValueError):
                self.examples, self.expected, self.calls, self.checks = {}, {}, {}, []

    def _load(self, path: Path) -> None:
        fd = os.open(path, os.O_RDONLY)
        try:
            # the bank is the grader's own file: its header (every banked example) may exceed
            # the 1 MiB allowed for a worker's answer
            header, payload = protocol.read_frame(fd, max_header=256 << 20)
        finally:
            os.close(fd)
        sections = {name: {key: decode_tree(spec, payload) for key, spec in header[name].items()}
                    for name in ("examples", "expected", "calls")}
        self.examples, self.expected, self.calls = sections["examples"], sections["expected"], sections["calls"]
        self.checks = [decode_tree(c, payload) for c in header["checks"]]
        release = header.get("release")
        self.release = {str(k): str(v) for k, v in release.items()} if isinstance(release, dict) else {}

    def record_examples(self, key: str, cases: list[tuple[tuple, dict]]) -> None:
        self.examples[key] = cases
        self.dirty = True

    def record_calls(self, key: str, calls: list[tuple[str, tuple, dict]]) -> None:
        self.calls[key] = calls
        self._scripts = {k: v for k, v in self._scripts.items() if k != key and not (isinstance(k, tuple) and key in k)}
        self.dirty = True

    def record_expected(self, key: str, value: Any) -> None:
        self.expected[key] = value
        self.dirty = True

    def script(self, key: str) -> tuple[list, dict[bytes, int]] | None:
        """The banked calls of check ``key``, keyed: (list of (key, call), first index of each key)."""
        if key not in self.calls:
            return None
        if key not in self._scripts:
            keyed = [(call_key(*call), call) for call in self.calls[key]]
            where: dict[bytes, int] = {}
            for index, (k, _) in enumerate(keyed):
                where.setdefault(k, index)
            self._scripts[key] = (keyed, where)
        return self._scripts[key]

    def scripts(self, keys: tuple[str, ...]) -> tuple[list, dict[bytes, int]] | None:
        """The banked calls of checks ``keys``, in that order, as one script (``script``'s form),
        or None when none is banked: what the checks of an exercise will ask, sent ahead together."""
        if keys not in self._scripts:
            keyed = [entry for key in keys for entry in (self.script(key) or ([], {}))[0]]
            where: dict[bytes, int] = {}
            for index, (k, _) in enumerate(keyed):
                where.setdefault(k, index)
            self._scripts[keys] = (keyed, where) if keyed else None
        return self._scripts[keys]

    def save(self) -> None:
        """Write the bank atomically (only when something new was learnt)."""
        if self.path is None or not self.dirty or not self.writable:
            return
        write(self.path, self.examples, self.expected, self.calls, self.checks)
        self.dirty = False


def write(path: Path, examples: dict, expected: dict, calls: dict, checks: list,
          release: dict[str, str] | None = None) -> None:
    """One bank file, written atomically; values that cannot be encoded are left out."""
    chunks: list[bytes] = []
    offset = [0]

    def encoded(items: dict) -> dict:
        out = {}
        for key, value in items.items():
            try:
                out[key] = encode_tree(value, chunks, offset)
            except protocol.ProtocolError:
                continue
        return out

    header = {"examples": encoded(examples), "expected": encoded(expected), "calls": encoded(calls),
              "checks": [encode_tree(c, chunks, offset) for c in checks]}
    if release:
        header["release"] = dict(release)
    frame = protocol.pack(header, chunks)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_bytes(frame)
    os.replace(tmp, path)


def encode_tree(value: Any, chunks: list[bytes], offset: list[int]) -> Any:
    """Nested tuples, lists and dicts of arrays and plain values, as JSON-able specs."""
    if isinstance(value, tuple):
        return {"t": "tuple", "v": [encode_tree(v, chunks, offset) for v in value]}
    if isinstance(value, list):
        return {"t": "list", "v": [encode_tree(v, chunks, offset) for v in value]}
    if isinstance(value, dict):
        return {"t": "dict", "v": {str(k): encode_tree(v, chunks, offset) for k, v in value.items()}}
    return protocol.encode_value(value, chunks, offset)


def decode_tree(spec: Any, payload: memoryview) -> Any:
    kind = spec.get("t") if isinstance(spec, dict) else None
    if kind == "tuple":
        return tuple(decode_tree(v, payload) for v in spec["v"])
    if kind == "list":
        return [decode_tree(v, payload) for v in spec["v"]]
    if kind == "dict":
        return {k: decode_tree(v, payload) for k, v in spec["v"].items()}
    return protocol.decode_value(spec, payload)


# -- a release's public checks, as data -------------------------------------------------------------

def check_record(check: Any, examples: dict[str, list]) -> dict:
    """A public check as bank data: each generated step's inputs replaced by its banked examples."""
    steps = []
    for index, step in enumerate(check.steps):
        cases = examples[f"{check.title}#{index}"] if step.generated else list(step.cases)
        steps.append({"prop": step.prop, "oracle": step.oracle, "forward": step.forward,
                      "tolerance": dataclasses.asdict(step.tolerance), "cases": list(cases)})
    return {"function": check.function, "name": check.name, "points": float(check.points),
            "visibility": check.visibility, "hints": list(check.hints), "steps": steps}


def public_checks(bank: Bank) -> tuple:
    """The exercises of a release's bank (its ``checks`` records), in their order."""
    from .checks.records import Check, Exercise, Step, Tolerance

    exercises: dict[str, list] = {}
    for record in bank.checks:
        steps = tuple(Step(s["prop"], s["oracle"], cases=tuple(s["cases"]), tolerance=Tolerance(**s["tolerance"]),
                           forward=s["forward"]) for s in record["steps"])
        check = Check(record["function"], record["name"], record["points"], record["visibility"], steps,
                      tuple(record["hints"]))
        exercises.setdefault(check.function, []).append(check)
    return tuple(Exercise(function, tuple(checks)) for function, checks in exercises.items())
