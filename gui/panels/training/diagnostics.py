"""The diagnostic plots (``engine/diagnose``): the decision boundary with each hidden unit's map, the
loss landscape with the training path, the learning-rate range test and the gradient flow. The window
shows them as tabs of the training dock; ``render_report`` draws the same widgets offscreen into PNG
files for ``main.py diagnose``. Arranging numbers only: every number comes from the engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QRectF
from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout, QWidget

from engine.diagnose.boundary import BoundaryMap
from engine.diagnose.gradflow import GradientFlow, histograms
from engine.diagnose.landscape import Line, Plane
from engine.diagnose.lr_range import RangeTest
from gui.panels.training.plots import COLORS, PlotPanel, _pen, readable_axes

CLASS_COLORS = ("#1f77b4", "#ff7f0e")  # class 0, class 1 (the map runs blue … white … orange)
WRONG_COLOR = "#d62728"
MAX_THUMBNAILS = 16
THUMB_PX = 72
POINT_PEN = "#202020"  # the points' outline: a point stays visible on the map of its own colour


def _diverging() -> Any:
    """Blue below the boundary, white on it, orange above (as TensorFlow Playground colours them)."""
    return pg.ColorMap([0.0, 0.5, 1.0], ["#1f77b4", "#f7f7f7", "#ff7f0e"])


def _levels(values: np.ndarray, centre: float) -> tuple[float, float]:
    """Colour levels symmetric about `centre` (the boundary is white)."""
    finite = values[np.isfinite(values)]
    reach = float(np.max(np.abs(finite - centre))) if finite.size else 1.0
    return centre - (reach or 1.0), centre + (reach or 1.0)


def _image(plot: Any, values: np.ndarray, xs: np.ndarray, ys: np.ndarray, centre: float) -> Any:
    """values[i, j] at (xs[j], ys[i]) as an image filling the grid's rectangle."""
    image = pg.ImageItem(values.T, levels=_levels(values, centre))
    image.setColorMap(_diverging())
    image.setRect(QRectF(xs[0], ys[0], xs[-1] - xs[0], ys[-1] - ys[0]))
    plot.addItem(image)
    return image


