"""``dlgrade assign``: write assignments/ from solutions/, byte for byte the same every time.

From each ``solutions/<module>.py`` (whose function bodies are wrapped in ``### BEGIN SOLUTION``
/ ``### END SOLUTION`` lines) this writes:

- ``assignments/<module>.py``: the student stub, every marked region replaced by
  ``raise NotImplementedError("<function>: implemente ...")`` at the region's indentation;
  signatures, imports and provided helpers kept verbatim, docstrings in the language written;
- ``assignments/notebooks/<module>.ipynb``: the student notebook (text from the lecture with the
  slides' errata corrected, a stub cell per function, a public-check cell after each graded
  one), gradable by ``dlgrade grade`` like the .py modules;
- ``assignments/nbgrader/source/<ASSIGNMENT>/<module>.ipynb`` and
  ``assignments/nbgrader/nbgrader_config.py``: nbgrader source notebooks whose test cells call
  the kit's checks (``autograder.check``) and return the points;
- ``assignments/otter/<module>.ipynb`` and ``assignments/otter/requirements.txt``: otter-grader
  master notebooks (v1 format, exception-based tests, one test case per check of the catalogue).

Everything is written in one language: assignments/ in the course's (``settings.COURSE_LANGUAGE``,
Portuguese), another folder (``dlgrade assign --lang en --out DIR``) in any. The prose is in
``templates/notebooks/<language>/``; the docstrings are solutions/' own (English) or
``templates/docstrings/<language>/<module>/<function>.txt`` (``_module.txt`` for the module's).
A text missing in any language fails ``dlgrade assign`` and ``--check``, naming the file.

The checks themselves are never copied: every front calls the catalogue of the installed kit,
so the notebooks depend on the catalogue's check names and points, and a change there shows up
as drift too. ``check_assignments`` regenerates everything in memory and names every file that
differs from the disk.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.i18n import LANGUAGES
from ..core.messages import Message, say

MODULES = ("activations", "losses", "metrics")
NBGRADER_ASSIGNMENT = "ativacoes-custos-metricas"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
SOURCE_LANGUAGE = "en"  # the language of solutions/' docstrings
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
# text that would make nbgrader or otter treat a line as a marker
_MARKER_TEXT = re.compile(r"BEGIN SOLUTION|END SOLUTION|BEGIN HIDDEN TESTS|END HIDDEN TESTS"
                          r"|BEGIN PROMPT|END PROMPT|BEGIN TESTS|END TESTS|BEGIN QUESTION"
                          r"|END QUESTION|ASSIGNMENT CONFIG|TEST CONFIG")
_OTTER_SUFFIXES = ("# SOLUTION", "# SOLUTION NO PROMPT", "# SEED", "# IGNORE", "# END IGNORE")


def default_root() -> Path:
    """The repository: the parent of the autograder package."""
    return Path(__file__).resolve().parent.parent.parent


# -- reading solutions/ ---------------------------------------------------------------------------

@dataclass
class Piece:
    """A run of a solution module: provided code, or one function with solution regions."""

    kind: str  # "provided" | "function"
    text: str  # as in solutions/ (markers included)
    name: str = ""
    regions: list[tuple[int, int]] = field(default_factory=list)  # marker line indices in text

    @property
    def graded(self) -> bool:
        return self.kind == "function" and not self.name.startswith("_")


@dataclass
class SolutionModule:
    name: str
    text: str  # with its docstrings in ``language``
    pieces: list[Piece]
    regions: list[tuple[int, int, str]] = field(default_factory=list)  # file lines, function
    language: str = SOURCE_LANGUAGE  # what the stubs and notebooks written from it say

    @property
    def functions(self) -> list[Piece]:
        return [p for p in self.pieces if p.kind == "function"]


def _marker_lines(lines: list[str], path: str) -> list[tuple[int, int]]:
    regions, start = [], None
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped == BEGIN:
            if start is not None:
                raise SolutionError(say("solution_nested", place=f"{path}:{index + 1}", marker=BEGIN))
            start = index
        elif stripped == END:
            if start is None:
                raise SolutionError(say("solution_unopened", place=f"{path}:{index + 1}", end=END, begin=BEGIN))
            regions.append((start, index))
            start = None
        elif "BEGIN SOLUTION" in line or "END SOLUTION" in line:
            raise SolutionError(say("solution_marker_text", place=f"{path}:{index + 1}"))
    if start is not None:
        raise SolutionError(say("solution_unclosed", place=f"{path}:{start + 1}", end=END, begin=BEGIN))
    return regions


def parse_solution(path: Path, language: str = SOURCE_LANGUAGE) -> SolutionModule:
    """Split a solution module into provided code and functions with solution regions, its
    docstrings in ``language`` (MissingText when one has no translation)."""
    text = translate_docstrings(path.read_text(encoding="utf-8"), path.stem, language)
    lines = text.splitlines()
    regions = _marker_lines(lines, str(path))
    tree = ast.parse(text, filename=str(path))
    body = list(tree.body)
    first_line = 0
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        first_line = body[0].end_lineno  # skip the module docstring (kept in the .py stub only)
        body = body[1:]
    spans = []  # (start, end, name, regions) of functions with solution regions, 0-based lines
    used = set()
    for node in body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
        while start > first_line and lines[start - 1].lstrip().startswith("#"):
            start -= 1  # comment lines right above belong to the function
        end = node.end_lineno  # exclusive; comments after the last statement are not in the AST
        inside = [(b, e) for b, e in regions if start <= b < end]
        if inside:
            end = max(end, max(e for _, e in inside) + 1)  # the closing marker is a comment
            spans.append((start, end, node.name, inside))
            used.update(inside)
    stray = [r for r in regions if r not in used]
    if stray:
        raise SolutionError(say("solution_stray_region", place=f"{path}:{stray[0][0] + 1}"))
    pieces: list[Piece] = []
    cursor = first_line
    for start, end, name, inside in spans:
        _provided(pieces, lines[cursor:start])
        pieces.append(Piece("function", "\n".join(lines[start:end]) + "\n", name,
                            [(b - start, e - start) for b, e in inside]))
        cursor = end
    _provided(pieces, lines[cursor:])
    named = sorted((b, e, name) for _, _, name, inside in spans for b, e in inside)
    return SolutionModule(path.stem, text, pieces, named, language)


def _provided(pieces: list[Piece], lines: list[str]) -> None:
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    if lines:
        pieces.append(Piece("provided", "\n".join(lines) + "\n"))


# -- docstrings in the language written ----------------------------------------------------------

class SolutionError(ValueError):
    """A solution module (or a docstring text) that the generator cannot read: ``message``."""

    def __init__(self, message: Message):
        super().__init__(message.text("en"))
        self.message = message


class MissingText(ValueError):
    """Texts a language lacks (notebook prose, a function's text, a docstring): ``messages``."""

    def __init__(self, messages: list[Message]):
        super().__init__("; ".join(m.text("en") for m in messages))
        self.messages = messages


def docstring_file(module: str, name: str, language: str) -> Path:
    """The docstring of ``module.name`` in ``language`` (``name`` ``_module``: the module's)."""
    return TEMPLATES / "docstrings" / language / module / f"{name}.txt"


def _is_docstring(node: ast.AST) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def docstring_nodes(tree: ast.Module) -> list[tuple[str, ast.Expr]]:
    """(name, docstring statement) of the module (``_module``) and of its top-level functions."""
    found = [("_module", tree.body[0])] if tree.body and _is_docstring(tree.body[0]) else []
    return found + [(node.name, node.body[0]) for node in tree.body
                    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_docstring(node.body[0])]


def _docstring_lines(text: str, indent: str, path: Path) -> list[str]:
    """A docstring statement in the solutions' layout (closing quotes on a line of their own)."""
    if '"""' in text or "\\" in text:
        raise SolutionError(say("docstring_quotes", place=_shown(path)))
    lines = text.split("\n")
    if len(lines) == 1:
        return [f'{indent}"""{text}"""']
    return [f'{indent}"""{lines[0]}'] + [indent + line if line.strip() else "" for line in lines[1:]] + [f'{indent}"""']


def translate_docstrings(text: str, module: str, language: str) -> str:
    """A solution module's source with its docstrings in ``language`` (solutions/ holds them in
    SOURCE_LANGUAGE; the others are template files)."""
    if language == SOURCE_LANGUAGE:
        return text
    lines = text.splitlines()
    missing = []
    for name, node in reversed(docstring_nodes(ast.parse(text))):
        path = docstring_file(module, name, language)
        if not path.is_file():
            missing.append(say("missing_docstring", function=f"{module}.{name}", language=language, path=_shown(path)))
            continue
        indent = lines[node.lineno - 1][:node.col_offset]
        lines[node.lineno - 1:node.end_lineno] = _docstring_lines(path.read_text(encoding="utf-8").strip("\n"),
                                                                  indent, path)
    if missing:
        raise MissingText(missing[::-1])
    return "\n".join(lines) + "\n"


def _shown(path: Path) -> str:
    """A template's path as the instructor finds it (from the repository)."""
    return path.relative_to(default_root()).as_posix() if path.is_relative_to(default_root()) else str(path)


def pointer(name: str, language: str) -> str:
    """The message of a stub's NotImplementedError."""
    return say("stub_todo_helper" if name.startswith("_") else "stub_todo", name=name).text(language)


def _replace_regions(lines: list[str], regions: list[tuple[int, int]], make) -> list[str]:
    out, cursor = [], 0
    for begin, end in regions:
        out += lines[cursor:begin]
        indent = lines[begin][:len(lines[begin]) - len(lines[begin].lstrip())]
        out += make(indent, lines[begin + 1:end])
        cursor = end + 1
    return out + lines[cursor:]


def stub_text(piece: Piece, language: str) -> str:
    """A function with each solution region replaced by its NotImplementedError."""
    message = json.dumps(pointer(piece.name, language), ensure_ascii=False)
    lines = piece.text.splitlines()
    out = _replace_regions(lines, piece.regions, lambda indent, _: [f"{indent}raise NotImplementedError({message})"])
    return "\n".join(out) + "\n"


def otter_text(piece: Piece, language: str) -> str:
    """A function in otter's master format: the solution, then the prompt students get."""
    message = json.dumps(pointer(piece.name, language), ensure_ascii=False)

    def make(indent: str, body: list[str]) -> list[str]:
        return ([f"{indent}# BEGIN SOLUTION NO PROMPT"] + body + [f"{indent}# END SOLUTION",
                f'{indent}""" # BEGIN PROMPT', f"{indent}raise NotImplementedError({message})",
                f'{indent}""" # END PROMPT'])

    return "\n".join(_replace_regions(piece.text.splitlines(), piece.regions, make)) + "\n"


def stub_module(module: SolutionModule) -> str:
    """The student's .py stub of a whole module: the header, then the file with every region
    replaced (module docstring, imports and provided helpers verbatim)."""
    lines = module.text.splitlines()
    out, cursor = [], 0
    for begin, end, name in module.regions:
        out += lines[cursor:begin]
        indent = lines[begin][:len(lines[begin]) - len(lines[begin].lstrip())]
        out.append(f"{indent}raise NotImplementedError({json.dumps(pointer(name, module.language), ensure_ascii=False)})")
        cursor = end + 1
    out += lines[cursor:]
    header = prose("_stub_header.py", module.language).format(module=module.name)
    return header + "\n" + "\n".join(out) + "\n"


# -- the catalogue, as the notebooks need it -------------------------------------------------------

@dataclass(frozen=True)
class CheckInfo:
    name: str
    points: float
    hidden: bool


def catalogue_info() -> dict[str, list[CheckInfo]]:
    """``module.function`` -> its checks (name, points, hidden), in catalogue order."""
    from ..core.checks import catalogue

    info: dict[str, list[CheckInfo]] = {}
    for exercise in catalogue():
        checks = [CheckInfo(c.name, float(c.points), c.visibility != "public") for c in exercise.checks]
        names = [c.name for c in checks]
        if len(set(names)) != len(names):
            raise ValueError(f"{exercise.function}: two checks share a name; otter tests name checks")
        info[exercise.function] = checks
    return info


def _points(value: float) -> str:
    return f"{value:g}"


# -- notebooks ------------------------------------------------------------------------------------

def _cell_id(*parts: str) -> str:
    text = "-".join(re.sub(r"[^A-Za-z0-9_-]+", "-", p).strip("-") or "x" for p in parts)
    return text[:64]


def _markdown(cell_id: str, text: str, metadata: dict | None = None) -> dict:
    return {"cell_type": "markdown", "id": _cell_id(cell_id), "metadata": metadata or {},
            "source": text.strip("\n")}


def _code(cell_id: str, text: str, metadata: dict | None = None) -> dict:
    return {"cell_type": "code", "execution_count": None, "id": _cell_id(cell_id),
            "metadata": metadata or {}, "outputs": [], "source": text.rstrip("\n")}


def _raw(cell_id: str, text: str) -> dict:
    return {"cell_type": "raw", "id": _cell_id(cell_id), "metadata": {}, "source": text.rstrip("\n")}


def _notebook(cells: list[dict]) -> str:
    import nbformat

    ids = [c["id"] for c in cells]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate cell ids")
    notebook = nbformat.from_dict({
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    })
    nbformat.validate(notebook)
    # nbformat's own layout (sorted keys, indent 1, sources as lists of lines), written here so
    # that the bytes do not depend on the installed nbformat version
    data = json.loads(json.dumps(notebook))
    for cell in data["cells"]:
        cell["source"] = cell["source"].splitlines(True)
    return json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def _nbgrader(grade_id: str, *, solution: bool = False, grade: bool = False, locked: bool = False,
              points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}




def _first_code(module: SolutionModule) -> tuple[str, list[Piece]]:
    """The first code cell (provided code before the first function) and the remaining pieces."""
    pieces = list(module.pieces)
    provided = []
    while pieces and pieces[0].kind == "provided":
        provided.append(pieces.pop(0).text)
    return "\n\n".join(t.rstrip("\n") for t in provided) + "\n", pieces


def _template(relative: str) -> str:
    return (TEMPLATES / relative).read_text(encoding="utf-8")


def prose(relative: str, language: str) -> str:
    """A piece of notebook prose (``templates/notebooks/<language>/<relative>``), without the
    blank lines around it; '' when it does not exist (``missing_texts`` names what must)."""
    path = TEMPLATES / "notebooks" / language / relative
    return path.read_text(encoding="utf-8").strip("\n") if path.is_file() else ""


def function_text(module: str, name: str, language: str | None = None) -> str:
    """The notebook text of ``module.name`` in ``language`` (default: the course's; MissingText
    when there is none)."""
    from .settings import course_language

    language = language or course_language()
    text = prose(f"{module}/{name}.md", language)
    if not text:
        raise MissingText([say("missing_text", function=f"{module}.{name}", language=language,
                               path=_shown(TEMPLATES / "notebooks" / language / module / f"{name}.md"))])
    return text


def _text_for(module: SolutionModule, name: str) -> str:
    return function_text(module.name, name, module.language)


def _intro(module: SolutionModule, kind: str) -> str:
    language = module.language
    intro = prose(f"{module.name}/_intro.md", language).replace("{conventions}", prose("_conventions.md", language))
    return intro + "\n\n" + prose(f"_how_to_{kind}.md", language)


def _submit(module: SolutionModule, kind: str) -> str:
    texts = (prose(f"{module.name}/_outro.md", module.language), prose(f"_submit_{kind}.md", module.language))
    return "\n\n".join(t for t in texts if t)


def _check_import(module: SolutionModule) -> str:
    return prose("_check_import.py", module.language) + "\n"


def student_notebook(module: SolutionModule, info: dict[str, list[CheckInfo]]) -> str:
    """assignments/notebooks/<module>.ipynb: stubs, lecture text, public checks."""
    first, pieces = _first_code(module)
    cells = [_markdown("intro", _intro(module, "notebook")),
             _code("setup", first.rstrip("\n") + "\n\n\n" + _check_import(module))]
    for number, piece in enumerate(pieces):
        if piece.kind == "provided":
            cells.append(_code(f"provided-{number}", piece.text))
            continue
        cells.append(_markdown(f"{piece.name}-text", _text_for(module, piece.name)))
        cells.append(_code(f"{piece.name}", stub_text(piece, module.language)))
        function = f"{module.name}.{piece.name}"
        if piece.graded:
            cells.append(_code(f"{piece.name}-check", f'check("{function}", {piece.name});'))
    cells.append(_markdown("submit", _submit(module, "notebook")))
    return _notebook(cells)


def nbgrader_notebook(module: SolutionModule, info: dict[str, list[CheckInfo]]) -> str:
    """The nbgrader source notebook: solution cells, and test cells with hidden checks."""
    first, pieces = _first_code(module)
    cells = [_markdown("intro", _intro(module, "nbgrader")),
             _code("setup", first.rstrip("\n") + "\n\n\n" + _check_import(module),
                   _nbgrader("setup", locked=True))]
    for number, piece in enumerate(pieces):
        if piece.kind == "provided":
            cells.append(_code(f"provided-{number}", piece.text,
                               _nbgrader(f"provided-{number}", locked=True)))
            continue
        cells.append(_markdown(f"{piece.name}-text", _text_for(module, piece.name)))
        cells.append(_code(piece.name, piece.text, _nbgrader(piece.name, solution=True)))
        function = f"{module.name}.{piece.name}"
        checks = info.get(function, [])
        if piece.graded and checks:
            total = sum(c.points for c in checks)
            source = prose("_nbgrader_test.py", module.language).format(name=piece.name, function=function) + "\n"
            cells.append(_code(f"test_{piece.name}", source,
                               _nbgrader(f"test_{piece.name}", grade=True, locked=True, points=total)))
    cells.append(_markdown("submit", _submit(module, "nbgrader")))
    return _notebook(cells)




def otter_notebook(module: SolutionModule, info: dict[str, list[CheckInfo]]) -> str:
    """The otter master notebook: one question per graded function, one test per check."""
    first, pieces = _first_code(module)
    cells = [_raw("assignment-config", _template("otter/assignment_config.yml").format(name=f"dl1-{module.name}")),
             _markdown("intro", _intro(module, "otter")),
             _code("otter-init", (prose("_otter_init.py", module.language) + "\n").format(notebook=f"{module.name}.ipynb")),
             _code("setup", first)]
    for number, piece in enumerate(pieces):
        if piece.kind == "provided":
            cells.append(_code(f"provided-{number}", piece.text))
            continue
        function = f"{module.name}.{piece.name}"
        checks = info.get(function, [])
        text = _text_for(module, piece.name)
        if not (piece.graded and checks):
            cells.append(_markdown(f"{piece.name}-text", text))
            cells.append(_code(piece.name, otter_text(piece, module.language)))
            continue
        cells.append(_raw(f"{piece.name}-begin-question",
                          f"# BEGIN QUESTION\nname: {piece.name}\ncheck_cell: false"))
        cells.append(_markdown(f"{piece.name}-text", text))
        cells.append(_raw(f"{piece.name}-begin-solution", "# BEGIN SOLUTION"))
        cells.append(_code(piece.name, otter_text(piece, module.language)))
        cells.append(_raw(f"{piece.name}-end-solution", "# END SOLUTION"))
        cells.append(_raw(f"{piece.name}-begin-tests", "# BEGIN TESTS"))
        for index, item in enumerate(checks, 1):
            source = (
                '""" # BEGIN TEST CONFIG\n'
                f"points: {_points(item.points)}\n"
                f"hidden: {'true' if item.hidden else 'false'}\n"
                '""" # END TEST CONFIG\n'
                f"def test_{piece.name}_{index}({piece.name}):\n"
                "    from autograder import run_check\n"
                f"    run_check({json.dumps(function)}, {json.dumps(item.name, ensure_ascii=False)}, {piece.name})\n"
            )
            cells.append(_code(f"{piece.name}-test-{index}", source))
        cells.append(_raw(f"{piece.name}-end-tests", "# END TESTS"))
        cells.append(_raw(f"{piece.name}-end-question", "# END QUESTION"))
        cells.append(_code(f"{piece.name}-check", OTTER_CHECK.format(name=piece.name)))
    cells.append(_markdown("submit", _submit(module, "otter")))
    return _notebook(cells)


# otter's own init and check cells `import otter` in every context; the sandboxed `dlgrade grade`
# (which runs the code cells without otter) would report them as failing cells. These run only in
# a Jupyter kernel (__name__ == "__main__").

OTTER_CHECK = 'grader.check("{name}") if __name__ == "__main__" else None'





# -- assignments/ as a whole ----------------------------------------------------------------------

def render(root: Path | None = None, language: str | None = None) -> dict[str, str]:
    """Every generated file of assignments/ in ``language`` (default: the course's): relative
    path -> text. MissingText names every text that language lacks."""
    from .package import otter_requirements
    from .settings import course_language

    root = Path(root) if root is not None else default_root()
    language = language or course_language()
    missing = missing_texts(root, (language,))
    if missing:
        raise MissingText(missing)
    info = catalogue_info()
    files: dict[str, str] = {}
    for name in MODULES:
        module = parse_solution(root / "solutions" / f"{name}.py", language)
        _check_markers(module)
        files[f"{name}.py"] = stub_module(module)
        files[f"notebooks/{name}.ipynb"] = student_notebook(module, info)
        files[f"nbgrader/source/{NBGRADER_ASSIGNMENT}/{name}.ipynb"] = nbgrader_notebook(module, info)
        files[f"otter/{name}.ipynb"] = otter_notebook(module, info)
    files["nbgrader/nbgrader_config.py"] = _template("nbgrader/nbgrader_config.py")
    files["otter/requirements.txt"] = otter_requirements()
    return files


def _prose_files(language: str) -> set[str]:
    folder = TEMPLATES / "notebooks" / language
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else set()


def missing_texts(root: Path | None = None, languages: tuple[str, ...] = LANGUAGES) -> list[Message]:
    """What ``languages`` lack: notebook prose another language has, a function's notebook text,
    a docstring (solutions/ has the SOURCE_LANGUAGE ones)."""
    root = Path(root) if root is not None else default_root()
    every = set().union(*(_prose_files(language) for language in LANGUAGES))
    missing = []
    for language in languages:
        folder = TEMPLATES / "notebooks" / language
        missing += [say("missing_prose", language=language, path=_shown(folder / relative))
                    for relative in sorted(every - _prose_files(language))]
        for name in MODULES:
            try:
                module = parse_solution(root / "solutions" / f"{name}.py", language)
            except MissingText as exc:
                missing += exc.messages
                module = parse_solution(root / "solutions" / f"{name}.py")
            missing += [say("missing_text", function=f"{name}.{piece.name}", language=language,
                            path=_shown(folder / name / f"{piece.name}.md"))
                        for piece in module.functions if not prose(f"{name}/{piece.name}.md", language)
                        and f"{name}/{piece.name}.md" not in every]  # else named as missing prose above
    return missing


def _check_markers(module: SolutionModule) -> None:
    """No text outside the marks that nbgrader or otter would read as a marker."""
    for piece in module.pieces:
        lines = piece.text.splitlines()
        marked = {i for b, e in piece.regions for i in (b, e)}
        for index, line in enumerate(lines):
            if index in marked:
                continue
            if _MARKER_TEXT.search(line) or line.rstrip().endswith(_OTTER_SUFFIXES):
                raise SolutionError(say("solution_reads_as_marker", place=f"solutions/{module.name}.py",
                                        line=repr(line.strip())))


def _generated_scope(assignments: Path) -> list[Path]:
    """Files on disk where only generated files belong (README and course folders excluded)."""
    found = [p for p in assignments.glob("*.py")]
    found += [p for p in (assignments / "notebooks").glob("*") if p.is_file()]
    found += [p for p in (assignments / "nbgrader" / "source").rglob("*")
              if p.is_file() and ".ipynb_checkpoints" not in p.parts]
    found += [p for p in (assignments / "otter").glob("*") if p.is_file()]
    return found


def render_all(root: Path | None = None) -> dict[str, str]:
    """Every file `dlgrade assign` writes, by path relative to the repository: assignments/ (in
    the course's language) and docs/contract.md (the student API, from the contract registry)."""
    from .docs import contract_markdown

    files = {f"assignments/{relative}": text for relative, text in render(root).items()}
    files["docs/contract.md"] = contract_markdown()
    return files


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != text.encode("utf-8"):
        path.write_bytes(text.encode("utf-8"))
    return path


def write_assignments(root: Path | None = None) -> list[Path]:
    """Write every generated file; return their paths."""
    root = Path(root) if root is not None else default_root()
    return [_write(root / relative, text) for relative, text in render_all(root).items()]


def write_folder(out: str | Path, language: str, root: Path | None = None) -> list[Path]:
    """Write the stubs and notebooks in ``language`` into ``out`` (the layout of assignments/)."""
    return [_write(Path(out) / relative, text) for relative, text in render(root, language).items()]


def check_assignments(root: Path | None = None) -> list[Message]:
    """One message per generated file that differs from what write_assignments would write
    (MissingText first when any language lacks a text)."""
    root = Path(root) if root is not None else default_root()
    missing = missing_texts(root)
    if missing:
        raise MissingText(missing)
    expected = render_all(root)
    drift = []
    for relative, text in expected.items():
        path = root / relative
        if not path.exists():
            drift.append(say("drift_missing", path=relative))
        elif path.read_bytes() != text.encode("utf-8"):
            drift.append(say("drift_differs", path=relative))
    for path in sorted(_generated_scope(root / "assignments")):
        relative = "assignments/" + path.relative_to(root / "assignments").as_posix()
        if relative not in expected:
            drift.append(say("drift_stale", path=relative))
    return drift
