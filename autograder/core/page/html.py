"""The feedback page: one self-contained HTML file per submission, readable offline.

No script, no stylesheet or font from elsewhere, no image file: the style is in the page, the
plots are inline SVG (``figures.py``). Per function: the score, each check passed or failed, the
counterexample of a failed one (inputs, received, expected, first mismatch, largest error: the
report's evidence, ``checks/compare.evidence``), the hint, and the plot of the student's curve
against the reference's (``core/plots.py``); a metric's failing case is a table (a confusion
matrix a grid). Every text that comes from a submission (messages, printed output, values) is
escaped (``html.escape``): it is data, never markup.

Audiences: ``student`` shows public checks in full and hidden checks by their result only (title,
passed or failed, points: their inputs stay hidden), with totals kept apart (a visible total never
includes hidden points); ``instructor`` shows everything.
"""

from __future__ import annotations

from html import escape
from typing import Any

import numpy as np

from ...contract import BY_NAME
from ..checks.compare import tolerance
from ..messages import render, say, title
from .figures import Painter

AUDIENCES = ("student", "instructor")
ROWS_SHOWN = 20  # rows of a counterexample's table around the first mismatch; all values in <details>
DIFFERS = ' class="differs"'
GRID_MAX = 12  # 2-D results up to this many rows and columns are drawn as grids
STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;margin:1.5rem auto;
padding:0 1rem;color:#111827;line-height:1.4}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin:0}h3{font-size:1rem;margin:.8rem 0 .3rem}
code,pre,td.num{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem}
pre{white-space:pre-wrap;word-break:break-all;background:#f3f4f6;padding:.5rem;margin:.3rem 0}
section.function{border:1px solid #d1d5db;border-left:6px solid #16a34a;border-radius:4px;padding:.8rem 1rem;
margin:1.2rem 0}
section.function.failed{border-left-color:#dc2626}
.score{float:right;font-weight:600}.formula{color:#4b5563;margin:.2rem 0 .5rem}
ul.checks{list-style:none;padding-left:0;margin:.2rem 0}ul.checks li{margin:.25rem 0}
li.passed .mark{color:#16a34a}li.failed .mark{color:#dc2626}.mark{font-weight:700;margin-right:.3rem}
.points{color:#4b5563;margin-left:.4rem}.detail{margin:.2rem 0 .2rem 1.4rem}
.hint{margin:.2rem 0 .2rem 1.4rem;background:#fef3c7;padding:.3rem .5rem;border-radius:3px}
details.evidence{margin:.3rem 0 .3rem 1.4rem}
table{border-collapse:collapse;margin:.3rem 0}td,th{border:1px solid #d1d5db;padding:.15rem .45rem;text-align:right}
th{background:#f3f4f6}tr.differs td,td.differs{background:#fee2e2}
.grids{display:flex;gap:1.5rem;flex-wrap:wrap}figure{margin:.4rem 0}figure svg{max-width:100%;height:auto}
figcaption{color:#4b5563;font-size:.85rem}nav table td:first-child{text-align:left}
.note{color:#92400e}
body:has(section.function:target) :is(h1,.source,.summary,nav,section.function:not(:target),.output){display:none}
"""


def _t(key: str, language: str, **values: Any) -> str:
    """A message of the tables, escaped for HTML (its values may come from a submission)."""
    return escape(say(key, **values).text(language))


def _num(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def _points(value: float) -> str:
    return f"{value:g}"


# -- the page ------------------------------------------------------------------------------------

def page(report: Any, language: str = "pt", audience: str = "student", source: str = "", withheld: Any = None,
         painter: Any = None) -> str:
    """The feedback page of ``report`` in ``language``, for ``audience`` (``AUDIENCES``).

    ``withheld``: a message said in the summary for checks left out of ``report`` (hidden checks
    before publication: ``fronts/handback.py``); ``painter``: one shared by the pages of one report
    (its plots drawn once)."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}")
    functions = list(dict.fromkeys(r.function for r in report.results))
    heading = _t(f"page_heading_{audience}", language)
    parts = [f'<!DOCTYPE html>\n<html lang="{escape(language)}">\n<head>\n<meta charset="utf-8">\n'
             f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
             f'<title>{heading}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{heading}</h1>\n']
    if source:
        parts.append(f'<p class="source"><code>{escape(source)}</code></p>\n')
    parts.append(_summary(report, language, withheld))
    parts.append(_contents(report, functions, language))
    painter = painter or Painter()
    for function in functions:
        parts.append(_function(report, function, language, audience, painter))
    parts.append(_outputs(report, language))
    parts.append("</body>\n</html>\n")
    return "".join(parts)


def _totals(results: list) -> tuple[float, float]:
    return round(sum(r.score for r in results), 4), round(sum(r.max_score for r in results), 4)


def _split(results: list) -> tuple[list, list]:
    public = [r for r in results if r.visibility == "public"]
    return public, [r for r in results if r.visibility != "public"]


def _summary(report: Any, language: str, withheld: Any = None) -> str:
    public, hidden = _split(report.results)
    lines = [_t("page_public_total", language, score=_points(_totals(public)[0]), max=_points(_totals(public)[1]))]
    if withheld is not None:
        lines.append(escape(render(withheld, language)))
    if hidden:
        lines.append(_t("page_hidden_total", language, score=_points(_totals(hidden)[0]),
                        max=_points(_totals(hidden)[1])))
        lines.append(_t("summary_total", language, score=_points(report.score), max=_points(report.max_score)))
    lines.append(escape(say("summary_sandbox", level=report.isolation).text(language)))
    text = "".join(f"<p>{line}</p>\n" for line in lines)
    if report.notes:
        notes = "".join(f'<li class="note">{escape(render(n, language))}</li>\n' for n in report.notes)
        text += f"<h3>{_t('page_notes', language)}</h3>\n<ul>\n{notes}</ul>\n"
    return f'<div class="summary">\n{text}</div>\n'


def _anchor(function: str) -> str:
    return "f-" + function.replace(".", "-")


def _contents(report: Any, functions: list[str], language: str) -> str:
    any_hidden = any(r.visibility != "public" for r in report.results)  # none in a self-check
    rows = []
    for function in functions:
        results = [r for r in report.results if r.function == function]
        public, hidden = _split(results)
        cells = [f'<td><a href="#{_anchor(function)}"><code>{escape(function)}</code></a></td>']
        for group in (public, hidden) if any_hidden else (public,):
            got, most = _totals(group)
            cells.append(f"<td>{_points(got)} / {_points(most)}</td>" if group else "<td></td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = (f"<tr><th>{_t('page_column_function', language)}</th><th>{_t('page_column_public', language)}</th>"
            + (f"<th>{_t('page_column_hidden', language)}</th>" if any_hidden else "") + "</tr>")
    return f'<nav>\n<h2>{_t("page_contents", language)}</h2>\n<table>\n{head}\n' + "\n".join(rows) + "\n</table>\n</nav>\n"


def _function(report: Any, function: str, language: str, audience: str, painter: Painter) -> str:
    results = [r for r in report.results if r.function == function]
    public, hidden = _split(results)
    got, most = _totals(public)
    failed = any(not r.passed for r in public) or (audience == "instructor" and any(not r.passed for r in hidden))
    entry = BY_NAME.get(function)
    parts = [f'<section class="function {"failed" if failed else "passed"}" id="{_anchor(function)}" '
             f'data-function="{escape(function)}">\n',
             f'<h2><code>{escape(function)}</code><span class="score">{_points(got)} / {_points(most)}</span></h2>\n']
    if entry is not None:
        # the signature only: the contract's formulas are written in English words
        parts.append(f'<p class="formula"><code>{escape(entry.signature())}</code></p>\n')
    parts.append(_plot(report.plots.get(function), function, language, painter))
    parts.append(_checks(public, "page_public_checks", language, full=True))
    if hidden:
        parts.append(_checks(hidden, "page_hidden_checks", language, full=audience == "instructor"))
        if audience != "instructor":
            parts.append(f'<p class="formula">{_t("page_hidden_policy", language)}</p>\n')
    parts.append("</section>\n")
    return "".join(parts)


def _checks(results: list, key: str, language: str, full: bool) -> str:
    if not results:
        return ""
    got, most = _totals(results)
    items = []
    shown: set = set()
    for r in results:
        state = "passed" if r.passed else "failed"
        mark = "✓" if r.passed else "✗"
        item = (f'<li class="check {state}"><span class="mark">{mark}</span>{escape(title(r.check).text(language))}'
                f'<span class="points">{_points(r.score)} / {_points(r.max_score)}</span>')
        if not r.passed and full:
            item += _failure(r, language, first=not shown)
            shown.add(r.check)
        items.append(item + "</li>")
    return (f'<h3>{_t(key, language, score=_points(got), max=_points(most))}</h3>\n<ul class="checks">\n'
            + "\n".join(items) + "\n</ul>\n")


def _failure(result: Any, language: str, first: bool) -> str:
    text = ""
    if result.output is not None:
        text += f'<div class="detail">{escape(render(result.output, language))}</div>'
    if result.hint is not None:
        text += f'<div class="hint">{escape(say("hint_label", hint=result.hint).text(language))}</div>'
    if result.evidence:
        text += (f'<details class="evidence"{" open" if first else ""}><summary>{_t("page_counterexample", language)}'
                 f'</summary>\n{evidence_html(result.evidence, language)}</details>')
    return text


# -- the plot -------------------------------------------------------------------------------------

def _plot(data: dict | None, function: str, language: str, painter: Painter) -> str:
    if not data:
        return ""
    caption = _t(f"page_caption_{data.get('kind', 'curve')}", language, function=function.split(".")[1])
    if data.get("problem"):
        caption += " " + _t("page_caption_missing", language,
                             problem=say(f"page_problem_{data['problem']}").text(language)
                             if data["problem"] in PROBLEMS else data["problem"])
    svg = painter.svg(function, data, language)
    text = f'<figure class="plot">\n{svg}\n<figcaption>{caption}</figcaption>\n</figure>\n'
    extremes = data.get("extremes")
    if extremes and extremes.get("z"):
        text += _extremes(extremes, language)
    return text


PROBLEMS = ("budget", "shape", "error", "timeout", "crashed", "invalid")


def _close(a: Any, b: Any) -> bool:
    try:
        x, y = float(a), float(b)
    except (TypeError, ValueError):
        return a == b
    rtol, atol = tolerance(np.float64)
    return bool(np.isclose(x, y, rtol=rtol, atol=atol, equal_nan=True))


def _extremes(extremes: dict, language: str) -> str:
    student, reference = extremes.get("student"), extremes.get("reference")
    rows = [f"<tr><th>z</th><th>{_t('page_plot_student', language)}</th><th>{_t('page_plot_reference', language)}</th></tr>"]
    for index, z in enumerate(extremes["z"]):
        got = student[index] if student else "—"
        want = reference[index] if reference else "—"
        differs = student is not None and reference is not None and not _close(got, want)
        rows.append(f'<tr{DIFFERS if differs else ""}><td class="num">{_num(z)}</td>'
                    f'<td class="num">{escape(_num(got))}</td><td class="num">{escape(_num(want))}</td></tr>')
    return (f'<details class="extremes"><summary>{_t("page_extremes", language)}</summary>\n<table>\n'
            + "\n".join(rows) + "\n</table>\n</details>\n")


# -- a counterexample ---------------------------------------------------------------------------------

def _argument_names(function: str, count: int) -> list[str]:
    entry = BY_NAME.get(function)
    names = list(entry.arguments) + [p.name for p in entry.params] if entry is not None else []
    return [names[i] if i < len(names) else f"arg{i}" for i in range(count)]


def _values(data: Any) -> list | None:
    """The values of an array's JSON (``compare.array_json``); a plain Python number as one value."""
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("values"), list):
        return data["values"]
    try:
        return [float(data["python"])] if "python" in data else None
    except (TypeError, ValueError):
        return None


def _describe(data: Any, language: str) -> str:
    """One argument or result, in words: its values (a short list), shape and dtype."""
    if not isinstance(data, dict):
        return escape(str(data))
    if "values" not in data:
        return f"<code>{escape(str(data.get('python', data.get('repr', ''))))}</code>"
    values = data["values"]
    shape = data.get("shape", [])
    text = ", ".join(_num(v) for v in values[:8]) + (", …" if len(values) > 8 else "")
    if shape:
        text = f"[{text}]"
    info = _t("page_shape", language, shape=tuple(shape), dtype=data.get("dtype", ""))
    return f'<code>{escape(text)}</code> <span class="points">{info}</span>'


def evidence_html(evidence: dict, language: str) -> str:
    """The counterexample of a failed check (``compare.evidence``) as HTML: the inputs, what was
    received and expected, where they first differ, the largest error, and a table of values."""
    function = str(evidence.get("function", ""))
    args = evidence.get("args") or []
    names = _argument_names(function, len(args))
    kwargs = evidence.get("kwargs") or {}
    lines = [f"<li><code>{escape(name)}</code> = {_describe(arg, language)}</li>" for name, arg in zip(names, args)]
    lines += [f"<li><code>{escape(str(k))}</code> = {_describe(v, language)}</li>" for k, v in kwargs.items()]
    text = f"<p>{_t('page_inputs', language)}</p>\n<ul>\n" + "\n".join(lines) + "\n</ul>\n"
    received, expected = evidence.get("received"), evidence.get("expected")
    facts = []
    if evidence.get("first_mismatch"):  # an index (none for one value)
        facts.append(_t("page_first_mismatch", language, index=tuple(evidence["first_mismatch"])))
    if "max_abs_error" in evidence:
        facts.append(_t("page_max_error", language, abs=_num(evidence["max_abs_error"]),
                        rel=_num(evidence.get("max_rel_error", float("nan")))))
    if evidence.get("non_finite_at"):
        facts.append(_t("page_non_finite", language, where=", ".join(str(tuple(i)) for i in evidence["non_finite_at"])))
    if facts:
        text += "<p>" + "<br>".join(facts) + "</p>\n"
    text += _values_table(args, names, received, expected, evidence.get("first_mismatch"), language)
    return text


def _grid(data: dict, other: dict | None, caption: str) -> str:
    shape = data["shape"]
    values = np.array(data["values"], dtype=object).reshape(shape)
    theirs = np.array(other["values"], dtype=object).reshape(shape) if other and other.get("shape") == shape else None
    rows = []
    for i in range(shape[0]):
        cells = []
        for j in range(shape[1]):
            differs = theirs is not None and not _close(values[i, j], theirs[i, j])
            cells.append(f'<td class="num{" differs" if differs else ""}">{escape(_num(values[i, j]))}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="grid"><caption>{caption}</caption>\n' + "\n".join(rows) + "\n</table>"


def _values_table(args: list, names: list[str], received: Any, expected: Any, first: Any, language: str) -> str:
    got, want = _values(received), _values(expected)
    if want is None:
        return ""
    shape = expected.get("shape", [])
    label_got, label_want = _t("page_received", language), _t("page_expected", language)
    if (len(shape) == 2 and shape[0] <= GRID_MAX and shape[1] <= GRID_MAX and len(want) == shape[0] * shape[1]
            and not expected.get("truncated")):
        grids = [_grid(received, expected, label_got)] if got is not None and received.get("shape") == shape else []
        grids.append(_grid(expected, received if grids else None, label_want))
        return f'<div class="grids">{"".join(grids)}</div>\n' + _inputs_table(args, names, language)
    if not shape:  # one value (a metric, a mean loss): the inputs as a small table, then the two values
        text = _inputs_table(args, names, language)
        got_text = _num(got[0]) if got else "—"
        return text + (f'<table><tr><th>{label_got}</th><td class="num differs">{escape(got_text)}</td></tr>'
                       f'<tr><th>{label_want}</th><td class="num">{escape(_num(want[0]))}</td></tr></table>\n')
    same_size = [(n, _values(a)) for n, a in zip(names, args) if _values(a) is not None and len(_values(a)) == len(want)]
    start = 0
    if first and shape:
        flat = int(np.ravel_multi_index(tuple(first), tuple(shape))) if len(first) == len(shape) else 0
        start = max(0, min(flat - 3, len(want) - ROWS_SHOWN))
    rows = [f"<tr><th>{_t('page_index', language)}</th>" + "".join(f"<th>{escape(n)}</th>" for n, _ in same_size)
            + f"<th>{label_got}</th><th>{label_want}</th></tr>"]
    for flat in range(start, min(len(want), start + ROWS_SHOWN)):
        index = tuple(int(i) for i in np.unravel_index(flat, tuple(shape))) if shape else ()
        g = got[flat] if got is not None and flat < len(got) else "—"
        differs = got is not None and not _close(g, want[flat])
        rows.append(f'<tr{DIFFERS if differs else ""}><td class="num">{escape(str(index))}</td>'
                    + "".join(f'<td class="num">{escape(_num(v[flat]))}</td>' for _, v in same_size)
                    + f'<td class="num">{escape(_num(g))}</td><td class="num">{escape(_num(want[flat]))}</td></tr>')
    text = "<table>\n" + "\n".join(rows) + "\n</table>\n"
    if len(want) > ROWS_SHOWN:
        full = [f"{escape(name)} = {escape(repr(_values(arg)))}" for name, arg in zip(names, args) if _values(arg)]
        full += [f"{label_got} = {escape(repr(got))}", f"{label_want} = {escape(repr(want))}"]
        text += (f"<details><summary>{_t('page_all_values', language)}</summary><pre>" + "\n".join(full)
                 + "</pre></details>\n")
    return text


def _inputs_table(args: list, names: list[str], language: str) -> str:
    """1-D inputs (a metric's y_true and y_pred) side by side, one column per element."""
    rows = []
    for name, arg in zip(names, args):
        values = _values(arg)
        if values is not None and isinstance(arg, dict) and len(arg.get("shape", [])) == 1 and len(values) <= 40:
            rows.append(f"<tr><th>{escape(name)}</th>" + "".join(f'<td class="num">{escape(_num(v))}</td>'
                                                                 for v in values) + "</tr>")
    return ('<table class="case">\n' + "\n".join(rows) + "\n</table>\n") if rows else ""


def _outputs(report: Any, language: str) -> str:
    text = ""
    for module, output in report.student_output.items():
        text += (f'<div class="output"><h3>{_t("page_output", language, module=module)}</h3>\n'
                 f"<pre>{escape(output)}</pre></div>\n")
    return text
