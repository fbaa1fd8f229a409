"""The student's local check: the public checks on the files in a folder, in seconds.

``dlgrade check [PATH]`` in the kit, ``python check.py [PATH]`` in a release. Same engine, same
sandbox, same feedback as the grader. In a release (or the student package) there is no
reference and no hidden check: the package carries ``autograder/data/public.bank``, which holds
the public check records, the examples they replay and the reference values they read
(written by ``dlgrade release``); the expected values come from it alone. The bank also says
the release's language: the self-check's default.
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


def public_bank() -> Any:
    """A release's public bank (None in the kit)."""
    from ..core.bank import Bank

    return Bank(PUBLIC_BANK, writable=False) if released() else None


def release_language(bank: Any) -> str | None:
    """The language a release was written in (None in the kit: the course's)."""
    return bank.release.get("language") if bank is not None else None


def _context_and_plan(language_option: str | None, bank: Any) -> tuple[Any, Any]:
    from ..core.engine import plan
    from .settings import context, kit_plan

    if bank is None:
        ctx = context(public_only=True, language_option=language_option)
        return ctx, kit_plan(ctx)
    from ..core.bank import public_checks
    from ..core.checks.oracles import BankedOracles

    ctx = context(public_only=True, language_option=language_option, bank=bank, oracles=BankedOracles(bank),
                  default_language=release_language(bank))
    return ctx, plan(public_checks(bank), ctx)


def only(checks: Any, names: list[str]) -> Any:
    """The plan restricted to the functions named (``sigmoid`` or ``activations.sigmoid``)."""
    from ..core.engine import Plan

    wanted = set(names)
    return Plan(tuple(e for e in checks.exercises if e.function in wanted or e.name in wanted))


def run_check(path: str | Path = ".", console: Any = None, functions: list[str] | None = None,
              language_option: str | None = None, bank: Any = None, html: Path | None = None) -> Any:
    """Grade ``path`` with the public checks and print the report; returns the Report.
    (``bank``: the release's public bank, when the caller has it already; ``html``: also write
    the feedback page there.)"""
    from rich.console import Console

    from ..core.engine import grade
    from ..core.messages import say
    from ..core.report import render_text

    console = console or Console()
    ctx, checks = _context_and_plan(language_option, bank if bank is not None else public_bank())
    if functions:
        checks = only(checks, functions)
    language = ctx.language
    console.print(say("selfcheck_title", path=Path(path).resolve()).text(language), markup=False, highlight=False)
    report = grade(path, ctx.with_(plots=html is not None), checks)
    render_text(report, console, language)
    passed = sum(1 for r in report.results if r.passed)
    console.print("\n" + say("selfcheck_summary", passed=passed, total=len(report.results),
                             score=f"{report.score:g}", max=f"{report.max_score:g}").text(language),
                  markup=False, highlight=False)
    if html is not None:
        _write_page(report, html, path, language, console)
    return report


def _write_page(report: Any, html: Path, path: str | Path, language: str, console: Any) -> None:
    """The student's feedback page (it needs matplotlib, which a release does not require)."""
    from ..core.messages import say
    from ..core.report import write_atomic

    try:
        from ..core.page import page
        text = page(report, language, "student", source=Path(path).resolve().name)
    except ImportError as exc:
        console.print(say("selfcheck_page_needs", module=exc.name or "matplotlib").text(language), markup=False,
                      highlight=False)
        return
    write_atomic(html, text)
    console.print(say("cli_wrote_page", path=html).text(language), markup=False, highlight=False)


def _parser(language: str, default: str) -> argparse.ArgumentParser:
    from ..core.messages import say
    from .arguments import parser_class

    def text(key: str) -> str:
        return say(key, course=default).text(language)

    parser = parser_class(language)(prog="check", description=text("selfcheck_description"))
    parser.add_argument("path", nargs="?", default=".", type=Path, help=text("help_check_path"))
    parser.add_argument("-k", action="append", metavar="FUNCTION", help=text("help_only"))
    parser.add_argument("--lang", help=text("help_lang"))
    parser.add_argument("--html", nargs="?", const="feedback.html", type=Path, metavar="FILE",
                        help=say("help_html", default="feedback.html").text(language))
    return parser


def main(argv: list[str] | None = None) -> int:
    from ..core.i18n import LANGUAGES, UnknownLanguage
    from ..core.messages import say
    from .settings import course_language, message_language

    argv = list(sys.argv[1:] if argv is None else argv)
    bank = public_bank()
    default = release_language(bank) or course_language()
    try:
        language = message_language(argv, default=default)
    except UnknownLanguage as exc:
        print("check: " + say("cli_unknown_language", name=exc.name, known=", ".join(LANGUAGES)).text(default),
              file=sys.stderr)
        return 2
    options = _parser(language, default).parse_args(argv)
    if not options.path.exists():
        print("check: " + say("cli_no_such_path", path=options.path).text(language), file=sys.stderr)
        return 2
    report = run_check(options.path, functions=options.k, language_option=options.lang, bank=bank, html=options.html)
    if options.k and not report.results:
        print("check: " + say("selfcheck_no_function", names=", ".join(options.k)).text(language), file=sys.stderr)
        return 2
    return 0 if all(r.passed for r in report.results) else 1


if __name__ == "__main__":
    sys.exit(main())
