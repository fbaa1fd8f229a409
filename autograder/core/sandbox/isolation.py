"""How a worker is started: the strongest isolation this machine allows, and the limits.

Levels, strongest first (``probe`` finds the strongest; a front may force one, for tests and
benchmarks):

- ``bubblewrap``: the grader is root and bwrap works. New mount, PID, network, IPC and UTS
  namespaces; the worker sees only the system libraries, the interpreter's standard library,
  numpy and its own scratch folder (no site-packages, no kit, no other submission, no results);
  it drops to an unprivileged uid before any student code runs.
- ``uid``: the grader is root but namespaces are refused (some containers). New network and
  IPC namespaces where allowed, a chroot into the worker's scratch folder (CAP_SYS_CHROOT, which
  containers usually keep), then the unprivileged uid; numpy and the standard modules a
  submission may use are loaded before, since nothing outside the scratch folder is visible
  afterwards. Where chroot is refused too, files readable by everyone stay readable, and the
  report says so.
- ``none``: the grader is not root. Resource limits only: the worker runs as the grader's
  user and could read what that user can. Reports say so.

Every level sets CPU, file-size, open-file and core limits, a memory budget above what numpy
needs, one-thread BLAS, and puts the worker in a session of its own so it can be killed whole.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import resource
import shutil
import site
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy

WORKER_DIR = Path(__file__).resolve().parent
SANDBOX_ROOT = "/sandbox"
SANDBOX_KIT = "/opt/dlgrade"
FIRST_WORKER_UID = 61000
WORKER_SLOTS = 4000  # uids FIRST_WORKER_UID ... + 3999
# worker slots leased by gradings running now (lease_slot); root only, like the uids themselves
LEASES = Path("/run/lock/dlgrade-slots") if Path("/run/lock").is_dir() else Path(tempfile.gettempdir()) / "dlgrade-slots"
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                    "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")
LEVELS = ("bubblewrap", "uid", "none")


@dataclass(frozen=True)
class Limits:
    """Per-worker resource limits."""

    cpu_seconds: int = 120
    memory_mb: int = 1024
    file_size_mb: int = 16
    open_files: int = 64


@dataclass(frozen=True)
class Isolation:
    """The isolation level workers get, as probed on this machine (``probe``)."""

    level: str  # "bubblewrap", "uid" or "none"
    chroot: bool = False  # 'uid': whether this grader may chroot (it confines workers with it)
    # 'bubblewrap': fork workers from a worker template (template.py); results do not depend on it
    template: bool = field(default=True, compare=False, repr=False)

    @property
    def message_key(self) -> str:
        """The key of the report's description of this level (``core/i18n.py``)."""
        return "isolation_uid_no_chroot" if self.level == "uid" and not self.chroot else f"isolation_{self.level}"


