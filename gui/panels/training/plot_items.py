"""The pyqtgraph side of the plots: the global options, the readable axes and pens. Imported the first time
a plot is built (``PlotPanel.ensure_built``), never at start-up: importing pyqtgraph costs ~150 ms, most of
it creating every Qt class and enum for its own namespace, and the window's first paint needs no plot.
The plot panels (``plots.py``, ``symmetry.py``, ``diagnostics.py``) import ``pg`` from here, inside
the methods that build and draw their plots (so the options above are set before their first item)."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg  # the plots import it from here: configured before their first item
from PySide6.QtCore import Qt
from PySide6.QtGui import QPen

pg.setConfigOptions(antialias=False, background="w", foreground="k")

MIN_TICK_PX = {"left": 20, "right": 20, "top": 60, "bottom": 60}  # room per tick label on an axis
END_PX = 8  # a vertical axis labels no tick nearer its ends than this (pyqtgraph would not draw it)


class ReadableAxis(pg.AxisItem):
    """An axis whose tick labels keep MIN_TICK_PX apart: pyqtgraph always labels the first level of ticks
    however short the axis is (the labels of a 60-px log axis were drawn over each other)."""

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:
        levels = super().tickValues(minVal, maxVal, size)
        if self.orientation in ("left", "right") and size > 0:
            levels = _inside(levels, minVal, maxVal, abs(maxVal - minVal) * END_PX / size)
        room = max(2, int(size // MIN_TICK_PX[self.orientation]))
        kept: list[tuple[float, list[float]]] = []
        used = 0
        for spacing, values in levels:
            values = list(values)
            if used + len(values) > room:
                if not kept and values:
                    kept.append(_thinned(spacing, values, room))
                break
            kept.append((spacing, values))
            used += len(values)
        return kept


def _inside(levels: list[Any], a: float, b: float, margin: float) -> list[tuple[float, list[float]]]:
    """The ticks at least `margin` inside [a, b]."""
    lo, hi = min(a, b) + margin, max(a, b) - margin
    return [(spacing, [v for v in values if lo <= v <= hi]) for spacing, values in levels]


def _thinned(spacing: float | None, values: list[float], room: int) -> tuple[float | None, list[float]]:
    """At most `room` of the ticks: the multiples of 2, 5, 10, … × spacing (the labels' decimals follow
    the spacing, so the kept values must be its multiples); every k-th when there is no spacing."""
    if spacing is None:
        return None, values[:: -(-len(values) // room)]
    for k in (2, 5, 10, 20, 50, 100):
        step = spacing * k
        kept = [v for v in values if abs(v / step - round(v / step)) < 1e-6]
        if len(kept) <= room:
            return step, kept or values[:1]
    return step, kept[:room]


def readable_axes() -> dict[str, ReadableAxis]:
    """Left and bottom axes for a new plot (PlotWidget / addPlot ``axisItems``)."""
    axes = {"left": ReadableAxis("left"), "bottom": ReadableAxis("bottom")}
    for axis in axes.values():
        axis.enableAutoSIPrefix(False)  # a "(×1e-3)" appended to the label made it too long to show
    return axes


def make_pen(color: str, width: float = 1.0, dash: bool = False) -> QPen:
    """A cosmetic pen of `color` and `width` pixels, dashed or solid."""
    pen = pg.mkPen(color, width=width)
    if dash:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen
