"""An edge on the canvas: a curve from an output port to an input port, with two labels: the value
flowing forward (above) and the gradient flowing back (below). The full texts appear in a tooltip.
At a fan-out (a source feeding several edges) one of them shows the shared value, just right of the
source's output port, and each shows its own gradient, near its target where the curves are apart. The
scene's LabelPlacer (gui/canvas/labels.py) picks among the places each edge offers, so that no label
covers a node or another label.

Speed (bench/bench_canvas.py): the curve, the arrow and the labels' backdrops are one paint (the label
texts are plain C++-painted child items); the path is recomputed only when an endpoint really moved.
Edges are not cached as pixmaps: long edges make pixmaps of megabytes that thrash QPixmapCache (measured
slower). Zoomed far out the scene draws every edge in one batch (GraphScene.drawBackground) and the
item paints nothing (`set_fast`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QFontMetricsF, QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsSimpleTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from graph.document import Edge
from gui.canvas import style
from gui.canvas.node_item import tooltip_value
from gui.i18n import translate

if TYPE_CHECKING:
    from gui.canvas.labels import LabelPlacer
    from gui.canvas.node_item import NodeItem


_SELECTED_PEN = QPen(style.SELECT_COLOR, 3)
_NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
LABEL_MARGIN = (70.0, 40.0)  # how far the labels may reach beyond the curve's box (x, y)
LABEL_MAX_WIDTH = 160.0  # a longer label is elided (the tooltip has it in full): it must fit between columns
ALONG = (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.15, 0.85)  # where on the curve a label may go, best first
ALONG_FAN = (0.78, 0.68, 0.86, 0.58, 0.48, 0.38, 0.92)  # a fan-out's gradients: near the target


class EdgeLabel(QGraphicsSimpleTextItem):
    """A label (its light backdrop is painted by the edge); its tooltip is the edge's full text."""

    def __init__(self, parent: EdgeItem) -> None:
        super().__init__(parent)
        self.setAcceptHoverEvents(True)
        self.setZValue(3)

    def hoverEnterEvent(self, event: Any) -> None:
        parent = self.parentItem()
        if isinstance(parent, EdgeItem):
            self.setToolTip(parent.full_text())
        super().hoverEnterEvent(event)


