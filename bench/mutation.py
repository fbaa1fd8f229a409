"""Mutation score of the grader: cosmic-ray mutates ``solutions/``, the grader is the test suite.

Why cosmic-ray (not mutmut): it writes each mutant into the file on disk and runs a command,
which fits a grader that only ever runs student code in a separate sandboxed worker; mutmut 3
swaps functions in-process through a trampoline the worker never imports.

For each module (activations, losses, metrics), ``run`` lets cosmic-ray build every mutant of
``solutions/MODULE.py``, keeps a seeded random sample of them (``--sample N``; 0 = all, the
others marked skipped), and executes each with ``bench/mutation_grade.py MODULE`` as the test
command (the module graded on its own functions with the full catalogue: killed when any check
fails) under ``nice -n 10`` with a timeout per mutant. ``report`` reads the sessions, decides
for each survivor whether it is equivalent (``bench/mutation_equivalence.py``: a differential
test against the unmutated solution, itself checked against torch/scikit-learn by
tests/test_solutions.py, over many in-contract inputs) and prints killed / survived /
equivalent / score = killed / (executed - equivalent), writing ``bench/mutation_survivors.md``.

Needs cosmic-ray, kept out of the kit's environment (it is not a test dependency)::

    python3 -m venv /tmp/crvenv && /tmp/crvenv/bin/pip install cosmic-ray==8.7.0
    COSMIC_RAY=/tmp/crvenv/bin/cosmic-ray nice -n 10 .venv/bin/python bench/mutation.py run --sample 0
    .venv/bin/python bench/mutation.py report

Sessions go to ``/tmp/dlgrade-mutation`` (``--work DIR``); the example bank used while grading
mutants is that folder's own (warmed by grading the unmutated solutions first).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = ("activations", "losses", "metrics")
WORK = Path("/tmp/dlgrade-mutation")
SURVIVORS = ROOT / "bench" / "mutation_survivors.md"
CONFIG = """[cosmic-ray]
module-path = "solutions/{module}.py"
timeout = {timeout}
excluded-modules = []
test-command = "{python} bench/mutation_grade.py {module}"

[cosmic-ray.distributor]
name = "local"
"""


def cosmic_ray() -> str:
    """The cosmic-ray executable: $COSMIC_RAY, else on PATH."""
    found = os.environ.get("COSMIC_RAY") or shutil.which("cosmic-ray")
    if not found:
        sys.exit("cosmic-ray not found: pip install cosmic-ray (see this script's docstring)")
    return found


def cr_python() -> str:
    """The Python that runs cosmic-ray (to read its session databases)."""
    return str(Path(cosmic_ray()).parent / "python")


def _environ(work: Path) -> dict[str, str]:
    return {**os.environ, "DLGRADE_BANK_DIR": str(work / "bank")}


SAMPLE = """
import random, sys
from cosmic_ray.work_db import use_db, WorkDB
from cosmic_ray.work_item import WorkResult, WorkerOutcome
import json
path, n, seed, done = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4])
key = lambda m: f"{m.operator_name}#{m.occurrence}"
with use_db(path, WorkDB.Mode.open) as db:
    pending = list(db.pending_work_items)
    db.set_multiple_results([i.job_id for i in pending if key(i.mutations[0]) in done],
                            WorkResult(output="executed in an earlier run", worker_outcome=WorkerOutcome.SKIPPED))
    items = sorted(i.job_id for i in pending if key(i.mutations[0]) not in done)
    keep = set(random.Random(seed).sample(items, min(n, len(items)))) if n else set(items)
    db.set_multiple_results([j for j in items if j not in keep],
                            WorkResult(output="not in the sample", worker_outcome=WorkerOutcome.SKIPPED))
    print(len(items), len(keep))
"""

READ = """
import json, sys
from cosmic_ray.work_db import use_db, WorkDB
rows = []
with use_db(sys.argv[1], WorkDB.Mode.open) as db:
    for item, result in db.completed_work_items:
        m = item.mutations[0]
        rows.append({"job": item.job_id, "operator": m.operator_name, "occurrence": m.occurrence,
                     "line": m.start_pos[0], "worker": result.worker_outcome.value,
                     "outcome": result.test_outcome.value if result.test_outcome else None,
                     "diff": result.diff or "", "output": (result.output or "")[-600:]})
    total = db.num_work_items
