"""`dlgrade release --out DIR`: what students receive, with a self-check that needs no hidden file.

The release holds the stubs (``assignments/*.py``) at its root, the notebooks
(``assignments/notebooks``) in ``notebooks/``, ``check.py``, ``README.md``, ``requirements.txt``
and the student package ``autograder/`` (a copy beside the notebooks too, for their ``check()``
cells). The student package is the kit's core and student-side fronts by an explicit list
(``STUDENT_PACKAGE``: no catalogue code, no reference, no solution) plus its data,
``autograder/data/public.bank``: the public check records with the examples they replay and
exactly the reference values they read, recorded while ``solutions/`` is graded with the public
checks. Hidden is a field of a check record, so a release is a filter, not a rewrite of code.

The release is verified before it replaces DIR: its own ``check.py`` must give the solutions
every public point with reference, solutions, torch and sklearn unimportable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..contract import MODULES

KIT_ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "release"
MARKER = ".dlgrade-release"
BLOCKED = ("reference", "solutions", "torch", "sklearn", "scipy")
# the student package: the core and the student-side fronts (no catalogue, no oracle code)
STUDENT_PACKAGE = (
    "__init__.py", "contract.py",
    "core/__init__.py", "core/bank.py", "core/context.py", "core/engine.py", "core/i18n.py", "core/loader.py",
    "core/messages.py", "core/report.py", "core/student.py",
    "core/sandbox/__init__.py", "core/sandbox/client.py", "core/sandbox/isolation.py",
    "core/sandbox/protocol.py", "core/sandbox/worker.py",
    "core/checks/__init__.py", "core/checks/compare.py", "core/checks/hints.py", "core/checks/oracles.py",
    "core/checks/properties.py", "core/checks/records.py", "core/checks/runner.py",
    "fronts/__init__.py", "fronts/notebook.py", "fronts/selfcheck.py", "fronts/settings.py",
)
PUBLIC_BANK = "data/public.bank"
STUDENT_REQUIREMENTS = ("numpy>=1.24", "rich>=13")


class ReleaseError(Exception):
    """The release cannot be built (missing stubs, solutions failing a public check...)."""


# -- the public bank ----------------------------------------------------------------------------------

def record_public_bank(path: Path, kit: Path = KIT_ROOT) -> int:
    """Grade ``kit/solutions`` with the public checks and write the public bank to ``path``:
    the public check records, the banked calls, and exactly the expected values they read.

    Returns the number of checks. Call from the main thread (it grades through the sandbox)."""
    from ..core.bank import Bank, check_record, write
    from ..core.checks.oracles import RecordingOracles
    from ..core.engine import grade
    from .settings import context, kit_bank, kit_plan

    cache = kit_bank()
    bank = Bank(None)  # a copy of the kit's bank (speed); what is read is recorded either way
    bank.examples, bank.expected, bank.calls = dict(cache.examples), dict(cache.expected), dict(cache.calls)
    oracles = RecordingOracles(bank)
    ctx = context(public_only=True, bank=bank, oracles=oracles)
    checks = kit_plan(ctx)
    report = grade(kit / "solutions", ctx, checks)
    failed = [f"{r.function}: {r.check}" for r in report.results if not r.passed]
    if failed or not report.results:
        raise ReleaseError("the solutions must pass every public check to record their examples; failing: "
                           + (", ".join(failed[:10]) or "no check ran"))
    titles = [c.title for e in checks.exercises for c in e.checks]
    records = [check_record(c, bank.examples) for e in checks.exercises for c in e.checks]
    write(path, {}, dict(sorted(oracles.read.items())), {t: bank.calls[t] for t in titles if t in bank.calls}, records)
    return len(records)


def write_student_package(target: Path, kit: Path = KIT_ROOT) -> None:
    """The student package (``STUDENT_PACKAGE`` and its public bank) in ``target``."""
    for name in STUDENT_PACKAGE:
        source = kit / "autograder" / name
        if not source.is_file():
            raise ReleaseError(f"autograder/{name} is missing from the kit")
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
    (target / PUBLIC_BANK).parent.mkdir(parents=True, exist_ok=True)
    record_public_bank(target / PUBLIC_BANK, kit)


# -- the release folder -------------------------------------------------------------------------------

def verify(release: Path, submission: Path) -> None:
    """The release's own check.py must run every public check of the kit and give
    ``submission`` every point, with the reference, the solutions, torch and sklearn
    unimportable."""
    from ..core.checks import PUBLIC, catalogue

    public = [c for e in catalogue() for c in e.checks if c.visibility == PUBLIC]
    points = sum(c.points for c in public)
    with tempfile.TemporaryDirectory() as blocker:
        for name in BLOCKED:
            os.makedirs(os.path.join(blocker, name))
            Path(blocker, name, "__init__.py").write_text(f"raise ImportError('{name} is not in the release')\n")
        env = {**os.environ, "COLUMNS": "200", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": blocker,
               "DLGRADE_LANG": "en"}
        done = subprocess.run([sys.executable, str(release / "check.py"), str(submission)], cwd=release,
                              capture_output=True, text=True, timeout=600, env=env)
    expected = f"{len(public)} of {len(public)} public checks pass ({points:g} / {points:g} points)"
    if done.returncode != 0 or expected not in " ".join(done.stdout.split()):
        raise ReleaseError(f"the release's check.py does not say '{expected}' on the solutions:\n"
                           + done.stdout[-3000:] + done.stderr[-2000:])


def _write_release(staging: Path, kit: Path) -> None:
    for module in MODULES:
        shutil.copyfile(kit / "assignments" / f"{module}.py", staging / f"{module}.py")
    write_student_package(staging / "autograder", kit)
    notebooks = sorted((kit / "assignments" / "notebooks").glob("*.ipynb"))
    if notebooks:
        (staging / "notebooks").mkdir()
        for notebook in notebooks:
            shutil.copyfile(notebook, staging / "notebooks" / notebook.name)
        # the notebooks' check() cells import autograder from the kernel's own folder
        shutil.copytree(staging / "autograder", staging / "notebooks" / "autograder")
    shutil.copyfile(TEMPLATES / "check.py", staging / "check.py")
    shutil.copyfile(TEMPLATES / "README.md", staging / "README.md")
    (staging / "requirements.txt").write_text("\n".join(STUDENT_REQUIREMENTS) + "\n", encoding="utf-8")
    (staging / MARKER).write_text("written by `dlgrade release`; replaced by the next one\n")


def build_release(out: str | Path, kit: Path = KIT_ROOT, force: bool = False, check: bool = True) -> Path:
    """Write the student release to ``out`` (replaced only if it is an earlier release).

    Call from the main thread (it grades the solutions through the sandbox)."""
    out = Path(out).resolve()
    missing = [f"assignments/{m}.py" for m in MODULES if not (kit / "assignments" / f"{m}.py").is_file()]
    if missing:
        raise ReleaseError(f"{', '.join(missing)} missing: run `dlgrade assign` first")
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists() and not force:
        raise ReleaseError(f"{out} is not empty and is not an earlier release (use --force to replace it)")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    staging.chmod(0o755)
    try:
        _write_release(staging, kit)
        if check:
            verify(staging, kit / "solutions")
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
