"""Command-line parsers that speak the user's language, argparse's own words included.

argparse writes "usage:", its section titles and the ``-h`` help in English; a parser of
``parser_class(language)`` takes them from the message tables (its error messages stay
argparse's). Used by ``dlgrade`` and by the self-check (``check.py`` in a release).
"""

from __future__ import annotations

import argparse
from typing import Any

from ..core.messages import say


def parser_class(language: str) -> type:
    """An ArgumentParser class whose usage prefix, section titles and ``-h`` are in ``language``
    (its subcommands' parsers are of the same class)."""

    def text(key: str) -> str:
        return say(key).text(language)

    class Formatter(argparse.HelpFormatter):
        def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
            super().add_usage(usage, actions, groups, text("cli_usage") if prefix is None else prefix)

    class Parser(argparse.ArgumentParser):
        def __init__(self, *args: Any, **kwargs: Any):
            kwargs.update(add_help=False, formatter_class=Formatter)
            super().__init__(*args, **kwargs)
            self._positionals.title = text("cli_positionals")
            self._optionals.title = text("cli_options")
            self.add_argument("-h", "--help", action="help", help=text("cli_help"))

    return Parser