class EdgeItem(QGraphicsPathItem):
    def __init__(self, edge: Edge, source: NodeItem, target: NodeItem) -> None:
        super().__init__()
        self.edge = edge
        self.source = source
        self.target = target
        self.problem: str | None = None
        self.placer: LabelPlacer = source.hooks.labels  # the scene's
        self.fan_out = False  # the source feeds several edges: the value label sits at the source
        self.carries_value = True  # at a fan-out, one edge shows the shared value
        self.order = 0  # the scene numbers its edges: labels are placed in that order
        self._fast = False
        self._labels_pending = False
        self.setZValue(0)
        self.setPen(QPen(style.EDGE_COLOR, 1.6))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        font = style.font(8.5)
        self.value_label = EdgeLabel(self)
        self.value_label.setFont(font)
        self.value_label.setBrush(QBrush(style.VALUE_COLOR))
        self.grad_label = EdgeLabel(self)
        self.grad_label.setFont(font)
        self.grad_label.setBrush(QBrush(style.GRAD_COLOR))
        self.value_arr: Any = None
        self.grad_arr: Any = None
        self._texts: list[Any] = [False, False]
        self._widths = [0.0, 0.0]
        self._shown = [True, True]
        self._backdrops: list[QRectF | None] = [None, None]
        self.arrow = QPolygonF()
        self.curve_path = QPainterPath()
        self._controls: Controls = (0.0,) * 8  # type: ignore[assignment]
        self._brect = QRectF()
        self._path_rect = QRectF()
        self._shape: QPainterPath | None = None
        self._ends: tuple[float, float, float, float] | None = None
        self.box = (0.0, 0.0, 0.0, 0.0)  # scene box of the curve and its labels: (x0, y0, x1, y1)
        source.edges.append(self)
        target.edges.append(self)
        self.update_path()

    def detach(self) -> None:
        for node in (self.source, self.target):
            if self in node.edges:
                node.edges.remove(self)

    def full_text(self) -> str:
        ends = translate("EdgeItem", "{source} → {target}, port {port}")
        lines = [ends.format(source=self.source.name(), target=self.target.name(), port=self.edge.port)]
        if self.problem:
            lines.append(f"⚠ {self.problem}")
        d = getattr(self.scene(), "digits", 4)
        value = tooltip_value(self.value_arr, d) or "—"
        lines.append(translate("EdgeItem", "value: {value}").format(value=value))
        grad = tooltip_value(self.grad_arr, d) or "—"
        lines.append(translate("EdgeItem", "gradient: {gradient}").format(gradient=grad))
        return "\n".join(lines)

    def hoverEnterEvent(self, event: Any) -> None:
        self.setToolTip(self.full_text())
        super().hoverEnterEvent(event)

    # ----- geometry
    def update_path(self) -> bool:
        """Recompute the curve (and place the labels) if an endpoint moved; True if it did."""
        p1 = self.source.out_port_pos()
        p2 = self.target.in_port_pos(self.edge.port)
        ends = (p1.x(), p1.y(), p2.x(), p2.y())
        if ends == self._ends:
            return False
        self._ends = ends
        self._controls = curve_controls(p1, p2)
        path = _path(self._controls)
        self.prepareGeometryChange()
        self._path_rect = path.boundingRect().adjusted(-8, -8, 8, 8)
        self._brect = self._path_rect
        r = self._path_rect
        mx, my = LABEL_MARGIN
        self.box = (r.left() - mx, r.top() - my, r.right() + mx, r.bottom() + my)
        self._shape = None
        end = path.currentPosition()
        self.arrow = QPolygonF([end, end + QPointF(-9, -4.5), end + QPointF(-9, 4.5)])
        self.setPath(path)
        self.curve_path = path  # kept (path() returns a copy) for the scene's zoomed-out batch
        self._place_labels()
        return True

    def relabel(self) -> None:
        """Place the labels again (a node moved onto them)."""
        self._place_labels()

    def _place_labels(self) -> None:
        """Put the labels at the best free places the scene's placer finds."""
        if self._fast:
            self._labels_pending = True  # hidden while zoomed far out: placed on the way back in
            return
        sizes: list[Any] = []
        for label in (self.value_label, self.grad_label):
            r = label.boundingRect()
            sizes.append((r.width(), r.height()) if label.text() else None)
        corners = self.placer.place(self, self.label_groups(sizes), sizes)
        backdrops: list[QRectF | None] = [None, None]
        for k, label in enumerate((self.value_label, self.grad_label)):
            if sizes[k] is None:
                # An empty label waits at the curve's start: left at the scene's origin, it would
                # make the scene's index find every edge there.
                label.setPos(self._controls[0], self._controls[1])
                continue
            p = corners.get(k)
            if p is None:
                continue
            label.setPos(p)
            backdrops[k] = QRectF(p.x() - 2, p.y(), sizes[k][0] + 4, sizes[k][1])
        self._set_backdrops(backdrops)

    def _set_backdrops(self, backdrops: list[QRectF | None]) -> None:
        """The labels' light backdrops (painted by the edge), and the bounds that include them."""
        if backdrops == self._backdrops:
            return
        self._backdrops = backdrops
        brect = self._path_rect
        for b in backdrops:
            if b is not None:
                brect = brect.united(b)
        if brect != self._brect:
            self.prepareGeometryChange()
            self._brect = brect
        self.update()

    def label_groups(self, sizes: list[Any]) -> list[tuple[Sequence[int], Iterator[list[QPointF]]]]:
        """The labels to place (0 value, 1 gradient), grouped, each group with its candidate top-left
        corners in order of preference."""
        v, g = sizes
        if not self.fan_out:
            shown = [k for k in (0, 1) if sizes[k] is not None]
            return [(shown, self._pair_places(v, g, shown))] if shown else []
        groups: list[tuple[Sequence[int], Iterator[list[QPointF]]]] = []
        if v is not None:
            groups.append(([0], self._source_places(v)))
        if g is not None:
            groups.append(([1], self._fan_places(g)))
        return groups

    def _pair_places(self, v: Any, g: Any, shown: list[int]) -> Iterator[list[QPointF]]:
        """Value above and gradient below a point of the curve, from the middle outwards; then both
        above, then both below."""
        controls = self._controls
        vh = v[1] if v else 0.0
        gh = g[1] if g else 0.0
        for arrangement in ("split", "above", "below"):
            for t in ALONG:
                x, y = point_on(controls, t)
                if arrangement == "split":
                    tops = (y - vh - 1, y + 1)
                elif arrangement == "above":
                    tops = (y - vh - gh - 2, y - gh - 1)
                else:
                    tops = (y + 1, y + vh + 2)
                yield [QPointF(x - (v, g)[k][0] / 2, tops[k]) for k in shown]

    def _source_places(self, v: Any) -> Iterator[list[QPointF]]:
        """A fan-out's shared value: just right of the source's output port, above or below."""
        x, y = self._controls[0], self._controls[1]
        h = v[1]
        for dx in (12.0, 32.0, 56.0):
            yield [QPointF(x + dx, y - h - 4)]
            yield [QPointF(x + dx, y + 4)]

    def _fan_places(self, g: Any) -> Iterator[list[QPointF]]:
        """A fan-out edge's gradient: on its curve near the target, where the curves are apart."""
        controls = self._controls
        w, h = g
        for dy in (-h / 2, -h - 1, 1):
            for t in ALONG_FAN:
                x, y = point_on(controls, t)
                yield [QPointF(x - w / 2, y + dy)]

    def set_texts(self, value: str | None, grad: str | None, value_arr: Any, grad_arr: Any) -> None:
        """Compact texts ("" = nothing, None = not computed yet, dimmed) and the arrays for the tooltip."""
        self.value_arr = value_arr
        self.grad_arr = grad_arr
        texts = self._texts
        moved = False
        if value != texts[0]:
            moved = self._set(0, self.value_label, value, style.VALUE_COLOR)
        if grad != texts[1]:
            moved = self._set(1, self.grad_label, grad, style.GRAD_COLOR) or moved
        if moved:
            self._place_labels()

    def set_fan_out(self, fan_out: bool, carries_value: bool) -> None:
        """At a fan-out only the edge that carries_value shows the (shared) value, at the source."""
        if (fan_out, carries_value) == (self.fan_out, self.carries_value):
            return
        self.fan_out, self.carries_value = fan_out, carries_value
        value = self._texts[0]
        if value is not False:
            self._set(0, self.value_label, value, style.VALUE_COLOR)
        self._place_labels()

    def _set(self, which: int, label: QGraphicsSimpleTextItem, text: str | None, color: Any) -> bool:
        """Set one label's text; True if the labels must be placed again (its size changed)."""
        old = self._texts[which]
        self._texts[which] = text
        if which == 0 and not self.carries_value:
            text = ""  # another edge of the fan-out shows the value
        if text is None:
            label.setText("…")
            label.setBrush(style.DIM_COLOR)
        else:
            if old is None or old is False:
                label.setBrush(color)
            label.setText(_fitting(text))
        width = label.boundingRect().width() if label.text() else 0.0
        if abs(width - self._widths[which]) > 0.5:
            self._widths[which] = width
            return True
        return False

    def set_labels_visible(self, values: bool, grads: bool) -> None:
        if self._shown != [values, grads]:
            self._shown = [values, grads]
            self.update()
        if self.value_label.isVisible() != values:
            self.value_label.setVisible(values)
        if self.grad_label.isVisible() != grads:
            self.grad_label.setVisible(grads)

    def set_fast(self, on: bool) -> None:
        """Zoomed far out: the scene draws the edge in its batch; this item paints nothing (and its
        hidden labels are placed when it is drawn in full again)."""
        self.setFlag(_NO_CONTENTS, on)
        self._fast = on
        if not on and self._labels_pending:
            self._labels_pending = False
            self._place_labels()

    def set_problem(self, message: str | None) -> None:
        if message != self.problem:
            self.problem = message
            self.setPen(QPen(style.ERROR_COLOR if message else style.EDGE_COLOR, 2.2 if message else 1.6))

    def shape(self) -> QPainterPath:
        if self._shape is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(10)
            self._shape = stroker.createStroke(self.path())
        return self._shape

    def boundingRect(self) -> QRectF:
        return self._brect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        pen = _SELECTED_PEN if self.isSelected() else self.pen()
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())
        painter.setBrush(pen.color())
        painter.drawPolygon(self.arrow)
        for shown, backdrop in zip(self._shown, self._backdrops):
            if shown and backdrop is not None:
                painter.fillRect(backdrop, style.LABEL_BACKGROUND)


