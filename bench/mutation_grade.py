"""The test command of the mutation campaign (bench/mutation.py): grade one module of solutions/.

``python bench/mutation_grade.py MODULE`` grades ``solutions/MODULE.py`` (as cosmic-ray left it,
possibly mutated) with the kit's full catalogue restricted to that module's functions, in the
kit's sandboxed worker, and exits 1 when any check of any of them fails (the mutant is killed),
0 when every check passes (it survives). Prints the failed checks, one line each.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.core.engine import Plan, grade  # noqa: E402
from autograder.fronts.settings import context, kit_plan  # noqa: E402


def failed_checks(module: str, folder: Path = ROOT / "solutions") -> list[str]:
    """The failed checks (``function: check``) of ``folder/module.py`` graded on its functions."""
    ctx = context()
    full = kit_plan(ctx)
    plan = Plan(tuple(e for e in full.exercises if e.module == module))
    report = grade(folder / f"{module}.py", ctx, plan)
    failed = [f"{r.function}: {r.check}" for r in report.results if not r.passed]
    if not report.results:
        failed.append(f"{module}: nothing graded ({'; '.join(str(n) for n in report.notes)})")
    return failed


def main(argv: list[str]) -> int:
    failed = failed_checks(argv[0])
    for line in failed:
        print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
