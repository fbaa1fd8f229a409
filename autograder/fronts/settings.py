"""From the command line (and a few environment variables) to one ``GradingContext``.

This is the only place the kit reads its environment. Each variable maps onto one field of the
context, or onto one front's option:

| variable | what it sets | default |
|---|---|---|
| ``DLGRADE_ISOLATION`` | force an isolation level (``bubblewrap``, ``uid``, ``none``): tests, benchmarks | the strongest the machine offers |
| ``DLGRADE_TEMPLATE`` | ``off``: one bubblewrap per worker instead of forks of a worker template (``sandbox/template.py``) | on (bubblewrap level) |
| ``DLGRADE_BANK_DIR`` | the example bank's folder | ``~/.cache/dlgrade``; in a Gradescope tree ``ROOT/bank`` (built by setup.sh) |
| ``DLGRADE_BANK`` | ``off``: no example bank | on |
| ``DLGRADE_LANG`` | the language of reports and messages (``pt``, ``en``, ``pt_BR``...); not of written files | the course's (``course_language()``) |
| ``DLGRADE_HIDDEN_VISIBILITY`` | Gradescope: when hidden checks' results are shown | the zip's build-time setting |
| ``DLGRADE_BUDGET_SECONDS`` | Gradescope: one submission's time budget | the zip's build-time setting |
| ``DLGRADE_AUTOGRADER_ROOT`` | Gradescope: the ``/autograder`` tree (a test runs a simulated one) | ``/autograder`` |
| ``OPENBLAS_CORETYPE``, ``OPENBLAS_L2_SIZE`` | passed to the sandboxed workers (machine quirks numpy relies on) | unset |

(``DLGRADE_PYTHON`` is read by the Gradescope ``run_autograder`` shell script only, and
``DLGRADE_TORCH_WHEELS``, a folder holding torch's CPU wheel, by its ``setup.sh`` only.)

The course's language is ``COURSE_LANGUAGE`` below: the one place that says the course is taught
in Portuguese. Every front defaults to it: reports (``--lang``, else ``DLGRADE_LANG``, else this),
and the files the kit writes for students (``dlgrade assign``, ``release``, ``gradescope``:
``--lang``, else this). A release and a Gradescope zip remember the language they were written
in, and use it as their default (the public bank's ``release`` section, the zip's build-time
settings).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

from ..core.bank import Bank, path_in
from ..core.context import GradingContext
from ..core.i18n import language_of
from ..core.sandbox.isolation import PASSED_THROUGH, Limits, probe

COURSE_LANGUAGE = "pt"  # the course is taught in Portuguese (lecture.md): every front's default
VARIABLES = ("DLGRADE_ISOLATION", "DLGRADE_TEMPLATE", "DLGRADE_BANK_DIR", "DLGRADE_BANK", "DLGRADE_LANG", "DLGRADE_HIDDEN_VISIBILITY",
             "DLGRADE_BUDGET_SECONDS", "DLGRADE_AUTOGRADER_ROOT") + PASSED_THROUGH


def kit_bank(environ: Mapping[str, str] = os.environ) -> Bank:
    """The kit's example bank, where the environment says (or none with ``DLGRADE_BANK=off``)."""
    folder = kit_bank_folder(environ)
    return Bank(None) if folder is None else Bank(path_in(folder))


def kit_bank_folder(environ: Mapping[str, str] = os.environ) -> Path | None:
    """The folder of the kit's example bank (None with ``DLGRADE_BANK=off``)."""
    if environ.get("DLGRADE_BANK") == "off":
        return None
    return Path(environ.get("DLGRADE_BANK_DIR") or Path.home() / ".cache" / "dlgrade")


def gradescope_bank(root: Path, environ: Mapping[str, str] = os.environ) -> Bank:
    """The example bank of a Gradescope tree: ``DLGRADE_BANK_DIR``, else ``root/bank``, where
    setup.sh's warm-up wrote it when the image was built (none with ``DLGRADE_BANK=off``)."""
    if environ.get("DLGRADE_BANK") == "off":
        return Bank(None)
    return Bank(path_in(environ.get("DLGRADE_BANK_DIR") or Path(root) / "bank"))


def course_language() -> str:
    """The course's language (``COURSE_LANGUAGE``)."""
    return COURSE_LANGUAGE


def language(option: str | None = None, environ: Mapping[str, str] = os.environ, default: str | None = None) -> str:
    """Reports and messages: ``--lang``, else ``DLGRADE_LANG``, else ``default`` (a release's or
    a Gradescope zip's own language), else the course's (UnknownLanguage when unknown)."""
    return language_of(option or environ.get("DLGRADE_LANG") or default, default=course_language())


def files_language(option: str | None = None) -> str:
    """Files written for students (assignments, a release, a zip): ``--lang``, else the course's."""
    return language_of(option, default=course_language())


def message_language(argv: list[str], environ: Mapping[str, str] = os.environ, default: str | None = None) -> str:
    """The language of a command's messages and help, from its ``--lang`` before the command line
    is parsed, else as ``language`` (UnknownLanguage for an unknown one)."""
    option = None
    for index, argument in enumerate(argv):
        if argument == "--lang" and index + 1 < len(argv):
            option = argv[index + 1]
        elif argument.startswith("--lang="):
            option = argument.split("=", 1)[1]
    return language(option, environ, default)


def context(*, public_only: bool = False, budget_seconds: float | None = None, call_timeout: float | None = None,
            import_timeout: float | None = None, limits: Limits | None = None, slot: int = 0,
            language_option: str | None = None, bank: Bank | None = None, oracles: Any = None,
            environ: Mapping[str, str] = os.environ, default_language: str | None = None) -> GradingContext:
    """The grading context of a kit front: the machine's isolation, the kit's bank and oracles."""
    from ..core.checks.oracles import KitOracles

    bank = bank if bank is not None else kit_bank(environ)
    fields: dict[str, Any] = {"public_only": public_only, "slot": slot}
    for name, value in (("budget_seconds", budget_seconds), ("call_timeout", call_timeout),
                        ("import_timeout", import_timeout), ("limits", limits)):
        if value is not None:
            fields[name] = value
    return GradingContext(isolation=probe(environ.get("DLGRADE_ISOLATION"),
                                          template=environ.get("DLGRADE_TEMPLATE", "on") != "off"), bank=bank,
                          oracles=oracles if oracles is not None else KitOracles(bank),
                          language=language(language_option, environ, default_language),
                          environment=tuple((k, environ[k]) for k in PASSED_THROUGH if k in environ), **fields)


def kit_plan(ctx: GradingContext):
    """The plan of the kit's own catalogue under ``ctx``'s visibility policy."""
    from ..core.checks import catalogue
    from ..core.engine import plan

    return plan(catalogue(), ctx)
