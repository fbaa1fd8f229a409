"""The kit's checks inside a notebook kernel: the student's self-check, nbgrader and otter.

``check("activations.sigmoid", sigmoid)`` grades a function defined in the running kernel with
the catalogue's checks (the public ones by default), prints a short pass/fail summary and
returns the points as a plain float: what an nbgrader test cell needs as its last value.
``run_check(function, check_name, sigmoid)`` runs one check and raises AssertionError with the
diagnosis when it fails: what an otter exception-based test case needs.

Both go through ``InProcessStudent``, an in-process stand-in for the sandboxed worker: every
argument and every result crosses the same fixed wire format (``sandbox.protocol``) and is
turned into the same ``Answer`` as in ``dlgrade grade``, the student's function runs with the
worker's forbidden-import policy, seeds and numpy error state, and a call that hangs is stopped
after the same deadline. So a function gets the same points here as in the sandbox.

This is a convenience, not a trust boundary: the checks run in the student's own kernel, where
the student's code could patch them. The trusted grade is ``dlgrade grade`` / ``dlgrade batch``
on the collected notebooks (the loader turns their code cells into modules).

Nothing here raises (except KeyboardInterrupt in ``check``) or writes to stderr: nbgrader scores
a test cell 0 when it errors or prints anything on stderr, warnings included.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import json
import os
import random
import signal
import sys
import tempfile
import threading
import traceback
import types
import warnings
from typing import Any, Callable, Iterator, Mapping

import numpy as np

from ..core.sandbox import protocol
from ..core.sandbox import worker as _worker
from ..core.sandbox.client import Answer, exception_message, to_answer

CALL_TIMEOUT = 2.0  # seconds per call, as ``engine.Settings.call_timeout``
OUTPUT_LIMIT = 8192
_FORBIDDEN = _worker.FORBIDDEN


# -- the student's functions, seen through the worker's rules -------------------------------------

class _CallTimeout(BaseException):
    """Raised in the student's function by the deadline alarm."""


def _forbidden(name: str | None) -> bool:
    return bool(name) and str(name).split(".")[0] in _FORBIDDEN


def _forbidden_stand_in(name: str) -> Callable:
    def stand_in(*args: Any, **kwargs: Any) -> Any:
        raise _worker.ForbiddenImport(name)  # worded by client.exception_message
    stand_in.__name__ = name.rpartition(".")[2] or name
    return stand_in


