"""The Gradescope autograder: build the zip, and grade one submission inside the container.

``build_zip`` writes what Gradescope expects at the root of ``autograder.zip``: ``setup.sh``
(run once when the image is built: Ubuntu 22.04, as root; it ends with ``warm``, which builds
the example bank in ``/autograder/bank`` so that the first submission replays it), an executable
``run_autograder``, ``requirements.txt``, and the kit's own source (``autograder/``,
``reference/``, ``pyproject.toml``, ``README.md``; no solutions, no tests, no notebook tooling).

``run_autograder`` is a small POSIX shell script that calls ``python -m autograder.fronts.gradescope
run``: it grades ``$ROOT/submission`` through the sandbox and writes
``$ROOT/results/results.json`` atomically (``ROOT`` is ``$DLGRADE_AUTOGRADER_ROOT``, default
``/autograder``, so a test can run it on a simulated tree). Whatever the submission is, or
whatever goes wrong in the grader, a valid results.json is written: the Python side turns an
internal error into zero-score tests with a plain message, and the shell script writes a
minimal results.json itself if Python could not.

Both scripts are templates (``autograder/templates/gradescope/``): ``setup.sh`` gets the pinned
torch, ``run_autograder`` its fallback message in the zip's language. That language
(``--lang``, default the course's) is a build-time setting of the zip, like the hidden checks'
visibility; ``DLGRADE_LANG`` in the container overrides it.
"""

from __future__ import annotations

import io
import json
import os
import stat
import sys
import tempfile
import time
import traceback
import zipfile
from pathlib import Path

KIT_ROOT = Path(__file__).resolve().parent.parent.parent
VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
DEFAULT_HIDDEN_VISIBILITY = "after_published"
DEFAULT_BUDGET_SECONDS = 420.0  # Gradescope stops a run at 10 minutes, on half a CPU
WARM_BUDGET_SECONDS = 1800.0  # setup.sh's warm-up generates everything once, on the image builder
CONFIG_NAME = "dlgrade-gradescope.json"  # build-time defaults, at the zip's root
SHIPPED_FOLDERS = ("autograder", "reference")
SHIPPED_FILES = ("pyproject.toml", "README.md")
NOT_SHIPPED = ("autograder/samples",)  # sample submissions: not needed to grade, close to solutions
# the project's dependencies that grading does not need (notebook tooling pulls jupyter in)
NOT_FOR_GRADING = {"nbformat", "nbgrader", "otter-grader", "jupyter", "notebook", "torch"}
TORCH_INDEX = "https://download.pytorch.org/whl/cpu"

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "gradescope"  # setup.sh, run_autograder


def fallback_results(language: str) -> str:
    """The results.json run_autograder writes itself when Python could not (one line of JSON)."""
    from ..core.messages import say

    return json.dumps({"score": 0.0, "output": say("internal_error").text(language), "output_format": "text",
                       "visibility": "visible", "stdout_visibility": "hidden", "tests": []}, ensure_ascii=False)


def setup_sh(torch: str) -> str:
    """setup.sh: the image build, with the pinned torch from the CPU index."""
    return (TEMPLATES / "setup.sh").read_text(encoding="utf-8").replace("{torch}", torch).replace("{index}", TORCH_INDEX)


def run_autograder(language: str) -> str:
    """run_autograder: the entry point, with its fallback message in ``language``."""
    return (TEMPLATES / "run_autograder").read_text(encoding="utf-8").replace("{fallback_results}",
                                                                               fallback_results(language))


# -- building the zip -----------------------------------------------------------------------------

def _kit_files(root: Path) -> list[tuple[str, Path]]:
    """(name in the zip, file) for the kit's source: packages without caches, top-level files."""
    files = []
    for folder in SHIPPED_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            rel = path.relative_to(root)
            if path.is_file() and "__pycache__" not in rel.parts and path.suffix not in (".pyc", ".pyo") \
                    and not any(part.startswith(".") for part in rel.parts) \
                    and not rel.as_posix().startswith(tuple(f"{n}/" for n in NOT_SHIPPED)):
                files.append((rel.as_posix(), path))
    for name in SHIPPED_FILES:
        if (root / name).is_file():
            files.append((name, root / name))
    return files


