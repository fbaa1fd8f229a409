"""The student's local check: the public checks on the files in a folder, in seconds.

``dlgrade check [PATH]`` in the kit, ``python check.py [PATH]`` in the released assignment.
Same engine, same sandbox, same feedback as the grader.

In a release (``dlgrade release``) there is no reference and no hidden check: the catalogue
modules are shipped with every hidden check removed, and this module supplies what the
reference and hypothesis supplied in the kit, from the release's example bank
(``checks/public.bank``, written by ``autograder.release``):

- ``banked_module("reference.losses")`` stands in for the reference module: each function
  returns the value the reference gave on that input when the release was built;
- ``replay_property`` stands in for ``checks.base.run_property``: it replays, in order, the
  examples hypothesis generated for that check when the release was built (the grader
  generates the same ones, derandomized) and reports the first failure (no shrinking).

The bank file is trusted (the instructor ships it): a JSON header and raw array bytes, decoded
with the sandbox's wire format (``sandbox/protocol.py``); nothing is unpickled.
"""

from __future__ import annotations

import argparse
import functools
import json
import struct
import sys
from pathlib import Path
from typing import Any, Callable

BANK_MAGIC = b"DLGBANK1"
_LENGTH = struct.Struct("<Q")


def run_check(path: str | Path = ".", console=None):
    """Grade ``path`` with the public checks and print the report; returns the Report."""
    from rich.console import Console

    from ..core.engine import Settings, grade
    from ..core.report import render_text

    console = console or Console()
    path = Path(path)
    console.print(f"Public checks on [bold]{path.resolve()}[/]", highlight=False)
    report = grade(path, Settings(public_only=True))
    render_text(report, console)
    passed = sum(1 for r in report.results if r.passed)
    console.print(f"\n{passed} of {len(report.results)} public checks pass "
                  f"({report.score:g} / {report.max_score:g} points). More checks run when you "
                  "submit (numerical stability at extreme inputs, consistency with PyTorch and "
                  "scikit-learn, other parameter values).", highlight=False)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="check", description="Run the public checks on your files.")
    parser.add_argument("path", nargs="?", default=".", type=Path,
                        help="the folder (or .zip) with activations, losses, metrics (.py or .ipynb); "
                             "default: the current folder")
    options = parser.parse_args(argv)
    report = run_check(options.path)
    return 0 if all(r.passed for r in report.results) else 1


# -- the release's example bank: file format ------------------------------------------------------

def _encode(value: Any, chunks: list[bytes], offset: list[int]) -> dict:
    from ..core.sandbox import protocol

    if type(value) is tuple:
        return {"t": "tuple", "items": [_encode(v, chunks, offset) for v in value]}
    if type(value) is list:
        return {"t": "list", "items": [_encode(v, chunks, offset) for v in value]}
    if type(value) is dict:
        return {"t": "dict", "items": [[_encode(k, chunks, offset), _encode(v, chunks, offset)]
                                       for k, v in value.items()]}
    return protocol.encode_value(value, chunks, offset)  # arrays, numpy and Python scalars, str, None


def _decode(spec: dict, payload: memoryview) -> Any:
    from ..core.sandbox import protocol

    kind = spec.get("t")
    if kind == "tuple":
        return tuple(_decode(v, payload) for v in spec["items"])
    if kind == "list":
        return [_decode(v, payload) for v in spec["items"]]
    if kind == "dict":
        return {_decode(k, payload): _decode(v, payload) for k, v in spec["items"]}
    return protocol.decode_value(spec, payload)


def write_bank(path: Path, examples: dict[str, list], expected: dict[str, Any]) -> None:
    """Examples per check call, expected values per oracle and input, in one file."""
    chunks: list[bytes] = []
    offset = [0]
    header = {"examples": {k: [_encode(e, chunks, offset) for e in v] for k, v in examples.items()},
              "expected": {k: _encode(v, chunks, offset) for k, v in expected.items()}}
    head = json.dumps(header, allow_nan=False, separators=(",", ":")).encode()
    path.write_bytes(BANK_MAGIC + _LENGTH.pack(len(head)) + head + b"".join(chunks))


def read_bank(path: Path) -> tuple[dict[str, list], dict[str, Any]]:
    data = path.read_bytes()
    if not data.startswith(BANK_MAGIC):
        raise ValueError(f"{path} is not an example bank")
    start = len(BANK_MAGIC) + _LENGTH.size
    (length,) = _LENGTH.unpack(data[len(BANK_MAGIC):start])
    header = json.loads(data[start:start + length])
    payload = memoryview(data)[start + length:]
    examples = {k: [_decode(e, payload) for e in v] for k, v in header["examples"].items()}
    expected = {k: _decode(v, payload) for k, v in header["expected"].items()}
    return examples, expected


# -- the release's example bank: in use -----------------------------------------------------------

class NotBanked(LookupError):
    """A value the release's bank does not hold (only a failing submission asks for one)."""


_REPLAY: dict[str, Any] = {"examples": {}, "check": None, "calls": 0}


def install_bank(path: Path) -> None:
    """Make the release's bank the one every check reads (read-only)."""
    from ..core import bank

    examples, expected = read_bank(path)
    store = bank.Bank(None)
    store.expected = expected
    bank._CURRENT[:] = [store]
    _REPLAY["examples"] = examples


def example_key(check: str, call: int) -> str:
    return f"{check}#{call}"


def in_check(title: str, run: Callable) -> Callable:
    """``run`` of the check ``title``, telling ``replay_property`` whose examples to replay."""
    def wrapped(student):
        _REPLAY["check"], _REPLAY["calls"] = title, 0
        return run(student)
    return wrapped


def replay_property(strategy: Any, body: Callable, max_examples: int = 20, key: str | None = None):
    """``run_property`` in a release: the banked examples of this check, in order."""
    from ..core.checks.base import PASS, Outcome, show

    name = example_key(_REPLAY["check"], _REPLAY["calls"])
    _REPLAY["calls"] += 1
    if name not in _REPLAY["examples"]:
        raise NotBanked(f"no examples for {name} in the example bank")
    for example in _REPLAY["examples"][name]:
        try:
            outcome = body(example)
        except NotBanked:
            return Outcome(False, f"could not be checked here on the input {show(example, 200)}: it needs "
                                  "the correct values of a function your code gets wrong (see the other "
                                  "failures). Fix those first; until then it counts as failed here, while "
                                  "the grader may still give these points.")
        if outcome is not None and not outcome.passed:
            return outcome
    return PASS


@functools.cache
def banked_function(name: str) -> Callable:
    """Stands in for the reference function ``name`` ("reference.losses.mse_loss")."""
    def oracle(*args: Any, **kwargs: Any) -> Any:
        from ..core import bank

        store = bank.current()
        key = f"{name}|{bank.digest((args, kwargs))}"
        if key not in store.expected:
            raise NotBanked(f"{name.rpartition('.')[2]} on this input is not in the self-check's example bank")
        return store.expected[key]

    oracle.bank_name = name
    oracle.__module__, _, oracle.__qualname__ = name.rpartition(".")
    oracle.__name__ = oracle.__qualname__
    return oracle


class banked_module:  # noqa: N801 (used like a module)
    """Stands in for a reference module: ``banked_module("reference.losses").mse_loss``."""

    def __init__(self, name: str):
        self.__name__ = name

    def __getattr__(self, attr: str) -> Callable:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return banked_function(f"{self.__name__}.{attr}")


if __name__ == "__main__":
    sys.exit(main())
