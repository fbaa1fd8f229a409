"""Shared set-up of the kit's test session.

The session grades with an example bank of its own (a fresh folder, removed at the end), never
the user's ``~/.cache/dlgrade``: what an earlier run left there cannot change a result here.
Subprocesses inherit it through ``DLGRADE_BANK_DIR``.
"""

from __future__ import annotations

import os
import shutil
import tempfile

_BANK_DIR: list[str] = []


def pytest_configure(config) -> None:
    folder = tempfile.mkdtemp(prefix="dlgrade-test-bank-")
    _BANK_DIR.append(folder)
    os.environ["DLGRADE_BANK_DIR"] = folder
    os.environ.pop("DLGRADE_BANK", None)


def pytest_unconfigure(config) -> None:
    for folder in _BANK_DIR:
        shutil.rmtree(folder, ignore_errors=True)
