"""The hostile corpus: submissions that attack the grader, graded through the real engine.

Each case is a copy of the correct solution (solutions/) with one attack added (tests/hostile/NN_*,
appended to one function or to the import of one module), or an archive or folder built below.
For every case: a valid results.json within the time budget, the honest score (the attacked
functions earn nothing, the others keep the reference score), no reference or check source and
no grader environment in the report, no process of the sandbox's uids left, nothing left in /tmp,
/var/tmp or /dev/shm, the kit unchanged, and the grader's memory bounded. See
the README (section "The sandbox") for what each isolation level guarantees.

The corpus runs at the level this machine gives (bubblewrap as root here); DLGRADE_ISOLATION
forces another one. Cases that kill processes, fork daemons or write files as the grader's own
user are skipped at 'none', where nothing contains them. tests/test_isolation_levels.py runs a
few cases at 'uid' and 'none'.
"""

from __future__ import annotations

import os
import re
import socket
import stat
import struct
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from hostile import cases, harness, round2
from hostile.cases import build_case, copy_solutions, remove_nest
from hostile.harness import (
    CORPUS_UIDS, Expect, Outcome, ROOT, check_common, files_owned_by, kit_snapshot, leaked,
    leftover_processes, outcome_from_file, run_cli, run_grade,
)

from autograder.contract import MODULES
from autograder.core.sandbox.isolation import probe

TMP_FOLDERS = ("/tmp", "/var/tmp", "/dev/shm")


@dataclass(frozen=True)
class Case:
    expect: Expect
    build: Callable[[Path], Path] | None = None  # None: the folder tests/hostile/<name>
    cli: bool = False  # graded by the dlgrade command in a subprocess, with --out
    extra: Callable[[Outcome, Path], None] | None = None  # case-specific checks


# -- archives and odd folders --------------------------------------------------------------------

def _raw_zip(path: Path, members: list[dict]) -> Path:
    """A zip written byte by byte, so that names, sizes and link bits are exactly as hostile
    as wanted. Member: name, data (bytes, stored) or deflated (raw deflate) with crc and size,
    optional declared_size (a lie about the uncompressed size) and mode (st_mode bits)."""
    local, central, offset = [], [], 0
    for member in members:
        name = member["name"].encode()
        if "deflated" in member:
            method, data, crc, size = 8, member["deflated"], member["crc"], member["size"]
        else:
            method, data = 0, member["data"]
            crc, size = zlib.crc32(data), len(data)
        size = member.get("declared_size", size)
        header = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(data), size,
                             len(name), 0) + name
        local.append(header + data)
        mode = member.get("mode", stat.S_IFREG | 0o644)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 0x0314, 20, 0, method, 0, 0x21, crc,
                                   len(data), size, len(name), 0, 0, 0, 0, mode << 16, offset) + name)
        offset += len(header) + len(data)
    directory = b"".join(central)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory),
                      offset, 0)
    path.write_bytes(b"".join(local) + directory + end)
    return path


def _deflate(data: bytes) -> dict:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return {"deflated": packer.compress(data) + packer.flush(), "crc": zlib.crc32(data), "size": len(data)}


