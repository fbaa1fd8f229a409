"""Each isolation level degrades gracefully and says which one graded (report.isolation).

The hostile corpus (tests/test_hostile.py) runs at the strongest level the machine offers.
Here a few of its cases run at the weaker levels, forced with DLGRADE_ISOLATION:

- 'uid' (root without namespaces, e.g. a container that refuses them): chroot into the scratch
  folder, an unprivileged uid, rlimits. The corpus's attacks still earn nothing: no kit file is
  readable, no process outlives grading, nothing is left in /tmp.
- 'none' (the grader is not root: a student's own machine). Limits, deadlines and the fixed
  protocol still hold (exit, hang, crash, memory, output, in-place lies), but nothing hides files:
  the read-the-kit case DOES steal the reference here, which the test asserts, so that the leak
  detector is shown to work and the degradation is written down. Cases that kill processes,
  fork daemons or write files are never run at 'none'.
"""

from __future__ import annotations

import re

import os

import pytest

from hostile import harness
from hostile.cases import build_case, copy_solutions
from hostile.harness import CORPUS_UIDS, Expect, check_common, files_owned_by, leaked, leftover_processes, run_grade

if os.geteuid() != 0:
    pytest.skip("forcing 'uid' needs a root grader", allow_module_level=True)

SAFE_EVERYWHERE = {
    "04_sys_exit_in_call": Expect(zero=("activations.tanh_grad",)),
    "06_infinite_loop_ignoring_signals": Expect(zero=("activations.leaky_relu_grad",)),
    "07_recursion_segfault": Expect(zero=("activations.softplus_grad",)),
    "08_memory_bomb": Expect(zero=("activations.selu_grad",)),
    "14_monkeypatch_numpy_builtins": Expect(zero=("activations.linear_grad",)),
    "22_output_flood_in_call": Expect(zero=("activations.linear_grad",)),
}
UID_ONLY = {
    "09_fork_and_daemons": Expect(zero=("activations.swish_grad",)),
    "10_read_kit_files": Expect(zero=("activations.log_softmax",)),
    "12_environment_and_proc_secrets": Expect(zero=("activations.sigmoid_grad",)),
    "20_write_kit_files": Expect(zero=("activations.sigmoid_grad",)),
    "21_network": Expect(zero=("activations.swish_grad",)),
    "28_scratch_and_tmp_files": Expect(zero=("activations.relu_grad",)),
    "37_sysv_shared_memory": Expect(zero=("activations.softmax_jacobian",)),
    # issue 13: the jailed worker finds no installed package, whatever the grader has
    "59_site_packages_hunt": Expect(zero=("activations.linear",)),
    "60_site_packages_by_file": Expect(zero=("activations.swish_grad",)),
}
CASES = [("uid", name) for name in sorted({**SAFE_EVERYWHERE, **UID_ONLY})]
CASES += [("none", name) for name in sorted(SAFE_EVERYWHERE)]


def _force(level: str, monkeypatch) -> None:
    monkeypatch.setenv("DLGRADE_ISOLATION", level)


@pytest.fixture(scope="module")
def baselines(tmp_path_factory):
    """The correct solution graded at each forced level."""
    outcomes = {}
    with pytest.MonkeyPatch.context() as patch:
        for level in ("uid", "none"):
            _force(level, patch)
            outcomes[level] = run_grade(copy_solutions(tmp_path_factory.mktemp(level) / "submission"),
                                        harness.BASELINE)
    return outcomes


@pytest.fixture()
def forced(monkeypatch):
    yield lambda level: _force(level, monkeypatch)


@pytest.mark.parametrize("level", ["uid", "none"])
def test_correct_solution_keeps_full_marks(level, baselines):
    outcome = baselines[level]
    assert outcome.isolation.startswith(f"{level}: ")
    assert outcome.results["extra_data"]["isolation"] == outcome.isolation
    # results.json's summary is Markdown: its punctuation backslash-escaped
    assert f"Sandbox: {outcome.isolation}" in re.sub(r"\\(.)", r"\1", outcome.results["output"])
    assert outcome.results["score"] == outcome.results["extra_data"]["max_score"] > 0
    if level == "none":
        assert "NOT ISOLATED" in outcome.isolation
    else:
        assert "chroot" in outcome.isolation


@pytest.mark.parametrize("level,name", CASES)
def test_hostile_case_at_level(level, name, baselines, forced, tmp_path):
    forced(level)
    expect = {**SAFE_EVERYWHERE, **UID_ONLY}[name]
    path = build_case(name, tmp_path / "submission", port=9, mark=tmp_path)
    try:
        outcome = run_grade(path)
    finally:
        leftovers = leftover_processes()
        segments = harness.shared_memory_of(CORPUS_UIDS)
        harness.remove_shared_memory(segments)
    assert outcome.isolation.startswith(f"{level}: ")
    check_common(outcome, baselines[level], expect)
    assert not leaked(outcome, baselines[level].text), "the report leaks the kit or the environment"
    if level == "uid":
        assert not leftovers, f"processes outlived grading: {leftovers}"
        assert not segments, f"shared memory segments outlived grading: {segments}"
        assert not files_owned_by(CORPUS_UIDS, ("/tmp", "/var/tmp", "/dev/shm"))


def test_none_level_hides_nothing(baselines, forced, tmp_path):
    """The documented degradation: at 'none' a submission reads the reference and uses it.
    (Also the positive control of the corpus's leak detector.)"""
    forced("none")
    outcome = run_grade(build_case("10_read_kit_files", tmp_path / "submission"))
    assert "NOT ISOLATED" in outcome.isolation
    assert leaked(outcome, baselines["none"].text), "the leak detector saw nothing"
    stolen = outcome.results["extra_data"]["functions"]["activations.log_softmax"]
    assert stolen["score"] == stolen["max_score"], "the stolen reference should have scored"
