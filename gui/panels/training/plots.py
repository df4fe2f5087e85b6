"""Training plots (pyqtgraph, one dock each): the loss per update and per epoch (with comparison runs
overlaid), the selected activation's function and derivative with the batch's pre-activations drawn on
both curves, per-parameter gradient norms, and a symmetry view of the weight matrices.

The plots keep what the training panel hands them (from the engine's progress reports) and redraw at
most ~3 times a second, one plot at a time (a shared timer), and only while visible: a redraw and its
repaint then never pile up into one long pause of the GUI thread. Each can be exported as PNG
(``export_png``) and its data as CSV
(``export_csv``). No numerics here beyond arranging the numbers for display.
"""

from __future__ import annotations

import csv
import io
import math
import time
import weakref
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGraphicsRectItem,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engine.train.metrics import activation_curve, symmetry

REDRAW_MS = 300  # a plot redraws at most ~3 times a second
TICK_MS = 50  # the shared redraw timer: at most one plot redraws per tick
COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")
LOG_FLOOR = 1e-300

pg.setConfigOptions(antialias=False, background="w", foreground="k")


MAX_POINTS = 4000  # points handed to a curve: longer series are reduced to each bucket's min and max


def decimated(y: np.ndarray, start: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) for plotting y against 1, 2, …: at most ~MAX_POINTS points, keeping every bucket's min and
    max so that spikes stay visible."""
    n = len(y)
    x = np.arange(start, start + n, dtype=np.float64)
    if n <= MAX_POINTS:
        return x, y
    k = -(-2 * n // MAX_POINTS)
    m = n // k
    yb = y[: m * k].reshape(m, k)
    xb = x[: m * k].reshape(m, k)
    lo, hi = yb.argmin(axis=1), yb.argmax(axis=1)
    rows = np.arange(m)
    first = np.minimum(lo, hi)
    second = np.maximum(lo, hi)
    xs = np.column_stack([xb[rows, first], xb[rows, second]]).reshape(-1)
    ys = np.column_stack([yb[rows, first], yb[rows, second]]).reshape(-1)
    return np.concatenate([xs, x[m * k :]]), np.concatenate([ys, y[m * k :]])


def nice_up(n: float) -> float:
    """The smallest of 1, 2, 5 × 10^k that is ≥ n (an axis end that stays put while data grows)."""
    if not n > 1:
        return 1.0
    k = 10.0 ** math.floor(math.log10(n))
    return next(m * k for m in (1, 2, 5, 10) if m * k >= n)


def nice_range(values: np.ndarray, log: bool = False) -> tuple[float, float]:
    """An axis range around the finite values, rounded outwards (whole decades on a log axis) so that
    it changes only now and then while the data moves."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v) & (v > 0)] if log else v[np.isfinite(v)]
    if not len(v):
        return (-1.0, 1.0) if log else (0.0, 1.0)
    if log:
        lo, hi = float(np.log10(max(v.min(), LOG_FLOOR))), float(np.log10(v.max()))
        lo, hi = math.floor(lo), math.ceil(hi)
        return (float(lo), float(hi if hi > lo else lo + 1))
    lo, hi = float(v.min()), float(v.max())
    if hi - lo <= 1e-12 * max(abs(lo), abs(hi), 1e-300):
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    step = 10.0 ** math.floor(math.log10(hi - lo))
    return (math.floor(lo / step) * step, math.ceil(hi / step) * step)


class _Series:
    """A growing float array (amortised appends)."""

    def __init__(self) -> None:
        self.data = np.empty(1024)
        self.n = 0

    def extend(self, values: Any) -> None:
        values = np.asarray(values, dtype=np.float64).reshape(-1)
        need = self.n + len(values)
        if need > len(self.data):
            grown = np.empty(max(need, 2 * len(self.data)))
            grown[: self.n] = self.data[: self.n]
            self.data = grown
        self.data[self.n : need] = values
        self.n = need

    def view(self) -> np.ndarray:
        return self.data[: self.n]

    def clear(self) -> None:
        self.n = 0


