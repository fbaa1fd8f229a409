"""The ``dlgrade`` command: grade, assign (and later batch, check, release, gradescope)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _grade(options: argparse.Namespace) -> int:
    from ..core.engine import Settings, grade
    from ..core.report import dump_json, render_text, results_json, summary_text, write_atomic

    report = grade(options.path, Settings(public_only=options.public_only))
    if options.format == "json":
        text = dump_json(results_json(report))
        if options.out:
            write_atomic(options.out, text)
        else:
            sys.stdout.write(text)
    else:
        if options.out:
            write_atomic(options.out, summary_text(report) + "\n")
        else:
            render_text(report)
    return 0


def _assign(options: argparse.Namespace) -> int:
    from .assign import check_assignments, write_assignments

    if options.check:
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

    out = build_zip(options.out, hidden_visibility=options.hidden_visibility,
                    budget_seconds=options.budget)
    print(f"wrote {out}: upload it as the assignment's autograder (Gradescope: Configure Autograder)")
    return 0


def _batch(options: argparse.Namespace) -> int:
    from .batch import run_batch
    from ..core.engine import Settings

    settings = Settings(public_only=options.public_only, budget_seconds=options.budget)
    try:
        result = run_batch(options.folder, options.out, jobs=options.jobs, feedback=options.feedback,
                           settings=settings)
    except KeyboardInterrupt:
        return 130
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 1 if result.errors else 0


def _check(options: argparse.Namespace) -> int:
    from .selfcheck import main as check_main

    return check_main([str(options.path)])


def _release(options: argparse.Namespace) -> int:
    from .release import ReleaseError, build_release

    try:
        out = build_release(options.out, force=options.force)
    except ReleaseError as exc:
        print(f"release: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {out}: the stubs, the notebooks and check.py (public checks only, no reference)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dlgrade", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    grade = commands.add_parser("grade", help="grade one submission (folder, zip or notebooks)")
    grade.add_argument("path", type=Path)
    grade.add_argument("--format", choices=("text", "json"), default="text")
    grade.add_argument("--out", type=Path, help="write the report here instead of stdout")
    grade.add_argument("--public-only", action="store_true", help="run only the public checks")
    grade.set_defaults(run=_grade)

    assign = commands.add_parser("assign", help="write assignments/ from solutions/")
    assign.add_argument("--check", action="store_true",
                        help="exit 1 and name the files where assignments/ has drifted")
    assign.set_defaults(run=_assign)

    from .gradescope import DEFAULT_BUDGET_SECONDS, DEFAULT_HIDDEN_VISIBILITY, VISIBILITIES
    gradescope = commands.add_parser("gradescope", help="build the Gradescope autograder zip")
    gradescope.add_argument("--out", type=Path, default=Path("autograder.zip"))
    gradescope.add_argument("--hidden-visibility", choices=VISIBILITIES, default=DEFAULT_HIDDEN_VISIBILITY,
                            help="when students see the hidden checks' results (default: %(default)s)")
    gradescope.add_argument("--budget", type=float, default=DEFAULT_BUDGET_SECONDS,
                            help="time budget of one submission, in seconds (default: %(default)s)")
    gradescope.set_defaults(run=_gradescope)

    import os
    batch = commands.add_parser("batch", help="grade a class folder into a gradebook (resumable)")
    batch.add_argument("folder", type=Path,
                       help="one folder or .zip per student, or a Gradescope submissions export")
    batch.add_argument("--out", type=Path, default=Path("gradebook.csv"))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    batch.add_argument("--jobs", type=int, default=cores,
                       help="grader processes (default: the number of cores, %(default)s)")
    batch.add_argument("--feedback", type=Path,
                       help="write each student's feedback.txt and results.json under this folder")
    batch.add_argument("--public-only", action="store_true", help="run only the public checks")
    batch.add_argument("--budget", type=float, default=120.0,
                       help="time budget of one submission, in seconds (default: %(default)s)")
    batch.set_defaults(run=_batch)

    check = commands.add_parser("check", help="run the public checks on your files (what students run)")
    check.add_argument("path", nargs="?", type=Path, default=Path("."),
                       help="a folder or .zip with your modules or notebooks (default: the current folder)")
    check.set_defaults(run=_check)

    release = commands.add_parser("release", help="write what students receive: stubs, notebooks, self-check")
    release.add_argument("--out", type=Path, required=True)
    release.add_argument("--force", action="store_true", help="replace DIR even if it is not an earlier release")
    release.set_defaults(run=_release)
    return parser


def main(argv: list[str] | None = None) -> int:
    options = build_parser().parse_args(argv)
    return options.run(options)


if __name__ == "__main__":
    sys.exit(main())
