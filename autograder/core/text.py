"""Text a submission controls, made safe for each rendering: data, never markup, layout or code.

A submission controls file names, exception messages, printed output and notebook fields. In a
report they are data: ``line`` shows one as a single line whose every control character,
line break, bidirectional override and lone surrogate is written as a visible escape (``\\n``,
``\\x1b``, ``\\udcff``), so it cannot move the cursor, clear a terminal, forge a ``Total:`` line,
reorder what is shown around it, or make a UTF-8 file (results.json, the gradebook) unwritable;
``block`` keeps the lines of printed output but prefixes each, so none can pass for the kit's;
``csv_cell`` also keeps a spreadsheet from reading a cell as a formula. Rich markup is never
interpreted in the first place (every renderer prints submission text with markup off).
Rendering: ``Message.text`` passes every plain value of a message through ``line``.
"""

from __future__ import annotations

import re

# control characters (C0, DEL, C1), line and paragraph separators, bidirectional controls,
# lone surrogates, the byte-order mark and the other invisible format characters
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2060-\u206f"
                     r"\ufeff\ufff9-\ufffb\ud800-\udfff]")
OUTPUT_PREFIX = "| "  # the first characters of every line a submission printed, in a report
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def line(text: object) -> str:
    """``text`` as one line of visible characters: unsafe code points escaped (see the module)."""
    return _UNSAFE.sub(_escape, str(text))


def block(text: object, prefix: str = OUTPUT_PREFIX) -> str:
    """Several lines of submission text (printed output): each line made safe by ``line`` and
    prefixed, so that no line of it can pass for one of the report's own."""
    return "\n".join(prefix + line(part) for part in str(text).split("\n"))


def csv_cell(value: object) -> str:
    """A gradebook cell: ``line``, and a leading ``'`` where a spreadsheet would see a formula
    (a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return)."""
    text = line(value)
    if text.startswith(FORMULA_STARTS) and not is_number(text):
        return "'" + text
    return text


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def json_safe(value: object) -> object:
    """``value`` (a results.json's data) with every lone surrogate of its strings escaped: what
    is left is always writable as UTF-8 (a last guard behind ``line``)."""
    if isinstance(value, str):
        return _SURROGATE.sub(_escape, value)
    if isinstance(value, dict):
        return {json_safe(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def is_safe_line(text: str) -> bool:
    """True when ``text`` has nothing ``line`` would escape (used by the tests)."""
    return not _UNSAFE.search(text)
