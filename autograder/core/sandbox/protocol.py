"""The fixed wire format between the grader and a worker: JSON headers and raw array bytes.

A frame is ``MAGIC | u32 header length | u64 payload length | header (UTF-8 JSON) | payload``.
Arrays travel as ``{"t": "array", "dtype": "<f8", "shape": [..], "offset": k, "nbytes": n}``
pointing into the payload; Python scalars, lists, strings and None travel as JSON values
``{"t": "py", "v": ...}``. Nothing is ever pickled or evaluated: the grader decodes only
numeric dtypes from a whitelist, with a bounded size, so a worker's answer is data and
nothing more. This module imports only the standard library and numpy, because the worker
runs it too.
"""

from __future__ import annotations

import json
import math
import os
import select
import struct
import time
from typing import Any

import numpy as np

MAGIC = b"DLG1"
_PREFIX = struct.Struct("<4sIQ")
MAX_HEADER_BYTES = 1 << 20
MAX_PAYLOAD_BYTES = 256 << 20
# what a worker's answer may carry: checks compare small arrays, and a worker that announces
# 256 MiB made the grader hold ~512 MiB (Gradescope gives 768 MB in all; hostile corpus)
MAX_ANSWER_BYTES = 32 << 20

# dtypes a worker may send back: booleans, integers and real floats, little-endian or bytes.
ALLOWED_DTYPES = frozenset(
    np.dtype(code).str
    for code in ("?", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8")
)


# Calls travel in batches ({"op": "calls", "calls": [...]}, one frame) and their answers in
# groups ({"answers": [...]}): the worker holds an answer back only while the calls held with it
# began less than GROUP_SECONDS ago (so a call's deadline, counted by the grader from the
# previous answer, starts at most that much early), up to GROUP_BYTES; an answer larger than
# ALONE_BYTES goes alone. The first PROGRESS_BYTES of the shared arena hold the number of the
# call the worker is running (u64, little-endian): a hang or a crash is charged to that call.
GROUP_SECONDS = 0.002
GROUP_BYTES = 1 << 20
ALONE_BYTES = 64 << 10
PROGRESS_BYTES = 64
MAX_GROUP = 100_000


class ProtocolError(Exception):
    """A frame that does not follow the format (truncated, oversized, wrong dtype...)."""


def _json_default(value: Any) -> Any:
    raise TypeError(f"cannot encode {type(value).__name__}")


def encode_value(value: Any, chunks: list[bytes], offset: list[int]) -> dict:
    """Describe one argument or result; array bytes are appended to ``chunks``."""
    if type(value) is np.ndarray or isinstance(value, np.generic):
        array = np.asarray(value)
        if array.dtype.str not in ALLOWED_DTYPES:
            raise ProtocolError(f"dtype {array.dtype} cannot be sent")
        data = array.tobytes()
        spec = {"t": "array", "dtype": array.dtype.str, "shape": list(array.shape),
                "offset": offset[0], "nbytes": len(data),
                "scalar": isinstance(value, np.generic)}
        chunks.append(data)
        offset[0] += len(data)
        return spec
    if type(value) is tuple:  # a tuple argument arrives as a tuple (array_like includes tuples)
        return {"t": "py", "v": _plain(value), "tuple": True}
    return {"t": "py", "v": _plain(value)}


def _plain(value: Any) -> Any:
    """Python scalars, strings, None and (nested) lists/tuples of them, as JSON."""
    if value is None or type(value) in (bool, int, str):
        return value
    if type(value) is float:
        return value if math.isfinite(value) else {"float": repr(value)}
    if type(value) in (list, tuple):
        return [_plain(v) for v in value]
    raise ProtocolError(f"cannot encode {type(value).__name__}")


def _unplain(value: Any) -> Any:
    if isinstance(value, dict):
        return float(value["float"])
    if isinstance(value, list):
        return [_unplain(v) for v in value]
    return value


def decode_value(spec: dict, payload: memoryview, view: bool = False) -> Any:
    """Rebuild a value from its description; arrays are validated copies, never views
    (except with ``view``: the worker's arguments in memory shared with the grader)."""
    if not isinstance(spec, dict):
        raise ProtocolError("value description is not an object")
    if spec.get("t") == "py":
        value = _unplain(spec.get("v"))
        return tuple(value) if spec.get("tuple") is True and isinstance(value, list) else value
    if spec.get("t") != "array":
        raise ProtocolError("unknown value kind")
    dtype_str, shape = spec.get("dtype"), spec.get("shape")
    offset, nbytes = spec.get("offset"), spec.get("nbytes")
    if dtype_str not in ALLOWED_DTYPES:
        raise ProtocolError(f"dtype {dtype_str!r} is not a plain numeric dtype")
    if not (isinstance(shape, list) and len(shape) <= 32
            and all(type(n) is int and 0 <= n for n in shape)):
        raise ProtocolError("bad shape")
    if not (type(offset) is int and type(nbytes) is int and 0 <= offset
            and offset + nbytes <= len(payload)):
        raise ProtocolError("array bytes out of range")
    dtype = np.dtype(dtype_str)
    if math.prod(shape) * dtype.itemsize != nbytes:
        raise ProtocolError("shape and byte count disagree")
    array = np.frombuffer(payload[offset:offset + nbytes], dtype=dtype).reshape(shape)
    if not view:
        array = array.copy()
    return array[()] if spec.get("scalar") is True and array.ndim == 0 else array


def pack(header: dict, chunks: list[bytes] = ()) -> bytes:
    """One frame: header and the concatenated payload chunks."""
    head = json.dumps(header, default=_json_default, allow_nan=False).encode()
    payload = b"".join(chunks)
    return _PREFIX.pack(MAGIC, len(head), len(payload)) + head + payload


def pack_text(head: str, chunks: list[bytes] = ()) -> bytes:
    """One frame from a header already written as JSON text."""
    data, payload = head.encode(), b"".join(chunks)
    return _PREFIX.pack(MAGIC, len(data), len(payload)) + data + payload


class Timeout(Exception):
    """The peer did not answer before the deadline."""


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes:
    parts, remaining = [], size
    while remaining:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise Timeout("no answer before the deadline")
        part = os.read(fd, min(remaining, 1 << 20))
        if not part:
            raise EOFError("peer closed the channel")
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


def read_frame(fd: int, deadline: float | None = None,
               max_payload: int = MAX_PAYLOAD_BYTES,
               max_header: int = MAX_HEADER_BYTES) -> tuple[dict, memoryview]:
    """Read one frame (by ``deadline``, a time.monotonic() value); reject anything malformed.

    ``max_payload`` bounds what is read at all (the grader reads answers with
    MAX_ANSWER_BYTES); ``max_header`` is raised only for the grader's own files (the bank)."""
    magic, head_len, payload_len = _PREFIX.unpack(_read_exact(fd, _PREFIX.size, deadline))
    if magic != MAGIC:
        raise ProtocolError("bad frame marker")
    if head_len > max_header or payload_len > min(max_payload, MAX_PAYLOAD_BYTES):
        raise ProtocolError("frame too large")
    try:
        header = json.loads(_read_exact(fd, head_len, deadline))
    except (ValueError, RecursionError) as exc:
        # ValueError: bad UTF-8 or JSON; RecursionError: '[[[[...' deeper than the parser's
        # stack, which escaped from the grader's first exchange with a worker and ended the
        # whole grading without a report (hostile corpus)
        raise ProtocolError(f"header is not JSON: {type(exc).__name__}") from None
    if not isinstance(header, dict):
        raise ProtocolError("header is not an object")
    return header, memoryview(_read_exact(fd, payload_len, deadline))


def take_frame(buffer: bytearray, max_payload: int = MAX_PAYLOAD_BYTES) -> tuple[dict, memoryview] | None:
    """The first whole frame of ``buffer``, removed from it; None while it is incomplete.

    The same checks as ``read_frame``: bytes that cannot be a frame raise ProtocolError."""
    if len(buffer) < _PREFIX.size:
        return None
    magic, head_len, payload_len = _PREFIX.unpack_from(buffer)
    if magic != MAGIC:
        raise ProtocolError("bad frame marker")
    if head_len > MAX_HEADER_BYTES or payload_len > min(max_payload, MAX_PAYLOAD_BYTES):
        raise ProtocolError("frame too large")
    end = _PREFIX.size + head_len + payload_len
    if len(buffer) < end:
        return None
    try:
        header = json.loads(bytes(buffer[_PREFIX.size:_PREFIX.size + head_len]))
    except (ValueError, RecursionError) as exc:
        raise ProtocolError(f"header is not JSON: {type(exc).__name__}") from None
    payload = memoryview(bytes(buffer[_PREFIX.size + head_len:end]))
    del buffer[:end]
    if not isinstance(header, dict):
        raise ProtocolError("header is not an object")
    return header, payload


class FrameReader:
    """Frames from ``fd``, read in large pieces: one read for all the frames already there
    (three reads per frame, as ``read_frame`` does, cost a worker ~10 % of a small call)."""

    def __init__(self, fd: int, max_payload: int = MAX_PAYLOAD_BYTES):
        self.fd, self.max_payload = fd, max_payload
        self.buffer = bytearray()

    def next(self, on_wait=None) -> tuple[dict, memoryview]:
        """The next frame (``on_wait()`` first if it has to be waited for); EOFError when the
        peer closed the channel between frames."""
        while True:
            frame = take_frame(self.buffer, self.max_payload)
            if frame is not None:
                return frame
            if on_wait is not None:
                on_wait()
            data = os.read(self.fd, 1 << 20)
            if not data:
                raise EOFError("peer closed the channel")
            self.buffer += data


def write_frame(fd: int, frame: bytes) -> None:
    view = memoryview(frame)
    while view:
        view = view[os.write(fd, view):]
