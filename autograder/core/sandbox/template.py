"""The grader's side of the worker template (``forkserver.py``): start-up paid once per grading process.

At the 'bubblewrap' level, the first worker a grading process needs starts a template: one
bubblewrap sandbox holding an interpreter with numpy loaded, which forks every later worker of
this process into namespaces, a scratch folder and limits of its own (forkserver.py says what
each fork gets). A worker then costs a fork and a few mounts instead of bwrap, an interpreter
and numpy's import (~0.1 CPU-s). ``TemplateProcess`` gives the ``Worker`` the part of
``subprocess.Popen`` it uses (``pid`` for CPU time, ``stdout``, ``kill``, ``wait``).

Only the main thread starts one (the sandbox dies with the thread that started it), each
process its own (a forked batch grader never uses its parent's), and a template that cannot
start or fork a working worker is not used again by this process: its workers go back to a
bubblewrap each. ``Isolation.template`` False (``DLGRADE_TEMPLATE=off``) does that from the start.
The templates are this module's state: one per process, closed at its exit.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

from .isolation import Isolation, Limits, template_command, worker_environment

FOLDER_PREFIX = "dlgrade-slots-"  # then the owning process's pid: stale folders are swept
REPLY_SECONDS = 10.0  # a template answers in milliseconds; beyond this it is broken
_templates: dict[tuple, "Template"] = {}
_broken: set[tuple] = set()


class TemplateError(Exception):
    """The template did not start, or could not fork a working worker."""


class Template:
    """One worker template: its bubblewrap process, its control socket, its folder of scratch folders."""

    def __init__(self, environment: tuple[tuple[str, str], ...]):
        _sweep()
        self.folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))
        os.chmod(self.folder, 0o711)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.process = subprocess.Popen(
                template_command(self.folder, theirs.fileno()), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(theirs.fileno(),),
                env=worker_environment(environment), cwd="/", start_new_session=True)
        except OSError:
            ours.close()
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        finally:
            theirs.close()
        self.control, self.lock = ours, threading.Lock()

    def request(self, message: dict, fds: list[int] = ()) -> dict:
        """Send ``message`` (and ``fds``) and return the template's reply."""
        with self.lock:
            try:
                socket.send_fds(self.control, [json.dumps(message).encode()], list(fds))
                if not select.select([self.control], [], [], REPLY_SECONDS)[0]:
                    raise TemplateError("the worker template did not answer")
                data = self.control.recv(65536)
            except OSError as exc:
                raise TemplateError(f"the worker template is gone: {exc}") from None
        if not data:
            raise TemplateError("the worker template ended")
        reply = json.loads(data)
        if not reply.get("ok"):
            raise TemplateError(str(reply.get("error")))
        return reply

    def spawn(self, scratch: Path, uid: int, limits: Limits, fds: dict[str, int]) -> "TemplateProcess":
        """Fork a worker serving ``scratch`` (a folder of ``self.folder``) as ``uid``; ``fds``:
        its requests, answers and output pipes' ends, and its shared memory (optional)."""
        order = [fds["requests"], fds["answers"], fds["output"]] + ([fds["arena"]] if "arena" in fds else [])
        reply = self.request({"op": "spawn", "scratch": str(scratch.relative_to(self.folder)), "uid": uid,
                              "limits": {"cpu_seconds": limits.cpu_seconds, "memory_mb": limits.memory_mb,
                                         "file_size_mb": limits.file_size_mb, "open_files": limits.open_files}},
                             order)
        return TemplateProcess(self, int(reply["id"]))

    def close(self, keep_folder: bool = False) -> None:
        """Stop the template and its workers (``keep_folder``: scratch folders still in use)."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        self.control.close()
        if not keep_folder:
            shutil.rmtree(self.folder, ignore_errors=True)


class TemplateProcess:
    """A worker forked by a template, as a ``Worker`` uses a ``subprocess.Popen``."""

    def __init__(self, template: Template, child: int):
        self.template, self.child = template, child
        self.pid = template.process.pid  # its CPU time is read for the template's whole tree
        self.stdout: Any = None  # the output pipe's reading end, set by the Worker
        self.returncode: int | None = None

    def kill(self) -> None:
        """SIGKILL to the worker (PID 1 of its namespace: everything it started dies with it)."""
        if self.returncode is None:
            try:
                self.returncode = self.template.request({"op": "kill", "id": self.child})["status"]
            except TemplateError:
                self.returncode = -signal.SIGKILL  # the template is gone, and its workers with it

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            try:
                status = self.template.request({"op": "wait", "id": self.child, "timeout": timeout})["status"]
            except TemplateError:
                status = -signal.SIGKILL
            if status is None:
                raise subprocess.TimeoutExpired("worker", timeout or 0)
            self.returncode = status
        return self.returncode


def template_for(isolation: Isolation, environment: tuple[tuple[str, str], ...]) -> Template | None:
    """This process's template for workers at ``isolation`` (None: start workers one by one)."""
    if (isolation.level != "bubblewrap" or not isolation.template
            or threading.current_thread() is not threading.main_thread()):
        return None
    key = (os.getpid(), environment)
    template = _templates.get(key)
    if template is not None and not template.folder.is_dir():  # removed under it (a /tmp cleaner)
        give_up(template)
        return None
    if template is not None and template.process.poll() is None:
        return template
    if key in _broken:
        return None
    try:
        _templates[key] = template = Template(environment)
    except OSError:
        _broken.add(key)
        return None
    return template


def give_up(template: Template) -> None:
    """``template`` failed: this process starts its workers one by one from now on."""
    for key, known in list(_templates.items()):
        if known is template:
            _broken.add(key)
            del _templates[key]
    template.close(keep_folder=True)  # the engine's scratch folders are there: it removes them


@atexit.register
def close_templates() -> None:
    """Stop this process's templates and remove their folders (at exit; a forked process that
    ends with os._exit calls it itself)."""
    for key, template in list(_templates.items()):
        if key[0] == os.getpid():
            del _templates[key]
            template.close()


def _sweep() -> None:
    """Remove the folders of templates whose process is gone (killed, or ended without atexit)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*-*"):
        owner = folder.name[len(FOLDER_PREFIX):].split("-", 1)[0]
        if not owner.isdigit() or int(owner) == os.getpid():
            continue
        try:
            os.kill(int(owner), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:
            pass