def _bwrap_usable() -> bool:
    bwrap = shutil.which("bwrap")
    if not bwrap:
        return False
    try:
        probe = subprocess.run([bwrap, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/",
                                "true"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def _chroot_usable() -> bool:
    """Whether this (root) grader may chroot: the 'uid' level confines workers with it."""
    try:
        probe = subprocess.run([os.path.realpath(sys.executable), "-I", "-S", "-c",
                                "import os; os.chroot('/')"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def probe(forced: str | None = None, template: bool = True) -> Isolation:
    """The strongest isolation this machine offers (or ``forced``, for tests and benchmarks)."""
    level = forced if forced in LEVELS else (
        "none" if os.geteuid() != 0 else "bubblewrap" if _bwrap_usable() else "uid")
    return Isolation(level, chroot=level == "uid" and _chroot_usable(), template=template)


def _numpy_site() -> Path:
    return Path(numpy.__file__).resolve().parent.parent


def _system_binds() -> list[str]:
    args: list[str] = []
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc/ld.so.cache"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.exists(top):
            args += ["--ro-bind", top, top]
    return args


def _dirs_above(path: str, args: list[str]) -> None:
    parts = Path(path).parts
    for i in range(2, len(parts)):
        args += ["--perms", "0755", "--dir", str(Path(*parts[:i]))]


PACKAGE_FOLDERS = ("site-packages", "dist-packages")


def _hidden_package_dirs(prefix: str | None = None) -> list[str]:
    """Every folder of installed packages the worker's file system would hold: the ones the
    interpreter knows, and every ``site-packages``/``dist-packages`` below the interpreter's
    prefix and the system's Python folders (a venv's interpreter does not list its base's: torch,
    scipy, hypothesis there were importable once the blocker was removed, issue 13).
    The worker sees the standard library and numpy (bound apart), nothing else installed."""
    import glob

    candidates = set(site.getsitepackages()) | {site.getusersitepackages()}
    candidates |= {p for p in sys.path if p.endswith(PACKAGE_FOLDERS)}
    tops = {prefix or os.path.realpath(sys.base_prefix), "/usr", "/usr/local"}
    for top in tops:
        for name in PACKAGE_FOLDERS:
            for pattern in ("lib*/python3*/", "lib*/python3/", "lib*/"):
                candidates |= set(glob.glob(os.path.join(top, pattern, name)))
    return sorted({p for p in map(os.path.realpath, candidates) if os.path.isdir(p)})


def bubblewrap_command(scratch: Path, slots: bool = False) -> list[str]:
    """The bwrap prefix that shows the worker only what it needs (``slots``: the worker
    template's, with the folder of scratch folders ``scratch`` at /slots, see forkserver.py)."""
    prefix = os.path.realpath(sys.base_prefix)
    args = ["bwrap", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent", "--new-session",
            "--hostname", "sandbox", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    args += ["--perms", "0755", "--dir", "/etc"]
    args += _system_binds()
    for folder in ("/opt", SANDBOX_KIT, f"{SANDBOX_KIT}/site"):
        args += ["--perms", "0755", "--dir", folder]
    if not prefix.startswith("/usr/"):
        _dirs_above(prefix, args)
        args += ["--ro-bind", prefix, prefix]
    for hidden in _hidden_package_dirs(prefix):
        if hidden.startswith((prefix + "/", "/usr/")):
            args += ["--tmpfs", hidden]
    numpy_site = _numpy_site()
    for name in ("numpy", "numpy.libs"):
        if (numpy_site / name).is_dir():
            args += ["--ro-bind", str(numpy_site / name), f"{SANDBOX_KIT}/site/{name}"]
    for name in ("worker.py", "protocol.py") + (("forkserver.py",) if slots else ()):
        args += ["--ro-bind", str(WORKER_DIR / name), f"{SANDBOX_KIT}/{name}"]
    if slots:
        return args + ["--perms", "0755", "--dir", SANDBOX_ROOT, "--bind", str(scratch), "/slots", "--chdir", "/"]
    args += ["--bind", str(scratch), SANDBOX_ROOT, "--chdir", SANDBOX_ROOT]
    return args


def template_command(slots: Path, control_fd: int) -> list[str]:
    """The command that starts a worker template (forkserver.py) with ``slots`` at /slots."""
    return bubblewrap_command(slots, slots=True) + [
        os.path.realpath(sys.executable), "-I", "-S", f"{SANDBOX_KIT}/forkserver.py",
        "--control-fd", str(control_fd), "--site", f"{SANDBOX_KIT}/site"]


def worker_uid(slot: int) -> int:
    """A uid of its own per concurrent worker, so that process limits do not collide."""
    return FIRST_WORKER_UID + slot % WORKER_SLOTS


def lease_slot(preferred: int, folder: Path | None = None) -> tuple[int, int]:
    """The first worker slot at or after ``preferred`` that no other grading on this machine
    holds, and the open lock file that holds it (close it to give the slot back).

    Two gradings at once (a batch and a ``dlgrade grade``, two courses, two CI jobs) would
    otherwise give their workers the same uid, and a worker's one-process limit would then stop
    the other's worker from starting: a correct submission losing points to a neighbour. The
    lease is an ``flock`` on ``LEASES/<slot>.lock``: the kernel releases it when its holder dies.
    """
    folder = folder or LEASES
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for step in range(WORKER_SLOTS):
        slot = (preferred + step) % WORKER_SLOTS
        fd = os.open(folder / f"{slot}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return slot, fd
        except BlockingIOError:
            os.close(fd)
    raise RuntimeError(f"all {WORKER_SLOTS} worker slots are in use on this machine")


def _unshare_network() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.unshare(0x40000000)  # CLONE_NEWNET; refused quietly where the container forbids it
    # CLONE_NEWIPC, on its own (either may be refused alone): System V shared memory a worker
    # creates then dies with it instead of holding memory after grading (hostile corpus)
    libc.unshare(0x08000000)


def make_preexec(level: str, limits: Limits):
    """What the child does between fork and exec: limits, and the network cut for 'uid'."""

    def preexec() -> None:
        os.setsid()
        cpu = limits.cpu_seconds
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
        size = limits.file_size_mb << 20
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if level in ("bubblewrap", "uid"):
            # counted for the worker's own uid once it drops root: no fork, no thread, no daemon
            resource.setrlimit(resource.RLIMIT_NPROC, (1, 1))
        if level == "uid":
            _unshare_network()

    return preexec


PASSED_THROUGH = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")  # machine quirks numpy relies on


def worker_environment(passed: tuple[tuple[str, str], ...] = ()) -> dict[str, str]:
    """The worker's whole environment; ``passed``: the grader's values of PASSED_THROUGH."""
    env = {name: "1" for name in THREAD_VARIABLES}
    env.update(PATH="/usr/bin:/bin", LANG="C.UTF-8", PYTHONHASHSEED="0",
               PYTHONDONTWRITEBYTECODE="1", HOME=SANDBOX_ROOT)
    env.update({name: value for name, value in passed if name in PASSED_THROUGH})
    return env


def build_command(isolation: Isolation, scratch: Path, slot: int, limits: Limits,
                  requests_fd: int, answers_fd: int, arena_fd: int | None = None) -> list[str]:
    """The full command line that starts one worker at ``isolation``'s level."""
    level = isolation.level
    python = os.path.realpath(sys.executable)
    tail = ["--requests-fd", str(requests_fd), "--answers-fd", str(answers_fd),
            "--memory-mb", str(limits.memory_mb)]
    if arena_fd is not None:  # shared memory for array arguments (see client.ARENA_BYTES)
        tail += ["--arena-fd", str(arena_fd)]
    if level == "bubblewrap":  # the interpreter's folders are mounted readable: lazy imports work
        return bubblewrap_command(scratch) + [
            python, "-I", "-S", f"{SANDBOX_KIT}/worker.py", "--submission", SANDBOX_ROOT,
            "--site", f"{SANDBOX_KIT}/site", "--uid", str(worker_uid(slot)), "--lazy-imports"] + tail
    command = [python, "-I", "-S", str(WORKER_DIR / "worker.py"), "--submission", str(scratch),
               "--site", str(_numpy_site())] + tail
    if level == "none":
        command.append("--lazy-imports")
    if level == "uid":
        command += ["--uid", str(worker_uid(slot))]
        if isolation.chroot:
            command.append("--chroot")
    return command