def _guarded_import(real_import: Callable) -> Callable:
    """``__import__`` as in the worker: forbidden packages import as stand-ins that fail on use."""
    def guarded(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and _forbidden(name):
            return _worker.ForbiddenModule(name.split(".")[0] if not fromlist else name)
        return real_import(name, globals, locals, fromlist, level)
    return guarded


def _as_worker_namespace(namespace: Mapping[str, Any], module: str) -> dict[str, Any]:
    """A copy of the notebook's namespace whose functions see what they would see in the worker.

    Modules and objects from forbidden packages (torch, scipy, sklearn, the kit itself...) are
    replaced by stand-ins that raise ForbiddenImport when used, ``import`` inside a function
    gets the same treatment, and every function defined in the notebook is rebound to the copy.
    """
    shadow: dict[str, Any] = {}
    base_builtins = namespace.get("__builtins__", builtins)
    base_builtins = vars(base_builtins) if isinstance(base_builtins, types.ModuleType) else base_builtins
    safe_builtins = dict(base_builtins)
    safe_builtins["__import__"] = _guarded_import(safe_builtins.get("__import__", builtins.__import__))
    for key, value in namespace.items():
        if type(value) is types.FunctionType and value.__globals__ is namespace:
            pass  # the notebook's own function: rebound below
        elif isinstance(value, types.ModuleType):
            if _forbidden(value.__name__):
                value = _worker.ForbiddenModule(value.__name__)
        elif isinstance(value, np.ufunc) and _foreign_ufunc(value):
            value = _forbidden_stand_in(f"{_foreign_ufunc(value)}.{value.__name__}")
        elif not isinstance(value, type) and _forbidden(getattr(value, "__module__", None)) \
                and callable(value):
            value = _forbidden_stand_in(f"{value.__module__}.{getattr(value, '__name__', key)}")
        elif isinstance(value, type) and _forbidden(getattr(value, "__module__", None)):
            value = _forbidden_stand_in(f"{value.__module__}.{value.__name__}")
        shadow[key] = value
    shadow["__builtins__"] = safe_builtins
    shadow["__name__"] = module
    rebound: dict[int, types.FunctionType] = {}
    for key, value in list(shadow.items()):
        if type(value) is types.FunctionType and value.__globals__ is namespace:
            shadow[key] = _rebind(value, shadow, rebound)
    return shadow


def _foreign_ufunc(ufunc: np.ufunc) -> str:
    """The forbidden module a ufunc comes from (scipy.special's have no __module__), or ''."""
    if getattr(np, ufunc.__name__, None) is ufunc:
        return ""
    for name, module in list(sys.modules.items()):
        if module is None or not _forbidden(name):
            continue
        try:
            if vars(module).get(ufunc.__name__) is ufunc:  # no __getattr__: no lazy import
                return name
        except TypeError:
            continue
    return ""


def _rebind(function: types.FunctionType, shadow: dict, rebound: dict) -> types.FunctionType:
    if id(function) not in rebound:
        copy = types.FunctionType(function.__code__, shadow, function.__name__,
                                  function.__defaults__, function.__closure__)
        copy.__kwdefaults__ = function.__kwdefaults__
        copy.__dict__.update(function.__dict__)
        copy.__qualname__ = function.__qualname__
        rebound[id(function)] = copy
    return rebound[id(function)]


class _Bounded(io.TextIOBase):
    """A text sink that keeps only the first characters written to it."""

    def __init__(self, limit: int = OUTPUT_LIMIT):
        self.kept: list[str] = []
        self.size = 0
        self.dropped = 0
        self.limit = limit

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        text = str(text)
        room = max(self.limit - self.size, 0)
        self.kept.append(text[:room])
        self.size += min(len(text), room)
        self.dropped += max(len(text) - room, 0)
        return len(text)

    def text(self) -> str:
        return "".join(self.kept)


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise _CallTimeout in this thread after ``seconds`` (main thread only; else no limit)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def alarm(signum, frame):
        raise _CallTimeout()

    try:
        previous = signal.signal(signal.SIGALRM, alarm)
    except (ValueError, OSError):
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)  # repeats if the student swallows it
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _roundtrip(header: dict, chunks: list[bytes]) -> tuple[dict, memoryview]:
    """What the other side of the pipe would read: JSON header, raw payload bytes."""
    text = json.dumps(header, default=protocol._json_default, allow_nan=False)
    return json.loads(text), memoryview(b"".join(chunks))


