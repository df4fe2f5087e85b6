"""Training plots (pyqtgraph, one dock each): the loss per update and per epoch (with comparison runs
overlaid), the selected activation's function and derivative with the batch's pre-activations drawn on
both curves, per-parameter gradient norms, and a symmetry view of the weight matrices.

The plots keep what the training panel hands them (from the engine's progress reports) and redraw one
plot at a time (a shared timer), and only while visible: a redraw and its repaint then never pile up
into one long pause of the GUI thread. A visible plot shows what it was handed within REDRAW_MS, so it
never lags the status line (refreshed with the same data at the same moment) by more than that. Each
can be exported as PNG (``export_png``) and its data as CSV (``export_csv``). No numerics here beyond
arranging the numbers for display.

A plot's pyqtgraph widgets are built when it is first drawn: when its dock is first on screen (after its
placeholder was painted), exported, or one of its items is asked for (``PlotPanel.ensure_built``).
pyqtgraph itself (``plot_items.py``) is imported then, so the window opens without it.
"""

from __future__ import annotations

import csv
import io
import math
import time
import weakref
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from engine.i18n import _ as engine_text
from engine.train.metrics import FLAT, activation_curve, flat_count
from engine.train.results import DATASET_MEAN
from graph.values import format_number
from gui.i18n import QT_TRANSLATE_NOOP, Plural, translate

UPDATE_COLOR, EPOCH_COLOR, DATASET_COLOR = "#7f9fbf", "#1f3f7f", "#d62728"
TEST_COLOR = "#ff7f0e"  # the loss over the held-out rows (training.test_fraction), after each epoch
LINE, DASHED, POINT = "━━", "╌╌", "◆"  # the marks of the legend line
REDRAW_MS = 300  # a visible plot shows new data within this (its redraw interval)
TICK_MS = 25  # the shared redraw timer: at most one plot redraws per tick
# NOTE: a plot redraws at most every MIN_GAP_MS; the data that arrived just after a redraw then waits
# MIN_GAP_MS, plus a tick to be seen, plus a tick for each other plot due at the same time (three more
# with the four plots undocked side by side): within REDRAW_MS.
MIN_GAP_MS = REDRAW_MS - 5 * TICK_MS
COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")
LOG_FLOOR = 1e-300