_metrics: list[QFontMetricsF] = []  # made on first use (fonts need the application)


def _fitting(text: str) -> str:
    """The text, elided to LABEL_MAX_WIDTH when longer (only long texts are measured)."""
    if len(text) < 20:
        return text
    if not _metrics:
        _metrics.append(QFontMetricsF(style.font(8.5)))
    m = _metrics[0]
    if m.horizontalAdvance(text) <= LABEL_MAX_WIDTH:
        return text
    return m.elidedText(text, Qt.TextElideMode.ElideRight, LABEL_MAX_WIDTH)


Controls = tuple[float, float, float, float, float, float, float, float]


def curve_controls(p1: QPointF, p2: QPointF) -> Controls:
    """The S-curve's four control points (x0, y0, …, x3, y3): horizontal at both ends, ending just
    before the input port."""
    x0, y0, x3, y3 = p1.x(), p1.y(), p2.x() - 6, p2.y()
    dx = max(40.0, abs(x3 - x0) * 0.5)
    return (x0, y0, x0 + dx, y0, x3 - dx, y3, x3, y3)


def curve(p1: QPointF, p2: QPointF) -> QPainterPath:
    """A horizontal S-curve from an output port to an input port (ending just before the port)."""
    return _path(curve_controls(p1, p2))


def _path(c: Controls) -> QPainterPath:
    x0, y0, x1, y1, x2, y2, x3, y3 = c
    path = QPainterPath(QPointF(x0, y0))
    path.cubicTo(QPointF(x1, y1), QPointF(x2, y2), QPointF(x3, y3))
    return path


def point_on(c: Controls, t: float) -> tuple[float, float]:
    """The curve's point at parameter t (0 at the source, 1 at the target): the Bézier formula, many
    times cheaper than QPainterPath.pointAtPercent, which measures the curve's length on each call."""
    u = 1.0 - t
    a, b, cc, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
    return (a * c[0] + b * c[2] + cc * c[4] + d * c[6], a * c[1] + b * c[3] + cc * c[5] + d * c[7])