class InProcessStudent:
    """The checks' view of functions living in this process (a notebook kernel).

    ``call`` answers exactly what a sandbox worker would: arguments and results cross the wire
    format, results are validated into an ``Answer``, in-place changes to arguments are
    reported, and a call that runs past ``call_timeout`` is a fault, remembered per function.
    """

    def __init__(self, namespace: Mapping[str, Any], module: str,
                 overrides: Mapping[str, Callable] | None = None,
                 call_timeout: float = CALL_TIMEOUT):
        self.module = module
        self.namespace = _as_worker_namespace(namespace, module)
        for name, function in (overrides or {}).items():
            if type(function) is types.FunctionType and function.__globals__ is namespace:
                function = _rebind(function, self.namespace, {})
            self.namespace[name] = function
        self.call_timeout = call_timeout
        self.faults: dict[str, Answer] = {}
        self.output = _Bounded()

    def has(self, function: str) -> bool:
        return callable(self.namespace.get(function)) and not function.startswith("_")

    def call(self, function: str, *args: Any, **kwargs: Any) -> Answer:
        if function in self.faults:
            return self.faults[function]
        target = self.namespace.get(function)
        if not callable(target):
            from ..core.messages import say
            return Answer("error", message=exception_message(
                "AttributeError", say("no_such_function", module=self.module, function=function)))
        try:
            header = {"args": [], "kwargs": {}}
            chunks: list[bytes] = []
            offset = [0]
            header["args"] = [protocol.encode_value(a, chunks, offset) for a in args]
            header["kwargs"] = {k: protocol.encode_value(v, chunks, offset) for k, v in kwargs.items()}
            request, payload = _roundtrip(header, chunks)
            args = tuple(protocol.decode_value(a, payload) for a in request["args"])
            kwargs = {k: protocol.decode_value(v, payload) for k, v in request["kwargs"].items()}
        except (protocol.ProtocolError, TypeError, ValueError) as exc:  # a defect of the check
            from ..core.messages import say
            return Answer("invalid", message=say("args_not_sent", reason=exc))
        snapshots = [_worker.snapshot(a, np) for a in args]
        reply: dict
        answer_chunks: list[bytes] = []
        try:
            np.random.seed(0)
            random.seed(0)
            with warnings.catch_warnings(record=True) as caught, \
                    contextlib.redirect_stdout(self.output), contextlib.redirect_stderr(self.output):
                warnings.simplefilter("always")
                with np.errstate(all="warn"), _deadline(self.call_timeout):
                    result = target(*args, **kwargs)
            reply, answer_chunks = _worker.answer_header(result, list(args), snapshots, np, protocol,
                                                         _worker.scalar_types(np))
            reply["warnings"] = sorted({str(w.message)[:120] for w in caught})[:5]
            reply, answer_payload = _roundtrip(reply, answer_chunks)
        except _CallTimeout:
            answer = Answer("timeout")
            self.faults[function] = answer
            return answer
        except KeyboardInterrupt:
            raise
        except RecursionError as exc:
            return Answer("error", message=exception_message("RecursionError", str(exc)[:600]))
        except BaseException as exc:  # the student's exception, SystemExit included
            return Answer("error", message=_describe_exception(exc))
        return to_answer(reply, answer_payload)


def _describe_exception(exc: BaseException) -> Any:
    """The student's exception in the tables' words, as the sandbox's worker reports it."""
    try:
        message: str | None = str(exc)
    except BaseException:
        message = None
    line = function = None
    try:
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if not f.filename.startswith(os.path.dirname(os.path.dirname(__file__)))]
        if frames:
            line, function = frames[-1].lineno, frames[-1].name
    except BaseException:
        pass
    return exception_message(type(exc).__name__, message, None, line, function)


# -- finding the exercise and the student's function ----------------------------------------------

def _context() -> Any:
    """The context of checks run in a kernel: the release's public bank where this package is a
    release's (the student's kernel), else the kit's catalogue and bank (an nbgrader or otter
    grading environment). The functions run in this process: no sandbox. The bank and its
    oracles are loaded once per kernel (``_kept``)."""
    from ..core.context import GradingContext
    from ..core.sandbox.isolation import Isolation
    from .selfcheck import PUBLIC_BANK, public_bank, release_language
    from .settings import kit_bank_folder, language

    if PUBLIC_BANK.is_file():
        def load_public() -> tuple:
            from ..core.checks.oracles import BankedOracles
            bank = public_bank()
            return bank, BankedOracles(bank)
        bank, oracles = _kept(PUBLIC_BANK, load_public)
        return GradingContext(Isolation("none"), bank, oracles, call_timeout=CALL_TIMEOUT,
                              language=language(default=release_language(bank)))

    def load_kit(path: Any) -> Callable[[], tuple]:
        def load() -> tuple:
            from ..core.bank import Bank
            from ..core.checks.oracles import KitOracles
            bank = Bank(path)
            return bank, KitOracles(bank)
        return load

    folder = kit_bank_folder()
    path = None if folder is None else _kit_bank_path(folder)
    bank, oracles = _kept(path, load_kit(path))
    return GradingContext(Isolation("none"), bank, oracles, call_timeout=CALL_TIMEOUT, language=language())


# The bank and its oracles, kept for the kernel's life: every otter test case (one per check) and
# every nbgrader test cell calls the checks anew in the same kernel, and loading the kit's bank
# (megabytes of banked examples) for each call cost far more than the checks themselves (an otter
# run of the activations notebook, 203 test cases: 94 s, against 17 s without a bank).
_KEPT: dict[tuple, tuple] = {}
_FINGERPRINT: list[str] = []


