"""The worker template: a numpy-loaded process in the bubblewrap sandbox that forks each student's worker.

Started once per grading process (``template.py``) as ``python -I -S forkserver.py --control-fd C
--site DIR`` inside the same bubblewrap view a worker gets, except that the grader's folder of
scratch folders is bound at ``/slots`` instead of one scratch folder at ``/sandbox``. It never
runs student code and holds no expected value: only the interpreter, numpy and this file.

For each student (``spawn`` on the control socket, with the worker's pipes, shared memory and
output pipe passed as file descriptors) it forks twice: the first child enters a new PID
namespace, the second (the worker, PID 1 there) enters new mount, network, IPC and UTS
namespaces, mounts its own /proc and a fresh /tmp, binds its scratch folder at /sandbox and
unmounts /slots, then sets the limits, drops to the student's uid and serves exactly as a
worker started by bubblewrap does (``worker.serve``). What an earlier student left is out of
reach: its namespaces died with it, its scratch folder is deleted by the grader, its uid holds
no process (the grader waits for its end before the next student), and the template's own
memory is the same for every fork. Replies on the control socket are one JSON object each.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import select
import signal
import socket
import sys
import time

CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS = 0x00020000, 0x02000000, 0x04000000
CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWPID = 0x08000000, 0x40000000, 0x20000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_BIND, MS_REC, MS_PRIVATE = 2, 4, 8, 4096, 16384, 1 << 18
MNT_DETACH = 2
PR_SET_PDEATHSIG = 1
SLOTS, SANDBOX = "/slots", "/sandbox"

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def _mount(source: str | None, target: str, kind: str | None, flags: int, data: str | None = None) -> None:
    encode = lambda text: text.encode() if text is not None else None  # noqa: E731
    _check(_libc.mount(encode(source), encode(target), encode(kind), ctypes.c_ulong(flags), encode(data)),
           f"mount {target}")


def _become_worker(request: dict, fds: dict[str, int], report: int) -> None:
    """In the second child (PID 1 of its namespace): isolate, limit, drop privileges, say "ready"
    on ``report``, serve."""
    import worker

    _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS), "unshare")
    _libc.unshare(CLONE_NEWCGROUP)  # where the kernel allows it, as bubblewrap's --unshare-cgroup-try
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755")
    scratch = os.path.normpath(os.path.join(SLOTS, request["scratch"]))
    if not scratch.startswith(SLOTS + "/") or not os.path.isdir(scratch):
        raise OSError(f"no scratch folder {request['scratch']!r}")
    _mount(scratch, SANDBOX, None, MS_BIND | MS_REC)
    _check(_libc.umount2(SLOTS.encode(), MNT_DETACH), "umount /slots")
    socket.sethostname("sandbox")
    os.setsid()
    os.dup2(fds["output"], 1)
    os.dup2(fds["output"], 2)
    keep = sorted({0, 1, 2, report, fds["requests"], fds["answers"]} | ({fds["arena"]} if "arena" in fds else set()))
    for low, high in zip([-1] + keep, keep + [1 << 16]):
        if high > low + 1:  # os.closerange(n, n) closes every descriptor from n (CPython 3.11)
            os.closerange(low + 1, high)
    limits = request["limits"]
    resource.setrlimit(resource.RLIMIT_CPU, (limits["cpu_seconds"], limits["cpu_seconds"] + 5))
    size = limits["file_size_mb"] << 20
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits["open_files"], limits["open_files"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NPROC, (1, 1))  # counted for the uid: no fork, no thread
    os.chdir(SANDBOX)
    os.environ["PWD"] = SANDBOX
    sys.path.insert(0, SANDBOX)
    with open("/proc/self/statm") as statm:
        current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    uid = request["uid"]
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # after setuid, which clears it
    if limits["memory_mb"]:
        limit = current + limits["memory_mb"] * (1 << 20)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.meta_path.insert(0, worker._Blocker())
    os.write(report, b"R")
    os.close(report)
    worker.serve(SANDBOX, fds["requests"], fds["answers"], fds.get("arena"))


def _first_child(request: dict, fds: dict[str, int], report: int) -> None:
    """Enter a new PID namespace, fork the worker, tell the template its pid, end as it ends."""
    _check(_libc.unshare(CLONE_NEWPID), "unshare pid")
    pid = os.fork()
    if pid == 0:
        try:
            _become_worker(request, fds, report)
        except BaseException as exc:  # the sandbox could not be built: the grader reads it
            os.write(2, f"sandbox: the worker template could not start a worker: {exc}\n".encode())
            os._exit(3)
        os._exit(0)
    os.write(report, b"P" + pid.to_bytes(4, "little"))  # one write: atomic on a pipe
    os.close(report)
    for fd in fds.values():
        os.close(fd)  # the grader sees the worker's end as the end of its channels
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):  # the same death, so that the grader names the same signal
        if os.WTERMSIG(status) not in (signal.SIGKILL, signal.SIGSTOP):  # no handler for those
            signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
        os.kill(os.getpid(), os.WTERMSIG(status))
    os._exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 3)


class ForkServer:
    """The template's loop: spawn, kill and wait on the workers it forked."""

    def __init__(self, control: socket.socket):
        self.control = control
        self.children: dict[int, tuple[int, int]] = {}  # id -> (first child, worker), template pids
        self.ended: dict[int, int] = {}  # id -> return code, once reaped
        self.next_id = 1

    def serve(self) -> None:
        while True:
            try:
                message, fds, _, _ = socket.recv_fds(self.control, 65536, 8)
            except OSError:
                return
            if not message:
                return
            try:
                request = json.loads(message)
                reply = getattr(self, "op_" + str(request.get("op")))(request, fds)
            except Exception as exc:  # a defect or a refused namespace: the grader falls back
                reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
            finally:
                for fd in fds:  # the forked worker has its own copies
                    os.close(fd)
            self.control.sendall(json.dumps(reply).encode())

    def op_spawn(self, request: dict, fds: list[int]) -> dict:
        names = ("requests", "answers", "output", "arena")[:len(fds)]
        named = dict(zip(names, fds))
        report_r, report_w = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        first = os.fork()
        if first == 0:
            try:
                self.control.close()
                os.close(report_r)
                _first_child(request, named, report_w)
            except BaseException as exc:
                os.write(2, f"sandbox: the worker template could not fork a worker: {exc}\n".encode())
            finally:
                os._exit(3)
        os.close(report_w)
        # "P" and the worker's pid (from the first child) and "R" (from the worker, once ready),
        # in either order; EOF when both ends are closed
        data = b""
        while len(data) < 6 and select.select([report_r], [], [], 10)[0]:
            more = os.read(report_r, 6 - len(data))
            if not more:
                break
            data += more
        os.close(report_r)
        pid = data[data.find(b"P") + 1:][:4] if b"P" in data else b""
        child = self.next_id
        self.next_id += 1
        self.children[child] = (first, int.from_bytes(pid, "little") if len(pid) == 4 else 0)
        if sorted(data.replace(b"P" + pid, b"")) != [ord("R")]:
            self.op_kill({"id": child}, [])
            raise OSError("the forked worker did not get ready (see the template's standard error)")
        return {"ok": True, "id": child}

    def op_kill(self, request: dict, fds: list[int]) -> dict:
        child = request["id"]
        if child in self.children:
            first, worker = self.children[child]
            for pid in (worker, first):  # the worker is PID 1 of its namespace: all of it dies
                if pid:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
        return self.op_wait({"id": child, "timeout": None}, fds)

    def op_wait(self, request: dict, fds: list[int]) -> dict:
        child, timeout = request["id"], request.get("timeout")
        if child in self.children:
            first = self.children[child][0]
            until = None if timeout is None else time.monotonic() + float(timeout)
            while True:
                pid, status = os.waitpid(first, os.WNOHANG if until is not None else 0)
                if pid:
                    self.ended[child] = os.waitstatus_to_exitcode(status)
                    del self.children[child]
                    break
                if time.monotonic() >= until:
                    return {"ok": True, "status": None}
                time.sleep(0.002)
        return {"ok": True, "status": self.ended.get(child)}


def main() -> None:
    arguments = sys.argv[1:]
    options = dict(zip(arguments[::2], arguments[1::2]))
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    if "--site" in options:
        sys.path.insert(0, options["--site"])
    import numpy  # noqa: F401  (what every worker forked from here has loaded)
    import protocol  # noqa: F401
    import worker

    for name in worker.ESSENTIAL:
        __import__(name)
    sys.argv = [sys.argv[0]]
    ForkServer(socket.socket(fileno=int(options["--control-fd"]))).serve()


if __name__ == "__main__":
    main()
