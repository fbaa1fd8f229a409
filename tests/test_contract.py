"""The contract registry (autograder/contract.py) is the one statement of the student API.

Every function in it must have a reference, a solution, a stub and a notebook text with its
signature, and checks in the catalogue; nothing outside it is graded. One test names, per
function, whatever is missing, so that adding a function shows its whole to-do list at once.
"""

from __future__ import annotations

import importlib
import inspect
import math

import pytest

from autograder.contract import FUNCTIONS, MODULES, REQUIRED, Function
from autograder.core.checks import catalogue
from autograder.fronts.assign import MissingText, function_text
from helpers import ROOT


def _expected_parameters(entry: Function) -> list[tuple[str, object]]:
    return [(name, inspect.Parameter.empty) for name in entry.arguments] + \
        [(p.name, inspect.Parameter.empty if p.default is REQUIRED else p.default) for p in entry.params]


def _same_default(a: object, b: object) -> bool:
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


def _signature_problem(where: str, function: object, entry: Function) -> str:
    if function is None:
        return f"no {where}"
    found = [(p.name, p.default) for p in inspect.signature(function).parameters.values()]
    expected = _expected_parameters(entry)
    if [n for n, _ in found] != [n for n, _ in expected] or not all(
            _same_default(a, b) for (_, a), (_, b) in zip(found, expected)):
        return f"{where} has the signature ({', '.join(f'{n}={d!r}' for n, d in found)}), not {entry.signature()}"
    return ""


def _stub(module: str):
    spec = importlib.util.spec_from_file_location(f"stub_{module}", ROOT / "assignments" / f"{module}.py")
    stub = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stub)
    return stub


def missing_parts() -> dict[str, list[str]]:
    """``module.function`` -> what the kit lacks for it (empty when complete)."""
    checked = {e.function for e in catalogue() if e.checks}
    found: dict[str, list[str]] = {}
    for entry in FUNCTIONS:
        problems = []
        for where, package in (("reference", "reference"), ("solution", "solutions")):
            module = importlib.import_module(f"{package}.{entry.module}")
            problems.append(_signature_problem(where, getattr(module, entry.name, None), entry))
        problems.append(_signature_problem("stub", getattr(_stub(entry.module), entry.name, None), entry))
        try:
            function_text(entry.module, entry.name)
        except MissingText:
            problems.append("no notebook text")
        if entry.qualified not in checked:
            problems.append("no checks in the catalogue")
        found[entry.qualified] = [p for p in problems if p]
    return found


def test_every_contract_function_is_complete():
    incomplete = {f: p for f, p in missing_parts().items() if p}
    assert not incomplete, "\n".join(f"{f}: {'; '.join(p)}" for f, p in incomplete.items())


@pytest.mark.parametrize("module", MODULES)
def test_nothing_outside_the_contract(module):
    """The public functions of the reference, the solutions and the stubs are the contract's."""
    listed = {f.name for f in FUNCTIONS if f.module == module}
    for name, package in (("reference", importlib.import_module(f"reference.{module}")),
                          ("solutions", importlib.import_module(f"solutions.{module}")),
                          ("stub", _stub(module))):
        public = {n for n, v in vars(package).items() if inspect.isfunction(v) and not n.startswith("_")
                  and v.__module__ == package.__name__}
        assert public == listed, f"{name}/{module}.py: {sorted(public ^ listed)}"


def test_catalogue_grades_only_contract_functions():
    assert [e.function for e in catalogue()] == [f.qualified for f in FUNCTIONS]


def test_a_missing_part_is_named():
    """The completeness test can fail: an entry the kit has nothing for is reported in full."""
    import dataclasses

    ghost = dataclasses.replace(FUNCTIONS[0], name="gelu")
    assert _signature_problem("reference", getattr(importlib.import_module("reference.activations"), "gelu", None),
                              ghost) == "no reference"
    with pytest.raises(MissingText):
        function_text("activations", "gelu")