def _kit_bank_path(folder: Any) -> Any:
    """The kit's bank file in ``folder``; the kit's fingerprint is computed once per process
    (the code this kernel runs is the code it imported)."""
    from ..core.bank import fingerprint, path_in

    if not _FINGERPRINT:
        _FINGERPRINT.append(fingerprint())
    return path_in(folder, _FINGERPRINT[0])


def _kept(path: Any, load: Callable[[], tuple]) -> tuple:
    """``load()`` (a bank and its oracles) for the bank file at ``path``, loaded again only when
    the file changes (another path, or the file rewritten: its time, size or inode) or the first
    time. What the checks learn in memory (generated examples, expected values) is kept with it:
    the bank replays them as it would after a save, with the same results (core/bank.py)."""
    version = None
    if path is not None:
        try:
            stat = os.stat(path)
            version = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        except OSError:
            pass
    key = (str(path), version)
    if key not in _KEPT:
        _KEPT.clear()
        _KEPT[key] = load()
    return _KEPT[key]


def _exercises(context: Any) -> tuple:
    from .selfcheck import released
    if released():
        from ..core.bank import public_checks
        return public_checks(context.bank)
    from ..core.checks import catalogue
    return catalogue()


def _exercise(function_name: str, context: Any):
    wanted = str(function_name)
    matches = [e for e in _exercises(context) if e.function == wanted or e.name == wanted]
    return matches[0] if len(matches) == 1 else None


def _student_for(exercise, namespace_or_function: Any) -> tuple[InProcessStudent | None, str]:
    """The in-process student for ``exercise``, or None and why the function is missing."""
    name = exercise.name
    overrides: dict[str, Callable] = {}
    if isinstance(namespace_or_function, types.ModuleType):
        namespace = vars(namespace_or_function)
    elif isinstance(namespace_or_function, Mapping):
        namespace = namespace_or_function
    elif callable(namespace_or_function):
        function = namespace_or_function
        namespace = getattr(function, "__globals__", None)
        if not isinstance(namespace, dict):
            namespace = {}
        overrides[name] = function
    else:
        namespace = {}
    student = InProcessStudent(namespace, exercise.module, overrides)
    if not student.has(name):
        from ..core.messages import say
        return None, say("missing_function", function=name, module=exercise.module)
    return student, ""


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """No warning and nothing on stderr (Python or C level) while the checks run."""
    saved_fd = None
    sink = None
    try:
        sys.stderr.flush()
    except Exception:
        pass
    try:
        sink = tempfile.TemporaryFile()
        saved_fd = os.dup(2)
        os.dup2(sink.fileno(), 2)
    except (OSError, ValueError, AttributeError):
        saved_fd = None
    try:
        with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            yield
    finally:
        if saved_fd is not None:
            os.dup2(saved_fd, 2)
            os.close(saved_fd)
        if sink is not None:
            sink.close()


def _kit_defect(what: str, exc: BaseException) -> str:
    """A defect of the kit, said in the reports' language (English if even that fails)."""
    try:
        from .settings import language
        chosen = language()
    except BaseException:
        chosen = "en"
    return _say("notebook_kit_defect", chosen, function=what, error=f"{type(exc).__name__}: {exc}")


def _say(key: str, language: str, **values: Any) -> str:
    from ..core.messages import say
    return say(key, **values).text(language)


# -- the two entry points ----------------------------------------------------------------------

def check(function_name: str, namespace_or_function: Any = None, public_only: bool = True) -> float:
    """Grade one function of the running notebook; print a summary; return its points.

    ``function_name`` is ``"module.function"`` (``"activations.sigmoid"``) or just the function's
    name; ``namespace_or_function`` is the function itself (its notebook globals supply the
    other functions it is checked with, e.g. ``sigmoid`` for ``sigmoid_grad``), or a namespace
    (``globals()``, a module). Returns a plain float in [0, the checks' total points].
    """
    try:
        with _quiet():
            return _check(function_name, namespace_or_function, public_only)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # never let a kit defect become a cell error
        print(_kit_defect(function_name, exc))
        return 0.0


def _results(exercise: Any, student: Any, context: Any, public_only: bool) -> list:
    """The engine's results for the checks of ``exercise`` the policy runs."""
    from ..core.engine import grade_exercise, plan

    chosen = plan([exercise], context.with_(public_only=public_only)).exercises
    return grade_exercise(chosen[0], student, context) if chosen else []