def _zeros_gib() -> dict:
    """A raw deflate stream of 1 GiB of zeros (about 1 MB), built from one flushed segment."""
    chunk = bytes(1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    tail = packer.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(1024):
        crc = zlib.crc32(chunk, crc)
    return {"deflated": segment * 1024 + tail, "crc": crc, "size": 1 << 30}


def _module(name: str) -> dict:
    return {"name": f"{name}.py", **_deflate((harness.SOLUTIONS / f"{name}.py").read_bytes())}


def _zip_slip(tmp: Path) -> Path:
    evil = b"raise SystemExit('zip slip: this file was extracted')\n"
    target = tmp / "deep" / "er"
    target.mkdir(parents=True)
    members = [_module(m) for m in harness.MODULES] + [
        {"name": "../../evil.py", "data": evil},
        {"name": "../../../../../../../../tmp/hostile-zipslip-evil.py", "data": evil},
        {"name": "/tmp/hostile-zipslip-absolute.py", "data": evil},
        {"name": "..\\..\\evil_backslash.py", "data": evil},
        {"name": "../../activations.py", "data": b"def sigmoid(z):\n    return 42\n"},
        {"name": "sub/../../losses.py", "data": b"raise SystemExit('slipped losses')\n"},
    ]
    return _raw_zip(target / "submission.zip", members)


def _zip_slip_extra(outcome: Outcome, tmp: Path) -> None:
    for path in (tmp / "evil.py", tmp / "deep" / "evil.py", Path("/tmp/hostile-zipslip-evil.py"),
                 Path("/tmp/hostile-zipslip-absolute.py"), tmp / "evil_backslash.py", Path.cwd() / "evil.py"):
        assert not path.exists(), f"{path} was written"


def _zip_symlinks(tmp: Path) -> Path:
    link = stat.S_IFLNK | 0o777
    members = [
        {"name": "activations.py", "data": str(ROOT / "reference" / "activations.py").encode(), "mode": link},
        {"name": "lib", "data": str(ROOT / "reference").encode(), "mode": link},
        {"name": "lib/activations.py", "data": b"", "mode": link},
        _module("losses"), _module("metrics"),
    ]
    return _raw_zip(tmp / "submission.zip", members)


def _zip_bomb(tmp: Path) -> Path:
    zeros = _zeros_gib()
    members = [
        _module("activations"),
        {"name": "losses.py", **zeros},  # says 1 GiB, is 1 GiB: refused by its declared size
        {"name": "metrics.py", **zeros, "declared_size": 2000},  # says 2 kB, inflates to 1 GiB
        {"name": "data/bomb.bin", **zeros},  # not a module: never read
    ]
    return _raw_zip(tmp / "submission.zip", members)


def _corrupt_member(tmp: Path) -> Path:
    member = _module("activations")
    data = bytearray(member["deflated"])
    data[len(data) // 3: len(data) // 3 + 64] = b"\xff" * 64
    member["deflated"] = bytes(data)
    return _raw_zip(tmp / "submission.zip", [member, _module("losses"), _module("metrics")])


def _notebooks(tmp: Path) -> Path:
    folder = copy_solutions(tmp / "submission", ("metrics",))
    (folder / "activations.ipynb").write_text('{"cells": [this is not JSON', encoding="utf-8")
    (folder / "losses.ipynb").write_text("[" * 1_000_000, encoding="utf-8")  # deeper than any parser
    return folder


def _not_utf8(tmp: Path) -> Path:
    folder = copy_solutions(tmp / "submission", ("losses",))
    text = (harness.SOLUTIONS / "activations.py").read_text(encoding="utf-8")
    (folder / "activations.py").write_bytes(text.encode("utf-8") + "\n# café\n".encode("latin-1"))
    metrics = (harness.SOLUTIONS / "metrics.py").read_text(encoding="utf-8")
    (folder / "metrics.py").write_bytes(metrics.encode("utf-16"))
    return folder


def _folder_symlinks(tmp: Path) -> Path:
    folder = copy_solutions(tmp / "submission", ("metrics",))
    (folder / "activations.py").symlink_to(ROOT / "reference" / "activations.py")
    (folder / "losses.py").symlink_to(ROOT / "reference" / "losses.py")
    (folder / "lib").symlink_to(ROOT / "reference", target_is_directory=True)
    (folder / "kit").symlink_to(ROOT, target_is_directory=True)
    return folder


def _folder_link_elsewhere(tmp: Path) -> Path:
    """activations.py exists only outside the submission, in a folder a link inside points to:
    followed, the link would have it graded (and score)."""
    folder = copy_solutions(tmp / "submission", ("losses", "metrics"))
    outside = copy_solutions(tmp / "outside", ("activations",))
    (folder / "elsewhere").symlink_to(outside, target_is_directory=True)
    return folder


DEPTH = 1200  # an unzipped upload nested deeper than Python's recursion limit


def _deep_folder(tmp: Path) -> Path:
    folder = copy_solutions(tmp / "submission", ("losses", "metrics"))
    deep = folder
    for _ in range(DEPTH):
        deep = deep / "d"
        deep.mkdir()
    (deep / "activations.py").write_bytes((harness.SOLUTIONS / "activations.py").read_bytes())
    return folder


# -- case-specific checks ---------------------------------------------------------------------

def _outputs(outcome: Outcome, function: str) -> str:
    return " ".join(t["output"] for t in outcome.results["tests"] if t["name"].startswith(function + ":"))


def _crashed(function: str, reason: str):
    def extra(outcome: Outcome, tmp: Path) -> None:
        text = _outputs(outcome, function)
        assert reason in text, f"{function}: expected {reason!r} in the feedback, got {text[:300]!r}"
    return extra


def _check_failed(expected: dict[str, str]):
    """The named check of each function failed (the attack did not earn it)."""
    def extra(outcome: Outcome, tmp: Path) -> None:
        for function, name in expected.items():
            found = [r for r in outcome.report.results if r.function == function and r.check == name]
            assert found, f"{function}: no check named {name!r}"
            assert not found[0].passed, f"{function}: {name!r} passed: the attack earned it"
    return extra


def _output_bounded(marker: str):
    def extra(outcome: Outcome, tmp: Path) -> None:
        printed = outcome.report.student_output.get("activations", "")
        assert marker in printed, "the student's output was not kept at all"
        assert len(printed) <= 4000 + 200
    return extra


def _no_marks(outcome: Outcome, tmp: Path) -> None:
    marks = list((tmp / "marks").iterdir())
    assert not marks, f"a shadow module was imported: {marks}"
    assert any("ignored files" in note for note in outcome.results["output"].splitlines())


def _no_files_left(outcome: Outcome, tmp: Path) -> None:
    left = files_owned_by(CORPUS_UIDS, TMP_FOLDERS)
    assert not left, f"files left outside the scratch folder: {left}"


# -- the corpus ------------------------------------------------------------------------------

ACT = "activations"
ACT_FUNCTIONS = re.findall(r"^def ([a-z]\w*)\(", (harness.SOLUTIONS / "activations.py").read_text(encoding="utf-8"), re.M)
CASES: dict[str, Case] = {
    "01_sys_exit_at_import": Case(Expect(zero=(ACT,))),
    "02_os_exit_at_import": Case(Expect(zero=("metrics",))),
    "03_hang_at_import_ignoring_signals": Case(Expect(zero=("losses",))),
    "04_sys_exit_in_call": Case(Expect(zero=("activations.tanh_grad",)),
                                extra=_crashed("activations.tanh_grad", "SystemExit")),
    "05_os_exit_in_call": Case(Expect(zero=("activations.relu_grad",)),
                               extra=_crashed("activations.relu_grad", "crashed the worker")),
    "06_infinite_loop_ignoring_signals": Case(Expect(zero=("activations.leaky_relu_grad",)),
                                              extra=_crashed("activations.leaky_relu_grad", "deadline")),
    "07_recursion_segfault": Case(Expect(zero=("activations.softplus_grad",)),
                                  extra=_crashed("activations.softplus_grad", "crashed the worker")),
    "08_memory_bomb": Case(Expect(zero=("activations.selu_grad",)),
                           extra=_crashed("activations.selu_grad", "MemoryError")),
    "09_fork_and_daemons": Case(Expect(zero=("activations.swish_grad",), dangerous=True)),
    "10_read_kit_files": Case(Expect(zero=("activations.log_softmax",))),
    "11_import_kit_modules": Case(Expect(zero=("activations.softmax_jacobian",))),
    "12_environment_and_proc_secrets": Case(Expect(zero=("activations.sigmoid_grad",))),
    "13_stack_and_gc_walk": Case(Expect(zero=("activations.linear_grad",))),
    "14_monkeypatch_numpy_builtins": Case(Expect(zero=("activations.linear_grad",))),
    "15_always_equal_object": Case(Expect(zero=("activations.tanh_grad",))),
    "16_ndarray_subclass_equal_to_all": Case(Expect(zero=("activations.relu_grad",))),
    "17_object_array": Case(Expect(zero=("activations.leaky_relu_grad",))),
    "18_forge_results_files": Case(Expect(zero=("activations.log_softmax",), dangerous=True), cli=True),
    "19_kill_grader": Case(Expect(zero=("activations.softmax_jacobian",), dangerous=True), cli=True),
    "20_write_kit_files": Case(Expect(zero=("activations.sigmoid_grad",), dangerous=True)),
    "21_network": Case(Expect(zero=("activations.swish_grad",))),
    "22_output_flood_in_call": Case(Expect(zero=("activations.linear_grad",)),
                                    extra=_output_bounded("flood flood")),
    "23_output_flood_at_import": Case(Expect(), extra=_output_bounded("import-flood")),
    "24_forged_answer_frames": Case(Expect(zero=("losses", "activations.softmax_jacobian",
                                                 "activations.sigmoid_grad"))),
    "25_shadow_modules": Case(Expect(), extra=_no_marks),
    "26_exception_tricks": Case(Expect(zero=("activations.selu_grad",))),
    # the budget is the submission's: a module that uses it up leaves none for the next ones
    "27_slow_everything": Case(Expect(partial=(ACT, "losses", "metrics"))),
    "37_sysv_shared_memory": Case(Expect(zero=("activations.softmax_jacobian",), dangerous=True)),
    # issue 13, class 7 (validity1): checks that trusted the student's own functions
    "91_v1_fd_probe_recognition": Case(Expect(partial=("activations.tanh_grad", "losses.mse_loss_grad")),
                                       extra=_check_failed({
                                           "activations.tanh_grad": "matches finite differences of tanh",
                                           "losses.mse_loss_grad": "matches central finite differences of mse_loss "
                                                                   "('sum' and 'mean')"})),
    "92_v1_modify_all_but_probe": Case(Expect(partial=("activations.relu",)),
                                       extra=_check_failed({"activations.relu": "inputs not modified"})),
    "28_scratch_and_tmp_files": Case(Expect(zero=("activations.relu_grad",), dangerous=True),
                                     extra=_no_files_left),
    # '../../activations.py' comes after activations.py: unzip extracts it over activations.py,
    # and the loader grades the last member of a name as the platform does (issue 13)
    "29_zip_slip_and_absolute_paths": Case(Expect(zero=tuple(f"{ACT}.{name}" for name in ACT_FUNCTIONS if name != "sigmoid"),
                                                  partial=(f"{ACT}.sigmoid",)), build=_zip_slip, extra=_zip_slip_extra),
    "30_zip_symlinks": Case(Expect(zero=(ACT,)), build=_zip_symlinks),
    "31_zip_bomb": Case(Expect(zero=("losses", "metrics")), build=_zip_bomb),
    "32_zip_corrupt_member": Case(Expect(zero=(ACT,)), build=_corrupt_member),
    "33_notebooks_not_json": Case(Expect(zero=(ACT, "losses")), build=_notebooks),
    "34_not_utf8": Case(Expect(zero=(ACT, "metrics")), build=_not_utf8),
    "35_folder_symlinks_to_the_kit": Case(Expect(zero=(ACT, "losses")), build=_folder_symlinks),
    "36_folder_nested_1200_deep": Case(Expect(zero=(ACT,)), build=_deep_folder),
    "70_folder_link_to_a_module_elsewhere": Case(Expect(zero=(ACT,)), build=_folder_link_elsewhere),
    # issue 13 (round two). Class 3, submission text is data in every rendering:
    "38_rich_markup_in_errors": Case(Expect(zero=("activations.tanh_grad",)), extra=round2.text_is_data),
    "39_ansi_escapes_in_errors": Case(Expect(zero=("activations.relu_grad",)), extra=round2.text_is_data),
    "40_forged_summary_lines": Case(Expect(zero=("activations.leaky_relu_grad",)), extra=round2.text_is_data),
    "41_lone_surrogates_in_errors": Case(Expect(zero=("activations.softplus_grad",)), extra=round2.text_is_data),
    "42_bidi_and_invisible_text": Case(Expect(zero=("activations.selu_grad",)), extra=round2.text_is_data),
    "43_hostile_import_error_text": Case(Expect(zero=("losses",)), extra=round2.text_is_data),
    "44_hostile_printed_output": Case(Expect(), extra=round2.output_is_data),
    "45_notebook_source_not_text": Case(Expect(zero=(ACT, "losses")), build=round2.notebook_source_not_text,
                                        extra=round2.text_is_data),
    "46_notebook_odd_fields": Case(Expect(), build=round2.notebook_odd_fields, extra=round2.text_is_data),
    "47_hostile_file_names": Case(Expect(), build=round2.hostile_file_names, extra=round2.names_are_data),
    # class 2, nothing but regular files is ever opened, every walk bounded:
    "48_named_pipe_as_module": Case(Expect(zero=(ACT,)), build=round2.named_pipe_as_module),
    "49_named_pipe_as_zip": Case(Expect(zero=(ACT, "losses", "metrics")), build=round2.named_pipe_as_zip),
    "50_devices_and_sockets": Case(Expect(zero=(ACT, "losses")), build=round2.devices_and_sockets),
    "51_too_many_entries": Case(Expect(), build=round2.too_many_entries),
    # class 5, archives read as the platform unpacks them:
    "52_zip_duplicate_names": Case(Expect(zero=("metrics",)), build=round2.zip_duplicate_names,
                                   extra=round2.duplicates_noted),
    "53_zip_case_variants": Case(Expect(zero=("losses",)), build=round2.zip_case_variants, extra=round2.case_noted),
    "54_zip_unicode_variants": Case(Expect(zero=("metrics",)), build=round2.zip_unicode_variants,
                                    extra=round2.unicode_noted),
    # class 4, the grader's memory bounded whatever the submission returns or its archive lists:
    "55_zip_million_entries": Case(Expect(zero=(ACT, "losses", "metrics")), build=round2.zip_million_entries,
                                   extra=round2.directory_refused),
    "56_large_answers_on_every_call": Case(Expect(zero=("activations.relu", "activations.leaky_relu")),
                                           extra=round2.memory_bounded),
    "57_large_answers_after_small_ones": Case(Expect(partial=("activations.softplus",)), extra=round2.memory_bounded),
    "58_large_answers_in_losses": Case(Expect(zero=("losses.mse_loss", "losses.mse_loss_grad",
                                                    "losses.cross_entropy", "losses.cross_entropy_grad")),
                                       extra=round2.memory_bounded),
    "61_zip64_directory_claims": Case(Expect(zero=(ACT, "losses", "metrics")), build=round2.zip64_directory_claims,
                                      extra=round2.directory_refused),
    # class 6, the worker's file system holds the standard library and numpy only:
    "59_site_packages_hunt": Case(Expect(zero=("activations.linear",), sealed=True)),
    "60_site_packages_by_file": Case(Expect(zero=("activations.swish_grad",), sealed=True)),
}


def test_corpus_is_complete():
    folders = cases.names()
    assert set(folders) <= set(CASES), f"cases without an expectation: {set(folders) - set(CASES)}"
    assert all(CASES[name].build is not None for name in set(CASES) - set(folders))
    assert len(CASES) >= 60
    assert cases.MODULES == MODULES, "tests/hostile/cases.py appends to other modules than the contract's"


def test_the_command_writes_chosen_cases_as_submission_folders(tmp_path):
    """`cases.py --out DIR --case NAME...`: those cases only, each the submission the corpus grades."""
    chosen = ["21_network", "25_shadow_modules"]
    done = subprocess.run([sys.executable, str(harness.HOSTILE / "cases.py"), "--out", str(tmp_path / "out"),
                           *[arg for name in chosen for arg in ("--case", name)]],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(chosen + ["marks"])
    for name in chosen:
        built = build_case(name, tmp_path / "built" / name, port=9, mark=(tmp_path / "out" / "marks").resolve())
        written = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "out" / name).iterdir()}
        assert written == {p.name: p.read_text(encoding="utf-8") for p in built.iterdir()}, name
        assert "__PORT__" not in "".join(written.values()) and "__MARK__" not in "".join(written.values())


# -- fixtures ------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def canary_environment():
    """A secret in the grader's environment: no report may ever contain it."""
    old = os.environ.get(harness.CANARY_VARIABLE)
    os.environ[harness.CANARY_VARIABLE] = harness.CANARY_VALUE
    yield
    if old is None:
        os.environ.pop(harness.CANARY_VARIABLE, None)
    else:
        os.environ[harness.CANARY_VARIABLE] = old


@pytest.fixture(scope="session")
def baseline(tmp_path_factory, canary_environment) -> Outcome:
    """The correct solution, graded with the corpus's settings (also warms the grader up)."""
    return run_grade(copy_solutions(tmp_path_factory.mktemp("baseline") / "submission"),
                     harness.BASELINE)


def test_baseline_full_marks(baseline):
    assert baseline.results["score"] == baseline.results["extra_data"]["max_score"] > 0
    assert not leaked(baseline, baseline.text)


@pytest.fixture()
def listener():
    """A TCP and a UDP socket on one loopback port: no worker may reach them."""
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(8)
    tcp.setblocking(False)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", tcp.getsockname()[1]))
    udp.setblocking(False)
    yield tcp, udp
    tcp.close()
    udp.close()


# -- the test --------------------------------------------------------------------------------

def _grade_case(name: str, case: Case, tmp: Path, port: int) -> Outcome:
    marks = tmp / "marks"
    marks.mkdir(mode=0o777)
    if case.build is not None:
        path = case.build(tmp)
    else:
        path = build_case(name, tmp / "submission", port=port, mark=marks)
    if not case.cli:
        return run_grade(path)
    out, cwd = tmp / "out" / "results.json", tmp / "cwd"
    cwd.mkdir()
    autograder_results = Path("/autograder/results/results.json")
    existed = autograder_results.exists()
    started = time.monotonic()
    done = run_cli(path, out, cwd)
    seconds = time.monotonic() - started
    assert done.returncode == 0, f"the grader died: rc={done.returncode} {done.stderr[-2000:]!r}"
    assert not done.stdout.strip(), f"the grader printed with --out: {done.stdout[:300]!r}"
    assert not (cwd / "results.json").exists(), "a results.json appeared in the grader's folder"
    assert existed or not autograder_results.exists(), "/autograder/results/results.json was forged"
    assert [p.name for p in out.parent.iterdir()] == ["results.json"]
    outcome = outcome_from_file(out, seconds)
    assert outcome.results["score"] < 1000, "the forged score was kept"
    return outcome


# cases that kill, fork or write as the grader's own user are not run where nothing contains them
RUNNABLE = sorted(n for n, c in CASES.items()
                  if not ((c.expect.dangerous or c.expect.sealed) and probe().level == "none"))


@pytest.mark.parametrize("name", RUNNABLE)
def test_hostile_submission(name, baseline, tmp_path, listener):
    case = CASES[name]
    tcp, udp = listener
    kit_before = kit_snapshot()
    leftovers = []
    try:
        outcome = _grade_case(name, case, tmp_path, tcp.getsockname()[1])
    finally:
        leftovers = leftover_processes()
        segments = harness.shared_memory_of(CORPUS_UIDS)
        harness.remove_shared_memory(segments)
        kit_after = kit_snapshot()
        remove_nest(tmp_path / "submission" / "d", DEPTH)
    assert not leftovers, f"processes of the sandbox uids outlived grading: {leftovers}"
    assert not segments, f"shared memory segments outlived grading: {segments}"
    tampered = harness.kit_tampering(kit_before, kit_after)
    assert not tampered, f"the kit changed: {tampered}"
    assert not files_owned_by(harness.SANDBOX_UIDS, [ROOT / f for f in harness.KIT_FOLDERS] + [ROOT])

    budget = harness.CLI_BUDGET_SECONDS + 20.0 if case.cli else harness.BUDGET_SECONDS  # + start-up
    check_common(outcome, baseline, case.expect, budget=budget)
    secrets = leaked(outcome, baseline.text)
    assert not secrets, f"the report leaks {secrets[:5]}"
    with pytest.raises(BlockingIOError):
        tcp.accept()
    with pytest.raises(BlockingIOError):
        udp.recv(100)
    assert not files_owned_by(CORPUS_UIDS, TMP_FOLDERS), "files left in /tmp, /var/tmp or /dev/shm"
    if case.extra is not None:
        case.extra(outcome, tmp_path)
    harness.summarize(name, outcome, case.expect)
