"""Every sentence the kit says, as data until it is shown: ``Message`` and the language tables.

A check does not format text: it returns ``say(key, **values)``, a ``Message`` that keeps its key
and values (text from a submission stays a value, never a template). The report is rendered in
a language only when it is shown (``Message.text(language)``), so one graded record can become
the student's Portuguese page and the instructor's English report. A check's title is a message
too (``title(Check.name)``): the name stays the stable identifier, the title is what is shown.
``tests/test_i18n.py`` fails when a key lacks a language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .i18n import CATALOGUES, EN, LANGUAGES, language_of, title_parts  # noqa: F401  (re-exported)
from .text import line


@dataclass(frozen=True)
class Message:
    """A catalogue key and its values (strings, numbers, or other messages)."""

    key: str
    values: tuple[tuple[str, Any], ...] = ()

    def text(self, language: str = "en") -> str:
        table = CATALOGUES.get(language, EN)
        template = table.get(self.key) or EN.get(self.key)
        if template is None:
            return f"[{self.key}]"
        # a plain value may be a submission's text (a file name, an exception message): data,
        # shown as one line with its control characters escaped (core/text.py)
        return template.format(**{k: v.text(language) if isinstance(v, Message) else line(v)
                                  for k, v in self.values})

    def __str__(self) -> str:
        return self.text("en")

    def __contains__(self, text: str) -> bool:  # "NotImplementedError" in outcome.detail
        return text in self.text("en")

    def to_json(self) -> dict:
        return {"key": self.key, "values": {k: _value_json(v) for k, v in self.values}}


def say(key: str, **values: Any) -> Message:
    """The message ``key`` with ``values`` (kept as given: messages, or text for the rest)."""
    return Message(key, tuple((k, v if isinstance(v, Message) else str(v)) for k, v in values.items()))


def title(name: str) -> Message:
    """The check title of ``name`` (a check's stable English name), to render in any language."""
    key, values = title_parts(name)
    return Message(key, tuple(values.items()))


def render(value: Any, language: str = "en") -> str:
    """Text of a message, or of a plain value, in ``language``."""
    if isinstance(value, Message):
        return value.text(language)
    return "" if value is None else str(value)


def _value_json(value: Any) -> Any:
    return value.to_json() if isinstance(value, Message) else value


def from_json(data: Any) -> Message | str:
    """A message written by ``to_json`` (plain text stays text)."""
    if isinstance(data, dict) and isinstance(data.get("key"), str):
        values = data.get("values") if isinstance(data.get("values"), dict) else {}
        return Message(data["key"], tuple((str(k), from_json(v)) for k, v in values.items()))
    return "" if data is None else str(data)
