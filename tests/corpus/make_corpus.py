"""The grading corpora of ``tests/test_corpora.py``, materialised from ``solutions/``.

    python tests/corpus/make_corpus.py --out DIR                       # every case
    python tests/corpus/make_corpus.py --out DIR --case c03_python_loops --case a05_relu_grad_kink_one

A case is stored as what it changes (``correct_variants.py``: differently written correct
code; ``buggy_variants.py``: exactly one wrong function per case). Written out, it is a full
submission folder ``DIR/<kind>/<case>/`` (activations.py, losses.py, metrics.py): the
instructor's solution with some top-level functions replaced by the variant's own code.
Unchanged modules are copied byte for byte; a changed module starts with a comment that names
the case and the replaced functions. ``DIR/<kind>/README.md`` lists the cases written, and
``DIR/buggy/expected.json`` maps each buggy case to the function that must lose points and
the hint key (``autograder/core/i18n.py``) its feedback must contain, or null: both derived
from the variants. The test session writes every case to a temporary folder the same way
(``tests/conftest.py``, fixture ``corpus``).
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import json
import shutil
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SOLUTIONS = ROOT / "solutions"
MODULES = ("activations", "losses", "metrics")

# A change is the new source of the function, or a callable that edits the solution's source.
Change = "str | Callable[[str], str]"


@dataclass
class Variant:
    name: str
    description: str
    changes: dict[str, dict[str, object]]  # module -> function -> new source or edit
    helpers: dict[str, str] = field(default_factory=dict)  # module -> code appended (private helpers)
    function: str | None = None  # buggy cases: "module.function" that must lose points
    hint: str | None = None  # buggy cases: the hint key expected in that function's feedback


def calls(old: str, new: str) -> Callable[[str], str]:
    """An edit: every call ``old(`` in the function becomes ``new(`` (dependents of a buggy
    function call a private correct copy instead, so that only the buggy function is wrong)."""

    def edit(source: str) -> str:
        marker = "### BEGIN SOLUTION"  # edit the code only, not the docstring
        cut = source.index(marker) if marker in source else source.index("\n")
        head, body = source[:cut], source[cut:]
        edited = body.replace(f" {old}(", f" {new}(").replace(f"({old}(", f"({new}(")
        if edited == body:
            raise ValueError(f"no call {old}( to redirect")
        return head + edited

    edit.__name__ = f"calls {old} -> {new}"
    return edit


def top_level_functions(source: str) -> dict[str, tuple[int, int]]:
    """name -> (first line, last line), 1-based and inclusive, decorators included."""
    spans = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            spans[node.name] = (first, node.end_lineno)
    return spans


def apply(source: str, module: str, variant: Variant, kind: str) -> str:
    """The solution's ``source`` of ``module`` with the variant's changes."""
    changes = variant.changes.get(module, {})
    helpers = variant.helpers.get(module)
    if not changes and not helpers:
        return source
    lines = source.splitlines()
    spans = top_level_functions(source)
    for name in sorted(changes, key=lambda n: spans[n][0], reverse=True):
        if name not in spans:
            raise KeyError(f"{variant.name}: {module}.{name} is not a function of solutions/{module}.py")
        first, last = spans[name]
        old = "\n".join(lines[first - 1:last])
        change = changes[name]
        new = change(old) if callable(change) else textwrap.dedent(change).strip("\n")
        lines[first - 1:last] = new.splitlines()
    text = "\n".join(lines) + "\n"
    if helpers:
        text += "\n\n# -- private helpers of this variant " + "-" * 58 + "\n\n"
        text += textwrap.dedent(helpers).strip("\n") + "\n"
    order = sorted(changes, key=lambda n: spans[n][0])
    rewritten = ", ".join(n for n in order if not callable(changes[n])) or "none"
    header = [f"# Corpus case {kind}/{variant.name} (written by tests/corpus/make_corpus.py).",
              f"# solutions/{module}.py with these functions rewritten: {rewritten}."]
    redirected = [f"{n} ({changes[n].__name__})" for n in order if callable(changes[n])]
    if redirected:
        header += [f"# Only the calls changed in: {', '.join(redirected)}: callers of the buggy function",
                   "# use a correct private copy, so that exactly one function is wrong."]
    header += ["# " + line for line in textwrap.wrap(variant.description, 94)]
    compile(text, f"{variant.name}/{module}.py", "exec")  # a syntax error here is the generator's
    return "\n".join(header) + "\n" + text


def render(kind: str, variants: list[Variant]) -> dict[str, str]:
    """Relative path -> text of every file of one corpus."""
    solutions = {m: (SOLUTIONS / f"{m}.py").read_text(encoding="utf-8") for m in MODULES}
    files: dict[str, str] = {}
    names = [v.name for v in variants]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"duplicate case names: {sorted(duplicates)}")
    for variant in variants:
        unknown = set(variant.changes) | set(variant.helpers)
        if unknown - set(MODULES):
            raise KeyError(f"{variant.name}: unknown modules {sorted(unknown - set(MODULES))}")
        for module in MODULES:
            files[f"{variant.name}/{module}.py"] = apply(solutions[module], module, variant, kind)
    lines = [f"# The {kind} corpus", "",
             "Written by `tests/corpus/make_corpus.py` (definitions in "
             f"`tests/corpus/{kind}_variants.py`); graded by `tests/test_corpora.py`.", ""]
    if kind == "buggy":
        lines += ["Each case is `solutions/` with exactly one wrong function: it must lose points on that",
                  "function only (see `expected.json`, which also names the expected hint).", "",
                  "| case | function | hint | the bug |", "|---|---|---|---|"]
        lines += [f"| `{v.name}` | `{v.function}` | {v.hint or '-'} | {_cell(v.description)} |" for v in variants]
        files["expected.json"] = json.dumps(expected(variants), indent=2, ensure_ascii=False) + "\n"
    else:
        lines += ["Each case is a differently written CORRECT submission: it must get full marks.", "",
                  "| case | what differs from `solutions/` |", "|---|---|"]
        lines += [f"| `{v.name}` | {_cell(v.description)} |" for v in variants]
    files["README.md"] = "\n".join(lines) + "\n"
    return files


def expected(variants: list[Variant]) -> dict[str, dict]:
    """Each buggy case -> the function that must lose points and the hint its feedback names."""
    return {v.name: {"function": v.function, "hint": v.hint} for v in variants}


def _cell(text: str) -> str:
    """``text`` inside a markdown table cell (|z| must not end the cell)."""
    return text.replace("|", "\\|")


def load_variants(kind: str) -> list[Variant]:
    """The cases of ``<kind>_variants.py``, loaded from its file. The variants import ``Variant``
    and ``calls`` from ``make_corpus``: that name is this module, however it was loaded (as a
    script, or as ``corpus.make_corpus`` by the tests)."""
    sys.modules.setdefault("make_corpus", sys.modules[__name__])
    spec = importlib.util.spec_from_file_location(f"{kind}_variants", HERE / f"{kind}_variants.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    variants = module.VARIANTS
    if kind == "buggy":
        for v in variants:
            if not v.function or v.function.split(".")[0] not in MODULES:
                raise ValueError(f"{v.name}: a buggy case names its function as module.function")
    return variants


KINDS = ("correct", "buggy")


def write(out: Path, names: list[str] | None = None) -> dict[str, list[str]]:
    """Write the cases ``names`` (all when None) under ``out/<kind>/``, with each kind's
    README.md (and buggy/expected.json) for the cases written; kind -> the case names written."""
    variants = {kind: load_variants(kind) for kind in KINDS}
    known = {v.name for found in variants.values() for v in found}
    unknown = sorted(set(names or ()) - known)
    if unknown:
        raise KeyError(f"unknown cases {unknown}; the cases are: {', '.join(sorted(known))}")
    written: dict[str, list[str]] = {}
    for kind in KINDS:
        chosen = [v for v in variants[kind] if names is None or v.name in names]
        if not chosen:
            continue
        for case in {v.name for v in chosen}:
            shutil.rmtree(out / kind / case, ignore_errors=True)
        for relative, text in render(kind, chosen).items():
            path = out / kind / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        written[kind] = [v.name for v in chosen]
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write DIR/<kind>/<case>/ into")
    parser.add_argument("--case", action="append", metavar="NAME", help="a case to write (repeatable; default: all)")
    args = parser.parse_args(argv)
    try:
        written = write(args.out, args.case)
    except KeyError as error:
        parser.error(error.args[0])
    for kind, cases in written.items():
        print(f"{kind}: {len(cases)} cases written to {args.out / kind}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
