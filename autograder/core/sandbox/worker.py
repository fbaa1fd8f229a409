"""The worker: imports the student's modules and answers calls; runs only inside the sandbox.

Started as ``python -I -S worker.py --submission DIR --requests-fd R --answers-fd A
[--site DIR] [--uid N] [--memory-mb M] [--arena-fd F] [--chroot] [--lazy-imports]``; stdout
and stderr are pipes the
grader drains and bounds. It uses only the standard library and numpy, holds no expected
value, no check and no reference, and sends back plain arrays in the fixed format of
protocol.py. Whatever the student code does here changes only the bytes of its own answers.
"""

from __future__ import annotations

import importlib.util
import mmap
import os
import sys
import time
import traceback
import types
import warnings

FORBIDDEN = ("torch", "scipy", "sklearn", "tensorflow", "jax", "keras", "pandas", "autograder",
             "reference", "solutions")
MESSAGE_LIMIT = 600
# what serve() itself needs: numpy.random is lazy in numpy 2 and serve() seeds it on every
# call: without it here, every call at the 'uid' level failed with "No module named 'secrets'"
# (hostile-corpus finding)
ESSENTIAL = ("random", "numpy.random")
# standard modules a submission may reasonably use, loaded before privileges are dropped where
# the interpreter's files may be unreadable afterwards (the 'uid' level); where they stay
# readable (--lazy-imports: bubblewrap, none) a submission imports them itself, and the worker
# starts ~40 ms sooner
PRELOAD = ("math", "cmath", "functools", "itertools", "collections", "operator",
           "numbers", "decimal", "fractions", "statistics", "typing", "dataclasses", "enum",
           "copy", "re", "string", "warnings", "contextlib", "abc", "numpy.typing")
# numpy modules numpy itself imports lazily (np.unique and np.union1d load numpy.ma): a chrooted
# worker could not load them later, so it loads them first
JAIL_PRELOAD = ("numpy.ma", "numpy.fft", "numpy.polynomial")


# numpy's names of the floating-point errors a call may raise -> the words an answer carries
FP_ERRORS = {"overflow": "overflow", "invalid value": "invalid", "divide by zero": "divide"}


class ForbiddenImport(ImportError):
    pass


class ForbiddenModule(types.ModuleType):
    """Stands in for torch, scipy, sklearn...: importing works, using it fails that call."""

    def __getattr__(self, attr: str):
        if attr.startswith("__"):
            raise AttributeError(attr)
        raise ForbiddenImport(self.__name__)  # the grader says "... is not allowed in a submission"