print(json.dumps({"rows": rows, "total": total}))
"""


def run_module(module: str, work: Path, sample: int, seed: int, timeout: float,
               earlier: list[Path]) -> subprocess.Popen:
    """Start cosmic-ray on one module (init, sample, exec; mutants executed in the ``earlier``
    runs' folders left out); returns the exec process."""
    done = [f"{r['operator']}#{r['occurrence']}" for w in earlier for r in read_rows(w, module)
            if r["worker"] != "skipped"]
    config = work / f"{module}.toml"
    config.write_text(CONFIG.format(module=module, timeout=timeout, python=sys.executable), encoding="utf-8")
    db = work / f"{module}.sqlite"
    db.unlink(missing_ok=True)
    subprocess.run([cosmic_ray(), "init", str(config), str(db)], cwd=ROOT, check=True)
    counts = subprocess.run([cr_python(), "-c", SAMPLE, str(db), str(sample), str(seed), json.dumps(done)], check=True,
                            capture_output=True, text=True).stdout.split()
    print(f"{module}: {counts[0]} mutants, {counts[1]} to execute", flush=True)
    return subprocess.Popen(["nice", "-n", "10", cosmic_ray(), "exec", str(config), str(db)], cwd=ROOT,
                            env=_environ(work))


def run(args: argparse.Namespace) -> None:
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    for module in args.modules:  # warm the campaign's bank on the unmutated solutions
        subprocess.run(["nice", "-n", "10", sys.executable, "bench/mutation_grade.py", module], cwd=ROOT,
                       env=_environ(work), check=True)
    started = time.monotonic()
    pending = list(args.modules)
    running: list[subprocess.Popen] = []
    while pending or running:
        while pending and len(running) < args.jobs:
            running.append(run_module(pending.pop(0), work, args.sample, args.seed, args.timeout,
                                      [Path(w) for w in args.after]))
        time.sleep(2)
        running = [p for p in running if p.poll() is None]
    (work / "elapsed.json").write_text(json.dumps({"seconds": time.monotonic() - started, "sample": args.sample,
                                                   "seed": args.seed}), encoding="utf-8")
    print(f"done in {time.monotonic() - started:.0f} s; now: bench/mutation.py report")
    subprocess.run(["git", "diff", "--exit-code", "--stat", "solutions"], cwd=ROOT, check=True)


def read_session(work: Path, module: str) -> tuple[list[dict], int]:
    """The completed work items of ``module``'s session in ``work`` (as dicts), and how many
    mutants the session holds."""
    db = work / f"{module}.sqlite"
    if not db.exists():
        return [], 0
    out = json.loads(subprocess.run([cr_python(), "-c", READ, str(db)], check=True, capture_output=True,
                                    text=True).stdout)
    return [dict(r, module=module) for r in out["rows"]], out["total"]


def read_rows(work: Path, module: str) -> list[dict]:
    return read_session(work, module)[0]


def report(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from mutation_equivalence import classify, why

    work = Path(args.work)
    works = [work, *[Path(w) for w in args.also]]
    rows = [r for w in works for m in args.modules for r in read_rows(w, m) if r["worker"] != "skipped"]
    executed = rows
    generated = sum(read_session(work, m)[1] for m in args.modules)
    killed = [r for r in executed if r["outcome"] == "killed"]
    incompetent = [r for r in executed if r["outcome"] == "incompetent"]
    survived = [r for r in executed if r["outcome"] == "survived"]
    verdicts = []
    for r in survived:
        equivalent, reason = classify(r["module"], r["diff"])
        verdicts.append((r, equivalent, why(r["operator"], r["diff"]) + reason if equivalent else reason))
    equivalent = [v for v in verdicts if v[1]]
    scored = len(executed) - len(equivalent)  # incompetent (broken) mutants count as killed
    runs = [json.loads((w / "elapsed.json").read_text()) for w in works if (w / "elapsed.json").exists()]
    seconds = sum(r["seconds"] for r in runs)
    samples = ", ".join(f"{r['sample'] or 'all'} per module (seed {r['seed']})" for r in runs)
    figures = (f"mutants executed {len(executed)} (of {generated} generated; samples: {samples}), killed {len(killed)}, incompetent {len(incompetent)}, survived "
               f"{len(survived)}, equivalent {len(equivalent)}, score {len(killed) + len(incompetent)}/{scored} = "
               f"{100 * (len(killed) + len(incompetent)) / max(scored, 1):.1f} %, run time {seconds / 60:.0f} min")
    print(figures)
    lines = ["# Surviving mutants of the mutation campaign (bench/mutation.py)", "", figures, ""]
    for row, is_equivalent, reason in verdicts:
        lines += [f"## {row['module']} line {row['line']}: {row['operator'].split('/')[-1]} "
                  f"#{row['occurrence']}: {'EQUIVALENT' if is_equivalent else 'NOT EQUIVALENT'}", "",
                  reason, "", "```diff", row["diff"].strip(), "```", ""]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    for row, is_equivalent, reason in verdicts:
        print(f"{'equivalent    ' if is_equivalent else 'NOT EQUIVALENT'} {row['module']}:{row['line']} "
              f"{row['operator'].split('/')[-1]}: {reason}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("run", "report"):
        p = sub.add_parser(name)
        p.add_argument("--work", default=str(WORK))
        p.add_argument("--modules", nargs="+", default=list(MODULES), choices=MODULES)
    sub.choices["run"].add_argument("--sample", type=int, default=0, help="mutants per module (0: all)")
    sub.choices["run"].add_argument("--seed", type=int, default=14)
    sub.choices["run"].add_argument("--timeout", type=float, default=120.0, help="seconds per mutant")
    sub.choices["run"].add_argument("--after", nargs="*", default=[], help="earlier runs' folders: skip theirs")
    sub.choices["report"].add_argument("--also", nargs="*", default=[], help="more runs' folders to count")
    sub.choices["run"].add_argument("--jobs", type=int, default=2, help="modules mutated at once")
    sub.choices["report"].add_argument("--out", default=str(SURVIVORS))
    args = parser.parse_args()
    run(args) if args.command == "run" else report(args)


if __name__ == "__main__":
    main()