PLOT_MIN_HEIGHT = 150  # a plot's own area (axes included): below this its axes become unreadable
PLACEHOLDER_STYLE = "color: #707070; padding: 12px"

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
    if m * k == n:  # the curve ends at the last update (a bucket's min and max may come before it)
        return np.append(xs, x[-1]), np.append(ys, y[-1])
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
    longest, and none more often than every MIN_GAP_MS); the timer stops when nothing is waiting."""

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
        due = [p for p in waiting if now - p._last_redraw >= MIN_GAP_MS / 1000]
        if due:
            panel = min(due, key=lambda p: p._dirty_since)
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
                visible = panel is not None and panel.on_screen()
            except RuntimeError:  # the widget is gone
                continue
            if panel is None:
                continue
            alive.append(ref)
            # NOTE: a plot is built only after its placeholder was painted: the window's first paint
            # never waits for pyqtgraph, even where a plot is on screen from the start
            if panel._dirty and visible and (panel._built or panel._painted):
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
    """A plot with a row of controls and PNG/CSV export; subclasses fill `controls`, `build` and `redraw`.

    The plot itself (pyqtgraph's widgets and items) is built the first time it is drawn, which is when
    the panel is first on screen (or exported, or one of its items asked for): until then the panel holds
    its controls, a placeholder and the data handed to it, and the window starts without importing
    pyqtgraph. The data that arrived before is drawn by that first redraw."""

    title = "plot"
    # NOTE: the attributes that `build` makes; asking for one of them builds the plot (see __getattr__)
    PLOT_ATTRIBUTES: frozenset[str] = frozenset()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controls = QHBoxLayout()
        self.controls.setContentsMargins(0, 0, 0, 0)
        png = QPushButton("PNG…")
        png.setToolTip(translate("PlotPanel", "Export the plot as a PNG image"))
        png.clicked.connect(lambda: self._ask_export("png"))
        data = QPushButton("CSV…")
        data.setToolTip(translate("PlotPanel", "Export the plotted data as CSV"))
        data.clicked.connect(lambda: self._ask_export("csv"))
        self._export_buttons = (png, data)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        layout.addLayout(self.controls)
        # NOTE: the legend is a line of text above the plot, never inside it: it then hides no data
        self.legend_line = QLabel()
        self.legend_line.setWordWrap(True)
        self.legend_line.hide()
        layout.addWidget(self.legend_line)
        self.stack = QStackedWidget()
        self.stack.setMinimumHeight(PLOT_MIN_HEIGHT)
        self.placeholder = QLabel()
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet(PLACEHOLDER_STYLE)
        self.stack.addWidget(self.placeholder)
        layout.addWidget(self.stack, 1)
        self._built = False
        self._painted = False  # painted once (the placeholder, before the plot is built)
        self._dirty = True  # nothing drawn yet: the first redraw on screen builds the plot and draws
        self._dirty_since = 0.0  # when the oldest data not yet drawn arrived
        self._last_redraw = 0.0
        self._ranges: dict[int, Any] = {}
        _SCHEDULER.add(self)

    def __getattr__(self, name: str) -> Any:
        """One of the plot's items (``loss_plot.curve``…) before the plot was built: built now."""
        # NOTE: only called for a name not found; __dict__ because `_built` may not be set yet
        if name in type(self).PLOT_ATTRIBUTES and not self.__dict__.get("_built", True):
            self.ensure_built()
            return getattr(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def is_built(self) -> bool:
        """Whether the plot itself exists (pyqtgraph imported, its widgets made)."""
        return self._built

    def ensure_built(self) -> None:
        """Build the plot itself, once (the first time pyqtgraph is imported)."""
        if not self._built:
            self._built = True
            self.build()

    def build(self) -> None:
        """Make the plot's widgets and items (pyqtgraph) and hand the plot to `set_content`."""
        raise NotImplementedError

    def set_content(self, widget: QWidget) -> None:
        """The plot itself (shown instead of the placeholder while there is something to show): shown
        now unless the placeholder says something already."""
        self.stack.addWidget(widget)
        if not self.placeholder.text():
            self.stack.setCurrentWidget(widget)

    def show_placeholder(self, text: str | None) -> None:
        """Say what will appear here (centred, instead of empty axes); None shows the plot."""
        if text:
            self.placeholder.setText(text)
            self.stack.setCurrentWidget(self.placeholder)
            self.set_legend([])
        elif self.stack.count() > 1:
            self.stack.setCurrentIndex(1)

    def placeholder_text(self) -> str | None:
        """The text shown instead of the plot, or None while the plot is shown."""
        return self.placeholder.text() if self.stack.currentWidget() is self.placeholder else None

    def set_legend(self, entries: list[tuple[str, str, str]]) -> None:
        """The legend line: (colour, text, mark) per curve, the mark LINE, DASHED or POINT; [] hides it."""
        # an entry never breaks across lines (non-breaking spaces): the line wraps between entries
        html = "&nbsp;&nbsp; ".join(
            f'<span style="color:{color}">{mark}</span>&nbsp;{_escape(text).replace(" ", "&nbsp;")}'
            for color, text, mark in entries
        )
        if html != self.legend_line.text():
            self.legend_line.setText(html)
        self.legend_line.setVisible(bool(entries))

    def legend_text(self) -> str:
        """The legend as plain text (tests, accessibility)."""
        return QTextDocumentFragment.fromHtml(self.legend_line.text()).toPlainText()

    def _finish_controls(self) -> None:
        self.controls.addStretch(1)
        for b in self._export_buttons:
            self.controls.addWidget(b)

    def mark_dirty(self) -> None:
        if not self._dirty:
            self._dirty_since = time.perf_counter()
        self._dirty = True
        _SCHEDULER.wake()

    def _sync_log_mode(self) -> bool:
        """Put the y axis on the log scale the panel's check box asks for (and follow the data again);
        for the plots that have one (`self.log`). Returns whether it is on."""
        log = self.log.isChecked()
        if log != self._log_mode:
            self._log_mode = log
            self.plot.setLogMode(y=log)
            self.follow_again()
        return log

    def on_screen(self) -> bool:
        """Shown and not behind another tab (a dock in a tab that is not current stays "visible")."""
        return self.isVisible() and not self.visibleRegion().isEmpty()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._dirty:
            _SCHEDULER.wake()

    def paintEvent(self, event: Any) -> None:
        """Its tab became current (no show event then): draw what has arrived meanwhile."""
        super().paintEvent(event)
        self._painted = True
        if self._dirty:
            _SCHEDULER.wake()

    def flush(self) -> None:
        """Redraw now (the shared timer, tests, exports); builds the plot the first time."""
        self.ensure_built()
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
            # more room above and below: a tick label at the very end of an axis is not drawn
            box.setRange(xRange=x, padding=0.02)
            box.setRange(yRange=y, padding=0.08)
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
        # the file's name is the plot's English title (a name, like the CSV's column names)
        name = self.title.lower().replace(" ", "_")
        if kind == "png":
            caption = translate("PlotPanel", "Export the plot as PNG")
            filt = translate("PlotPanel", "PNG image (*.png)")
        else:
            caption, filt = translate("PlotPanel", "Export the plotted data as CSV"), "CSV (*.csv)"
        path, _ = QFileDialog.getSaveFileName(self, caption, f"{name}.{kind}", filt)
        if path:
            self.export_png(path) if kind == "png" else self.export_csv(path)


def _comparison_color(i: int) -> str:
    return COLORS[(i + 1) % len(COLORS)]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _add_log_toggle(panel: Any) -> None:
    """The log-scale toggle of a plot of something per update (redraws at once when shown)."""
    panel.log = QCheckBox(translate("TrainingPlots", "log scale"))
    panel.log.setChecked(True)
    panel.log.toggled.connect(lambda _on: panel.flush() if panel.is_built() else panel.mark_dirty())
    panel.controls.addWidget(panel.log)
    panel._finish_controls()


def _build_series_plot(panel: Any, y_label: str) -> None:
    """A plot of something per update, with a grid (the legend is a line above)."""
    from gui.panels.training.plot_items import pg, readable_axes

    panel.plot = pg.PlotWidget(axisItems=readable_axes())
    panel.plot.setLabel("bottom", translate("TrainingPlots", "update"))
    panel.plot.setLabel("left", y_label)
    panel.plot.showGrid(x=True, y=True, alpha=0.2)
    panel.set_content(panel.plot)
    panel.manage_range(panel.plot.getPlotItem())


# ----------------------------------------------------------------------------------------- loss
class LossPlot(PlotPanel):
    """The loss of every update (thin) and each epoch's mean (thick), live; comparisons overlaid."""

    title = "Loss"
    PLOT_ATTRIBUTES = frozenset({"plot", "curve", "epoch_curve", "dataset_point", "test_curve"})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _add_log_toggle(self)
        self.updates = _Series()
        self.epoch_x = _Series()
        self.epochs = _Series()
        self.dataset_mean: tuple[int, float] | None = None
        self.tests = _Series()  # test loss after each epoch (at the epoch's x)
        self.comparisons: list[tuple[str, np.ndarray]] = []
        self._comparison_curves: list[Any] = []  # made by redraw, one per comparison
        self.span: int | None = None
        self._log_mode: bool | None = None

    def build(self) -> None:
        from gui.panels.training.plot_items import make_pen

        _build_series_plot(self, translate("LossPlot", "loss"))
        self.curve = self.plot.plot(pen=make_pen(UPDATE_COLOR))
        self.epoch_curve = self.plot.plot(
            pen=make_pen(EPOCH_COLOR, 2.5), symbol="o", symbolSize=4, symbolBrush=EPOCH_COLOR
        )
        self.dataset_point = self.plot.plot(
            pen=None, symbol="d", symbolSize=11, symbolBrush=DATASET_COLOR, symbolPen="w"
        )
        self.test_curve = self.plot.plot(pen=make_pen(TEST_COLOR, 2.5, dash=True))

    def reset(self, span: int | None = None) -> None:
        """Empty; `span` is the number of updates the run will make (the x axis then stays put)."""
        self.updates.clear()
        self.epoch_x.clear()
        self.epochs.clear()
        self.tests.clear()
        self.dataset_mean = None
        self.span = span
        self.follow_again()
        self.mark_dirty()

    def add(self, history: Any, epoch_losses: Any, updates_per_epoch: int, test_losses: Any = ()) -> None:
        """New losses per update and per epoch (lists or arrays), and the test losses of those epochs,
        appended in one go."""
        self.updates.extend(history)
        self.tests.extend(test_losses)
        if len(epoch_losses):
            first = self.epochs.n + 1
            self.epochs.extend(epoch_losses)
            self.epoch_x.extend(np.arange(first, self.epochs.n + 1) * max(updates_per_epoch, 1))
        self.mark_dirty()

    def set_dataset_mean(self, update: int, value: float | None) -> None:
        """Mark the mean loss over the dataset after `update` (a pause, or the end of the run)."""
        self.dataset_mean = None if value is None else (update, float(value))
        self.mark_dirty()

    def set_comparison(self, runs: list[tuple[str, list[float]]]) -> None:
        """Overlay finished runs (label, loss per update); [] removes them. Drawn at once if built."""
        self.comparisons = [(label, np.asarray(h, dtype=np.float64)) for label, h in runs]
        if self.is_built():
            self.flush()
        else:
            self.mark_dirty()

    def _comparison_curves_for_runs(self) -> list[Any]:
        """One curve per comparison run (each run's own colour and dash), made or removed as needed."""
        from gui.panels.training.plot_items import make_pen

        return _fit_curves(self.plot, self._comparison_curves, len(self.comparisons),
                           lambda i: make_pen(_comparison_color(i), 1.5, dash=i % 2 == 1))  # fmt: skip

    def _y(self, y: np.ndarray) -> np.ndarray:
        return np.maximum(y, LOG_FLOOR) if self.log.isChecked() else y

    def plot_items(self) -> list[Any]:
        return [self.plot.getPlotItem()]

    def redraw(self) -> None:
        log = self._sync_log_mode()
        y = self.updates.view()
        self._show_legend()
        shown = [self._draw(self.curve, y), self._draw_epochs(), self._draw_dataset_mean()]
        shown.append(self._draw_tests())
        curves = self._comparison_curves_for_runs()
        shown += [self._draw(curve, h) for curve, (_, h) in zip(curves, self.comparisons)]
        n = max([len(y)] + [len(h) for _, h in self.comparisons])
        span = max(self.span or 0, n) if self.span else nice_up(n)
        values = np.concatenate([v for v in shown if v is not None] or [np.zeros(0)])
        self.set_range(self.plot.getPlotItem(), (0.0, float(span)), nice_range(values, log))

    def _show_legend(self) -> None:
        """The placeholder while there is nothing to draw; else the legend line, with the latest figures
        named and written as the status line names and writes them."""
        y, e = self.updates.view(), self.epochs.view()
        if not len(y) and not self.comparisons:
            self.show_placeholder(
                translate(
                    "LossPlot",
                    "The loss will appear here when training starts (Train ▸ ▶ Start): the loss of each "
                    "update as a thin line, the mean loss of each epoch as a thick one.",
                )
            )
            return
        self.show_placeholder(None)
        entries = []
        if len(y):
            text = translate("LossPlot", "loss of each update (last {value})")
            entries.append((UPDATE_COLOR, text.format(value=format_number(float(y[-1]), 6)), LINE))
        if len(e):
            text = translate("LossPlot", "mean loss of each epoch (last {value})")
            entries.append((EPOCH_COLOR, text.format(value=format_number(float(e[-1]), 6)), LINE))
        if self.tests.n:
            text = translate("LossPlot", "test loss after each epoch (last {value})")
            last_test = format_number(float(self.tests.view()[-1]), 6)
            entries.append((TEST_COLOR, text.format(value=last_test), DASHED))
        if self.dataset_mean is not None:
            update, value = self.dataset_mean
            text = translate("LossPlot", "{mean_loss} after update {update} ({value})")
            mean = engine_text(DATASET_MEAN)  # the engine's words for it, as the status line says them
            text = text.format(mean_loss=mean, update=update, value=format_number(value, 6))
            entries.append((DATASET_COLOR, text, POINT))
        each = translate("LossPlot", "{run}: loss of each update")
        entries += [
            (_comparison_color(i), each.format(run=label), DASHED if i % 2 else LINE)
            for i, (label, _) in enumerate(self.comparisons)
        ]
        self.set_legend(entries)

    def _draw(self, curve: Any, y: np.ndarray) -> np.ndarray | None:
        """y against update 1, 2, … on the curve (decimated); the values drawn, for the y range."""
        if not len(y):
            curve.setData([], [])
            return None
        xs, ys = decimated(self._y(y))
        curve.setData(xs, ys)
        return ys

    def _draw_dataset_mean(self) -> np.ndarray | None:
        if self.dataset_mean is None:
            self.dataset_point.setData([], [])
            return None
        update, value = self.dataset_mean
        y = self._y(np.array([value]))
        self.dataset_point.setData([float(update)], y)
        return y

    def _draw_tests(self) -> np.ndarray | None:
        tests = self.tests.view()
        n = min(len(tests), self.epochs.n)
        self.test_curve.setData(self.epoch_x.view()[:n], self._y(tests[:n]))
        return self._y(tests[:n]) if n else None

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
    PLOT_ATTRIBUTES = frozenset({"plot"})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _add_log_toggle(self)
        self.names: list[str] = []
        self.labels: dict[str, str] = {}
        self.series: list[_Series] = []
        self.curves: list[Any] = []  # made by redraw, one per parameter
        self.span: int | None = None
        self._log_mode: bool | None = None

    def build(self) -> None:
        _build_series_plot(self, "‖∂L/∂θ‖")

    def reset(self, names: list[str], span: int | None = None, labels: dict[str, str] | None = None) -> None:
        """One curve per parameter; `names` are their ids (the CSV's columns), `labels` what the legend
        calls them, by id (the ids where missing); `span` is the number of updates the run will make."""
        self.labels = dict(labels or {})
        self.span = span
        self.follow_again()
        self.names = list(names)
        self.series = [_Series() for _ in names]
        self.mark_dirty()

    def _curves_for_names(self) -> list[Any]:
        """One curve per parameter (each its colour), made or removed as needed."""
        from gui.panels.training.plot_items import make_pen

        pen = lambda i: make_pen(COLORS[i % len(COLORS)], 1.5)  # noqa: E731 (one line, one use)
        return _fit_curves(self.plot, self.curves, len(self.names), pen)

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
        log = self._sync_log_mode()
        if not self._show_legend():
            return
        shown = []
        for s, curve in zip(self.series, self._curves_for_names()):
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

    def _show_legend(self) -> bool:
        """The legend line, or the placeholder while there is nothing to draw (then False)."""
        if not self.series or not self.series[0].n:
            self.show_placeholder(
                translate(
                    "GradNormPlot",
                    "The gradient norm ‖∂L/∂θ‖ of each parameter will appear here, one line per parameter "
                    "and a point per update, when training starts.",
                )
            )
            return False
        self.show_placeholder(None)
        colors = [COLORS[i % len(COLORS)] for i in range(len(self.names))]
        self.set_legend([(c, f"‖∂L/∂{self.labels.get(n, n)}‖", LINE) for c, n in zip(colors, self.names)])
        return True

    def csv_rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [["update"] + [f"grad_norm({n})" for n in self.names]]
        n = self.series[0].n if self.series else 0
        for i in range(n):
            rows.append([i + 1] + [repr(float(s.data[i])) for s in self.series])
        return rows


# ------------------------------------------------------------------------------------ activation
# shown with translate("ActivationPlot", …)
NO_NODE = QT_TRANSLATE_NOOP(
    "ActivationPlot",
    "Choose an activation node (here or on the canvas) to see its f(z) and f′(z), with the "
    "pre-activations z of the dataset's rows as points.",
)
NO_ACTIVATION = QT_TRANSLATE_NOOP(
    "ActivationPlot",
    "This graph has no activation node (ReLU, tanh, sigmoid, …): add one to see its f(z) and f′(z) "
    "here, with the pre-activations z of the dataset's rows as points.",
)


class ActivationPlot(PlotPanel):
    """f and f′ of the chosen activation node side by side, with the pre-activations z of the dataset's
    rows as points on both curves (one point per row and unit)."""

    title = "Activation"
    PLOT_ATTRIBUTES = frozenset({"view", "f_plot", "d_plot", "f_curve", "d_curve", "f_points", "d_points"})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chooser = QComboBox()
        self.chooser.setToolTip(
            translate(
                "ActivationPlot", "The activation node shown (selecting one on the canvas chooses it too)"
            )
        )
        self.chooser.setMinimumContentsLength(8)
        self.controls.addWidget(QLabel(translate("ActivationPlot", "node")))
        self.controls.addWidget(self.chooser)
        self._finish_controls()
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setToolTip(
            translate(
                "ActivationPlot",
                "The points are the pre-activations z of the dataset's rows (every unit of every row); "
                "f′ ≈ 0 means |f′(z)| < {flat}: such a unit passes almost no gradient back for that row.",
            ).format(flat=f"{FLAT:g}")
        )
        self.layout().insertWidget(1, self.info)
        self.op_id: str | None = None
        self.attrs: dict[str, Any] = {}
        self.z = np.zeros(0)
        self.rows = 0

    def build(self) -> None:
        from gui.panels.training.plot_items import make_pen, pg, readable_axes

        # NOTE: side by side, not stacked: in a dock ~220 px tall, two stacked plots had crushed axes
        self.view = pg.GraphicsLayoutWidget()
        self.set_content(self.view)
        self.f_plot = self.view.addPlot(row=0, col=0, title="f(z)", axisItems=readable_axes())
        self.d_plot = self.view.addPlot(row=0, col=1, title="f′(z)", axisItems=readable_axes())
        self.d_plot.setXLink(self.f_plot)
        for p in (self.f_plot, self.d_plot):
            p.showGrid(x=True, y=True, alpha=0.2)
        self.f_curve = self.f_plot.plot(pen=make_pen("#1f3f7f", 2))
        self.d_curve = self.d_plot.plot(pen=make_pen("#a02020", 2))
        brush = pg.mkBrush(255, 140, 0, 200)
        self.f_points = pg.ScatterPlotItem(size=8, brush=brush, pen=pg.mkPen("k"))
        self.d_points = pg.ScatterPlotItem(size=8, brush=brush, pen=pg.mkPen("k"))
        self.f_plot.addItem(self.f_points)
        self.d_plot.addItem(self.d_points)
        self.manage_range(self.f_plot)
        self.manage_range(self.d_plot)

    def set_candidates(self, items: list[tuple[str, str, str]]) -> None:
        """(node id, the user's name for it, op id) of the graph's activation nodes."""
        current = self.chooser.currentData()
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for node_id, name, op_id in items:
            self.chooser.addItem(f"{name} ({op_id})", node_id)
        index = self.chooser.findData(current)
        self.chooser.setCurrentIndex(max(index, 0) if items else -1)
        self.chooser.blockSignals(False)
        self.mark_dirty()

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
        """The pre-activation values: one row per observation (every unit of every row is a point)."""
        z = np.zeros(0) if z is None else np.asarray(z, dtype=np.float64)
        self.rows = len(z) if z.ndim else 1
        self.z = z.reshape(-1)
        self.mark_dirty()

    def plot_items(self) -> list[Any]:
        return [self.f_plot, self.d_plot]

    def redraw(self) -> None:
        if self.op_id is None:
            self.info.setText("")
            why = NO_NODE if self.chooser.count() else NO_ACTIVATION
            self.show_placeholder(translate("ActivationPlot", why))
            return
        z = self.z[np.isfinite(self.z)] if len(self.z) else self.z
        lo, hi = z_range(z)
        grid = np.linspace(lo, hi, 400)
        curve = activation_curve(self.op_id, self.attrs, grid)
        if curve is None:
            text = translate("ActivationPlot", "{op} is not an elementwise function of one input")
            self.show_placeholder(text.format(op=self.op_id))
            return
        self.show_placeholder(None)
        self.f_plot.setTitle(f"f(z) = {self.op_id}(z)")
        self.f_curve.setData(grid, curve[0])
        self.d_curve.setData(grid, curve[1])
        at = self._draw_points(z, lo, hi)
        for plot, k in ((self.f_plot, 0), (self.d_plot, 1)):
            shown = curve[k] if at is None else np.concatenate([curve[k], at[k]])
            self.set_range(plot, (lo, hi), nice_range(shown))

    def _draw_points(self, z: np.ndarray, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray] | None:
        """The points (z, f(z)) and (z, f′(z)) and the count of flat ones; f and f′ at z."""
        at = activation_curve(self.op_id, self.attrs, z) if len(z) and self.op_id else None
        self.info.setText(count_text(len(z), self.rows, None if at is None else flat_count(at[1])))
        if at is None:
            self.f_points.setData([], [])
            self.d_points.setData([], [])
            return None
        # NOTE: points closer than a pixel look like one: drawing one of them keeps the redraw short
        drawn = np.unique(np.round((z - lo) / (hi - lo) * 1000), return_index=True)[1]
        self.f_points.setData(z[drawn], at[0][drawn])
        self.d_points.setData(z[drawn], at[1][drawn])
        return at

    def csv_rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [["z", "f(z)", "f'(z)"]]
        at = activation_curve(self.op_id, self.attrs, self.z) if self.op_id and len(self.z) else None
        if at is not None:
            rows += [[repr(float(a)), repr(float(b)), repr(float(c))] for a, b, c in zip(self.z, *at)]
        return rows


TrainingPlots = Plural("TrainingPlots")  # the counted messages (see gui.i18n.Plural)


def z_range(z: np.ndarray) -> tuple[float, float]:
    """The z axis: −6 … 6, widened in whole steps of 2 to the points (so that it moves only now and then)."""
    if not len(z):
        return -6.0, 6.0
    lo = min(-6.0, 2.0 * math.floor((float(z.min()) - 1.0) / 2.0))
    hi = max(6.0, 2.0 * math.ceil((float(z.max()) + 1.0) / 2.0))
    return lo, hi


def count_text(points: int, rows: int, flat: int | None) -> str:
    """What the points are (rows × units) and how many of them pass almost no gradient back."""
    if not points or not rows or flat is None:
        return translate(
            "TrainingPlots", "no pre-activations yet: the dataset's rows give them (points on the curves)"
        )
    units = points // rows
    # NOTE: a text for 1 and a plural for the rest keep the English exact ("1 row", "2 rows"); the plural
    # has the forms of a language that needs more (2 строки, 5 строк, 21 строка)
    row_text = translate("TrainingPlots", "1 row") if rows == 1 else TrainingPlots.tr("%n rows", None, rows)
    unit_text = (
        translate("TrainingPlots", "1 unit") if units == 1 else TrainingPlots.tr("%n units", None, units)
    )
    if points == 1:
        text = translate(
            "TrainingPlots", "{flat} of 1 pre-activation ({shape}) where f′ ≈ 0 (|f′(z)| < {limit})"
        )
    else:
        text = TrainingPlots.tr(
            "{flat} of %n pre-activations ({shape}) where f′ ≈ 0 (|f′(z)| < {limit})", None, points
        )
    return text.format(flat=flat, shape=f"{row_text} × {unit_text}", limit=f"{FLAT:g}")


def _fit_curves(plot: Any, curves: list[Any], n: int, pen: Any) -> list[Any]:
    """`curves` made or removed until there are n, the i-th new one drawn with pen(i); returns them."""
    while len(curves) > n:
        plot.removeItem(curves.pop())
    for i in range(len(curves), n):
        curves.append(plot.plot(pen=pen(i)))
    return curves