class _Blocker:
    """A finder and loader for the forbidden packages (plain class: importlib.abc costs 16 ms)."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in FORBIDDEN:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        return ForbiddenModule(spec.name)

    def exec_module(self, module):
        module.__path__ = []


def _prepare(site: str | None, uid: int | None, memory_mb: int, jail: str | None = None,
             lazy_imports: bool = False) -> None:
    if site:
        sys.path.insert(0, site)
    # Everything the worker itself needs is imported before the uid drop: at the 'uid' level
    # the interpreter may live in a folder the worker's uid cannot read (root's home), and an
    # import after setuid() then fails and the worker never starts (hostile-corpus finding).
    import resource
    import numpy  # noqa: F401  (loaded while the interpreter's files are still readable)
    import protocol  # noqa: F401
    preload = ESSENTIAL if lazy_imports and jail is None else ESSENTIAL + PRELOAD
    for name in preload + (JAIL_PRELOAD if jail is not None else ()):
        try:
            __import__(name)
        except ImportError:
            pass
    with open("/proc/self/statm") as statm:  # read while /proc is still in view
        current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    if jail is not None:
        # 'uid' level (no mount namespace): without this the worker could read every
        # world-readable file (the kit, reference/, hidden checks, other submissions) and
        # write to /tmp, /var/tmp and /dev/shm (hostile-corpus finding). As root, before the
        # uid drop, confine the worker to its own scratch folder; after setuid() it cannot
        # chroot again. Everything it needs is imported above. Fail closed: the grader asked
        # for it because it checked that chroot works here.
        try:
            os.chroot(jail)
            os.chdir("/")
        except OSError as exc:
            sys.stderr.write(f"sandbox: chroot to the scratch folder failed: {exc}\n")
            os._exit(3)
    if uid is not None:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    if memory_mb:
        limit = current + memory_mb * (1 << 20)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.meta_path.insert(0, _Blocker())


def _load(submission: str, name: str) -> list[str]:
    path = os.path.join(submission, name + ".py")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return sorted(k for k, v in vars(module).items() if callable(v) and not k.startswith("_"))


def _error_header(exc: BaseException, submission: str) -> dict:
    """The exception as data (its type, message and place in the submission); the grader words it
    in the report's language. A forbidden module's message is the module's name."""
    try:
        message = str(exc)
    except BaseException:
        message = None  # the grader says "the message could not be printed"
    where: dict = {}
    try:
        home = os.path.normpath(submission)  # "/" when chrooted: compare folders, not prefixes
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if os.path.dirname(f.filename) == home]
        if isinstance(exc, SyntaxError) and exc.filename:
            where = {"file": os.path.basename(exc.filename)[:100], "line": exc.lineno}
        elif frames:
            where = {"file": os.path.basename(frames[-1].filename)[:100], "line": frames[-1].lineno,
                     "function": str(frames[-1].name)[:80]}
    except BaseException:
        pass
    return {"ok": False, "error": type(exc).__name__[:80],
            "message": message[:MESSAGE_LIMIT] if message is not None else None, "where": where}


def scalar_types(np) -> tuple:
    return (np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16,
            np.uint32, np.uint64, np.float16, np.float32, np.float64)


def answer_header(result, args, snapshots, np, protocol, scalars: tuple) -> tuple[dict, list[bytes]]:
    """The answer frame's header and payload for ``result`` (``scalars``: ``scalar_types(np)``)."""
    if type(result) is np.ndarray:
        kind = "ndarray"
    elif type(result) in scalars:
        kind = "numpy_scalar"
    elif type(result) in (float, int, bool):
        kind = type(result).__name__
    elif type(result) in (list, tuple):
        kind = type(result).__name__
    else:
        return {"ok": True, "invalid": "invalid_type", "detail": type(result).__name__}, []
    if kind in ("list", "tuple", "float", "int", "bool"):
        try:
            result = np.asarray(result)
        except Exception:
            return {"ok": True, "invalid": "invalid_not_numeric", "detail": kind}, []
    if result.dtype.str not in protocol.ALLOWED_DTYPES:
        return {"ok": True, "invalid": "invalid_dtype", "detail": str(result.dtype)}, []
    if result.nbytes > protocol.MAX_ANSWER_BYTES:  # the grader would refuse the frame
        return {"ok": True, "invalid": "invalid_size", "detail": str(result.nbytes)}, []
    chunks: list[bytes] = []
    value = protocol.encode_value(result, chunks, [0])
    modified = [i for i, (arg, before) in enumerate(zip(args, snapshots))
                if before is not None and not same_value(arg, before, np)]
    return {"ok": True, "kind": kind, "value": value, "modified": modified}, chunks


def same_value(arg, before, np) -> bool:
    try:
        if isinstance(before, np.ndarray):
            return (type(arg) is np.ndarray and arg.shape == before.shape
                    and arg.dtype == before.dtype and bool(np.array_equal(arg, before, equal_nan=True)))
        return arg == before
    except Exception:
        return False


def snapshot(arg, np):
    if isinstance(arg, np.ndarray):
        return arg.copy()
    if isinstance(arg, list):
        import copy
        return copy.deepcopy(arg)
    return None


def _fp_recorder() -> tuple[list[str], object]:
    """(the kinds raised, numpy's floating-point error callback that records each kind once:
    "overflow", "invalid", "divide")."""
    raised: list[str] = []

    def note_fp_error(kind: str, flag: int) -> None:
        word = FP_ERRORS.get(kind)
        if word and word not in raised:
            raised.append(word)
    return raised, note_fp_error