# ------------------------------------------------------------------------------- decision boundary
class BoundaryPlot(PlotPanel):
    """The output over the input plane with the dataset's points (class colours, misclassified ringed
    in red), and below it one thumbnail per hidden unit."""

    title = "Decision boundary"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._finish_controls()
        self.view = pg.GraphicsLayoutWidget()
        self.thumbs = pg.GraphicsLayoutWidget()  # the units' maps, a strip below the plane
        self.thumbs.setFixedHeight(THUMB_PX + 12)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.view, 1)
        column.addWidget(self.thumbs)
        self.set_content(content)
        self.map: BoundaryMap | None = None
        self.show_placeholder(
            "The decision boundary appears here for a graph whose dataset input has one or two features: "
            "the output over the input plane, the points on top, and each hidden unit's own map."
        )

    def set_map(self, bmap: BoundaryMap | None) -> None:
        self.map = bmap
        self.mark_dirty()

    def redraw(self) -> None:
        self.view.clear()
        self.thumbs.clear()
        bmap = self.map
        if bmap is None:
            return
        self.show_placeholder(None)
        plot = self.view.addPlot(row=0, col=0, axisItems=readable_axes())
        plot.setLabel("bottom", f"{bmap.input_id}[0]")
        if bmap.ys is None:
            self._draw_curve(plot, bmap)
        else:
            plot.setLabel("left", f"{bmap.input_id}[1]")
            _image(plot, bmap.output, bmap.xs, bmap.ys, bmap.level)
            self._draw_points(plot, bmap)
            plot.setRange(xRange=bmap.xs[[0, -1]], yRange=bmap.ys[[0, -1]], padding=0)
            self._draw_units(bmap)
        wrong = int(bmap.misclassified.sum())
        self.set_legend(
            [
                (CLASS_COLORS[0], "class 0", "●"),
                (CLASS_COLORS[1], "class 1", "●"),
                (WRONG_COLOR, f"misclassified ({wrong} of {len(bmap.labels)})", "○"),
                ("#808080", f"{bmap.output_id} over the plane, white at {bmap.level:.3g}", "■"),
            ]
        )

    def _draw_points(self, plot: Any, bmap: BoundaryMap) -> None:
        for cls, color in enumerate(CLASS_COLORS):
            mine = bmap.labels == bool(cls)
            pts = bmap.points[mine]
            plot.addItem(pg.ScatterPlotItem(pts[:, 0], pts[:, 1], size=6, brush=color, pen=POINT_PEN))
        wrong = bmap.points[bmap.misclassified]
        plot.addItem(
            pg.ScatterPlotItem(wrong[:, 0], wrong[:, 1], size=11, brush=None, pen=_pen(WRONG_COLOR, 2))
        )

    def _draw_curve(self, plot: Any, bmap: BoundaryMap) -> None:
        plot.setLabel("left", bmap.output_id)
        plot.addItem(pg.PlotCurveItem(bmap.xs, bmap.output, pen=_pen("#404040", 2)))
        for cls, color in enumerate(CLASS_COLORS):
            pts = bmap.points[bmap.labels == bool(cls)]
            plot.addItem(pg.ScatterPlotItem(pts[:, 0], pts[:, 1], size=7, brush=color, pen=POINT_PEN))
        plot.addItem(pg.InfiniteLine(bmap.level, angle=0, pen=_pen("#808080", dash=True)))

    def _draw_units(self, bmap: BoundaryMap) -> None:
        """A small map per hidden unit (TensorFlow Playground's neurons), up to MAX_THUMBNAILS."""
        maps = [(n, k, m[k]) for n, m in bmap.units.items() for k in range(len(m))][:MAX_THUMBNAILS]
        self.thumbs.setVisible(bool(maps))
        if not maps:
            return
        for n, k, values in maps:
            box = self.thumbs.addViewBox(lockAspect=False, enableMouse=False)
            box.setFixedHeight(THUMB_PX)
            box.setFixedWidth(THUMB_PX)
            _image(box, values, bmap.xs, bmap.ys, 0.0)
            box.setRange(xRange=bmap.xs[[0, -1]], yRange=bmap.ys[[0, -1]], padding=0)
            box.setToolTip(f"{n} unit {k}")
        self.thumbs.addLabel("")  # takes the rest of the row: the thumbnails keep their size

    def csv_rows(self) -> list[list[Any]]:
        bmap = self.map
        if bmap is None:
            return [["x", "y", "output"]]
        if bmap.ys is None:
            return [["x", "output"], *[[x, v] for x, v in zip(bmap.xs, bmap.output)]]
        rows = [[x, y, bmap.output[i, j]] for i, y in enumerate(bmap.ys) for j, x in enumerate(bmap.xs)]
        return [["x", "y", "output"], *rows]


