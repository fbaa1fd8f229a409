"""``docs/contract.md``: the student API, written from the contract registry (``dlgrade assign``)."""

from __future__ import annotations

from pathlib import Path

from ..contract import BORDERS, ERRATA, MODULES, functions

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "docs" / "contract.md"
INTROS = {
    "activations": "Each activation `f` comes with `f_grad`, its derivative evaluated elementwise at the same input.",
    "losses": "`reduction` is `'mean'` (default), `'sum'` or `'none'`, as in PyTorch; `'none'` returns the "
              "elementwise (or per-sample) losses. Every `*_grad` returns d(loss)/d(input) with the shape of "
              "`input`, for the same `reduction`.",
    "metrics": "scikit-learn names, argument order and semantics (`sklearn.metrics`), on 1-D inputs.",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def module_table(module: str) -> str:
    """One module's section: its functions' signatures, formulas, counterparts and notes."""
    lines = [f"## {module}.py", "", INTROS[module], "",
             "| function | definition | counterpart | returns | notes |", "|---|---|---|---|---|"]
    for entry in functions(module):
        lines.append(f"| `{_cell(entry.signature())}` | {_cell(entry.formula)} | {_cell(entry.counterpart)} "
                     f"| {_cell(entry.returns)} | {_cell(entry.note)} |")
    return "\n".join(lines) + "\n"


def contract_markdown() -> str:
    """The whole of docs/contract.md."""
    errata = "\n".join(f"| {_cell(e.slide)} | {_cell(e.written)} | {_cell(e.correct)} |" for e in ERRATA)
    borders = "\n".join(f"| {_cell(b.case)} | {_cell(b.functions)} | {_cell(b.gets)} |" for b in BORDERS)
    template = TEMPLATE.read_text(encoding="utf-8")
    return (template.replace("{modules}", "\n".join(module_table(m) for m in MODULES))
            .replace("{errata}", errata).replace("{borders}", borders))
