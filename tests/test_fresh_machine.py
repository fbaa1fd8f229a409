"""The Gradescope zip on a fresh machine, for real (issue 10): a clean Debian root made with
debootstrap, the zip's content in ``/autograder/source``, ``setup.sh`` run there as Gradescope runs
it (as root, from ``/autograder/source``: apt-get, a venv, torch's CPU build, the kit, the
example bank's warm-up), then ``/autograder/run_autograder`` twice: on the solutions, the first
submission, which must get full marks without importing torch or scikit-learn (the warm bank),
and on the bundled sample submission, which results.json must give the score the kit here gives
it, losing points on exactly the functions the kit here fails, with the worker under bubblewrap.

What stands in for Gradescope: the Debian root as the root of a mount namespace of its own
(pivot_root, with /proc, /dev and /sys mounted) instead of its Ubuntu 22.04 container (Ubuntu's
mirrors are not reachable here; Debian 12 ships Python 3.11, so setup.sh's Python 3.10 branch is
not exercised). Torch's CPU wheel
comes from this machine's wheel folder (``DLGRADE_TORCH_WHEELS``, bind-mounted read-only) where
one lies there, else from the CPU index as on Gradescope; pip gets this machine's CA bundle
(``PIP_CERT``), since PyPI is reached through a proxy whose certificate it holds.

The pristine debootstrap root is cached in ``~/.cache/dlgrade/debootstrap/`` (3 minutes to make);
each run copies it and runs setup.sh on the copy, which downloads Debian's and PyPI's packages
(several minutes). Skipped, saying why, only where debootstrap cannot run: not root, or no
debootstrap command (``.ci/setup`` installs it when root).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from autograder.core.messages import say
from autograder.core.report import results_json
from autograder.fronts import gradescope
from helpers import ROOT, SOLUTIONS, grade

SUITE, MIRROR = "bookworm", "http://deb.debian.org/debian"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dlgrade" / "debootstrap" / SUITE
SAMPLE = ROOT / "autograder" / "samples" / "student"
WHEELS = Path("/opt/wheels")  # this machine's CPU build of torch (.ci/setup takes it from there too)
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def _why_not() -> str | None:
    if os.geteuid() != 0:
        return "the fresh-machine test needs root (debootstrap, mount namespaces, pivot_root)"
    if not (shutil.which("unshare") and shutil.which("pivot_root")):
        return "the fresh-machine test needs unshare and pivot_root (util-linux)"
    if not shutil.which("debootstrap"):
        return "the fresh-machine test needs debootstrap (apt-get install debootstrap; .ci/setup does it as root)"
    return None


pytestmark = pytest.mark.skipif(_why_not() is not None, reason=_why_not() or "")


def _pristine_root() -> Path:
    """A minimal Debian root, made once with debootstrap and kept in the cache."""
    if (CACHE / "etc" / "debian_version").is_file() and (CACHE / ".complete").is_file():
        return CACHE
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{SUITE}.", dir=CACHE.parent))
    started = time.monotonic()
    done = subprocess.run(["debootstrap", "--variant=minbase", SUITE, str(building), MIRROR],
                          capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        shutil.rmtree(building, ignore_errors=True)
        pytest.fail("debootstrap failed:\n" + done.stdout[-3000:] + done.stderr[-3000:])
    (building / ".complete").write_text(f"debootstrap {SUITE} {MIRROR}\n")
    shutil.rmtree(CACHE, ignore_errors=True)
    os.replace(building, CACHE)
    print(f"debootstrap {SUITE}: {time.monotonic() - started:.0f} s (cached in {CACHE})")
    return CACHE


def _torch_wheels() -> Path | None:
    """This machine's folder of torch CPU wheels for the Debian root's Python (3.11), if any."""
    return WHEELS if list(WHEELS.glob("torch-*+cpu-cp311-*.whl")) else None


def _in_machine(machine: Path, command: str, env: dict[str, str], binds: dict[Path, str], timeout: float):
    """Run ``command`` with /bin/sh as root inside ``machine``, as a container would: a mount
    namespace of its own (nothing stays mounted on the host) whose root is ``machine``
    (pivot_root, not chroot: the kernel refuses new user namespaces, so bubblewrap, to a chrooted
    process), /proc, /dev and /sys mounted, ``binds`` (host folder -> path inside) read-only."""
    mounts = [f"mount --bind '{machine}' '{machine}'", f"mount -t proc proc '{machine}/proc'",
              f"mount --rbind /dev '{machine}/dev'", f"mount -t sysfs sysfs '{machine}/sys'"]
    for host, inside in binds.items():
        target = machine / inside.lstrip("/")
        target.mkdir(parents=True, exist_ok=True)
        mounts += [f"mount --bind '{host}' '{target}'", f"mount -o remount,bind,ro '{target}'"]
    (machine / ".host").mkdir(exist_ok=True)
    variables = " ".join(f"{k}='{v}'" for k, v in {"PATH": PATH, "HOME": "/root", "LANG": "C.UTF-8", **env}.items())
    script = " && ".join(mounts + [f"cd '{machine}'", "pivot_root . .host", "cd /", "umount -l /.host",
                                   f"exec /usr/bin/env -i {variables} /bin/sh -c '{command}'"])
    return subprocess.run(["unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", script],
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def _submit(machine: Path, submission: Path) -> tuple[dict, set[str], float]:
    """Hand ``submission`` in and run /autograder/run_autograder, the grader's imports logged:
    (results.json, top-level modules the grader imported, seconds)."""
    folder = machine / "autograder" / "submission"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for module in ("activations", "losses", "metrics"):
        shutil.copy(submission / f"{module}.py", folder)
    started = time.monotonic()
    run = _in_machine(machine, "cd /autograder && /autograder/run_autograder", {"PYTHONPROFILEIMPORTTIME": "1"}, {},
                      timeout=900)
    seconds = time.monotonic() - started
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    imported = {m.group(1).split(".")[0] for m in re.finditer(r"^import time:\s+\d+ \|\s+\d+ \|\s+(\S+)",
                                                                run.stderr, re.MULTILINE)}
    return json.loads((machine / "autograder" / "results" / "results.json").read_text()), imported, seconds


@pytest.fixture
def machine(tmp_path):
    """A copy of the pristine root (removed after the test: it grows to about 2 GB)."""
    pristine = _pristine_root()
    folder = tmp_path / "machine"
    copied = subprocess.run(["cp", "-a", str(pristine), str(folder)], capture_output=True, text=True)
    assert copied.returncode == 0, copied.stderr
    (folder / ".complete").unlink()
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_gradescope_zip_on_a_fresh_debian(tmp_path, machine):
    started = time.monotonic()
    archive = gradescope.build_zip(tmp_path / "autograder.zip", language="en")
    source = machine / "autograder" / "source"
    source.mkdir(parents=True)
    with zipfile.ZipFile(archive) as z:
        for info in z.infolist():
            z.extract(info, source)
            os.chmod(source / info.filename, (info.external_attr >> 16) & 0o777)

    env, binds = {}, {}
    wheels = _torch_wheels()
    if wheels is not None:
        env["DLGRADE_TORCH_WHEELS"], binds[wheels] = "/opt/wheels", "/opt/wheels"
    certificates = os.environ.get("PIP_CERT") or os.environ.get("SSL_CERT_FILE")
    if certificates and Path(certificates).is_file():
        (machine / "opt" / "host-ca").mkdir(parents=True)
        shutil.copyfile(certificates, machine / "opt" / "host-ca" / "bundle.crt")
        env["PIP_CERT"] = "/opt/host-ca/bundle.crt"

    setup = _in_machine(machine, "cd /autograder/source && ./setup.sh", env, binds, timeout=2400)
    setup_seconds = time.monotonic() - started
    assert setup.returncode == 0, setup.stdout[-5000:] + setup.stderr[-5000:]
    assert (machine / "autograder" / "venv" / "bin" / "python").exists()
    # the warm-up (setup.sh fails if the reference loses a point there) left the bank, root only
    banks = list((machine / "autograder" / "bank").glob("bank-*.bin"))
    assert len(banks) == 1 and (banks[0].parent.stat().st_mode & 0o077) == 0, setup.stdout[-3000:]

    # Gradescope: run_autograder copied to /autograder; each submission in /autograder/submission
    shutil.copy2(source / "run_autograder", machine / "autograder" / "run_autograder")
    (machine / "autograder" / "submission_metadata.json").write_text('{"users": [{"name": "A Student"}]}')

    # the first submission, a correct one, replays the warm bank: torch and sklearn never imported
    first, imported, first_seconds = _submit(machine, SOLUTIONS)
    assert first["score"] == sum(t["max_score"] for t in first["tests"]) > 0, first["score"]
    assert "numpy" in imported and not {"torch", "sklearn"} & imported, sorted(imported)

    results, _, run_seconds = _submit(machine, SAMPLE)
    print(f"fresh machine: setup.sh {setup_seconds:.0f} s, run_autograder {first_seconds:.1f} s (solutions), "
          f"{run_seconds:.1f} s (sample)")

    expected = results_json(grade(SAMPLE), language="en")  # the kit here, on the same sample
    assert results["score"] == pytest.approx(expected["score"]) and 0 < results["score"] < sum(
        t["max_score"] for t in results["tests"]), (results["score"], expected["score"])
    lost = {t["name"].split(":")[0] for t in results["tests"] if t["status"] == "failed"}
    assert lost == {t["name"].split(":")[0] for t in expected["tests"] if t["status"] == "failed"}, lost
    assert results["extra_data"]["isolation"] == say("isolation_bubblewrap").text("en"), results["extra_data"]
    assert not (machine / "autograder" / "submission" / "results.json").exists()