def _check(function_name: str, namespace_or_function: Any, public_only: bool) -> float:
    context = _context()
    language = context.language
    exercise = _exercise(function_name, context)
    if exercise is None:
        print(_say("notebook_unknown", language, function=function_name))
        return 0.0
    student, missing = _student_for(exercise, namespace_or_function)
    results = _results(exercise, student, context, public_only) if student is not None else []
    most = round(sum(c.points for c in exercise.checks if not public_only or c.visibility == "public"), 4)
    if not most:
        print(_say("notebook_no_checks", language, function=exercise.function))
        return 0.0
    score = float(min(max(round(sum(r.score for r in results), 4), 0.0), most))
    kind = _say("notebook_public" if public_only else "notebook_all", language)
    print(_say("notebook_score", language, mark="✓" if score >= most else "✗", function=exercise.function,
               score=f"{score:g}", max=f"{most:g}", kind=kind))
    if student is None:
        print(f"    {missing.text(language)}")
        return 0.0
    _print_failures(results, student, score, most, language)
    return score


def _print_failures(results: list, student: Any, score: float, most: float, language: str) -> None:
    from ..core.messages import render, title

    failed = [r for r in results if not r.passed]
    if not failed:
        return
    if score == 0 and all(r.output is not None and r.output.key == "not_implemented" for r in failed):
        print(f"    {render(failed[0].output, language)}")
        return
    shown: set[str] = set()
    hints: list[str] = []
    for r in results:
        print("  " + _say("notebook_check_line", language, mark="✓" if r.passed else "✗", check=title(r.check),
                          points=f"{r.max_score:g}"))
        if r.passed:
            continue
        detail = render(r.output, language)
        if detail in shown:
            print("      " + _say("notebook_same_problem", language))
        elif detail:
            shown.add(detail)
            print(f"      {_shorten(detail)}")
        hint = render(r.hint, language)
        if hint and hint not in hints:
            hints.append(hint)
    for hint in hints:
        print("  " + _say("hint_label", language, hint=_shorten(hint)))
    if student.output.text():
        print("    " + _say("notebook_printed", language, count=student.output.size + student.output.dropped))


def _shorten(text: str, limit: int = 400) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + " ..."


def run_check(function_name: str, check_name: str, namespace_or_function: Any = None) -> None:
    """Run one check of the catalogue on a notebook function; AssertionError when it fails.

    For otter's exception-based tests: the assertion message carries the diagnosis (the failing
    call, expected and received values, the hint), since otter shows nothing else.
    """
    try:
        with _quiet():
            problem = _run_check(function_name, check_name, namespace_or_function)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:
        problem = _kit_defect(f"{function_name}: {check_name!r}", exc)
    if problem:
        raise AssertionError(problem)


def _run_check(function_name: str, check_name: str, namespace_or_function: Any) -> str:
    from ..core.checks.records import Exercise
    from ..core.engine import grade_exercise
    from ..core.messages import title
    from ..core.report import failure_text

    context = _context()
    language = context.language
    exercise = _exercise(function_name, context)
    if exercise is None:
        return _say("notebook_unknown", language, function=function_name)
    matches = [c for c in exercise.checks if c.name == check_name]
    if len(matches) != 1:
        return _say("notebook_no_such_check", language, function=exercise.function, check=check_name)
    if namespace_or_function is None:
        return _say("missing_function", language, function=exercise.name, module=exercise.module)
    student, missing = _student_for(exercise, namespace_or_function)
    if student is None:
        return missing.text(language)
    result = grade_exercise(Exercise(exercise.function, (matches[0],)), student, context)[0]
    if result.passed:
        return ""
    return f"{exercise.function}: {title(check_name).text(language)}: {failure_text(result, language)}"


def points(function_name: str, public_only: bool = False) -> float:
    """The total points of a function's checks (all of them, or the public ones)."""
    exercise = _exercise(function_name, _context())
    if exercise is None:
        return 0.0
    return float(round(sum(c.points for c in exercise.checks if not public_only or c.visibility == "public"), 4))


__all__ = ["check", "run_check", "points", "InProcessStudent", "CALL_TIMEOUT"]
