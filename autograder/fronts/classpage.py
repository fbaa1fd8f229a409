"""The class report: one self-contained HTML page (inline SVG plots, no script, no CDN).

Sections (their ids are the page's contract with its tests): ``summary``, ``distribution``
(score histogram and per-function means), ``heatmap`` (student × function, fraction of the
points), ``checks`` (every check by failure rate, with its most frequent counterexample),
``mistakes`` (known mistakes and how many students made each, linked to ``errata``),
``faults``, ``timing`` (grading time per student, isolation level).

Deterministic: matplotlib's SVG with ``svg.hashsalt`` fixed and no date; every text from a
submission (names, counterexamples) goes through ``html.escape``.
"""

from __future__ import annotations

import html
import io
from typing import Any

from ..contract import ERRATA
from ..core.i18n import CATALOGUES
from ..core.messages import say
from .classview import ClassView

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1100px;
padding:0 1rem;color:#1d1d1f;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2.2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}
th,td{border-bottom:1px solid #e5e5e5;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f5f5f7}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
code{font-size:.85em;word-break:break-all}.figure svg{max-width:100%;height:auto}
.muted{color:#6e6e73}.bar{display:inline-block;height:.7rem;background:#c0392b;vertical-align:middle}
nav a{margin-right:1rem}td.fn code{white-space:nowrap;word-break:normal}dl.summary{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}
dl.summary dt{font-weight:600}
"""
FIGURE_RC = {"svg.hashsalt": "dlgrade-class-report", "svg.fonttype": "none", "font.size": 9.0}
SECTIONS = ("summary", "distribution", "heatmap", "checks", "mistakes", "errata", "faults", "timing")


def _t(language: str, key: str, **values: Any) -> str:
    """A page string in the page's language, escaped."""
    return html.escape(say(key, **values).text(language))


def _e(text: Any) -> str:
    return html.escape(str(text))


def _svg(figure: Any) -> str:
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context(FIGURE_RC):
        figure.savefig(buffer, format="svg", metadata={"Date": None})  # constrained layout fits it: no "tight" redraw
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # the XML prolog and DOCTYPE have no place inside HTML


def _label_inches(labels: list[str], points: float) -> float:
    """About how long the longest label is, in inches (0.6 em a character)."""
    return max((len(text) for text in labels), default=0) * points * 0.6 / 72


def _figure(width: float, height: float, margins: tuple[float, float, float, float] = (0.7, 0.2, 0.55, 0.15)) -> Any:
    """A figure with one axes placed by fixed margins (left, right, bottom, top) in inches: no
    automatic layout (constrained layout drew every figure once more: a third of the page's time)."""
    import matplotlib
    from matplotlib.figure import Figure

    left, right, bottom, top = margins
    with matplotlib.rc_context(FIGURE_RC):
        figure = Figure(figsize=(width, height))
        figure.add_axes((left / width, bottom / height, 1 - (left + right) / width, 1 - (bottom + top) / height))
    return figure


def histogram_svg(view: ClassView, language: str) -> str:
    """The totals' histogram (bins of ~1/20 of the maximum)."""
    import numpy as np

    figure = _figure(6.0, 2.8)
    axes = figure.axes[0]
    most = view.summary()["max"] or 1.0
    totals = [s.total for s in view.students]
    axes.hist(totals, bins=np.linspace(0.0, most, 21), color="#2c7fb8", edgecolor="white")
    axes.set_xlabel(say("class_axis_total", max=f"{most:g}").text(language))
    axes.set_ylabel(say("class_axis_students").text(language))
    return _svg(figure)


def means_svg(view: ClassView, language: str) -> str:
    """Per-function mean, as a fraction of the function's points."""
    means, most = view.function_means(), view.function_max()
    functions = view.functions
    names = [f.split(".")[-1] for f in functions]
    figure = _figure(6.0, 0.7 + 0.18 * len(functions), (_label_inches(names, 7) + 0.2, 0.2, 0.5, 0.1))
    axes = figure.axes[0]
    fractions = [means[f] / most[f] if most.get(f) else 0.0 for f in functions]
    axes.barh(range(len(functions)), fractions, color="#41ab5d")
    axes.set_yticks(range(len(functions)), names, fontsize=7)
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    axes.set_xlabel(say("class_axis_mean_fraction").text(language))
    return _svg(figure)


def heatmap_svg(view: ClassView, language: str) -> str:
    """Students (rows) × functions (columns): the fraction of each function's points."""
    import numpy as np

    functions, most = view.functions, view.function_max()
    grid = np.array([[s.functions.get(f, 0.0) / most[f] if most.get(f) else 0.0 for f in functions]
                     for s in view.students] or [[0.0] * len(functions)])
    names, students = [f.split(".")[-1] for f in functions], [s.student for s in view.students]
    left, bottom = _label_inches(students, 6) + 0.15, _label_inches(names, 6) + 0.15
    width, height = max(6.0, 0.2 * len(functions) + left + 1.0), max(2.6, bottom + 0.3 + 0.14 * len(students))
    figure = _figure(width, height, (left, 1.0, bottom, 0.15))
    axes = figure.axes[0]
    image = axes.imshow(grid, aspect="auto", cmap="RdYlGn", vmin=0.0, vmax=1.0, interpolation="nearest")
    axes.set_xticks(range(len(functions)), names, rotation=90, fontsize=6)
    axes.set_yticks(range(len(students)), students, fontsize=6)
    tall = min(1.5, height - bottom - 0.15)  # the colour bar, at the top right
    bar = figure.add_axes((1 - 0.75 / width, 1 - (0.15 + tall) / height, 0.12 / width, tall / height))
    figure.colorbar(image, cax=bar, label=say("class_axis_fraction").text(language))
    return _svg(figure)


def timing_svg(view: ClassView, language: str) -> str:
    """Grading time per student (seconds)."""
    figure = _figure(6.0, 2.6)
    axes = figure.axes[0]
    axes.bar(range(len(view.students)), [s.seconds for s in view.students], color="#807dba")
    axes.set_xlabel(say("class_axis_student_index").text(language))
    axes.set_ylabel(say("class_axis_seconds").text(language))
    return _svg(figure)


# -- the sections -------------------------------------------------------------------------------------

def _summary(view: ClassView, lang: str) -> str:
    s = view.summary()
    items = [("class_students", s["students"]), ("class_mean", f"{s['mean']:g} / {s['max']:g}"),
             ("class_median", f"{s['median']:g} / {s['max']:g}"), ("class_full_marks", s["full_marks"]),
             ("class_isolation", ", ".join(s["isolation"]) or "-")]
    body = "".join(f"<dt>{_t(lang, key)}</dt><dd>{_e(value)}</dd>" for key, value in items)
    return f'<section id="summary"><h2>{_t(lang, "class_summary_title")}</h2><dl class="summary">{body}</dl></section>'


def _distribution(view: ClassView, lang: str) -> str:
    means, most = view.function_means(), view.function_max()
    rows = "".join(f"<tr><td><code>{_e(f)}</code></td><td class=n>{means[f]:g}</td><td class=n>{most[f]:g}</td></tr>"
                   for f in view.functions)
    return (f'<section id="distribution"><h2>{_t(lang, "class_distribution_title")}</h2>'
            f'<div class="figure">{histogram_svg(view, lang)}</div>'
            f'<h3>{_t(lang, "class_means_title")}</h3><div class="figure">{means_svg(view, lang)}</div>'
            f'<details><summary>{_t(lang, "class_table")}</summary><table><tr><th>{_t(lang, "class_function")}</th>'
            f'<th>{_t(lang, "class_mean")}</th><th>{_t(lang, "class_max")}</th></tr>{rows}</table></details></section>')


def _heatmap(view: ClassView, lang: str) -> str:
    return (f'<section id="heatmap"><h2>{_t(lang, "class_heatmap_title")}</h2>'
            f'<div class="figure">{heatmap_svg(view, lang)}</div></section>')


def _check_row(entry: dict) -> str:
    width = round(entry["rate"] * 80)
    if entry["counterexample"]:
        example = f"<code>{_e(entry['counterexample'])}</code> <span class=muted>(×{entry['counterexample_count']})</span>"
    elif entry["failure"]:  # no input failed (a missing file, an import error): the most frequent reason
        example = f"<span class=muted>{_e(entry['failure'])} (×{entry['failure_count']})</span>"
    else:
        example = ""
    return (f"<tr><td class=fn><code>{_e(entry['function'])}</code></td><td>{_e(entry['title'])}</td>"
            f"<td class=n>{entry['failed']} / {entry['graded']}</td><td class=n>{entry['rate'] * 100:.0f}% "
            f'<span class="bar" style="width:{width}px"></span></td><td>{example}</td></tr>')


def _checks(view: ClassView, lang: str) -> str:
    ranking = view.check_ranking()
    failing = [e for e in ranking if e["failed"]]
    passing = [e for e in ranking if not e["failed"]]
    head = (f"<tr><th>{_t(lang, 'class_function')}</th><th>{_t(lang, 'class_check')}</th>"
            f"<th>{_t(lang, 'class_failed')}</th><th>{_t(lang, 'class_rate')}</th>"
            f"<th>{_t(lang, 'class_counterexample')}</th></tr>")
    text = (f'<section id="checks"><h2>{_t(lang, "class_checks_title")}</h2>'
            f'<p class="muted">{_t(lang, "class_checks_intro", failing=len(failing), total=len(ranking))}</p>'
            f'<table>{head}{"".join(_check_row(e) for e in failing)}</table>')
    if passing:
        text += (f'<details><summary>{_t(lang, "class_checks_passed", count=len(passing))}</summary>'
                 f'<table>{head}{"".join(_check_row(e) for e in passing)}</table></details>')
    return text + "</section>"


def _mistakes(view: ClassView, lang: str) -> str:
    found = view.mistakes()
    if not found:
        return f'<section id="mistakes"><h2>{_t(lang, "class_mistakes_title")}</h2><p>{_t(lang, "class_none")}</p></section>'
    rows = []
    for m in found:
        erratum = (f' <a href="#erratum-{_anchor(m["erratum"])}">{_t(lang, "class_erratum_link", slide=m["erratum"])}</a>'
                   if m["erratum"] else "")
        rows.append(f"<tr><td class=n>{m['count']}</td><td>{_t(lang, 'class_mistake_line', count=m['count'])}"
                    f"<br>{_e(m['text'])}{erratum}</td><td><code>{_e(', '.join(m['functions']))}</code></td>"
                    f"<td>{_e(', '.join(m['students']))}</td></tr>")
    return (f'<section id="mistakes"><h2>{_t(lang, "class_mistakes_title")}</h2><table><tr>'
            f"<th>{_t(lang, 'class_students')}</th><th>{_t(lang, 'class_mistake')}</th>"
            f"<th>{_t(lang, 'class_function')}</th><th>{_t(lang, 'class_who')}</th></tr>{''.join(rows)}</table></section>")


# the errata's slides as ASCII names: their anchors on the page and their text keys in core/i18n.py
ERRATUM_NAMES = {"tanh": "tanh", "Swish": "swish", "ELU": "elu", "SoftPlus": "softplus", "R²": "r2", "i.i.d.": "iid"}


def _anchor(slide: str) -> str:
    return ERRATUM_NAMES.get(slide) or "".join(c if c.isascii() and c.isalnum() else "-" for c in slide.lower()).strip("-")


def _erratum_text(lang: str, slide: str, part: str, fallback: str) -> str:
    """An erratum's text in ``lang`` (``class_erratum_<name>_<part>``), else the contract's own."""
    key = f"class_erratum_{_anchor(slide)}_{part}"
    return _t(lang, key) if key in CATALOGUES.get(lang, {}) else _e(fallback)


def _errata(lang: str) -> str:
    rows = "".join(f'<tr id="erratum-{_anchor(e.slide)}"><td>{_e(e.slide)}</td>'
                   f"<td>{_erratum_text(lang, e.slide, 'written', e.written)}</td>"
                   f"<td>{_erratum_text(lang, e.slide, 'correct', e.correct)}</td></tr>" for e in ERRATA)
    return (f'<section id="errata"><h2>{_t(lang, "class_errata_title")}</h2><table><tr>'
            f"<th>{_t(lang, 'class_slide')}</th><th>{_t(lang, 'class_written')}</th>"
            f"<th>{_t(lang, 'class_correct')}</th></tr>{rows}</table></section>")


def _faults(view: ClassView, lang: str) -> str:
    found = view.faults()
    if not found:
        return f'<section id="faults"><h2>{_t(lang, "class_faults_title")}</h2><p>{_t(lang, "class_none")}</p></section>'
    rows = []
    for kind, items in found.items():
        where: dict[str, list[str]] = {}
        for item in items:  # one line per student: where it happened
            where.setdefault(item["student"], [])
            if item["where"] and item["where"] not in where[item["student"]]:
                where[item["student"]].append(item["where"])
        lines = "<br>".join(_e(student + (": " + ", ".join(places) if places else "")) for student, places in where.items())
        rows.append(f"<tr><td>{_t(lang, 'class_fault_' + kind)}</td><td class=n>{len(where)}</td><td>{lines}</td></tr>")
    rows = "".join(rows)
    return (f'<section id="faults"><h2>{_t(lang, "class_faults_title")}</h2><table><tr>'
            f"<th>{_t(lang, 'class_fault')}</th><th>{_t(lang, 'class_students')}</th>"
            f"<th>{_t(lang, 'class_who')}</th></tr>{rows}</table></section>")


def _timing(view: ClassView, lang: str) -> str:
    rows = "".join(f"<tr><td>{_e(s.student)}</td><td class=n>{s.seconds:.2f}</td><td>{_e(s.isolation)}</td></tr>"
                   for s in view.students)
    return (f'<section id="timing"><h2>{_t(lang, "class_timing_title")}</h2>'
            f'<div class="figure">{timing_svg(view, lang)}</div><details><summary>{_t(lang, "class_table")}</summary>'
            f"<table><tr><th>{_t(lang, 'class_student')}</th><th>{_t(lang, 'class_seconds')}</th>"
            f"<th>{_t(lang, 'class_isolation')}</th></tr>{rows}</table></details></section>")


def render_page(view: ClassView, title: str = "") -> str:
    """The whole page, in the view's language."""
    lang = view.language
    heading = _e(title) if title else _t(lang, "class_page_title")
    nav = "".join(f'<a href="#{s}">{_t(lang, "class_nav_" + s)}</a>' for s in SECTIONS)
    body = "".join([_summary(view, lang), _distribution(view, lang), _heatmap(view, lang), _checks(view, lang),
                    _mistakes(view, lang), _errata(lang), _faults(view, lang), _timing(view, lang)])
    return (f'<!DOCTYPE html>\n<html lang="{_e(lang)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{heading}</title>'
            f"<style>{STYLE}</style></head><body><h1>{heading}</h1><nav>{nav}</nav>{body}</body></html>\n")