# ------------------------------------------------------------------------------------ landscape
class LandscapePlot(PlotPanel):
    """Left: the loss along the gradient. Right: the loss on a filter-normalised random plane (colour and
    contours) with the training path projected on it, the current weights at (0, 0)."""

    title = "Loss landscape"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._finish_controls()
        self.view = pg.GraphicsLayoutWidget()
        self.set_content(self.view)
        self.line: Line | None = None
        self.plane: Plane | None = None
        self.show_placeholder("The loss around the current weights appears here (Diagnose ▸ Landscape).")

    def set_landscape(self, line: Line | None, plane: Plane | None) -> None:
        self.line, self.plane = line, plane
        self.mark_dirty()

    def redraw(self) -> None:
        self.view.clear()
        if self.line is None and self.plane is None:
            return
        self.show_placeholder(None)
        if self.line is not None:
            left = self.view.addPlot(row=0, col=0, axisItems=readable_axes())
            left.setLabel("bottom", "α (θ − α·∇L)")
            left.setLabel("left", "loss")
            left.addItem(pg.PlotCurveItem(self.line.alphas, self.line.losses, pen=_pen(COLORS[0], 2)))
            left.addItem(pg.InfiniteLine(0.0, angle=90, pen=_pen("#808080", dash=True)))
        if self.plane is not None:
            self._draw_plane(self.view.addPlot(row=0, col=1, axisItems=readable_axes()), self.plane)
        self.set_legend([(COLORS[1], "training path", "●"), ("#000000", "current weights", "✚")])

    def _draw_plane(self, plot: Any, plane: Plane) -> None:
        plot.setLabel("bottom", "α (direction 1)")
        plot.setLabel("left", "β (direction 2)")
        logl = np.log10(np.maximum(plane.losses, 1e-12))
        image = pg.ImageItem(logl.T)
        image.setColorMap(pg.colormap.get("viridis"))
        a, b = plane.alphas, plane.betas
        image.setRect(QRectF(a[0], b[0], a[-1] - a[0], b[-1] - b[0]))
        plot.addItem(image)
        lo, hi = float(np.nanmin(logl)), float(np.nanmax(logl))
        for level in np.linspace(lo, hi, 12)[1:-1]:
            iso = pg.IsocurveItem(logl.T, level, pen=_pen("#ffffff", 1))
            iso.setParentItem(image)
        if len(plane.path):
            p = plane.path
            plot.addItem(pg.PlotCurveItem(p[:, 0], p[:, 1], pen=_pen(COLORS[1], 2)))
            plot.addItem(pg.ScatterPlotItem(p[:, 0], p[:, 1], size=5, brush=COLORS[1], pen=None))
        plot.addItem(pg.ScatterPlotItem([0.0], [0.0], size=14, symbol="+", brush="k", pen=_pen("#000000", 2)))
        plot.setRange(xRange=a[[0, -1]], yRange=b[[0, -1]], padding=0)
        plot.setTitle(f"log₁₀ loss: {lo:.2f} … {hi:.2f}")

    def csv_rows(self) -> list[list[Any]]:
        p = self.plane
        if p is None:
            return [["alpha", "beta", "loss"]]
        rows = [[a, b, p.losses[i, j]] for i, b in enumerate(p.betas) for j, a in enumerate(p.alphas)]
        return [["alpha", "beta", "loss"], *rows]


# ------------------------------------------------------------------------------ LR range test
class RangeTestPlot(PlotPanel):
    """The loss against the learning rate (log axis): raw and smoothed, the suggestion marked."""

    title = "LR range test"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._finish_controls()
        self.plot = pg.PlotWidget(axisItems=readable_axes())
        self.plot.setLogMode(x=True)
        self.plot.setLabel("bottom", "learning rate")
        self.plot.setLabel("left", "loss")
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.set_content(self.plot)
        self.test: RangeTest | None = None
        self.show_placeholder("The learning-rate range test appears here (Diagnose ▸ LR range test).")

    def set_test(self, test: RangeTest | None) -> None:
        self.test = test
        self.mark_dirty()

    def redraw(self) -> None:
        self.plot.clear()
        t = self.test
        if t is None or not len(t.rates):
            return
        self.show_placeholder(None)
        self.plot.plot(t.rates, t.losses, pen=_pen("#9fbfdf"))
        self.plot.plot(t.rates, t.smoothed, pen=_pen(COLORS[0], 2.5))
        entries = [("#9fbfdf", "loss of each update", "━━"), (COLORS[0], "smoothed", "━━")]
        if t.suggested:
            self.plot.addItem(
                pg.InfiniteLine(np.log10(t.suggested), angle=90, pen=_pen(COLORS[1], 2, dash=True))
            )
            entries.append((COLORS[1], f"suggested rate {t.suggested:.3g}", "╌╌"))
        self.set_legend(entries)

    def csv_rows(self) -> list[list[Any]]:
        t = self.test
        rows = [] if t is None else [list(r) for r in zip(t.rates, t.losses, t.smoothed)]
        return [["lr", "loss", "smoothed"], *rows]


