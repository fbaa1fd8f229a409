"""`dlgrade release --out DIR`: what students receive, with a self-check that needs no hidden file.

The release holds the stubs (``assignments/*.py``) at its root, the notebooks
(``assignments/notebooks``) in ``notebooks/``, ``check.py``, ``README.md``, ``requirements.txt``
and the student package ``autograder/`` (a copy beside the notebooks too, for their ``check()``
cells). The student package is the kit's core and student-side fronts by an explicit list
(``STUDENT_PACKAGE``: no catalogue code, no reference, no solution) plus its data,
``autograder/data/public.bank``: the public check records with the examples they replay and
exactly the reference values they read, recorded while ``solutions/`` is graded with the public
checks. Hidden is a field of a check record, so a release is a filter, not a rewrite of code.

A release is written in one language (``--lang``, default the course's): the stubs and notebooks
(``assignments/`` for the course's language, else written by ``dlgrade assign``'s code), the
README and ``check.py`` (``templates/release/<language>/``); the public bank records that
language, so the release's self-check speaks it by default. The student package's
``core/titles.json`` holds the public checks' titles only (a hidden check is named nowhere).

The release is verified before it replaces DIR: its own ``check.py`` must give the solutions
every public point, in the release's language, with reference, solutions, torch and sklearn
unimportable.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..contract import MODULES
from ..core.messages import Message, say

KIT_ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "release"
MARKER = ".dlgrade-release"
BLOCKED = ("reference", "solutions", "torch", "sklearn", "scipy")
# the student package: the core and the student-side fronts (no catalogue, no oracle code)
STUDENT_PACKAGE = (
    "__init__.py", "contract.py",
    "core/__init__.py", "core/bank.py", "core/context.py", "core/engine.py", "core/i18n.py", "core/titles.json",
    "core/loader.py", "core/files.py", "core/text.py",
    "core/messages.py", "core/report.py", "core/student.py",
    "core/plots.py", "core/page/__init__.py", "core/page/html.py", "core/page/figures.py",  # check.py --html
    "core/sandbox/__init__.py", "core/sandbox/client.py", "core/sandbox/isolation.py",
    "core/sandbox/protocol.py", "core/sandbox/worker.py", "core/sandbox/template.py", "core/sandbox/forkserver.py",
    "core/checks/__init__.py", "core/checks/compare.py", "core/checks/confirm.py", "core/checks/hints.py", "core/checks/oracles.py",
    "core/checks/properties.py", "core/checks/records.py", "core/checks/runner.py",
    "fronts/__init__.py", "fronts/arguments.py", "fronts/notebook.py", "fronts/selfcheck.py", "fronts/settings.py",
)
PUBLIC_BANK = "data/public.bank"
# The release's requirements.txt: the oldest versions its check.py was found to work with
# (bisected on Python 3.10; tests/test_oldest_versions.py installs exactly these and checks
# again). numpy 2.0: under numpy 1.x's value-based casting (before NEP 50) the solutions return
# float64 for float32 inputs, so 14 public dtype checks, recorded under numpy 2, fail correct
# code (173.5/186 with 1.26.4). rich 7.1: Table(title_justify=...) (7.0 raises TypeError).
# No hypothesis: a release replays its banked examples and never generates.
STUDENT_REQUIREMENTS = ("numpy>=2.0", "rich>=7.1")


class ReleaseError(Exception):
    """The release cannot be built (missing stubs, solutions failing a public check...): a message
    of the tables, and text that is not (a subprocess's output)."""

    def __init__(self, message: Message, detail: str = ""):
        super().__init__(message.text("en") + ("\n" + detail if detail else ""))
        self.message, self.detail = message, detail

    def text(self, language: str) -> str:
        return self.message.text(language) + ("\n" + self.detail if self.detail else "")


# -- the public bank ----------------------------------------------------------------------------------

def record_public_bank(path: Path, kit: Path = KIT_ROOT, language: str | None = None) -> int:
    """Grade ``kit/solutions`` with the public checks and write the public bank to ``path``:
    the public check records, the banked calls, exactly the expected values they read (and
    those the hints of the known mistakes read to confirm themselves: ``checks/rehearsal.py``),
    and the release's ``language`` (default: the course's).

    Returns the number of checks. Call from the main thread (it grades through the sandbox)."""
    from ..core.bank import Bank, check_record, public_checks, write
    from ..core.checks.rehearsal import rehearse
    from ..core.checks.oracles import RecordingOracles
    from ..core.engine import grade
    from .settings import context, files_language, kit_bank, kit_plan

    cache = kit_bank()
    bank = Bank(None)  # a copy of the kit's bank (speed); what is read is recorded either way
    bank.examples, bank.expected, bank.calls = dict(cache.examples), dict(cache.expected), dict(cache.calls)
    oracles = RecordingOracles(bank)
    ctx = context(public_only=True, bank=bank, oracles=oracles)
    checks = kit_plan(ctx)
    report = grade(kit / "solutions", ctx, checks)
    failed = [f"{r.function}: {r.check}" for r in report.results if not r.passed]
    if failed or not report.results:
        raise ReleaseError(say("release_solutions_fail", failing=", ".join(failed[:10]) or say("release_no_check_ran")))
    titles = [c.title for e in checks.exercises for c in e.checks]
    records = [check_record(c, bank.examples) for e in checks.exercises for c in e.checks]
    released = Bank(None)
    released.checks = records
    rehearse(public_checks(released), oracles)  # what confirming a known mistake's hint reads
    write(path, {}, dict(sorted(oracles.read.items())), {t: bank.calls[t] for t in titles if t in bank.calls}, records,
          release={"language": files_language(language)})
    return len(records)


def public_titles() -> dict[str, str]:
    """The check titles (``core/titles.json``) the public checks use: what a release ships."""
    from ..core.checks import PUBLIC, catalogue
    from ..core.i18n import TITLE_PREFIX, TITLES, title_parts

    used = {title_parts(c.name)[0] for e in catalogue() for c in e.checks if c.visibility == PUBLIC}
    return {english: text for english, text in TITLES.items() if TITLE_PREFIX + english in used}


def write_student_package(target: Path, kit: Path = KIT_ROOT, language: str | None = None) -> None:
    """The student package (``STUDENT_PACKAGE``, the public checks' titles only, and its public
    bank) in ``target``."""
    for name in STUDENT_PACKAGE:
        source = kit / "autograder" / name
        if not source.is_file():
            raise ReleaseError(say("release_missing_file", name=name))
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
    (target / "core" / "titles.json").write_text(json.dumps(public_titles(), ensure_ascii=False, indent=1) + "\n",
                                                 encoding="utf-8")
    (target / PUBLIC_BANK).parent.mkdir(parents=True, exist_ok=True)
    record_public_bank(target / PUBLIC_BANK, kit, language)


# -- the release folder -------------------------------------------------------------------------------

def verify(release: Path, submission: Path, language: str) -> None:
    """The release's own check.py must run every public check of the kit and give
    ``submission`` every point, saying so in the release's ``language`` (its default: no
    DLGRADE_LANG), with the reference, the solutions, torch and sklearn unimportable."""
    from ..core.checks import PUBLIC, catalogue

    public = [c for e in catalogue() for c in e.checks if c.visibility == PUBLIC]
    points = f"{sum(c.points for c in public):g}"
    with tempfile.TemporaryDirectory() as blocker:
        for name in BLOCKED:
            os.makedirs(os.path.join(blocker, name))
            Path(blocker, name, "__init__.py").write_text(f"raise ImportError('{name} is not in the release')\n")
        env = {**os.environ, "COLUMNS": "200", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": blocker}
        env.pop("DLGRADE_LANG", None)
        done = subprocess.run([sys.executable, str(release / "check.py"), str(submission)], cwd=release,
                              capture_output=True, text=True, timeout=600, env=env)
    expected = say("selfcheck_summary", passed=len(public), total=len(public), score=points, max=points).text(language)
    if done.returncode != 0 or " ".join(expected.split()) not in " ".join(done.stdout.split()):
        raise ReleaseError(say("release_check_failed", expected=expected), done.stdout[-3000:] + done.stderr[-2000:])


def student_files(kit: Path, language: str) -> dict[str, bytes]:
    """The stubs (``<module>.py``) and notebooks (``notebooks/<module>.ipynb``) in ``language``:
    assignments/ in the course's language, else written as ``dlgrade assign --lang`` would."""
    from .settings import course_language

    if language == course_language():
        files = {f"{m}.py": kit / "assignments" / f"{m}.py" for m in MODULES}
        files.update({f"notebooks/{p.name}": p for p in sorted((kit / "assignments" / "notebooks").glob("*.ipynb"))})
        missing = [f"assignments/{name}" for name, path in files.items() if not path.is_file()]
        if missing:
            raise ReleaseError(say("release_no_assignments", files=", ".join(missing)))
        return {name: path.read_bytes() for name, path in files.items()}
    from .assign import render

    written = render(kit, language)
    return {name: text.encode("utf-8") for name, text in written.items()
            if name in {f"{m}.py" for m in MODULES} or name.startswith("notebooks/")}


def _write_release(staging: Path, kit: Path, language: str, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_bytes(data)
    write_student_package(staging / "autograder", kit, language)
    if (staging / "notebooks").is_dir():  # the notebooks' check() cells import autograder from the kernel's folder
        shutil.copytree(staging / "autograder", staging / "notebooks" / "autograder")
    shutil.copyfile(TEMPLATES / language / "check.py", staging / "check.py")
    shutil.copyfile(TEMPLATES / language / "README.md", staging / "README.md")
    (staging / "requirements.txt").write_text("\n".join(STUDENT_REQUIREMENTS) + "\n", encoding="utf-8")
    (staging / MARKER).write_text(say("release_marker").text(language) + "\n", encoding="utf-8")


def build_release(out: str | Path, kit: Path = KIT_ROOT, force: bool = False, check: bool = True,
                  language: str | None = None) -> Path:
    """Write the student release to ``out`` in ``language`` (default: the course's), replacing
    ``out`` only if it is an earlier release.

    Call from the main thread (it grades the solutions through the sandbox)."""
    from .settings import files_language

    out, language = Path(out).resolve(), files_language(language)
    files = student_files(kit, language)
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists() and not force:
        raise ReleaseError(say("release_not_a_release", path=out))
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    staging.chmod(0o755)
    try:
        _write_release(staging, kit, language, files)
        if check:
            verify(staging, kit / "solutions", language)
        for cache in staging.rglob("__pycache__"):
            shutil.rmtree(cache, ignore_errors=True)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
            os.replace(out, old / out.name)
            shutil.rmtree(old, ignore_errors=True)
        os.replace(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out
