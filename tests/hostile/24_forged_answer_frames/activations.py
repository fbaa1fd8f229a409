
# --- HOSTILE (appended to the correct solution): write forged frames on the answer channel --
# --- (a 256 MiB payload, a non-numeric dtype; see losses.py for the import-time one) -------
import os as _os
import struct as _struct


def _answers_fd():
    try:
        with open("/proc/self/cmdline", "rb") as handle:
            argv = handle.read().split(b"\0")
        return int(argv[argv.index(b"--answers-fd") + 1])
    except (OSError, ValueError, IndexError):
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