# ------------------------------------------------------------------------------ gradient flow
class GradientFlowPlot(PlotPanel):
    """Each parameter's gradient norm per update (log scale, input side first), the verdict below the
    controls, and a heat map over time of the histogram of the chosen parameter's values."""

    title = "Gradient flow"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = QComboBox()
        self.choice.setToolTip("The parameter whose values' histogram is shown over time")
        self.choice.currentIndexChanged.connect(lambda _i: self.mark_dirty())
        self.controls.addWidget(self.choice)
        self._finish_controls()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.layout().insertWidget(1, self.note)
        self.view = pg.GraphicsLayoutWidget()
        self.set_content(self.view)
        self.flow: GradientFlow | None = None
        self.snapshots: dict[str, list[np.ndarray]] = {}
        self.show_placeholder("The gradient norms of each parameter appear here while training.")

    def set_flow(
        self, flow: GradientFlow | None, snapshots: dict[str, list[np.ndarray]] | None = None
    ) -> None:
        """The norms, and per parameter its values at successive moments of the training."""
        self.flow, self.snapshots = flow, dict(snapshots or {})
        names = list(self.snapshots)
        if names != [self.choice.itemText(i) for i in range(self.choice.count())]:
            self.choice.blockSignals(True)
            self.choice.clear()
            self.choice.addItems(names)
            self.choice.blockSignals(False)
        self.mark_dirty()

    def redraw(self) -> None:
        self.view.clear()
        flow = self.flow
        if flow is None or not flow.norms.size:
            return
        self.show_placeholder(None)
        self.note.setText(flow.note)
        plot = self.view.addPlot(row=0, col=0, axisItems=readable_axes())
        plot.setLogMode(y=True)
        plot.setLabel("bottom", "update")
        plot.setLabel("left", "‖∇‖")
        x = np.arange(1, len(flow.norms) + 1)
        entries = []
        for k, name in enumerate(flow.order):
            color = COLORS[k % len(COLORS)]
            plot.addItem(pg.PlotCurveItem(x, np.maximum(flow.norms[:, k], 1e-300), pen=_pen(color)))
            entries.append((color, name, "━━"))
        self.set_legend(entries)
        self._draw_histograms()

    def _draw_histograms(self) -> None:
        name = self.choice.currentText()
        if name not in self.snapshots or not self.snapshots[name]:
            return
        edges, counts = histograms(self.snapshots[name])
        plot = self.view.addPlot(row=1, col=0, axisItems=readable_axes())
        plot.setLabel("bottom", "snapshot (over the training)")
        plot.setLabel("left", f"values of {name}")
        image = pg.ImageItem(counts.astype(float))
        image.setColorMap(pg.colormap.get("viridis"))
        image.setRect(QRectF(0, edges[0], len(counts), edges[-1] - edges[0]))
        plot.addItem(image)

    def csv_rows(self) -> list[list[Any]]:
        flow = self.flow
        if flow is None:
            return [["update"]]
        return [["update", *flow.order], *[[u + 1, *r] for u, r in enumerate(flow.norms.tolist())]]


def render_report(report: Any, out: Path, size: tuple[int, int] = (720, 560)) -> list[Path]:
    """Draw the report's pictures with the window's widgets, offscreen, into PNG files in `out`."""
    from gui.canvas.render import ensure_app

    ensure_app()
    panels: list[tuple[str, PlotPanel]] = []
    if report.boundary is not None:
        b = BoundaryPlot()
        b.set_map(report.boundary)
        panels.append(("boundary.png", b))
    land = LandscapePlot()
    land.set_landscape(report.line, report.plane)
    panels.append(("landscape.png", land))
    if report.range_test is not None:
        r = RangeTestPlot()
        r.set_test(report.range_test)
        panels.append(("lr_range_test.png", r))
    if report.flow is not None:
        g = GradientFlowPlot()
        snaps = [report.model.unflatten(s) for s in report.snapshots]
        g.set_flow(report.flow, {p: [s[p] for s in snaps] for p in report.model.parameter_ids})
        panels.append(("gradient_flow.png", g))
    written = []
    for name, panel in panels:
        panel.resize(*size)
        panel.show()
        panel.flush()
        ensure_app().processEvents()
        if panel.export_png(str(out / name)):
            written.append(out / name)
        panel.close()
        panel.deleteLater()
    # NOTE: delete the widgets while the application lives (pyqtgraph items outliving it crash at exit)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return written