def _send(answers_fd: int, answer: dict, chunks: list, seq: object, submission: str, protocol) -> None:
    """One answer frame, numbered ``seq`` (the grader skips answers that do not repeat it)."""
    answer["seq"] = seq
    try:
        frame = protocol.pack(answer, chunks)
    except BaseException as exc:
        frame = protocol.pack({**_error_header(exc, submission), "seq": seq})
    protocol.write_frame(answers_fd, frame)


class _Outbox:
    """Answers to calls, written together while they are quick (protocol.GROUP_SECONDS).

    A write wakes the grader: one per answer cost each side ~30 µs of a ~50 µs call. An answer
    waits only while the calls buffered with it (its own included) began less than GROUP_SECONDS
    ago, and never while the worker waits for requests, so the grader's deadline for a call
    starts at most that much before the call does. Large answers go alone."""

    def __init__(self, fd: int, submission: str, protocol, grouping: bool):
        self.fd, self.submission, self.protocol, self.grouping = fd, submission, protocol, grouping
        self.headers: list[dict] = []
        self.chunks: list[bytes] = []
        self.size = 0
        self.since = 0.0  # when the first buffered answer's call began

    def add(self, answer: dict, chunks: list, seq: object, began: float) -> None:
        """Send ``answer`` (to the call numbered ``seq``, begun at ``began``) now or with the next."""
        answer["seq"] = seq
        size = sum(len(chunk) for chunk in chunks)
        if not self.grouping or size > self.protocol.ALONE_BYTES:
            self.flush()
            self._write([answer], chunks)
            return
        if not self.headers:
            self.since = began
        self._buffer(answer, chunks, size)
        if self.size >= self.protocol.GROUP_BYTES or time.monotonic() - self.since >= self.protocol.GROUP_SECONDS:
            self.flush()

    def _buffer(self, answer: dict, chunks: list, size: int) -> None:
        value = answer.get("value")
        if isinstance(value, dict) and value.get("t") == "array":
            value["offset"] += self.size
        self.headers.append(answer)
        self.chunks += chunks
        self.size += size

    def flush(self) -> None:
        if self.headers:
            headers, chunks = self.headers, self.chunks
            self.headers, self.chunks, self.size = [], [], 0
            self._write(headers, chunks)

    def _write(self, headers: list[dict], chunks: list) -> None:
        try:
            frame = self.protocol.pack({"answers": headers}, chunks)
        except BaseException as exc:  # as _send: each answer says why it could not be written
            frame = self.protocol.pack({"answers": [{**_error_header(exc, self.submission), "seq": h.get("seq")}
                                                    for h in headers]})
        self.protocol.write_frame(self.fd, frame)


def _call_watched(function, args: list, kwargs: dict, np, note_fp_error):
    """``function(*args, **kwargs)`` with numpy's floating-point errors reported to
    ``note_fp_error``: whatever np.seterr the submission set, they give inf/nan as by default,
    never an exception, and the kinds raised (the RuntimeWarnings numpy would print) go back with
    the answer as plain words: the stubs promise none, and the stability checks hold them to it."""
    with np.errstate(all="call", under="ignore", call=note_fp_error):
        return function(*args, **kwargs)


