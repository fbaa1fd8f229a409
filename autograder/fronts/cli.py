"""The ``dlgrade`` command: grade, batch, merge, report, check, release, gradescope, package, assign.

Every command takes ``--lang pt|en`` (locale names such as ``pt_BR`` too). The command's own
messages and help are in that language, else ``DLGRADE_LANG``'s, else the course's
(``settings.COURSE_LANGUAGE``); what it writes for students (assignments, a release, the
Gradescope zip's default) is in ``--lang``'s, else the course's.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from .. import __version__
from ..core.i18n import LANGUAGES, UnknownLanguage
from ..core.messages import say


def _print(language: str, key: str, /, error: bool = False, **values: Any) -> None:
    print(say(key, **values).text(language), file=sys.stderr if error else sys.stdout)


def _missing(options: argparse.Namespace, path: Path) -> int:
    print("dlgrade: " + say("cli_no_such_path", path=path).text(options.language), file=sys.stderr)
    return 2


def _grade(options: argparse.Namespace) -> int:
    from ..core.engine import grade
    from ..core.report import dump_json, render_text, results_json, summary_text, write_atomic
    from .settings import context, kit_plan

    if not options.path.exists():
        return _missing(options, options.path)
    ctx = context(public_only=options.public_only, language_option=options.lang).with_(plots=options.format == "html")
    report = grade(options.path, ctx, kit_plan(ctx))
    if options.format == "html":
        from ..core.page import page

        text = page(report, ctx.language, options.audience, source=options.path.name)
        if options.out:
            write_atomic(options.out, text)
        else:
            sys.stdout.write(text)
    elif options.format == "json":
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
    from .assign import MissingText, SolutionError, check_assignments, write_assignments, write_folder
    from .settings import course_language, files_language

    files, course = files_language(options.lang), course_language()
    try:
        if options.out:
            if options.check:
                _print(options.language, "cli_check_with_out", error=True)
                return 2
            for path in write_folder(options.out, files):
                _print(options.language, "cli_wrote", path=path)
            return 0
        if files != course:
            _print(options.language, "cli_course_language_only", error=True, course=course, language=files)
            return 2
        return _assign_or_check(options, check_assignments, write_assignments)
    except (MissingText, SolutionError) as exc:
        for message in getattr(exc, "messages", None) or [exc.message]:
            print(f"dlgrade assign: {message.text(options.language)}", file=sys.stderr)
        return 1


def _assign_or_check(options: argparse.Namespace, check_assignments, write_assignments) -> int:
    if options.check:
        drift = check_assignments()
        for line in drift:
            print(line.text(options.language), file=sys.stderr)
        if drift:
            _print(options.language, "cli_drifted", error=True)
            return 1
        _print(options.language, "cli_up_to_date")
        return 0
    for path in write_assignments():
        _print(options.language, "cli_wrote", path=path)
    return 0


def _gradescope(options: argparse.Namespace) -> int:
    from .gradescope import build_zip
    from .settings import files_language

    out = build_zip(options.out, hidden_visibility=options.hidden_visibility, budget_seconds=options.budget,
                    language=files_language(options.lang))
    _print(options.language, "cli_wrote_zip", path=out)
    return 0


def _known_format(options: argparse.Namespace) -> bool:
    """Whether ``--out`` names a gradebook format the kit writes (said on stderr when not)."""
    from .gradebooks import UnknownFormat, check_format

    try:
        check_format(options.out)
    except UnknownFormat:
        _print(options.language, "gradebook_unknown_format", error=True, path=options.out, formats=".csv, .xlsx")
        return False
    return True


def _batch(options: argparse.Namespace) -> int:
    from .batch import run_batch
    from .settings import context

    if not _known_format(options):
        return 2
    from .shards import BadShard, parse

    try:
        shard = parse(options.shard) if options.shard else None
    except BadShard:
        _print(options.language, "shard_bad", error=True, shard=options.shard)
        return 2
    ctx = context(public_only=options.public_only, budget_seconds=options.budget, language_option=options.lang)
    try:
        result = run_batch(options.folder, options.out, jobs=options.jobs, feedback=options.feedback, context=ctx,
                           report=options.report, exports=tuple(dict.fromkeys(options.export or ())),
                           assignment=options.assignment, hidden_visibility=options.hidden_visibility,
                           published=options.publish, feedback_zip=options.feedback_zip, shard=shard)
    except KeyboardInterrupt:
        return 130
    except FileNotFoundError as exc:
        _print(options.language, "batch_not_a_folder", error=True, folder=exc.args[0] if exc.args else options.folder)
        return 2
    return 1 if result.errors else 0


def _merge(options: argparse.Namespace) -> int:
    """``dlgrade merge SHARDS... --out gradebook.csv``: the gradebook of a class graded in shards."""
    from .merge import merge_shards
    from .shards import MergeRefused

    if not _known_format(options):
        return 2
    for folder in options.shards:
        if not folder.exists():
            return _missing(options, folder)
    try:
        written = merge_shards(options.shards, options.out, report=options.report,
                               exports=tuple(dict.fromkeys(options.export or ())), assignment=options.assignment)
    except MergeRefused as exc:
        print("dlgrade merge: " + exc.message.text(options.language), file=sys.stderr)
        return 1
    for path in written:
        _print(options.language, "cli_wrote", path=path)
    return 0


def _report(options: argparse.Namespace) -> int:
    """``dlgrade report RECORDS --out class.html`` (issue 16): the class report of a finished batch."""
    from .classreport import write_report
    from .classview import NotARecordsFolder, load
    from .settings import language

    if not options.records.exists():
        return _missing(options, options.records)
    try:
        view = load(options.records, language(options.lang))
    except NotARecordsFolder:
        _print(options.language, "class_no_records", error=True, path=options.records)
        return 2
    for path in write_report(view, options.out):
        _print(options.language, "cli_wrote", path=path)
    return 0


def _check(options: argparse.Namespace) -> int:
    from .selfcheck import main as check_main

    argv = [str(options.path)] + [f"-k={k}" for k in options.k or []] + (["--lang", options.lang] if options.lang else [])
    argv += [f"--html={options.html}"] if options.html else []
    return check_main(argv)


def _release(options: argparse.Namespace) -> int:
    from .release import ReleaseError, build_release
    from .settings import files_language

    try:
        out = build_release(options.out, force=options.force, language=files_language(options.lang))
    except ReleaseError as exc:
        print(f"release: {exc.text(options.language)}", file=sys.stderr)
        return 1
    _print(options.language, "cli_wrote_release", path=out)
    return 0


def _package(options: argparse.Namespace) -> int:
    from .package import PackageError, build_grader, build_student
    from .release import ReleaseError
    from .settings import files_language

    if options.out.exists() and not options.out.is_dir():
        _print(options.language, "package_out_not_folder", error=True, path=options.out)
        return 2
    try:
        grader = build_grader(options.out)
        student = build_student(options.out, language=files_language(options.lang))
    except (PackageError, ReleaseError) as exc:
        print(f"package: {exc.text(options.language)}", file=sys.stderr)
        return 1
    _print(options.language, "cli_wrote_grader_wheel", path=grader)
    _print(options.language, "cli_wrote_student_wheel", path=student)
    return 0


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class _Help:
    """The parser's help texts in one language (the tables' ``help_*`` keys)."""

    def __init__(self, language: str):
        from .settings import course_language

        self.language, self.course = language, course_language()

    def __call__(self, key: str, **values: Any) -> str:
        return say(f"help_{key}", course=self.course, **values).text(self.language)


def _grade_parser(commands, text: _Help) -> None:
    grade = commands.add_parser("grade", help=text("grade"))
    grade.add_argument("path", type=Path, help=text("grade_path"))
    grade.add_argument("--format", choices=("text", "json", "html"), default="text", help=text("format"))
    grade.add_argument("--audience", choices=("student", "instructor"), default="student",
                       help=text("audience", default="student"))
    grade.add_argument("--out", type=Path, help=text("out_report"))
    grade.add_argument("--public-only", action="store_true", help=text("public_only"))
    grade.add_argument("--lang", help=text("lang"))
    grade.set_defaults(run=_grade)


def _batch_parser(commands, text: _Help) -> None:
    from .gradescope import DEFAULT_HIDDEN_VISIBILITY, VISIBILITIES

    batch = commands.add_parser("batch", help=text("batch"))
    batch.add_argument("folder", type=Path, help=text("batch_folder"))
    batch.add_argument("--out", type=Path, default=Path("gradebook.csv"), help=text("gradebook", default="gradebook.csv"))
    batch.add_argument("--jobs", type=int, default=_cores(), help=text("jobs", default=_cores()))
    batch.add_argument("--feedback", type=Path, help=text("feedback"))
    batch.add_argument("--feedback-zip", type=Path, metavar="FILE", help=text("feedback_zip"))
    batch.add_argument("--hidden-visibility", choices=VISIBILITIES, default=DEFAULT_HIDDEN_VISIBILITY,
                       help=text("handback_visibility", default=DEFAULT_HIDDEN_VISIBILITY))
    batch.add_argument("--publish", action="store_true", help=text("publish"))
    batch.add_argument("--public-only", action="store_true", help=text("public_only"))
    batch.add_argument("--budget", type=float, default=120.0, help=text("budget", default=120.0))
    batch.add_argument("--report", type=Path, help=text("report"))
    batch.add_argument("--export", action="append", choices=("canvas", "moodle"), help=text("export"))
    batch.add_argument("--assignment", default="dlgrade", help=text("assignment", default="dlgrade"))
    batch.add_argument("--shard", metavar="K/N", help=text("shard"))
    batch.add_argument("--lang", help=text("lang"))
    batch.set_defaults(run=_batch)

    merge = commands.add_parser("merge", help=text("merge"))
    merge.add_argument("shards", type=Path, nargs="+", help=text("merge_shards"))
    merge.add_argument("--out", type=Path, default=Path("gradebook.csv"), help=text("gradebook", default="gradebook.csv"))
    merge.add_argument("--report", type=Path, help=text("report"))
    merge.add_argument("--export", action="append", choices=("canvas", "moodle"), help=text("export"))
    merge.add_argument("--assignment", default="dlgrade", help=text("assignment", default="dlgrade"))
    merge.add_argument("--lang", help=text("lang"))
    merge.set_defaults(run=_merge)

    report = commands.add_parser("report", help=text("report_command"))
    report.add_argument("records", type=Path, help=text("report_records"))
    report.add_argument("--out", type=Path, default=Path("class.html"), help=text("report_out", default="class.html"))
    report.add_argument("--lang", help=text("lang"))
    report.set_defaults(run=_report)


def _student_parsers(commands, text: _Help) -> None:
    check = commands.add_parser("check", help=text("check"))
    check.add_argument("path", nargs="?", type=Path, default=Path("."), help=text("check_path"))
    check.add_argument("-k", action="append", metavar="FUNCTION", help=text("only"))
    check.add_argument("--lang", help=text("lang"))
    check.add_argument("--html", nargs="?", const="feedback.html", type=Path, metavar="FILE",
                       help=text("html", default="feedback.html"))
    check.set_defaults(run=_check)

    release = commands.add_parser("release", help=text("release"))
    release.add_argument("--out", type=Path, required=True, help=text("release_out"))
    release.add_argument("--force", action="store_true", help=text("force"))
    release.add_argument("--lang", help=text("lang_files"))
    release.set_defaults(run=_release)

    assign = commands.add_parser("assign", help=text("assign"))
    assign.add_argument("--check", action="store_true", help=text("assign_check"))
    assign.add_argument("--out", type=Path, help=text("assign_out"))
    assign.add_argument("--lang", help=text("lang_files"))
    assign.set_defaults(run=_assign)


def _gradescope_parser(commands, text: _Help) -> None:
    from .gradescope import DEFAULT_BUDGET_SECONDS, DEFAULT_HIDDEN_VISIBILITY, VISIBILITIES

    gradescope = commands.add_parser("gradescope", help=text("gradescope"))
    gradescope.add_argument("--out", type=Path, default=Path("autograder.zip"), help=text("zip", default="autograder.zip"))
    gradescope.add_argument("--hidden-visibility", choices=VISIBILITIES, default=DEFAULT_HIDDEN_VISIBILITY,
                            help=text("visibility", default=DEFAULT_HIDDEN_VISIBILITY))
    gradescope.add_argument("--budget", type=float, default=DEFAULT_BUDGET_SECONDS,
                            help=text("budget", default=DEFAULT_BUDGET_SECONDS))
    gradescope.add_argument("--lang", help=text("lang_zip"))
    gradescope.set_defaults(run=_gradescope)

    package = commands.add_parser("package", help=text("package"))
    package.add_argument("--out", type=Path, default=Path("dist"), help=text("package_out", default="dist"))
    package.add_argument("--lang", help=text("lang_package"))
    package.set_defaults(run=_package)


def build_parser(language: str = "en") -> argparse.ArgumentParser:
    """The command line, its help in ``language``."""
    from .arguments import parser_class

    text = _Help(language)
    parser = parser_class(language)(prog="dlgrade", description=say("cli_description").text(language))
    parser.add_argument("--version", action="version", version=f"dlgrade {__version__}",
                        help=say("cli_version").text(language))
    commands = parser.add_subparsers(dest="command", required=True)
    _grade_parser(commands, text)
    _batch_parser(commands, text)
    _student_parsers(commands, text)
    _gradescope_parser(commands, text)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .settings import course_language, message_language

    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        language = message_language(argv)
    except UnknownLanguage as exc:  # said in the course's language: the one asked for is unknown
        _print(course_language(), "cli_unknown_language", error=True, name=exc.name, known=", ".join(LANGUAGES))
        return 2
    options = build_parser(language).parse_args(argv)
    options.language = language
    return options.run(options)


if __name__ == "__main__":
    sys.exit(main())