class _RedrawScheduler:
    """One timer for every plot: each tick redraws at most one dirty, visible plot (the one waiting
    longest, and none more often than every REDRAW_MS); the timer stops when nothing is waiting."""

    def __init__(self) -> None:
        self.panels: list[weakref.ref[PlotPanel]] = []
        self.timer: QTimer | None = None
        self.hold_until = 0.0
        self.last_redraw = 0.0

    def add(self, panel: PlotPanel) -> None:
        self.panels.append(weakref.ref(panel))

    def wake(self) -> None:
        if self.timer is None:
            self.timer = QTimer()
            self.timer.setInterval(TICK_MS)
            self.timer.timeout.connect(self.tick)
        if not self.timer.isActive():
            self.timer.start()

    def tick(self) -> None:
        now = time.perf_counter()
        if now < self.hold_until:
            return
        waiting = self._waiting()
        due = [p for p in waiting if now - p._last_redraw >= REDRAW_MS / 1000]
        if due:
            panel = min(due, key=lambda p: p._last_redraw)
            panel._last_redraw = self.last_redraw = now
            panel.flush()
            waiting.remove(panel)
        if not waiting and self.timer is not None:
            self.timer.stop()

    def _waiting(self) -> list[PlotPanel]:
        """The dirty, visible plots; forgets the plots that are gone."""
        alive, waiting = [], []
        for ref in self.panels:
            panel = ref()
            try:
                visible = panel is not None and panel.isVisible()
            except RuntimeError:  # the widget is gone
                continue
            if panel is None:
                continue
            alive.append(ref)
            if panel._dirty and visible:
                waiting.append(panel)
        self.panels = alive
        return waiting


_SCHEDULER = _RedrawScheduler()


def hold_redraws(seconds: float) -> None:
    """No plot redraws for `seconds`: something else (the canvas) is about to repaint, and the two
    repaints would otherwise land in one pause of the GUI thread."""
    _SCHEDULER.hold_until = max(_SCHEDULER.hold_until, time.perf_counter() + seconds)


def redrawn_within(seconds: float) -> bool:
    """Whether a plot redrew in the last `seconds` (its repaint may still be pending)."""
    return time.perf_counter() - _SCHEDULER.last_redraw < seconds