def serve(submission: str, requests_fd: int, answers_fd: int, arena_fd: int | None = None) -> None:
    import random
    import numpy as np
    import protocol

    modules: dict[str, types.ModuleType] = {}
    scalars = scalar_types(np)
    # numpy's warnings (overflow in exp...) are not graded; printed, they would fill the
    # student's output, and catching them around every call cost half of a small call
    warnings.simplefilter("ignore")
    # array arguments marked "shared" live in memory the grader reads after the call (it
    # judges "inputs not modified" itself): they are handed to the student as views of it;
    # its head (protocol.PROGRESS_BYTES) holds the number of the call running now
    arena = memoryview(mmap.mmap(arena_fd, 0)) if arena_fd is not None else None

    raised, note_fp_error = _fp_recorder()
    requests = protocol.FrameReader(requests_fd)
    outbox = _Outbox(answers_fd, submission, protocol, grouping=arena is not None)

    def argument(spec, payload):
        if isinstance(spec, dict) and spec.get("shared") is True and arena is not None:
            return protocol.decode_value(spec, arena, view=True)
        return protocol.decode_value(spec, payload)

    def run(function, call: dict, payload) -> tuple[dict, list[bytes]]:
        args = [argument(a, payload) for a in call["args"]]
        kwargs = {k: protocol.decode_value(v, payload) for k, v in call["kwargs"].items()}
        # arguments in shared memory are compared by the grader itself
        snapshots = [None if isinstance(spec, dict) and spec.get("shared") is True and arena is not None
                     else snapshot(a, np) for spec, a in zip(call["args"], args)]
        np.random.seed(0)
        random.seed(0)
        raised.clear()
        result = _call_watched(function, args, kwargs, np, note_fp_error)
        answer, chunks = answer_header(result, args, snapshots, np, protocol, scalars)
        if raised and answer.get("kind"):
            answer["warnings"] = list(raised)
        return answer, chunks

    while True:
        try:
            header, payload = requests.next(on_wait=outbox.flush)
        except EOFError:
            outbox.flush()
            return
        op = header.get("op")
        if op == "calls":
            for call in header.get("calls", ()):
                seq = call.get("seq") if isinstance(call, dict) else None
                if arena is not None and type(seq) is int and 0 <= seq < 1 << 63:
                    arena[:8] = seq.to_bytes(8, "little")
                began = time.monotonic()
                try:
                    answer, chunks = run(getattr(modules[header["module"]], call["function"]), call, payload)
                except BaseException as exc:  # the student's exception, SystemExit included
                    answer, chunks = _error_header(exc, submission), []
                outbox.add(answer, chunks, seq, began)
            continue
        outbox.flush()
        chunks: list[bytes] = []
        try:
            if op == "import":
                name = header["module"]
                functions = _load(submission, name)
                modules[name] = sys.modules[name]
                answer = {"ok": True, "functions": functions}
            else:
                return
        except BaseException as exc:  # the student's exception, SystemExit included
            answer = _error_header(exc, submission)
        _send(answers_fd, answer, chunks, header.get("seq"), submission, protocol)


def _options(argv: list[str]) -> dict[str, str | bool]:
    """``--name value`` and the flags ``--chroot`` and ``--lazy-imports`` (argparse costs 11 ms)."""
    flags = {"--chroot", "--lazy-imports"}
    options: dict[str, str | bool] = {}
    index = 0
    while index < len(argv):
        name = argv[index]
        if name in flags:
            options[name[2:]] = True
            index += 1
        elif name.startswith("--") and index + 1 < len(argv):
            options[name[2:]] = argv[index + 1]
            index += 2
        else:
            sys.stderr.write(f"worker: unexpected argument {name!r}\n")
            os._exit(2)
    for required in ("submission", "requests-fd", "answers-fd"):
        if required not in options:
            sys.stderr.write(f"worker: --{required} is required\n")
            os._exit(2)
    return options


def main() -> None:
    options = _options(sys.argv[1:])
    number = lambda name: int(options[name]) if name in options else None  # noqa: E731
    submission = str(options["submission"])
    chroot = bool(options.get("chroot"))
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    _prepare(options.get("site"), number("uid"), number("memory-mb") or 0,
             jail=submission if chroot else None, lazy_imports=bool(options.get("lazy-imports")))
    submission = "/" if chroot else submission
    sys.path.insert(0, submission)
    os.chdir(submission)
    sys.argv = [sys.argv[0]]
    serve(submission, number("requests-fd"), number("answers-fd"), number("arena-fd"))


if __name__ == "__main__":
    main()
