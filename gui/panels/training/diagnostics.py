"""The diagnostic plots (``engine/diagnose``): the decision boundary with each hidden unit's map, the
loss landscape with the training path, the learning-rate range test and the gradient flow. The window
shows them as tabs of the training dock; ``render_report`` draws the same widgets offscreen into PNG
files for ``main.py diagnose``. Arranging numbers only: every number comes from the engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QRectF, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from engine.diagnose.boundary import BoundaryMap
from engine.diagnose.gradflow import GradientFlow, histograms
from engine.diagnose.landscape import Line, Plane
from engine.diagnose.lr_range import RangeTest
from gui.i18n import QT_TRANSLATE_NOOP, translate
from gui.panels.training.plots import COLORS, PlotPanel

CLASS_COLORS = ("#1f77b4", "#ff7f0e")  # class 0, class 1 (the map runs blue … white … orange)
WRONG_COLOR = "#d62728"
MAX_THUMBNAILS = 16
THUMB_PX = 64  # the width of a unit's thumbnail
THUMB_COLUMNS = 4
NO_BOUNDARY = QT_TRANSLATE_NOOP(
    "BoundaryPlot",
    "The decision boundary appears here for a graph whose dataset input has one or two features: "
    "the output over the input plane, the points on top, and each hidden unit's own map.",
)  # shown with translate("BoundaryPlot", NO_BOUNDARY)
POINT_PEN = "#202020"  # the points' outline: a point stays visible on the map of its own colour


def _diverging() -> Any:
    """Blue below the boundary, white on it, orange above (as TensorFlow Playground colours them)."""
    from gui.panels.training.plot_items import pg

    return pg.ColorMap([0.0, 0.5, 1.0], ["#1f77b4", "#f7f7f7", "#ff7f0e"])


def _levels(values: np.ndarray, centre: float) -> tuple[float, float]:
    """Colour levels symmetric about `centre` (the boundary is white)."""
    finite = values[np.isfinite(values)]
    reach = float(np.max(np.abs(finite - centre))) if finite.size else 1.0
    return centre - (reach or 1.0), centre + (reach or 1.0)


def _image(plot: Any, values: np.ndarray, xs: np.ndarray, ys: np.ndarray, centre: float) -> Any:
    """values[i, j] at (xs[j], ys[i]) as an image filling the grid's rectangle."""
    from gui.panels.training.plot_items import pg

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
    PLOT_ATTRIBUTES = frozenset({"view", "thumbs"})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._finish_controls()
        self.map: BoundaryMap | None = None
        self._key: Any = None
        self._plot: Any = None
        self._image: Any = None
        self._level: Any = None
        self._points: list[Any] = []
        self._wrong: Any = None
        self._unit_images: list[tuple[str, int, Any, Any]] = []
        self.show_placeholder(translate("BoundaryPlot", NO_BOUNDARY))

    def build(self) -> None:
        from gui.panels.training.plot_items import pg

        self.view = pg.GraphicsLayoutWidget()
        # the units' maps, a grid beside the plane (a bottom dock is wide and low)
        self.thumbs = pg.GraphicsLayoutWidget()
        self.thumbs.setFixedWidth(THUMB_COLUMNS * THUMB_PX)
        content = QWidget()
        row = QHBoxLayout(content)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.view, 1)
        row.addWidget(self.thumbs)
        self.set_content(content)

    def set_map(self, bmap: BoundaryMap | None) -> None:
        self.map = bmap
        self.mark_dirty()

    def redraw(self) -> None:
        bmap = self.map
        if bmap is None:
            self.show_placeholder(translate("BoundaryPlot", NO_BOUNDARY))
            return
        self.show_placeholder(None)
        # NOTE: live, only the images and points change: the items are rebuilt when the layout does
        key = (bmap.input_id, bmap.output_id, bmap.output.shape, [(n, len(m)) for n, m in bmap.units.items()])
        if key != self._key:
            self._key = key
            self._build(bmap)
        self._fill(bmap)
        wrong = translate("BoundaryPlot", "misclassified ({wrong} of {total})")
        plane = translate("BoundaryPlot", "{output} over the plane, white at {level}")
        self.set_legend(
            [
                (CLASS_COLORS[0], translate("BoundaryPlot", "class 0"), "●"),
                (CLASS_COLORS[1], translate("BoundaryPlot", "class 1"), "●"),
                (WRONG_COLOR, wrong.format(wrong=int(bmap.misclassified.sum()), total=len(bmap.labels)), "○"),
                ("#808080", plane.format(output=bmap.output_id, level=f"{bmap.level:.3g}"), "■"),
            ]
        )

    def _build(self, bmap: BoundaryMap) -> None:
        from gui.panels.training.plot_items import make_pen, pg, readable_axes

        self.view.clear()
        self.thumbs.clear()
        plot = self.view.addPlot(row=0, col=0, axisItems=readable_axes())
        plot.setLabel("bottom", f"{bmap.input_id}[0]")
        plot.setLabel("left", bmap.output_id if bmap.ys is None else f"{bmap.input_id}[1]")
        self._plot = plot
        if bmap.ys is None:
            self._image = pg.PlotCurveItem(pen=make_pen("#404040", 2))
            self._level = pg.InfiniteLine(bmap.level, angle=0, pen=make_pen("#808080", dash=True))
            plot.addItem(self._level)
        else:
            self._image = pg.ImageItem()
            self._image.setColorMap(_diverging())
        plot.addItem(self._image)
        self._points = [pg.ScatterPlotItem(size=6, brush=c, pen=POINT_PEN) for c in CLASS_COLORS]
        self._wrong = pg.ScatterPlotItem(size=11, brush=None, pen=make_pen(WRONG_COLOR, 2))
        for item in (*self._points, self._wrong):
            plot.addItem(item)
        self._unit_images = []
        maps = [(n, k) for n, m in bmap.units.items() for k in range(len(m))][:MAX_THUMBNAILS]
        self.thumbs.setVisible(bool(maps) and bmap.ys is not None)
        for i, (n, k) in enumerate(maps):
            box = self.thumbs.addViewBox(row=i // THUMB_COLUMNS, col=i % THUMB_COLUMNS, enableMouse=False)
            box.setToolTip(translate("BoundaryPlot", "{node} unit {k}").format(node=n, k=k))
            image = pg.ImageItem()
            image.setColorMap(_diverging())
            box.addItem(image)
            self._unit_images.append((n, k, box, image))

    def _fill(self, bmap: BoundaryMap) -> None:
        for cls, item in enumerate(self._points):
            pts = bmap.points[bmap.labels == bool(cls)]
            item.setData(pts[:, 0], pts[:, 1])
        if bmap.ys is None:
            self._image.setData(bmap.xs, bmap.output)
            self._level.setValue(bmap.level)
            return
        wrong = bmap.points[bmap.misclassified]
        self._wrong.setData(wrong[:, 0], wrong[:, 1])
        rect = QRectF(bmap.xs[0], bmap.ys[0], bmap.xs[-1] - bmap.xs[0], bmap.ys[-1] - bmap.ys[0])
        self._image.setImage(bmap.output.T, levels=_levels(bmap.output, bmap.level))
        self._image.setRect(rect)
        self._plot.setRange(rect, padding=0)
        for n, k, box, image in self._unit_images:
            values = bmap.units[n][k]
            image.setImage(values.T, levels=_levels(values, 0.0))
            image.setRect(rect)
            box.setRange(rect, padding=0)

    def csv_rows(self) -> list[list[Any]]:
        bmap = self.map
        if bmap is None:
            return [["x", "y", "output"]]
        if bmap.ys is None:
            return [["x", "output"], *[[x, v] for x, v in zip(bmap.xs, bmap.output)]]
        rows = [[x, y, bmap.output[i, j]] for i, y in enumerate(bmap.ys) for j, x in enumerate(bmap.xs)]
        return [["x", "y", "output"], *rows]


def _compute_button(panel: Any, tip: str) -> QPushButton:
    button = QPushButton(translate("DiagnosticPlots", "Compute"))
    button.setToolTip(tip)
    button.clicked.connect(panel.requested.emit)
    return button


# ------------------------------------------------------------------------------------ landscape
class LandscapePlot(PlotPanel):
    """Left: the loss along the gradient. Right: the loss on a filter-normalised random plane (colour and
    contours) with the training path projected on it, the current weights at (0, 0)."""

    title = "Loss landscape"
    PLOT_ATTRIBUTES = frozenset({"view"})
    requested = Signal()  # the user asks for the landscape around the current weights

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        tip = translate("LandscapePlot", "The loss around the current weights (41×41 points)")
        self.controls.addWidget(_compute_button(self, tip))
        self._finish_controls()
        self.line: Line | None = None
        self.plane: Plane | None = None
        self.show_placeholder(
            translate("LandscapePlot", "The loss around the current weights appears here: press Compute.")
        )

    def build(self) -> None:
        from gui.panels.training.plot_items import pg

        self.view = pg.GraphicsLayoutWidget()
        self.set_content(self.view)

    def set_landscape(self, line: Line | None, plane: Plane | None) -> None:
        self.line, self.plane = line, plane
        self.mark_dirty()

    def redraw(self) -> None:
        from gui.panels.training.plot_items import make_pen, pg, readable_axes

        self.view.clear()
        if self.line is None and self.plane is None:
            return
        self.show_placeholder(None)
        if self.line is not None:
            left = self.view.addPlot(row=0, col=0, axisItems=readable_axes())
            left.setLabel("bottom", "α (θ − α·∇L)")
            left.setLabel("left", translate("LandscapePlot", "loss"))
            left.addItem(pg.PlotCurveItem(self.line.alphas, self.line.losses, pen=make_pen(COLORS[0], 2)))
            left.addItem(pg.InfiniteLine(0.0, angle=90, pen=make_pen("#808080", dash=True)))
        if self.plane is not None:
            self._draw_plane(self.view.addPlot(row=0, col=1, axisItems=readable_axes()), self.plane)
        path, now = translate("LandscapePlot", "training path"), translate("LandscapePlot", "current weights")
        self.set_legend([(COLORS[1], path, "●"), ("#000000", now, "✚")])

    def _draw_plane(self, plot: Any, plane: Plane) -> None:
        from gui.panels.training.plot_items import make_pen, pg

        plot.setLabel("bottom", translate("LandscapePlot", "α (direction 1)"))
        plot.setLabel("left", translate("LandscapePlot", "β (direction 2)"))
        logl = np.log10(np.maximum(plane.losses, 1e-12))
        image = pg.ImageItem(logl.T)
        image.setColorMap(pg.colormap.get("viridis"))
        a, b = plane.alphas, plane.betas
        image.setRect(QRectF(a[0], b[0], a[-1] - a[0], b[-1] - b[0]))
        plot.addItem(image)
        lo, hi = float(np.nanmin(logl)), float(np.nanmax(logl))
        for level in np.linspace(lo, hi, 12)[1:-1]:
            iso = pg.IsocurveItem(logl.T, level, pen=make_pen("#ffffff", 1))
            iso.setParentItem(image)
        if len(plane.path):
            p = plane.path
            plot.addItem(pg.PlotCurveItem(p[:, 0], p[:, 1], pen=make_pen(COLORS[1], 2)))
            plot.addItem(pg.ScatterPlotItem(p[:, 0], p[:, 1], size=5, brush=COLORS[1], pen=None))
        now = pg.ScatterPlotItem([0.0], [0.0], size=14, symbol="+", brush="k", pen=make_pen("#000000", 2))
        plot.addItem(now)
        plot.setRange(xRange=a[[0, -1]], yRange=b[[0, -1]], padding=0)
        plot.setTitle(
            translate("LandscapePlot", "log₁₀ loss: {low} … {high}").format(low=f"{lo:.2f}", high=f"{hi:.2f}")
        )

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
    PLOT_ATTRIBUTES = frozenset({"plot"})
    requested = Signal()  # the user asks for a range test from the current weights

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controls.addWidget(
            _compute_button(
                self,
                translate(
                    "RangeTestPlot",
                    "Train from the current weights with a growing rate (the weights are restored)",
                ),
            )
        )
        self._finish_controls()
        self.test: RangeTest | None = None
        self.show_placeholder(
            translate("RangeTestPlot", "The learning-rate range test appears here: press Compute.")
        )

    def build(self) -> None:
        from gui.panels.training.plot_items import pg, readable_axes

        self.plot = pg.PlotWidget(axisItems=readable_axes())
        self.plot.setLogMode(x=True)
        self.plot.setLabel("bottom", translate("RangeTestPlot", "learning rate"))
        self.plot.setLabel("left", translate("RangeTestPlot", "loss"))
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.set_content(self.plot)

    def set_test(self, test: RangeTest | None) -> None:
        self.test = test
        self.mark_dirty()

    def redraw(self) -> None:
        from gui.panels.training.plot_items import make_pen, pg

        self.plot.clear()
        t = self.test
        if t is None or not len(t.rates):
            return
        self.show_placeholder(None)
        self.plot.plot(t.rates, t.losses, pen=make_pen("#9fbfdf"))
        self.plot.plot(t.rates, t.smoothed, pen=make_pen(COLORS[0], 2.5))
        entries = [
            ("#9fbfdf", translate("RangeTestPlot", "loss of each update"), "━━"),
            (COLORS[0], translate("RangeTestPlot", "smoothed"), "━━"),
        ]
        if t.suggested:
            self.plot.addItem(
                pg.InfiniteLine(np.log10(t.suggested), angle=90, pen=make_pen(COLORS[1], 2, dash=True))
            )
            rate = translate("RangeTestPlot", "suggested rate {rate}").format(rate=f"{t.suggested:.3g}")
            entries.append((COLORS[1], rate, "╌╌"))
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
    PLOT_ATTRIBUTES = frozenset({"view"})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = QComboBox()
        self.choice.setToolTip(
            translate(
                "GradientFlowPlot",
                "The parameter whose values' and gradients' histograms are shown over time",
            )
        )
        self.choice.currentIndexChanged.connect(lambda _i: self.mark_dirty())
        self.controls.addWidget(self.choice)
        self._finish_controls()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.layout().insertWidget(1, self.note)
        self.flow: GradientFlow | None = None
        self.snapshots: dict[str, list[np.ndarray]] = {}
        self.grad_snapshots: dict[str, list[np.ndarray]] = {}
        self._key: Any = None
        self._curves: list[Any] = []
        self._heats: list[tuple[dict[str, list[np.ndarray]], Any]] = []
        self.show_placeholder(
            translate("GradientFlowPlot", "The gradient norms of each parameter appear here while training.")
        )

    def build(self) -> None:
        from gui.panels.training.plot_items import pg

        self.view = pg.GraphicsLayoutWidget()
        self.set_content(self.view)

    def set_flow(
        self,
        flow: GradientFlow | None,
        snapshots: dict[str, list[np.ndarray]] | None = None,
        grad_snapshots: dict[str, list[np.ndarray]] | None = None,
    ) -> None:
        """The norms, and per parameter its values (and gradients) at successive moments of the training."""
        self.flow, self.snapshots = flow, dict(snapshots or {})
        self.grad_snapshots = dict(grad_snapshots or {})
        names = list(self.snapshots)
        if names != [self.choice.itemText(i) for i in range(self.choice.count())]:
            self.choice.blockSignals(True)
            self.choice.clear()
            self.choice.addItems(names)
            self.choice.blockSignals(False)
        self.mark_dirty()

    def redraw(self) -> None:
        flow = self.flow
        if flow is None or not flow.norms.size:
            return
        self.show_placeholder(None)
        self.note.setText(flow.note)
        # NOTE: live, only the curves' data and the heat map change: the items are rebuilt with the order
        key = (tuple(flow.order), self.choice.currentText(), bool(self.grad_snapshots))
        if key != self._key:
            self._key = key
            self._build(flow)
        x = np.arange(1, len(flow.norms) + 1)
        for k, curve in enumerate(self._curves):
            curve.setData(x, np.maximum(flow.norms[:, k], 1e-300))
        name = self.choice.currentText()
        for source, image in self._heats:
            if source.get(name):
                edges, counts = histograms(source[name])
                image.setImage(counts.astype(float))
                image.setRect(QRectF(0, edges[0], len(counts), edges[-1] - edges[0]))

    def _build(self, flow: GradientFlow) -> None:
        from gui.panels.training.plot_items import make_pen, pg, readable_axes

        self.view.clear()
        plot = self.view.addPlot(row=0, col=0, axisItems=readable_axes())
        plot.setLogMode(y=True)
        plot.setLabel("bottom", translate("GradientFlowPlot", "update"))
        plot.setLabel("left", "‖∇‖")
        self._curves = []
        for k, _name in enumerate(flow.order):
            curve = plot.plot(pen=make_pen(COLORS[k % len(COLORS)]))
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            self._curves.append(curve)
        self.set_legend([(COLORS[k % len(COLORS)], name, "━━") for k, name in enumerate(flow.order)])
        self._heats = []
        name = self.choice.currentText()
        # NOTE: the heat maps beside the norms, not below: a bottom dock is wide and low, and three plots
        # stacked in ~200 px left the norms' axis crushed, its label over the maps
        grid = self.view.ci.layout
        grid.setContentsMargins(0, 0, 24, 0)  # room for the last map's axis label, centred on its image
        grid.setColumnStretchFactor(0, 3)
        for col, (what, source) in enumerate(
            (
                (translate("GradientFlowPlot", "values of {name}"), self.snapshots),
                (translate("GradientFlowPlot", "gradients of {name}"), self.grad_snapshots),
            ),
            start=1,
        ):
            grid.setColumnStretchFactor(col, 2)
            if name in source:
                heat = self.view.addPlot(row=0, col=col, axisItems=readable_axes())
                heat.setLabel("bottom", translate("GradientFlowPlot", "snapshot (over the training)"))
                heat.setLabel("left", what.format(name=name))
                image = pg.ImageItem()
                image.setColorMap(pg.colormap.get("viridis"))
                heat.addItem(image)
                self._heats.append((source, image))

    def csv_rows(self) -> list[list[Any]]:
        flow = self.flow
        if flow is None:
            return [["update"]]
        return [["update", *flow.order], *[[u + 1, *r] for u, r in enumerate(flow.norms.tolist())]]


def render_report(
    report: Any, out: Path, size: tuple[int, int] = (720, 560), lang: str | None = None
) -> list[Path]:
    """Draw the report's pictures with the window's widgets, offscreen, into PNG files in `out`; in
    `lang` (``main.py diagnose --lang``: the window's catalogue is installed while they are drawn, and
    removed after, English again) or, when None, in the language the application already speaks."""
    from gui import i18n
    from gui.canvas.render import ensure_app

    app = ensure_app()
    translators = i18n.install(app, lang) if lang is not None else []
    try:
        return _render_panels(_report_panels(report), out, size)
    finally:
        if lang is not None:
            i18n.uninstall(app, translators)


def _report_panels(report: Any) -> list[tuple[str, PlotPanel]]:
    """The report's plots, each with the name of its PNG file."""
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
        ids = report.model.parameter_ids
        snaps = [report.model.unflatten(s) for s in report.snapshots]
        grads = [report.model.unflatten(s) for s in report.grad_snapshots]
        g.set_flow(
            report.flow, {p: [s[p] for s in snaps] for p in ids}, {p: [s[p] for s in grads] for p in ids}
        )
        panels.append(("gradient_flow.png", g))
    return panels


def _render_panels(panels: list[tuple[str, PlotPanel]], out: Path, size: tuple[int, int]) -> list[Path]:
    from gui.canvas.render import ensure_app

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
