"""The ``dlgrade`` command: grade, batch, check, release, gradescope, assign."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .. import __version__


def _missing(path: Path) -> int:
    print(f"dlgrade: {path}: no such file or folder", file=sys.stderr)
    return 2


def _grade(options: argparse.Namespace) -> int:
    from ..core.engine import grade
    from ..core.report import dump_json, render_text, results_json, summary_text, write_atomic
    from .settings import context, kit_plan

    if not options.path.exists():
        return _missing(options.path)
    ctx = context(public_only=options.public_only, language_option=options.lang)
    report = grade(options.path, ctx, kit_plan(ctx))
    if options.format == "json":
        text = dump_json(results_json(report, language=ctx.language))
        if options.out:
            write_atomic(options.out, text)
        else:
            sys.stdout.write(text)
    elif options.out:
        write_atomic(options.out, summary_text(report, ctx.language) + "\n")
    else:
        render_text(report, language=ctx.language)
    return 0


def _assign(options: argparse.Namespace) -> int:
    from .assign import MissingText, check_assignments, write_assignments

    try:
        return _assign_or_check(options.check, check_assignments, write_assignments)
    except MissingText as exc:
        print(f"dlgrade assign: {exc}", file=sys.stderr)
        return 1


def _assign_or_check(check: bool, check_assignments, write_assignments) -> int:
    if check:
        drift = check_assignments()
        for line in drift:
            print(line, file=sys.stderr)
        if drift:
            print("assignments/ differs from what `dlgrade assign` would write; run it.", file=sys.stderr)
            return 1
        print("assignments/ is up to date.")
        return 0
    for path in write_assignments():
        print(f"wrote {path}")
    return 0


def _gradescope(options: argparse.Namespace) -> int:
    from .gradescope import build_zip

    out = build_zip(options.out, hidden_visibility=options.hidden_visibility, budget_seconds=options.budget)
    print(f"wrote {out}: upload it as the assignment's autograder (Gradescope: Configure Autograder)")
    return 0


def _batch(options: argparse.Namespace) -> int:
    from .batch import run_batch
    from .settings import context

    ctx = context(public_only=options.public_only, budget_seconds=options.budget, language_option=options.lang)
    try:
        result = run_batch(options.folder, options.out, jobs=options.jobs, feedback=options.feedback, context=ctx)
    except KeyboardInterrupt:
        return 130
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 1 if result.errors else 0


def _check(options: argparse.Namespace) -> int:
    from .selfcheck import main as check_main

    argv = [str(options.path)] + [f"-k={k}" for k in options.k or []] + (["--lang", options.lang] if options.lang else [])
    return check_main(argv)


def _release(options: argparse.Namespace) -> int:
    from .release import ReleaseError, build_release

    try:
        out = build_release(options.out, force=options.force)
    except ReleaseError as exc:
        print(f"release: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {out}: the stubs, the notebooks and check.py (public checks only, no reference)")
    return 0


def _language(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", help="the language of the report: pt or en (also pt_BR, pt-PT...); "
                                       "default: DLGRADE_LANG, else the course's")


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _grade_parser(commands) -> None:
    grade = commands.add_parser("grade", help="grade one submission (a folder, a zip or notebooks)")
    grade.add_argument("path", type=Path, help="the submission: a folder or .zip of modules or notebooks")
    grade.add_argument("--format", choices=("text", "json"), default="text",
                       help="text (a terminal report) or json (Gradescope's results.json)")
    grade.add_argument("--out", type=Path, help="write the report here instead of the terminal")
    grade.add_argument("--public-only", action="store_true", help="run only the public checks")
    _language(grade)
    grade.set_defaults(run=_grade)


def _batch_parser(commands) -> None:
    batch = commands.add_parser("batch", help="grade a class folder into a gradebook (resumable)")
    batch.add_argument("folder", type=Path, help="one folder or .zip per student, or a Gradescope submissions export")
    batch.add_argument("--out", type=Path, default=Path("gradebook.csv"), help="the gradebook (default: %(default)s)")
    batch.add_argument("--jobs", type=int, default=_cores(),
                       help="grader processes (default: the number of cores, %(default)s)")
    batch.add_argument("--feedback", type=Path, help="write each student's feedback.txt and results.json here")
    batch.add_argument("--public-only", action="store_true", help="run only the public checks")
    batch.add_argument("--budget", type=float, default=120.0,
                       help="time budget of one submission, in seconds (default: %(default)s)")
    _language(batch)
    batch.set_defaults(run=_batch)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dlgrade", description=__doc__)
    parser.add_argument("--version", action="version", version=f"dlgrade {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    _grade_parser(commands)
    _batch_parser(commands)

    check = commands.add_parser("check", help="run the public checks on your files (what students run)")
    check.add_argument("path", nargs="?", type=Path, default=Path("."),
                       help="a folder or .zip with your modules or notebooks (default: the current folder)")
    check.add_argument("-k", action="append", metavar="FUNCTION",
                       help="check only this function (sigmoid, activations.sigmoid); repeat for more")
    _language(check)
    check.set_defaults(run=_check)

    release = commands.add_parser("release", help="write what students receive: stubs, notebooks, self-check")
    release.add_argument("--out", type=Path, required=True, help="the folder to write (an earlier release is replaced)")
    release.add_argument("--force", action="store_true", help="replace the folder even if it is not an earlier release")
    release.set_defaults(run=_release)

    from .gradescope import DEFAULT_BUDGET_SECONDS, DEFAULT_HIDDEN_VISIBILITY, VISIBILITIES
    gradescope = commands.add_parser("gradescope", help="build the Gradescope autograder zip")
    gradescope.add_argument("--out", type=Path, default=Path("autograder.zip"), help="the zip (default: %(default)s)")
    gradescope.add_argument("--hidden-visibility", choices=VISIBILITIES, default=DEFAULT_HIDDEN_VISIBILITY,
                            help="when students see the hidden checks' results (default: %(default)s)")
    gradescope.add_argument("--budget", type=float, default=DEFAULT_BUDGET_SECONDS,
                            help="time budget of one submission, in seconds (default: %(default)s)")
    gradescope.set_defaults(run=_gradescope)

    assign = commands.add_parser("assign", help="write assignments/ from solutions/ (stubs and notebooks)")
    assign.add_argument("--check", action="store_true", help="exit 1 and name the files where assignments/ has drifted")
    assign.set_defaults(run=_assign)
    return parser


def main(argv: list[str] | None = None) -> int:
    options = build_parser().parse_args(argv)
    try:
        return options.run(options)
    except ValueError as exc:  # an unknown language, for instance
        if "unknown language" not in str(exc):
            raise
        print(f"dlgrade: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