def requirements(root: Path = KIT_ROOT) -> tuple[str, list[str]]:
    """(torch requirement, other grading requirements), pinned to the versions installed here.

    From pyproject's dependencies minus the notebook tooling; pinned so that Gradescope grades
    with the libraries the kit was tested with (torch's CPU build is installed on its own).
    """
    import importlib.metadata
    import re
    import tomllib

    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [re.split(r"[<>=!~ ;\[]", dep, maxsplit=1)[0].strip() for dep in project["dependencies"]]

    def pinned(name: str) -> str:
        try:
            version = importlib.metadata.version(name).split("+")[0]
        except importlib.metadata.PackageNotFoundError:
            return next(d for d in project["dependencies"] if d.startswith(name))
        return f"{name}=={version}"

    torch = pinned("torch") if "torch" in names else "torch"
    return torch, [pinned(n) for n in names if n.lower() not in NOT_FOR_GRADING]


def _add(archive: zipfile.ZipFile, name: str, data: bytes, mode: int = 0o644) -> None:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.external_attr = (stat.S_IFREG | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def build_zip(out: str | Path, hidden_visibility: str = DEFAULT_HIDDEN_VISIBILITY,
              budget_seconds: float = DEFAULT_BUDGET_SECONDS, root: Path = KIT_ROOT, language: str | None = None) -> Path:
    """Write the Gradescope autograder zip to ``out`` (reproducible: fixed dates, sorted).

    ``language``: what students read on Gradescope (default: the course's), unless the
    container's ``DLGRADE_LANG`` says otherwise."""
    from .settings import files_language

    language = files_language(language)
    if hidden_visibility not in VISIBILITIES:
        raise ValueError(f"hidden visibility must be one of {', '.join(VISIBILITIES)}")
    torch, others = requirements(root)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(archive, "setup.sh", setup_sh(torch).encode(), 0o755)
        _add(archive, "run_autograder", run_autograder(language).encode(), 0o755)
        _add(archive, "requirements.txt", ("\n".join(others) + "\n").encode())
        _add(archive, CONFIG_NAME, json.dumps({"hidden_visibility": hidden_visibility, "budget_seconds": budget_seconds,
                                               "language": language}, indent=2).encode())
        shipped = _kit_files(root)
        if not any(name == "README.md" for name, _ in shipped):  # pyproject's readme must exist
            _add(archive, "README.md", b"# dlgrade\n\nThe grading kit (Gradescope build).\n")
        for name, path in shipped:
            _add(archive, name, path.read_bytes())
    tmp = out.with_name(f".{out.name}.partial")
    tmp.write_bytes(buffer.getvalue())
    os.replace(tmp, out)
    return out


# -- inside the container ---------------------------------------------------------------------------

def _config(source: Path) -> dict:
    try:
        config = json.loads((source / CONFIG_NAME).read_text(encoding="utf-8"))
        return config if isinstance(config, dict) else {}
    except (OSError, ValueError):
        return {}


def _error_results(hidden_visibility: str, language: str) -> dict:
    """results.json when grading itself failed: every check at zero, saying so in ``language``
    (the same rows as a grading's: one per function and visibility)."""
    from ..core.messages import say

    message = say("internal_error").text(language)
    tests = []
    try:
        from ..core.checks import catalogue
        from ..core.report import CheckResult, Report, results_json

        report = Report([CheckResult(check.function, check.name, 0.0, check.points, check.visibility)
                         for exercise in catalogue() for check in exercise.checks])
        tests = results_json(report, hidden_visibility, language)["tests"]
        for test in tests:
            test["output"] = message
            test["output_format"] = "text"
    except Exception:
        tests = []
    return {"score": 0.0, "output": message, "output_format": "text", "visibility": "visible",
            "stdout_visibility": "hidden", "tests": tests}


def _language(config: dict) -> str:
    """The students' language: ``DLGRADE_LANG``, else the zip's build-time one, else the course's
    (an unknown one is passed over: a valid results.json matters more)."""
    from ..core.i18n import language_of
    from .settings import course_language

    for candidate in (os.environ.get("DLGRADE_LANG"), config.get("language")):
        if candidate:
            try:
                return language_of(candidate)
            except ValueError:
                continue
    return course_language()


def _settings(root: Path, hidden_visibility: str | None, budget_seconds: float | None) -> tuple[str, float, str]:
    """The hidden checks' visibility, the budget and the language: the option, the environment,
    the zip's build-time setting, the default."""
    from ..core.messages import say

    config = _config(root / "source")
    language = _language(config)
    visibility = (hidden_visibility or os.environ.get("DLGRADE_HIDDEN_VISIBILITY")
                  or config.get("hidden_visibility") or DEFAULT_HIDDEN_VISIBILITY)
    if visibility not in VISIBILITIES:
        print(say("gradescope_unknown_visibility", value=visibility, default=DEFAULT_HIDDEN_VISIBILITY).text(language))
        visibility = DEFAULT_HIDDEN_VISIBILITY
    budget = budget_seconds or float(os.environ.get("DLGRADE_BUDGET_SECONDS")
                                     or config.get("budget_seconds") or DEFAULT_BUDGET_SECONDS)
    return visibility, budget, language


def run(root: str | Path, hidden_visibility: str | None = None, budget_seconds: float | None = None) -> int:
    """Grade ``root/submission`` into ``root/results/results.json``; always writes a result.

    Call from the process's main thread (the sandbox's workers die with the spawning thread).
    """
    from ..core.report import dump_json, write_atomic

    root = Path(root)
    visibility, budget, language = _settings(root, hidden_visibility, budget_seconds)
    results_path = root / "results" / "results.json"
    started = time.monotonic()
    log = ""
    try:
        from ..core.engine import grade
        from ..core.report import results_json, summary_text
        from .settings import context, gradescope_bank, kit_plan

        ctx = context(budget_seconds=budget, language_option=language, bank=gradescope_bank(root))
        report = grade(root / "submission", ctx, kit_plan(ctx))
        results = results_json(report, hidden_visibility=visibility, language=language)
        log = summary_text(report, language)
    except Exception:
        log = traceback.format_exc()  # for the instructor: Gradescope hides stdout from students
        results = _error_results(visibility, language)
        results["execution_time"] = round(time.monotonic() - started, 3)
    write_atomic(results_path, dump_json(results))
    try:  # the results are written: nothing printed can change them any more
        print(log, flush=True)
    except (OSError, ValueError):
        pass
    return 0


def _reference_as_submission(reference: Path, folder: Path) -> Path:
    """The reference's modules as a correct student hands them in, in ``folder``: package-relative
    imports (``from .activations import``) made plain (the reference returns the contract's
    dtypes itself: ``docs/contract.md``)."""
    import re

    from ..contract import MODULES

    for module in MODULES:
        text = (reference / f"{module}.py").read_text(encoding="utf-8")
        text = re.sub(r"^from \.(\w+) import", r"from \1 import", text, flags=re.MULTILINE)
        (folder / f"{module}.py").write_text(text, encoding="utf-8")
    return folder


def warm(root: str | Path) -> int:
    """setup.sh, once, while the image is built: grade the kit's reference
    (``root/source/reference``, as a submission: ``_reference_as_submission``) with every check,
    public and hidden, so that the example bank (``root/bank``: ``settings.gradescope_bank``)
    holds every generated example, expected value and check's calls. A correct submission then
    replays them: nothing generated, neither torch nor scikit-learn imported (5.6 s a submission
    cold, 0.8 s warm, as issue 10 measured). The bank holds expected values: root only. Returns
    1 if the reference loses a point (this image does not grade right).

    Call from the process's main thread (it grades through the sandbox)."""
    from ..core.engine import grade
    from ..core.messages import say
    from .settings import context, gradescope_bank, kit_plan

    root = Path(root)
    _, _, language = _settings(root, None, None)
    bank = gradescope_bank(root)
    ctx = context(budget_seconds=WARM_BUDGET_SECONDS, language_option=language, bank=bank)
    checks = kit_plan(ctx)
    with tempfile.TemporaryDirectory(prefix="dlgrade-warm-") as folder:
        submission = _reference_as_submission(root / "source" / "reference", Path(folder))
        report = grade(submission, ctx, checks)
    if bank.path is not None and bank.path.is_file():
        os.chmod(bank.path.parent, 0o700)
        os.chmod(bank.path, 0o600)
    failing = [f"{r.function}: {r.check}" for r in report.results if not r.passed]
    if failing or not report.results:
        print(say("gradescope_warm_failed", failing=", ".join(failing[:10]) or "-").text(language), file=sys.stderr)
        return 1
    print(say("gradescope_warm_done", path=bank.path, checks=len(report.results), score=f"{report.score:g}",
              max=f"{report.max_score:g}", seconds=f"{report.execution_time:.1f}").text(language))
    return 0


def main(argv: list[str] | None = None) -> int:
    import argparse

    from ..core.messages import say

    parser = argparse.ArgumentParser(prog="python -m autograder.fronts.gradescope")
    commands = parser.add_subparsers(dest="command", required=True)
    runner = commands.add_parser("run", help="grade ROOT/submission into ROOT/results/results.json")
    warmer = commands.add_parser("warm", help=say("help_warm").text("en"))
    for command in (runner, warmer):
        command.add_argument("--root", type=Path,
                             default=Path(os.environ.get("DLGRADE_AUTOGRADER_ROOT", "/autograder")))
    runner.add_argument("--hidden-visibility", choices=VISIBILITIES)
    options = parser.parse_args(argv)
    if options.command == "warm":
        return warm(options.root)
    return run(options.root, options.hidden_visibility)


if __name__ == "__main__":
    sys.exit(main())
