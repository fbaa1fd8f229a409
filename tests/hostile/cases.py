"""The hostile corpus's folder cases, and a command that writes any of them out as a submission.

    python tests/hostile/cases.py --out DIR                         # every folder case
    python tests/hostile/cases.py --out DIR --case 08_memory_bomb --case 25_shadow_modules

A case is a folder ``tests/hostile/NN_name/`` stored as what it changes: its files named like a
contract module (``activations.py``, ``losses.py``, ``metrics.py``) are APPENDED to a copy of the
correct solution (``solutions/``), so the submission is correct except for the attack; any
other ``.py`` file is copied beside them as is. Tokens ``__PORT__`` and ``__MARK__`` in a case
are replaced (a loopback port the attack tries, a folder where a shadow module leaves a mark).
Written out, a case is ``DIR/NN_name/``: grade it like a student's folder, in a sandbox.
The archives and odd folders of the corpus (29 to 36) are built by ``tests/test_hostile.py``,
those of issue 13 (pipes, devices, names, notebooks, zips: 45 to 55, 61) by ``round2.py``; the
class folders (62 to 69) by ``tests/test_hostile_class.py``.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

HOSTILE = Path(__file__).resolve().parent
SOLUTIONS = HOSTILE.parents[1] / "solutions"
MODULES = ("activations", "losses", "metrics")


def names() -> list[str]:
    """The folder cases, in order."""
    return sorted(p.name for p in HOSTILE.iterdir() if p.is_dir() and p.name[:2].isdigit())


def copy_solutions(dest: Path, modules: tuple[str, ...] = MODULES) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for module in modules:
        shutil.copyfile(SOLUTIONS / f"{module}.py", dest / f"{module}.py")
    return dest


def build_case(name: str, dest: Path, **substitutions: object) -> Path:
    """The submission of case ``name``: the solutions with the case's files applied."""
    copy_solutions(dest)
    for path in sorted((HOSTILE / name).iterdir()):
        if path.suffix != ".py":
            continue
        text = path.read_text(encoding="utf-8")
        for token, value in substitutions.items():
            text = text.replace(f"__{token.upper()}__", str(value))
        target = dest / path.name
        if path.stem in MODULES:
            target.write_text(target.read_text(encoding="utf-8") + text, encoding="utf-8")
        else:
            target.write_text(text, encoding="utf-8")
    return dest


def remove_nest(top: Path, depth: int) -> None:
    """Remove ``top/d/d/.../d`` (``depth`` levels, a module file at the bottom) bottom-up:
    shutil.rmtree recurses once per level and fails on a 1,200-deep nest."""
    if not top.is_dir():
        return
    deep = top
    for _ in range(depth - 1):
        deep = deep / "d"
    (deep / "activations.py").unlink(missing_ok=True)
    while True:
        deep.rmdir()
        if deep == top:
            break
        deep = deep.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write DIR/<case>/ into")
    parser.add_argument("--case", action="append", metavar="NAME", help="a case to write (repeatable; default: all)")
    parser.add_argument("--port", type=int, default=9, help="the port network attacks try (default 9, discard)")
    args = parser.parse_args(argv)
    chosen = args.case or names()
    unknown = sorted(set(chosen) - set(names()))
    if unknown:
        parser.error(f"unknown cases {unknown}; the cases are: {', '.join(names())}")
    marks = args.out / "marks"
    marks.mkdir(parents=True, exist_ok=True)
    for name in chosen:
        shutil.rmtree(args.out / name, ignore_errors=True)
        build_case(name, args.out / name, port=args.port, mark=marks.resolve())
    print(f"{len(chosen)} hostile cases written to {args.out} (shadow-module marks go to {marks})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