class PlotPanel(QWidget):
    """A plot with a row of controls and PNG/CSV export; subclasses fill `controls` and `redraw`."""

    title = "plot"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controls = QHBoxLayout()
        self.controls.setContentsMargins(0, 0, 0, 0)
        png = QPushButton("PNG…")
        png.setToolTip("Export the plot as a PNG image")
        png.clicked.connect(lambda: self._ask_export("png"))
        data = QPushButton("CSV…")
        data.setToolTip("Export the plotted data as CSV")
        data.clicked.connect(lambda: self._ask_export("csv"))
        self._export_buttons = (png, data)
        self.setMinimumHeight(220)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(self.controls)
        self.body = QVBoxLayout()
        layout.addLayout(self.body, 1)
        self._dirty = False
        self._last_redraw = 0.0
        self._ranges: dict[int, Any] = {}
        _SCHEDULER.add(self)

    def _finish_controls(self) -> None:
        self.controls.addStretch(1)
        for b in self._export_buttons:
            self.controls.addWidget(b)

    def mark_dirty(self) -> None:
        self._dirty = True
        _SCHEDULER.wake()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._dirty:
            _SCHEDULER.wake()

    def flush(self) -> None:
        """Redraw now (the shared timer, tests, exports)."""
        self._dirty = False
        self.redraw()
        # NOTE: pyqtgraph applies auto-range while painting; the axes then change and ask for a second
        # repaint, which doubles the cost of every redraw. Applying it here makes it one repaint.
        for plot in self.plot_items():
            plot.getViewBox().prepareForPaint()

    def redraw(self) -> None:
        raise NotImplementedError

    def plot_items(self) -> list[Any]:
        """The pyqtgraph PlotItems of this panel."""
        return []

    # NOTE: pyqtgraph's auto-range moves the axes at nearly every redraw, and an axis that moves is
    # laid out and drawn again (a redraw then costs ~3× as much). The plots set rounded ranges
    # themselves, while the user has not panned or zoomed (the "A" button hands back to them).
    def manage_range(self, plot: Any) -> None:
        box = plot.getViewBox()
        box.disableAutoRange()
        box.sigRangeChangedManually.connect(lambda *_: self._stop_following(box))
        self._ranges[id(box)] = None

    def _stop_following(self, box: Any) -> None:
        self._ranges[id(box)] = "user"

    def set_range(self, plot: Any, x: tuple[float, float] | None, y: tuple[float, float] | None) -> None:
        """Show x and y (None: leave as is) unless the user has moved this plot; no-op if unchanged."""
        box = plot.getViewBox()
        key = id(box)
        if any(box.autoRangeEnabled()):  # the "A" button: follow the data again
            box.disableAutoRange()
            self._ranges[key] = None
        last = self._ranges.get(key)
        if last == "user":
            return
        last = last or (None, None)
        x = x if x is not None else last[0]
        y = y if y is not None else last[1]
        if (x, y) != last:
            box.setRange(xRange=x, yRange=y, padding=0.02)
            self._ranges[key] = (x, y)

    def follow_again(self) -> None:
        """Ranges follow the data again (a new run)."""
        for key in self._ranges:
            self._ranges[key] = None

    def csv_rows(self) -> list[list[Any]]:
        raise NotImplementedError

    def export_png(self, path: str) -> bool:
        self.flush()
        return self.grab().save(path, "PNG")

    def export_csv(self, path: str) -> None:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(self.csv_rows())
        with open(path, "w", encoding="utf-8") as f:
            f.write(out.getvalue())

    def _ask_export(self, kind: str) -> None:
        name = self.title.lower().replace(" ", "_")
        filt = "PNG image (*.png)" if kind == "png" else "CSV (*.csv)"
        path, _ = QFileDialog.getSaveFileName(self, f"Export {self.title}", f"{name}.{kind}", filt)
        if path:
            self.export_png(path) if kind == "png" else self.export_csv(path)


def _pen(color: str, width: float = 1.0, dash: bool = False) -> QPen:
    pen = pg.mkPen(color, width=width)
    if dash:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


def _build_series_plot(panel: Any, y_label: str) -> None:
    """A log-scale toggle and a plot of something per update, with a grid and a legend."""
    panel.log = QCheckBox("log scale")
    panel.log.setChecked(True)
    panel.log.toggled.connect(lambda _on: panel.flush())
    panel.controls.addWidget(panel.log)
    panel._finish_controls()
    panel.plot = pg.PlotWidget()
    panel.plot.setLabel("bottom", "update")
    panel.plot.setLabel("left", y_label)
    panel.plot.showGrid(x=True, y=True, alpha=0.2)
    panel.legend = panel.plot.addLegend(offset=(-10, 10))
    panel.body.addWidget(panel.plot)


