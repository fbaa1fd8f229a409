"""The student's local check: the public checks on the files in a folder, in seconds.

``dlgrade check [PATH]`` in the kit, ``python check.py [PATH]`` in a release. Same engine, same
sandbox, same feedback as the grader. In a release (or the student package) there is no
reference and no hidden check: the package carries ``autograder/data/public.bank``, which holds
the public check records, the examples they replay and the reference values they read
(written by ``dlgrade release``); the expected values come from it alone.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

PUBLIC_BANK = Path(__file__).resolve().parent.parent / "data" / "public.bank"


def released() -> bool:
    """Whether this package is a release's (it carries the public bank)."""
    return PUBLIC_BANK.is_file()


def _context_and_plan(language_option: str | None) -> tuple[Any, Any]:
    from ..core.engine import plan
    from .settings import context, kit_plan

    if not released():
        ctx = context(public_only=True, language_option=language_option)
        return ctx, kit_plan(ctx)
    from ..core.bank import Bank, public_checks
    from ..core.checks.oracles import BankedOracles

    bank = Bank(PUBLIC_BANK, writable=False)
    ctx = context(public_only=True, language_option=language_option, bank=bank, oracles=BankedOracles(bank))
    return ctx, plan(public_checks(bank), ctx)


def only(checks: Any, names: list[str]) -> Any:
    """The plan restricted to the functions named (``sigmoid`` or ``activations.sigmoid``)."""
    from ..core.engine import Plan

    wanted = set(names)
    return Plan(tuple(e for e in checks.exercises if e.function in wanted or e.name in wanted))


def run_check(path: str | Path = ".", console: Any = None, functions: list[str] | None = None,
              language_option: str | None = None) -> Any:
    """Grade ``path`` with the public checks and print the report; returns the Report."""
    from rich.console import Console

    from ..core.engine import grade
    from ..core.messages import say
    from ..core.report import render_text

    console = console or Console()
    ctx, checks = _context_and_plan(language_option)
    if functions:
        checks = only(checks, functions)
    language = ctx.language
    console.print(say("selfcheck_title", path=Path(path).resolve()).text(language), markup=False, highlight=False)
    report = grade(path, ctx, checks)
    render_text(report, console, language)
    passed = sum(1 for r in report.results if r.passed)
    console.print("\n" + say("selfcheck_summary", passed=passed, total=len(report.results),
                             score=f"{report.score:g}", max=f"{report.max_score:g}").text(language),
                  markup=False, highlight=False)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="check", description="Run the public checks on your files.")
    parser.add_argument("path", nargs="?", default=".", type=Path,
                        help="the folder (or .zip) with activations, losses, metrics (.py or .ipynb); "
                             "default: the current folder")
    parser.add_argument("-k", action="append", metavar="FUNCTION",
                        help="check only this function (sigmoid, activations.sigmoid); repeat for more")
    parser.add_argument("--lang", help="pt or en (default: DLGRADE_LANG, else the course's)")
    options = parser.parse_args(argv)
    if not options.path.exists():
        print(f"check: {options.path}: no such file or folder", file=sys.stderr)
        return 2
    try:
        report = run_check(options.path, functions=options.k, language_option=options.lang)
    except ValueError as exc:
        print(f"check: {exc}", file=sys.stderr)
        return 2
    if options.k and not report.results:
        print(f"check: no function named {', '.join(options.k)}", file=sys.stderr)
        return 2
    return 0 if all(r.passed for r in report.results) else 1


if __name__ == "__main__":
    sys.exit(main())
