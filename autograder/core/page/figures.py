"""The feedback page's plots: the student's curve against the reference's, as inline SVG.

matplotlib draws on its own ``Figure`` (no pyplot, no global backend state). The bytes are
deterministic: ``svg.hashsalt`` is fixed (the ids of clip paths), the ``Date`` metadata is left
out, and text stays text (``svg.fonttype = none``: small, and searchable in the page). Ids are
prefixed per figure, so that several SVGs inline in one page never share one.
"""

from __future__ import annotations

import io
import re
from typing import Any

import numpy as np

from ..checks.compare import tolerance
from ..messages import say
from ..plots import values_array

STYLE = {"svg.hashsalt": "dlgrade", "svg.fonttype": "none", "font.size": 9, "axes.titlesize": 9,
         "font.family": "sans-serif", "axes.spines.top": False, "axes.spines.right": False}
STUDENT, REFERENCE, DIFFER = "#dc2626", "#9ca3af", "#f59e0b"
WIDTH, HEIGHT = 6.4, 2.6  # inches


def differs(student: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Where the two curves differ beyond the float64 tolerance of the checks (nan where a
    number is due counts)."""
    rtol, atol = tolerance(np.float64)
    with np.errstate(all="ignore"):
        close = np.isclose(student, reference, rtol=rtol, atol=atol, equal_nan=True)
    return ~close


def _text(key: str, language: str, **values: Any) -> str:
    return say(key, **values).text(language)


def _finite(values: np.ndarray | None) -> np.ndarray | None:
    """The values with inf and -inf as gaps (nan), for drawing."""
    return None if values is None else np.where(np.isfinite(values), values, np.nan)


def limits(student: np.ndarray | None, reference: np.ndarray | None) -> tuple[float, float]:
    """The vertical range: both curves, but no more than twice the reference's own span beyond
    it (a student's curve that explodes must not flatten the reference into a line)."""
    def span(values: np.ndarray | None) -> tuple[float, float] | None:
        finite = values[np.isfinite(values)] if values is not None else np.array([])
        return (float(finite.min()), float(finite.max())) if finite.size else None

    ref, own = span(reference), span(student)
    if ref is None and own is None:
        return -1.0, 1.0
    low, high = ref or own
    if high - low <= 1e-6 * max(1.0, abs(high)):  # a constant (linear_grad): a unit range around it
        low, high = low - 0.5, high + 0.5
    width = high - low
    if own is not None and ref is not None:
        low, high = max(min(low, own[0]), low - 2 * width), min(max(high, own[1]), high + 2 * width)
    margin = 0.06 * max(high - low, width)
    return low - margin, high + margin


def _draw(axes: Any, x: np.ndarray, student: np.ndarray | None, reference: np.ndarray | None,
          language: str, ylabel: str) -> None:
    if reference is not None:
        axes.plot(x, _finite(reference), color=REFERENCE, linewidth=5, alpha=0.6, solid_capstyle="butt",
                  label=_text("page_plot_reference", language))
    if student is not None:
        axes.plot(x, _finite(student), color=STUDENT, linewidth=1.5, label=_text("page_plot_student", language))
    low, high = limits(student, reference)
    if student is not None and reference is not None:
        where = differs(student, reference)
        if where.any():
            # the shaded band between the curves, cut to the plot's range (non-finite values: to its edge)
            clipped = np.clip(np.nan_to_num(student, nan=high, posinf=high, neginf=low), low, high)
            base = np.clip(np.nan_to_num(reference, nan=low, posinf=high, neginf=low), low, high)
            axes.fill_between(x, np.minimum(clipped, base), np.maximum(clipped, base), where=where, color=DIFFER,
                              alpha=0.35, linewidth=0, label=_text("page_plot_differ", language))
            bad = where & ~np.isfinite(student)
            axes.scatter(x[bad], np.clip(np.nan_to_num(reference[bad]), low, high), marker="x", color=STUDENT, s=14)
    axes.set_xlim(float(x[0]), float(x[-1]))
    axes.set_ylim(low, high)
    axes.set_ylabel(ylabel)


def _derivative(x: np.ndarray, y: np.ndarray | None) -> np.ndarray | None:
    """dy/dx by central differences (one-sided at the ends)."""
    if y is None:
        return None
    with np.errstate(all="ignore"):
        return np.gradient(y, x)


class Painter:
    """Draws the plots of one page on two figures it keeps (one panel, and two for a loss): the
    axes and their ticks are made once and their curves replaced, which halves the cost of a
    plot. Not thread-safe: one painter per page."""

    def __init__(self) -> None:
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator

        self.figures: dict[int, tuple[Any, Any]] = {}
        self._figure, self._locator = Figure, MaxNLocator

    def _axes(self, panels: int) -> tuple[Any, Any]:
        if panels not in self.figures:
            height = HEIGHT * (1.7 if panels == 2 else 1)
            figure = self._figure(figsize=(WIDTH, height))
            MaxNLocator = self._locator
            # fixed margins (in inches): a layout engine measures every label, most of the time
            figure.subplots_adjust(left=0.75 / WIDTH, right=1 - 0.15 / WIDTH, bottom=0.5 / height,
                                   top=1 - 0.15 / height, hspace=0.25)
            axes = figure.subplots(panels, 1, sharex=True, squeeze=False)[:, 0]
            for ax in axes:
                # few ticks, no grid, labels placed once: the axes are most of a plot's cost
                ax.xaxis.set_major_locator(MaxNLocator(7))
                ax.yaxis.set_major_locator(MaxNLocator(5))
                box = ax.get_position()  # in figure fractions: the label's offset is set in inches
                ax.yaxis.set_label_coords(-0.55 / (box.width * WIDTH), 0.5)
                ax.xaxis.set_label_coords(0.5, -0.32 / (box.height * height))
            self.figures[panels] = (figure, axes)
        figure, axes = self.figures[panels]
        for ax in axes:
            for artist in list(ax.lines) + list(ax.collections):
                artist.remove()
            ax.relim()
        return figure, axes

    def svg(self, function: str, data: dict, language: str) -> str:
        """The plot of one function's data (``core/plots.collect``) as an SVG element."""
        from matplotlib import rc_context

        name = function.split(".")[1]
        x = values_array(data["x"])
        student, reference = values_array(data.get("student")), values_array(data.get("reference"))
        kind = data.get("kind")
        with rc_context(STYLE):
            figure, axes = self._axes(2 if kind == "loss" else 1)
            _draw(axes[0], x, student, reference, language, name)
            if kind == "loss":
                _draw(axes[1], x, _derivative(x, student), _derivative(x, reference), language,
                      _text("page_plot_loss_slope", language))
            axes[-1].set_xlabel(_text(f"page_axis_{axis_of(function, kind)}", language))
            buffer = io.StringIO()
            figure.savefig(buffer, format="svg", metadata={"Date": None})
        return _inline(buffer.getvalue(), re.sub(r"\W", "-", function))


def figure_svg(function: str, data: dict, language: str) -> str:
    """One plot on a figure of its own (``Painter`` for a page's many plots)."""
    return Painter().svg(function, data, language)


def axis_of(function: str, kind: str | None) -> str:
    """Which horizontal axis a plot has (a ``page_axis_*`` message)."""
    from ...contract import function as entry

    contract = entry(function)
    if contract.kind in ("layer", "jacobian"):
        return "row"
    if kind in ("loss", "gradient"):
        return contract.inputs
    return "z"


def _inline(svg: str, prefix: str) -> str:
    """The <svg> element alone (no XML declaration, no DOCTYPE), its ids prefixed."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r'url\(#([^)]+)\)', lambda m: f'url(#{prefix}-{m.group(1)})', svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"', svg)
    return svg.strip()