# ----------------------------------------------------------------------------------------- loss
class LossPlot(PlotPanel):
    """The loss of every update (thin) and each epoch's mean (thick), live; comparisons overlaid."""

    title = "Loss"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _build_series_plot(self, "loss")
        self.updates = _Series()
        self.epoch_x = _Series()
        self.epochs = _Series()
        self.curve = self.plot.plot(pen=_pen("#7f9fbf"), name="per update")
        self.epoch_curve = self.plot.plot(
            pen=_pen("#1f3f7f", 2.5), symbol="o", symbolSize=4, symbolBrush="#1f3f7f", name="per epoch"
        )
        self.comparisons: list[tuple[str, np.ndarray]] = []
        self._comparison_curves: list[Any] = []
        self.span: int | None = None
        self._log_mode: bool | None = None
        self.manage_range(self.plot.getPlotItem())

    def reset(self, span: int | None = None) -> None:
        """Empty; `span` is the number of updates the run will make (the x axis then stays put)."""
        self.updates.clear()
        self.epoch_x.clear()
        self.epochs.clear()
        self.span = span
        self.follow_again()
        self.mark_dirty()

    def add(self, history: Any, epoch_losses: Any, updates_per_epoch: int) -> None:
        """New losses per update and per epoch (lists or arrays), appended in one go."""
        self.updates.extend(history)
        if len(epoch_losses):
            first = self.epochs.n + 1
            self.epochs.extend(epoch_losses)
            self.epoch_x.extend(np.arange(first, self.epochs.n + 1) * max(updates_per_epoch, 1))
        self.mark_dirty()

    def set_comparison(self, runs: list[tuple[str, list[float]]]) -> None:
        """Overlay finished runs (label, loss per update); [] removes them."""
        for c in self._comparison_curves:
            self.plot.removeItem(c)
            self.legend.removeItem(c)
        self.comparisons = [(label, np.asarray(h, dtype=np.float64)) for label, h in runs]
        self._comparison_curves = [
            self.plot.plot(pen=_pen(COLORS[(i + 1) % len(COLORS)], 1.5, dash=i % 2 == 1), name=label)
            for i, (label, _) in enumerate(self.comparisons)
        ]
        self.flush()

    def _y(self, y: np.ndarray) -> np.ndarray:
        return np.maximum(y, LOG_FLOOR) if self.log.isChecked() else y

    def plot_items(self) -> list[Any]:
        return [self.plot.getPlotItem()]

    def redraw(self) -> None:
        log = self.log.isChecked()
        if log != self._log_mode:
            self._log_mode = log
            self.plot.setLogMode(y=log)
            self.follow_again()
        y = self.updates.view()
        shown = [self._draw(self.curve, y), self._draw_epochs()]
        shown += [self._draw(curve, h) for curve, (_, h) in zip(self._comparison_curves, self.comparisons)]
        n = max([len(y)] + [len(h) for _, h in self.comparisons])
        span = max(self.span or 0, n) if self.span else nice_up(n)
        values = np.concatenate([v for v in shown if v is not None] or [np.zeros(0)])
        self.set_range(self.plot.getPlotItem(), (0.0, float(span)), nice_range(values, log))

    def _draw(self, curve: Any, y: np.ndarray) -> np.ndarray | None:
        """y against update 1, 2, … on the curve (decimated); the values drawn, for the y range."""
        if not len(y):
            curve.setData([], [])
            return None
        xs, ys = decimated(self._y(y))
        curve.setData(xs, ys)
        return ys

    def _draw_epochs(self) -> np.ndarray | None:
        """Each epoch's mean at the epoch's last update; dots while there are few."""
        e = self.epochs.view()
        if not len(e):
            self.epoch_curve.setData([], [])
            return None
        step = max(1, len(e) // MAX_POINTS)
        self.epoch_curve.setData(self.epoch_x.view()[::step], self._y(e)[::step])
        self.epoch_curve.setSymbol("o" if len(e) <= 200 else None)
        return self._y(e)

    def csv_rows(self) -> list[list[Any]]:
        y = self.updates.view()
        epoch_at = dict(zip(self.epoch_x.view().astype(int).tolist(), self.epochs.view().tolist()))
        header = ["update", "loss", "epoch_mean_loss"] + [f"loss ({label})" for label, _ in self.comparisons]
        n = max([len(y)] + [len(h) for _, h in self.comparisons])
        rows: list[list[Any]] = [header]
        for i in range(n):
            row: list[Any] = [i + 1, repr(float(y[i])) if i < len(y) else "", epoch_at.get(i + 1, "")]
            row += [repr(float(h[i])) if i < len(h) else "" for _, h in self.comparisons]
            rows.append(row)
        return rows


# ------------------------------------------------------------------------------------ grad norms
class GradNormPlot(PlotPanel):
    """‖∂L/∂θ‖ of every parameter, per update (vanishing or exploding gradients at a glance)."""

    title = "Gradient norms"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _build_series_plot(self, "gradient norm")
        self.names: list[str] = []
        self.series: list[_Series] = []
        self.curves: list[Any] = []
        self.span: int | None = None
        self._log_mode: bool | None = None
        self.manage_range(self.plot.getPlotItem())

    def reset(self, names: list[str], span: int | None = None) -> None:
        """One curve per parameter; `span` is the number of updates the run will make."""
        self.span = span
        self.follow_again()
        for c in self.curves:
            self.plot.removeItem(c)
            self.legend.removeItem(c)
        self.names = list(names)
        self.series = [_Series() for _ in names]
        self.curves = []
        for i, name in enumerate(names):
            curve = self.plot.plot(pen=_pen(COLORS[i % len(COLORS)], 1.5), name=name)
            self.curves.append(curve)
        self.mark_dirty()

    def add(self, rows: Any) -> None:
        """New rows (one per update, a norm per parameter): a list of tuples or an (n, k) array."""
        cols = np.asarray(rows, dtype=np.float64)
        if not len(cols) or not self.series:
            return
        cols = cols.reshape(len(cols), -1)
        for i, s in enumerate(self.series):
            s.extend(cols[:, i])
        self.mark_dirty()

    def plot_items(self) -> list[Any]:
        return [self.plot.getPlotItem()]

    def redraw(self) -> None:
        log = self.log.isChecked()
        if log != self._log_mode:
            self._log_mode = log
            self.plot.setLogMode(y=log)
            self.follow_again()
        shown = []
        for s, curve in zip(self.series, self.curves):
            y = s.view()
            if len(y):
                xs, ys = decimated(np.maximum(y, LOG_FLOOR) if log else y)
                curve.setData(xs, ys)
                shown.append(ys)
            else:
                curve.setData([], [])
        n = self.series[0].n if self.series else 0
        span = max(self.span or 0, n) if self.span else nice_up(n)
        values = np.concatenate(shown) if shown else np.zeros(0)
        self.set_range(self.plot.getPlotItem(), (0.0, float(span)), nice_range(values, log))

    def csv_rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [["update"] + [f"grad_norm({n})" for n in self.names]]
        n = self.series[0].n if self.series else 0
        for i in range(n):
            rows.append([i + 1] + [repr(float(s.data[i])) for s in self.series])
        return rows


# ------------------------------------------------------------------------------------ activation
class ActivationPlot(PlotPanel):
    """f and f' of the chosen activation node over a range, with the rows' pre-activations as points."""

    title = "Activation"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chooser = QComboBox()
        self.chooser.setToolTip("The activation node shown (selecting one on the canvas chooses it too)")
        self.chooser.setMinimumContentsLength(8)
        self.controls.addWidget(QLabel("node"))
        self.controls.addWidget(self.chooser)
        self.info = QLabel()
        self.controls.addWidget(self.info)
        self._finish_controls()
        self.view = pg.GraphicsLayoutWidget()
        self.body.addWidget(self.view)
        self.f_plot = self.view.addPlot(row=0, col=0, title="f(z)")
        self.d_plot = self.view.addPlot(row=1, col=0, title="f′(z)")
        self.d_plot.setXLink(self.f_plot)
        for p in (self.f_plot, self.d_plot):
            p.showGrid(x=True, y=True, alpha=0.2)
        self.f_curve = self.f_plot.plot(pen=_pen("#1f3f7f", 2))
        self.d_curve = self.d_plot.plot(pen=_pen("#a02020", 2))
        brush = pg.mkBrush(255, 140, 0, 200)
        self.f_points = pg.ScatterPlotItem(size=8, brush=brush, pen=pg.mkPen("k"))
        self.d_points = pg.ScatterPlotItem(size=8, brush=brush, pen=pg.mkPen("k"))
        self.f_plot.addItem(self.f_points)
        self.d_plot.addItem(self.d_points)
        self.op_id: str | None = None
        self.attrs: dict[str, Any] = {}
        self.z = np.zeros(0)
        self.manage_range(self.f_plot)
        self.manage_range(self.d_plot)

    def set_candidates(self, items: list[tuple[str, str]]) -> None:
        """(node id, op id) of the graph's activation nodes."""
        current = self.chooser.currentData()
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for node_id, op_id in items:
            self.chooser.addItem(f"{node_id} ({op_id})", node_id)
        index = self.chooser.findData(current)
        self.chooser.setCurrentIndex(max(index, 0) if items else -1)
        self.chooser.blockSignals(False)

    def choose(self, node_id: str) -> bool:
        index = self.chooser.findData(node_id)
        if index < 0:
            return False
        self.chooser.setCurrentIndex(index)
        return True

    def current(self) -> str | None:
        return self.chooser.currentData()

    def set_function(self, op_id: str | None, attrs: dict[str, Any] | None) -> None:
        self.op_id = op_id
        self.attrs = dict(attrs or {})
        self.mark_dirty()

    def set_points(self, z: np.ndarray | None) -> None:
        """The pre-activation values (every element of every row)."""
        self.z = np.zeros(0) if z is None else np.asarray(z, dtype=np.float64).reshape(-1)
        self.mark_dirty()

    def plot_items(self) -> list[Any]:
        return [self.f_plot, self.d_plot]

    def redraw(self) -> None:
        if self.op_id is None:
            for item in (self.f_curve, self.d_curve, self.f_points, self.d_points):
                item.setData([], [])
            self.info.setText("select an activation node")
            return
        z = self.z[np.isfinite(self.z)] if len(self.z) else self.z
        lo, hi = -6.0, 6.0
        if len(z):  # whole steps of 2, so that the axes move only now and then
            lo = min(lo, 2.0 * math.floor((float(z.min()) - 1.0) / 2.0))
            hi = max(hi, 2.0 * math.ceil((float(z.max()) + 1.0) / 2.0))
        grid = np.linspace(lo, hi, 400)
        curve = activation_curve(self.op_id, self.attrs, grid)
        if curve is None:
            self.info.setText(f"{self.op_id} is not an elementwise function of one input")
            return
        self.f_curve.setData(grid, curve[0])
        self.d_curve.setData(grid, curve[1])
        at = activation_curve(self.op_id, self.attrs, z) if len(z) else None
        if at is not None:
            self.f_points.setData(z, at[0])
            self.d_points.setData(z, at[1])
            dead = int(np.sum(np.abs(at[1]) < 1e-3))
            self.info.setText(f"{len(z)} points; f′ ≈ 0 at {dead}")
        else:
            self.f_points.setData([], [])
            self.d_points.setData([], [])
            self.info.setText("")
        for plot, k in ((self.f_plot, 0), (self.d_plot, 1)):
            shown = curve[k] if at is None else np.concatenate([curve[k], at[k]])
            self.set_range(plot, (lo, hi), nice_range(shown))

    def csv_rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [["z", "f(z)", "f'(z)"]]
        at = activation_curve(self.op_id, self.attrs, self.z) if self.op_id and len(self.z) else None
        if at is not None:
            rows += [[repr(float(a)), repr(float(b)), repr(float(c))] for a, b, c in zip(self.z, *at)]
        return rows


# -------------------------------------------------------------------------------------- symmetry
class SymmetryView(PlotPanel):
    """Each weight matrix as a heat map, units as columns; units with identical weights are framed in
    one colour (the symmetry that zero or constant initialisation never breaks)."""

    title = "Symmetry"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel("no parameters")
        self.controls.addWidget(self.summary)
        self._finish_controls()
        self.view = pg.GraphicsLayoutWidget()
        self.body.addWidget(self.view)
        self.parameters: dict[str, np.ndarray] = {}
        self._items: dict[str, tuple[Any, Any]] = {}
        self._frames: list[Any] = []
        self.groups: dict[str, dict[str, list[list[int]]]] = {}

    def set_parameters(self, parameters: dict[str, np.ndarray]) -> None:
        self.parameters = {k: np.asarray(v) for k, v in parameters.items() if np.asarray(v).ndim >= 1}
        self.mark_dirty()

    def _layout(self) -> None:
        self.view.clear()
        self._items = {}
        for col, name in enumerate(self.parameters):
            plot = self.view.addPlot(row=0, col=col, title=name)
            plot.setAspectLocked(False)
            plot.invertY(True)
            plot.setLabel("bottom", "unit")
            image = pg.ImageItem()
            image.setColorMap(pg.colormap.get("CET-D1"))
            plot.addItem(image)
            self._items[name] = (plot, image)

    def plot_items(self) -> list[Any]:
        return [plot for plot, _ in self._items.values()]

    def redraw(self) -> None:
        if set(self._items) != set(self.parameters):
            self._layout()
            self._frame_key = None
        self.groups = symmetry(self.parameters)
        for name, value in self.parameters.items():
            self._draw_heat_map(self._items[name][1], value)
        key = repr({k: (v["units"], self.parameters[k].shape) for k, v in self.groups.items()})
        if key != getattr(self, "_frame_key", None):
            self._frame_key = key
            self._draw_frames()
        texts = self._identical_units()
        text = "  ".join(texts) if texts else "no identical units"
        if text != self.summary.text():
            self.summary.setText(text)
            self.summary.setStyleSheet(f"color: {'#a02020' if texts else '#206020'}")

    @staticmethod
    def _draw_heat_map(image: Any, value: np.ndarray) -> None:
        grid = value.reshape(-1, 1) if value.ndim == 1 else value.reshape(-1, value.shape[-1])
        # NOTE: ImageItem indexes image[x, y]: x = unit (column of W), y = input (row of W).
        m = float(np.max(np.abs(grid))) if grid.size else 1.0
        image.setImage(grid.T if value.ndim > 1 else grid, levels=(-m or -1.0, m or 1.0), autoLevels=False)

    def _identical_units(self) -> list[str]:
        """One text per parameter with identical units: "W1: units 1 = 2 identical" (numbered from 1)."""
        texts = []
        for name, value in self.parameters.items():
            units = self.groups.get(name, {}).get("units", [])
            if units:
                same = "; ".join(" = ".join(str(u + 1) for u in g) for g in units)
                what = "units" if value.ndim > 1 else "entries"
                texts.append(f"{name}: {what} {same} identical")
        return texts

    def _draw_frames(self) -> None:
        for plot, frame in self._frames:
            plot.removeItem(frame)
        self._frames = []
        for name, value in self.parameters.items():
            plot, _ = self._items[name]
            height = int(np.prod(value.shape[:-1])) if value.ndim > 1 else 1
            for k, group in enumerate(self.groups.get(name, {}).get("units", [])):
                pen = _pen(COLORS[k % len(COLORS)], 3)
                for u in group:
                    frame = QGraphicsRectItem(
                        QRectF(u, 0, 1, height) if value.ndim > 1 else QRectF(0, u, 1, 1)
                    )
                    frame.setPen(pen)
                    plot.addItem(frame, ignoreBounds=True)
                    self._frames.append((plot, frame))

    def csv_rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [["parameter", "row", "column", "value", "identical_group"]]
        groups = symmetry(self.parameters)
        for name, value in self.parameters.items():
            grid = value.reshape(-1, 1) if value.ndim == 1 else value.reshape(-1, value.shape[-1])
            units = groups.get(name, {}).get("units", [])
            label = {u: k + 1 for k, g in enumerate(units) for u in g}
            for i in range(grid.shape[0]):
                for j in range(grid.shape[1]):
                    unit = i if value.ndim == 1 else j
                    rows.append([name, i, j, repr(float(grid[i, j])), label.get(unit, "")])
        return rows
