"""Every score of every corpus case, as one JSON file: the guard of a refactoring.

    python bench/score_snapshot.py OUT.json [--only correct,buggy,hostile,other]
    python bench/score_snapshot.py --compare BEFORE.json AFTER.json

Grades, through the `dlgrade grade --format json` command alone (so that it runs on any layout
of the kit), the solutions, the sample submission, the untouched stubs, every case of
tests/corpus (correct and buggy) and every folder case of tests/hostile, and writes each
case's score per check. ``--compare`` prints the cases whose checks' scores differ (and exits
1 when any does). Hostile cases that depend on timing (deadlines, budgets) are marked as such
in the comparison: a difference there is reported, with the reason to look twice.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = ("activations", "losses", "metrics")
TIMING = ("06_infinite_loop", "03_hang", "27_slow", "22_output_flood", "23_output_flood")


def _dlgrade() -> list[str]:
    local = ROOT / ".venv" / "bin" / "dlgrade"
    return [str(local)] if local.exists() else ["dlgrade"]


def _cases(work: Path, kinds: set[str]) -> dict[str, Path]:
    cases: dict[str, Path] = {}
    if "other" in kinds:
        cases["solutions"] = ROOT / "solutions"
        cases["sample"] = ROOT / "autograder" / "samples" / "student"
        stubs = work / "stubs"
        stubs.mkdir()
        for module in MODULES:
            shutil.copyfile(ROOT / "assignments" / f"{module}.py", stubs / f"{module}.py")
        cases["stubs"] = stubs
    for kind in ("correct", "buggy"):
        if kind in kinds:
            cases.update(_corpus(work, kind))
    if "hostile" in kinds:
        for folder in sorted((ROOT / "tests" / "hostile").iterdir()):
            if folder.is_dir() and folder.name[:2].isdigit():
                cases[f"hostile/{folder.name}"] = _hostile(folder, work / "hostile" / folder.name)
    return cases


def _corpus(work: Path, kind: str) -> dict[str, Path]:
    """The corpus's cases as folders: committed ones, or those its writer materialises."""
    folder = ROOT / "tests" / "corpus" / kind
    if not folder.is_dir():
        target = work / "corpus"
        subprocess.run([sys.executable, str(ROOT / "tests" / "corpus" / "make_corpus.py"), "--out",
                        str(target)], check=True)
        folder = target / kind
    return {f"{kind}/{p.name}": p for p in sorted(folder.iterdir()) if p.is_dir()}


def _hostile(case: Path, dest: Path) -> Path:
    """The solutions with the case's module files appended (tests/hostile/harness.build_case)."""
    dest.mkdir(parents=True)
    for module in MODULES:
        shutil.copyfile(ROOT / "solutions" / f"{module}.py", dest / f"{module}.py")
    for path in sorted(case.glob("*.py")):
        text = path.read_text(encoding="utf-8").replace("__PORT__", "9")
        target = dest / path.name
        if path.stem in MODULES:
            target.write_text(target.read_text(encoding="utf-8") + text, encoding="utf-8")
        else:
            target.write_text(text, encoding="utf-8")
    return dest


def snapshot(out: Path, kinds: set[str]) -> None:
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "DLGRADE_BANK_DIR": str(work / "bank")}
        for name, path in _cases(work, kinds).items():
            began = time.monotonic()
            done = subprocess.run(_dlgrade() + ["grade", str(path), "--format", "json", "--lang", "en"],
                                  capture_output=True, text=True, env=env, timeout=900)
            seconds = time.monotonic() - began
            try:
                data = json.loads(done.stdout)
                checks = {t["name"]: t["score"] for t in data["tests"]}
                results[name] = {"total": data["score"], "checks": checks}
            except (ValueError, KeyError):
                results[name] = {"error": (done.stdout + done.stderr)[-2000:]}
            print(f"{name}: {results[name].get('total', 'error')} ({seconds:.1f} s)", flush=True)
    out.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def compare(before: Path, after: Path) -> int:
    old = json.loads(before.read_text(encoding="utf-8"))
    new = json.loads(after.read_text(encoding="utf-8"))
    differ = 0
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name, {}), new.get(name, {})
        if a.get("checks") == b.get("checks"):
            continue
        differ += 1
        timing = " (timing-dependent case)" if any(t in name for t in TIMING) else ""
        print(f"{name}{timing}: total {a.get('total')} -> {b.get('total')}")
        checks_a, checks_b = a.get("checks", {}), b.get("checks", {})
        for check in sorted(set(checks_a) | set(checks_b)):
            if checks_a.get(check) != checks_b.get(check):
                print(f"    {check}: {checks_a.get(check)} -> {checks_b.get(check)}")
    same = len(set(old) & set(new)) - differ
    print(f"{same} cases identical, {differ} differ; totals: "
          f"{sum(v.get('total', 0) for v in old.values()):g} -> {sum(v.get('total', 0) for v in new.values()):g}")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--only", default="correct,buggy,hostile,other")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    options = parser.parse_args()
    if options.compare:
        return compare(*options.compare)
    if options.out is None:
        parser.error("OUT is required")
    snapshot(options.out, set(options.only.split(",")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
