"""The symmetry view: each layer's units side by side, one column per unit holding its incoming weights,
its bias and its outgoing weights (a heat map); units whose columns are equal are framed in one colour.
Gradient descent gives such units equal updates, so zero or constant initialisation never separates
them. A bias alone is never compared: equal biases with different weights are no symmetry."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsRectItem, QLabel, QWidget

from engine.train.metrics import Layer, identical_groups, unit_vectors
from gui.i18n import translate
from gui.panels.training.plots import COLORS, PlotPanel


class SymmetryView(PlotPanel):
    """One heat map per layer of two units or more; identical units framed, and named in the summary."""

    title = "Symmetry"
    PLOT_ATTRIBUTES = frozenset({"view"})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._finish_controls()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.layout().insertWidget(1, self.summary)
        self.layers: list[Layer] = []
        self.names: dict[str, str] = {}
        self.parameters: dict[str, np.ndarray] = {}
        self.groups: dict[str, list[list[int]]] = {}  # incoming weight id → groups of identical units
        self._items: dict[str, tuple[Any, Any]] = {}
        self._frames: list[tuple[Any, Any]] = []
        self._frame_key: Any = None
        self._layout_key: Any = None

    def build(self) -> None:
        from gui.panels.training.plot_items import pg

        self.view = pg.GraphicsLayoutWidget()
        self.set_content(self.view)

    def set_layers(self, layers: list[Layer], names: dict[str, str]) -> None:
        """The document's layers (``engine.train.metrics.find_layers``) and the user's names of its nodes."""
        self.layers, self.names = list(layers), dict(names)
        self.mark_dirty()

    def set_parameters(self, parameters: dict[str, np.ndarray]) -> None:
        self.parameters = {k: np.asarray(v) for k, v in parameters.items()}
        self.mark_dirty()

    def identical(self) -> dict[str, list[list[int]]]:
        """Per layer (its incoming weights' id): the groups of identical units, numbered from 0, for the
        parameters last given (drawn or not yet)."""
        return {layer.incoming: identical_groups(v, 0) for layer, v in self._shown()}

    def _shown(self) -> list[tuple[Layer, np.ndarray]]:
        """The layers of two units or more whose parameters have values, with their unit columns."""
        out = []
        for layer in self.layers:
            vectors = unit_vectors(self.parameters, layer)
            if vectors is not None and len(vectors) >= 2:
                out.append((layer, vectors))
        return out

    def redraw(self) -> None:
        shown = self._shown()
        self.groups = {layer.incoming: identical_groups(v, 0) for layer, v in shown}
        if not shown:
            self.show_placeholder(
                translate(
                    "SymmetryView",
                    "The symmetry view compares the units of a layer (x·W + b, then an activation, then ·V): "
                    "each unit's incoming weights, bias and outgoing weights. This graph has no layer with "
                    "two units or more.",
                )
            )
            self.summary.setText("")
            return
        self.show_placeholder(None)
        layout_key = [(layer, v.shape, self._name(layer.units_node)) for layer, v in shown]
        if layout_key != self._layout_key:
            self._layout_key = layout_key
            self._build(shown)
        for layer, vectors in shown:
            self._draw_heat_map(layer, vectors)
        key = repr([(k, g) for k, g in self.groups.items()])
        if key != self._frame_key:
            self._frame_key = key
            self._draw_frames(shown)
        self._show_summary(shown)

    def _draw_heat_map(self, layer: Layer, vectors: np.ndarray) -> None:
        """The unit columns, coloured symmetrically around 0; the title says the scale."""
        m = float(np.max(np.abs(vectors)))
        plot, image = self._items[layer.incoming]
        image.setImage(vectors, levels=(-(m or 1.0), m or 1.0), autoLevels=False)
        title = translate("SymmetryView", "units of {layer} · blue −{m} … red +{m}").format(
            layer=self._name(layer.units_node), m=f"{m:.2g}"
        )
        if plot.titleLabel.text != title:
            plot.setTitle(title)

    def _name(self, node_id: str | None) -> str:
        return "" if node_id is None else self.names.get(node_id, node_id)

    def _build(self, shown: list[tuple[Layer, np.ndarray]]) -> None:
        """A plot per layer: x = unit (1, 2, …), y = the unit's incoming weights, bias, outgoing weights."""
        from gui.panels.training.plot_items import make_pen, pg, readable_axes

        self.view.clear()
        self._items, self._frames, self._frame_key = {}, [], None
        for col, (layer, vectors) in enumerate(shown):
            plot = self.view.addPlot(row=0, col=col, axisItems=readable_axes())
            plot.invertY(True)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            units, rows = vectors.shape
            plot.getAxis("bottom").setTicks([[(u + 0.5, str(u + 1)) for u in range(units)]])
            plot.getAxis("left").setTicks([self._row_ticks(layer, rows, units)])
            image = pg.ImageItem()
            image.setColorMap(pg.colormap.get("CET-D1"))
            plot.addItem(image)
            for y in self._block_edges(layer, rows, units):
                plot.addItem(pg.PlotCurveItem([0, units], [y, y], pen=make_pen("#404040", 1.5)))
            plot.setRange(xRange=(0, units), yRange=(0, rows), padding=0.02)
            self._items[layer.incoming] = (plot, image)

    def _blocks(self, layer: Layer, rows: int, units: int, shown: bool = False) -> list[tuple[str, int]]:
        """(name, height) of the parts of a unit's column: incoming weights, bias, outgoing weights; named
        as the CSV file names them, or `shown` in the window's language."""
        into, out = (
            (translate("SymmetryView", "in: {name}"), translate("SymmetryView", "out: {name}"))
            if shown
            else ("in: {name}", "out: {name}")
        )
        n_in = int(np.size(self.parameters[layer.incoming]) // units)
        blocks = [(into.format(name=self._name(layer.incoming)), n_in)]
        if layer.bias is not None:
            blocks.append((self._name(layer.bias), 1))
        if layer.outgoing is not None:
            blocks.append((out.format(name=self._name(layer.outgoing)), rows - sum(h for _, h in blocks)))
        return blocks

    def _row_ticks(self, layer: Layer, rows: int, units: int) -> list[tuple[float, str]]:
        ticks, top = [], 0
        for name, height in self._blocks(layer, rows, units, shown=True):
            ticks.append((top + height / 2, name))
            top += height
        return ticks

    def _block_edges(self, layer: Layer, rows: int, units: int) -> list[int]:
        edges, top = [], 0
        for _, height in self._blocks(layer, rows, units)[:-1]:
            top += height
            edges.append(top)
        return edges

    def _draw_frames(self, shown: list[tuple[Layer, np.ndarray]]) -> None:
        from gui.panels.training.plot_items import make_pen

        for plot, frame in self._frames:
            plot.removeItem(frame)
        self._frames = []
        for layer, vectors in shown:
            plot, _ = self._items[layer.incoming]
            for k, group in enumerate(self.groups[layer.incoming]):
                pen = make_pen(COLORS[k % len(COLORS)], 3)
                for u in group:
                    frame = QGraphicsRectItem(QRectF(u + 0.04, 0.04, 0.92, vectors.shape[1] - 0.08))
                    frame.setPen(pen)
                    plot.addItem(frame, ignoreBounds=True)
                    self._frames.append((plot, frame))

    def _show_summary(self, shown: list[tuple[Layer, np.ndarray]]) -> None:
        texts = []
        for layer, _ in shown:
            groups = self.groups[layer.incoming]
            if groups:
                same = "; ".join(" = ".join(str(u + 1) for u in g) for g in groups)
                texts.append(
                    translate("SymmetryView", "{layer}: units {units} identical").format(
                        layer=self._name(layer.units_node), units=same
                    )
                )
        why = translate("SymmetryView", " (same incoming weights, bias and outgoing weights)")
        text = "  ".join(texts) + why if texts else translate("SymmetryView", "no identical units")
        if text != self.summary.text():
            self.summary.setText(text)
            self.summary.setStyleSheet(f"color: {'#a02020' if texts else '#206020'}")

    def csv_rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [["layer", "unit", "part", "value", "identical_group"]]
        for layer, vectors in self._shown():
            units, count = vectors.shape
            label = {u: k + 1 for k, g in enumerate(identical_groups(vectors, 0)) for u in g}
            parts = [name for name, height in self._blocks(layer, count, units) for _ in range(height)]
            for u in range(units):
                for j in range(count):
                    value = repr(float(vectors[u, j]))
                    rows.append([layer.incoming, u + 1, parts[j], value, label.get(u, "")])
        return rows
